//! The `byline` command as a user runs it: each test gets a fresh temp dir
//! with a small corpus written for it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// A temp dir with `corpus/` holding the project's fixtures.
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("2025/11/20")).unwrap();
        let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for name in [
            "scraped-page.txt",
            "news-please.json",
            "roundup.json",
            "records.jsonl",
            "page.html",
        ] {
            std::fs::copy(fx.join(name), corpus.join(name)).unwrap();
        }
        std::fs::write(
            corpus.join("2025/11/20/valletta-talks.txt"),
            "Valletta port talks resume after pilots' strike\n\nBoth sides returned to the table on Thursday.\n\nHarbour pilots and Melita Marine Services met for six hours in Valletta and agreed to meet again.\n",
        )
        .unwrap();
        Env { dir }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.current_dir(self.dir.path())
            .env_remove("BYLINE_INDEX")
            .env("NO_COLOR", "1");
        c
    }

    fn index(&self) {
        self.cmd().arg("index").assert().success();
    }

    /// The hits of `search --json` (one object, `{"total":N,"hits":[...]}`);
    /// none when it printed nothing.
    fn json_lines(&self, args: &[&str]) -> Vec<Value> {
        search_hits(&self.cmd().args(args).output().unwrap().stdout)
    }
}

/// The hits of `search --json`'s object.
fn search_hits(stdout: &[u8]) -> Vec<Value> {
    if stdout.is_empty() {
        return Vec::new();
    }
    let v: Value = serde_json::from_slice(stdout).unwrap();
    v["hits"].as_array().expect("a hits array").clone()
}

#[test]
fn index_reports_counts_and_skips() {
    let env = Env::new();
    let out = env.cmd().args(["index", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["indexed"], 9);
    assert_eq!(v["skipped"], 1);
    assert_eq!(v["files"], 6);
    assert!(v["skipped_files"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("records.jsonl:3"));
    assert!(v["mb_per_sec"].as_f64().unwrap() > 0.0);
    // The warning names the file and the reason on stderr.
    assert!(String::from_utf8_lossy(&out.stderr).contains("records.jsonl:3: invalid JSON"));
    // Human summary; the skipped record is said once, on stderr.
    env.cmd()
        .arg("index")
        .assert()
        .success()
        .stdout(predicate::str::contains("indexed 9 articles from 6 files"))
        .stdout(predicate::str::contains("records.jsonl").not())
        .stderr(predicate::str::contains("records.jsonl:3: invalid JSON").count(1))
        .stderr(predicate::str::contains("skipped 1 file or record"));
}

#[test]
fn a_bad_record_in_a_json_array_costs_only_itself() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/batch.json"),
        r#"[{"title": "Zebra crossing repainted in Tallinn", "text": "Crews worked overnight."},
            {"title": "", "text": ""},
            7,
            {"title": "Ferry timetable changes for winter", "text": "Fewer sailings from January."}]"#,
    )
    .unwrap();
    let out = env.cmd().args(["index", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["indexed"], 11, "{v}");
    let reasons: Vec<String> = v["skipped_files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["path"].as_str().unwrap().ends_with("batch.json"))
        .map(|s| s["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reasons.len(), 2, "{v}");
    assert!(reasons[0].starts_with("record 2: "), "{reasons:?}");
    assert!(
        reasons[1].starts_with("record 3: not a JSON object"),
        "{reasons:?}"
    );
    let hits = env.json_lines(&["search", "--json", "ferry timetable"]);
    // A record with no id or url is keyed by its content, not its place.
    let keyed_by_content = |p: &str| {
        p.rsplit_once('#').is_some_and(|(file, key)| {
            file.ends_with("batch.json")
                && key.len() == 16
                && key.chars().all(|c| c.is_ascii_hexdigit())
        })
    };
    assert!(
        hits.iter()
            .any(|h| keyed_by_content(h["path"].as_str().unwrap())),
        "{hits:?}"
    );
}

#[test]
fn a_damaged_index_is_an_error_not_a_crash() {
    let env = Env::new();
    // One writer thread: one segment, the same files on every run.
    env.cmd()
        .args(["index", "--threads", "1"])
        .assert()
        .success();
    // Scramble the middle of every postings file, keeping the footers:
    // tantivy reads such a file and panics on what it finds.
    for entry in std::fs::read_dir(env.path("index")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx") {
            let mut bytes = std::fs::read(&path).unwrap();
            let n = bytes.len();
            bytes[n / 8..n / 3].iter_mut().for_each(|b| *b ^= 0x5A);
            std::fs::write(&path, bytes).unwrap();
        }
    }
    {
        let args = ["search", "harbour"];
        let out = env.cmd().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("byline: "), "{stderr}");
        assert!(!stderr.contains("thread 'main' panicked"), "{stderr}");
    }
}

#[test]
fn first_search_builds_the_index_and_answers() {
    let env = Env::new();
    assert!(!env.path("index/meta.json").exists());
    env.cmd()
        .args(["search", "pilots", "strike"])
        .assert()
        .success()
        .stderr(predicate::str::contains("building it from corpus"))
        .stdout(predicate::str::contains(
            "Harbour Pilots in Valletta Vote to Strike",
        ))
        .stdout(predicate::str::contains("**pilots**"));
    assert!(env.path("index/meta.json").exists());
    // Second time: no rebuild.
    env.cmd()
        .args(["search", "pilots"])
        .assert()
        .success()
        .stderr(predicate::str::contains("building").not());
}

#[test]
fn index_location_from_flag_and_environment() {
    let env = Env::new();
    env.cmd()
        .args(["--index", "elsewhere", "index"])
        .assert()
        .success();
    assert!(env.path("elsewhere/meta.json").exists());
    env.cmd()
        .env("BYLINE_INDEX", env.path("elsewhere"))
        .args(["stats", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"documents\":9"));
}

#[test]
fn search_json_has_the_documented_fields() {
    let env = Env::new();
    env.index();
    let hits = env.json_lines(&["search", "--json", "lithium"]);
    assert_eq!(hits.len(), 1);
    // Flags may also follow the query.
    assert_eq!(
        env.json_lines(&["search", "lithium", "--json", "-n", "5"])
            .len(),
        1
    );
    let h = &hits[0];
    for key in [
        "id",
        "path",
        "title",
        "published",
        "byline",
        "score",
        "snippet",
    ] {
        assert!(h.get(key).is_some(), "{key} missing in {h}");
    }
    assert_eq!(h["title"], "Salt flats of Uyuni draw lithium prospectors");
    assert_eq!(h["published"], "2025-08-21T18:00:00Z");
    assert_eq!(h["date_source"], "metadata");
    assert!(h["snippet"].as_str().unwrap().contains("**lithium**"));
    assert!(h["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn all_words_phrases_or_and_exclusion() {
    let env = Env::new();
    // Every article dated, so that `after:1990` is the whole archive.
    env.cmd()
        .args(["index", "--mtime-dates"])
        .assert()
        .success();
    let titles = |q: &str| -> Vec<String> {
        env.json_lines(&["search", "--json", "-n", "50", q])
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    // All words required.
    assert_eq!(titles("pilots Gozo").len(), 1);
    assert!(titles("pilots Fastnet").is_empty());
    // OR widens.
    assert_eq!(titles("Fastnet OR Izmir").len(), 2);
    // Phrase vs words.
    assert_eq!(titles("\"night rosters\"").len(), 1);
    assert!(titles("\"rosters night\"").is_empty());
    // Exclusion.
    let pilots = titles("pilots");
    assert_eq!(pilots.len(), 2);
    assert_eq!(titles("pilots -Gozo").len(), 1, "{pilots:?}");
    // Exclusions alone narrow a filter, or the whole archive; tantivy's
    // parser alone rejects them.
    let all = titles("after:1990");
    let gozo = titles("Gozo");
    let without = titles("after:1990 -Gozo -Fastnet");
    let fastnet = titles("Fastnet -Gozo");
    assert!(!gozo.is_empty() && !fastnet.is_empty());
    assert_eq!(without.len(), all.len() - gozo.len() - fastnet.len());
    assert!(without
        .iter()
        .all(|t| !gozo.contains(t) && !fastnet.contains(t)));
    let alone: Vec<Value> = env.json_lines(&["search", "--json", "-n", "50", "--", "-Gozo"]);
    assert_eq!(alone.len(), all.len() - gozo.len());
    // Stemming: "strikes" finds "strike".
    assert!(!titles("strikes").is_empty());
}

#[test]
fn title_matches_rank_first() {
    let env = Env::new();
    env.index();
    let hits = env.json_lines(&["search", "--json", "Valletta"]);
    assert!(hits.len() >= 2);
    assert!(hits[0]["title"].as_str().unwrap().contains("Valletta"));
}

#[test]
fn an_entity_filter_ranks_the_articles_about_the_entity_first() {
    let env = Env::new();
    // Both name her three times, which makes each "about" her; only one is.
    std::fs::write(
        env.path("corpus/a-ferry.txt"),
        "Ferry timetable changes from May\n\nThe ferry to Inishmore will sail twice a day. \
         Niamh Keane, who chairs the harbour board, signed the timetable. Keane said the \
         crossing would take ninety minutes, and Keane thanked the crews. The ferry company \
         will add a third sailing in August, the ferry operator said, if ferry demand holds.\n",
    )
    .unwrap();
    std::fs::write(
        env.path("corpus/b-keane.txt"),
        "Niamh Keane wins harbour board vote\n\nNiamh Keane was re-elected to chair the \
         harbour board in Galway on Tuesday. Keane, a former pilot, promised a new tug. \
         Keane said her second term would start with the pilots' pay talks.\n",
    )
    .unwrap();
    env.index();
    let titles: Vec<String> = env
        .json_lines(&["search", "--json", "person:\"Niamh Keane\""])
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles[0].starts_with("Niamh Keane wins"), "{titles:?}");
}

#[test]
fn names_with_apostrophes_are_searchable() {
    let env = Env::new();
    std::fs::write(
        env.path("corpus/harbour.txt"),
        "Harbour pilots back O'Rourke plan\n\nNiamh O'Rourke told the harbour board in Cork \
         that the pilots don't need a second tug.\n",
    )
    .unwrap();
    // The same two words apart: a phrase of O'Rourke's parts must not match it.
    std::fs::write(
        env.path("corpus/rourke.txt"),
        "Tug crews vote\n\nO Brien and Rourke counted the votes of the tug crews.\n",
    )
    .unwrap();
    env.index();
    let titles = |args: &[&str]| -> Vec<String> {
        env.json_lines(args)
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    for q in [
        "Niamh O'Rourke",
        "O'Rourke",
        "don't",
        "person:\"Niamh O'Rourke\"",
    ] {
        assert_eq!(
            titles(&["search", "--json", q]),
            ["Harbour pilots back O'Rourke plan"],
            "{q}"
        );
    }
}

#[test]
fn words_side_by_side_outrank_one_word_in_the_title() {
    let env = Env::new();
    // A title naming one of the words would outrank the article about the
    // two-word subject if titles alone decided.
    std::fs::write(
        env.path("corpus/cup-tickets.txt"),
        "Cup final tickets sell out in an hour\n\nFans queued overnight for the final. \
         Clubs across the world watched the queue grow outside the ground.\n",
    )
    .unwrap();
    std::fs::write(
        env.path("corpus/bid-costs.txt"),
        "Organisers count the cost of the bid\n\nThe World Cup bid cost the federation \
         more than it raised. Ministers said a second World Cup bid would need private money.\n",
    )
    .unwrap();
    env.index();
    let titles = |args: &[&str]| -> Vec<String> {
        env.json_lines(args)
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    let all = titles(&["search", "--json", "world cup"]);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all[0].starts_with("Organisers"), "{all:?}");
    // Pages agree with the whole list.
    let second = titles(&["search", "--json", "-n", "1", "--offset", "1", "world cup"]);
    assert_eq!(second, all[1..]);
    // Both files have the same date, so recency ranks as relevance does.
    let recent = titles(&["search", "--json", "--sort", "recent", "world cup"]);
    assert_eq!(recent, all);
}

#[test]
fn exit_codes_and_malformed_queries() {
    let env = Env::new();
    env.index();
    env.cmd().args(["search", "zzzyyxq"]).assert().code(1);
    // Matches, but none on the page asked for: said so, and still a match.
    env.cmd()
        .args(["search", "-n", "0", "pilots"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("2 matching articles\n"));
    env.cmd()
        .args(["search", "--offset", "40", "pilots"])
        .assert()
        .code(0)
        .stdout("2 matching articles; --offset 40 is past the last\n");
    env.cmd()
        .args(["search", "\"unclosed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "opens a phrase that is not closed; add a `\"` where it ends\n  \"unclosed\n  ^",
        ));
    // A colon after a word that names no text field is punctuation (a
    // headline's "Explainer:", a time), not an error.
    env.cmd().args(["search", "nosuchfield:x"]).assert().code(1);
    env.cmd()
        .args(["search", "(place:Rotterdam)"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot go inside ( ) or beside OR",
        ));
    env.cmd()
        .args(["search", "port AND"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid query"));
    env.cmd()
        .args(["search", "after:someday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("after: expects a date"));
    env.cmd()
        .args(["--index", "nowhere", "stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere: no such folder"));
    // The operating system's reason is said once.
    let out = env
        .cmd()
        .args(["extract", "no-such-file.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim_end(),
        "byline: error: no-such-file.txt: No such file or directory (os error 2)"
    );
    env.cmd()
        .args(["--index", "corpus/page.html", "index"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "corpus/page.html: is a file, not an index folder",
        ));
}

#[test]
fn limit_offset_and_date_filters() {
    let env = Env::new();
    env.index();
    let all = env.json_lines(&["search", "--json", "-n", "50", "date:2025"]);
    assert_eq!(all.len(), 5, "{all:?}");
    // Filter-only queries list newest first.
    let dates: Vec<&str> = all
        .iter()
        .map(|h| h["published"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let page2 = env.json_lines(&["search", "--json", "-n", "2", "--offset", "2", "date:2025"]);
    assert_eq!(page2.len(), 2);
    assert_eq!(page2[0]["id"], all[2]["id"]);
    let autumn = env.json_lines(&["search", "--json", "after:2025-10-01", "before:2025-12-01"]);
    // Dates far outside what an archive holds are ranges, not crashes.
    assert_eq!(
        env.json_lines(&["search", "--json", "before:1200-01-01"])
            .len(),
        0
    );
    // Every dated article: the two with no date of their own are undated.
    assert_eq!(
        env.json_lines(&["search", "--json", "-n", "50", "after:1000"])
            .len(),
        7
    );
    assert_eq!(env.json_lines(&["search", "--json", "after:9999"]).len(), 0);
    assert_eq!(autumn.len(), 2);
    let since = env.json_lines(&[
        "search",
        "--json",
        "--since",
        "2025-10-01",
        "--until",
        "2025-11-30",
        "date:2025",
    ]);
    assert_eq!(since.len(), 2);
    // A bad date flag is said as the flag's error, not as a bad query.
    env.cmd()
        .args(["search", "ferry", "--since", "yesterday"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--since: expects a date like 2025-11-04, 2025-11 or 2025, got `yesterday`",
        ))
        .stderr(predicate::str::contains("invalid query").not());
}

#[test]
fn human_output_is_plain_when_piped() {
    let env = Env::new();
    env.index();
    env.cmd()
        .args(["search", "ferry"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[").not())
        .stdout(predicate::str::contains("matching articles"));
    env.cmd()
        .args(["--color", "always", "search", "ferry"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[1;31m"));
}

#[test]
fn extract_prints_every_article_field() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["extract", "corpus/news-please.json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "id",
        "path",
        "url",
        "title",
        "standfirst",
        "body",
        "byline",
        "published",
        "date_source",
        "language",
        "format",
        "people",
        "organizations",
        "places",
        "content_hash",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    assert_eq!(v["format"], "json");
    // Standard input, format guessed.
    let page = std::fs::read_to_string(env.path("corpus/page.html")).unwrap();
    let out = env
        .cmd()
        .args(["extract", "-"])
        .write_stdin(page)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Salt flats of Uyuni draw lithium prospectors");
    env.cmd()
        .args(["extract", "corpus/missing.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.txt"));
}

#[test]
fn stats_counts_documents_dates_and_formats() {
    let env = Env::new();
    env.index();
    let out = env.cmd().args(["stats", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 9);
    assert_eq!(v["earliest"], "2024-05-01T09:00:00Z");
    assert!(v["size_bytes"].as_u64().unwrap() > 0);
    let formats = v["formats"].as_array().unwrap();
    assert_eq!(formats.len(), 4);
    env.cmd()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("documents   9"));
}

#[test]
fn reindexing_replaces_rather_than_duplicates() {
    let env = Env::new();
    env.index();
    env.index();
    let hits = env.json_lines(&["search", "--json", "lithium"]);
    assert_eq!(hits.len(), 1);
}

#[test]
fn timeline_counts_are_exact_and_render_three_ways() {
    let env = Env::new();
    env.index();
    // Fixture dates: 2024-05-01, 2024-07-19, 2025-03-14, 2025-06-02,
    // 2025-08-21, 2025-10-14, 2025-11-20, and two undated.
    let out = env
        .cmd()
        .args([
            "timeline",
            "--by",
            "year",
            "--json",
            "--until",
            "2025-12-31",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let buckets: Vec<(String, u64)> = v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["start"].as_str().unwrap().to_string(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        buckets,
        [("2024-01-01".to_string(), 2), ("2025-01-01".to_string(), 5)]
    );
    assert_eq!(v["dated"], 7);

    // Month buckets: empty months in the range are zeros, and the sum is exact.
    let csv = env
        .cmd()
        .args(["timeline", "--by", "month", "--csv", "date:2025"])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "start,count");
    assert_eq!(rows[1], "2025-03-01,1");
    assert_eq!(rows[2], "2025-04-01,0");
    assert_eq!(rows.len(), 1 + 9, "March to November: {rows:?}");
    let sum: u64 = rows[1..]
        .iter()
        .map(|r| r.split(',').nth(1).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(sum, 5);

    // The chart: one line per bucket, the peak labelled, within 80 columns when piped.
    let chart = env
        .cmd()
        .args(["timeline", "--by", "year", "Valletta"])
        .output()
        .unwrap();
    let text = String::from_utf8(chart.stdout).unwrap();
    assert!(text.contains("◀ peak"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    assert!(
        text.contains("1 dated article; peak 2025 with 1; 1 undated not shown"),
        "{text}"
    );
    assert!(text.contains("1 article has no date"), "{text}");
    // Nothing matches: exit 1.
    env.cmd().args(["timeline", "zzzyyxq"]).assert().code(1);
}

#[test]
fn sort_orders_and_undated_articles() {
    let env = Env::new();
    // An article with no date at all, from standard input, is still indexed
    // through a file with a date in neither metadata nor text: its mtime
    // counts. Here we check the orderings instead.
    env.index();
    let dates = |args: &[&str]| -> Vec<String> {
        env.json_lines(args)
            .iter()
            .map(|h| h["published"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let newest_first = dates(&[
        "search",
        "--json",
        "-n",
        "20",
        "--sort",
        "date",
        "ferry OR harbour OR port",
    ]);
    let mut sorted = newest_first.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(newest_first, sorted);
    assert!(newest_first.len() >= 4);
    // Recency decay: with a tiny half-life, the newest match comes first.
    let recent = dates(&[
        "search",
        "--json",
        "--sort",
        "recent",
        "--half-life",
        "1d",
        "ferry OR harbour OR port",
    ]);
    assert_eq!(recent[0], newest_first[0]);
    env.cmd()
        .args(["search", "--half-life", "soon", "--sort", "recent", "ferry"])
        .assert()
        .code(2);
    // The same query twice gives the same order (deterministic ties).
    let a = env.json_lines(&["search", "--json", "-n", "20", "date:2025"]);
    let b = env.json_lines(&["search", "--json", "-n", "20", "date:2025"]);
    let ids = |v: &[Value]| v.iter().map(|h| h["id"].to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
}

#[test]
fn undated_articles_are_kept_counted_and_ranked_last() {
    let env = Env::new();
    // `--no-mtime-dates` is still taken (a no-op: no file times by default).
    env.cmd()
        .args(["index", "--no-mtime-dates"])
        .assert()
        .success();
    let stats: Value =
        serde_json::from_slice(&env.cmd().args(["stats", "--json"]).output().unwrap().stdout)
            .unwrap();
    // The scraped page and the record with an unparseable date.
    assert_eq!(stats["undated"], 2);
    // Found by keywords, not by date filters.
    assert_eq!(
        env.json_lines(&["search", "--json", "Valletta", "pilots"])
            .len(),
        2
    );
    let hits = env.json_lines(&["search", "--json", "--sort", "date", "Valletta"]);
    assert_eq!(hits.last().unwrap()["published"], Value::Null);
    assert!(env
        .json_lines(&["search", "--json", "-n", "50", "date:2025"])
        .iter()
        .all(|h| !h["published"].is_null()));
    let t: Value = serde_json::from_slice(
        &env.cmd()
            .args(["timeline", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(t["undated"], 2);
    assert_eq!(t["dated"], 7);
}

/// Budgets and limits as large as the flags take are upper bounds, not
/// errors; the smallest file limit is said in bytes, not as "0 MB".
#[test]
fn extreme_memory_and_file_limits() {
    let env = Env::new();
    env.cmd()
        .args(["index", "--memory-mb", "18446744073709551615"])
        .assert()
        .success();
    env.cmd()
        .args(["index", "--max-file-mb", "18446744073709551615"])
        .assert()
        .success();
    env.cmd()
        .args(["index", "--max-file-mb", "0"])
        .assert()
        .success()
        .stderr(predicate::str::contains("KB, over the 0 bytes limit"));
}

/// `--index` pointed at the articles by mistake: byline refuses to write an
/// index among them, and leaves the folder as it was. An empty folder, or
/// one holding only hidden files, is fine.
#[test]
fn an_index_is_never_written_into_a_folder_of_other_files() {
    let env = Env::new();
    let before = std::fs::read_dir(env.path("corpus")).unwrap().count();
    env.cmd()
        .args(["--index", "corpus", "search", "Valletta"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corpus: holds no index"));
    env.cmd()
        .args(["--index", "corpus", "index", "corpus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a byline index and not empty"));
    assert_eq!(
        std::fs::read_dir(env.path("corpus")).unwrap().count(),
        before
    );
    std::fs::create_dir(env.path("idx")).unwrap();
    std::fs::write(env.path("idx/.gitignore"), "*\n").unwrap();
    env.cmd()
        .args(["--index", "idx", "index", "corpus"])
        .assert()
        .success();
    env.cmd()
        .args(["--index", "idx", "search", "Valletta"])
        .assert()
        .success();
}

/// Counts read as English, and `extract` given a folder says it reads one
/// file instead of showing whichever file it met first.
#[test]
fn one_matching_article_and_extract_of_a_folder() {
    let env = Env::new();
    env.index();
    env.cmd()
        .args(["search", "-n", "0", "\"six hours\""])
        .assert()
        .success()
        .stdout("1 matching article\n");
    env.cmd()
        .args(["extract", "corpus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a folder; extract reads one file",
        ));
}

#[test]
fn completions_and_the_man_page_come_from_the_command_definitions() {
    for (shell, marker) in [
        ("bash", "_byline()"),
        ("zsh", "#compdef byline"),
        ("fish", "complete -c byline"),
    ] {
        let out = Command::cargo_bin("byline")
            .unwrap()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(marker),
            "{shell}: {}",
            &text[..200.min(text.len())]
        );
        // Every command and a flag of one are offered.
        for word in ["reindex", "timeline", "half-life"] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
    }
    let man = Command::cargo_bin("byline")
        .unwrap()
        .arg("man")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let man = String::from_utf8(man).unwrap();
    assert!(
        man.starts_with(".ie") || man.contains(".TH byline"),
        "{}",
        &man[..200]
    );
    assert!(man.contains("reindex") && man.contains("BYLINE_INDEX"));
    // The pages it names, `byline-search(1)`, exist too, with their flags.
    let page = Command::cargo_bin("byline")
        .unwrap()
        .args(["man", "search"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(".TH byline-search 1") && page.contains("half"));
    Command::cargo_bin("byline")
        .unwrap()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value"));
}

#[test]
fn a_filter_beside_or_in_one_shell_argument_is_refused_not_searched_as_a_name() {
    let (_tmp, dir) = {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        (tmp, dir)
    };
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    Command::cargo_bin("byline")
        .unwrap()
        .args(["--index"])
        .arg(dir.join("idx"))
        .arg("index")
        .arg(&corpus)
        .assert()
        .success();
    // One argument, as the shell passes `'place:Rotterdam OR Marseille'`.
    Command::cargo_bin("byline")
        .unwrap()
        .arg("--index")
        .arg(dir.join("idx"))
        .args(["search", "place:Rotterdam OR Marseille"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("beside OR"));
    // A two-word name before OR or AND: the name, then the operator,
    // refused likewise (it was a one-word filter and found nothing).
    for q in [
        "person:Helena Vasquez-Lind OR Benali",
        "person:Helena Vasquez-Lind AND port",
    ] {
        Command::cargo_bin("byline")
            .unwrap()
            .arg("--index")
            .arg(dir.join("idx"))
            .args(["search", q])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("person:\"Helena Vasquez-Lind\""));
    }
}
