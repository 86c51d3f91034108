//! The public types of a search: the request, the ordering, and the hits
//! with their snippets. Their JSON forms are what `byline search --json`
//! prints.

use jiff::Timestamp;
use serde::{Serialize, Serializer};

use super::stories::StoryCopy;
use super::{EarlierName, Expansion, SurnameOnly};
use crate::article::{DateSource, EntityCount};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25, title weighted highest).
    #[default]
    Relevance,
    /// Newest first; undated articles last.
    Date,
    /// Oldest first; undated articles last, as under [`Sort::Date`].
    Oldest,
    /// Relevance decayed by age: a match loses half its score every
    /// half-life, its age counted from [`SearchRequest::as_of`] (before or
    /// after it), else back from the end of the request's `until` bound,
    /// else from the newest
    /// dated match, so that an archive of 1987 ranks as one of 2025 does.
    /// Undated articles come after all dated ones.
    Recent,
}

/// A search to run against an [`crate::Archive`].
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query in byline's language (see [`query`](super::query)).
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
    /// The day [`Sort::Recent`] counts ages from, the day the reader reads
    /// as of (`None`: the `until` bound, else the newest dated match). An
    /// article dated after it decays by its distance from it, as one
    /// before it does.
    pub as_of: Option<Timestamp>,
    /// Snippet length in characters (0: no snippets).
    pub snippet_chars: usize,
    /// Whether each hit carries the article's full text ([`Hit::text`]).
    pub text: bool,
    /// Whether every copy of a story is a hit of its own (the same text
    /// republished: see [`crate::search::stories`]). By default a story is
    /// one hit, which lists its other copies ([`Hit::copies`]), and
    /// `entities` and `timeline` count stories, not articles.
    pub all_copies: bool,
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
            as_of: None,
            snippet_chars: 200,
            text: false,
            all_copies: false,
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
///
/// Its JSON form is a line of what `byline search --json` prints: the fields
/// below with their keys in alphabetical order (the entities' keys too), the
/// snippet as one string with each match wrapped in `**`, the score widened
/// to an `f64`.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Source path (with `#KEY` for a record of a multi-article file: see
    /// [`crate::ingest::RecordKey`]).
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
    /// Ranking score (BM25, decayed under [`Sort::Recent`]). A story shown
    /// once carries the score of its best-ranked copy, where it ranks, which
    /// may be another copy than the one shown ([`Hit::copies`]).
    pub score: f32,
    /// Excerpt with the matches.
    pub snippet: Snippet,
    /// Main people.
    pub people: Vec<EntityCount>,
    /// Main organisations.
    pub organizations: Vec<EntityCount>,
    /// Main places.
    pub places: Vec<EntityCount>,
    /// The full text under the headline (standfirst, a blank line, body),
    /// when the request asked for it ([`SearchRequest::text`]); left out of
    /// the JSON otherwise.
    pub text: Option<String>,
    /// The story's other copies (the same text published elsewhere or
    /// again: see [`crate::search::stories`]), representative first; empty
    /// for an article with none, or when the request asked for every copy
    /// ([`SearchRequest::all_copies`]).
    pub copies: Vec<StoryCopy>,
}

// The CLI printed a hit through `serde_json::Value`, whose maps (without
// serde_json's `preserve_order`) sort their keys and which holds an `f32` as
// the `f64` it widens to; these mirrors give the same bytes straight from
// `serde_json::to_string`, so that scripts reading the output see no change.
impl Serialize for Hit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn entities(list: &[EntityCount]) -> Vec<EntityJson<'_>> {
            list.iter().map(EntityJson::from).collect()
        }
        HitJson {
            byline: &self.byline,
            copies: &self.copies,
            date_source: &self.date_source,
            id: &self.id,
            organizations: entities(&self.organizations),
            path: &self.path,
            people: entities(&self.people),
            places: entities(&self.places),
            published: &self.published,
            score: f64::from(self.score),
            snippet: self.snippet.marked("**", "**"),
            text: self.text.as_deref(),
            title: &self.title,
            url: &self.url,
        }
        .serialize(serializer)
    }
}

/// [`Hit`] as it is written out; the fields in alphabetical order.
#[derive(Serialize)]
struct HitJson<'a> {
    byline: &'a Option<String>,
    copies: &'a [StoryCopy],
    date_source: &'a Option<DateSource>,
    id: &'a str,
    organizations: Vec<EntityJson<'a>>,
    path: &'a str,
    people: Vec<EntityJson<'a>>,
    places: Vec<EntityJson<'a>>,
    published: &'a Option<Timestamp>,
    score: f64,
    snippet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    title: &'a str,
    url: &'a Option<String>,
}

/// [`EntityCount`] as a hit writes it out; the fields in alphabetical order.
#[derive(Serialize)]
struct EntityJson<'a> {
    mentions: u32,
    name: &'a str,
    salient: bool,
}

impl<'a> From<&'a EntityCount> for EntityJson<'a> {
    fn from(e: &'a EntityCount) -> Self {
        // Destructured, so that a new field of `EntityCount` is not left
        // out of the JSON unnoticed.
        let EntityCount {
            name,
            mentions,
            salient,
        } = e;
        EntityJson {
            mentions: *mentions,
            name,
            salient: *salient,
        }
    }
}

/// The hits of a search, and how many articles matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Number of matching articles (not just those returned).
    pub total: usize,
    /// Number of matching stories: copies of one story count once (see
    /// [`Hit::copies`]). The same as `total` when the request asked for
    /// every copy ([`SearchRequest::all_copies`]), which counts none.
    pub stories: usize,
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
    /// For each `org:`, `place:` or `entity:` filter naming an entity that
    /// was renamed ("Citigroup", formed in 1998): how many more articles
    /// match the rest of the query and name it by an earlier name
    /// ("Citicorp"), as articles published before the change do. They are
    /// not among the hits; the filter on the earlier name finds them.
    pub earlier_names: Vec<EarlierName>,
    /// What each prefix (`volck*`) and fuzzy term (`reagen~`) of the query
    /// was searched as: the index words, and how many matched in all (a
    /// prefix is searched as its most frequent words only).
    pub expansions: Vec<Expansion>,
    /// When the query found little and a near spelling of its words is far
    /// more common in the archive: the query with that spelling, and what
    /// it finds.
    pub suggestion: Option<Suggestion>,
}

/// "Did you mean": a query like the one asked, with words respelt as the
/// archive more often spells them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Each word changed, in query order.
    pub changes: Vec<Respelling>,
    /// The query with the changes made.
    pub query: String,
    /// How many articles it matches.
    pub total: usize,
}

/// One word of a [`Suggestion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Respelling {
    /// The word as the query has it.
    pub from: String,
    /// The spelling the archive has far more often.
    pub to: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A hit's JSON is what `byline search --json` printed before the CLI
    /// used this form: sorted keys, the snippet marked, the score as the
    /// `f64` an `f32` widens to.
    #[test]
    fn a_hit_serializes_as_the_cli_prints_it() {
        let hit = Hit {
            id: "np-1".into(),
            path: "corpus/port.json".into(),
            url: None,
            title: "Dockers strike in Gdansk".into(),
            published: Some("2025-11-03T00:00:00Z".parse().unwrap()),
            date_source: Some(DateSource::Metadata),
            byline: Some("Nathan Crowe".into()),
            score: 1.1,
            snippet: Snippet {
                text: "The dockers struck on Monday.".into(),
                highlights: vec![(4, 11)],
            },
            people: vec![EntityCount {
                name: "Tomasz Wierzba".into(),
                mentions: 2,
                salient: true,
            }],
            organizations: Vec::new(),
            places: vec![EntityCount {
                name: "Gdańsk".into(),
                mentions: 1,
                salient: false,
            }],
            text: None,
            copies: Vec::new(),
        };
        let want = json!({
            "byline": "Nathan Crowe",
            "copies": [],
            "date_source": "metadata",
            "id": "np-1",
            "organizations": [],
            "path": "corpus/port.json",
            "people": [{"mentions": 2, "name": "Tomasz Wierzba", "salient": true}],
            "places": [{"mentions": 1, "name": "Gdańsk", "salient": false}],
            "published": "2025-11-03T00:00:00Z",
            "score": f64::from(1.1f32),
            "snippet": "The **dockers** struck on Monday.",
            "title": "Dockers strike in Gdansk",
            "url": null,
        });
        assert_eq!(serde_json::to_value(&hit).unwrap(), want);
        // The same bytes, key order included, as the CLI's `Value` printed.
        assert_eq!(serde_json::to_string(&hit).unwrap(), want.to_string());
        assert!(want.to_string().contains(r#""score":1.100000023841858,"#));
        // Asked for, the text is one more key, in its alphabetical place.
        let with_text = Hit {
            text: Some("The dockers struck.".into()),
            ..hit
        };
        let line = serde_json::to_string(&with_text).unwrap();
        assert!(
            line.contains(r#""snippet":"The **dockers** struck on Monday.","text":"The dockers struck.","title""#),
            "{line}"
        );
    }
}
