//! The public types of a search: the request, the ordering, and the hits
//! with their snippets. Their JSON forms are what `byline search --json`
//! prints.

use jiff::Timestamp;
use serde::Serialize;

use super::SurnameOnly;
use crate::article::{DateSource, EntityCount};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25, title weighted highest).
    #[default]
    Relevance,
    /// Newest first; undated articles last.
    Date,
    /// Relevance decayed by age: a match loses half its score every
    /// half-life. Undated articles come after all dated ones.
    Recent,
}

/// A search to run against an [`crate::Archive`].
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query in byline's language (see [`query`]).
    pub query: String,
    /// How many hits to return (0: none, only the total).
    pub limit: usize,
    /// How many hits to skip (for paging).
    pub offset: usize,
    /// Ordering.
    pub sort: Sort,
    /// Only articles published at or after this instant.
    pub since: Option<Timestamp>,
    /// Only articles published before this instant.
    pub until: Option<Timestamp>,
    /// Half-life for [`Sort::Recent`], in days.
    pub half_life_days: f64,
    /// Snippet length in characters (0: no snippets).
    pub snippet_chars: usize,
}

impl SearchRequest {
    /// A request for `query` with defaults: 10 hits by relevance, snippets on.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            since: None,
            until: None,
            half_life_days: 30.0,
            snippet_chars: 200,
        }
    }

    /// Sets the number of hits.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = n;
        self
    }

    /// Sets the ordering.
    pub fn sort(mut self, sort: Sort) -> Self {
        self.sort = sort;
        self
    }
}

/// A text excerpt with the matched words marked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The excerpt.
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The excerpt with each match wrapped in `open` and `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 8 * self.highlights.len());
        let mut at = 0;
        for &(s, e) in &self.highlights {
            if s < at || e > self.text.len() {
                continue;
            }
            out.push_str(&self.text[at..s]);
            out.push_str(open);
            out.push_str(&self.text[s..e]);
            out.push_str(close);
            at = e;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Source path (with `#N` for a record of a multi-article file).
    pub path: String,
    /// URL, when known.
    pub url: Option<String>,
    /// Headline.
    pub title: String,
    /// Published date, UTC.
    pub published: Option<Timestamp>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// Author(s).
    pub byline: Option<String>,
    /// Ranking score (BM25, decayed under [`Sort::Recent`]).
    pub score: f32,
    /// Excerpt with the matches.
    pub snippet: Snippet,
    /// Main people.
    pub people: Vec<EntityCount>,
    /// Main organisations.
    pub organizations: Vec<EntityCount>,
    /// Main places.
    pub places: Vec<EntityCount>,
}

/// The hits of a search, and how many articles matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Number of matching articles (not just those returned).
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// For each `person:` or `entity:` filter with a full name: how many
    /// more articles match the rest of the query and name a person by that
    /// surname alone ("Mr Blair", with no first name anywhere in the
    /// article). Given only when there are some, the full name holds at
    /// least half of the surname's full-name articles, and the surname is
    /// seldom a first name in the archive. They are not among the hits:
    /// whether "Mr Hewitt" is the tennis player or the minister is for the
    /// reader to judge.
    pub surname_only: Vec<SurnameOnly>,
}
