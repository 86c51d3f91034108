//! In-process query latency over a query set, as percentiles, for the peer
//! comparison (`benches/compare/compare.py --inproc`).
//!
//! ```text
//! byline --index /tmp/idx index /tmp/200k.jsonl
//! BYLINE_BENCH_INDEX=/tmp/idx cargo bench --bench latency            # prints p50/p95/p99
//! BYLINE_BENCH_INDEX=/tmp/idx BYLINE_BENCH_OUT=/tmp/inproc.json cargo bench --bench latency
//! ```
//!
//! Each query of `benches/compare/queries.txt` (or `BYLINE_BENCH_QUERIES`) runs
//! once to warm up, then 5 times; top 10 with snippets, as `byline search`
//! shows them. The JSON written to `BYLINE_BENCH_OUT` maps each query to its
//! median seconds.

// The `byline` command's allocator, so that byline is measured as it ships.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use byline::{Archive, SearchRequest};

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
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/compare/queries.txt")
        });
    let queries: Vec<String> = std::fs::read_to_string(&queries_path)
        .expect("query file")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let archive = Archive::open(&index).expect("open index");
    let mut all = Vec::new();
    let mut medians = BTreeMap::new();
    for q in &queries {
        let req = SearchRequest::new(q.as_str());
        archive.search(&req).expect("query");
        let mut samples: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                archive.search(&req).expect("query");
                t.elapsed().as_secs_f64()
            })
            .collect();
        samples.sort_by(f64::total_cmp);
        medians.insert(q.clone(), samples[2]);
        all.extend(samples);
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() - 1) as f64 * p).round() as usize] * 1000.0;
    println!(
        "{} queries x 5 on {index}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        queries.len(),
        pct(0.50),
        pct(0.95),
        pct(0.99),
        all[all.len() - 1] * 1000.0
    );
    if let Ok(out) = std::env::var("BYLINE_BENCH_OUT") {
        std::fs::write(&out, serde_json::to_string_pretty(&medians).expect("json")).expect("write");
        println!("medians written to {out}");
    }
}
