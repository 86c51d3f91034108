//! The index schema: the one place where field names and their options are
//! defined, and where an [`Article`] becomes a tantivy document and back.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{DateTime, Index, TantivyDocument};

use crate::article::{Article, DateSource, EntityCount, Format};

/// Tokenizer for article text: words, lowercased, English-stemmed.
pub const TEXT_TOKENIZER: &str = "byline_en";

/// Handles to every field, resolved once from the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The schema these fields belong to.
    pub schema: Schema,
    /// Article id (stored).
    pub id: Field,
    /// Unique key of the article in this index: its path (with `#N`); indexed
    /// only, for upserts and deletes.
    pub key: Field,
    /// The source file's path as walked.
    pub path: Field,
    /// The source file, as an absolute path: groups the articles of one file.
    pub file: Field,
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
    /// How the date was found (raw, stored).
    pub date_source: Field,
    /// Language code (raw, stored).
    pub language: Field,
    /// Input format (raw, stored, fast).
    pub format: Field,
    /// Entities, stored as JSON for display (`{"people":[...],...}`).
    pub entities: Field,
    /// Content hash (stored).
    pub content_hash: Field,
    /// Size of the article's source text in bytes (stored, fast).
    pub bytes: Field,
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
        let id = sb.add_text_field("id", STORED);
        let key = sb.add_text_field("key", STRING);
        let path = sb.add_text_field("path", STORED);
        let file = sb.add_text_field("file", STRING | STORED);
        let url = sb.add_text_field("url", STORED);
        let title = sb.add_text_field("title", text.clone());
        let standfirst = sb.add_text_field("standfirst", text.clone());
        let body = sb.add_text_field("body", text.clone());
        let byline = sb.add_text_field("byline", text);
        let published = sb.add_date_field(
            "published",
            DateOptions::from(INDEXED)
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        );
        let date_source = sb.add_text_field("date_source", STRING | STORED);
        let language = sb.add_text_field("language", STRING | STORED);
        let format = sb.add_text_field("format", STRING | STORED);
        let entities = sb.add_text_field("entities", STORED);
        let content_hash = sb.add_text_field("content_hash", STORED);
        let bytes = sb.add_u64_field("bytes", STORED | FAST);
        Fields {
            schema: sb.build(),
            id,
            key,
            path,
            file,
            url,
            title,
            standfirst,
            body,
            byline,
            published,
            date_source,
            language,
            format,
            entities,
            content_hash,
            bytes,
        }
    }

    /// Resolves the fields of an existing index, checking it was made by byline.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Self> {
        let built = Fields::build();
        for (_, entry) in built.schema.fields() {
            if schema.get_field(entry.name()).is_err() {
                return Err(tantivy::TantivyError::SchemaError(format!(
                    "field `{}` is missing: this index was not made by this version of byline; rebuild it with `byline index`",
                    entry.name()
                )));
            }
        }
        Ok(built)
    }

    /// Converts an article to a tantivy document.
    pub fn to_document(&self, a: &Article, file: &str) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &a.id);
        doc.add_text(self.key, &a.path);
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
            doc.add_date(self.published, to_tantivy(ts));
        }
        if let Some(src) = a.date_source {
            doc.add_text(self.date_source, src.as_str());
        }
        if let Some(lang) = &a.language {
            doc.add_text(self.language, lang);
        }
        doc.add_text(self.format, a.format.as_str());
        if !(a.people.is_empty() && a.organizations.is_empty() && a.places.is_empty()) {
            let ents = serde_json::json!({
                "people": a.people,
                "organizations": a.organizations,
                "places": a.places,
            });
            doc.add_text(self.entities, ents.to_string());
        }
        doc.add_text(self.content_hash, &a.content_hash);
        doc.add_u64(
            self.bytes,
            (a.title.len() + a.standfirst.len() + a.body.len()) as u64,
        );
        doc
    }

    /// Reads an article back from a stored document.
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
        let mut a = Article {
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
            content_hash: text(self.content_hash),
            ..Article::default()
        };
        if let Some(json) = opt(self.entities) {
            #[derive(serde::Deserialize)]
            struct Ents {
                people: Vec<EntityCount>,
                organizations: Vec<EntityCount>,
                places: Vec<EntityCount>,
            }
            if let Ok(e) = serde_json::from_str::<Ents>(&json) {
                a.people = e.people;
                a.organizations = e.organizations;
                a.places = e.places;
            }
        }
        a
    }
}

/// Registers byline's tokenizers on an index. Tokenizers are not saved in the
/// index, so this runs after every create and open.
pub fn register_tokenizers(index: &Index) {
    let en = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build();
    index.tokenizers().register(TEXT_TOKENIZER, en);
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

/// Converts tantivy's date type to a timestamp.
pub fn from_tantivy(dt: DateTime) -> jiff::Timestamp {
    jiff::Timestamp::from_second(dt.into_timestamp_secs()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
