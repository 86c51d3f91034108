//! Feeding a Quickwit cluster and searching it as byline searches: the
//! index config ([`index_config`]), the documents ([`Document`]), an
//! incremental, resumable push ([`push`]) and byline's query language
//! translated into Quickwit's ([`Translated`], [`Remote`]).
//!
//! Behind the `quickwit` cargo feature (on by default). Quickwit is a peer
//! reached over HTTP, never a dependency: nothing of it is compiled in.

mod client;
mod config;
mod push;
mod search;

pub use client::{Client, Retry};
pub use config::index_config;
pub use push::{push, PushOptions, PushReport};
pub use search::{Remote, Translated};

use serde::Serialize;

use crate::article::{Article, EntityCount, EntityKind};
use crate::enrich::entities;
use crate::schema;

/// The timestamp of an undated article's document: Quickwit requires one,
/// and byline dates no article before 1900, so a date filter leaves them out
/// (a year the nanoseconds of an `i64` still reach, as Quickwit needs).
pub const UNDATED: &str = "1800-01-01T00:00:00Z";

/// [`UNDATED`] in seconds since 1970.
pub(crate) const UNDATED_SECS: i64 = -5_364_662_400;

/// One article as a Quickwit document, the fields of [`index_config`].
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// byline's id.
    pub id: &'a str,
    /// The file (and record) it came from.
    pub path: &'a str,
    /// Its URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    /// Headline.
    pub title: &'a str,
    /// Standfirst.
    pub standfirst: &'a str,
    /// Body.
    pub body: &'a str,
    /// The title as byline's index reads it: [`index_words`].
    pub title_words: String,
    /// The standfirst, likewise.
    pub standfirst_words: String,
    /// The body, likewise.
    pub body_words: String,
    /// Author(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<&'a str>,
    /// Published, RFC 3339 in UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// `published`, or [`UNDATED`] for an undated article.
    pub timestamp: String,
    /// Where the date came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_source: Option<&'static str>,
    /// Language code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'a str>,
    /// Input format.
    pub format: &'static str,
    /// People named, most mentioned first.
    pub people: Vec<&'a str>,
    /// Organisations named.
    pub organizations: Vec<&'a str>,
    /// Places named.
    pub places: Vec<&'a str>,
    /// The people the article is about.
    pub salient_people: Vec<&'a str>,
    /// The organisations it is about.
    pub salient_organizations: Vec<&'a str>,
    /// The places it is about.
    pub salient_places: Vec<&'a str>,
    /// `person:` terms.
    pub person: Vec<String>,
    /// `org:` terms.
    pub org: Vec<String>,
    /// `place:` terms.
    pub place: Vec<String>,
    /// People's surnames, alone and with their particles.
    pub surname: Vec<String>,
    /// Salient terms.
    pub salient: Vec<String>,
    /// The story's id.
    pub story: &'a str,
    /// Hash of the source bytes.
    pub content_hash: &'a str,
}

impl<'a> Document<'a> {
    /// The document for `a`, a copy of the story `story` (its own id when
    /// it has no copies).
    pub fn new(a: &'a Article, story: &'a str) -> Self {
        let names = |list: &'a [EntityCount]| list.iter().map(|e| e.name.as_str()).collect();
        let salient = |list: &'a [EntityCount]| {
            list.iter()
                .filter(|e| e.salient)
                .map(|e| e.name.as_str())
                .collect()
        };
        let lower = |list: &[EntityCount]| -> Vec<String> {
            with_folded(list.iter().map(|e| e.name.to_lowercase()).collect())
        };
        let mut surname = Vec::new();
        let mut salient_terms = Vec::new();
        for kind in EntityKind::ALL {
            for e in a.entities(kind) {
                let surnames = surnames(kind, &e.name);
                if e.salient {
                    salient_terms.push(schema::salient_term(kind, &e.name).to_lowercase());
                    if let Some(last) = schema::surname_of(kind, &e.name) {
                        salient_terms.push(schema::salient_surname_term(last).to_lowercase());
                    }
                }
                surname.extend(surnames);
            }
        }
        Document {
            id: &a.id,
            path: &a.path,
            url: a.url.as_deref(),
            title: &a.title,
            standfirst: &a.standfirst,
            body: &a.body,
            title_words: index_words(&a.title),
            standfirst_words: index_words(&a.standfirst),
            body_words: index_words(&a.body),
            byline: a.byline.as_deref(),
            published: a.published.map(|t| t.to_string()),
            timestamp: a
                .published
                .map_or_else(|| UNDATED.to_string(), |t| t.to_string()),
            date_source: a.date_source.map(|s| s.as_str()),
            language: a.language.as_deref(),
            format: a.format.as_str(),
            people: names(&a.people),
            organizations: names(&a.organizations),
            places: names(&a.places),
            salient_people: salient(&a.people),
            salient_organizations: salient(&a.organizations),
            salient_places: salient(&a.places),
            person: lower(&a.people),
            org: lower(&a.organizations),
            place: lower(&a.places),
            surname: with_folded(surname),
            salient: with_folded(salient_terms),
            story,
            content_hash: &a.content_hash,
        }
    }
}

/// Text as byline's index and queries read it: its words lowercased,
/// stemmed (English) and with accents taken off, one per position, joined
/// by spaces. Quickwit has no stemmer; indexed with its `whitespace`
/// tokenizer, these are the terms byline itself searches, so that Quickwit
/// matches and scores the articles byline would. A position byline skips
/// (a word too long to index) is kept as `_`, so that phrases stay phrases.
pub fn index_words(text: &str) -> String {
    use tantivy::tokenizer::{TextAnalyzer, TokenStream};
    let mut analyzer = TextAnalyzer::from(crate::stem::EnglishTokenizer::for_queries());
    let mut out = String::with_capacity(text.len());
    let mut stream = analyzer.token_stream(text);
    let mut next = 0;
    while let Some(t) = stream.next() {
        if t.text.is_empty() || t.position < next {
            continue;
        }
        for _ in next..t.position {
            out.push_str(" _");
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.text);
        next = t.position + 1;
    }
    out.trim_start().to_string()
}

/// Terms and, after each with accents, the term without them: byline
/// finds "Sánchez" for `person:Sanchez` by reading its index's names, which
/// a Quickwit index does not let it do.
fn with_folded(terms: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(terms.len());
    for t in terms {
        let folded = crate::fold::fold(&t);
        out.push(t);
        out.extend(folded);
    }
    out
}

/// A person's surname terms: the last word, and the name from each
/// particle on ("Anna van Dam": "dam", "van dam"), which byline's own
/// index finds by a pattern over the names.
fn surnames(kind: EntityKind, name: &str) -> Vec<String> {
    let Some(last) = schema::surname_of(kind, name) else {
        return Vec::new();
    };
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split(' ').collect();
    let mut out = vec![last.to_lowercase()];
    // From the first word of a run of particles just before the last word.
    let mut start = words.len() - 1;
    while start > 1 && entities::is_particle(words[start - 1]) {
        start -= 1;
        out.push(words[start..].join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stemmed_folded_and_keep_their_positions() {
        assert_eq!(
            index_words("Dockers STRIKE in Gdańsk"),
            "docker strike in gdansk"
        );
        assert_eq!(index_words("talks, talked; talking"), "talk talk talk");
        let long = "x".repeat(300);
        assert_eq!(index_words(&format!("peace {long} talks")), "peac _ talk");
        assert_eq!(index_words(""), "");
    }

    #[test]
    fn the_undated_timestamp_is_what_it_says() {
        let t: jiff::Timestamp = UNDATED.parse().unwrap();
        assert_eq!(t.as_second(), UNDATED_SECS);
    }

    #[test]
    fn a_surname_with_particles_is_found_with_each_of_them() {
        assert_eq!(
            surnames(EntityKind::Person, "Maria de la Cruz"),
            ["cruz", "la cruz", "de la cruz"]
        );
        assert_eq!(
            surnames(EntityKind::Person, "Anna van Dam"),
            ["dam", "van dam"]
        );
        assert_eq!(surnames(EntityKind::Person, "Tomasz Wierzba"), ["wierzba"]);
        assert!(surnames(EntityKind::Person, "Madonna").is_empty());
        assert!(surnames(EntityKind::Place, "New York").is_empty());
    }
}
