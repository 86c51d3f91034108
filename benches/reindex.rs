//! Batch reindexing against a full build, on the same folder in one run.
//!
//! ```text
//! ../shared/tools/gen-corpus 200000 /tmp/200k-txt --format txt
//! BYLINE_BENCH_TXT=/tmp/200k-txt cargo bench --bench reindex
//! ```
//!
//! Without `BYLINE_BENCH_TXT` it generates 20,000 articles with
//! `../shared/tools/gen-corpus` in a temporary folder (skipped if the tool is
//! not there). The folder must be writable: the bench edits 1% of its files
//! (appending a sentence) and restores them at the end.
//!
//! Reported: a full build (`index_folder`), a reindex with nothing changed, and
//! a reindex after 1% of the files changed; medians of 3 runs each, and each
//! reindex as a share of the full build.

use std::path::{Path, PathBuf};
use std::time::Instant;

use byline::{Archive, IndexOptions};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = match std::env::var("BYLINE_BENCH_TXT") {
        Ok(p) => PathBuf::from(p),
        Err(_) => {
            let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-corpus");
            if !tool.exists() {
                eprintln!(
                    "reindex bench: set BYLINE_BENCH_TXT or provide ../shared/tools/gen-corpus"
                );
                return;
            }
            let out = tmp.path().join("corpus");
            let ok = std::process::Command::new("python3")
                .arg(&tool)
                .args(["20000", &out.display().to_string(), "--format", "txt"])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "gen-corpus failed");
            out
        }
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&corpus)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let changed: Vec<&PathBuf> = files.iter().step_by(100).collect();
    let originals: Vec<Vec<u8>> = changed
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    // Restored files get their mtimes back too: a file modified moments
    // before a build is read again by the next reindex, and the next run's
    // "nothing changed" would then read the 1% restored by this one.
    let mtimes: Vec<std::time::SystemTime> = changed
        .iter()
        .map(|p| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .expect("mtime")
        })
        .collect();
    let opts = IndexOptions::default();
    let mut full = Vec::new();
    let mut noop = Vec::new();
    let mut one_pct = Vec::new();
    let mut counts = String::new();
    for run in 0..3 {
        let dir = tmp.path().join(format!("index-{run}"));
        let archive = Archive::open_or_create(&dir).expect("index");
        let t = Instant::now();
        let report = archive
            .index_folder(&corpus, &opts, &|_| {})
            .expect("full build");
        full.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let r = archive.reindex(&corpus, &opts, &|_| {}).expect("reindex");
        noop.push(t.elapsed().as_secs_f64());
        assert_eq!((r.added, r.updated, r.removed), (0, 0, 0));
        for (p, orig) in changed.iter().zip(&originals) {
            let mut text = orig.clone();
            text.extend_from_slice(
                format!("\nThe figures were revised in run {run}.\n").as_bytes(),
            );
            std::fs::write(p, text).expect("edit");
        }
        let t = Instant::now();
        let r = archive.reindex(&corpus, &opts, &|_| {}).expect("reindex");
        one_pct.push(t.elapsed().as_secs_f64());
        assert_eq!(r.updated as usize, changed.len());
        counts = format!(
            "{} articles; 1% run: {} updated, {} unchanged",
            report.indexed, r.updated, r.unchanged
        );
        for ((p, orig), mtime) in changed.iter().zip(&originals).zip(&mtimes) {
            std::fs::write(p, orig).expect("restore");
            std::fs::File::options()
                .append(true)
                .open(p)
                .and_then(|f| f.set_modified(*mtime))
                .expect("restore mtime");
        }
        drop(archive);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let (f, n, c) = (median(full), median(noop), median(one_pct));
    println!(
        "corpus: {} ({} files; {counts})",
        corpus.display(),
        files.len()
    );
    println!("full build              {f:>8.2} s");
    println!(
        "reindex, no change      {n:>8.2} s  {:>6.1}% of full",
        100.0 * n / f
    );
    println!(
        "reindex, 1% changed     {c:>8.2} s  {:>6.1}% of full",
        100.0 * c / f
    );
}
