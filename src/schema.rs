//! The index schema: the one place where field names and their options are
//! defined, and where an [`Article`] becomes a tantivy document and back.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{DateTime, Index, TantivyDocument};

use crate::article::{Article, DateSource, EntityCount, EntityKind, Format};
use crate::ingest::RecordKey;

/// Every field's name, the one place it is spelled: code that names a field
/// (a fast-field column, a query parser's field list) uses these.
pub mod field {
    /// The `id` field (see [`Fields::id`](super::Fields::id)).
    pub const ID: &str = "id";
    /// The `key` field (see [`Fields::key`](super::Fields::key)).
    pub const KEY: &str = "key";
    /// The `path` field (see [`Fields::path`](super::Fields::path)).
    pub const PATH: &str = "path";
    /// The `file` field (see [`Fields::file`](super::Fields::file)).
    pub const FILE: &str = "file";
    /// The `kind` field (see [`Fields::kind`](super::Fields::kind)).
    pub const KIND: &str = "kind";
    /// The `file_size` field (see [`Fields::file_size`](super::Fields::file_size)).
    pub const FILE_SIZE: &str = "file_size";
    /// The `file_mtime` field (see [`Fields::file_mtime`](super::Fields::file_mtime)).
    pub const FILE_MTIME: &str = "file_mtime";
    /// The `file_hash` field (see [`Fields::file_hash`](super::Fields::file_hash)).
    pub const FILE_HASH: &str = "file_hash";
    /// The `url` field (see [`Fields::url`](super::Fields::url)).
    pub const URL: &str = "url";
    /// The `title` field (see [`Fields::title`](super::Fields::title)).
    pub const TITLE: &str = "title";
    /// The `standfirst` field (see [`Fields::standfirst`](super::Fields::standfirst)).
    pub const STANDFIRST: &str = "standfirst";
    /// The `body` field (see [`Fields::body`](super::Fields::body)).
    pub const BODY: &str = "body";
    /// The `byline` field (see [`Fields::byline`](super::Fields::byline)).
    pub const BYLINE: &str = "byline";
    /// The `published` field (see [`Fields::published`](super::Fields::published)).
    pub const PUBLISHED: &str = "published";
    /// The `day` field (see [`Fields::day`](super::Fields::day)).
    pub const DAY: &str = "day";
    /// The `date_source` field (see [`Fields::date_source`](super::Fields::date_source)).
    pub const DATE_SOURCE: &str = "date_source";
    /// The `language` field (see [`Fields::language`](super::Fields::language)).
    pub const LANGUAGE: &str = "language";
    /// The `format` field (see [`Fields::format`](super::Fields::format)).
    pub const FORMAT: &str = "format";
    /// The `person` field (see [`Fields::person`](super::Fields::person)).
    pub const PERSON: &str = "person";
    /// The `org` field (see [`Fields::org`](super::Fields::org)).
    pub const ORG: &str = "org";
    /// The `place` field (see [`Fields::place`](super::Fields::place)).
    pub const PLACE: &str = "place";
    /// The `surname` field (see [`Fields::surname`](super::Fields::surname)).
    pub const SURNAME: &str = "surname";
    /// The `salient` field (see [`Fields::salient`](super::Fields::salient)).
    pub const SALIENT: &str = "salient";
    /// The `content_hash` field (see [`Fields::content_hash`](super::Fields::content_hash)).
    pub const CONTENT_HASH: &str = "content_hash";
    /// The `bytes` field (see [`Fields::bytes`](super::Fields::bytes)).
    pub const BYTES: &str = "bytes";
    /// The `record` field (see [`Fields::record`](super::Fields::record)).
    pub const RECORD: &str = "record";
    /// The `occurrence` field (see [`Fields::occurrence`](super::Fields::occurrence)).
    pub const OCCURRENCE: &str = "occurrence";
    /// The `entities` field (see [`Fields::entities`](super::Fields::entities)).
    pub const ENTITIES: &str = "entities";
    /// The `signature` field (see [`Fields::signature`](super::Fields::signature)).
    pub const SIGNATURE: &str = "signature";
}

/// `kind` of an article document.
pub const KIND_ARTICLE: &str = "article";
/// `kind` of a file record.
pub const KIND_FILE: &str = "file";

/// What the index remembers of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileState {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: i64,
    /// xxh3 of the file's bytes.
    pub hash: u64,
}

/// Tokenizer for entity names: the whole name as one lowercase term.
pub const ENTITY_TOKENIZER: &str = "byline_entity";

/// Tokenizer for article text: words, lowercased, English-stemmed.
pub const TEXT_TOKENIZER: &str = "byline_en_folded";

/// Handles to every field, resolved once from the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The schema these fields belong to.
    pub schema: Schema,
    /// Article id (stored, and indexed whole, as typed: `id:15017` and
    /// `byline show 15017` look it up).
    pub id: Field,
    /// Unique key of the article in this index: its file's absolute path
    /// (with `#KEY` for a record of a file of several, see
    /// [`crate::ingest::RecordKey`]); indexed only, for upserts and deletes.
    pub key: Field,
    /// The source file's path as walked.
    pub path: Field,
    /// The source file, as an absolute path: groups the articles of one file
    /// and names a file record (indexed, fast).
    pub file: Field,
    /// `article` for an article; `file` for the one record per source file
    /// that remembers its size, mtime and hash for reindexing.
    pub kind: Field,
    /// File record: size in bytes (fast).
    pub file_size: Field,
    /// File record: modification time in nanoseconds since the epoch (fast).
    pub file_mtime: Field,
    /// File record: xxh3 hash of the file's bytes (fast).
    pub file_hash: Field,
    /// URL (stored only).
    pub url: Field,
    /// Headline (searchable, stored).
    pub title: Field,
    /// Standfirst (searchable, stored).
    pub standfirst: Field,
    /// Body (searchable, stored).
    pub body: Field,
    /// Byline (searchable, stored).
    pub byline: Field,
    /// Published date (indexed, stored, fast).
    pub published: Field,
    /// Published day (days since 1970-01-01, UTC; indexed): date ranges
    /// whole days wide are looked up here, a few hundred terms instead of a
    /// scan of the date column.
    pub day: Field,
    /// How the date was found (raw, stored).
    pub date_source: Field,
    /// Language code (raw, stored).
    pub language: Field,
    /// Input format (raw, stored, fast).
    pub format: Field,
    /// People, organisations, places: each canonical name once, indexed as
    /// one lowercase term (for `person:X`, and counted through its postings
    /// for the top entities among hits).
    pub person: Field,
    /// See [`Fields::person`].
    pub org: Field,
    /// See [`Fields::person`].
    pub place: Field,
    /// The surname (last word) of each person named by more than one word,
    /// lowercased: `person:Blair` is a term lookup here, not a scan of every
    /// name in the index.
    pub surname: Field,
    /// The entities an article is about (salient: in the title or
    /// standfirst, or mentioned often), as `p:`, `o:` or `l:` plus the
    /// lowercase name: entity queries add it as an optional clause, so these
    /// articles rank above passing mentions.
    pub salient: Field,
    /// Hash of the article's source bytes (stored; reindexing reads it from the store).
    pub content_hash: Field,
    /// Size of the article's source text in bytes (stored).
    pub bytes: Field,
    /// A record's key in its file of several ([`crate::ingest::RecordKey`]),
    /// `~N` included (stored): reindexing reads it to match records by key.
    pub record: Field,
    /// The N of a record's `~N` (1 for none; stored): reindexing numbers
    /// records with the same key as a fresh build would.
    pub occurrence: Field,
    /// Each entity of the article, stored (not indexed) as a line of
    /// kind (`p`, `o`, `l`), mentions, salience (`1` or `0`) and name,
    /// tab-separated: an article read back carries the entities it was
    /// indexed with, without the extractor's word lists.
    pub entities: Field,
    /// The similarity signature of the article's standfirst and body
    /// ([`Signature::to_bytes`](crate::enrich::copies::Signature::to_bytes)),
    /// stored, to find its copies; absent when it has no words.
    pub signature: Field,
    /// One indexed field per language of [`crate::lang::STEMMED`], in its
    /// order: the title, standfirst and body of the articles in that
    /// language, through its own stemmer (not stored).
    pub stemmed: Vec<Field>,
}

impl Fields {
    /// Builds the schema byline writes.
    pub fn build() -> Self {
        let mut sb = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TEXT_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let id = sb.add_text_field(field::ID, STRING | STORED);
        let key = sb.add_text_field(field::KEY, STRING);
        let path = sb.add_text_field(field::PATH, STORED);
        let file = sb.add_text_field(field::FILE, STRING | STORED | FAST);
        let kind = sb.add_text_field(field::KIND, STRING);
        let file_size = sb.add_u64_field(field::FILE_SIZE, FAST);
        let file_mtime = sb.add_i64_field(field::FILE_MTIME, FAST);
        let file_hash = sb.add_u64_field(field::FILE_HASH, FAST);
        let url = sb.add_text_field(field::URL, STORED);
        let title = sb.add_text_field(field::TITLE, text.clone());
        let standfirst = sb.add_text_field(field::STANDFIRST, text.clone());
        let body = sb.add_text_field(field::BODY, text.clone());
        let byline = sb.add_text_field(field::BYLINE, text);
        let published = sb.add_date_field(
            field::PUBLISHED,
            DateOptions::from(INDEXED)
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        );
        let day = sb.add_i64_field(field::DAY, INDEXED);
        let date_source = sb.add_text_field(field::DATE_SOURCE, STRING | STORED);
        let language = sb.add_text_field(field::LANGUAGE, STRING | STORED);
        let format = sb.add_text_field(field::FORMAT, STRING | STORED);
        let entity_terms = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ENTITY_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        );
        let person = sb.add_text_field(field::PERSON, entity_terms.clone());
        let org = sb.add_text_field(field::ORG, entity_terms.clone());
        let place = sb.add_text_field(field::PLACE, entity_terms.clone());
        let lookup_only = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ENTITY_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        );
        let surname = sb.add_text_field(field::SURNAME, lookup_only.clone());
        let salient = sb.add_text_field(field::SALIENT, lookup_only);
        let content_hash = sb.add_u64_field(field::CONTENT_HASH, STORED);
        let bytes = sb.add_u64_field(field::BYTES, STORED);
        let record = sb.add_text_field(field::RECORD, STORED);
        let occurrence = sb.add_u64_field(field::OCCURRENCE, STORED);
        let entities = sb.add_text_field(field::ENTITIES, STORED);
        let signature = sb.add_bytes_field(field::SIGNATURE, STORED);
        let stemmed = crate::lang::STEMMED
            .iter()
            .map(|l| {
                let options = TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(l.tokenizer)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                );
                sb.add_text_field(l.field, options)
            })
            .collect();
        Fields {
            schema: sb.build(),
            id,
            key,
            path,
            file,
            kind,
            file_size,
            file_mtime,
            file_hash,
            url,
            title,
            standfirst,
            body,
            byline,
            published,
            day,
            date_source,
            language,
            format,
            person,
            org,
            place,
            surname,
            salient,
            content_hash,
            bytes,
            record,
            occurrence,
            entities,
            signature,
            stemmed,
        }
    }

    /// Resolves the fields of an existing index, checking it was made by this
    /// version of byline: every field with the same name, type, options and
    /// place. (Names alone were checked once, and an index with the same
    /// names in another order was read through the wrong fields.)
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Self> {
        let built = Fields::build();
        if *schema == built.schema {
            return Ok(built);
        }
        let theirs: Vec<_> = schema.fields().map(|(_, e)| e).collect();
        let differs = built
            .schema
            .fields()
            .enumerate()
            .find(|&(i, (_, ours))| theirs.get(i) != Some(&ours))
            .map(|(_, (_, ours))| ours.name().to_string());
        let what = match differs {
            Some(name) if schema.get_field(&name).is_err() => format!("field `{name}` is missing"),
            Some(name) => format!("field `{name}` differs"),
            None => format!(
                "it has {} more field(s) than byline's",
                theirs.len() - built.schema.num_fields()
            ),
        };
        Err(tantivy::TantivyError::SchemaError(format!(
            "{what}: it was made by another version of byline"
        )))
    }

    /// Converts an article to a tantivy document. `file` is the source file's
    /// absolute path; `record` the article's key within a multi-article
    /// file.
    pub fn to_document(
        &self,
        a: &Article,
        file: &str,
        record: Option<&RecordKey>,
    ) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.kind, KIND_ARTICLE);
        doc.add_text(self.id, &a.id);
        match record {
            Some(r) => {
                doc.add_text(self.key, format!("{file}#{}", r.key));
                doc.add_text(self.record, &r.key);
                doc.add_u64(self.occurrence, u64::from(r.occurrence));
            }
            None => doc.add_text(self.key, file),
        }
        doc.add_text(self.path, &a.path);
        doc.add_text(self.file, file);
        if let Some(url) = &a.url {
            doc.add_text(self.url, url);
        }
        doc.add_text(self.title, &a.title);
        doc.add_text(self.standfirst, &a.standfirst);
        doc.add_text(self.body, &a.body);
        if let Some(b) = &a.byline {
            doc.add_text(self.byline, b);
        }
        if let Some(ts) = a.published {
            let stored = to_tantivy(ts);
            doc.add_date(self.published, stored);
            // The day of the date as stored, so that both fields agree on
            // dates beyond the stored range.
            doc.add_i64(self.day, stored.into_timestamp_secs().div_euclid(86_400));
        }
        if let Some(src) = a.date_source {
            doc.add_text(self.date_source, src.as_str());
        }
        if let Some(lang) = &a.language {
            doc.add_text(self.language, lang);
            if let Some(i) = crate::lang::STEMMED.iter().position(|l| l.code == *lang) {
                for text in [&a.title, &a.standfirst, &a.body] {
                    doc.add_text(self.stemmed[i], text);
                }
            }
        }
        doc.add_text(self.format, a.format.as_str());
        // Each field's names go in as one value, split again by the
        // tokenizer: a value costs tantivy a token stream and more, and
        // articles name some 20 entities.
        let mut surnames = NameList::default();
        let mut salient = NameList::default();
        for (list, kind) in [
            (&a.people, EntityKind::Person),
            (&a.organizations, EntityKind::Organization),
            (&a.places, EntityKind::Place),
        ] {
            let mut names = NameList::default();
            for e in list {
                names.push(&e.name);
                let last = surname_of(kind, &e.name);
                if let Some(last) = last {
                    surnames.push(last);
                }
                if e.salient {
                    salient.push(&salient_term(kind, &e.name));
                    if let Some(last) = last {
                        salient.push(&salient_surname_term(last));
                    }
                }
            }
            names.add_to(&mut doc, self.entity_field(kind));
        }
        surnames.add_to(&mut doc, self.surname);
        let stored = stored_entities(a);
        if !stored.is_empty() {
            doc.add_text(self.entities, stored);
        }
        salient.add_to(&mut doc, self.salient);
        doc.add_u64(
            self.content_hash,
            u64::from_str_radix(&a.content_hash, 16).unwrap_or(0),
        );
        doc.add_u64(
            self.bytes,
            (a.title.len() + a.standfirst.len() + a.body.len()) as u64,
        );
        if let Some(s) = crate::enrich::copies::Signature::of_article(a) {
            doc.add_bytes(self.signature, &s.to_bytes());
        }
        doc
    }

    /// The indexed field for an entity kind.
    pub fn entity_field(&self, kind: EntityKind) -> Field {
        match kind {
            EntityKind::Person => self.person,
            EntityKind::Organization => self.org,
            EntityKind::Place => self.place,
        }
    }

    /// A query for every article (and no file record).
    pub fn articles(&self) -> tantivy::query::TermQuery {
        tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(self.kind, KIND_ARTICLE),
            IndexRecordOption::Basic,
        )
    }

    /// The record that remembers a source file's state for reindexing.
    pub fn file_record(&self, file: &str, state: &FileState) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.kind, KIND_FILE);
        doc.add_text(self.file, file);
        doc.add_u64(self.file_size, state.size);
        doc.add_i64(self.file_mtime, state.mtime_ns);
        doc.add_u64(self.file_hash, state.hash);
        doc
    }

    /// Reads an article back from a stored document, entities and all (as
    /// they were found when it was indexed).
    pub fn to_article(&self, doc: &TantivyDocument) -> Article {
        let text = |f: Field| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let opt = |f: Field| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let published = doc
            .get_first(self.published)
            .and_then(|v| v.as_datetime())
            .map(from_tantivy);
        let format = match text(self.format).as_str() {
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "html" => Format::Html,
            _ => Format::Txt,
        };
        let mut article = Article {
            id: text(self.id),
            path: text(self.path),
            url: opt(self.url),
            title: text(self.title),
            standfirst: text(self.standfirst),
            body: text(self.body),
            byline: opt(self.byline),
            published,
            date_source: opt(self.date_source).as_deref().and_then(DateSource::parse),
            language: opt(self.language),
            format,
            content_hash: doc
                .get_first(self.content_hash)
                .and_then(|v| v.as_u64())
                .map(|h| format!("{h:016x}"))
                .unwrap_or_default(),
            ..Article::default()
        };
        if let Some(stored) = doc.get_first(self.entities).and_then(|v| v.as_str()) {
            read_entities(stored, &mut article);
        }
        article
    }
}

/// An article's entities as the `entities` field stores them.
fn stored_entities(a: &Article) -> String {
    let mut out = String::new();
    for (list, kind) in [(&a.people, 'p'), (&a.organizations, 'o'), (&a.places, 'l')] {
        for e in list {
            // A name holds no tab or line break: the extractor's names are
            // runs of words.
            let name = e.name.replace(['\t', '\n'], " ");
            let salient = if e.salient { '1' } else { '0' };
            out.push_str(&format!("{kind}\t{}\t{salient}\t{name}\n", e.mentions));
        }
    }
    out
}

/// The entities of `stored` (see [`stored_entities`]) into `a`; a line that
/// does not read is passed over.
fn read_entities(stored: &str, a: &mut Article) {
    for line in stored.lines() {
        let mut parts = line.splitn(4, '\t');
        let (Some(kind), Some(n), Some(salient), Some(name)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(mentions) = n.parse() else { continue };
        let e = EntityCount {
            name: name.to_string(),
            mentions,
            salient: salient == "1",
        };
        match kind {
            "p" => a.people.push(e),
            "o" => a.organizations.push(e),
            "l" => a.places.push(e),
            _ => {}
        }
    }
}

/// The `salient` field's term for an entity (before lowercasing).
pub fn salient_term(kind: EntityKind, name: &str) -> String {
    let prefix = match kind {
        EntityKind::Person => "p:",
        EntityKind::Organization => "o:",
        EntityKind::Place => "l:",
    };
    format!("{prefix}{name}")
}

/// The surname of a person's name: its last word, when it has more than one.
pub fn surname_of(kind: EntityKind, name: &str) -> Option<&str> {
    if kind != EntityKind::Person {
        return None;
    }
    name.rsplit_once(' ').map(|(_, last)| last)
}

/// The `salient` field's term for a person known by `surname` (before
/// lowercasing): `~` cannot start a name, so it never meets a full name.
pub fn salient_surname_term(surname: &str) -> String {
    format!("p:~{surname}")
}

/// Between the names of one field's value; no name holds it.
const NAME_SEPARATOR: char = '\u{1f}';

/// Names joined into one value for an entity field.
#[derive(Default)]
struct NameList(String);

impl NameList {
    fn push(&mut self, name: &str) {
        if !self.0.is_empty() {
            self.0.push(NAME_SEPARATOR);
        }
        // A separator inside a name (from hostile input) would split it.
        self.0.extend(name.chars().filter(|&c| c != NAME_SEPARATOR));
    }

    fn add_to(self, doc: &mut TantivyDocument, field: Field) {
        if !self.0.is_empty() {
            doc.add_text(field, self.0);
        }
    }
}

/// The entity fields' tokenizer: a value holds names separated by U+001F,
/// and each name is one token, lowercased as tantivy's `LowerCaser` does. A
/// value holding one name gives the token `RawTokenizer` and `LowerCaser`
/// would.
#[derive(Clone, Default)]
pub struct NameTokenizer {
    token: Token,
}

/// The token stream of [`NameTokenizer`].
pub struct NameStream<'a> {
    names: std::str::Split<'a, char>,
    offset: usize,
    token: &'a mut Token,
}

impl Tokenizer for NameTokenizer {
    type TokenStream<'a> = NameStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NameStream<'a> {
        self.token.reset();
        NameStream {
            names: text.split(NAME_SEPARATOR),
            offset: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for NameStream<'_> {
    fn advance(&mut self) -> bool {
        for name in self.names.by_ref() {
            let start = self.offset;
            self.offset += name.len() + NAME_SEPARATOR.len_utf8();
            if name.is_empty() {
                continue;
            }
            let t = &mut *self.token;
            t.text.clear();
            if name.is_ascii() {
                t.text.push_str(name);
                t.text.make_ascii_lowercase();
            } else {
                t.text.extend(name.chars().flat_map(char::to_lowercase));
            }
            t.offset_from = start;
            t.offset_to = start + name.len();
            t.position = t.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// byline's tokenizers for query text: as the index's, but a word with
/// accents is searched as its folded form only, which every article that
/// has the word (with or without the accents) was indexed under.
pub fn query_tokenizers() -> tantivy::tokenizer::TokenizerManager {
    // Built once: every search makes a query parser with them, and the
    // stemmers of 17 languages took 0.5% of a loaded server's time.
    static MANAGER: std::sync::LazyLock<tantivy::tokenizer::TokenizerManager> =
        std::sync::LazyLock::new(build_query_tokenizers);
    MANAGER.clone()
}

fn build_query_tokenizers() -> tantivy::tokenizer::TokenizerManager {
    let manager = tantivy::tokenizer::TokenizerManager::default();
    let en = TextAnalyzer::builder(crate::stem::EnglishTokenizer::for_queries()).build();
    manager.register(TEXT_TOKENIZER, en);
    manager.register(
        ENTITY_TOKENIZER,
        TextAnalyzer::builder(NameTokenizer::default()).build(),
    );
    register_stemmers(&manager);
    manager
}

/// The tokenizers of the [`crate::lang::STEMMED`] languages' fields, the
/// same for articles and queries.
fn register_stemmers(manager: &tantivy::tokenizer::TokenizerManager) {
    for l in crate::lang::STEMMED {
        let analyzer = TextAnalyzer::builder(crate::lang::StemmingTokenizer::new(l)).build();
        manager.register(l.tokenizer, analyzer);
    }
}

/// Registers byline's tokenizers on an index. Tokenizers are not saved in the
/// index, so this runs after every create and open.
pub fn register_tokenizers(index: &Index) {
    let en = TextAnalyzer::builder(crate::stem::EnglishTokenizer::default()).build();
    index.tokenizers().register(TEXT_TOKENIZER, en);
    let entity = TextAnalyzer::builder(NameTokenizer::default()).build();
    index.tokenizers().register(ENTITY_TOKENIZER, entity);
    register_stemmers(index.tokenizers());
}

/// The range of seconds tantivy's nanosecond dates can hold, with margin
/// (about the years 1680 to 2260).
const DATE_LIMIT_SECS: i64 = 9_000_000_000;

/// Converts a timestamp to tantivy's date type, clamping to the range it can
/// represent (a query for `after:1200` must not overflow).
pub fn to_tantivy(ts: jiff::Timestamp) -> DateTime {
    DateTime::from_timestamp_secs(ts.as_second().clamp(-DATE_LIMIT_SECS, DATE_LIMIT_SECS))
}

/// The earliest date byline stores: the lower end of an open date range.
pub fn earliest() -> DateTime {
    DateTime::from_timestamp_secs(-DATE_LIMIT_SECS)
}

/// The latest date byline stores: the upper end of an open date range.
pub fn latest() -> DateTime {
    DateTime::from_timestamp_secs(DATE_LIMIT_SECS)
}

/// Converts tantivy's date type to a timestamp.
pub fn from_tantivy(dt: DateTime) -> jiff::Timestamp {
    jiff::Timestamp::from_second(dt.into_timestamp_secs()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_an_index_with_byline_s_own_schema_is_read() {
        let ours = Fields::build().schema;
        assert!(Fields::from_schema(&ours).is_ok());
        let entries: Vec<_> = ours.fields().map(|(_, e)| e.clone()).collect();
        let rebuilt = |entries: &[tantivy::schema::FieldEntry]| {
            let mut b = Schema::builder();
            for e in entries {
                b.add_field(e.clone());
            }
            b.build()
        };
        // The same names in another order: read through them, a title
        // field was the url and `stats` panicked.
        let mut reversed = entries.clone();
        reversed.reverse();
        let err = Fields::from_schema(&rebuilt(&reversed))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("differs") && err.contains("another version"),
            "{err}"
        );
        let err = Fields::from_schema(&rebuilt(&entries[1..]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("field `id` is missing"), "{err}");
        let mut more = entries.clone();
        more.push(tantivy::schema::FieldEntry::new_text(
            "extra".into(),
            STORED.into(),
        ));
        let err = Fields::from_schema(&rebuilt(&more))
            .unwrap_err()
            .to_string();
        assert!(err.contains("1 more field(s)"), "{err}");
    }
    use super::*;
    use tantivy::tokenizer::{LowerCaser, RawTokenizer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn a_name_list_gives_one_lowercase_token_per_name() {
        let mut names = TextAnalyzer::builder(NameTokenizer::default()).build();
        let mut raw = TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build();
        let mut list = NameList::default();
        for n in [
            "Tony Blair",
            "",
            "Gdańsk",
            "ΟΔΟΣ Σίσυφος",
            "p:~blair",
            "Evil\u{1f}Name",
        ] {
            list.push(n);
        }
        let got = tokens(&mut names, &list.0);
        assert_eq!(
            got,
            [
                "tony blair",
                "gdańsk",
                "οδοσ σίσυφος",
                "p:~blair",
                "evilname"
            ]
        );
        // One name alone: the token the raw tokenizer and lowercaser give.
        for n in ["Tony Blair", "Gdańsk", "ΟΔΟΣ Σίσυφος"] {
            assert_eq!(tokens(&mut names, n), tokens(&mut raw, n));
        }
        assert!(tokens(&mut names, "").is_empty());
    }

    /// An article read back carries the entities it was indexed with, their
    /// mention counts and salience, with no extraction at read time.
    #[test]
    fn entities_are_read_back_as_they_were_indexed() {
        let fields = Fields::build();
        let entity = |name: &str, mentions, salient| EntityCount {
            name: name.into(),
            mentions,
            salient,
        };
        let a = Article {
            id: "a1".into(),
            title: "Harbour strike".into(),
            people: vec![entity("Anna Lindqvist", 3, true)],
            organizations: vec![entity("Baltic Freight Council", 1, false)],
            places: vec![entity("Gdańsk", 2, true), entity("Kyiv", 1, false)],
            ..Article::default()
        };
        let back = fields.to_article(&fields.to_document(&a, "/x/a.txt", None));
        assert_eq!(back.people, a.people);
        assert_eq!(back.organizations, a.organizations);
        assert_eq!(back.places, a.places);
    }
}
