//! The search itself: a request's matches ordered by relevance (with the
//! proximity re-ranking), by date (either way) or by recency, and cut to the
//! requested page; `pages` reads them back as hits with snippets.

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::{
    DocAddress, DocId, DocSet, Index, Score, Searcher, SeekDangerResult, SegmentOrdinal,
    SegmentReader,
};

use super::compile::{compile_parsed, parse_with_dates, Compiled};
use super::pages::{HitPages, Ranked};
use super::snippets::Snippets;
use super::stats::ArticleStats;
use super::storymap::{Counted, StoryCount, StoryMap};
use super::{renames, suggest, surnames, SearchRequest, SearchResults, Sort};
use crate::error::{Error, Result};
use crate::schema::{field, Fields};

/// Scored matches in page order, and how many articles (and stories)
/// matched in all.
type Scored = (Vec<(f32, DocAddress)>, Counted);

/// Runs a search: the page of hits a request asks for, and the total.
pub(crate) fn execute(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    stories: Option<Arc<StoryMap>>,
) -> Result<SearchResults> {
    HitPages::new(rank(index, searcher, fields, req, stories)?, usize::MAX).into_results()
}

/// Runs a search up to the articles: the page's matches in order, the
/// total and the notes; [`HitPages`] reads the articles back. With a story
/// map, each story is one hit, where its best-ranked copy ranks.
pub(crate) fn rank<'a>(
    index: &Index,
    searcher: &Searcher,
    fields: &'a Fields,
    req: &SearchRequest,
    stories: Option<Arc<StoryMap>>,
) -> Result<Ranked<'a>> {
    let parsed = parse_with_dates(&req.query, req.since, req.until)?;
    let compiled = compile_parsed(index, searcher, fields, &parsed)?;
    // No page is larger than the index: a collector sized by the request
    // alone (`-n 18446744073709551615`) failed to allocate.
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = req.limit.clamp(1, docs.max(1));
    let offset = req.offset.min(docs);
    // A filter-only query has no relevance to rank by: newest first.
    let sort = if !compiled.ranked && req.sort == Sort::Relevance {
        Sort::Date
    } else {
        req.sort
    };
    let map = stories.filter(|m| !m.is_empty());
    let want = offset.saturating_add(limit);
    // Collapsed, a page is cut from the stories of the best `depth`
    // matches, read again deeper until they hold enough stories: the
    // stories' order does not depend on the depth, so no story is on two
    // pages, and none is skipped.
    let mut depth = want
        .saturating_add(want / 4)
        .saturating_add(8)
        .min(docs.max(1));
    let (mut scored, counted) = loop {
        let (o, l) = match map {
            Some(_) => (0, depth),
            None => (offset, limit),
        };
        let count = StoryCount(map.clone());
        let (scored, counted) = match sort {
            Sort::Relevance => by_relevance(searcher, &compiled, o, l, count)?,
            Sort::Date => by_date(searcher, &compiled, o, l, Newest, count)?,
            Sort::Oldest => by_date(searcher, &compiled, o, l, Oldest, count)?,
            Sort::Recent => by_recency(searcher, &compiled, o, l, req, count)?,
        };
        let Some(m) = &map else {
            break (
                scored.into_iter().map(|(s, a)| (s, a, None)).collect(),
                counted,
            );
        };
        let all_read = scored.len() < depth || depth >= docs;
        let one_each = one_per_story(m, scored);
        if one_each.len() >= want || all_read {
            let page: Vec<_> = one_each.into_iter().skip(offset).take(limit).collect();
            break (page, counted);
        }
        depth = depth.saturating_mul(2).min(docs);
    };
    // A story shows its earliest matching copy (its representative when
    // that matches); newest first, the earliest of its matching copies of
    // the newest date, so that the dates shown stay in order. Either is
    // the same whatever order the index holds the copies in.
    if let Some(m) = &map {
        for (_, addr, story) in &mut scored {
            if let Some(n) = *story {
                let ranked = *addr;
                let published =
                    |a: DocAddress| date_reader(searcher.segment_reader(a.segment_ord))(a.doc_id);
                for &c in m.copies(n) {
                    let eligible = sort != Sort::Date || published(c) == published(ranked);
                    if c == ranked || eligible && matches(searcher, &compiled, c)? {
                        *addr = c;
                        break;
                    }
                }
            }
        }
    }
    // A page of 0 asks only for the total (the collector needs room for 1).
    scored.truncate(req.limit);
    let snippets = match (&compiled.keywords, req.snippet_chars) {
        (Some(kq), n) if n > 0 => Some(Snippets::new(searcher, &**kq, fields, n)?),
        _ => None,
    };
    Ok(Ranked {
        total: counted.articles,
        stories: counted.stories,
        map,
        surname_only: surnames::surname_only(index, searcher, fields, &parsed)?,
        earlier_names: renames::earlier_names(index, searcher, fields, &parsed)?,
        suggestion: match parsed.is_filter_only() {
            true => None,
            false => suggest::suggest(index, searcher, fields, req, counted.articles)?,
        },
        expansions: compiled.expansions,
        searcher: searcher.clone(),
        fields,
        snippets,
        snippet_chars: req.snippet_chars,
        text: req.text,
        scored,
    })
}

/// The collector of one page of matches.
fn page(offset: usize, limit: usize) -> TopDocs {
    TopDocs::with_limit(limit).and_offset(offset)
}

/// Best match first; the best [`RERANK_DEPTH`] re-scored with the
/// proximity boost when the query has one.
fn by_relevance(
    searcher: &Searcher,
    compiled: &Compiled,
    offset: usize,
    limit: usize,
    count: StoryCount,
) -> Result<Scored> {
    if compiled.proximity.is_empty() {
        return compiled.search(searcher, (page(offset, limit).order_by_score(), count));
    }
    let depth = RERANK_DEPTH.max(offset + limit);
    let (mut best, total) = compiled.search(
        searcher,
        (TopDocs::with_limit(depth).order_by_score(), count),
    )?;
    // Always the same top re-scored, whatever the page: re-scoring
    // down to the page's end reordered the list each page is cut
    // from, so deep pages repeated articles and skipped others.
    let rest = best.split_off(best.len().min(RERANK_DEPTH));
    let mut ranked = rerank(searcher, &compiled.proximity, best)?;
    ranked.extend(rest);
    let page = ranked.into_iter().skip(offset).take(limit).collect();
    Ok((page, total))
}

/// Which way [`by_date`] runs.
#[derive(Clone, Copy)]
enum Direction {
    Newest,
    Oldest,
}
use Direction::{Newest, Oldest};

/// Newest (or oldest) first, undated articles last either way, a date's
/// ties best match first; the score is kept for show.
fn by_date(
    searcher: &Searcher,
    compiled: &Compiled,
    offset: usize,
    limit: usize,
    direction: Direction,
    count: StoryCount,
) -> Result<Scored> {
    let (docs, total) = compiled.search(
        searcher,
        (
            page(offset, limit).tweak_score(move |seg: &SegmentReader| {
                let date = date_reader(seg);
                // The collector keeps the largest keys: the oldest article
                // has the largest negated date, and undated ones the
                // smallest key in both directions.
                move |doc, score| {
                    let key = match (date(doc), direction) {
                        (Some(d), Newest) => d.max(i64::MIN + 1),
                        (Some(d), Oldest) => d.saturating_neg().max(i64::MIN + 1),
                        (None, _) => i64::MIN,
                    };
                    (key, score)
                }
            }),
            count,
        ),
    )?;
    Ok((docs.into_iter().map(|((_, s), a)| (s, a)).collect(), total))
}

/// Relevance decayed by age, halved every `req.half_life_days`, the age
/// counted from `req.as_of` (before or after it), else back from
/// `req.until`, else from the newest dated match.
fn by_recency(
    searcher: &Searcher,
    compiled: &Compiled,
    offset: usize,
    limit: usize,
    req: &SearchRequest,
    count: StoryCount,
) -> Result<Scored> {
    // Recency can lift any match into the page, so here the boost
    // goes into the query itself.
    let boosted;
    let compiled = if compiled.proximity.is_empty() {
        compiled
    } else {
        let mut clauses = vec![(Occur::Must, compiled.query.box_clone())];
        clauses.extend(
            compiled
                .proximity
                .iter()
                .map(|q| (Occur::Should, q.box_clone())),
        );
        boosted = Compiled {
            query: Box::new(BooleanQuery::new(clauses)),
            keywords: None,
            proximity: Vec::new(),
            dates: compiled.dates,
            ranked: compiled.ranked,
            expansions: Vec::new(),
        };
        &boosted
    };
    let days = req.half_life_days;
    if !(days.is_finite() && days > 0.0) {
        return Err(Error::Query(format!(
            "the half-life must be a positive number of days, got {days}"
        )));
    }
    let half_lives = move |secs: i64| secs as f64 / (days * 86_400.0) * std::f64::consts::LN_2;
    // Without `as_of` the key counts half-lives from the epoch rather
    // than back from the reference day: every match is on or before that
    // day (the newest match, or `until`, which filters), so the order is
    // the same whatever the day is, and the newest match can be found in
    // the same pass as the page. With `as_of` the day is the time the
    // reader reads as of: an article after it is as far from it as one
    // before, so both decay by their distance and the key is relative.
    let as_of = req.as_of.map(|t| t.as_second());
    let ((docs, total), newest) = compiled.search(
        searcher,
        (
            (
                page(offset, limit).tweak_score(move |seg: &SegmentReader| {
                    let date = date_reader(seg);
                    // Dated articles first, by the log of score × ½^(age
                    // / half-life): the product itself underflows to 0
                    // for articles a few years old. Undated ones follow.
                    move |doc, score: f32| match date(doc) {
                        Some(d) => {
                            let log = f64::from(score.max(f32::MIN_POSITIVE)).ln();
                            let decay = match as_of {
                                Some(day) => -half_lives(d.abs_diff(day) as i64),
                                None => half_lives(d),
                            };
                            (true, log + decay)
                        }
                        None => (false, f64::from(score)),
                    }
                }),
                count,
            ),
            NewestDate,
        ),
    )?;
    let reference = match as_of {
        // The key is already relative to the day.
        Some(_) => 0,
        None => req.until.map(|t| t.as_second()).or(newest).unwrap_or(0),
    };
    let shown = |(dated, key): (bool, f64)| match dated {
        true => (key - half_lives(reference)).exp() as f32,
        false => 0.0,
    };
    Ok((
        docs.into_iter().map(|(k, a)| (shown(k), a)).collect(),
        total,
    ))
}

/// The ranked matches with each story's first only, and its story.
fn one_per_story(
    map: &StoryMap,
    scored: Vec<(f32, DocAddress)>,
) -> Vec<(f32, DocAddress, Option<u32>)> {
    let mut seen = HashSet::new();
    scored
        .into_iter()
        .filter_map(|(s, a)| match map.story_of(a) {
            Some(n) if !seen.insert(n) => None,
            n => Some((s, a, n)),
        })
        .collect()
}

/// Whether the article at `addr` matches the compiled query, its date
/// range included.
fn matches(searcher: &Searcher, compiled: &Compiled, addr: DocAddress) -> Result<bool> {
    let segment = searcher.segment_reader(addr.segment_ord);
    if let Some((from, to)) = compiled.dates {
        if !date_reader(segment)(addr.doc_id).is_some_and(|d| d >= from && d < to) {
            return Ok(false);
        }
    }
    let weight = compiled
        .query
        .weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut scorer = weight.scorer(segment, 1.0)?;
    Ok(scorer.doc() <= addr.doc_id && scorer.seek(addr.doc_id) == addr.doc_id)
}

/// The newest date among the matches, in Unix seconds.
struct NewestDate;

impl Collector for NewestDate {
    type Fruit = Option<i64>;
    type Child = NewestInSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<NewestInSegment> {
        Ok(NewestInSegment {
            column: segment.fast_fields().date(field::PUBLISHED).ok(),
            newest: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, parts: Vec<Option<i64>>) -> tantivy::Result<Option<i64>> {
        Ok(parts.into_iter().flatten().max())
    }
}

/// [`NewestDate`] for one segment.
struct NewestInSegment {
    column: Option<tantivy::columnar::Column<tantivy::DateTime>>,
    newest: Option<i64>,
}

impl SegmentCollector for NewestInSegment {
    type Fruit = Option<i64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(d) = self.column.as_ref().and_then(|c| c.first(doc)) {
            let d = d.into_timestamp_secs();
            self.newest = Some(self.newest.map_or(d, |n| n.max(d)));
        }
    }

    fn harvest(self) -> Option<i64> {
        self.newest
    }
}

/// How many of the best matches are re-scored with the proximity boost when
/// ranking by relevance; matches beyond them follow in plain score order. An
/// article outside them would need its words side by side to outrank all of
/// them; on the 200k corpus this keeps a two-word query at the cost of one
/// without the boost.
const RERANK_DEPTH: usize = 100;

/// Adds the scores of the `proximity` queries to each hit they match and
/// sorts the hits again: the scores they would have with the queries as
/// optional clauses, for these hits only.
fn rerank(
    searcher: &Searcher,
    proximity: &[Box<dyn Query>],
    mut hits: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>> {
    // A scorer only moves forward: each segment's hits in doc order.
    hits.sort_by_key(|&(_, a)| a);
    let stats = ArticleStats::new(searcher)?;
    for q in proximity {
        let weight = q.weight(EnableScoring::enabled_from_statistics_provider(
            &stats, searcher,
        ))?;
        let mut i = 0;
        while i < hits.len() {
            let seg = hits[i].1.segment_ord;
            let mut scorer = weight.scorer(searcher.segment_reader(seg), 1.0)?;
            // `seek_danger` checks the phrase at one document, where `seek`
            // would read on to the next document that has it. No document
            // below `floor` can match, and `seek_danger` is only called at or
            // above it, as its contract asks.
            let mut floor = scorer.doc();
            while let Some((score, addr)) = hits.get_mut(i).filter(|h| h.1.segment_ord == seg) {
                if addr.doc_id >= floor {
                    match scorer.seek_danger(addr.doc_id) {
                        SeekDangerResult::Found => {
                            *score += scorer.score();
                            floor = addr.doc_id + 1;
                        }
                        SeekDangerResult::SeekLowerBound(next) => floor = next,
                    }
                }
                i += 1;
            }
        }
    }
    // Ties keep index order, as TopDocs orders them.
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(hits)
}

/// Reads the published date column of a segment as Unix seconds.
fn date_reader(segment: &SegmentReader) -> impl Fn(tantivy::DocId) -> Option<i64> {
    let col = segment.fast_fields().date(field::PUBLISHED).ok();
    move |doc| {
        col.as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::compile;
    use super::*;
    use crate::schema;

    /// An index of `n` short articles made of a few words in a shuffled
    /// order, in several segments, so that many articles match two words and
    /// only some have them side by side.
    fn small_index(n: usize) -> (Index, Fields) {
        let fields = Fields::build();
        let index = Index::create_in_ram(fields.schema.clone());
        schema::register_tokenizers(&index);
        let words = [
            "oil", "prices", "rise", "fall", "market", "world", "cup", "final",
        ];
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut x: u64 = 7;
        let mut next = || {
            // xorshift: a fixed pseudo-random sequence.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        for i in 0..n {
            let mut doc = tantivy::TantivyDocument::default();
            let title: Vec<&str> = (0..3).map(|_| words[next() % words.len()]).collect();
            let body: Vec<&str> = (0..12 + next() % 30)
                .map(|_| words[next() % words.len()])
                .collect();
            doc.add_text(fields.kind, schema::KIND_ARTICLE);
            doc.add_text(fields.id, i.to_string());
            doc.add_text(fields.title, title.join(" "));
            doc.add_text(fields.body, body.join(" "));
            writer.add_document(doc).unwrap();
            if i % 150 == 149 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    #[test]
    fn reranking_scores_as_the_phrase_clause_would() {
        let (index, fields) = small_index(600);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        for q in ["oil prices", "world cup final", "prices oil", "market rise"] {
            let compiled = compile(&index, &searcher, &fields, q, None, None).unwrap();
            assert!(!compiled.proximity.is_empty(), "{q}");
            let all = searcher
                .search(
                    &compiled.query,
                    &TopDocs::with_limit(10_000).order_by_score(),
                )
                .unwrap();
            assert!(all.len() > 100, "{q}: {} matches", all.len());
            let reranked = rerank(&searcher, &compiled.proximity, all.clone()).unwrap();
            let mut clauses = vec![(Occur::Must, compiled.query.box_clone())];
            clauses.extend(
                compiled
                    .proximity
                    .iter()
                    .map(|p| (Occur::Should, p.box_clone())),
            );
            let whole = searcher
                .search(
                    &BooleanQuery::new(clauses),
                    &TopDocs::with_limit(10_000).order_by_score(),
                )
                .unwrap();
            assert_eq!(reranked.len(), whole.len());
            for (a, b) in reranked.iter().zip(&whole) {
                assert!((a.0 - b.0).abs() < 1e-4, "{q}: {a:?} against {b:?}");
            }
            // Some articles gained, or the test shows nothing.
            assert!(reranked.iter().zip(&all).any(|(a, b)| a.1 != b.1), "{q}");
        }
    }

    #[test]
    fn relevance_pages_past_the_reranked_top_neither_repeat_nor_skip() {
        let (index, fields) = small_index(600);
        let searcher = index.reader().unwrap().searcher();
        let req = |limit, offset| SearchRequest {
            limit,
            offset,
            snippet_chars: 0,
            ..SearchRequest::new("oil prices")
        };
        let all = execute(&index, &searcher, &fields, &req(10_000, 0), None).unwrap();
        assert!(all.total > 2 * RERANK_DEPTH, "{} matches", all.total);
        let whole: Vec<String> = all.hits.iter().map(|h| h.id.clone()).collect();
        for size in [7, 10, 100] {
            let mut paged = Vec::new();
            let mut offset = 0;
            while offset < all.total {
                let page = execute(&index, &searcher, &fields, &req(size, offset), None).unwrap();
                paged.extend(page.hits.iter().map(|h| h.id.clone()));
                offset += size;
            }
            assert_eq!(paged, whole, "pages of {size}");
        }
    }

    #[test]
    fn snippets_do_not_mark_excluded_words() {
        let (index, fields) = small_index(600);
        let searcher = index.reader().unwrap().searcher();
        let mut req = SearchRequest::new(r#"oil -"prices rise""#);
        req.limit = 50;
        let res = execute(&index, &searcher, &fields, &req, None).unwrap();
        assert!(!res.hits.is_empty());
        let (mut saw_oil, mut saw_prices) = (false, false);
        for h in &res.hits {
            let marked = h.snippet.marked("[", "]");
            assert!(
                !marked.contains("[prices]") && !marked.contains("[rise]"),
                "{marked}"
            );
            saw_oil |= marked.contains("[oil]");
            saw_prices |= marked.contains("prices");
        }
        // The searched word is marked and the excluded ones are there,
        // unmarked, or the test shows nothing.
        assert!(saw_oil && saw_prices);
    }
}
