//! The stages of the pipeline one by one, each with its throughput:
//! reading and cleaning each format, date parsing, entity extraction, and
//! indexing the sample archive end to end. (Indexing at scale against bare
//! tantivy is `indexing.rs`; queries, snippets and the timeline are
//! `search.rs` and `latency.rs`.)
//!
//! ```text
//! cargo bench --bench stages
//! ```
//!
//! Inputs are the project's own test fixtures, so the bench runs anywhere.

use byline::enrich::{dates, entities};
use byline::{ingest, Format};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SCRAPED: &str = include_str!("../tests/fixtures/scraped-page.txt");
const NEWS_PLEASE: &str = include_str!("../tests/fixtures/news-please.json");
const JSONL: &str = include_str!("../tests/fixtures/records.jsonl");
const HTML: &str = include_str!("../tests/fixtures/page.html");
const ARTICLES: [&str; 3] = [
    include_str!("../tests/fixtures/entities/2025-06-02-pilots.txt"),
    include_str!("../tests/fixtures/entities/2025-06-20-ferries.txt"),
    include_str!("../tests/fixtures/entities/2025-07-01-washington.txt"),
];
const DATES: [&str; 10] = [
    "2025-12-04T10:00:00+01:00",
    "Tue, 14 Oct 2025 08:00:00 GMT",
    "2025-03-14 09:30:00",
    "December 4, 2025",
    "Dec. 4, 2025 10:00 PM EST",
    "Published: December 4, 2025 at 10:00 a.m. ET",
    "Updated: 12 March 2025, 14:05 GMT",
    "04.12.2025 14:05",
    "04/05/2025",
    "30 February 2025",
];

fn readers(c: &mut Criterion) {
    let mut g = c.benchmark_group("ingest+clean");
    for (name, format, text) in [
        ("scraped txt", Format::Txt, SCRAPED),
        ("news-please json", Format::Json, NEWS_PLEASE),
        (
            "jsonl record",
            Format::Jsonl,
            JSONL.lines().next().unwrap_or_default(),
        ),
        ("html page", Format::Html, HTML),
    ] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| ingest::parse(format, text).expect("parse"))
        });
    }
    g.finish();
}

fn date_parsing(c: &mut Criterion) {
    let mut g = c.benchmark_group("dates");
    g.throughput(Throughput::Elements(DATES.len() as u64));
    g.bench_function("parse 10 date strings", |b| {
        b.iter(|| DATES.iter().filter_map(|d| dates::parse_date(d)).count())
    });
    g.bench_function("path", |b| {
        b.iter(|| dates::from_path("archive/2025/12/04/talks.txt"))
    });
    g.finish();
}

fn entity_extraction(c: &mut Criterion) {
    let text = ARTICLES.join("\n\n");
    let mut g = c.benchmark_group("entities");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("extract 3 articles", |b| {
        b.iter(|| entities::extract(&text))
    });
    g.finish();
}

fn indexing(c: &mut Criterion) {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let bytes: u64 = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    let mut g = c.benchmark_group("index");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("sample archive (corpus/), entities on", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let archive = byline::Archive::open_or_create(dir.path()).expect("index");
            archive
                .index_folder(&corpus, &byline::IndexOptions::default(), &|_| {})
                .expect("indexing")
        })
    });
    g.finish();
}

criterion_group!(benches, readers, date_parsing, entity_extraction, indexing);
criterion_main!(benches);
