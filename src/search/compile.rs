//! Query compilation: byline's query language, taken apart by [`query`],
//! turned into one tantivy query, with the keyword query snippets highlight
//! from and the phrase queries relevance re-ranks with. Entity filters,
//! entity-aware boosts and date ranges are decided here.
//!
//! [`query`]: super::query

use std::ops::Bound;

use jiff::Timestamp;
use tantivy::collector::{Collector, FilterCollector};
use tantivy::query::{
    BooleanQuery, BoostQuery, InvertedIndexRangeQuery, Occur, Query, QueryParser, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use super::excluded::{guard_exclusions, refuse_boosted_exclusions, Excluded};
use super::keywords::{Expansion, Keywords};
use super::query::{self, ParsedQuery};
use super::stats::ArticleStats;
use crate::article::EntityKind;
use crate::enrich::entities;
use crate::error::Result;
use crate::schema::{self, field, Fields};

/// A query compiled for tantivy, with what snippets need.
pub(super) struct Compiled {
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
    /// What the query's prefix and fuzzy terms were searched as.
    pub expansions: Vec<Expansion>,
}

impl Compiled {
    /// Runs `collector` over the matches, date range applied.
    pub fn search<C>(&self, searcher: &Searcher, collector: C) -> Result<C::Fruit>
    where
        C: Collector + Send + Sync + 'static,
    {
        let stats = ArticleStats::new(searcher)?;
        Ok(match self.dates {
            None => searcher.search_with_statistics_provider(&self.query, &collector, &stats)?,
            Some((from, to)) => searcher.search_with_statistics_provider(
                &self.query,
                &FilterCollector::new(
                    field::PUBLISHED.to_string(),
                    move |d: tantivy::DateTime| {
                        let s = d.into_timestamp_secs();
                        s >= from && s < to
                    },
                    collector,
                ),
                &stats,
            )?,
        })
    }
}

/// Compiles a query string plus a request's date bounds.
pub(super) fn compile(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    q: &str,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> Result<Compiled> {
    compile_parsed(index, searcher, fields, &parse_with_dates(q, since, until)?)
}

/// A query string taken apart, with a request's date bounds applied.
pub(super) fn parse_with_dates(
    q: &str,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> Result<ParsedQuery> {
    let mut parsed = query::parse(q)?;
    parsed.restrict(since, until);
    Ok(parsed)
}

/// Compiles a query taken apart.
pub(super) fn compile_parsed(
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
        let indexed = as_indexed(searcher, fields, f.kind, &f.name)?;
        let name = indexed.as_deref().unwrap_or(&f.name);
        clauses.push((occur, entity_query(fields, f.kind, name)));
        if !f.negated {
            if let Some(q) = name_words(index, fields, name) {
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
    if let Some(q) = language_filter(fields, &parsed.languages) {
        clauses.push((Occur::Must, q));
    }
    if let Some(q) = language_filter(fields, &parsed.not_languages) {
        clauses.push((Occur::MustNot, q));
    }
    let mut proximity = Vec::new();
    let stemmed = stemmed_fields(searcher, fields)?;
    let qp = keyword_parser(index, fields, &stemmed);
    let mut words = Keywords {
        qp: &qp,
        searcher,
        fields,
        stemmed: &stemmed,
        expansions: Vec::new(),
    };
    let keywords = if parsed.is_filter_only() {
        None
    } else {
        let mut qp = keyword_parser(index, fields, &stemmed);
        qp.set_conjunction_by_default();
        refuse_boosted_exclusions(&parsed.text)?;
        let kq = guard_exclusions(words.compile(&parsed.text)?);
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
        let q = words.compile(word)?;
        clauses.push((Occur::MustNot, Box::new(Excluded(guard_exclusions(q)))));
    }
    let expansions = words.expansions;
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
        expansions,
    })
}

/// How much having the query's words side by side adds to an article's
/// score. Titles are short, so one query word in a title outscores every
/// mention in a body, and "world cup" put articles on the Davis Cup first.
/// On the hand-judged BBC queries (`benches/eval/bbc-relevance.jsonl`) this
/// raised nDCG@5 on four of the two-word queries and lowered it on none; a
/// boost of 2 did no better.
const PROXIMITY_BOOST: f32 = 1.0;

/// The query's words as one phrase, for the proximity boost: only for two to
/// four plain words, where side by side most often means one subject
/// ("oil prices", "digital music"). Text with quotes or operators is left as
/// the user wrote it.
pub(crate) fn proximity_phrase(text: &str) -> Option<String> {
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
pub(crate) const SALIENT_BOOST: f32 = 2.0;

/// The index term for an entity name: its canonical form, lowercased.
pub(crate) fn entity_term(name: &str) -> String {
    // The index holds names with a straight apostrophe.
    let name = name.replace('’', "'");
    entities::canonical(&name)
        .map(|(c, _)| c)
        .unwrap_or(&name)
        .to_lowercase()
}

/// An entity filter's name as the index spells it, when the name typed
/// finds nothing and an indexed name differs from it only by accents
/// (`person:Sanchez` for "Sánchez", `place:Gdansk`, `place:Zurich`). The
/// dictionaries of the entity fields are read whole for it, a few
/// milliseconds in a large archive, so only when the name as typed finds
/// nothing.
fn as_indexed(
    searcher: &Searcher,
    fields: &Fields,
    kind: Option<EntityKind>,
    name: &str,
) -> Result<Option<String>> {
    let term = entity_term(name);
    let kinds = match kind {
        Some(k) => vec![k],
        None => EntityKind::ALL.to_vec(),
    };
    let mut look: Vec<Field> = kinds.iter().map(|k| fields.entity_field(*k)).collect();
    if kinds.contains(&EntityKind::Person) && !term.contains(' ') {
        look.push(fields.surname);
    }
    for f in &look {
        if searcher.doc_freq(&Term::from_field_text(*f, &term))? > 0 {
            return Ok(None);
        }
    }
    let folded = crate::fold::fold(&term).unwrap_or_else(|| term.clone());
    // Typed with accents, written without: `person:Sánchez`, "Sanchez".
    if folded != term {
        for f in &look {
            if searcher.doc_freq(&Term::from_field_text(*f, &folded))? > 0 {
                return Ok(Some(folded));
            }
        }
    }
    for f in look {
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(f)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let key = stream.key();
                // Folding never lengthens a name by more than it has letters.
                if key.len() < folded.len() || key.len() > 2 * folded.len() || key.is_ascii() {
                    continue;
                }
                if let Ok(t) = std::str::from_utf8(key) {
                    if crate::fold::fold(t).as_deref() == Some(folded.as_str()) {
                        return Ok(Some(t.to_string()));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// Where an entity filter of one kind looks, as index terms: an article
/// that holds any of `named` names the entity, one that holds any of
/// `about` is about it. Searches here and the Quickwit translation
/// (`crate::quickwit`) both read it, so the two find the same articles.
pub(crate) struct EntityTerms {
    /// The kind's own field (`None`: the surname field) and a term.
    pub named: Vec<(Option<EntityKind>, String)>,
    /// Terms of the `salient` field.
    pub about: Vec<String>,
    /// A surname with its particle ("van dam", "de la cruz"), which finds
    /// the full names that end with it.
    pub particle_surname: Option<String>,
}

/// The terms of an entity filter of kind `k` for `name` (as the index
/// spells it). A single word also finds the people it is the surname of
/// ("Putin" → "Vladimir Putin"); organisations and places are found by
/// their gazetteer aliases.
pub(crate) fn entity_terms(k: EntityKind, name: &str) -> EntityTerms {
    let term = entity_term(name);
    // The name as typed too, where an alias would take it elsewhere: a club
    // is indexed as written ("Newcastle"), while the place alias makes
    // `newcastle upon tyne` of it.
    let typed = name.trim().replace('’', "'").to_lowercase();
    // An organisation as extraction names it: legal form and a leading
    // "The" dropped, -ization ("General Motors Corp" is indexed as "general
    // motors", "The Carrow Group" as "carrow group").
    let org = entities::org_name(&name.trim().replace('’', "'")).to_lowercase();
    let mut named = vec![(Some(k), term.clone())];
    let mut about = vec![schema::salient_term(k, &term)];
    if typed != term && !typed.is_empty() {
        named.push((Some(k), typed.clone()));
        about.push(schema::salient_term(k, &typed));
    }
    if k == EntityKind::Organization && org != term && org != typed && !org.is_empty() {
        named.push((Some(k), org.clone()));
        about.push(schema::salient_term(k, &org));
    }
    if !term.contains(' ') && k == EntityKind::Person {
        named.push((None, term.clone()));
        about.push(schema::salient_surname_term(&term));
    }
    let words: Vec<&str> = term.split(' ').collect();
    let particle_surname = (k == EntityKind::Person
        && words.len() >= 2
        && words[..words.len() - 1]
            .iter()
            .all(|w| entities::is_particle(w)))
    .then(|| term.clone());
    EntityTerms {
        named,
        about,
        particle_surname,
    }
}

/// A query for articles naming an entity, articles about it first (see
/// [`entity_terms`]).
fn entity_query(fields: &Fields, kind: Option<EntityKind>, name: &str) -> Box<dyn Query> {
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
        let terms = entity_terms(k, name);
        let mut named: Vec<(Occur, Box<dyn Query>)> = terms
            .named
            .iter()
            .map(|(kind, t)| match kind {
                Some(kind) => lookup(fields.entity_field(*kind), t),
                None => lookup(fields.surname, t),
            })
            .collect();
        let about = terms
            .about
            .iter()
            .map(|t| lookup(fields.salient, t))
            .collect();
        if let Some(surname) = &terms.particle_surname {
            let escaped: String = surname
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
    let words = name_word_list(name);
    if words.is_empty() {
        return None;
    }
    keyword_parser(index, fields, &[])
        .parse_query(&words.join(" "))
        .ok()
}

/// The words of an entity's name, as typed and in canonical form, once
/// each: any of them ranks an article higher ([`name_words`]).
pub(crate) fn name_word_list(name: &str) -> Vec<&str> {
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
    words
}

/// tantivy's parser over the text fields, the title weighted as byline
/// ranks, and over `stemmed`: the fields of the other languages the
/// archive has articles in, each word stemmed as that language stems it.
fn keyword_parser(index: &Index, fields: &Fields, stemmed: &[Field]) -> QueryParser {
    let mut defaults = vec![fields.title, fields.standfirst, fields.body];
    defaults.extend_from_slice(stemmed);
    let mut qp = QueryParser::new(index.schema(), defaults, schema::query_tokenizers());
    qp.set_field_boost(fields.title, 3.0);
    qp.set_field_boost(fields.standfirst, 1.5);
    qp
}

/// The stemmed-language fields ([`crate::lang::STEMMED`]) of the languages
/// the archive has articles in: an English archive's queries search what
/// they always did, and a mixed one's no more fields than it needs.
///
/// `BYLINE_STEMMING=english` leaves them out, so that every article is
/// searched as English, as before byline knew languages: the switch the
/// multilingual evaluation (`eval/quality/multilingual.py`) compares with.
fn stemmed_fields(searcher: &Searcher, fields: &Fields) -> Result<Vec<Field>> {
    if std::env::var_os("BYLINE_STEMMING").is_some_and(|v| v == "english") {
        return Ok(Vec::new());
    }
    let mut present = vec![false; fields.stemmed.len()];
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(fields.language)?;
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let code = std::str::from_utf8(stream.key()).unwrap_or_default();
            if let Some(i) = crate::lang::STEMMED.iter().position(|l| l.code == code) {
                present[i] = true;
            }
        }
    }
    Ok(fields
        .stemmed
        .iter()
        .zip(present)
        .filter_map(|(f, p)| p.then_some(*f))
        .collect())
}

/// `lang:fr lang:de`: the articles in any of these languages.
fn language_filter(fields: &Fields, codes: &[String]) -> Option<Box<dyn Query>> {
    let terms: Vec<(Occur, Box<dyn Query>)> = codes
        .iter()
        .map(|c| {
            let q = TermQuery::new(
                Term::from_field_text(fields.language, c),
                IndexRecordOption::Basic,
            );
            (Occur::Should, Box::new(q) as Box<dyn Query>)
        })
        .collect();
    match terms.len() {
        0 => None,
        _ => Some(Box::new(BooleanQuery::new(terms))),
    }
}

/// Entity queries for runs of one to three keywords that name an entity the
/// index knows ("Putin peace talks" → person `putin`).
fn named_entities(searcher: &Searcher, fields: &Fields, text: &str) -> Result<Vec<Box<dyn Query>>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for t in named_entity_terms(text) {
        let term = Term::from_field_text(fields.salient, &t);
        if searcher.doc_freq(&term)? > 0 {
            out.push(Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                SALIENT_BOOST,
            )));
        }
    }
    Ok(out)
}

/// The `salient` terms that runs of one to three of the keywords could
/// be, each boosted by [`SALIENT_BOOST`] when an article is about it.
pub(crate) fn named_entity_terms(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !w.contains(':') && *w != "OR" && *w != "AND")
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for n in (1..=3).rev() {
        for gram in words.windows(n) {
            let name = entity_term(&gram.join(" "));
            if !seen.insert(name.clone()) {
                continue;
            }
            out.extend(
                EntityKind::ALL
                    .iter()
                    .map(|k| schema::salient_term(*k, &name)),
            );
            if n == 1 {
                out.push(schema::salient_surname_term(&name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
