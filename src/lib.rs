//! # byline
//!
//! Full-text search for news archives. byline reads a folder of articles
//! (scraped text pages, JSON and JSON Lines records, HTML pages, gzipped or
//! not), cleans them, finds each one's published date and the people,
//! organisations and places it names, and indexes them with
//! [tantivy](https://docs.rs/tantivy) so they can be searched by keyword,
//! entity and date, ranked by relevance, date or recency.
//!
//! ```
//! use byline::{Archive, IndexOptions, SearchRequest};
//!
//! # fn main() -> byline::Result<()> {
//! let tmp = tempfile::tempdir().unwrap();
//! let corpus = tmp.path().join("corpus");
//! std::fs::create_dir(&corpus).unwrap();
//! std::fs::write(
//!     corpus.join("2025-11-03-port.txt"),
//!     "Dockers strike over automation in Gdansk\n\n\
//!      The union said the new cranes would cost 400 jobs.\n\n\
//!      Talks with the port authority broke down on Monday.\n",
//! ).unwrap();
//!
//! let archive = Archive::open_or_create(tmp.path().join("index"))?;
//! let report = archive.index_folder(&corpus, &IndexOptions::default(), &|_| {})?;
//! assert_eq!(report.indexed, 1);
//!
//! let results = archive.search(&SearchRequest::new("dockers after:2025-11-01"))?;
//! assert_eq!(results.total, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.title, "Dockers strike over automation in Gdansk");
//! assert_eq!(hit.published.unwrap().to_string(), "2025-11-03T00:00:00Z");
//! # Ok(())
//! # }
//! ```
//!
//! The parts, in the order data flows through them: [`ingest`] (finding and
//! reading files), [`enrich`] (dates, entities), [`indexer`] (the parallel pipeline),
//! [`search`] (query language, ranking, snippets). See `examples/` for
//! walkthroughs and `ARCHITECTURE.md` for the design.
//!
//! ## What is public
//!
//! The types re-exported here are the API most programs need. These modules
//! are public for what they offer on their own: [`ingest`] (reading a file
//! into articles), [`enrich`] (dates and entities of any text), [`schema`]
//! (the field names, for programs that query [`Archive::tantivy_index`]
//! directly), [`search::query`] (the query language), [`lang`] (languages
//! and their stemmers), [`export`] (the CSV forms of results) and, with the
//! default `serve` feature, `serve` (the HTTP API and search page of
//! `byline serve`). [`indexer`] is public for [`indexer::WriterLock`]. Everything else is private, so that
//! the code can be rearranged without breaking anyone.

mod archive;
mod article;
mod dump;
pub mod enrich;
mod error;
pub mod export;
mod fold;
pub mod indexer;
pub mod ingest;
pub mod lang;
mod lookup;
#[cfg(feature = "quickwit")]
pub mod quickwit;
mod readonly;
pub mod schema;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
mod stem;

pub use archive::{Archive, Stats};
pub use article::{Article, DateSource, EntityCount, EntityKind, Format};
pub use dump::{Articles, Feed};
pub use error::{Error, Result};
pub use indexer::{IndexOptions, IndexReport, Progress, ReindexReport};
pub use search::facets::{Counting, Distinct, TopEntities};
pub use search::stories::{Duplicates, Story, StoryCopy};
pub use search::timeline::{Bucket, Granularity, Timeline};
pub use search::{
    EarlierName, Expansion, Hit, HitPages, Respelling, SearchRequest, SearchResults, Snippet, Sort,
    Suggestion, SurnameOnly, MAX_FUZZY_WORDS, MAX_PREFIX_WORDS, SUGGEST_UP_TO,
};
