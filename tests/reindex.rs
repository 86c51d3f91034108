//! Batch reindexing: incremental changes, per-record JSON Lines, one writer at
//! a time, `--full` swaps, surviving SIGKILL, same-size rewrites within one
//! tick of the file system's clock, and random edits checked against clean
//! builds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

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
    let mut req = SearchRequest::new("").limit(1_000_000);
    // Every article, copies of one story included.
    req.all_copies = true;
    let all = archive.search(&req).unwrap();
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
    for entry in std::fs::read_dir(&corpus).unwrap() {
        set_mtime(&entry.unwrap().path(), an_hour_ago());
    }
    tmp
}

fn an_hour_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600)
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
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

/// A file rewritten at the same size within one tick of the file system's
/// clock keeps its mtime. Indexed moments after it was written, it is read
/// again next time, so such a rewrite is not missed.
#[test]
fn a_file_rewritten_at_the_same_size_and_mtime_is_read_again() {
    let tmp = setup();
    let dir = tmp.path();
    let page = dir.join("corpus/scraped-page.txt");
    let text = std::fs::read_to_string(&page).unwrap();
    let written = SystemTime::now();
    set_mtime(&page, written);
    assert_eq!(counts(&reindex_json(dir)), [10, 0, 0, 0]);
    std::fs::write(&page, text.replace("48 hours", "72 hours")).unwrap();
    set_mtime(&page, written);
    assert_eq!(counts(&reindex_json(dir)), [0, 1, 0, 9]);
    byline(dir)
        .args(["search", "\"72 hours\""])
        .assert()
        .success();
    // Once its mtime is an hour old, it is trusted again: read once more to
    // learn that mtime, then not at all.
    set_mtime(&page, an_hour_ago());
    let v = reindex_json(dir);
    assert_eq!(counts(&v), [0, 0, 0, 10]);
    assert!(v["bytes_read"].as_u64().unwrap() > 0, "{v}");
    let v = reindex_json(dir);
    assert_eq!(counts(&v), [0, 0, 0, 10]);
    assert_eq!(v["bytes_read"], 0, "{v}");
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
    assert_no_leftovers(dir);
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

/// Without dates from mtimes the mtime still tells a changed file from an
/// unchanged one: nothing is read when nothing changed, and an edit that
/// keeps the size is found.
#[test]
fn without_mtime_dates_reindexing_still_trusts_mtimes() {
    let tmp = setup();
    let corpus = tmp.path().join("corpus");
    let opts = IndexOptions {
        mtime_dates: false,
        ..IndexOptions::default()
    };
    let archive = Archive::open_or_create(tmp.path().join("index")).unwrap();
    archive.index_folder(&corpus, &opts, &|_| {}).unwrap();
    let r = archive.reindex(&corpus, &opts, &|_| {}).unwrap();
    assert_eq!((r.unchanged, r.bytes_read), (10, 0));
    let page = corpus.join("scraped-page.txt");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("48 hours", "72 hours")).unwrap();
    let r = archive.reindex(&corpus, &opts, &|_| {}).unwrap();
    assert_eq!((r.updated, r.unchanged), (1, 9));
}

/// A fixed pseudo-random sequence (xorshift), so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "harbour",
    "talks",
    "Bergen",
    "tides",
    "ministers",
    "strike",
    "cable",
    "Nordlys Energy",
    "Mira Castell",
    "Gdańsk",
    "port",
    "deal",
    "the",
    "of",
    "said",
    "on",
    "Tuesday",
];

/// A title, a body and a date made of [`WORDS`].
fn random_article(rng: &mut Rng, n: usize) -> (String, String, String) {
    let mut sentence = || {
        let words: Vec<&str> = (0..5 + rng.below(10))
            .map(|_| WORDS[rng.below(WORDS.len())])
            .collect();
        format!("Now {} ends.", words.join(" "))
    };
    let title = format!("{} number {n}", sentence().trim_end_matches('.'));
    let body = (0..3).map(|_| sentence()).collect::<Vec<_>>().join(" ");
    let date = format!("2025-0{}-1{}", 1 + rng.below(9), rng.below(10));
    (title, body, date)
}

/// A new file's name and content, in one of the formats, with one to four
/// articles.
fn random_file(rng: &mut Rng, n: usize) -> (String, String) {
    let json = |rng: &mut Rng, i: usize| {
        let (title, text, published) = random_article(rng, n * 10 + i);
        serde_json::json!({"id": format!("r{n}-{i}"), "title": title, "text": text, "published": published})
    };
    match rng.below(5) {
        0 => {
            let (t, b, d) = random_article(rng, n);
            (
                format!("f{n}.txt"),
                format!("{t}\n\nPublished: {d}\n\n{b}\n"),
            )
        }
        1 => (format!("f{n}.json"), json(rng, 0).to_string()),
        2 => {
            let lines: Vec<String> = (0..1 + rng.below(4))
                .map(|i| json(rng, i).to_string())
                .collect();
            (format!("f{n}.jsonl"), lines.join("\n") + "\n")
        }
        3 => {
            let items: Vec<Value> = (0..1 + rng.below(3)).map(|i| json(rng, i)).collect();
            (format!("f{n}.json"), Value::Array(items).to_string())
        }
        _ => {
            let (t, b, d) = random_article(rng, n);
            (
                format!("f{n}.html"),
                format!(
                    "<html><head><title>{t}</title><meta property=\"article:published_time\" \
                     content=\"{d}T10:00:00Z\"></head><body><article><p>{b}</p></article></body></html>"
                ),
            )
        }
    }
}

/// Everything a search shows of each article, by path.
fn everything(index: &Path) -> BTreeSet<String> {
    let all = Archive::open(index)
        .unwrap()
        .search(&SearchRequest::new("").limit(1_000_000))
        .unwrap();
    let names = |v: &[byline::EntityCount]| {
        v.iter()
            .map(|e| format!("{} {} {}", e.name, e.mentions, e.salient))
            .collect::<Vec<_>>()
    };
    all.hits
        .into_iter()
        .map(|h| {
            let path = h
                .path
                .split_once("corpus/")
                .map_or(h.path.clone(), |(_, p)| p.to_string());
            format!(
                "{path} {} {} {:?} {} {:?} {:?} {:?}",
                h.id,
                h.title,
                h.published,
                h.snippet.marked("", ""),
                names(&h.people),
                names(&h.organizations),
                names(&h.places)
            )
        })
        .collect()
}

/// Random edits to a folder (files added, removed, renamed, cut short,
/// swapped, rewritten with a word changed, which often keeps the size;
/// JSON Lines records added, removed, broken), each batch followed by
/// `reindex`: the index then shows exactly what a clean build shows.
#[test]
fn random_edits_then_reindex_match_a_clean_build() {
    let opts = IndexOptions {
        mtime_dates: false,
        ..IndexOptions::default()
    };
    for seed in 1..=3u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir_all(corpus.join("sub")).unwrap();
        let mut n = 0;
        let mut add = |rng: &mut Rng| {
            n += 1;
            let (name, content) = random_file(rng, n);
            let folder = if rng.below(2) == 0 {
                corpus.join("sub")
            } else {
                corpus.clone()
            };
            std::fs::write(folder.join(&name), content).unwrap();
            format!("add {name}")
        };
        for _ in 0..6 {
            add(&mut rng);
        }
        let index = tmp.path().join("index");
        let archive = Archive::open_or_create(&index).unwrap();
        archive.index_folder(&corpus, &opts, &|_| {}).unwrap();
        for step in 0..15 {
            let mut done = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&corpus)
                    .into_iter()
                    .flatten()
                    .filter(|e| e.file_type().is_file())
                    .map(|e| e.into_path())
                    .collect();
                files.sort();
                if files.is_empty() {
                    done.push(add(&mut rng));
                    continue;
                }
                let file = files[rng.below(files.len())].clone();
                let name = file.display().to_string();
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                match rng.below(8) {
                    0 | 1 => done.push(add(&mut rng)),
                    2 => {
                        std::fs::remove_file(&file).unwrap();
                        done.push(format!("remove {name}"));
                    }
                    3 | 4 => {
                        let (from, to) =
                            (WORDS[rng.below(WORDS.len())], WORDS[rng.below(WORDS.len())]);
                        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
                        done.push(format!("{from} -> {to} in {name}"));
                    }
                    5 => {
                        let mut lines: Vec<String> = text.lines().map(String::from).collect();
                        let k = rng.below(lines.len() + 1);
                        match rng.below(4) {
                            // Inserted lines share the id `r99-0`: duplicates.
                            0 => lines.insert(
                                k,
                                random_file(&mut rng, 99).1.lines().next().unwrap().into(),
                            ),
                            1 if k < lines.len() => drop(lines.remove(k)),
                            // The same line twice: a duplicate by content.
                            2 if k < lines.len() => {
                                let copy = lines[k].clone();
                                lines.insert(rng.below(lines.len() + 1), copy);
                            }
                            _ => lines.insert(k, "{not json".into()),
                        }
                        std::fs::write(&file, lines.join("\n") + "\n").unwrap();
                        done.push(format!("lines of {name}"));
                    }
                    6 => {
                        let cut = rng.below(text.len() + 1);
                        std::fs::write(&file, &text.as_bytes()[..cut]).unwrap();
                        done.push(format!("cut {name} at {cut}"));
                    }
                    _ => {
                        let to = file.with_file_name(format!(
                            "moved-{}",
                            file.file_name().unwrap().to_string_lossy()
                        ));
                        std::fs::rename(&file, &to).unwrap();
                        done.push(format!("rename {name}"));
                    }
                }
            }
            archive.reindex(&corpus, &opts, &|_| {}).unwrap();
            let clean = tmp.path().join(format!("clean-{step}"));
            Archive::open_or_create(&clean)
                .unwrap()
                .index_folder(&corpus, &opts, &|_| {})
                .unwrap();
            let (got, want) = (everything(&index), everything(&clean));
            let extra: Vec<_> = got.difference(&want).take(2).collect();
            let missing: Vec<_> = want.difference(&got).take(2).collect();
            assert!(
                extra.is_empty() && missing.is_empty(),
                "seed {seed}, step {step}, after {done:?}:\nonly after reindex: {extra:#?}\nonly in a clean build: {missing:#?}"
            );
            std::fs::remove_dir_all(&clean).unwrap();
        }
    }
}

#[test]
fn a_json_lines_archive_that_goes_bad_leaves_the_index() {
    use std::io::Write;
    let tmp = setup();
    let corpus = tmp.path().join("corpus");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for i in 0..3 {
        writeln!(
            gz,
            r#"{{"title": "Lock gate {i} reopened", "text": "Barges pass again."}}"#
        )
        .unwrap();
    }
    std::fs::write(corpus.join("feed.jsonl.gz"), gz.finish().unwrap()).unwrap();
    set_mtime(&corpus.join("feed.jsonl.gz"), an_hour_ago());
    byline(tmp.path()).arg("index").assert().success();
    let index = tmp.path().join("index");
    assert_eq!(
        Archive::open(&index)
            .unwrap()
            .search(&SearchRequest::new("lock gate"))
            .unwrap()
            .total,
        3
    );
    // Overwritten by something that is not gzip (a failed download).
    std::fs::write(corpus.join("feed.jsonl.gz"), r#"{"title": "x"}"#).unwrap();
    let v = reindex_json(tmp.path());
    assert_eq!(counts(&v), [0, 0, 3, 10], "{v}");
    assert_same(&contents(&index), &clean_build(&corpus));
}

/// Run from inside the index folder, as `--index .`: the fresh index is
/// built beside the folder and swapped in as from anywhere else.
#[test]
fn full_rebuild_from_inside_the_index_folder() {
    let tmp = setup();
    let dir = tmp.path();
    byline(dir).arg("index").assert().success();
    byline(dir)
        .current_dir(dir.join("index"))
        .args(["--index", ".", "reindex", "--full", "../corpus"])
        .assert()
        .success();
    byline(dir).args(["search", "lithium"]).assert().success();
    assert_no_leftovers(&dir.join("index"));
}

/// No half-built `.NAME.new-PID` folder is left in `dir`.
fn assert_no_leftovers(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// An index built without entities stays without them through `reindex`
/// and `reindex --full`, instead of becoming a mix; a full `index` with
/// other settings changes them.
#[test]
fn reindexing_keeps_the_settings_the_index_was_built_with() {
    let tmp = setup();
    let dir = tmp.path();
    let names = || {
        let archive = Archive::open(dir.join("index")).unwrap();
        let top = archive.top_entities(&SearchRequest::new(""), 50).unwrap();
        top.people.len() + top.organizations.len() + top.places.len()
    };
    byline(dir)
        .args(["index", "--no-entities"])
        .assert()
        .success();
    assert_eq!(names(), 0);
    let page = dir.join("corpus/scraped-page.txt");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("\n\n", "\n\nA late paragraph.\n\n", 2)).unwrap();
    set_mtime(&page, an_hour_ago());
    assert_eq!(counts(&reindex_json(dir))[1], 1);
    assert_eq!(names(), 0);
    byline(dir).args(["reindex", "--full"]).assert().success();
    assert_eq!(names(), 0);
    byline(dir).arg("index").assert().success();
    assert!(names() > 0);
    std::fs::write(&page, text).unwrap();
    set_mtime(&page, an_hour_ago());
    assert_eq!(counts(&reindex_json(dir))[1], 1);
    assert_same(
        &contents(&dir.join("index")),
        &clean_build(&dir.join("corpus")),
    );
}

/// A folder that turns up empty (a share that failed to mount) does not
/// empty the index, whichever command the nightly job runs.
#[test]
fn an_empty_folder_never_empties_the_index() {
    let tmp = setup();
    let dir = tmp.path();
    byline(dir).arg("index").assert().success();
    let before = Archive::open(dir.join("index")).unwrap().len();
    // The mount point is there, its files are not.
    std::fs::rename(dir.join("corpus"), dir.join("share")).unwrap();
    std::fs::create_dir(dir.join("corpus")).unwrap();
    for cmd in [&["reindex"][..], &["index"][..], &["reindex", "--full"][..]] {
        byline(dir)
            .args(cmd)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no article files found"))
            .stderr(predicate::str::contains("is the folder mounted?"));
        assert_eq!(Archive::open(dir.join("index")).unwrap().len(), before);
    }
    assert_no_leftovers(dir);
    std::fs::remove_dir(dir.join("corpus")).unwrap();
    std::fs::rename(dir.join("share"), dir.join("corpus")).unwrap();
    // Emptied by deleting its files one run at a time is another matter:
    // a folder that still holds a file is taken at its word.
    for e in std::fs::read_dir(dir.join("corpus")).unwrap().flatten() {
        if e.file_name() != "page.html" {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    reindex_json(dir);
    assert_eq!(Archive::open(dir.join("index")).unwrap().len(), 1);
    // Reindexing a folder inside the archive: its emptying is refused too,
    // with advice that does not cost the rest of the index.
    std::fs::create_dir(dir.join("corpus/sub")).unwrap();
    std::fs::write(
        dir.join("corpus/sub/a.txt"),
        "Harbour cranes stand idle in Valletta\n\nThe cranes stood idle for a week while the port waited.\n",
    )
    .unwrap();
    reindex_json(dir);
    std::fs::remove_file(dir.join("corpus/sub/a.txt")).unwrap();
    byline(dir)
        .args(["reindex", "corpus/sub"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds 1 article from it"))
        .stderr(predicate::str::contains(
            "reindex the folder that holds this one",
        ));
    assert_eq!(counts(&reindex_json(dir))[2], 1);
}

#[test]
fn a_full_rebuild_reports_the_articles_it_replaced_as_removed() {
    let tmp = setup();
    byline(tmp.path()).arg("index").assert().success();
    let before = Archive::open(tmp.path().join("index")).unwrap().len();
    let out = byline(tmp.path())
        .args(["reindex", "--full", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["full"], true);
    assert_eq!(v["removed"].as_u64(), Some(before));
    assert_eq!(v["added"].as_u64(), Some(before));
}

/// A run killed before its commit leaves files tantivy registered but no
/// commit names (a `.del` file of the deletes it had made); the next run
/// makes the same deletes at the same opstamp, so it would write a `.del`
/// file of the same name and fail ("FileAlreadyExists", found by the fault
/// campaign's kills). Such files are removed before a run writes.
#[test]
fn files_a_killed_run_left_are_removed_before_the_next_run_writes() {
    let tmp = setup();
    byline(tmp.path())
        .args(["index", "corpus"])
        .assert()
        .success();
    let index = tmp.path().join("index");
    let meta: Value =
        serde_json::from_slice(&std::fs::read(index.join("meta.json")).unwrap()).unwrap();
    let opstamp = meta["opstamp"].as_u64().unwrap();
    // What a killed run would have left: a `.del` file for every segment at
    // the opstamps the next run can reach, registered as tantivy does.
    let mut left = Vec::new();
    for seg in meta["segments"].as_array().unwrap() {
        let id = seg["segment_id"].as_str().unwrap().replace('-', "");
        for op in opstamp..opstamp + 40 {
            left.push(format!("{id}.{op}.del"));
        }
    }
    for name in &left {
        std::fs::write(index.join(name), b"left by a killed run").unwrap();
    }
    let managed = index.join(".managed.json");
    let mut names: Vec<String> = serde_json::from_slice(&std::fs::read(&managed).unwrap()).unwrap();
    names.extend(left.iter().cloned());
    std::fs::write(&managed, serde_json::to_vec(&names).unwrap()).unwrap();
    // A deleted line: the run deletes, so it writes a `.del` file of its own.
    let wire = tmp.path().join("corpus/wire.jsonl");
    let text = std::fs::read_to_string(&wire).unwrap();
    std::fs::write(
        &wire,
        text.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n",
    )
    .unwrap();
    let v = reindex_json(tmp.path());
    assert_eq!(v["removed"], 1, "{v}");
}
