//! "Did you mean": when a query finds little, a respelling of its words
//! that the archive uses far more often (`Reagen` → `Reagan`), and what the
//! respelt query finds.
//!
//! Only plain words are respelt: not phrases, fields, filters, exclusions,
//! prefixes or fuzzy terms, which the user wrote with care. A word's
//! neighbours are the index words within one edit of its stem or of the
//! word itself (two for words of eight letters or more) that the archive
//! writes within as many edits of the word typed; the most frequent of them
//! is suggested when it is at least [`RATIO`] times as frequent as the word
//! ([`RATIO_WHEN_FOUND`] when the archive has the word at all).

use tantivy::collector::Count;
use tantivy::schema::Field;
use tantivy::{Index, Searcher, Term};

use super::compile::compile;
use super::keywords::stem;
use super::spelling::{candidates, closest_first, typed_form, written_near};
use super::{Respelling, SearchRequest, Suggestion};
use crate::error::Result;
use crate::schema::Fields;

/// A query that finds more articles than this gets no suggestion.
pub const SUGGEST_UP_TO: usize = 3;

/// How many times more articles a respelling must be in than the word,
/// for a word no article has.
const RATIO: u64 = 10;

/// The same for a word some article has, which is respelt only as a name
/// the archive writes far more: "Volker" in 1 article as "Volcker" in 124.
const RATIO_WHEN_FOUND: u64 = 50;

/// The near spellings checked against the archive's words, the closest
/// and most frequent first.
const CHECKED: usize = 16;

/// The fewest articles a respelling must be in: a word in one or two
/// articles is as likely a typo as the query's word.
const MIN_ARTICLES: u64 = 3;

/// The shortest word respelt: short words have many neighbours, most of
/// them other words.
const MIN_CHARS: usize = 4;

/// A suggestion for `req`, which found `total` articles.
pub(super) fn suggest(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    total: usize,
) -> Result<Option<Suggestion>> {
    if total > SUGGEST_UP_TO {
        return Ok(None);
    }
    let mut changes = Vec::new();
    let mut query = String::with_capacity(req.query.len());
    let mut last = 0;
    for (at, word) in plain_words(&req.query) {
        if let Some(to) = respell(searcher, fields, word)? {
            query.push_str(&req.query[last..at]);
            query.push_str(&to);
            last = at + word.len();
            changes.push(Respelling {
                from: word.to_string(),
                to,
            });
        }
    }
    if changes.is_empty() {
        return Ok(None);
    }
    query.push_str(&req.query[last..]);
    let found =
        compile(index, searcher, fields, &query, req.since, req.until)?.search(searcher, Count)?;
    Ok((found > total).then_some(Suggestion {
        changes,
        query,
        total: found,
    }))
}

/// The plain words of a query (letters only, outside quotes, not an
/// operator, field, filter or exclusion), each with its byte offset.
fn plain_words(q: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut quoted = false;
    for word in q.split_whitespace() {
        let at = word.as_ptr() as usize - q.as_ptr() as usize;
        let quotes = word.matches('"').count();
        let inside = quoted;
        quoted ^= quotes % 2 == 1;
        if inside || quotes > 0 || word.starts_with('-') || word.contains(':') {
            continue;
        }
        let core =
            word.trim_matches(|c: char| matches!(c, '(' | ')' | '+' | ',' | ';' | '.' | '?' | '!'));
        if core.chars().count() < MIN_CHARS
            || !core.chars().all(char::is_alphabetic)
            || matches!(core, "AND" | "OR" | "NOT")
        {
            continue;
        }
        let lead = core.as_ptr() as usize - word.as_ptr() as usize;
        out.push((at + lead, core));
    }
    out
}

/// The spelling of `word` the archive has far more often, if any, written
/// as the word is (`Reagen` → `Reagan`, `VOLKER` → `VOLCKER`): a word the
/// archive writes (see [`spelling`](super::spelling)), within one edit of
/// the word typed (two for a word of eight letters or more).
fn respell(searcher: &Searcher, fields: &Fields, word: &str) -> Result<Option<String>> {
    let Some(own_stem) = stem(word) else {
        return Ok(None);
    };
    let typed = typed_form(word);
    let articles = |field: Field, t: &str| searcher.doc_freq(&Term::from_field_text(field, t));
    // The articles that write the word as typed: its stem may stand for
    // other words ("goverment" stems to `gover`, as "governess" does).
    let mut own = 0;
    for field in [fields.title, fields.standfirst, fields.body] {
        if written_near(searcher, fields, field, &own_stem, &typed, 0)?.is_some() {
            own = own.max(articles(field, &own_stem)?);
        }
    }
    // A word the archive has is respelt only for a far commoner one: a
    // rare name is as likely right ("Cotis", not "Citis").
    let ratio = if own == 0 { RATIO } else { RATIO_WHEN_FOUND };
    // No word is in more articles than the index holds: a common word
    // ("football" in a query that finds little for its other terms) has no
    // spelling that many times commoner, and looking for one over the
    // whole word list is the dearest part of a search.
    let most: u64 = searcher
        .segment_readers()
        .iter()
        .map(|r| u64::from(r.max_doc()))
        .sum();
    if ratio * own > most {
        return Ok(None);
    }
    let distance = if typed.chars().count() >= 8 { 2 } else { 1 };
    let mut near: std::collections::HashMap<Vec<u8>, u64> = Default::default();
    let found = candidates(searcher, fields.body, &own_stem, &typed, distance)?;
    for (w, n) in found {
        if w != own_stem.as_bytes() {
            near.insert(w, u64::from(n));
        }
    }
    let mut ranked: Vec<(Vec<u8>, u64)> = near
        .into_iter()
        .filter(|(k, n)| {
            std::str::from_utf8(k).is_ok_and(|k| k.chars().all(char::is_alphabetic))
                && *n >= MIN_ARTICLES
                && *n >= ratio * own.max(1)
        })
        .collect();
    closest_first(&mut ranked, &own_stem, &typed);
    let ranked = ranked
        .into_iter()
        .filter_map(|(k, n)| String::from_utf8(k).ok().map(|k| (k, n)));
    // The nearest spelling wins, then one that keeps the first letter
    // (typos seldom change it: "Labout" is "Labour", not "About"), then
    // the most frequent.
    let mut best: Option<(Preference, String)> = None;
    for (candidate, n) in ranked.into_iter().take(CHECKED) {
        let written = written_near(
            searcher,
            fields,
            fields.body,
            &candidate,
            &typed,
            usize::from(distance),
        )?;
        let Some(w) = written.filter(|w| w.word != typed) else {
            continue;
        };
        // A word the archive has is respelt only as a name: "Volker" as
        // "Volcker", never "liver" as "lives" or "Persson" as "person".
        if own > 0 && !w.name {
            continue;
        }
        let key = (
            w.edits,
            first_letter(&w.word) != first_letter(&typed),
            std::cmp::Reverse(n),
        );
        if best.as_ref().is_none_or(|(b, _)| key < *b) {
            best = Some((key, w.word));
        }
    }
    Ok(best.map(|(_, w)| cased_as(word, &w)))
}

/// How a respelling ranks, least first: edits, a changed first letter,
/// fewer articles.
type Preference = (usize, bool, std::cmp::Reverse<u64>);

fn first_letter(w: &str) -> Option<char> {
    w.chars().next()
}

/// `word` (lowercase) in the case `model` is written in: all capitals, a
/// capital first, or lowercase.
fn cased_as(model: &str, word: &str) -> String {
    let letters = || model.chars().filter(|c| c.is_alphabetic());
    if model.chars().count() > 1 && letters().all(char::is_uppercase) {
        return word.to_uppercase();
    }
    if model.chars().next().is_some_and(char::is_uppercase) {
        let mut cs = word.chars();
        return cs
            .next()
            .map(|c| c.to_uppercase().chain(cs).collect())
            .unwrap_or_default();
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_words_are_respelt() {
        let q = "Reagen \"budget vote\" -tax title:ferry (Volker OR AND) on:2025 ab zzz9";
        let words: Vec<&str> = plain_words(q).into_iter().map(|(_, w)| w).collect();
        assert_eq!(words, ["Reagen", "Volker"]);
        let (at, w) = plain_words("  (Volker)")[0];
        assert_eq!(&"  (Volker)"[at..at + w.len()], "Volker");
    }

    #[test]
    fn a_respelling_keeps_the_case_of_the_word() {
        assert_eq!(cased_as("Reagen", "reagan"), "Reagan");
        assert_eq!(cased_as("VOLKER", "volcker"), "VOLCKER");
        assert_eq!(cased_as("volker", "volcker"), "volcker");
    }
}
