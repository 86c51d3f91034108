//! Query latency, in-process, snippets included.
//!
//! ```text
//! cargo bench --bench search                        # index of ../shared/corpora/bbc, else corpus/
//! BYLINE_BENCH_CORPUS=/tmp/200k.jsonl cargo bench --bench search
//! ```

use std::path::PathBuf;

use byline::{Archive, Granularity, IndexOptions, SearchRequest, Sort};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> PathBuf {
    if let Ok(p) = std::env::var("BYLINE_BENCH_CORPUS") {
        return PathBuf::from(p);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bbc = manifest.join("../shared/corpora/bbc");
    if bbc.exists() {
        bbc
    } else {
        manifest.join("corpus")
    }
}

fn queries(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = Archive::open_or_create(tmp.path()).expect("index");
    let corpus = corpus();
    let report = archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .expect("indexing");
    eprintln!(
        "indexed {} articles from {}",
        report.indexed,
        corpus.display()
    );

    let cases: &[(&str, &str, Sort)] = &[
        ("one word", "government", Sort::Relevance),
        ("two words", "mobile phone", Sort::Relevance),
        ("phrase", "\"interest rates\"", Sort::Relevance),
        ("or", "football OR rugby", Sort::Relevance),
        ("exclusion", "election -labour", Sort::Relevance),
        (
            "word + date range",
            "government after:2004-06-01 before:2005-06-01",
            Sort::Relevance,
        ),
        ("sort by date", "government", Sort::Date),
        ("sort by recency", "government", Sort::Recent),
        ("filter only", "date:2005", Sort::Relevance),
        ("name as keywords", "Tony Blair", Sort::Relevance),
        ("person filter", "person:\"Tony Blair\"", Sort::Relevance),
        ("person filter, surname", "person:Blair", Sort::Relevance),
        (
            "place filter + word",
            "place:London government",
            Sort::Relevance,
        ),
    ];
    let mut group = c.benchmark_group("search");
    // One request per iteration: criterion reports queries per second.
    group.throughput(Throughput::Elements(1));
    for (name, q, sort) in cases {
        let req = SearchRequest::new(*q).sort(*sort);
        // Fail loudly rather than time an error path.
        archive.search(&req).expect("query runs");
        group.bench_function(*name, |b| b.iter(|| archive.search(&req).expect("search")));
    }
    for (name, q) in [
        ("one word, no snippets", "government"),
        (
            "word + date range, no snippets",
            "government after:2004-06-01 before:2005-06-01",
        ),
    ] {
        let mut bare = SearchRequest::new(q);
        bare.snippet_chars = 0;
        group.bench_function(name, |b| b.iter(|| archive.search(&bare).expect("search")));
    }
    let everything = SearchRequest::new("");
    group.bench_function("timeline, whole archive", |b| {
        b.iter(|| {
            archive
                .timeline(&everything, Granularity::Month)
                .expect("timeline")
        })
    });
    let word = SearchRequest::new("government");
    group.bench_function("timeline, one word", |b| {
        b.iter(|| {
            archive
                .timeline(&word, Granularity::Week)
                .expect("timeline")
        })
    });
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
