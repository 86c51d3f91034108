//! In-process query latency over a query set, as percentiles, for the peer
//! comparison (`eval/compare/compare.py --inproc FILE`, or
//! `--inproc-bench`, which runs this bench itself on the index it built).
//!
//! ```text
//! byline --index /tmp/idx index /tmp/200k.jsonl
//! BYLINE_BENCH_INDEX=/tmp/idx cargo bench --bench latency            # prints p50/p95/p99
//! BYLINE_BENCH_INDEX=/tmp/idx BYLINE_BENCH_OUT=/tmp/inproc.json cargo bench --bench latency
//! ```
//!
//! One untimed pass over the queries of `eval/compare/queries.txt` (or
//! `BYLINE_BENCH_QUERIES`) warms up; then 5 passes run every query once each,
//! in order, top 10 with snippets, as `byline search` shows them. The JSON
//! written to `BYLINE_BENCH_OUT` maps each query to its 5 times in seconds.
//!
//! With `BYLINE_BENCH_COPIES=compare`, each query also runs with every copy
//! of a story as its own hit (`--all-copies`), right after the same query
//! collapsed, and the two p50s and their ratio are printed: the cost of
//! showing a story once (`benches/copies.sh` runs it on 200k articles with
//! copies added).

// The `byline` command's allocator, so that byline is measured as it ships.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use byline::{Archive, SearchRequest};

/// Passes over the query set.
const PASSES: usize = 5;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Ok(index) = std::env::var("BYLINE_BENCH_INDEX") else {
        eprintln!("latency bench: set BYLINE_BENCH_INDEX to an index folder");
        return;
    };
    let queries_path = std::env::var("BYLINE_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("eval/compare/queries.txt")
        });
    let queries: Vec<String> = std::fs::read_to_string(&queries_path)
        .expect("query file")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    // The JSON is keyed by query: a repeated line would merge two queries' samples.
    let mut seen = std::collections::HashSet::new();
    let queries: Vec<String> = queries
        .into_iter()
        .filter(|q| seen.insert(q.clone()))
        .collect();
    if queries.is_empty() {
        eprintln!("latency bench: no queries in {}", queries_path.display());
        return;
    }
    let archive = Archive::open(&index).expect("open index");
    let requests: Vec<SearchRequest> = queries
        .iter()
        .map(|q| SearchRequest::new(q.as_str()))
        .collect();
    // One untimed pass brings the index files into memory; then timed passes
    // over the whole set, as compare.py times SQLite. A query repeated back
    // to back would find its hits' document-store blocks still in tantivy's
    // cache, which a different next query does not.
    for req in &requests {
        archive.search(req).expect("query");
    }
    let compare = std::env::var("BYLINE_BENCH_COPIES").is_ok_and(|v| v == "compare");
    let every: Vec<SearchRequest> = requests
        .iter()
        .map(|r| SearchRequest {
            all_copies: true,
            ..r.clone()
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(PASSES); queries.len()];
    let mut every_samples: Vec<f64> = Vec::new();
    for pass in 0..PASSES {
        for ((req, all), times) in requests.iter().zip(&every).zip(&mut samples) {
            // Which goes first alternates by pass, so neither always finds
            // the other's blocks in cache.
            let timed = |r: &SearchRequest| {
                let t = Instant::now();
                archive.search(r).expect("query");
                t.elapsed().as_secs_f64()
            };
            if compare && pass % 2 == 1 {
                every_samples.push(timed(all));
            }
            times.push(timed(req));
            if compare && pass % 2 == 0 {
                every_samples.push(timed(all));
            }
        }
    }
    let per_query: BTreeMap<&String, &Vec<f64>> = queries.iter().zip(&samples).collect();
    let mut all: Vec<f64> = samples.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() - 1) as f64 * p).round() as usize] * 1000.0;
    println!(
        "{} queries x {PASSES} on {index}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        queries.len(),
        pct(0.50),
        pct(0.95),
        pct(0.99),
        all[all.len() - 1] * 1000.0
    );
    if compare {
        let mut every = every_samples;
        every.sort_by(f64::total_cmp);
        let p50_every = every[(every.len() - 1) / 2] * 1000.0;
        println!(
            "copies: collapsed p50 {:.3} ms, --all-copies p50 {p50_every:.3} ms, ratio {:.2}",
            pct(0.50),
            pct(0.50) / p50_every
        );
    }
    if let Ok(out) = std::env::var("BYLINE_BENCH_OUT") {
        std::fs::write(
            &out,
            serde_json::to_string_pretty(&per_query).expect("json"),
        )
        .expect("write");
        println!("samples written to {out}");
    }
}
