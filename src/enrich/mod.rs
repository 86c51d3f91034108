//! What byline adds to an article beyond what its file says outright: the
//! published date (from the best source there is) and the people,
//! organisations and places it names.
//!
//! Entities are found in three places, all through [`enrich`]: by the
//! indexer for every article it writes (unless the index is built without
//! entities), by [`crate::ingest::read_path`] and
//! [`crate::ingest::read_stdin`] for `byline extract` (which shows what the
//! index gets), and by search for a hit or a facet read back from
//! the index, because the index keeps each entity as a search term, not its
//! mentions (finding them again takes tens of microseconds an article).

pub mod copies;
pub mod dates;
pub mod entities;

use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::article::{Article, EntityCount, EntityKind};
use crate::error::Result;
use crate::schema::Fields;

/// Mentions from which an entity counts as salient even outside the title
/// and standfirst.
const SALIENT_MENTIONS: usize = 3;

/// Finds the article's entities and fills `people`, `organizations` and
/// `places`, salient ones first, then by mentions. Names are those of the
/// article's date ([`entities::extract_dated`]). A date from the file's
/// modification time is used too: a file is not older than what it holds,
/// so a date before a rename means the article is too, and a later one
/// gives today's names, as for an undated article.
pub fn enrich(article: &mut Article) {
    let head = article.title.len() + 2 + article.standfirst.len();
    let mut text = String::with_capacity(head + 2 + article.body.len());
    text.push_str(&article.title);
    text.push_str("\n\n");
    text.push_str(&article.standfirst);
    text.push_str("\n\n");
    text.push_str(&article.body);
    article.people.clear();
    article.organizations.clear();
    article.places.clear();
    let day = article
        .published
        .map(|t| jiff::tz::Offset::UTC.to_datetime(t).date());
    // The extractor's rules and tagger know English; in another language
    // only the gazetteer's places are found (see `entities::native_places`).
    let found = match article.language.as_deref() {
        None | Some("en") => entities::extract_dated(&text, day),
        Some(language) => entities::native_places(&text, language),
    };
    for e in found {
        let count = EntityCount {
            salient: e.mentions[0].start < head || e.mentions.len() >= SALIENT_MENTIONS,
            mentions: e.mentions.len() as u32,
            name: e.name,
        };
        match e.kind {
            EntityKind::Person => article.people.push(count),
            EntityKind::Organization => article.organizations.push(count),
            EntityKind::Place => article.places.push(count),
        }
    }
    for list in [
        &mut article.people,
        &mut article.organizations,
        &mut article.places,
    ] {
        list.sort_by(|a, b| {
            b.salient
                .cmp(&a.salient)
                .then(b.mentions.cmp(&a.mentions))
                .then(a.name.cmp(&b.name))
        });
    }
}

/// An article read back from the index, with the entities it was indexed
/// with (stored beside it, so that reading one back needs no word lists).
pub(crate) fn stored_article(
    searcher: &Searcher,
    fields: &Fields,
    addr: DocAddress,
) -> Result<Article> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    Ok(fields.to_article(&doc))
}
