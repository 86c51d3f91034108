//! Batch reindexing: incremental changes, per-record JSON Lines, one writer at
//! a time, `--full` swaps, and surviving SIGKILL.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use byline::{Archive, IndexOptions, SearchRequest};
use predicates::prelude::*;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn byline(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("byline").unwrap();
    c.current_dir(dir).env_remove("BYLINE_INDEX");
    c
}

fn reindex_json(dir: &Path) -> Value {
    let out = byline(dir).args(["reindex", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn counts(v: &Value) -> [u64; 4] {
    ["added", "updated", "removed", "unchanged"].map(|k| v[k].as_u64().unwrap())
}

/// Every article in an index, as (path below the corpus, id, title), for
/// comparing an incrementally maintained index with a clean build.
fn contents(index: &Path) -> BTreeSet<(String, String, String)> {
    let archive = Archive::open(index).unwrap();
    let all = archive
        .search(&SearchRequest::new("").limit(1_000_000))
        .unwrap();
    assert_eq!(all.total, all.hits.len());
    all.hits
        .into_iter()
        .map(|h| {
            let rel = h.path.split_once("corpus/").map(|(_, r)| r.to_string());
            (rel.unwrap_or(h.path), h.id, h.title)
        })
        .collect()
}

fn clean_build(corpus: &Path) -> BTreeSet<(String, String, String)> {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("idx");
    Archive::open_or_create(&idx)
        .unwrap()
        .index_folder(corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    contents(&idx)
}

/// Asserts two sets are equal, showing a few differences rather than all.
fn assert_same(a: &BTreeSet<(String, String, String)>, b: &BTreeSet<(String, String, String)>) {
    let only_a: Vec<_> = a.difference(b).take(5).collect();
    let only_b: Vec<_> = b.difference(a).take(5).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "{} vs {} articles; only in the first: {only_a:?}; only in the second: {only_b:?}",
        a.len(),
        b.len()
    );
}

fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for name in [
        "scraped-page.txt",
        "news-please.json",
        "roundup.json",
        "page.html",
    ] {
        std::fs::copy(fixtures().join(name), corpus.join(name)).unwrap();
    }
    let lines: Vec<String> = (1..=5)
        .map(|i| {
            format!(r#"{{"id": {i}, "title": "Wire story number {i} about tides", "body": "Tide tables for port {i} were revised."}}"#)
        })
        .collect();
    std::fs::write(corpus.join("wire.jsonl"), lines.join("\n") + "\n").unwrap();
    tmp
}

#[test]
fn incremental_changes_are_counted_and_match_a_clean_build() {
    let tmp = setup();
    let dir = tmp.path();
    let corpus = dir.join("corpus");
    // First run on an empty index adds everything.
    assert_eq!(counts(&reindex_json(dir)), [10, 0, 0, 0]);
    // Nothing changed: nothing read.
    let v = reindex_json(dir);
    assert_eq!(counts(&v), [0, 0, 0, 10]);
    assert_eq!(v["bytes_read"], 0);

    // Touch without change: re-hashed, not re-indexed.
    let page = std::fs::read(corpus.join("page.html")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(corpus.join("page.html"), &page).unwrap();
    assert_eq!(counts(&reindex_json(dir)), [0, 0, 0, 10]);

    // A changed file, a removed file, a new file, and one changed line.
    let txt = std::fs::read_to_string(corpus.join("scraped-page.txt")).unwrap();
    std::fs::write(
        corpus.join("scraped-page.txt"),
        txt.replace("48 hours", "72 hours"),
    )
    .unwrap();
    std::fs::remove_file(corpus.join("roundup.json")).unwrap();
    std::fs::copy(fixtures().join("records.jsonl"), corpus.join("more.jsonl")).unwrap();
    let wire = std::fs::read_to_string(corpus.join("wire.jsonl")).unwrap();
    std::fs::write(
        corpus.join("wire.jsonl"),
        wire.replace("port 3 were", "port 3 were not"),
    )
    .unwrap();
    let v = reindex_json(dir);
    // added: 3 good records of more.jsonl; updated: the page and line 3;
    // removed: the two records of roundup.json; the rest unchanged.
    assert_eq!(counts(&v), [3, 2, 2, 6], "{v}");
    assert_eq!(v["skipped"], 1, "the bad line of more.jsonl");

    // Lines removed from the end of a JSON Lines file go; the others stay.
    let kept: Vec<&str> = wire.lines().take(2).collect();
    std::fs::write(corpus.join("wire.jsonl"), kept.join("\n") + "\n").unwrap();
    assert_eq!(counts(&reindex_json(dir)), [0, 0, 3, 8]);

    assert_same(&contents(&dir.join("index")), &clean_build(&corpus));
    byline(dir)
        .args(["search", "72 hours"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Harbour Pilots"));
    byline(dir)
        .args(["search", "\"48 hours\""])
        .assert()
        .code(1);
}

#[test]
fn a_second_writer_fails_at_once_and_says_who_holds_the_lock() {
    let tmp = setup();
    let dir = tmp.path();
    byline(dir).arg("index").assert().success();
    let _held = byline::indexer::WriterLock::acquire(&dir.join("index"), "test holder").unwrap();
    for cmd in [&["index"][..], &["reindex"][..], &["reindex", "--full"][..]] {
        byline(dir)
            .args(cmd)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("locked by another writer"))
            .stderr(predicate::str::contains(format!(
                "pid {}",
                std::process::id()
            )));
    }
    // Readers are not blocked.
    byline(dir).args(["search", "lithium"]).assert().success();
}

#[test]
fn full_rebuild_swaps_in_a_fresh_index() {
    let tmp = setup();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("index")).unwrap();
    std::fs::write(dir.join("index/.gitignore"), "*\n!.gitignore\n").unwrap();
    byline(dir).arg("index").assert().success();
    let before = Archive::open(dir.join("index")).unwrap();
    // A search in progress holds a searcher on the old index's files.
    let in_progress = before.tantivy_index().reader().unwrap().searcher();
    std::fs::remove_file(dir.join("corpus/page.html")).unwrap();
    let out = byline(dir)
        .args(["reindex", "--full", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["added"], 9);
    // The search in progress still reads the old index, files and all...
    assert_eq!(in_progress.num_docs(), 10 + 5);
    let stored: tantivy::TantivyDocument = in_progress.doc(tantivy::DocAddress::new(0, 0)).unwrap();
    assert!(!stored.field_values().collect::<Vec<_>>().is_empty());
    // ...and an open archive moves on to the new one at its next search.
    assert_eq!(
        before.search(&SearchRequest::new("lithium")).unwrap().total,
        0
    );
    byline(dir).args(["search", "lithium"]).assert().code(1);
    assert!(dir.join("index/.gitignore").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_same(
        &contents(&dir.join("index")),
        &clean_build(&dir.join("corpus")),
    );
}

/// Writes `n` small articles into `dir`.
fn many_articles(dir: &Path, n: usize, tag: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let para = "Harbour authorities said the new berths would open in stages over the coming months, with the first cargo expected before the summer. ";
    for i in 0..n {
        let body = para.repeat(12);
        std::fs::write(
            dir.join(format!("{tag}-{i:05}.txt")),
            format!("Port expansion report {tag} number {i} for the record\n\nA standfirst line for story {i}.\n\n{body}\n"),
        )
        .unwrap();
    }
}

#[test]
fn killed_with_sigkill_the_index_survives_and_the_next_run_finishes() {
    let tmp = setup();
    let dir = tmp.path();
    let corpus = dir.join("corpus");
    byline(dir).arg("reindex").assert().success();
    let committed = contents(&dir.join("index"));
    many_articles(&corpus.join("bulk"), 4000, "a");

    // Kill reindex runs at different moments, including right at the start.
    let bin = assert_cmd::cargo::cargo_bin("byline");
    for delay_ms in [0u64, 30, 120, 400] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(dir)
            .env_remove("BYLINE_INDEX")
            .args(["reindex", "--memory-mb", "50"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // kill() sends SIGKILL on Unix.
        let _ = child.kill();
        let _ = child.wait();
        // The last committed index is intact and searchable.
        let now = contents(&dir.join("index"));
        assert!(
            now.is_superset(&committed),
            "index lost documents after a kill at {delay_ms} ms"
        );
        byline(dir).args(["search", "lithium"]).assert().success();
    }
    // The next run finishes the job: the result equals a clean build.
    let v = reindex_json(dir);
    assert!(v["added"].as_u64().unwrap() <= 4000);
    assert_same(&contents(&dir.join("index")), &clean_build(&corpus));
    assert_eq!(contents(&dir.join("index")).len(), 10 + 4000);
}
