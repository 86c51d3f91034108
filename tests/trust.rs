//! Issue 25's "dates you can trust", "the same article whatever its format"
//! and "no index from a typo", as a user meets them on the command line:
//! each test runs the built binary in a temp dir of its own.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// An invented page with no date of its own: only its path can date it.
const TALKS: &str = "Port authority and pilots agree to resume talks in Valletta\n\n\
    Negotiators for the harbour pilots and the port authority met for five hours \
    on Tuesday and agreed to meet again next week.\n\n\
    The pilots' union said night rosters were still the sticking point.\n";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    fn write(&self, p: &str, text: &str) -> PathBuf {
        let path = self.path(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `byline` run in `cwd` (relative to the temp dir).
    fn cmd_in(&self, cwd: &str) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.current_dir(self.path(cwd))
            .env_remove("BYLINE_INDEX")
            .env("NO_COLOR", "1");
        c
    }

    fn cmd(&self) -> Command {
        self.cmd_in("")
    }

    fn json(&self, cwd: &str, args: &[&str]) -> Value {
        let out = self.cmd_in(cwd).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Every hit of `query` in the index at `index`, as JSON.
    /// Every matching article, copies of one story included (the tests
    /// here write near-copies, a word changed).
    fn hits(&self, index: &str, query: &str) -> Vec<Value> {
        let out = self
            .cmd()
            .args([
                "--index",
                index,
                "search",
                "--json",
                "--all-copies",
                "-n",
                "100",
                query,
            ])
            .output()
            .unwrap();
        let results: Value = serde_json::from_slice(&out.stdout).unwrap();
        results["hits"].as_array().cloned().unwrap_or_default()
    }
}

/// `(published, date_source)` of one article as JSON gives it.
fn dated(v: &Value) -> (String, String) {
    let s = |k: &str| v[k].as_str().unwrap_or("none").to_string();
    (s("published"), s("date_source"))
}

fn day(d: &str) -> (String, String) {
    (format!("{d}T00:00:00Z"), "path".to_string())
}

#[test]
fn a_date_in_any_folder_of_the_path_dates_the_article_whichever_folder_is_indexed() {
    let env = Env::new();
    env.write("c/2025/12/03/talks.txt", TALKS);
    for (index, folder) in [("i1", "c"), ("i2", "c/2025/12"), ("i3", "c/2025/12/03")] {
        env.cmd()
            .args(["--index", index, "index", folder])
            .assert()
            .success();
        let hits = env.hits(index, "pilots");
        assert_eq!(hits.len(), 1, "{folder}");
        assert_eq!(dated(&hits[0]), day("2025-12-03"), "{folder}");
    }
    // Reindexing a subfolder of what was indexed: the same date.
    env.write(
        "c/2025/12/04/more.txt",
        &TALKS.replace("Tuesday", "Wednesday"),
    );
    env.cmd()
        .args(["--index", "i2", "reindex", "c/2025/12"])
        .assert()
        .success();
    let mut got: Vec<_> = env.hits("i2", "pilots").iter().map(dated).collect();
    got.sort();
    assert_eq!(got, [day("2025-12-03"), day("2025-12-04")]);
    // `extract` of the file, named from anywhere.
    for (cwd, file) in [
        ("", "c/2025/12/03/talks.txt"),
        ("c/2025/12/03", "talks.txt"),
    ] {
        let a = env.json(cwd, &["extract", file]);
        assert_eq!(dated(&a), day("2025-12-03"), "{cwd} {file}");
    }
    let a = env.json("c/2025/12/04", &["extract", "../03/talks.txt"]);
    assert_eq!(dated(&a), day("2025-12-03"));
}

#[test]
fn folders_above_the_one_indexed_date_it_but_other_folder_names_do_not() {
    let env = Env::new();
    env.write("xyz/2025/12/03/a.txt", TALKS);
    env.write("notes/12/b.txt", &TALKS.replace("Valletta", "Gozo"));
    env.write("v2/1999-list/c.txt", &TALKS.replace("Valletta", "Mdina"));
    let leaf = env.path("xyz/2025/12/03");
    env.cmd()
        .args(["--index", "i", "index", leaf.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(dated(&env.hits("i", "pilots")[0]), day("2025-12-03"));
    for folder in ["notes/12", "v2/1999-list"] {
        let index = format!("i-{}", folder.replace('/', "-"));
        env.cmd()
            .args(["--index", &index, "index", folder])
            .assert()
            .success();
        let hits = env.hits(&index, "pilots");
        assert_eq!(dated(&hits[0]), ("none".into(), "none".into()), "{folder}");
    }
}

#[test]
fn file_times_date_articles_only_when_asked_and_the_index_remembers() {
    let env = Env::new();
    env.write("news/talks.txt", TALKS);
    env.write(
        "news/feed.jsonl",
        "{\"title\": \"Gozo ferry timetable changes\", \"text\": \"Fewer sailings.\"}\n\
         {\"title\": \"Mdina walls repaired\", \"text\": \"Work ends.\", \"published\": \"2025-06-02\"}\n",
    );
    // By default: undated, counted, and the reader told how to date them.
    let out = env.cmd().args(["index", "news"]).output().unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("2 articles have no date"), "{said}");
    assert!(said.contains("--mtime-dates"), "{said}");
    assert!(said.contains("`published`"), "{said}");
    let report = env.json("", &["index", "news", "--json"]);
    assert_eq!(report["undated"], 2);
    assert_eq!(env.json("", &["stats", "--json"])["undated"], 2);
    assert_eq!(env.json("", &["timeline", "--json"])["undated"], 2);
    for args in [&["stats"][..], &["timeline"]] {
        env.cmd()
            .args(args)
            .assert()
            .success()
            .stdout(predicate::str::contains("2 articles have no date"));
    }
    assert_eq!(dated(&env.hits("index", "pilots")[0]).1, "none");
    assert_eq!(
        dated(&env.json("", &["extract", "news/talks.txt"])).1,
        "none"
    );
    // A plain reindex cannot start dating by file times: the index would
    // be a mix of both.
    env.cmd()
        .args(["reindex", "news", "--mtime-dates"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("reindex --full --mtime-dates"));

    // Asked: file times date what has no better date.
    let report = env.json("", &["index", "news", "--mtime-dates", "--json"]);
    assert_eq!(report["undated"], 0);
    assert_eq!(dated(&env.hits("index", "pilots")[0]).1, "file-mtime");
    assert_eq!(dated(&env.hits("index", "Mdina")[0]).1, "metadata");
    let a = env.json("", &["extract", "--mtime-dates", "news/talks.txt"]);
    assert_eq!(dated(&a).1, "file-mtime");
    // Remembered by reindex, without the flag.
    env.write("news/later.txt", &TALKS.replace("Valletta", "Marsaxlokk"));
    env.cmd().args(["reindex", "news"]).assert().success();
    assert_eq!(dated(&env.hits("index", "Marsaxlokk")[0]).1, "file-mtime");
    // A new `index` without it undates them again; `reindex --full
    // --mtime-dates` dates them.
    env.cmd().args(["index", "news"]).assert().success();
    assert_eq!(env.json("", &["stats", "--json"])["undated"], 3);
    env.cmd()
        .args(["reindex", "news", "--full", "--mtime-dates"])
        .assert()
        .success();
    assert_eq!(env.json("", &["stats", "--json"])["undated"], 0);
}

#[test]
fn a_headline_with_no_text_is_an_article_in_every_format() {
    let env = Env::new();
    env.write(
        "wire/0001.txt",
        "Dockers' union calls strike at Marsaxlokk\n",
    );
    env.write(
        "wire/feed.jsonl",
        "{\"title\": \"Ferry operator cuts Gozo sailings\"}\n",
    );
    env.write(
        "wire/page.html",
        "<html><head><title>Mdina council delays wall repairs</title></head><body></body></html>",
    );
    let report = env.json("", &["index", "wire", "--json"]);
    assert_eq!(report["skipped"], 0, "{report}");
    assert_eq!(report["indexed"], 3);
    for (q, title) in [
        ("Marsaxlokk", "Dockers' union calls strike at Marsaxlokk"),
        ("Gozo", "Ferry operator cuts Gozo sailings"),
        ("Mdina", "Mdina council delays wall repairs"),
    ] {
        let hits = env.hits("index", q);
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0]["title"], title);
    }
    let a = env.json("", &["extract", "wire/0001.txt"]);
    assert_eq!(a["title"], "Dockers' union calls strike at Marsaxlokk");
    assert_eq!(a["body"], "");
}

#[test]
fn a_headline_in_capitals_above_its_lede_is_the_title() {
    let env = Env::new();
    for (name, page) in [
        (
            "same-block.txt",
            "HARBIN SOYBEAN REVIEW\nHARBIN, March 3 - Dry weather persisted across the soybean \
             belt of Heilongjiang this week, traders said.\nStocks were put at 1.2 mln tonnes.\n",
        ),
        (
            "one-word.txt",
            "SOYBEANS\n\nDry weather persisted across the soybean belt of Heilongjiang this \
             week, and traders said planting could be delayed.\n",
        ),
    ] {
        let path = env.write(name, page);
        let a = env.json("", &["extract", path.to_str().unwrap()]);
        let title = page.lines().next().unwrap();
        assert_eq!(a["title"], title, "{name}: {a}");
        assert!(a["body"].as_str().unwrap().contains("Dry weather"), "{a}");
    }
}

#[test]
fn skipped_files_are_listed_once_on_stderr_the_first_twenty_then_a_count() {
    let env = Env::new();
    env.write("c/good.txt", TALKS);
    for i in 0..25 {
        env.write(&format!("c/bad-{i:02}.json"), "{\"title\": ");
    }
    let out = env.cmd().args(["index", "c"]).output().unwrap();
    assert!(out.status.success());
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(!stdout.contains("bad-"), "{stdout}");
    let named: Vec<&str> = stderr.lines().filter(|l| l.contains("bad-")).collect();
    assert_eq!(named.len(), 20, "{stderr}");
    assert!(stderr.contains("skipped 25 files and records"), "{stderr}");
    assert!(stderr.contains("5 more"), "{stderr}");
    let report = env.json("", &["index", "c", "--json"]);
    assert_eq!(report["skipped_files"].as_array().unwrap().len(), 25);
}

#[test]
fn an_index_folder_that_is_not_there_is_an_error_that_names_it() {
    let env = Env::new();
    // Even with a corpus/ to build from, a mistyped --index builds nothing.
    env.write("corpus/talks.txt", TALKS);
    for args in [
        &["search", "pilots"][..],
        &["stats"],
        &["timeline"],
        &["entities"],
        &["reindex"],
        &["reindex", "corpus"],
    ] {
        env.cmd()
            .args(["--index", "idx-typo"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("idx-typo: no such folder"));
        assert!(!env.path("idx-typo").exists(), "{args:?}");
    }
    // BYLINE_INDEX names it as --index does.
    env.cmd()
        .env("BYLINE_INDEX", "idx-typo")
        .arg("stats")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("idx-typo: no such folder"));
    // With no corpus/ the error still names the index, not `corpus`.
    std::fs::remove_dir_all(env.path("corpus")).unwrap();
    env.cmd()
        .args(["--index", "/tmp/idx-typo-byline-test", "search", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/tmp/idx-typo-byline-test: no such folder",
        ));
    // `index` builds an index where it is told to.
    env.write("news/talks.txt", TALKS);
    env.cmd()
        .args(["--index", "new-idx", "index", "news"])
        .assert()
        .success();
    env.cmd()
        .args(["--index", "new-idx", "search", "pilots"])
        .assert()
        .success();
    // So does `reindex --full`, a build from scratch.
    env.cmd()
        .args(["--index", "full-idx", "reindex", "--full", "news"])
        .assert()
        .success();
    assert_eq!(env.hits("full-idx", "pilots").len(), 1);
}

#[test]
fn the_default_index_is_built_on_first_use() {
    let env = Env::new();
    env.write("corpus/talks.txt", TALKS);
    env.cmd()
        .args(["search", "pilots"])
        .assert()
        .success()
        .stderr(predicate::str::contains("building it from corpus"));
}

#[test]
fn reindex_with_no_folder_reads_the_folder_the_index_was_built_from() {
    let env = Env::new();
    env.write("archive/news/talks.txt", TALKS);
    std::fs::create_dir_all(env.path("elsewhere")).unwrap();
    env.cmd()
        .args(["--index", "../idx", "index", "../archive/news"])
        .current_dir(env.path("elsewhere"))
        .assert()
        .success();
    env.write("archive/news/more.txt", &TALKS.replace("Valletta", "Gozo"));
    // From a folder with no corpus/ and a relative path of its own.
    let out = env.json("", &["--index", "idx", "reindex", "--json"]);
    assert_eq!(
        (out["added"].as_u64(), out["removed"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(env.hits("idx", "pilots").len(), 2);
    // An index that does not say where it was built from (an older
    // byline's) is refused rather than read against ./corpus.
    forget_folder(&env.path("idx"));
    env.write("corpus/other.txt", &TALKS.replace("Valletta", "Mdina"));
    env.cmd()
        .args(["--index", "idx", "reindex"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("name it: `byline reindex FOLDER`"));
    assert_eq!(env.hits("idx", "pilots").len(), 2);
}

/// Rewrites the index's recorded settings as byline wrote them before it
/// recorded the folder.
fn forget_folder(index: &Path) {
    let meta = index.join("meta.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let mut payload: Value = serde_json::from_str(v["payload"].as_str().unwrap()).unwrap();
    payload.as_object_mut().unwrap().remove("folder");
    v["payload"] = Value::String(payload.to_string());
    std::fs::write(&meta, v.to_string()).unwrap();
}
