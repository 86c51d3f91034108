//! Entities known by another name in older articles, which a filter on
//! today's name misses.
//!
//! An article published before a rename keeps the name of its time
//! (`crate::enrich::entities::extract_dated`): a 1987 article names
//! Citicorp, and the index holds `citicorp` for it, not `citigroup`. So
//! `org:Citigroup` finds Citigroup's articles only, as the name says; the
//! older ones are counted and the searcher told how to find them, as for a
//! person named by surname alone (`surnames`). They are not added to the
//! hits: Citicorp was one of the two firms that formed Citigroup, and
//! whether its news belongs with Citigroup's is the reader's call.
//!
//! The old name as a filter finds both: the gazetteer maps `Citicorp` to
//! Citigroup, and a filter looks up its name as typed beside the canonical
//! one, so `org:Citicorp` takes the articles of both eras.

use serde::Serialize;
use std::ops::Bound;
use tantivy::collector::Count;

use tantivy::query::{BooleanQuery, InvertedIndexRangeQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Searcher, Term};

use super::compile::{compile_parsed, entity_term, Compiled};
use super::query::ParsedQuery;
use crate::article::EntityKind;
use crate::enrich::entities;
use crate::error::Result;
use crate::schema::Fields;

/// Articles that name an entity a filter asks for by its earlier name,
/// beyond the hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlierName {
    /// The name as the filter gave it (`Citigroup`).
    pub name: String,
    /// Its canonical name today.
    pub current: String,
    /// The name articles of its time give it (`Citicorp`).
    pub earlier: String,
    /// The day today's name took effect (`1998-10-08`): the articles
    /// counted were published before it.
    pub until: String,
    /// Articles that match the rest of the query and name `earlier`, and
    /// not `current`.
    pub articles: usize,
    /// The filter that finds them (`org:Citicorp`).
    pub filter: String,
    /// Whether `filter` also finds the articles naming `current`.
    pub finds_both: bool,
}

/// The earlier-name articles of each positive organisation or place filter
/// of `parsed` (or `entity:`) whose entity was renamed.
pub(crate) fn earlier_names(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    parsed: &ParsedQuery,
) -> Result<Vec<EarlierName>> {
    let mut out = Vec::new();
    let asked: Vec<String> = parsed
        .entities
        .iter()
        .filter(|f| !f.negated)
        .flat_map(|f| [entity_term(&f.name), typed(&f.name)])
        .collect();
    for (i, f) in parsed.entities.iter().enumerate() {
        if f.negated {
            continue;
        }
        let Some((current, kind)) = entities::canonical(&f.name.trim().replace('’', "'")) else {
            continue;
        };
        if f.kind.is_some_and(|k| k != kind) || kind == EntityKind::Person {
            continue;
        }
        let field = fields.entity_field(kind);
        let current_term = current.to_lowercase();
        for earlier in entities::earlier_names(current) {
            let old = earlier.name.to_lowercase();
            // `org:Citicorp`, or both filters: the hits have them already.
            if asked.contains(&old) {
                continue;
            }
            let term = |name: &str| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, name),
                    IndexRecordOption::Basic,
                ))
            };
            if searcher.doc_freq(&Term::from_field_text(field, &old))? == 0 {
                continue;
            }
            let mut rest = parsed.clone();
            rest.entities.remove(i);
            let others = compile_parsed(index, searcher, fields, &rest)?;
            // Published before the change: a historical state named in a
            // later article ("West Germany" in 2005) is no name of its time.
            let before = Box::new(InvertedIndexRangeQuery::new(
                Bound::Unbounded,
                Bound::Excluded(Term::from_field_i64(fields.day, day_number(earlier.until))),
            ));
            let count = Compiled {
                query: Box::new(BooleanQuery::new(vec![
                    (Occur::Must, others.query),
                    (Occur::Must, term(&old)),
                    (Occur::MustNot, term(&current_term)),
                    (Occur::Must, before),
                ])),
                keywords: None,
                proximity: Vec::new(),
                dates: others.dates,
                ranked: false,
                expansions: Vec::new(),
            }
            .search(searcher, Count)?;
            if count == 0 {
                continue;
            }
            let prefix = match f.kind {
                None => "entity",
                Some(EntityKind::Organization) => "org",
                Some(EntityKind::Place) => "place",
                Some(EntityKind::Person) => "person",
            };
            let filter = if earlier.name.contains(char::is_whitespace) {
                format!("{prefix}:\"{}\"", earlier.name)
            } else {
                format!("{prefix}:{}", earlier.name)
            };
            out.push(EarlierName {
                name: f.name.trim().to_string(),
                current: current.to_string(),
                earlier: earlier.name.to_string(),
                until: earlier.until.to_string(),
                articles: count,
                filter,
                // The old name typed is looked up as typed and as the
                // canonical the gazetteer gives it.
                finds_both: entities::canonical(earlier.name).is_some_and(|(c, _)| c == current),
            });
        }
    }
    Ok(out)
}

/// The `day` field's number of a day: days since 1970-01-01 (UTC).
fn day_number(day: jiff::civil::Date) -> i64 {
    jiff::tz::Offset::UTC
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .map_or(0, |t| t.as_second().div_euclid(86_400))
}

/// A filter's name as the index would hold it, were it a canonical name.
fn typed(name: &str) -> String {
    name.trim().replace('’', "'").to_lowercase()
}
