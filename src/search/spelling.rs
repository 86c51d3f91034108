//! Near spellings checked on words as the archive writes them.
//!
//! The index holds stems, and two stems a letter apart can come from words
//! far apart: "goverment" stems to `gover`, one edit from `over` and
//! `cover`, whose words are nothing like it. So a near spelling found among
//! the stems (for `reagen~` and for "did you mean") is kept only when the
//! archive writes a word of that stem within the same number of edits of
//! the word typed, read from the first articles that have it ("government" for
//! `govern`). The word typed is also looked up unstemmed, which finds
//! what its stem misses ("sanches", stemmed `sanch`, is one edit from
//! `sanchez`).

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term, TERMINATED};

use crate::error::Result;
use crate::schema::Fields;
use crate::stem::EnglishTokenizer;

/// `word` lowercased and its accents taken off, as the index's folded
/// stems are made, before stemming.
pub(super) fn typed_form(word: &str) -> String {
    let lower = word.to_lowercase();
    crate::fold::fold(&lower).unwrap_or(lower)
}

/// The most articles read for the words a stem stands for: a stem such
/// as `negoti` is written "negotiations", "negotiating" or "negotiate",
/// and the first article may have only one of them.
const ARTICLES_READ: usize = 4;

/// The first articles (at most [`ARTICLES_READ`]) that `field` holds
/// `stem` in.
fn articles_with(searcher: &Searcher, field: Field, stem: &str) -> Result<Vec<DocAddress>> {
    let term = Term::from_field_text(field, stem);
    let mut out = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let inverted = reader.inverted_index(field)?;
        let postings = inverted
            .read_postings(&term, IndexRecordOption::Basic)
            .map_err(tantivy::TantivyError::from)?;
        let Some(mut postings) = postings else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED && out.len() < ARTICLES_READ {
            out.push(DocAddress::new(ord as u32, doc));
            doc = postings.advance();
        }
        if out.len() == ARTICLES_READ {
            break;
        }
    }
    Ok(out)
}

/// A word of the archive near the word typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Written {
    /// The word, lowercase, accents off.
    pub word: String,
    /// Edits from the word typed.
    pub edits: usize,
    /// Written as a name in the article read ("Volcker"): with a capital
    /// inside sentences.
    pub name: bool,
}

/// The words of an article's text that `field` holds under `stem`
/// (lowercase, accents off), each with whether it is written as a name:
/// with a capital wherever it stands inside a sentence, which it does at
/// least once.
fn surfaces(
    searcher: &Searcher,
    fields: &Fields,
    field: Field,
    addr: DocAddress,
    stem: &str,
) -> Result<Vec<(String, bool)>> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let text_of = |f: Field| {
        use tantivy::schema::document::Value;
        doc.get_first(f)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let stemmed = fields.stemmed.iter().position(|f| *f == field);
    let (text, mut analyzer) = match stemmed {
        Some(i) => (
            [fields.title, fields.standfirst, fields.body]
                .map(text_of)
                .join("\n"),
            TextAnalyzer::from(crate::lang::StemmingTokenizer::new(
                &crate::lang::STEMMED[i],
            )),
        ),
        None => (
            text_of(field),
            TextAnalyzer::from(EnglishTokenizer::finding([stem])),
        ),
    };
    // Per word: occurrences inside a sentence, and how many of those start
    // with a capital (a sentence's first word tells nothing).
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    let mut stream = analyzer.token_stream(&text);
    while stream.advance() {
        let t = stream.token();
        if t.text == stem {
            let written = &text[t.offset_from..t.offset_to];
            let before = text[..t.offset_from].trim_end().chars().next_back();
            let inside = before.is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | ';'));
            let capital = written.chars().next().is_some_and(char::is_uppercase);
            let word = typed_form(written);
            let i = match out.iter().position(|(w, _, _)| *w == word) {
                Some(i) => i,
                None => {
                    out.push((word, 0, 0));
                    out.len() - 1
                }
            };
            out[i].1 += usize::from(inside);
            out[i].2 += usize::from(inside && capital);
        }
    }
    Ok(out
        .into_iter()
        .map(|(w, inside, capital)| (w, inside > 0 && capital == inside))
        .collect())
}

/// A word the archive writes under `stem` within `distance` edits of
/// `typed` (see [`typed_form`]), the nearest in the first articles that
/// have one; `None` when they have none.
pub(super) fn written_near(
    searcher: &Searcher,
    fields: &Fields,
    field: Field,
    stem: &str,
    typed: &str,
    distance: usize,
) -> Result<Option<Written>> {
    for addr in articles_with(searcher, field, stem)? {
        let best = surfaces(searcher, fields, field, addr, stem)?
            .into_iter()
            .map(|(word, name)| Written {
                edits: edits(typed, &word),
                word,
                name,
            })
            .min_by_key(|w| w.edits);
        if let Some(w) = best.filter(|w| w.edits <= distance) {
            return Ok(Some(w));
        }
    }
    Ok(None)
}

/// The index words of `field` that may stand for a near spelling of
/// `typed` (its stem there `own`), each once, with the number of articles
/// that have it: the words within one edit more than `distance` of the
/// stem, and within `distance` of the word and of the word with its last
/// one to three letters cut off. A word and its near spelling can have
/// stems further apart than the words: "electon" / "election" stem to
/// `electon` / `elect`, "manchster" / "manchester" to `manchster` /
/// `manchest`. The words they stand for are checked afterwards
/// ([`written_near`]).
pub(super) fn candidates(
    searcher: &Searcher,
    field: Field,
    own: &str,
    typed: &str,
    distance: u8,
) -> Result<Vec<(Vec<u8>, u32)>> {
    let mut found = super::keywords::near_words(searcher, field, own, (distance + 1).min(2))?;
    let chars: Vec<(usize, char)> = typed.char_indices().collect();
    let mut stems = vec![typed.to_string()];
    for cut in 1..=3 {
        if chars.len() > cut + 3 {
            stems.push(typed[..chars[chars.len() - cut].0].to_string());
        }
    }
    for s in stems.iter().filter(|s| s.as_str() != own) {
        found.extend(super::keywords::near_words(searcher, field, s, distance)?);
    }
    // Found once per segment and per word it is near: counted again whole.
    let words: std::collections::BTreeSet<String> = found
        .into_iter()
        .filter_map(|(w, _)| String::from_utf8(w).ok())
        .collect();
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let n = searcher.doc_freq(&Term::from_field_text(field, &w))?;
        out.push((w.into_bytes(), u32::try_from(n).unwrap_or(u32::MAX)));
    }
    Ok(out)
}

/// Sorts index words near a word typed (stem `own`) so that the closest to
/// either come first, then the most frequent: the few checked against the
/// archive's words are then the likeliest.
pub(super) fn closest_first<N: Ord + Copy>(words: &mut [(Vec<u8>, N)], own: &str, typed: &str) {
    words.sort_by_cached_key(|(w, n)| {
        let w = String::from_utf8_lossy(w);
        let near = edits(own, &w).min(edits(typed, &w));
        (near, std::cmp::Reverse(*n), w.into_owned())
    });
}

/// Edits between two words: insertions, deletions, substitutions, and a
/// swap of two neighbouring letters counted as one (as tantivy's fuzzy
/// terms count them).
pub(super) fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_a_swap_as_one() {
        assert_eq!(edits("reagen", "reagan"), 1);
        assert_eq!(edits("goverment", "government"), 1);
        assert_eq!(edits("goverment", "over"), 5);
        assert_eq!(edits("volker", "volcker"), 1);
        assert_eq!(edits("teh", "the"), 1);
        assert_eq!(edits("", "abc"), 3);
        assert_eq!(edits("sánchez", "sanchez"), 1);
    }

    #[test]
    fn typed_words_are_lowercased_and_folded() {
        assert_eq!(typed_form("Sánchez"), "sanchez");
        assert_eq!(typed_form("VOLKER"), "volker");
    }
}
