//! Top entities among the hits: who and what a set of articles is about.
//!
//! A collector marks each segment's hits in a bit set; then one ordered walk
//! of each entity field's terms reads every term's postings and counts the
//! hits among them. The counts need no per-article column, which cost about
//! 5% of indexing time with entities (a dictionary lookup for each of some
//! 17 names per article); the walk costs tens of milliseconds on 200,000
//! articles, for the one command that asks for it. The index holds names
//! lowercased, so each name shown is read back from one article naming it.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocAddress, DocId, Index, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::compile::compile;
use super::storymap::StoryMap;
use super::SearchRequest;
use crate::article::EntityKind;
use crate::error::Result;
use crate::schema::Fields;

/// Article counts per entity, by kind, most frequent first.
///
/// Its JSON form is what `byline entities --json` prints: keys in
/// alphabetical order (`articles`, `counts`, `distinct`, `languages`,
/// `organizations`, `people`, `places`, `stories`), each entity (and
/// language) an object `{"articles": n, "name": "..."}`.
#[derive(Debug, Clone, Default)]
pub struct TopEntities {
    /// Matching articles.
    pub articles: u64,
    /// What the entities' counts count: stories (copies of one story
    /// once, the default) or articles ([`SearchRequest::all_copies`]).
    pub counts: Counting,
    /// Matching stories (the same as `articles` when counting articles).
    pub stories: u64,
    /// People and the number of matching articles naming them.
    pub people: Vec<(String, u64)>,
    /// Organisations, likewise.
    pub organizations: Vec<(String, u64)>,
    /// Places, likewise.
    pub places: Vec<(String, u64)>,
    /// Languages (ISO 639-1 codes) and the number of matching articles in
    /// each, most first; articles of no known language are not counted.
    pub languages: Vec<(String, u64)>,
    /// How many different entities of each kind the matching articles
    /// name, listed or not.
    pub distinct: Distinct,
}

/// What a count counts: each story once however many copies of it there
/// are (see [`crate::search::stories`]), or each article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Counting {
    /// Every article, copies included.
    #[default]
    Articles,
    /// Copies of one story once.
    Stories,
}

impl Counting {
    /// The counted things, plural: "stories" or "articles".
    pub fn noun(self) -> &'static str {
        match self {
            Counting::Articles => "articles",
            Counting::Stories => "stories",
        }
    }
}

/// The number of different entities of each kind among the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Distinct {
    /// Organisations.
    pub organizations: u64,
    /// People.
    pub people: u64,
    /// Places.
    pub places: u64,
}

// The CLI built this shape by hand and printed it through
// `serde_json::Value`, whose maps (without serde_json's `preserve_order`)
// sort their keys: the mirrors below keep those bytes.
impl Serialize for TopEntities {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn named(list: &[(String, u64)]) -> Vec<NameJson<'_>> {
            list.iter()
                .map(|(name, articles)| NameJson {
                    articles: *articles,
                    name,
                })
                .collect()
        }
        TopEntitiesJson {
            articles: self.articles,
            counts: self.counts,
            distinct: self.distinct,
            languages: named(&self.languages),
            organizations: named(&self.organizations),
            people: named(&self.people),
            places: named(&self.places),
            stories: self.stories,
        }
        .serialize(serializer)
    }
}

/// [`TopEntities`] as it is written out; the fields in alphabetical order.
#[derive(Serialize)]
struct TopEntitiesJson<'a> {
    articles: u64,
    counts: Counting,
    distinct: Distinct,
    languages: Vec<NameJson<'a>>,
    organizations: Vec<NameJson<'a>>,
    people: Vec<NameJson<'a>>,
    places: Vec<NameJson<'a>>,
    stories: u64,
}

/// One entity of [`TopEntitiesJson`].
#[derive(Serialize)]
struct NameJson<'a> {
    articles: u64,
    name: &'a str,
}

pub(crate) type Counts = [HashMap<String, u64>; 3];

impl TopEntities {
    pub(crate) fn from_counts(
        articles: u64,
        counts: Counts,
        distinct: Distinct,
        limit: usize,
    ) -> Self {
        let top = |m: HashMap<String, u64>| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(limit);
            v
        };
        let [p, o, l] = counts;
        TopEntities {
            articles,
            counts: Counting::Articles,
            stories: articles,
            people: top(p),
            organizations: top(o),
            places: top(l),
            languages: Vec::new(),
            distinct,
        }
    }
}

/// Counts the matching articles per entity.
pub(crate) fn top_entities(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    limit: usize,
    stories: Option<Arc<StoryMap>>,
) -> Result<TopEntities> {
    let compiled = compile(index, searcher, fields, &req.query, req.since, req.until)?;
    let hits = compiled.search(searcher, HitSets)?;
    let articles = hits.iter().map(|h| h.2).sum();
    // A story counts once for every name any of its matching copies gives
    // (a copy with a paragraph added names more): the names are counted
    // over every hit, a story's copies once.
    let map = stories.as_deref().filter(|m| !m.is_empty());
    let mut counts: Counts = Default::default();
    let mut distinct = [0u64; 3];
    // Articles read back for the names' spelling, each enriched once.
    let mut read: HashMap<DocAddress, crate::article::Article> = HashMap::new();
    for ((kind, into), all) in EntityKind::ALL
        .iter()
        .zip(counts.iter_mut())
        .zip(distinct.iter_mut())
    {
        let mut terms: Vec<(Vec<u8>, (u64, DocAddress))> =
            count_terms(searcher, fields.entity_field(*kind), &hits, map)?
                .into_iter()
                .collect();
        *all = terms.len() as u64;
        terms.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
        terms.truncate(limit);
        for (term, (n, addr)) in terms {
            let term = String::from_utf8_lossy(&term).into_owned();
            let a = match read.entry(addr) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(crate::enrich::stored_article(searcher, fields, addr)?)
                }
            };
            let named = a
                .entities(*kind)
                .iter()
                .find(|e| lowercase(&e.name) == term)
                .map(|e| e.name.clone());
            // An index built by another version may name it otherwise.
            into.insert(named.unwrap_or(term), n);
        }
    }
    let [people, organizations, places] = distinct;
    let distinct = Distinct {
        organizations,
        people,
        places,
    };
    let mut top = TopEntities::from_counts(articles, counts, distinct, limit);
    top.languages = count_terms(searcher, fields.language, &hits, map)?
        .into_iter()
        .map(|(code, (n, _))| (String::from_utf8_lossy(&code).into_owned(), n))
        .collect();
    top.languages
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if let Some(m) = &stories {
        let mut one_each = hits;
        m.collapse_sets(&mut one_each);
        top.counts = Counting::Stories;
        top.stories = one_each.iter().map(|h| h.2).sum();
    }
    Ok(top)
}

/// A term's bytes hashed, to remember which stories counted it.
fn term_hash(term: &[u8]) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(term)
}

/// A name as the index holds it: lowercased character by character, as
/// tantivy's `LowerCaser` does.
fn lowercase(name: &str) -> String {
    name.chars().flat_map(char::to_lowercase).collect()
}

/// Counts articles per entity name.
/// The hits of a segment, and how many.
pub(crate) type SegmentHits = (SegmentOrdinal, BitSet, u64);

/// Collects the hits of a query as one bit set per segment.
pub(crate) struct HitSets;

/// [`HitSets`] for one segment.
pub(crate) struct HitSet {
    hits: SegmentHits,
}

impl Collector for HitSets {
    type Fruit = Vec<SegmentHits>;
    type Child = HitSet;

    fn for_segment(&self, ord: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<HitSet> {
        Ok(HitSet {
            hits: (ord, BitSet::with_max_value(segment.max_doc()), 0),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, parts: Vec<Vec<SegmentHits>>) -> tantivy::Result<Vec<SegmentHits>> {
        Ok(parts.into_iter().flatten().collect())
    }
}

impl SegmentCollector for HitSet {
    type Fruit = Vec<SegmentHits>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.hits.1.insert(doc);
        self.hits.2 += 1;
    }

    fn harvest(self) -> Vec<SegmentHits> {
        vec![self.hits]
    }
}

/// For each term of `field` (an entity name, lowercased) that a hit holds:
/// the number of hits holding it, and one of them.
///
/// With a story map, the hits of a story count once for a term however
/// many of them hold it.
pub(crate) fn count_terms(
    searcher: &Searcher,
    field: Field,
    hits: &[SegmentHits],
    stories: Option<&StoryMap>,
) -> tantivy::Result<HashMap<Vec<u8>, (u64, DocAddress)>> {
    let mut out: HashMap<Vec<u8>, (u64, DocAddress)> = HashMap::new();
    // (story, term) pairs counted: a story's copies may sit in several
    // segments, each walked on its own.
    let mut counted: std::collections::HashSet<(u32, u64)> = Default::default();
    for (ord, set, count) in hits {
        if *count == 0 {
            continue;
        }
        let index = searcher.segment_reader(*ord).inverted_index(field)?;
        let mut terms = index.terms().stream()?;
        while terms.advance() {
            let mut postings =
                index.read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut n = 0;
            let mut first = None;
            loop {
                let docs = postings.docs();
                if docs.is_empty() {
                    break;
                }
                for &doc in docs {
                    if set.contains(doc) {
                        first.get_or_insert(doc);
                        let story = stories.and_then(|m| m.story_of(DocAddress::new(*ord, doc)));
                        match story {
                            Some(s) => n += u64::from(counted.insert((s, term_hash(terms.key())))),
                            None => n += 1,
                        }
                    }
                }
                postings.advance();
            }
            if let Some(doc) = first {
                out.entry(terms.key().to_vec())
                    .or_insert((0, DocAddress::new(*ord, doc)))
                    .0 += n;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The JSON is what `byline entities --json` printed before the CLI used
    /// this form, key order included.
    #[test]
    fn top_entities_serialize_as_the_cli_prints_them() {
        let top = TopEntities {
            articles: 17,
            counts: Counting::Stories,
            stories: 15,
            people: vec![("Tomasz Wierzba".into(), 12), ("Pieter van Dam".into(), 8)],
            organizations: vec![("Harbour Workers' Federation".into(), 12)],
            places: Vec::new(),
            languages: vec![("en".into(), 15)],
            distinct: Distinct {
                organizations: 5,
                people: 2,
                places: 0,
            },
        };
        let want = json!({
            "articles": 17,
            "counts": "stories",
            "distinct": {"organizations": 5, "people": 2, "places": 0},
            "languages": [{"name": "en", "articles": 15}],
            "people": [
                {"name": "Tomasz Wierzba", "articles": 12},
                {"name": "Pieter van Dam", "articles": 8},
            ],
            "organizations": [{"name": "Harbour Workers' Federation", "articles": 12}],
            "places": [],
            "stories": 15,
        });
        assert_eq!(serde_json::to_value(&top).unwrap(), want);
        assert_eq!(
            serde_json::to_string(&top).unwrap(),
            r#"{"articles":17,"counts":"stories","distinct":{"organizations":5,"people":2,"places":0},"languages":[{"articles":15,"name":"en"}],"organizations":[{"articles":12,"name":"Harbour Workers' Federation"}],"people":[{"articles":12,"name":"Tomasz Wierzba"},{"articles":8,"name":"Pieter van Dam"}],"places":[],"stories":15}"#
        );
    }
}
