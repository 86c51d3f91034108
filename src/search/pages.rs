//! A search's hits read back a page at a time, so that an export of every
//! match (`byline search --csv --all`) holds one page of articles in memory,
//! not all of them: ranking keeps only each match's score and address (12
//! bytes), and the articles, snippets and entities of a page are read when
//! the page is asked for.

use std::path::Path;
use std::sync::Arc;

use tantivy::{DocAddress, Searcher};

use super::snippets::{lead, Snippets};
use super::stories::copy_at;
use super::storymap::StoryMap;
use super::{EarlierName, Expansion, Hit, SearchResults, Snippet, Suggestion, SurnameOnly};
use crate::error::Result;
use crate::schema::Fields;

/// The hits of a search, in order, read from the index a page at a time
/// (see [`crate::Archive::search_pages`]); the total and the notes are known
/// before the first page.
pub struct HitPages<'a> {
    /// Number of matching articles (not just those that will be returned).
    pub total: usize,
    /// As [`SearchResults::stories`].
    pub stories: usize,
    /// As [`SearchResults::surname_only`].
    pub surname_only: Vec<SurnameOnly>,
    /// As [`SearchResults::earlier_names`].
    pub earlier_names: Vec<EarlierName>,
    /// As [`SearchResults::expansions`].
    pub expansions: Vec<Expansion>,
    /// As [`SearchResults::suggestion`].
    pub suggestion: Option<Suggestion>,
    searcher: Searcher,
    fields: &'a Fields,
    /// The index folder, to say a read error of its files as damage.
    dir: Option<&'a Path>,
    snippets: Option<Snippets>,
    snippet_chars: usize,
    scored: std::vec::IntoIter<(f32, DocAddress, Option<u32>)>,
    /// The stories the hits' copies are listed from.
    map: Option<Arc<StoryMap>>,
    page_size: usize,
    entities: bool,
    /// Whether each hit carries the article's text ([`Hit::text`]).
    text: bool,
}

/// What ranking hands over: everything but the articles themselves.
pub(crate) struct Ranked<'a> {
    pub(super) total: usize,
    pub(super) stories: usize,
    pub(super) map: Option<Arc<StoryMap>>,
    pub(super) surname_only: Vec<SurnameOnly>,
    pub(super) earlier_names: Vec<EarlierName>,
    pub(super) expansions: Vec<Expansion>,
    pub(super) suggestion: Option<Suggestion>,
    pub(super) searcher: Searcher,
    pub(super) fields: &'a Fields,
    pub(super) snippets: Option<Snippets>,
    pub(super) snippet_chars: usize,
    /// As [`crate::SearchRequest::text`].
    pub(super) text: bool,
    /// The page's matches in order, already cut to the request's limit,
    /// each with its story if it has copies.
    pub(super) scored: Vec<(f32, DocAddress, Option<u32>)>,
}

impl<'a> HitPages<'a> {
    pub(crate) fn new(r: Ranked<'a>, page_size: usize) -> Self {
        HitPages {
            total: r.total,
            stories: r.stories,
            map: r.map,
            surname_only: r.surname_only,
            earlier_names: r.earlier_names,
            expansions: r.expansions,
            suggestion: r.suggestion,
            searcher: r.searcher,
            fields: r.fields,
            dir: None,
            snippets: r.snippets,
            snippet_chars: r.snippet_chars,
            scored: r.scored.into_iter(),
            page_size: page_size.max(1),
            entities: true,
            text: r.text,
        }
    }

    /// Hits without their people, organisations and places, for an export
    /// that shows none of them.
    pub fn without_entities(mut self) -> Self {
        self.entities = false;
        self
    }

    /// Read errors said of the index at `dir`.
    pub(crate) fn at_index(mut self, dir: &'a Path) -> Self {
        self.dir = Some(dir);
        self
    }

    /// How many hits are still to be read.
    pub fn remaining(&self) -> usize {
        self.scored.len()
    }

    /// Reads every remaining page into one [`SearchResults`].
    pub fn into_results(mut self) -> Result<SearchResults> {
        let mut hits = Vec::with_capacity(self.remaining());
        for page in self.by_ref() {
            hits.extend(page?);
        }
        Ok(SearchResults {
            total: self.total,
            stories: self.stories,
            hits,
            surname_only: self.surname_only,
            earlier_names: self.earlier_names,
            expansions: self.expansions,
            suggestion: self.suggestion,
        })
    }

    fn hit(&self, score: f32, addr: DocAddress, story: Option<u32>) -> Result<Hit> {
        let mut copies = Vec::new();
        if let (Some(map), Some(n)) = (&self.map, story) {
            for &c in map.copies(n).iter().filter(|&&c| c != addr) {
                copies.push(copy_at(&self.searcher, self.fields, c)?);
            }
        }
        let mut a = crate::enrich::stored_article(&self.searcher, self.fields, addr)?;
        if !self.entities {
            a.people.clear();
            a.organizations.clear();
            a.places.clear();
        }
        let chars = self.snippet_chars;
        let snippet = match &self.snippets {
            Some(s) => s.make(&a.standfirst, &a.body, a.language.as_deref(), chars),
            None if chars == 0 => Snippet::default(),
            None => lead(&a.standfirst, &a.body, chars.max(160)),
        };
        let text = self.text.then(|| match a.standfirst.is_empty() {
            true => a.body.clone(),
            false => format!("{}\n\n{}", a.standfirst, a.body),
        });
        Ok(Hit {
            text,
            copies,
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
        })
    }
}

impl Iterator for HitPages<'_> {
    type Item = Result<Vec<Hit>>;

    /// The next page of hits (at most the page size), or `None` when all
    /// were read.
    fn next(&mut self) -> Option<Result<Vec<Hit>>> {
        let n = self.page_size.min(self.scored.len());
        if n == 0 {
            return None;
        }
        let mut page = Vec::with_capacity(n);
        for _ in 0..n {
            let (score, addr, story) = self.scored.next()?;
            match self.hit(score, addr, story) {
                Ok(hit) => page.push(hit),
                Err(e) => {
                    // Nothing more after an error: the rest would fail alike.
                    self.scored = Vec::new().into_iter();
                    return Some(Err(match self.dir {
                        Some(dir) => e.at_index(dir),
                        None => e,
                    }));
                }
            }
        }
        Some(Ok(page))
    }
}
