//! Searching: the query language, ranking (relevance, date, recency decay),
//! hits with snippets.

pub mod facets;
pub mod query;
mod surnames;
pub mod timeline;

use std::collections::HashMap;
use std::ops::Bound;

use jiff::Timestamp;
use serde::Serialize;
use tantivy::collector::{Collector, Count, FilterCollector, TopDocs};
use tantivy::query::{
    AllScorer, BooleanQuery, BoostQuery, EmptyScorer, EnableScoring, Explanation,
    InvertedIndexRangeQuery, Occur, Query, QueryParser, RangeQuery, RegexQuery, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::Field;
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Searcher, SegmentReader, TantivyDocument, Term};
use tantivy::{DocId, DocSet, SeekDangerResult};

use crate::article::{DateSource, EntityCount, EntityKind};
use crate::enrich::entities;
use crate::error::{Error, Result};
use crate::schema::{self, field, Fields};
use query::ParsedQuery;
pub use surnames::SurnameOnly;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25, title weighted highest).
    #[default]
    Relevance,
    /// Newest first; undated articles last.
    Date,
    /// Relevance decayed by age: a match loses half its score every
    /// half-life. Undated articles come after all dated ones.
    Recent,
}

/// A search to run against an [`crate::Archive`].
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query in byline's language (see [`query`]).
    pub query: String,
    /// How many hits to return (0: none, only the total).
    pub limit: usize,
    /// How many hits to skip (for paging).
    pub offset: usize,
    /// Ordering.
    pub sort: Sort,
    /// Only articles published at or after this instant.
    pub since: Option<Timestamp>,
    /// Only articles published before this instant.
    pub until: Option<Timestamp>,
    /// Half-life for [`Sort::Recent`], in days.
    pub half_life_days: f64,
    /// Snippet length in characters (0: no snippets).
    pub snippet_chars: usize,
}

impl SearchRequest {
    /// A request for `query` with defaults: 10 hits by relevance, snippets on.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            since: None,
            until: None,
            half_life_days: 30.0,
            snippet_chars: 200,
        }
    }

    /// Sets the number of hits.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = n;
        self
    }

    /// Sets the ordering.
    pub fn sort(mut self, sort: Sort) -> Self {
        self.sort = sort;
        self
    }
}

/// A text excerpt with the matched words marked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The excerpt.
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The excerpt with each match wrapped in `open` and `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 8 * self.highlights.len());
        let mut at = 0;
        for &(s, e) in &self.highlights {
            if s < at || e > self.text.len() {
                continue;
            }
            out.push_str(&self.text[at..s]);
            out.push_str(open);
            out.push_str(&self.text[s..e]);
            out.push_str(close);
            at = e;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Source path (with `#N` for a record of a multi-article file).
    pub path: String,
    /// URL, when known.
    pub url: Option<String>,
    /// Headline.
    pub title: String,
    /// Published date, UTC.
    pub published: Option<Timestamp>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// Author(s).
    pub byline: Option<String>,
    /// Ranking score (BM25, decayed under [`Sort::Recent`]).
    pub score: f32,
    /// Excerpt with the matches.
    pub snippet: Snippet,
    /// Main people.
    pub people: Vec<EntityCount>,
    /// Main organisations.
    pub organizations: Vec<EntityCount>,
    /// Main places.
    pub places: Vec<EntityCount>,
}

/// The hits of a search, and how many articles matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Number of matching articles (not just those returned).
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// For each `person:` or `entity:` filter with a full name: how many
    /// more articles match the rest of the query and name a person by that
    /// surname alone ("Mr Blair", with no first name anywhere in the
    /// article). Given only when there are some, the full name holds at
    /// least half of the surname's full-name articles, and the surname is
    /// seldom a first name in the archive. They are not among the hits:
    /// whether "Mr Hewitt" is the tennis player or the minister is for the
    /// reader to judge.
    pub surname_only: Vec<SurnameOnly>,
}

/// A query compiled for tantivy, with what snippets need.
pub(crate) struct Compiled {
    pub query: Box<dyn Query>,
    pub keywords: Option<Box<dyn Query>>,
    /// The query's words as a phrase, one query per field, to add to the
    /// score of the articles that have them side by side (see
    /// `PROXIMITY_BOOST`). Not in `query`: it changes no match, and checking
    /// positions for every match more than doubled the time of a two-word
    /// query, so ranking by relevance re-scores only the best
    /// `RERANK_DEPTH` matches with it.
    pub proximity: Vec<Box<dyn Query>>,
    /// A date range `[from, to)` in Unix seconds that the collector applies
    /// (bounds that are not whole days, with keywords).
    pub dates: Option<(i64, i64)>,
    /// Whether scores mean anything (keywords or entities to rank by).
    pub ranked: bool,
}

impl Compiled {
    /// Runs `collector` over the matches, date range applied.
    pub fn search<C>(&self, searcher: &Searcher, collector: C) -> Result<C::Fruit>
    where
        C: Collector + Send + Sync + 'static,
    {
        Ok(match self.dates {
            None => searcher.search(&self.query, &collector)?,
            Some((from, to)) => searcher.search(
                &self.query,
                &FilterCollector::new(
                    field::PUBLISHED.to_string(),
                    move |d: tantivy::DateTime| {
                        let s = d.into_timestamp_secs();
                        s >= from && s < to
                    },
                    collector,
                ),
            )?,
        })
    }
}

/// Compiles a query string plus a request's date bounds.
pub(crate) fn compile(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    q: &str,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> Result<Compiled> {
    compile_parsed(index, searcher, fields, &parse(q, since, until)?)
}

/// A query string taken apart, with a request's date bounds applied.
fn parse(q: &str, since: Option<Timestamp>, until: Option<Timestamp>) -> Result<ParsedQuery> {
    let mut parsed = query::parse(q)?;
    parsed.restrict(since, until);
    Ok(parsed)
}

/// Compiles a query taken apart.
pub(crate) fn compile_parsed(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    parsed: &ParsedQuery,
) -> Result<Compiled> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for f in &parsed.entities {
        let occur = if f.negated {
            Occur::MustNot
        } else {
            Occur::Must
        };
        clauses.push((occur, entity_query(fields, f.kind, &f.name)));
        if !f.negated {
            if let Some(q) = name_words(index, fields, &f.name) {
                clauses.push((Occur::Should, q));
            }
        }
    }
    if !parsed.is_filter_only() {
        // Keywords that name a known entity: articles about it rank higher.
        for q in named_entities(searcher, fields, &parsed.text)? {
            clauses.push((Occur::Should, q));
        }
    }
    let mut proximity = Vec::new();
    let keywords = if parsed.is_filter_only() {
        None
    } else {
        let mut qp = keyword_parser(index, fields);
        qp.set_conjunction_by_default();
        refuse_boosted_exclusions(&parsed.text)?;
        let kq = qp
            .parse_query(&parsed.text)
            .map(guard_exclusions)
            .map_err(|e| query::explain(&e, &parsed.text))?;
        clauses.push((Occur::Must, kq.box_clone()));
        // Unparsable text just goes without the boost.
        if let Some(pq) = proximity_phrase(&parsed.text).and_then(|p| qp.parse_query(&p).ok()) {
            // One clause per field, so that re-scoring can check each
            // field's phrase at one document (a union of them would scan on).
            let parts = match pq.downcast_ref::<BooleanQuery>() {
                Some(b) => b.clauses().iter().map(|(_, q)| q.box_clone()).collect(),
                None => vec![pq],
            };
            proximity = parts
                .into_iter()
                .map(|q| Box::new(BoostQuery::new(q, PROXIMITY_BOOST)) as Box<dyn Query>)
                .collect();
        }
        Some(kq)
    };
    for word in &parsed.excluded {
        let q = keyword_parser(index, fields)
            .parse_query(word)
            .map_err(|e| query::explain(&e, &format!("-{word}")))?;
        clauses.push((Occur::MustNot, Box::new(Excluded(guard_exclusions(q)))));
    }
    let mut dates = None;
    if parsed.from.is_some() || parsed.to.is_some() {
        let secs = |t: Option<Timestamp>, default: tantivy::DateTime| {
            t.map(schema::to_tantivy)
                .unwrap_or(default)
                .into_timestamp_secs()
        };
        let from = secs(parsed.from, schema::earliest());
        let to = secs(parsed.to, schema::latest());
        if from % 86_400 == 0 && to % 86_400 == 0 {
            // Whole days, as the query language always gives: the day terms.
            let day = |d: i64| Term::from_field_i64(fields.day, d);
            clauses.push((
                Occur::Must,
                Box::new(InvertedIndexRangeQuery::new(
                    Bound::Included(day(from / 86_400)),
                    Bound::Excluded(day(to / 86_400)),
                )),
            ));
        } else if keywords.is_some() {
            // Checking each keyword match's date beats scanning the column.
            dates = Some((from, to));
        } else {
            let term = |s: i64| {
                Term::from_field_date_for_search(
                    fields.published,
                    tantivy::DateTime::from_timestamp_secs(s),
                )
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(term(from)),
                    Bound::Excluded(term(to)),
                )),
            ));
        }
    }
    // Nothing required: every article (not the file records kept for
    // reindexing), less any exclusions.
    if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
        clauses.push((Occur::Must, Box::new(fields.articles())));
    }
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses
            .pop()
            .map(|(_, q)| q)
            .unwrap_or_else(|| Box::new(fields.articles()))
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Compiled {
        query,
        keywords,
        proximity,
        dates,
        ranked: parsed.is_ranked(),
    })
}

/// How much having the query's words side by side adds to an article's
/// score. Titles are short, so one query word in a title outscores every
/// mention in a body, and "world cup" put articles on the Davis Cup first.
/// On the hand-judged BBC queries (`benches/eval/bbc-relevance.jsonl`) this
/// raised nDCG@5 on four of the two-word queries and lowered it on none; a
/// boost of 2 did no better.
const PROXIMITY_BOOST: f32 = 1.0;

/// How many of the best matches are re-scored with the proximity boost when
/// ranking by relevance; matches beyond them follow in plain score order. An
/// article outside them would need its words side by side to outrank all of
/// them; on the 200k corpus this keeps a two-word query at the cost of one
/// without the boost.
const RERANK_DEPTH: usize = 100;

/// Adds the scores of the `proximity` queries to each hit they match and
/// sorts the hits again: the scores they would have with the queries as
/// optional clauses, for these hits only.
fn rerank(
    searcher: &Searcher,
    proximity: &[Box<dyn Query>],
    mut hits: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>> {
    // A scorer only moves forward: each segment's hits in doc order.
    hits.sort_by_key(|&(_, a)| a);
    for q in proximity {
        let weight = q.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut i = 0;
        while i < hits.len() {
            let seg = hits[i].1.segment_ord;
            let mut scorer = weight.scorer(searcher.segment_reader(seg), 1.0)?;
            // `seek_danger` checks the phrase at one document, where `seek`
            // would read on to the next document that has it. No document
            // below `floor` can match, and `seek_danger` is only called at or
            // above it, as its contract asks.
            let mut floor = scorer.doc();
            while let Some((score, addr)) = hits.get_mut(i).filter(|h| h.1.segment_ord == seg) {
                if addr.doc_id >= floor {
                    match scorer.seek_danger(addr.doc_id) {
                        SeekDangerResult::Found => {
                            *score += scorer.score();
                            floor = addr.doc_id + 1;
                        }
                        SeekDangerResult::SeekLowerBound(next) => floor = next,
                    }
                }
                i += 1;
            }
        }
    }
    // Ties keep index order, as TopDocs orders them.
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(hits)
}

/// The query's words as one phrase, for the proximity boost: only for two to
/// four plain words, where side by side most often means one subject
/// ("oil prices", "digital music"). Text with quotes or operators is left as
/// the user wrote it.
fn proximity_phrase(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let plain = |w: &&str| {
        !matches!(*w, "OR" | "AND" | "NOT")
            && w.chars().next().is_some_and(char::is_alphanumeric)
            && w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '.'))
    };
    ((2..=4).contains(&words.len()) && words.iter().all(plain))
        .then(|| format!("\"{}\"", words.join(" ")))
}

/// How much being about an entity adds to an article's score: enough to put
/// articles about it ahead of passing mentions with similar keyword scores.
const SALIENT_BOOST: f32 = 2.0;

/// The index term for an entity name: its canonical form, lowercased.
fn entity_term(name: &str) -> String {
    // The index holds names with a straight apostrophe.
    let name = name.replace('’', "'");
    entities::canonical(&name)
        .map(|(c, _)| c)
        .unwrap_or(&name)
        .to_lowercase()
}

/// A query for articles naming an entity, articles about it first. A single
/// word also finds the people it is the surname of ("Putin" → "Vladimir
/// Putin"); organisations and places are found by their gazetteer aliases.
fn entity_query(fields: &Fields, kind: Option<EntityKind>, name: &str) -> Box<dyn Query> {
    let term = entity_term(name);
    // The name as typed too, where an alias would take it elsewhere: a club
    // is indexed as written ("Newcastle"), while the place alias makes
    // `newcastle upon tyne` of it.
    let typed = name.trim().replace('’', "'").to_lowercase();
    let one_word = !term.contains(' ');
    let lookup = |field: Field, text: &str| -> (Occur, Box<dyn Query>) {
        (
            Occur::Should,
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            )),
        )
    };
    let one = |k: EntityKind| -> Box<dyn Query> {
        let mut named = vec![lookup(fields.entity_field(k), &term)];
        let mut about = vec![lookup(fields.salient, &schema::salient_term(k, &term))];
        if typed != term && !typed.is_empty() {
            named.push(lookup(fields.entity_field(k), &typed));
            about.push(lookup(fields.salient, &schema::salient_term(k, &typed)));
        }
        if one_word && k == EntityKind::Person {
            named.push(lookup(fields.surname, &term));
            about.push(lookup(fields.salient, &schema::salient_surname_term(&term)));
        }
        if k == EntityKind::Person {
            // A surname with its particle ("van Dam", "de la Cruz") finds the
            // full names that end with it, as a one-word surname does.
            let words: Vec<&str> = term.split(' ').collect();
            if words.len() >= 2
                && words[..words.len() - 1]
                    .iter()
                    .all(|w| entities::is_particle(w))
            {
                let escaped: String = term
                    .chars()
                    .flat_map(|c| {
                        let meta = c.is_ascii_punctuation();
                        meta.then_some('\\').into_iter().chain([c])
                    })
                    .collect();
                if let Ok(q) =
                    RegexQuery::from_pattern(&format!(".+ {escaped}"), fields.entity_field(k))
                {
                    named.push((Occur::Should, Box::new(q)));
                }
            }
        }
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::new(named)) as Box<dyn Query>,
            ),
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(BooleanQuery::new(about)),
                    SALIENT_BOOST,
                )),
            ),
        ]))
    };
    match kind {
        Some(k) => one(k),
        None => Box::new(BooleanQuery::new(
            EntityKind::ALL
                .iter()
                .map(|k| (Occur::Should, one(*k)))
                .collect(),
        )),
    }
}

/// The words of an entity's name (as typed and in canonical form) as optional
/// keywords: every article an entity filter passes names the entity, and
/// these rank the ones that talk about it most, in the title above all,
/// first. Without them all the articles about an entity scored the same (the
/// entity fields hold one posting per article), and their order was the
/// index's: on 30 judged entity needs over the BBC articles, nDCG@5 of the
/// entity operator went from 0.80 to that of plain keywords or better.
fn name_words(index: &Index, fields: &Fields, name: &str) -> Option<Box<dyn Query>> {
    let canonical = entities::canonical(name).map_or(name, |(c, _)| c);
    let mut words: Vec<&str> = Vec::new();
    for w in name
        .split(|c: char| !c.is_alphanumeric())
        .chain(canonical.split(|c: char| !c.is_alphanumeric()))
    {
        if !w.is_empty() && !words.iter().any(|x| x.eq_ignore_ascii_case(w)) {
            words.push(w);
        }
    }
    if words.is_empty() {
        return None;
    }
    keyword_parser(index, fields)
        .parse_query(&words.join(" "))
        .ok()
}

/// An excluded word or phrase (`-"peace talks"`, `-well-known`). tantivy's
/// exclusion asks its scorer about documents below the one the scorer
/// stands on (a phrase scorer starts on its first match), which tantivy
/// 0.27's phrase scorer asserts against: a panic in debug builds, found by
/// fuzzing searches (tantivy issue 2811). This scorer answers those
/// questions itself: a document it has moved past has no match.
#[derive(Debug)]
struct Excluded(Box<dyn Query>);

/// A boost over a group that excludes something (`(talks -well-known)^2`)
/// hides the exclusion from [`guard_exclusions`]: tantivy's boost query does
/// not show what it wraps. Such a query is refused, with a way around it.
fn refuse_boosted_exclusions(text: &str) -> Result<()> {
    use tantivy::query_grammar::{parse_query, UserInputAst};
    fn excludes(ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Clause(clauses) => clauses
                .iter()
                .any(|(occur, sub)| *occur == Some(Occur::MustNot) || excludes(sub)),
            UserInputAst::Boost(inner, _) => excludes(inner),
            UserInputAst::Leaf(_) => false,
        }
    }
    fn boosted_exclusion(ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Clause(clauses) => clauses.iter().any(|(_, sub)| boosted_exclusion(sub)),
            UserInputAst::Boost(inner, _) => excludes(inner),
            UserInputAst::Leaf(_) => false,
        }
    }
    if !text.contains('^') {
        return Ok(());
    }
    // Text tantivy cannot parse fails later, with its own message.
    match parse_query(text) {
        Ok(ast) if boosted_exclusion(&ast) => Err(Error::Query(format!(
            "a boost (^) cannot cover an exclusion (-) in `{text}`; move the exclusion out of the boosted group"
        ))),
        _ => Ok(()),
    }
}

/// `q` with each of its excluded clauses ("talks -well-known", which
/// tantivy's parser reads) made an [`Excluded`].
fn guard_exclusions(q: Box<dyn Query>) -> Box<dyn Query> {
    let Some(b) = q.downcast_ref::<BooleanQuery>() else {
        return q;
    };
    let clauses = b
        .clauses()
        .iter()
        .map(|(occur, sub)| {
            let sub = guard_exclusions(sub.box_clone());
            let sub = match occur {
                // Its own exclusions too: `port -(talks -well-known)`.
                Occur::MustNot => Box::new(Excluded(sub)),
                _ => sub,
            };
            (*occur, sub)
        })
        .collect();
    let mut guarded = BooleanQuery::new(clauses);
    guarded.set_minimum_number_should_match(b.get_minimum_number_should_match());
    Box::new(guarded)
}

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }

    /// None: snippets highlight the terms a query reports, and an excluded
    /// word in a hit (`port -"night shift"` finds *night* apart from
    /// *shift*) is not what the reader searched for.
    fn query_terms<'a>(&'a self, _visitor: &mut dyn FnMut(&'a Term, bool)) {}
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: f32) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.0.scorer(reader, boost)?;
        // tantivy drops an exclusion that matches nothing, and excludes
        // everything for one that matches all, when it can tell.
        if scorer.is::<EmptyScorer>() || scorer.is::<AllScorer>() {
            return Ok(scorer);
        }
        let floor = scorer.doc();
        Ok(Box::new(ForwardScorer {
            inner: scorer,
            floor,
            bound: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer never asked about a document below the lowest one it can still
/// match (`floor`): below it, it answers "no match" itself.
struct ForwardScorer {
    inner: Box<dyn Scorer>,
    floor: DocId,
    /// `floor` is a bound from `seek_danger`, not a document that matches.
    bound: bool,
}

impl DocSet for ForwardScorer {
    fn advance(&mut self) -> DocId {
        self.bound = false;
        self.floor = self.inner.advance();
        self.floor
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target > self.floor || self.bound {
            self.bound = false;
            self.floor = self.inner.seek(target.max(self.floor));
        }
        self.floor
    }

    // Kept, rather than `DocSet`'s default of seeking, because a phrase
    // checks only the document asked about where a seek reads on to the next
    // one that has the phrase.
    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target < self.floor {
            return SeekDangerResult::SeekLowerBound(self.floor);
        }
        let found = self.inner.seek_danger(target);
        (self.floor, self.bound) = match found {
            SeekDangerResult::Found => (target, false),
            SeekDangerResult::SeekLowerBound(next) => (next, true),
        };
        found
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for ForwardScorer {
    fn score(&mut self) -> f32 {
        self.inner.score()
    }
}

/// tantivy's parser over the text fields, the title weighted as byline ranks.
fn keyword_parser(index: &Index, fields: &Fields) -> QueryParser {
    let mut qp = QueryParser::for_index(index, vec![fields.title, fields.standfirst, fields.body]);
    qp.set_field_boost(fields.title, 3.0);
    qp.set_field_boost(fields.standfirst, 1.5);
    qp
}

/// Entity queries for runs of one to three keywords that name an entity the
/// index knows ("Putin peace talks" → person `putin`).
fn named_entities(searcher: &Searcher, fields: &Fields, text: &str) -> Result<Vec<Box<dyn Query>>> {
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !w.contains(':') && *w != "OR" && *w != "AND")
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for n in (1..=3).rev() {
        for gram in words.windows(n) {
            let name = entity_term(&gram.join(" "));
            if !seen.insert(name.clone()) {
                continue;
            }
            let mut terms: Vec<String> = EntityKind::ALL
                .iter()
                .map(|k| schema::salient_term(*k, &name))
                .collect();
            if n == 1 {
                terms.push(schema::salient_surname_term(&name));
            }
            for t in terms {
                let term = Term::from_field_text(fields.salient, &t);
                if searcher.doc_freq(&term)? > 0 {
                    out.push(Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                        SALIENT_BOOST,
                    )));
                }
            }
        }
    }
    Ok(out)
}

/// Reads the published date column of a segment as Unix seconds.
fn date_reader(segment: &SegmentReader) -> impl Fn(tantivy::DocId) -> Option<i64> {
    let col = segment.fast_fields().date(field::PUBLISHED).ok();
    move |doc| {
        col.as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs())
    }
}

/// Counts the matching articles per entity.
pub(crate) fn top_entities(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    limit: usize,
) -> Result<facets::TopEntities> {
    let compiled = compile(index, searcher, fields, &req.query, req.since, req.until)?;
    let hits = compiled.search(searcher, facets::HitSets)?;
    let articles = hits.iter().map(|h| h.2).sum();
    let mut counts: facets::Counts = Default::default();
    // Articles read back for the names' spelling, each enriched once.
    let mut read: HashMap<DocAddress, crate::article::Article> = HashMap::new();
    for (kind, into) in EntityKind::ALL.iter().zip(counts.iter_mut()) {
        let mut terms: Vec<(Vec<u8>, (u64, DocAddress))> =
            facets::count_terms(searcher, fields.entity_field(*kind), &hits)?
                .into_iter()
                .collect();
        terms.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
        terms.truncate(limit);
        for (term, (n, addr)) in terms {
            let term = String::from_utf8_lossy(&term).into_owned();
            let a = match read.entry(addr) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let doc: TantivyDocument = searcher.doc(addr)?;
                    let mut a = fields.to_article(&doc);
                    crate::enrich::enrich(&mut a);
                    e.insert(a)
                }
            };
            let named = a
                .entities(*kind)
                .iter()
                .find(|e| lowercase(&e.name) == term)
                .map(|e| e.name.clone());
            // An index built by another version may name it otherwise.
            into.insert(named.unwrap_or(term), n);
        }
    }
    Ok(facets::TopEntities::from_counts(articles, counts, limit))
}

/// A name as the index holds it: lowercased character by character, as
/// tantivy's `LowerCaser` does.
fn lowercase(name: &str) -> String {
    name.chars().flat_map(char::to_lowercase).collect()
}

/// Counts the matching articles per bucket of time.
pub(crate) fn timeline(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    by: timeline::Granularity,
) -> Result<timeline::Timeline> {
    let compiled = compile(index, searcher, fields, &req.query, req.since, req.until)?;
    let (days, undated) = compiled.search(searcher, timeline::DayCounter)?;
    Ok(timeline::Timeline::from_days(&days, undated, by))
}

/// Runs a search.
pub(crate) fn run(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
) -> Result<SearchResults> {
    let parsed = parse(&req.query, req.since, req.until)?;
    let compiled = compile_parsed(index, searcher, fields, &parsed)?;
    // No page is larger than the index: a collector sized by the request
    // alone (`-n 18446744073709551615`) failed to allocate.
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = req.limit.clamp(1, docs.max(1));
    let offset = req.offset.min(docs);
    let top = TopDocs::with_limit(limit).and_offset(offset);
    // A filter-only query has no relevance to rank by: newest first.
    let sort = if !compiled.ranked && req.sort == Sort::Relevance {
        Sort::Date
    } else {
        req.sort
    };
    let (scored, total): (Vec<(f32, DocAddress)>, usize) = match sort {
        Sort::Relevance if compiled.proximity.is_empty() => {
            compiled.search(searcher, (top.order_by_score(), Count))?
        }
        Sort::Relevance => {
            let depth = RERANK_DEPTH.max(offset + limit);
            let (mut best, total) = compiled.search(
                searcher,
                (TopDocs::with_limit(depth).order_by_score(), Count),
            )?;
            // Always the same top re-scored, whatever the page: re-scoring
            // down to the page's end reordered the list each page is cut
            // from, so deep pages repeated articles and skipped others.
            let rest = best.split_off(best.len().min(RERANK_DEPTH));
            let mut ranked = rerank(searcher, &compiled.proximity, best)?;
            ranked.extend(rest);
            let page = ranked.into_iter().skip(offset).take(limit).collect();
            (page, total)
        }
        Sort::Date => {
            let (docs, total) = compiled.search(
                searcher,
                (
                    top.tweak_score(|seg: &SegmentReader| {
                        let date = date_reader(seg);
                        move |doc, score| (date(doc).unwrap_or(i64::MIN), score)
                    }),
                    Count,
                ),
            )?;
            (docs.into_iter().map(|((_, s), a)| (s, a)).collect(), total)
        }
        Sort::Recent => {
            // Recency can lift any match into the page, so here the boost
            // goes into the query itself.
            let boosted;
            let compiled = if compiled.proximity.is_empty() {
                &compiled
            } else {
                let mut clauses = vec![(Occur::Must, compiled.query.box_clone())];
                clauses.extend(
                    compiled
                        .proximity
                        .iter()
                        .map(|q| (Occur::Should, q.box_clone())),
                );
                boosted = Compiled {
                    query: Box::new(BooleanQuery::new(clauses)),
                    keywords: None,
                    proximity: Vec::new(),
                    dates: compiled.dates,
                    ranked: compiled.ranked,
                };
                &boosted
            };
            let days = req.half_life_days;
            if !(days.is_finite() && days > 0.0) {
                return Err(Error::Query(format!(
                    "the half-life must be a positive number of days, got {days}"
                )));
            }
            let now = Timestamp::now().as_second();
            let half_life = days * 86_400.0;
            let (docs, total) = compiled.search(
                searcher,
                (
                    top.tweak_score(move |seg: &SegmentReader| {
                        let date = date_reader(seg);
                        // Dated articles first, by the log of score × ½^(age
                        // / half-life): the product itself underflows to 0
                        // for articles a few years old. Undated ones follow.
                        move |doc, score: f32| match date(doc) {
                            Some(d) => {
                                let age = (now - d).max(0) as f64;
                                let log = f64::from(score.max(f32::MIN_POSITIVE)).ln();
                                (true, log - age / half_life * std::f64::consts::LN_2)
                            }
                            None => (false, f64::from(score)),
                        }
                    }),
                    Count,
                ),
            )?;
            let shown = |(dated, key): (bool, f64)| match dated {
                true => key.exp() as f32,
                false => 0.0,
            };
            (
                docs.into_iter().map(|(k, a)| (shown(k), a)).collect(),
                total,
            )
        }
    };
    let snippets = match (&compiled.keywords, req.snippet_chars) {
        (Some(kq), n) if n > 0 => Some(Snippets::new(searcher, &**kq, fields, n)?),
        _ => None,
    };
    // A page of 0 asks only for the total (the collector needs room for 1).
    let mut hits = Vec::with_capacity(scored.len());
    for (score, addr) in scored.into_iter().take(req.limit) {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let mut a = fields.to_article(&doc);
        crate::enrich::enrich(&mut a);
        let snippet = match &snippets {
            Some(s) => s.make(&a.standfirst, &a.body, req.snippet_chars),
            None if req.snippet_chars == 0 => Snippet::default(),
            None => lead(&a.standfirst, &a.body, req.snippet_chars.max(160)),
        };
        hits.push(Hit {
            id: a.id,
            path: a.path,
            url: a.url,
            title: a.title,
            published: a.published,
            date_source: a.date_source,
            byline: a.byline,
            score,
            snippet,
            people: a.people,
            organizations: a.organizations,
            places: a.places,
        });
    }
    let surname_only = surnames::surname_only(index, searcher, fields, &parsed)?;
    Ok(SearchResults {
        total,
        hits,
        surname_only,
    })
}

struct Snippets {
    body: SnippetGenerator,
    standfirst: SnippetGenerator,
}

impl Snippets {
    fn new(searcher: &Searcher, q: &dyn Query, fields: &Fields, chars: usize) -> Result<Self> {
        let make = |f: Field| -> Result<SnippetGenerator> {
            let mut g = SnippetGenerator::create(searcher, q, f)?;
            g.set_max_num_chars(chars);
            Ok(g)
        };
        Ok(Snippets {
            body: make(fields.body)?,
            standfirst: make(fields.standfirst)?,
        })
    }

    fn make(&self, standfirst: &str, body: &str, chars: usize) -> Snippet {
        for (g, text) in [(&self.body, body), (&self.standfirst, standfirst)] {
            let s = g.snippet(text);
            if !s.highlighted().is_empty() {
                let ranges: Vec<(usize, usize)> =
                    s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                return one_line(s.fragment(), &ranges);
            }
        }
        lead(standfirst, body, chars)
    }
}

/// The opening of the article, for hits without a keyword match to show.
fn lead(standfirst: &str, body: &str, chars: usize) -> Snippet {
    let src = if standfirst.is_empty() {
        body
    } else {
        standfirst
    };
    let mut end = src.len();
    if let Some((i, _)) = src.char_indices().nth(chars) {
        end = src[..i].rfind(' ').unwrap_or(i);
    }
    let mut snippet = one_line(&src[..end], &[]);
    if end < src.len() {
        snippet.text.push('…');
    }
    snippet
}

/// Puts a fragment on one line: each run of white space becomes one space,
/// with the highlight ranges moved to match.
fn one_line(text: &str, ranges: &[(usize, usize)]) -> Snippet {
    let mut out = String::with_capacity(text.len());
    // new_at[i]: the offset in `out` of byte i of `text`.
    let mut new_at = vec![0; text.len() + 1];
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        new_at[i] = out.len();
        if c.is_whitespace() {
            if !in_space && !out.is_empty() {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
        let here = out.len();
        new_at[i + 1..i + c.len_utf8()].fill(here);
    }
    new_at[text.len()] = out.len();
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    let highlights = ranges
        .iter()
        .filter(|&&(s, e)| s < e && e <= text.len())
        .map(|&(s, e)| (new_at[s].min(trimmed), new_at[e].min(trimmed)))
        .filter(|(s, e)| s < e)
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An excluded phrase whose first match comes after the first article
    /// matching the rest: tantivy's exclusion asks the phrase's scorer about
    /// that earlier article, which tantivy's own scorer met with a panic in
    /// debug builds.
    #[test]
    fn an_excluded_phrase_matching_later_articles_excludes_them() {
        use tantivy::query::PhraseQuery;
        use tantivy::schema::{Schema, TEXT};
        let mut sb = Schema::builder();
        let text = sb.add_text_field("text", TEXT);
        let index = Index::create_in_ram(sb.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for body in [
            "alpha",
            "alpha gamma",
            "alpha beta gamma",
            "alpha gamma beta",
            "alpha beta gamma",
        ] {
            writer.add_document(tantivy::doc!(text => body)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(text, "beta"),
            Term::from_field_text(text, "gamma"),
        ]));
        let alpha = TermQuery::new(
            Term::from_field_text(text, "alpha"),
            IndexRecordOption::Basic,
        );
        // As byline builds a query of exclusions alone, and as tantivy's
        // parser reads one with words to find.
        let built = BooleanQuery::new(vec![
            (Occur::Must, Box::new(alpha) as Box<dyn Query>),
            (Occur::MustNot, Box::new(Excluded(phrase))),
        ]);
        let parsed = QueryParser::for_index(&index, vec![text])
            .parse_query("alpha -\"beta gamma\"")
            .unwrap();
        // An exclusion inside an excluded group: articles with "gamma" but
        // not "beta gamma" (1 and 3) are left out.
        let nested = QueryParser::for_index(&index, vec![text])
            .parse_query("alpha -(gamma -\"beta gamma\")")
            .unwrap();
        for (query, want) in [
            (Box::new(built) as Box<dyn Query>, vec![0, 1, 3]),
            (guard_exclusions(parsed), vec![0, 1, 3]),
            (guard_exclusions(nested), vec![0, 2, 4]),
        ] {
            let hits = searcher
                .search(&query, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            let mut docs: Vec<u32> = hits.iter().map(|(_, a)| a.doc_id).collect();
            docs.sort();
            assert_eq!(docs, want);
        }
    }

    /// A boost hides what it covers from `guard_exclusions`, so a boost
    /// over an exclusion is refused; boosts elsewhere are not.
    #[test]
    fn a_boost_over_an_exclusion_is_refused() {
        for bad in [
            "(talks -well-known)^2",
            "port (talks -\"well known\")^1.5",
            "((a -b) c)^2",
        ] {
            let err = refuse_boosted_exclusions(bad).unwrap_err().to_string();
            assert!(err.contains("move the exclusion out"), "{bad}: {err}");
        }
        for fine in [
            "talks^2 -well-known",
            "(talks OR port)^2 -strike",
            "talks -well-known",
            "x^",
        ] {
            assert!(refuse_boosted_exclusions(fine).is_ok(), "{fine}");
        }
    }

    /// An index of `n` short articles made of a few words in a shuffled
    /// order, in several segments, so that many articles match two words and
    /// only some have them side by side.
    fn small_index(n: usize) -> (Index, Fields) {
        let fields = Fields::build();
        let index = Index::create_in_ram(fields.schema.clone());
        schema::register_tokenizers(&index);
        let words = [
            "oil", "prices", "rise", "fall", "market", "world", "cup", "final",
        ];
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut x: u64 = 7;
        let mut next = || {
            // xorshift: a fixed pseudo-random sequence.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        for i in 0..n {
            let mut doc = TantivyDocument::default();
            let title: Vec<&str> = (0..3).map(|_| words[next() % words.len()]).collect();
            let body: Vec<&str> = (0..12 + next() % 30)
                .map(|_| words[next() % words.len()])
                .collect();
            doc.add_text(fields.kind, schema::KIND_ARTICLE);
            doc.add_text(fields.id, i.to_string());
            doc.add_text(fields.title, title.join(" "));
            doc.add_text(fields.body, body.join(" "));
            writer.add_document(doc).unwrap();
            if i % 150 == 149 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    #[test]
    fn reranking_scores_as_the_phrase_clause_would() {
        let (index, fields) = small_index(600);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        for q in ["oil prices", "world cup final", "prices oil", "market rise"] {
            let compiled = compile(&index, &searcher, &fields, q, None, None).unwrap();
            assert!(!compiled.proximity.is_empty(), "{q}");
            let all = searcher
                .search(
                    &compiled.query,
                    &TopDocs::with_limit(10_000).order_by_score(),
                )
                .unwrap();
            assert!(all.len() > 100, "{q}: {} matches", all.len());
            let reranked = rerank(&searcher, &compiled.proximity, all.clone()).unwrap();
            let mut clauses = vec![(Occur::Must, compiled.query.box_clone())];
            clauses.extend(
                compiled
                    .proximity
                    .iter()
                    .map(|p| (Occur::Should, p.box_clone())),
            );
            let whole = searcher
                .search(
                    &BooleanQuery::new(clauses),
                    &TopDocs::with_limit(10_000).order_by_score(),
                )
                .unwrap();
            assert_eq!(reranked.len(), whole.len());
            for (a, b) in reranked.iter().zip(&whole) {
                assert!((a.0 - b.0).abs() < 1e-4, "{q}: {a:?} against {b:?}");
            }
            // Some articles gained, or the test shows nothing.
            assert!(reranked.iter().zip(&all).any(|(a, b)| a.1 != b.1), "{q}");
        }
    }

    #[test]
    fn relevance_pages_past_the_reranked_top_neither_repeat_nor_skip() {
        let (index, fields) = small_index(600);
        let searcher = index.reader().unwrap().searcher();
        let req = |limit, offset| SearchRequest {
            limit,
            offset,
            snippet_chars: 0,
            ..SearchRequest::new("oil prices")
        };
        let all = run(&index, &searcher, &fields, &req(10_000, 0)).unwrap();
        assert!(all.total > 2 * RERANK_DEPTH, "{} matches", all.total);
        let whole: Vec<String> = all.hits.iter().map(|h| h.id.clone()).collect();
        for size in [7, 10, 100] {
            let mut paged = Vec::new();
            let mut offset = 0;
            while offset < all.total {
                let page = run(&index, &searcher, &fields, &req(size, offset)).unwrap();
                paged.extend(page.hits.iter().map(|h| h.id.clone()));
                offset += size;
            }
            assert_eq!(paged, whole, "pages of {size}");
        }
    }

    #[test]
    fn snippets_do_not_mark_excluded_words() {
        let (index, fields) = small_index(600);
        let searcher = index.reader().unwrap().searcher();
        let mut req = SearchRequest::new(r#"oil -"prices rise""#);
        req.limit = 50;
        let res = run(&index, &searcher, &fields, &req).unwrap();
        assert!(!res.hits.is_empty());
        let (mut saw_oil, mut saw_prices) = (false, false);
        for h in &res.hits {
            let marked = h.snippet.marked("[", "]");
            assert!(
                !marked.contains("[prices]") && !marked.contains("[rise]"),
                "{marked}"
            );
            saw_oil |= marked.contains("[oil]");
            saw_prices |= marked.contains("prices");
        }
        // The searched word is marked and the excluded ones are there,
        // unmarked, or the test shows nothing.
        assert!(saw_oil && saw_prices);
    }

    #[test]
    fn proximity_phrase_only_for_a_few_plain_words() {
        assert_eq!(
            proximity_phrase("oil prices").as_deref(),
            Some("\"oil prices\"")
        );
        assert_eq!(
            proximity_phrase("  e-mail  spam ").as_deref(),
            Some("\"e-mail spam\"")
        );
        for text in [
            "",
            "oil",
            "one two three four five",
            "oil OR gas",
            "oil -gas",
            "\"oil prices\" rise",
            "oil (gas)",
            "title:oil prices",
        ] {
            assert_eq!(proximity_phrase(text), None, "{text}");
        }
    }
}
