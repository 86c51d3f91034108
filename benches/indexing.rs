//! Indexing throughput: byline's whole pipeline against bare tantivy on the
//! same corpus, in the same run.
//!
//! ```text
//! cargo bench --bench indexing                      # ../shared/corpora/bbc
//! BYLINE_BENCH_CORPUS=/data/200k.jsonl BYLINE_BENCH_RUNS=3 cargo bench --bench indexing
//! ```
//!
//! "Bare tantivy" is the least a program can do to index the same text: title
//! and body (stored, with positions, English stemming), a date fast field,
//! 2 writer threads and the same memory budget. It is measured two ways: fed
//! from one thread, as a plain tantivy program is written (`bare tantivy`),
//! and fed from rayon's global pool, all cores (`bare tantivy, rayon`; byline
//! feeds its writer from all of them too), the stricter yardstick. byline adds its readers,
//! cleaning, date and entity extraction and its fuller schema. Each run is a
//! child process, so peak memory (VmHWM) is per run; runs alternate so that
//! machine noise hits all alike. Medians are reported, with CPU seconds (all
//! threads) and the ratio of each round, whose spread shows the noise.

// The `byline` command's allocator, so that byline is measured as it ships.
// Bare tantivy runs under it too: the ratio compares indexing, not allocators.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::schema::{
    DateOptions, DateTimePrecision, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
    INDEXED,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{DateTime, Index, TantivyDocument};

const BUDGET: usize = 256_000_000;

/// One run: documents, input bytes, seconds, peak resident KB, CPU seconds
/// (all threads, user and system).
type Sample = (u64, u64, f64, u64, f64);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let (kind, corpus, out) = (&args[i + 1], &args[i + 2], &args[i + 3]);
        let (docs, bytes, secs) = match kind.as_str() {
            "bare" => bare(Path::new(corpus), Path::new(out), false),
            "bare-rayon" => bare(Path::new(corpus), Path::new(out), true),
            "byline-no-entities" => byline_run(Path::new(corpus), Path::new(out), false),
            _ => byline_run(Path::new(corpus), Path::new(out), true),
        };
        println!("{docs} {bytes} {secs} {} {}", peak_rss_kb(), cpu_seconds());
        return;
    }
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let corpus = std::env::var("BYLINE_BENCH_CORPUS").unwrap_or_else(|_| {
        let manifest = env!("CARGO_MANIFEST_DIR");
        format!("{manifest}/../shared/corpora/bbc")
    });
    if !Path::new(&corpus).exists() {
        eprintln!("indexing bench: corpus {corpus} not found; set BYLINE_BENCH_CORPUS");
        return;
    }
    let runs: usize = std::env::var("BYLINE_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let exe = std::env::current_exe().expect("bench executable path");
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut results: Vec<(&str, Vec<Sample>)> = vec![
        ("bare tantivy", vec![]),
        ("bare tantivy, rayon", vec![]),
        ("byline", vec![]),
        ("byline --no-entities", vec![]),
    ];
    for run in 0..runs {
        for (kind, samples) in results.iter_mut() {
            let out: PathBuf = tmp.path().join(format!("{}-{run}", kind.replace(' ', "-")));
            let child = match *kind {
                "byline" => "byline",
                "byline --no-entities" => "byline-no-entities",
                "bare tantivy" => "bare",
                _ => "bare-rayon",
            };
            let o = Command::new(&exe)
                .args(["--child", child, &corpus, &out.display().to_string()])
                .output()
                .expect("run child");
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let line = String::from_utf8_lossy(&o.stdout);
            let v: Vec<&str> = line.split_whitespace().collect();
            samples.push((
                v[0].parse().unwrap(),
                v[1].parse().unwrap(),
                v[2].parse().unwrap(),
                v[3].parse().unwrap(),
                v[4].parse().unwrap(),
            ));
            let _ = std::fs::remove_dir_all(&out);
        }
    }
    println!("corpus: {corpus} ({runs} runs each, medians)");
    println!(
        "{:<20} {:>9} {:>10} {:>9} {:>10} {:>10} {:>8}",
        "", "docs", "MB", "MB/s", "docs/s", "peak MB", "CPU s"
    );
    let mut mbs = Vec::new();
    for (kind, samples) in &results {
        let mut rates: Vec<f64> = samples.iter().map(|s| s.1 as f64 / 1e6 / s.2).collect();
        rates.sort_by(f64::total_cmp);
        let med = rates[rates.len() / 2];
        let mut peaks: Vec<u64> = samples.iter().map(|s| s.3).collect();
        peaks.sort();
        let (docs, bytes) = (samples[0].0, samples[0].1);
        let secs = bytes as f64 / 1e6 / med;
        let mut cpu: Vec<f64> = samples.iter().map(|s| s.4).collect();
        cpu.sort_by(f64::total_cmp);
        println!(
            "{:<20} {:>9} {:>10.1} {:>9.1} {:>10.0} {:>10.0} {:>8.1}",
            kind,
            docs,
            bytes as f64 / 1e6,
            med,
            docs as f64 / secs,
            peaks[peaks.len() - 1] as f64 / 1024.0,
            cpu[cpu.len() / 2]
        );
        mbs.push(med);
    }
    // The machine's speed drifts between runs; a ratio within one round
    // (variants run back to back) is the figure least touched by it.
    let per_round = |a: usize, b: usize| -> String {
        let mut ratios: Vec<f64> = (0..runs)
            .map(|r| {
                let (x, y) = (&results[a].1[r], &results[b].1[r]);
                // Same input, so the speed ratio is the inverse time ratio.
                x.2 / y.2
            })
            .collect();
        let shown: Vec<String> = ratios.iter().map(|q| format!("{q:.2}")).collect();
        ratios.sort_by(f64::total_cmp);
        format!(
            "{} (median {:.2})",
            shown.join(" "),
            ratios[ratios.len() / 2]
        )
    };
    println!("byline / bare tantivy, per round: {}", per_round(0, 2));
    println!(
        "byline --no-entities / bare tantivy, per round: {}",
        per_round(0, 3)
    );
    println!("ratio byline / bare tantivy: {:.2}", mbs[2] / mbs[0]);
    println!("ratio byline / bare tantivy, rayon: {:.2}", mbs[2] / mbs[1]);
    println!(
        "ratio byline --no-entities / bare tantivy: {:.2}",
        mbs[3] / mbs[0]
    );
    println!(
        "ratio byline --no-entities / bare tantivy, rayon: {:.2}",
        mbs[3] / mbs[1]
    );
}

fn byline_run(corpus: &Path, out: &Path, entities: bool) -> (u64, u64, f64) {
    let archive = byline::Archive::open_or_create(out).expect("create index");
    let opts = byline::IndexOptions {
        memory_budget: BUDGET,
        writer_threads: 2,
        entities,
        ..Default::default()
    };
    let start = Instant::now();
    let report = archive.index_folder(corpus, &opts, &|_| {}).expect("index");
    (report.indexed, report.bytes, start.elapsed().as_secs_f64())
}

/// The baseline: what a minimal tantivy program does with the same input.
fn bare(corpus: &Path, out: &Path, parallel: bool) -> (u64, u64, f64) {
    let mut sb = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let title = sb.add_text_field("title", text.clone());
    let body = sb.add_text_field("body", text);
    let date = sb.add_date_field(
        "published",
        DateOptions::from(INDEXED)
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    std::fs::create_dir_all(out).unwrap();
    let index = Index::create_in_dir(out, sb.build()).unwrap();
    index.tokenizers().register(
        "en",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
    let start = Instant::now();
    let writer: tantivy::IndexWriter = index.writer_with_num_threads(2, BUDGET).unwrap();
    let make = |t: &str, b: &str, secs: Option<i64>| {
        let mut d = TantivyDocument::default();
        d.add_text(title, t);
        d.add_text(body, b);
        if let Some(s) = secs {
            d.add_date(date, DateTime::from_timestamp_secs(s));
        }
        d
    };
    let docs = std::sync::atomic::AtomicU64::new(0);
    let bytes = if corpus.is_file() {
        let bytes = std::fs::metadata(corpus).unwrap().len();
        let reader =
            std::io::BufReader::with_capacity(256 * 1024, std::fs::File::open(corpus).unwrap());
        let feed = |lines: Vec<String>| {
            for line in lines {
                #[derive(serde::Deserialize)]
                struct Rec {
                    title: String,
                    text: String,
                    published: Option<String>,
                }
                let Ok(r) = serde_json::from_str::<Rec>(&line) else {
                    continue;
                };
                let secs = r
                    .published
                    .and_then(|p| p.parse::<jiff::Timestamp>().ok())
                    .map(|t| t.as_second());
                writer.add_document(make(&r.title, &r.text, secs)).unwrap();
                docs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        };
        let batches = Batches(reader.lines());
        if parallel {
            batches.par_bridge().for_each(feed);
        } else {
            batches.for_each(feed);
        }
        bytes
    } else {
        let files: Vec<PathBuf> = walkdir::WalkDir::new(corpus)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        let bytes: u64 = files
            .iter()
            .map(|f| std::fs::metadata(f).unwrap().len())
            .sum();
        let feed = |f: &PathBuf| {
            let raw = std::fs::read(f).unwrap();
            let s = String::from_utf8_lossy(&raw);
            let (t, b) = s.split_once('\n').unwrap_or((&s, ""));
            writer.add_document(make(t, b, None)).unwrap();
            docs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        if parallel {
            files.par_iter().for_each(feed);
        } else {
            files.iter().for_each(feed);
        }
        bytes
    };
    let mut writer = writer;
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    (docs.into_inner(), bytes, start.elapsed().as_secs_f64())
}

struct Batches<I>(I);

impl<I: Iterator<Item = std::io::Result<String>>> Iterator for Batches<I> {
    type Item = Vec<String>;
    fn next(&mut self) -> Option<Vec<String>> {
        let v: Vec<String> = self.0.by_ref().take(256).filter_map(|l| l.ok()).collect();
        (!v.is_empty()).then_some(v)
    }
}

/// CPU time of this process so far, all threads, from `/proc/self/stat`
/// (utime and stime, in the kernel's 100 Hz clock ticks).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which may hold spaces: state is
            // field 3, utime 14, stime 15.
            let rest = &s[s.rfind(')')? + 1..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
            Some(ticks as f64 / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|v| v.parse().unwrap_or(0)))
        })
        .unwrap_or(0)
}
