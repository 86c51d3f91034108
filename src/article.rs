//! The [`Article`]: what every stage of the pipeline passes along, from a reader
//! to the index and back out of a search.

use serde::{Deserialize, Serialize};

/// One news article, as parsed from a file and enriched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: the record's own id when it has one, else a hash of
    /// its file's path (relative to the folder indexed) and its key in the
    /// file, not its position (see [`crate::ingest::RecordKey`]).
    pub id: String,
    /// Where it came from: the file's path, with `#KEY` for a record of a
    /// file of several (its own id, else its URL, else its content hash;
    /// see [`crate::ingest::RecordKey`]).
    pub path: String,
    /// The article's URL, when the source gives one.
    pub url: Option<String>,
    /// Headline.
    pub title: String,
    /// The lede or summary line under the headline (may be empty).
    pub standfirst: String,
    /// Body text, paragraphs separated by blank lines.
    pub body: String,
    /// Author(s), as written (several joined with ", ").
    pub byline: Option<String>,
    /// When it was published, in UTC.
    pub published: Option<jiff::Timestamp>,
    /// Where `published` came from.
    pub date_source: Option<DateSource>,
    /// Language code, when known (e.g. `en`).
    pub language: Option<String>,
    /// The input format the article was read from.
    pub format: Format,
    /// People named in the article, most mentioned first.
    pub people: Vec<EntityCount>,
    /// Organisations named in the article, most mentioned first.
    pub organizations: Vec<EntityCount>,
    /// Places named in the article, most mentioned first.
    pub places: Vec<EntityCount>,
    /// Hash (xxh3-64, hex) of the source bytes the article was read from: the
    /// file, the line of a JSON Lines file, or the JSON of an array's item. Reindexing compares it to tell
    /// a changed record from an unchanged one without parsing.
    pub content_hash: String,
}

/// How the published date was found, best source first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// A metadata field of the record or page (JSON field, `<meta>`, JSON-LD).
    Metadata,
    /// The file's path, any folder of it (`2025/12/04/...`,
    /// `2025-12-04-slug.txt`).
    Path,
    /// A dateline or "Published" line near the top of the text.
    Text,
    /// The file's modification time: a last resort, taken only when asked
    /// ([`crate::IndexOptions::mtime_dates`]).
    FileMtime,
}

impl Article {
    /// The article's entities of one kind.
    pub fn entities(&self, kind: EntityKind) -> &[EntityCount] {
        match kind {
            EntityKind::Person => &self.people,
            EntityKind::Organization => &self.organizations,
            EntityKind::Place => &self.places,
        }
    }
}

impl DateSource {
    /// The name used in the index and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Path => "path",
            DateSource::Text => "text",
            DateSource::FileMtime => "file-mtime",
        }
    }

    /// Parses the name written by [`DateSource::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "metadata" => DateSource::Metadata,
            "path" => DateSource::Path,
            "text" => DateSource::Text,
            "file-mtime" => DateSource::FileMtime,
            _ => return None,
        })
    }
}

/// The input formats byline reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Scraped plain text.
    #[default]
    Txt,
    /// A JSON object or array of objects.
    Json,
    /// JSON Lines: one object per line.
    Jsonl,
    /// An HTML page.
    Html,
}

impl Format {
    /// Every format, in display order.
    pub const ALL: [Format; 4] = [Format::Txt, Format::Json, Format::Jsonl, Format::Html];

    /// The name used in the index and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
        }
    }
}

/// The three kinds of named entity byline extracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, institution, party, team or other organisation.
    Organization,
    /// A country, city, region or other place.
    Place,
}

impl EntityKind {
    /// Every kind, in display order.
    pub const ALL: [EntityKind; 3] = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Place,
    ];

    /// The name used in output (`person`, `organization`, `place`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }
}

/// An entity's canonical name and how often the article mentions it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityCount {
    /// Canonical name (`Vladimir Putin`, `United States`).
    pub name: String,
    /// Number of mentions in title, standfirst and body.
    pub mentions: u32,
    /// Named in the title or standfirst, or mentioned often: what the
    /// article is about rather than a passing mention.
    #[serde(default)]
    pub salient: bool,
}
