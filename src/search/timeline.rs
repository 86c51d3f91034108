//! The timeline of attention: how many matching articles were published per
//! day, week, month or year.
//!
//! A collector reads each hit's published date from the fast field and counts
//! hits per day; days are then rolled up into the requested buckets, and the
//! gaps between the first and last bucket are filled with zeros, so the counts
//! are exact and add up to the number of dated hits.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Index, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::compile::compile;
use super::facets::{Counting, HitSets, SegmentHits};
use super::storymap::StoryMap;
use super::SearchRequest;
use crate::error::Result;
use crate::schema::{field, Fields};

/// Bucket size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// One bucket per UTC day.
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    /// Calendar months.
    #[default]
    Month,
    /// Calendar years.
    Year,
}

impl Granularity {
    /// The bucket that holds `date`, named by its first day.
    pub fn bucket_of(self, date: Date) -> Date {
        match self {
            Granularity::Day => date,
            Granularity::Week => {
                let back = date.weekday().to_monday_zero_offset();
                date.checked_sub(i64::from(back).days()).unwrap_or(date)
            }
            Granularity::Month => date.first_of_month(),
            Granularity::Year => date.first_of_year(),
        }
    }

    fn next(self, start: Date) -> Option<Date> {
        let span = match self {
            Granularity::Day => 1.day(),
            Granularity::Week => 1.week(),
            Granularity::Month => 1.month(),
            Granularity::Year => 1.year(),
        };
        start.checked_add(span).ok()
    }

    /// A bucket's label: `2025-11-04`, `2025-W45`, `2025-11`, `2025`.
    pub fn label(self, start: Date) -> String {
        match self {
            Granularity::Day => start.to_string(),
            Granularity::Week => {
                let iso = start.iso_week_date();
                format!("{}-W{:02}", iso.year(), iso.week())
            }
            Granularity::Month => start.strftime("%Y-%m").to_string(),
            Granularity::Year => start.year().to_string(),
        }
    }
}

/// One bucket of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// First day of the bucket.
    pub start: Date,
    /// Matching articles published in it.
    pub count: u64,
}

/// Matching articles over time.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// Bucket size.
    pub by: Granularity,
    /// What the counts count: stories (copies of one story once, the
    /// default) or articles ([`SearchRequest::all_copies`]).
    pub counts: Counting,
    /// Every bucket from the first hit's to the last hit's, empty ones included.
    pub buckets: Vec<Bucket>,
    /// Matching articles with a date (the sum of the buckets).
    pub dated: u64,
    /// Matching articles without a date (not in any bucket).
    pub undated: u64,
    /// Matching copies not counted, their story counted already (0 when
    /// counting articles).
    pub folded: u64,
}

impl Timeline {
    /// Rolls per-day counts up into buckets.
    pub fn from_days(days: &HashMap<i64, u64>, undated: u64, by: Granularity) -> Timeline {
        let epoch = Date::constant(1970, 1, 1);
        let mut rolled: BTreeMap<Date, u64> = BTreeMap::new();
        for (&day, &n) in days {
            if let Ok(date) = epoch.checked_add(day.days()) {
                *rolled.entry(by.bucket_of(date)).or_default() += n;
            }
        }
        let mut buckets = Vec::new();
        if let (Some((&first, _)), Some((&last, _))) =
            (rolled.first_key_value(), rolled.last_key_value())
        {
            let mut at = Some(first);
            while let Some(start) = at.filter(|d| *d <= last) {
                buckets.push(Bucket {
                    start,
                    count: rolled.get(&start).copied().unwrap_or(0),
                });
                at = by.next(start);
            }
        }
        Timeline {
            by,
            counts: Counting::Articles,
            dated: buckets.iter().map(|b| b.count).sum(),
            buckets,
            undated,
            folded: 0,
        }
    }

    /// The fullest bucket (the earliest, if several tie).
    pub fn peak(&self) -> Option<&Bucket> {
        self.buckets
            .iter()
            .fold(None, |best: Option<&Bucket>, b| match best {
                Some(p) if p.count >= b.count => Some(p),
                _ => Some(b),
            })
            .filter(|b| b.count > 0)
    }
}

/// Counts the matching articles per bucket of time.
pub(crate) fn timeline(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    by: Granularity,
    stories: Option<Arc<StoryMap>>,
) -> Result<Timeline> {
    let compiled = compile(index, searcher, fields, &req.query, req.since, req.until)?;
    let mut folded = 0;
    let (days, undated) = match stories.as_deref().filter(|m| !m.is_empty()) {
        None => compiled.search(searcher, DayCounter)?,
        Some(m) => {
            let mut hits = compiled.search(searcher, HitSets)?;
            let before: u64 = hits.iter().map(|h| h.2).sum();
            m.collapse_sets(&mut hits);
            folded = before - hits.iter().map(|h| h.2).sum::<u64>();
            count_days(searcher, &hits)
        }
    };
    let mut t = Timeline::from_days(&days, undated, by);
    t.folded = folded;
    if stories.is_some() {
        t.counts = Counting::Stories;
    }
    Ok(t)
}

/// [`DayCounter`]'s counts for hits already collected.
fn count_days(searcher: &Searcher, hits: &[SegmentHits]) -> (HashMap<i64, u64>, u64) {
    let mut days = HashMap::new();
    let mut undated = 0;
    for (ord, set, _) in hits {
        let mut seg = DaySegment {
            column: searcher
                .segment_reader(*ord)
                .fast_fields()
                .date(field::PUBLISHED)
                .ok(),
            days: HashMap::new(),
            undated: 0,
        };
        for doc in (0..set.max_value()).filter(|&d| set.contains(d)) {
            seg.collect(doc, 0.0);
        }
        for (k, v) in seg.days {
            *days.entry(k).or_default() += v;
        }
        undated += seg.undated;
    }
    (days, undated)
}

/// Counts matching documents per UTC day (days since 1970-01-01).
pub(crate) struct DayCounter;

pub(crate) struct DaySegment {
    column: Option<Column<tantivy::DateTime>>,
    days: HashMap<i64, u64>,
    undated: u64,
}

impl Collector for DayCounter {
    type Fruit = (HashMap<i64, u64>, u64);
    type Child = DaySegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<DaySegment> {
        Ok(DaySegment {
            column: segment.fast_fields().date(field::PUBLISHED).ok(),
            days: HashMap::new(),
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, parts: Vec<(HashMap<i64, u64>, u64)>) -> tantivy::Result<Self::Fruit> {
        let mut days = HashMap::new();
        let mut undated = 0;
        for (d, u) in parts {
            undated += u;
            for (k, v) in d {
                *days.entry(k).or_default() += v;
            }
        }
        Ok((days, undated))
    }
}

impl SegmentCollector for DaySegment {
    type Fruit = (HashMap<i64, u64>, u64);

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.column.as_ref().and_then(|c| c.first(doc)) {
            Some(dt) => {
                *self
                    .days
                    .entry(dt.into_timestamp_secs().div_euclid(86_400))
                    .or_default() += 1
            }
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.days, self.undated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Weekday;

    fn day(y: i16, m: i8, d: i8) -> i64 {
        Date::new(y, m, d)
            .unwrap()
            .since(Date::constant(1970, 1, 1))
            .unwrap()
            .get_days() as i64
    }

    #[test]
    fn buckets_roll_up_and_fill_gaps() {
        let days: HashMap<i64, u64> = [
            (day(2025, 11, 3), 2),
            (day(2025, 11, 30), 1),
            (day(2026, 2, 1), 4),
        ]
        .into();
        let t = Timeline::from_days(&days, 5, Granularity::Month);
        let got: Vec<(String, u64)> = t
            .buckets
            .iter()
            .map(|b| (b.start.to_string(), b.count))
            .collect();
        assert_eq!(
            got,
            [
                ("2025-11-01".to_string(), 3),
                ("2025-12-01".to_string(), 0),
                ("2026-01-01".to_string(), 0),
                ("2026-02-01".to_string(), 4)
            ]
        );
        assert_eq!(t.dated, 7);
        assert_eq!(t.undated, 5);
        assert_eq!(t.peak().unwrap().start.to_string(), "2026-02-01");

        let w = Timeline::from_days(&days, 0, Granularity::Week);
        assert_eq!(w.buckets[0].start.to_string(), "2025-11-03"); // a Monday
        assert_eq!(w.buckets[0].start.weekday(), Weekday::Monday);
        assert_eq!(Granularity::Week.label(w.buckets[0].start), "2025-W45");
        // 2025-11-30 is a Sunday: same ISO week as the 24th.
        assert_eq!(w.buckets[3].start.to_string(), "2025-11-24");
        assert_eq!(w.buckets[3].count, 1);
        assert_eq!(w.buckets.iter().map(|b| b.count).sum::<u64>(), 7);

        let y = Timeline::from_days(&days, 0, Granularity::Year);
        assert_eq!(y.buckets.len(), 2);
        assert!(Timeline::from_days(&HashMap::new(), 3, Granularity::Day)
            .buckets
            .is_empty());
    }
}
