//! Searching: the query language, ranking (relevance, date, recency decay),
//! hits with snippets.
//!
//! A search flows through the modules in this order: [`query`] takes the
//! query string apart, `compile` builds the tantivy query (with `excluded`
//! guarding its exclusions), `rank` orders the matches, `pages` reads back the
//! hits a page at a time, `snippets` cuts each hit's excerpt. [`facets`] and
//! [`timeline`] count the same matches instead of ranking them.

pub(crate) mod compile;
mod excluded;
pub mod facets;
mod keywords;
mod pages;
pub(crate) mod published;
pub mod query;
mod rank;
mod renames;
mod request;
pub(crate) mod snippets;
mod spelling;
mod stats;
pub mod stories;
pub mod storymap;
mod suggest;
mod surnames;
pub mod timeline;

pub(crate) use facets::top_entities;
pub use keywords::{Expansion, MAX_FUZZY_WORDS, MAX_PREFIX_WORDS};
pub use pages::HitPages;
pub(crate) use rank::{execute, rank};
pub use renames::EarlierName;
pub use request::{Hit, Respelling, SearchRequest, SearchResults, Snippet, Sort, Suggestion};
pub use suggest::SUGGEST_UP_TO;
pub use surnames::SurnameOnly;
pub(crate) use timeline::timeline;
