//! Stories: articles grouped with their copies (the same text republished,
//! trimmed, extended or corrected; see [`crate::enrich::copies`]), for
//! `byline duplicates`.
//!
//! Every article's signature is read back from the index; signatures that
//! share a band are compared, and two articles are copies when their texts
//! are alike enough ([`Likeness::same_story`](crate::enrich::copies::Likeness::same_story))
//! and were published within the window (in calendar days) of the story's
//! first copy; an undated copy joins by its text alone, the story of the
//! earliest dated article it copies. The representative of a story is its
//! earliest dated copy (then the shortest path).

use std::collections::HashSet;

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, Searcher, TantivyDocument};

use super::compile::compile;
use super::facets::HitSets;
use super::SearchRequest;
use crate::enrich::copies::{Signature, BANDS};
use crate::error::Result;
use crate::schema::{self, Fields};

/// Copies within this many days of each other are one story, unless the
/// request says otherwise: a weekly statement that repeats its text word
/// for word is a new story each week.
pub const DEFAULT_WINDOW_DAYS: u32 = 3;

/// A bucket of signatures sharing a band is compared pairwise only between
/// neighbours in date order: a story republished a hundred times costs a
/// hundred comparisons, not five thousand.
const NEIGHBOURS: usize = 8;

/// One copy of a story. (Fields in alphabetical order, as JSON reports
/// keep them.)
#[derive(Debug, Clone, Serialize)]
pub struct StoryCopy {
    /// The article's id.
    pub id: String,
    /// Where it was read from, as `search` prints it.
    pub path: String,
    /// Its published date, if known.
    pub published: Option<Timestamp>,
    /// Its headline.
    pub title: String,
    /// Its url, if the source gave one.
    pub url: Option<String>,
}

/// A story with its copies: the representative (the earliest dated copy)
/// first, then the rest by date, undated last.
#[derive(Debug, Clone, Serialize)]
pub struct Story {
    /// Every copy, representative first.
    pub copies: Vec<StoryCopy>,
    /// The representative's headline.
    pub title: String,
}

/// The stories with more than one copy among an archive's articles.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicates {
    /// Articles in the index (with a signature or not).
    pub articles: u64,
    /// Articles that are a copy in one of the stories (all of them, not
    /// only those in `stories`).
    pub in_stories: u64,
    /// Stories with copies, largest first, then by their first date (the
    /// caller may cut the list short; `total` counts them all).
    pub stories: Vec<Story>,
    /// Stories with copies.
    pub total: usize,
    /// Copies of one story are published within this many days of its
    /// first (calendar days; 0: the same day).
    pub window_days: u32,
}

pub(super) struct Entry {
    pub(super) copy: StoryCopy,
    pub(super) addr: DocAddress,
    /// Boxed: entries are sorted, and moving 272 bytes each cost more
    /// than the sort.
    signature: Option<Box<Signature>>,
}

/// The documents of a segment's hit set.
fn docs(set: &tantivy::BitSet) -> impl Iterator<Item = u32> + '_ {
    (0..set.max_value()).filter(|&d| set.contains(d))
}

/// Union-find over entry indexes.
fn root(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let p = parent[i as usize];
        parent[i as usize] = parent[p as usize];
        i = p;
    }
    i
}

/// Date order, undated last, then the path without its extension (so that
/// `page.html` comes before a scraper's second save, `page (1).html`), the
/// path and the id: the representative comes first.
fn order(a: &StoryCopy, b: &StoryCopy) -> std::cmp::Ordering {
    fn stem(c: &StoryCopy) -> &str {
        let p = c.path.as_str();
        match p.rfind('.') {
            Some(i) if !p[i..].contains('/') => &p[..i],
            _ => p,
        }
    }
    (a.published.is_none(), a.published)
        .cmp(&(b.published.is_none(), b.published))
        .then_with(|| stem(a).cmp(stem(b)))
        .then_with(|| (&a.path, &a.id).cmp(&(&b.path, &b.id)))
}

/// The stories with copies of which at least one copy matches `req` (its
/// query and dates; an empty query: all of them).
pub(crate) fn duplicates(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    window_days: u32,
) -> Result<Duplicates> {
    let matching: Option<HashSet<DocAddress>> =
        if req.query.trim().is_empty() && req.since.is_none() && req.until.is_none() {
            None
        } else {
            let compiled = compile(index, searcher, fields, &req.query, req.since, req.until)?;
            let hits = compiled.search(searcher, HitSets)?;
            Some(
                hits.iter()
                    .flat_map(|(seg, set, _)| docs(set).map(move |d| DocAddress::new(*seg, d)))
                    .collect(),
            )
        };
    let entries = read_entries(index, searcher, fields)?;
    let groups = group(&entries, window_days);
    let mut stories: Vec<Story> = Vec::new();
    for members in groups {
        let picked = matching.as_ref().is_none_or(|m| {
            members
                .iter()
                .any(|&i| m.contains(&entries[i as usize].addr))
        });
        if picked {
            let copies = members
                .iter()
                .map(|&i| copy_at(searcher, fields, entries[i as usize].addr))
                .collect::<Result<Vec<_>>>()?;
            stories.push(Story {
                title: copies[0].title.clone(),
                copies,
            });
        }
    }
    stories.sort_by(|a, b| {
        b.copies
            .len()
            .cmp(&a.copies.len())
            .then_with(|| order(&a.copies[0], &b.copies[0]))
    });
    Ok(Duplicates {
        articles: entries.len() as u64,
        in_stories: stories.iter().map(|s| s.copies.len() as u64).sum(),
        total: stories.len(),
        stories,
        window_days,
    })
}

/// A stored text field, empty when missing.
fn text(d: &TantivyDocument, f: tantivy::schema::Field) -> String {
    d.get_first(f)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// What [`order`] reads of a copy: its id, path and date (the headline and
/// url are read for the copies of stories alone, by [`copy_at`]).
fn ordered_by(d: &TantivyDocument, fields: &Fields) -> StoryCopy {
    StoryCopy {
        id: text(d, fields.id),
        path: text(d, fields.path),
        url: None,
        title: String::new(),
        published: d
            .get_first(fields.published)
            .and_then(|v| v.as_datetime())
            .map(schema::from_tantivy),
    }
}

/// The copy at `addr`, as a story lists it.
pub(super) fn copy_at(searcher: &Searcher, fields: &Fields, addr: DocAddress) -> Result<StoryCopy> {
    let d: TantivyDocument = searcher.doc(addr)?;
    let url = text(&d, fields.url);
    Ok(StoryCopy {
        title: text(&d, fields.title),
        url: (!url.is_empty()).then_some(url),
        ..ordered_by(&d, fields)
    })
}

/// Every article of the index with its signature, in [`order`].
pub(super) fn read_entries(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
) -> Result<Vec<Entry>> {
    let all = compile(index, searcher, fields, "", None, None)?.search(searcher, HitSets)?;
    let addrs: Vec<DocAddress> = all
        .iter()
        .flat_map(|(seg, set, _)| docs(set).map(move |d| DocAddress::new(*seg, d)))
        .collect();
    // Every stored document is read: on all cores, as indexing was, since
    // a writer run waits for this before it ends.
    let read = |addr: DocAddress| -> Result<Entry> {
        let d: TantivyDocument = searcher.doc(addr)?;
        let signature = d
            .get_first(fields.signature)
            .and_then(|v| v.as_bytes())
            .and_then(Signature::from_bytes)
            .map(Box::new);
        Ok(Entry {
            copy: ordered_by(&d, fields),
            addr,
            signature,
        })
    };
    let chunks = addrs
        .par_chunks(1024)
        .map(|chunk| chunk.iter().map(|&a| read(a)).collect::<Result<Vec<_>>>())
        .collect::<Result<Vec<Vec<Entry>>>>()?;
    let mut entries = Vec::with_capacity(addrs.len());
    for chunk in chunks {
        entries.extend(chunk);
    }
    // Date order, so that a bucket's neighbours are its nearest in time.
    entries.sort_unstable_by(|a, b| order(&a.copy, &b.copy));
    Ok(entries)
}

/// The stories with more than one copy among `entries` (in [`order`]),
/// each as its entries' positions in that order: the representative first.
pub(super) fn group(entries: &[Entry], window_days: u32) -> Vec<Vec<u32>> {
    // Keys cut to 32 bits halve the memory of 200,000 articles' 33 keys
    // each; a pair they bring up by chance is compared and refused.
    let mut keys: Vec<(u32, u32)> = Vec::with_capacity(entries.len() * (BANDS + 1));
    for (i, e) in entries.iter().enumerate() {
        if let Some(s) = &e.signature {
            keys.extend(s.candidate_keys().iter().map(|&k| (k as u32, i as u32)));
        }
    }
    keys.sort_unstable();
    // Candidate pairs: articles sharing a key, each with its nearest in
    // date order, at most the window apart; each pair once.
    let day = |i: u32| {
        entries[i as usize]
            .copy
            .published
            .map(|t| t.as_second().div_euclid(86_400))
    };
    let window = i64::from(window_days);
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == keys[start].0 {
            end += 1;
        }
        let bucket = &keys[start..end];
        for (x, &(_, a)) in bucket.iter().enumerate() {
            for &(_, b) in bucket.iter().skip(x + 1).take(NEIGHBOURS) {
                let near = match (day(a), day(b)) {
                    (Some(x), Some(y)) => (x - y).abs() <= window,
                    _ => true,
                };
                if near {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
        start = end;
    }
    pairs.sort_unstable();
    pairs.dedup();
    let pairs: Vec<(u32, u32)> = pairs
        .into_par_iter()
        .filter(|&(a, b)| {
            let (ea, eb) = (&entries[a as usize], &entries[b as usize]);
            matches!((&ea.signature, &eb.signature), (Some(x), Some(y)) if x.likeness(y).same_story())
        })
        .collect();
    // Copies join in date order, and a story spans at most the window from
    // its first copy to its last: an identical notice published every day
    // is a new story every few days, not one story for ever. The earlier
    // entry stays the root: the representative.
    let mut parent: Vec<u32> = (0..entries.len() as u32).collect();
    let mut span: Vec<Option<(i64, i64)>> = (0..entries.len() as u32)
        .map(|i| day(i).map(|d| (d, d)))
        .collect();
    let mut undated: Vec<(u32, u32)> = Vec::new();
    for &(a, b) in &pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra == rb {
            continue;
        }
        let merged = match (span[ra as usize], span[rb as usize]) {
            (Some(x), Some(y)) => Some((x.0.min(y.0), x.1.max(y.1))),
            (None, None) => None,
            // A dated and an undated copy: below.
            _ => {
                undated.push((a, b));
                continue;
            }
        };
        if merged.is_some_and(|(lo, hi)| hi - lo > window) {
            continue;
        }
        let (keep, gone) = (ra.min(rb), ra.max(rb));
        parent[gone as usize] = keep;
        span[keep as usize] = merged;
    }
    // An undated copy (or an undated group of copies) joins the story of
    // the earliest dated article it copies, and never joins two dated
    // stories into one: the same statement published a fortnight apart
    // stays two stories, whichever undated copy of it the folder holds.
    for (a, b) in undated {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb && (span[ra as usize].is_none() || span[rb as usize].is_none()) {
            let (keep, gone) = (ra.min(rb), ra.max(rb));
            parent[gone as usize] = keep;
            span[keep as usize] = span[ra as usize].or(span[rb as usize]);
        }
    }
    let mut groups: std::collections::HashMap<u32, Vec<u32>> = Default::default();
    for i in 0..entries.len() as u32 {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    // Pushed in order, so each story's members are in order: the
    // representative first.
    let mut stories: Vec<Vec<u32>> = groups.into_values().filter(|m| m.len() > 1).collect();
    stories.sort_unstable();
    stories
}
