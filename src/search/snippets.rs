//! Snippets: the excerpt shown under each hit, with the query's words marked,
//! or the article's opening when no keyword matched (filter-only queries).

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;

use super::Snippet;
use crate::error::Result;
use crate::schema::Fields;

/// The keyword query's snippet generators, built once per search and used
/// for every hit of the page.
pub(super) struct Snippets {
    body: SnippetGenerator,
    standfirst: SnippetGenerator,
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
            body: make(fields.body)?,
            standfirst: make(fields.standfirst)?,
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
        let mut tries = Vec::with_capacity(4);
        if let Some(g) = own {
            tries.extend([(g, body), (g, standfirst)]);
        }
        tries.extend([(&self.body, body), (&self.standfirst, standfirst)]);
        for (g, text) in tries {
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
