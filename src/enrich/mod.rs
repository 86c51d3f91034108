//! What byline adds to an article beyond what its file says outright: the
//! published date (from the best source there is) and the people,
//! organisations and places it names.

pub mod dates;
pub mod entities;

use crate::article::{Article, EntityCount, EntityKind};

/// Mentions from which an entity counts as salient even outside the title
/// and standfirst.
const SALIENT_MENTIONS: usize = 3;

/// Finds the article's entities and fills `people`, `organizations` and
/// `places`, salient ones first, then by mentions.
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
    for e in entities::extract(&text) {
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
