//! Top entities among the hits: who and what a set of articles is about.
//!
//! A collector reads each hit's canonical entity names from the fast columns
//! (term ordinals per segment), counts articles per name, and turns the
//! ordinals it saw into names with one ordered walk of each column's
//! dictionary.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Article counts per entity, by kind, most frequent first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TopEntities {
    /// Matching articles.
    pub articles: u64,
    /// People and the number of matching articles naming them.
    pub people: Vec<(String, u64)>,
    /// Organisations, likewise.
    pub organizations: Vec<(String, u64)>,
    /// Places, likewise.
    pub places: Vec<(String, u64)>,
}

type Counts = [HashMap<String, u64>; 3];

impl TopEntities {
    pub(crate) fn from_counts(articles: u64, counts: Counts, limit: usize) -> Self {
        let top = |m: HashMap<String, u64>| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(limit);
            v
        };
        let [p, o, l] = counts;
        TopEntities {
            articles,
            people: top(p),
            organizations: top(o),
            places: top(l),
        }
    }
}

/// Counts articles per entity name.
pub(crate) struct EntityCounter;

pub(crate) struct EntitySegment {
    columns: [Option<StrColumn>; 3],
    counts: [HashMap<u64, u64>; 3],
    docs: u64,
}

const COLUMNS: [&str; 3] = ["person", "org", "place"];

impl Collector for EntityCounter {
    type Fruit = (u64, Counts);
    type Child = EntitySegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<EntitySegment> {
        let ff = segment.fast_fields();
        let col = |name: &str| ff.str(name).ok().flatten();
        Ok(EntitySegment {
            columns: COLUMNS.map(col),
            counts: Default::default(),
            docs: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, parts: Vec<(u64, Counts)>) -> tantivy::Result<(u64, Counts)> {
        let mut total = 0;
        let mut merged: Counts = Default::default();
        for (docs, counts) in parts {
            total += docs;
            for (into, from) in merged.iter_mut().zip(counts) {
                for (name, n) in from {
                    *into.entry(name).or_default() += n;
                }
            }
        }
        Ok((total, merged))
    }
}

impl SegmentCollector for EntitySegment {
    type Fruit = (u64, Counts);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.docs += 1;
        for (col, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    *counts.entry(ord).or_default() += 1;
                }
            }
        }
    }

    fn harvest(self) -> (u64, Counts) {
        let mut out: Counts = Default::default();
        for ((col, counts), into) in self.columns.iter().zip(self.counts).zip(out.iter_mut()) {
            let (Some(col), false) = (col, counts.is_empty()) else {
                continue;
            };
            let Ok(mut terms) = col.dictionary().stream() else {
                continue;
            };
            while terms.advance() {
                if let Some(n) = counts.get(&terms.term_ord()) {
                    into.insert(String::from_utf8_lossy(terms.key()).into_owned(), *n);
                }
            }
        }
        (self.docs, out)
    }
}
