//! Which articles are copies of one story, for every search: worked out
//! once per commit (see [`crate::search::stories`]) and kept beside the index
//! in a small file, so that `search`, `entities` and `timeline` can show and
//! count each story once without reading the archive again.
//!
//! The file names articles by their address in the index (segment and
//! document), and holds the segments it was worked out for: a commit or a
//! merge since makes it stale, and a stale or missing file is worked out
//! again (correct, only slower) and saved again where the folder can be
//! written.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Index, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::facets::SegmentHits;
use super::stories::{group, read_entries, DEFAULT_WINDOW_DAYS};
use crate::error::Result;
use crate::schema::Fields;

/// The file beside the index's own files. A dot name: it is none of
/// tantivy's, and tools that list an index's segments pass it by.
pub(crate) const FILE: &str = ".byline-stories.json";

/// No story.
const NONE: u32 = u32::MAX;

/// One segment as the map saw it: a commit that deletes, or a merge, makes
/// it another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SegmentKey {
    id: String,
    max_doc: u32,
    deleted: u32,
}

/// The file's form.
#[derive(Serialize, Deserialize)]
struct Saved {
    format: u32,
    window_days: u32,
    segments: Vec<SegmentKey>,
    /// Each story's copies as `[segment, document]`, the segment an index
    /// into `segments`; the representative first.
    stories: Vec<Vec<(u32, DocId)>>,
}

/// The stories with copies among an index's articles, by address.
#[derive(Debug, Default)]
pub struct StoryMap {
    segments: Vec<SegmentKey>,
    /// Each story's copies, representative first.
    stories: Vec<Vec<DocAddress>>,
    /// Per segment ordinal, per document: its story, or [`NONE`].
    of_doc: Vec<Vec<u32>>,
}

fn segments_of(searcher: &Searcher) -> Vec<SegmentKey> {
    searcher
        .segment_readers()
        .iter()
        .map(|r| SegmentKey {
            id: r.segment_id().uuid_string(),
            max_doc: r.max_doc(),
            deleted: r.num_deleted_docs(),
        })
        .collect()
}

impl StoryMap {
    /// Works the stories out from the articles' signatures (the default
    /// window).
    pub(crate) fn compute(index: &Index, searcher: &Searcher, fields: &Fields) -> Result<Self> {
        let entries = read_entries(index, searcher, fields)?;
        let stories = group(&entries, DEFAULT_WINDOW_DAYS)
            .into_iter()
            .map(|m| m.iter().map(|&i| entries[i as usize].addr).collect())
            .collect();
        Ok(Self::new(segments_of(searcher), stories))
    }

    fn new(segments: Vec<SegmentKey>, stories: Vec<Vec<DocAddress>>) -> Self {
        let mut of_doc: Vec<Vec<u32>> = segments
            .iter()
            .map(|s| vec![NONE; s.max_doc as usize])
            .collect();
        for (n, copies) in stories.iter().enumerate() {
            for a in copies {
                if let Some(slot) = of_doc
                    .get_mut(a.segment_ord as usize)
                    .and_then(|d| d.get_mut(a.doc_id as usize))
                {
                    *slot = n as u32;
                }
            }
        }
        StoryMap {
            segments,
            stories,
            of_doc,
        }
    }

    /// Whether the map was worked out for the index as `searcher` sees it.
    pub(crate) fn fits(&self, searcher: &Searcher) -> bool {
        self.segments == segments_of(searcher)
    }

    /// The map saved beside the index at `dir`, if there is one and it fits
    /// the index as `searcher` sees it.
    pub(crate) fn load(dir: &Path, searcher: &Searcher) -> Option<Self> {
        let saved: Saved = serde_json::from_slice(&std::fs::read(dir.join(FILE)).ok()?).ok()?;
        if saved.format != 1 || saved.window_days != DEFAULT_WINDOW_DAYS {
            return None;
        }
        // The searcher's segment order is its own: addresses follow it.
        let now = segments_of(searcher);
        if now.len() != saved.segments.len() {
            return None;
        }
        let ord: Vec<u32> = saved
            .segments
            .iter()
            .map(|s| now.iter().position(|n| n == s).map(|p| p as u32))
            .collect::<Option<_>>()?;
        let mut stories = Vec::with_capacity(saved.stories.len());
        for copies in saved.stories {
            let mut out = Vec::with_capacity(copies.len());
            for (seg, doc) in copies {
                let o = *ord.get(seg as usize)?;
                if doc >= now[o as usize].max_doc {
                    return None;
                }
                out.push(DocAddress::new(o, doc));
            }
            stories.push(out);
        }
        Some(Self::new(now, stories))
    }

    /// Saves the map beside the index at `dir`, by a rename so that a reader
    /// never sees half a file.
    pub(crate) fn save(&self, dir: &Path) -> std::io::Result<()> {
        let saved = Saved {
            format: 1,
            window_days: DEFAULT_WINDOW_DAYS,
            segments: self.segments.clone(),
            stories: self
                .stories
                .iter()
                .map(|c| c.iter().map(|a| (a.segment_ord, a.doc_id)).collect())
                .collect(),
        };
        let tmp = dir.join(format!("{FILE}.{}", std::process::id()));
        let written = serde_json::to_vec(&saved)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, dir.join(FILE)));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    /// Whether no article has a copy.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// The story of the article at `addr`, if it has copies.
    pub(crate) fn story_of(&self, addr: DocAddress) -> Option<u32> {
        let n = *self
            .of_doc
            .get(addr.segment_ord as usize)?
            .get(addr.doc_id as usize)?;
        (n != NONE).then_some(n)
    }

    /// A story's copies, representative first.
    pub(crate) fn copies(&self, story: u32) -> &[DocAddress] {
        self.stories
            .get(story as usize)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Leaves one copy of each story in `hits`: the earliest (in story
    /// order) of those there.
    pub(crate) fn collapse_sets(&self, hits: &mut [SegmentHits]) {
        let mut at: Vec<Option<usize>> = vec![None; self.of_doc.len()];
        for (i, h) in hits.iter().enumerate() {
            if let Some(slot) = at.get_mut(h.0 as usize) {
                *slot = Some(i);
            }
        }
        for copies in &self.stories {
            let mut kept = false;
            for a in copies {
                let Some(i) = at.get(a.segment_ord as usize).copied().flatten() else {
                    continue;
                };
                let (_, set, count) = &mut hits[i];
                if a.doc_id < set.max_value() && set.contains(a.doc_id) {
                    if kept {
                        set.remove(a.doc_id);
                        *count -= 1;
                    }
                    kept = true;
                }
            }
        }
    }
}

/// How many articles, and how many stories, match: a story counts once
/// however many of its copies match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counted {
    pub articles: usize,
    pub stories: usize,
}

/// Counts matches as [`Counted`] (with no map: every article a story).
pub(crate) struct StoryCount(pub Option<Arc<StoryMap>>);

/// [`StoryCount`] for one segment.
pub(crate) struct StoryCountSegment {
    map: Option<Arc<StoryMap>>,
    ord: usize,
    articles: usize,
    /// Stories met, with repeats (few: copies are a small share of an
    /// archive).
    stories: Vec<u32>,
}

impl Collector for StoryCount {
    type Fruit = Counted;
    type Child = StoryCountSegment;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<StoryCountSegment> {
        Ok(StoryCountSegment {
            map: self.0.clone().filter(|m| !m.is_empty()),
            ord: ord as usize,
            articles: 0,
            stories: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, parts: Vec<(usize, Vec<u32>)>) -> tantivy::Result<Counted> {
        let articles = parts.iter().map(|p| p.0).sum();
        let mut met: Vec<u32> = parts.into_iter().flat_map(|p| p.1).collect();
        let copies = met.len();
        met.sort_unstable();
        met.dedup();
        Ok(Counted {
            articles,
            stories: articles - copies + met.len(),
        })
    }
}

impl SegmentCollector for StoryCountSegment {
    type Fruit = (usize, Vec<u32>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.articles += 1;
        if let Some(m) = &self.map {
            if let Some(&n) = m.of_doc.get(self.ord).and_then(|d| d.get(doc as usize)) {
                if n != NONE {
                    self.stories.push(n);
                }
            }
        }
    }

    fn harvest(self) -> (usize, Vec<u32>) {
        (self.articles, self.stories)
    }
}
