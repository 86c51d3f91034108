//! Snippets: the excerpt shown under each hit, with the query's words marked,
//! or the article's opening when no keyword matched (filter-only queries).

use std::collections::HashMap;
use std::ops::Range;

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::Searcher;

use super::Snippet;
use crate::error::Result;
use crate::schema::Fields;

/// The keyword query's snippet generators, built once per search and used
/// for every hit of the page.
pub(super) struct Snippets {
    body: Finder,
    standfirst: Finder,
    /// For the languages with a stemmer of their own whose field the query
    /// searches: their code and a generator that marks the words of an
    /// article in that language as its own stemmer matched them
    /// ("Verhandlungen" for `Verhandlung`, which English stems apart).
    stemmed: Vec<(&'static str, SnippetGenerator)>,
}

impl Snippets {
    pub(super) fn new(
        searcher: &Searcher,
        q: &dyn Query,
        fields: &Fields,
        chars: usize,
    ) -> Result<Self> {
        let make = |f: Field| -> Result<SnippetGenerator> {
            let mut g = SnippetGenerator::create(searcher, q, f)?;
            g.set_max_num_chars(chars);
            Ok(g)
        };
        let mut stemmed = Vec::new();
        for (language, field) in crate::lang::STEMMED.iter().zip(&fields.stemmed) {
            let mut searched = false;
            q.query_terms(&mut |term, _| searched |= term.field() == *field);
            if searched {
                stemmed.push((language.code, make(*field)?));
            }
        }
        Ok(Snippets {
            body: Finder::new(searcher, q, fields.body, chars)?,
            standfirst: Finder::new(searcher, q, fields.standfirst, chars)?,
            stemmed,
        })
    }

    /// The snippet of an article in `language`.
    pub(super) fn make(
        &self,
        standfirst: &str,
        body: &str,
        language: Option<&str>,
        chars: usize,
    ) -> Snippet {
        let own = self
            .stemmed
            .iter()
            .find(|(code, _)| Some(*code) == language)
            .map(|(_, g)| g);
        if let Some(g) = own {
            for text in [body, standfirst] {
                let s = g.snippet(text);
                if !s.highlighted().is_empty() {
                    let ranges: Vec<(usize, usize)> =
                        s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                    return one_line(s.fragment(), &ranges);
                }
            }
        }
        for (finder, text) in [(&self.body, body), (&self.standfirst, standfirst)] {
            if let Some((fragment, ranges)) = finder.best_fragment(text) {
                return one_line(&text[fragment], &ranges);
            }
        }
        lead(standfirst, body, chars)
    }
}

/// Byte ranges of the words a snippet marks.
type Marks = Vec<(usize, usize)>;

/// Finds the best fragment of an English text for a query's terms in one
/// field, as tantivy's `SnippetGenerator` does (the same fragments, scores
/// and ties), with a tokenizer that stems only the words that could be one
/// of the terms ([`EnglishTokenizer::finding`]).
///
/// [`EnglishTokenizer::finding`]: crate::stem::EnglishTokenizer::finding
struct Finder {
    /// Each term the query searches the field for that the index has, with
    /// its weight: rarer terms weigh more (1 / (1 + articles)).
    terms: HashMap<String, f32>,
    tokenizer: TextAnalyzer,
    chars: usize,
}

impl Finder {
    fn new(searcher: &Searcher, q: &dyn Query, field: Field, chars: usize) -> Result<Finder> {
        let mut wanted = Vec::new();
        q.query_terms(&mut |term, _| {
            if term.field() == field {
                wanted.push(term.clone());
            }
        });
        let mut terms = HashMap::new();
        for term in wanted {
            let value = term.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let articles = searcher.doc_freq(&term)?;
            if articles > 0 {
                terms.insert(text.to_string(), 1.0 / (1.0 + articles as f32));
            }
        }
        Ok(Finder::of(terms, chars))
    }

    /// A finder of `terms` (index words) with their weights.
    fn of(terms: HashMap<String, f32>, chars: usize) -> Finder {
        let tokenizer = TextAnalyzer::from(crate::stem::EnglishTokenizer::finding(
            terms.keys().map(|t| t.as_str()),
        ));
        Finder {
            terms,
            tokenizer,
            chars,
        }
    }

    /// The byte range of the best fragment of `text` (at most `chars`
    /// bytes from its first word to its last), and the ranges of the terms
    /// in it, relative to its start; `None` when no term is in `text`.
    ///
    /// The text is cut into fragments as it is read: a word that would take
    /// the current fragment past `chars` starts the next one. The fragment
    /// whose terms weigh most wins, the earliest of equals.
    fn best_fragment(&self, text: &str) -> Option<(Range<usize>, Marks)> {
        if self.terms.is_empty() {
            return None;
        }
        let mut best: Option<(f32, Range<usize>, Marks)> = None;
        let mut start = 0;
        let mut stop = 0;
        let mut score = 0.0;
        let mut marks: Marks = Vec::new();
        let mut close = |score: f32, range: Range<usize>, marks: &mut Marks| {
            if score > 0.0 && best.as_ref().is_none_or(|(b, _, _)| score > *b) {
                let at = range.start;
                let rel = marks.iter().map(|&(s, e)| (s - at, e - at)).collect();
                best = Some((score, range, rel));
            }
            marks.clear();
        };
        let mut tokenizer = self.tokenizer.clone();
        let mut stream = tokenizer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.offset_to - start > self.chars {
                close(score, start..stop, &mut marks);
                (start, score) = (token.offset_from, 0.0);
            }
            stop = token.offset_to;
            if token.text.is_empty() {
                continue;
            }
            if let Some(&weight) = self.terms.get(&token.text) {
                score += weight;
                marks.push((token.offset_from, token.offset_to));
            }
        }
        close(score, start..stop, &mut marks);
        best.map(|(_, range, marks)| (range, marks))
    }
}

/// The snippet of an article for the index words `terms`, all of one
/// weight, or its opening when none is in it: for the hits of an engine
/// that cannot make byline's snippets (`crate::quickwit`).
pub(crate) fn of_terms(terms: &[String], standfirst: &str, body: &str, chars: usize) -> Snippet {
    let finder = Finder::of(terms.iter().map(|t| (t.clone(), 1.0)).collect(), chars);
    for text in [body, standfirst] {
        if let Some((fragment, ranges)) = finder.best_fragment(text) {
            return one_line(&text[fragment], &ranges);
        }
    }
    lead(standfirst, body, chars)
}

/// The opening of the article, for hits without a keyword match to show.
pub(super) fn lead(standfirst: &str, body: &str, chars: usize) -> Snippet {
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
