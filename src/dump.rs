//! Every article of an index, read back one at a time: `byline export`,
//! and the feed of another engine. Only the article being read is in
//! memory, so an export of two million articles holds one.

use std::ops::Bound;

use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, RangeQuery, Scorer};
use tantivy::{DocAddress, DocSet, Searcher, Term, TERMINATED};

use crate::article::Article;
use crate::error::Result;
use crate::schema::{self, Fields};

/// The articles of one commit of an index, in the index's order (segment by
/// segment: not by date), as [`crate::Archive::articles`] gives them.
pub struct Articles<'a> {
    searcher: Searcher,
    fields: &'a Fields,
    query: Box<dyn Query>,
    /// The segment being read, and the matches left in it.
    segment: usize,
    scorer: Option<Box<dyn Scorer>>,
}

impl<'a> Articles<'a> {
    /// Every article `searcher` sees, or those published in
    /// `[since, until)` when either is given (undated articles are then
    /// left out, as a date filter leaves them out of a search).
    pub(crate) fn new(
        searcher: Searcher,
        fields: &'a Fields,
        (since, until): (Option<jiff::Timestamp>, Option<jiff::Timestamp>),
    ) -> Self {
        let bound = |t: Option<jiff::Timestamp>, inclusive: bool| match t {
            None => Bound::Unbounded,
            Some(t) => {
                let term =
                    Term::from_field_date_for_search(fields.published, schema::to_tantivy(t));
                match inclusive {
                    true => Bound::Included(term),
                    false => Bound::Excluded(term),
                }
            }
        };
        let query: Box<dyn Query> = match (since, until) {
            (None, None) => Box::new(fields.articles()),
            _ => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(fields.articles()) as Box<dyn Query>),
                (
                    Occur::Must,
                    Box::new(RangeQuery::new(bound(since, true), bound(until, false))),
                ),
            ])),
        };
        Articles {
            searcher,
            fields,
            query,
            segment: 0,
            scorer: None,
        }
    }

    /// The next live match, opening segments as needed.
    fn next_address(&mut self) -> Result<Option<DocAddress>> {
        loop {
            let readers = self.searcher.segment_readers();
            let Some(reader) = readers.get(self.segment) else {
                return Ok(None);
            };
            let scorer = match self.scorer.as_mut() {
                Some(s) => s,
                None => {
                    let weight = self
                        .query
                        .weight(EnableScoring::disabled_from_searcher(&self.searcher))?;
                    self.scorer.insert(weight.scorer(reader, 1.0)?)
                }
            };
            let doc = scorer.doc();
            if doc == TERMINATED {
                self.segment += 1;
                self.scorer = None;
                continue;
            }
            scorer.advance();
            if reader.is_deleted(doc) {
                continue;
            }
            return Ok(Some(DocAddress::new(self.segment as u32, doc)));
        }
    }
}

impl Iterator for Articles<'_> {
    type Item = Result<Article>;

    fn next(&mut self) -> Option<Result<Article>> {
        match self.next_address() {
            Ok(Some(addr)) => Some(crate::lookup::read(&self.searcher, self.fields, addr)),
            Ok(None) => None,
            Err(e) => {
                // One error ends the listing: the segment it came from
                // cannot be read further.
                self.segment = usize::MAX;
                Some(Err(e))
            }
        }
    }
}

/// The articles of one commit with the story each belongs to, for another
/// engine that shows a story once ([`crate::Archive::feed`]).
pub struct Feed<'a> {
    articles: Articles<'a>,
    map: crate::search::storymap::StoryMap,
    /// The id of each story's representative, read once per story.
    ids: std::collections::HashMap<u32, String>,
}

impl<'a> Feed<'a> {
    pub(crate) fn new(articles: Articles<'a>, map: crate::search::storymap::StoryMap) -> Self {
        Feed {
            articles,
            map,
            ids: Default::default(),
        }
    }

    /// The story of the article at `addr`: its representative's id, the
    /// article's own when it has no copies (`own`).
    fn story(&mut self, addr: DocAddress, own: &str) -> Result<String> {
        let Some(story) = self.map.story_of(addr) else {
            return Ok(own.to_string());
        };
        if let Some(id) = self.ids.get(&story) {
            return Ok(id.clone());
        }
        let first = self.map.copies(story).first().copied().unwrap_or(addr);
        let id = match first == addr {
            true => own.to_string(),
            false => {
                let doc: tantivy::TantivyDocument = self.articles.searcher.doc(first)?;
                self.articles.fields.to_article(&doc).id
            }
        };
        self.ids.insert(story, id.clone());
        Ok(id)
    }
}

impl Iterator for Feed<'_> {
    /// An article and its story's id.
    type Item = Result<(Article, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        let addr = match self.articles.next_address() {
            Ok(Some(addr)) => addr,
            Ok(None) => return None,
            Err(e) => {
                self.articles.segment = usize::MAX;
                return Some(Err(e));
            }
        };
        let article = match crate::lookup::read(&self.articles.searcher, self.articles.fields, addr)
        {
            Ok(a) => a,
            Err(e) => return Some(Err(e)),
        };
        Some(self.story(addr, &article.id).map(|s| (article, s)))
    }
}
