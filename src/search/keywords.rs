//! The keyword part of a query, compiled. tantivy's grammar reads it and
//! tantivy's parser compiles words, phrases and fields as before; byline
//! compiles the terms tantivy's parser would get wrong or leave unbounded:
//!
//! - `volck*`: the words of the index that begin with `volck`, the most
//!   frequent [`MAX_PREFIX_WORDS`] of them when there are more (and the
//!   search says so), each scored as a word of the query;
//! - `reagen~` and `reagen~2`: the words within one (or two) edits of it,
//!   the most frequent [`MAX_FUZZY_WORDS`], the word itself scoring above
//!   its neighbours.
//!
//! The index holds stems ("negotiations" as `negoti`), so a prefix matches
//! stems: `negotiat*` also takes the stems a few letters shorter than it
//! that it begins with (`negoti`), as every word beginning with
//! "negotiat" was indexed under one of those or under a stem that begins
//! with the prefix.

use serde::Serialize;
use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::TermDictionary;
use tantivy::{Searcher, Term};

use super::{query, spelling};
use crate::error::{Error, Result};
use crate::schema::{field, Fields};
use crate::stem::EnglishTokenizer;

/// The most words a prefix is searched as. A prefix of two or three letters
/// begins thousands of words in a large archive; searching them all would
/// be slow and rank by words nobody meant.
pub const MAX_PREFIX_WORDS: usize = 128;

/// The most words a fuzzy term is searched as.
pub const MAX_FUZZY_WORDS: usize = 32;

/// The most index words near a fuzzy term whose spellings are checked (see
/// [`spelling`]), the most frequent first: each check reads an article.
const CHECKED_SPELLINGS: usize = 2 * MAX_FUZZY_WORDS;

/// The shortest prefix: one letter begins most of the dictionary.
const MIN_PREFIX_CHARS: usize = 2;

/// How much a near spelling counts beside the word as typed.
const NEAR_SPELLING_BOOST: f32 = 0.5;

/// A prefix or fuzzy term of a query and the index words it was searched as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expansion {
    /// How many index words it matches in all.
    pub matched: usize,
    /// The term as written (`volck*`, `reagen~1`).
    pub pattern: String,
    /// The index words searched (stems, lowercase), most frequent first: all
    /// of `matched`, or the most frequent [`MAX_PREFIX_WORDS`] /
    /// [`MAX_FUZZY_WORDS`].
    pub words: Vec<String>,
}

impl Expansion {
    /// True when the term matched more words than were searched.
    pub fn truncated(&self) -> bool {
        self.matched > self.words.len()
    }
}

/// Compiles keyword text (as [`query::parse`] leaves it) into one query, with
/// the prefix and fuzzy terms it expanded.
pub(super) struct Keywords<'a> {
    pub qp: &'a QueryParser,
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    /// The fields of the archive's other languages a word is searched in
    /// too (see `compile::stemmed_fields`).
    pub stemmed: &'a [Field],
    /// What each prefix and fuzzy term was searched as, in query order.
    pub expansions: Vec<Expansion>,
}

impl Keywords<'_> {
    /// The query for `text`.
    pub fn compile(&mut self, text: &str) -> Result<Box<dyn Query>> {
        let ast = tantivy::query_grammar::parse_query(text).map_err(|_| query::syntax(text))?;
        Ok(self
            .node(ast, text)?
            .unwrap_or_else(|| Box::new(EmptyQuery)))
    }

    /// One node of the query; `None` for one with no words to search (all
    /// punctuation), which tantivy's parser leaves out too.
    fn node(&mut self, ast: UserInputAst, text: &str) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Clause(subs) => {
                let mut clauses = Vec::with_capacity(subs.len());
                for (occur, sub) in subs {
                    if let Some(q) = self.node(sub, text)? {
                        // All words required, as `set_conjunction_by_default`.
                        clauses.push((occur.unwrap_or(Occur::Must), q));
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    return Err(query::explain(
                        &tantivy::query::QueryParserError::AllButQueryForbidden,
                        text,
                    ));
                }
                if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
                    return Ok(clauses.pop().map(|(_, q)| q));
                }
                Ok(Some(Box::new(BooleanQuery::new(clauses))))
            }
            UserInputAst::Boost(inner, boost) => Ok(self.node(*inner, text)?.map(|q| {
                Box::new(BoostQuery::new(q, boost.into_inner() as f32)) as Box<dyn Query>
            })),
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(lit) if lit.delimiter == Delimiter::None => {
                    match affix(&lit.phrase) {
                        Some(Affix::Prefix(w)) => self.prefix(&lit, w).map(Some),
                        Some(Affix::Fuzzy(w, d)) => self.fuzzy(&lit, w, d).map(Some),
                        None => self.word(lit, text),
                    }
                }
                other => self.tantivy(other, text),
            },
        }
    }

    /// A plain word as tantivy's parser compiles it: its folded form when it
    /// has accents, which finds it however an article spells it, and then
    /// the word as written as an optional clause, so that the articles that
    /// spell it so rank first.
    fn word(&self, lit: UserInputLiteral, text: &str) -> Result<Option<Box<dyn Query>>> {
        let exact = exact_stem(&lit.phrase)
            .and_then(|e| self.fields_of(&lit).ok().map(|fields| (e, fields)));
        let Some(q) = self.tantivy(UserInputLeaf::Literal(lit), text)? else {
            return Ok(None);
        };
        let Some((exact, fields)) = exact else {
            return Ok(Some(q));
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, q)];
        for (field, boost) in fields {
            let term = TermQuery::new(
                Term::from_field_text(field, &exact),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(term), boost * AS_WRITTEN_BOOST)),
            ));
        }
        Ok(Some(Box::new(BooleanQuery::new(clauses))))
    }

    /// A leaf as tantivy's parser compiles it; `None` when it has no words.
    fn tantivy(&self, leaf: UserInputLeaf, text: &str) -> Result<Option<Box<dyn Query>>> {
        let q = self
            .qp
            .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf)))
            .map_err(|e| query::explain(&e, text))?;
        let empty = q
            .downcast_ref::<BooleanQuery>()
            .is_some_and(|b| b.clauses().is_empty());
        Ok((!empty).then_some(q))
    }

    /// The text fields a literal searches, each with its weight.
    fn fields_of(&self, lit: &UserInputLiteral) -> Result<Vec<(Field, f32)>> {
        let f = self.fields;
        match lit.field_name.as_deref() {
            None => {
                let mut all = vec![(f.title, 3.0), (f.standfirst, 1.5), (f.body, 1.0)];
                all.extend(self.stemmed.iter().map(|s| (*s, 1.0)));
                Ok(all)
            }
            Some(field::TITLE) => Ok(vec![(f.title, 1.0)]),
            Some(field::STANDFIRST) => Ok(vec![(f.standfirst, 1.0)]),
            Some(field::BODY) => Ok(vec![(f.body, 1.0)]),
            Some(field::BYLINE) => Ok(vec![(f.byline, 1.0)]),
            Some(other) => Err(Error::Query(format!(
                "`{other}:{}` cannot take * or ~: they are for words of the text fields ({})",
                lit.phrase,
                [field::TITLE, field::STANDFIRST, field::BODY, field::BYLINE].join(", ")
            ))),
        }
    }

    /// `volck*`: the index words that begin with the prefix.
    fn prefix(&mut self, lit: &UserInputLiteral, word: &str) -> Result<Box<dyn Query>> {
        let pattern = lit.phrase.clone();
        // Folded: the index holds every word's folded form (`sánch*` finds
        // "Sánchez" as `sanchez`).
        let lower = word.to_lowercase();
        let prefix = crate::fold::fold(&lower).unwrap_or(lower);
        if !is_word(&prefix) {
            return Err(Error::Query(format!(
                "`{pattern}`: a prefix is the start of one word (letters and digits)"
            )));
        }
        if prefix.chars().count() < MIN_PREFIX_CHARS {
            return Err(Error::Query(format!(
                "`{pattern}` is too short a prefix: give at least {MIN_PREFIX_CHARS} letters (one letter begins most words of the archive)"
            )));
        }
        let fields = self.fields_of(lit)?;
        // A whole word before the star ("company*") is indexed as its stem
        // (`compani`), which the word does not begin: its stem begins what
        // the word begins.
        // A stem the word begins with ("government" → `govern`) is taken as
        // itself: as a prefix it would take "governor" too.
        let own = stem(&prefix).filter(|s| *s != prefix);
        let mut starts = vec![prefix.clone()];
        starts.extend(own.clone().filter(|s| !prefix.starts_with(s.as_str())));
        let whole = own.filter(|s| prefix.starts_with(s.as_str()));
        let mut words = Vec::new();
        for &(field, _) in &fields {
            for reader in self.searcher.segment_readers() {
                let inverted = reader.inverted_index(field)?;
                let dict = inverted.terms();
                for start in &starts {
                    let mut stream = dict
                        .range()
                        .ge(start.as_bytes())
                        .lt(after_prefix(start.as_bytes()))
                        .into_stream()
                        .map_err(tantivy::TantivyError::from)?;
                    while stream.advance() {
                        words.push((stream.key().to_vec(), stream.value().doc_freq));
                    }
                }
                shorter_stems(dict, &prefix, &mut words)?;
                if let Some(w) = &whole {
                    if let Some(info) = dict
                        .get(w.as_bytes())
                        .map_err(tantivy::TantivyError::from)?
                    {
                        words.push((w.as_bytes().to_vec(), info.doc_freq));
                    }
                }
            }
        }
        Ok(self.expanded(pattern, words, &fields, MAX_PREFIX_WORDS, None))
    }

    /// `reagen~` (one edit) or `reagen~2`: the index words within that many
    /// edits (a transposition is one) of the word's stem.
    fn fuzzy(
        &mut self,
        lit: &UserInputLiteral,
        word: &str,
        distance: u32,
    ) -> Result<Box<dyn Query>> {
        let pattern = lit.phrase.clone();
        if distance > 2 {
            return Err(Error::Query(format!(
                "`{pattern}`: at most ~2 (two letters changed); more matches too many unrelated words"
            )));
        }
        let fields = self.fields_of(lit)?;
        let Some(stem) = stem(word).filter(|_| is_word(word)) else {
            return Err(Error::Query(format!(
                "`{pattern}`: ~ finds near spellings of one word (letters and digits)"
            )));
        };
        let typed = spelling::typed_form(word);
        let shortest = 1 + 2 * distance as usize;
        if typed.chars().count() < shortest {
            return Err(Error::Query(format!(
                "`{pattern}`: a word needs {shortest} letters or more for ~{distance}; a shorter one is near too many others"
            )));
        }
        let mut words = Vec::new();
        for &(field, _) in &fields {
            let own = self.stem_in(field, word).unwrap_or_else(|| stem.clone());
            words.extend(self.near_spellings(field, &own, &typed, distance)?);
        }
        Ok(self.expanded(pattern, words, &fields, MAX_FUZZY_WORDS, Some(&stem)))
    }

    /// The index words of `field` near `own` (the word's stem there) or
    /// near `typed` (the word unstemmed), within `distance` edits, that the
    /// archive writes within `distance` edits of the word typed (see
    /// [`spelling`]), the most frequent first checked; each with its
    /// document frequency.
    fn near_spellings(
        &self,
        field: Field,
        own: &str,
        typed: &str,
        distance: u32,
    ) -> Result<Vec<(Vec<u8>, u32)>> {
        let mut near: std::collections::HashMap<Vec<u8>, u32> = Default::default();
        let found = spelling::candidates(self.searcher, field, own, typed, distance as u8)?;
        for (w, df) in found {
            let n = near.entry(w).or_default();
            *n = (*n).max(df);
        }
        let mut ranked: Vec<(Vec<u8>, u32)> = near.into_iter().collect();
        spelling::closest_first(&mut ranked, own, typed);
        ranked.truncate(CHECKED_SPELLINGS);
        let mut out = Vec::with_capacity(ranked.len());
        for (w, df) in ranked {
            let keep = w == own.as_bytes()
                || match std::str::from_utf8(&w) {
                    Ok(stem) => spelling::written_near(
                        self.searcher,
                        self.fields,
                        field,
                        stem,
                        typed,
                        distance as usize,
                    )?
                    .is_some(),
                    Err(_) => false,
                };
            if keep {
                out.push((w, df));
            }
        }
        Ok(out)
    }

    /// `word` as a stemmed language's field holds it, for such a field.
    fn stem_in(&self, field: Field, word: &str) -> Option<String> {
        let i = self.fields.stemmed.iter().position(|f| *f == field)?;
        let mut analyzer = tantivy::tokenizer::TextAnalyzer::from(
            crate::lang::StemmingTokenizer::new(&crate::lang::STEMMED[i]),
        );
        let mut stream = analyzer.token_stream(word);
        let first = stream.next().map(|t| t.text.clone())?;
        stream.next().is_none().then_some(first)
    }

    /// The query for the words a prefix or fuzzy term matched (with their
    /// document frequencies, a word once per field and segment), the most
    /// frequent `most` of them; `exact` scores above the others.
    fn expanded(
        &mut self,
        pattern: String,
        words: Vec<(Vec<u8>, u32)>,
        fields: &[(Field, f32)],
        most: usize,
        exact: Option<&str>,
    ) -> Box<dyn Query> {
        let mut freq: std::collections::HashMap<Vec<u8>, u64> = Default::default();
        for (w, df) in words {
            *freq.entry(w).or_default() += u64::from(df);
        }
        let mut ranked: Vec<(String, u64)> = freq
            .into_iter()
            .filter_map(|(w, df)| String::from_utf8(w).ok().map(|w| (w, df)))
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let matched = ranked.len();
        ranked.truncate(most);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (w, _) in &ranked {
            let near = if exact.is_some_and(|e| e != w) {
                NEAR_SPELLING_BOOST
            } else {
                1.0
            };
            for &(field, boost) in fields {
                let term = Term::from_field_text(field, w);
                let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), boost * near)),
                ));
            }
        }
        self.expansions.push(Expansion {
            matched,
            pattern,
            words: ranked.into_iter().map(|(w, _)| w).collect(),
        });
        if clauses.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// The index words of `field` within `distance` edits of `stem` (a
/// transposition is one), each with its document frequency, once per
/// segment that has it.
pub(super) fn near_words(
    searcher: &Searcher,
    field: Field,
    stem: &str,
    distance: u8,
) -> Result<Vec<(Vec<u8>, u32)>> {
    let term = Term::from_field_text(field, stem);
    // Built once, not per segment: building the automaton costs more than
    // running it over a segment's words.
    let automaton = FuzzyTermQuery::new(term, distance, true).automaton()?;
    let mut words = Vec::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            words.push((stream.key().to_vec(), stream.value().doc_freq));
        }
    }
    Ok(words)
}

/// `word` as a query searches the text fields for it (lowercased, its
/// accents taken off, stemmed), when it is one token.
pub(super) fn stem(word: &str) -> Option<String> {
    let mut analyzer = tantivy::tokenizer::TextAnalyzer::from(EnglishTokenizer::for_queries());
    let mut stream = analyzer.token_stream(word);
    let first = stream.next().map(|t| t.text.clone())?;
    stream.next().is_none().then_some(first)
}

/// How much a word with accents spelt as the query spells it adds, beside
/// the match on its folded form.
const AS_WRITTEN_BOOST: f32 = 0.5;

/// The index's stem of a one-word `phrase` with accents as written, when
/// the index holds it apart from the folded stem ("Sánchez": `sánchez`).
fn exact_stem(phrase: &str) -> Option<String> {
    if phrase.is_ascii() {
        return None;
    }
    let mut analyzer = tantivy::tokenizer::TextAnalyzer::from(EnglishTokenizer::default());
    let mut stream = analyzer.token_stream(phrase);
    let mut tokens = Vec::new();
    while let Some(t) = stream.next() {
        tokens.push((t.text.clone(), t.position));
    }
    match tokens.as_slice() {
        [(_, p0), (exact, p1)] if p0 == p1 => Some(exact.clone()),
        _ => None,
    }
}

/// True for one word of letters and digits.
fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_alphanumeric)
}

/// The first key after every key that begins with `prefix`.
fn after_prefix(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    // All 0xFF: nothing sorts after it but longer keys, and a prefix of
    // letters is never that.
    vec![u8::MAX; prefix.len() + 1]
}

/// How many letters the stemmer may take off a word within a prefix
/// (negotiat|ions → negoti): Snowball's endings reach two letters into it
/// at most for prefixes a reader cuts at a syllable.
const STEM_INTO_PREFIX: usize = 2;

/// Adds the stems a little shorter than `prefix` that it begins with:
/// words that begin with the prefix were indexed under them
/// ("negotiating" as `negoti` for `negotiat*`).
fn shorter_stems(dict: &TermDictionary, prefix: &str, out: &mut Vec<(Vec<u8>, u32)>) -> Result<()> {
    let n = prefix.chars().count();
    for (cut, _) in prefix
        .char_indices()
        .skip(n.saturating_sub(STEM_INTO_PREFIX).max(4))
    {
        if let Some(info) = dict
            .get(&prefix.as_bytes()[..cut])
            .map_err(tantivy::TantivyError::from)?
        {
            out.push((prefix.as_bytes()[..cut].to_vec(), info.doc_freq));
        }
    }
    Ok(())
}

/// A plain word's `*` or `~` ending: tantivy's grammar keeps both in the
/// word, and its parser would drop them as punctuation.
enum Affix<'a> {
    /// `volck*`: the start of a word.
    Prefix(&'a str),
    /// `reagen~` (one edit, as in Lucene) or `reagen~2`.
    Fuzzy(&'a str, u32),
}

/// The affix of a plain word, if it has one.
fn affix(phrase: &str) -> Option<Affix<'_>> {
    if let Some(w) = phrase.strip_suffix('*') {
        return Some(Affix::Prefix(w));
    }
    let (w, n) = phrase.rsplit_once('~')?;
    let distance = match n {
        "" => 1,
        n if n.bytes().all(|b| b.is_ascii_digit()) => n.parse().unwrap_or(u32::MAX),
        _ => return None,
    };
    (!w.is_empty()).then_some(Affix::Fuzzy(w, distance))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_ending_in_star_or_tilde_is_a_prefix_or_fuzzy_term() {
        assert!(matches!(affix("volck*"), Some(Affix::Prefix("volck"))));
        assert!(matches!(affix("reagen~"), Some(Affix::Fuzzy("reagen", 1))));
        assert!(matches!(affix("reagen~2"), Some(Affix::Fuzzy("reagen", 2))));
        assert!(affix("10~x").is_none());
        assert!(affix("~").is_none());
        assert!(affix("talks").is_none());
    }

    #[test]
    fn the_key_after_a_prefix_ends_the_prefix_range() {
        assert_eq!(after_prefix(b"volck"), b"volcl");
        assert_eq!(after_prefix(b"a\xff"), b"b");
    }
}
