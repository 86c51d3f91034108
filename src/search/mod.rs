//! Searching: the query language, ranking (relevance, date, recency decay),
//! hits with snippets.
//!
//! A search flows through the modules in this order: [`query`] takes the
//! query string apart, `compile` builds the tantivy query (with `excluded`
//! guarding its exclusions), `rank` orders the matches and reads back the
//! page of hits, `snippets` cuts each hit's excerpt. [`facets`] and
//! [`timeline`] count the same matches instead of ranking them.

mod compile;
mod excluded;
pub mod facets;
pub mod query;
mod rank;
mod renames;
mod request;
mod snippets;
mod surnames;
pub mod timeline;

pub(crate) use facets::top_entities;
pub(crate) use rank::execute;
pub use renames::EarlierName;
pub use request::{Hit, SearchRequest, SearchResults, Snippet, Sort};
pub use surnames::SurnameOnly;
pub(crate) use timeline::timeline;
