//! People named by surname alone, which a full-name filter misses.
//!
//! Within one article the extractor joins "Mr Blair" to "Tony Blair" when
//! both appear. An article that says only "Mr Blair" holds the person
//! `Blair`, so `person:"Tony Blair"` does not find it: over the BBC corpus
//! that is 13 articles beside 152, and 16 beside 24 for "George W Bush".
//! Across articles a surname may belong to someone else: over the same
//! corpus the one "Hewitt" article is about a minister, not the tennis
//! player named in full in 19, and the one "Wilkinson" is not the rugby
//! player. Nothing in the index tells them apart, so byline does not add
//! these articles to the hits; it counts them and says so, and
//! `person:Blair` finds every Blair.

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Searcher, Term};

use super::compile::{compile_parsed, entity_term, Compiled};
use super::query::ParsedQuery;
use crate::article::EntityKind;
use crate::enrich::entities;
use crate::error::Result;
use crate::schema::Fields;

/// Articles that name by surname alone someone a `person:` filter names in
/// full, beyond the hits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurnameOnly {
    /// The name as the filter gave it.
    pub name: String,
    /// Its surname, from the filter's name (its last word, with a particle
    /// before it: "van Dam"), or from the canonical name when the filter
    /// gave one word.
    pub surname: String,
    /// Articles that match the rest of the query and name a person by this
    /// surname alone.
    pub articles: usize,
    /// Of the articles naming someone with this surname in full, the share
    /// naming this person: how likely a surname alone means them.
    pub share: f32,
}

/// Below this share the surname alone is as likely someone else: no note.
const MIN_SHARE: f32 = 0.5;

/// A surname the archive also uses as a first name ("John", "Charles",
/// "Howard") in more than this many articles per article of the full name
/// may be a first name when it stands alone ("Sir John"): no note. A
/// cautious cut-off: Howard Hughes keeps Michael Howard's "Mr Howard" out.
const MAX_FIRST_NAME_USE: f32 = 0.1;

/// The surname-only articles of each positive full-name person filter of
/// `parsed`, where they are likely to be that person.
pub(crate) fn surname_only(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    parsed: &ParsedQuery,
) -> Result<Vec<SurnameOnly>> {
    let mut out = Vec::new();
    let asked: Vec<String> = parsed
        .entities
        .iter()
        .filter(|f| !f.negated)
        .map(|f| entity_term(&f.name))
        .collect();
    let df = |field, text: &str| searcher.doc_freq(&Term::from_field_text(field, text));
    for (i, f) in parsed.entities.iter().enumerate() {
        if f.negated || !matches!(f.kind, None | Some(EntityKind::Person)) {
            continue;
        }
        let term = entity_term(&f.name);
        let words: Vec<&str> = term.split(' ').collect();
        let [.., before, surname] = words[..] else {
            continue;
        };
        // An article naming only "Van Dam" holds the person `van dam`.
        let with_particle = (words.len() >= 3 && entities::is_particle(before))
            .then(|| format!("{before} {surname}"));
        let alone: Vec<&str> = std::iter::once(surname)
            .chain(with_particle.as_deref())
            .collect();
        // `person:"Tony Blair" person:Blair` already has them.
        if alone.iter().any(|s| asked.iter().any(|a| a == s)) {
            continue;
        }
        let mut named_alone = 0;
        for s in &alone {
            named_alone += df(fields.person, s)?;
        }
        if named_alone == 0 {
            continue;
        }
        let full = df(fields.person, &term)?;
        // Articles naming someone of this surname in full: an article that
        // names only "Van Dam" has it in the surname field too.
        let mut any = df(fields.surname, surname)?;
        if let Some(p) = &with_particle {
            any = any.saturating_sub(df(fields.person, p)?);
        }
        if full == 0 || any == 0 {
            continue;
        }
        let share = (full as f32 / any as f32).min(1.0);
        if share < MIN_SHARE
            || first_name_use(searcher, fields, surname)? as f32 > MAX_FIRST_NAME_USE * full as f32
        {
            continue;
        }
        let mut rest = parsed.clone();
        rest.entities.remove(i);
        let others = compile_parsed(index, searcher, fields, &rest)?;
        let by_surname = Box::new(BooleanQuery::new(
            alone
                .iter()
                .map(|s| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(fields.person, s),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect(),
        ));
        let count = Compiled {
            query: Box::new(BooleanQuery::new(vec![
                (Occur::Must, others.query),
                (Occur::Must, by_surname),
            ])),
            keywords: None,
            proximity: Vec::new(),
            dates: others.dates,
            ranked: false,
            expansions: Vec::new(),
        }
        .search(searcher, Count)?;
        if count > 0 {
            let typed = f.name.trim();
            let typed_words: Vec<&str> = typed.split_whitespace().collect();
            let shown = if typed_words.len() > alone.len() {
                typed_words[typed_words.len() - alone.len()..].join(" ")
            } else {
                alone[alone.len() - 1].to_string()
            };
            out.push(SurnameOnly {
                name: typed.to_string(),
                surname: shown,
                articles: count,
                share,
            });
        }
    }
    Ok(out)
}

/// Articles naming a person whose first word is `word` ("charles kennedy"
/// for `charles`), counted per name: an upper bound, cheap to read from the
/// term dictionary.
fn first_name_use(searcher: &Searcher, fields: &Fields, word: &str) -> Result<u64> {
    // Names starting "word " sort from "word " up to "word!".
    let (from, to) = (format!("{word} "), format!("{word}!"));
    let mut n = 0;
    for segment in searcher.segment_readers() {
        let names = segment.inverted_index(fields.person)?;
        let mut terms = names
            .terms()
            .range()
            .ge(from.as_bytes())
            .lt(to.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            n += u64::from(terms.value().doc_freq);
        }
    }
    Ok(n)
}
