//! Exporting hits and ordering them by date: `search --csv`, `--json` with
//! its total, `entities --csv`, `--sort oldest`, and `--sort recent` on an
//! archive of another decade. The archives are built through the library
//! (without file-time dates), and searched with the `byline` command.

use std::path::PathBuf;

use assert_cmd::Command;
use byline::{Archive, IndexOptions, SearchRequest, Sort};
use serde_json::Value;

/// An index of `records` (JSON Lines), in a temp dir.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(records: &[String]) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(corpus.join("wire.jsonl"), records.join("\n") + "\n").unwrap();
        let archive = Archive::open_or_create(dir.path().join("index")).unwrap();
        let opts = IndexOptions {
            mtime_dates: false,
            ..IndexOptions::default()
        };
        archive.index_folder(&corpus, &opts, &|_| {}).unwrap();
        Env { dir }
    }

    fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.arg("--index")
            .arg(self.index())
            .env_remove("BYLINE_INDEX")
            .env("NO_COLOR", "1");
        c
    }

    /// Standard output of a successful run.
    fn stdout(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.stdout(args)).unwrap()
    }
}

/// A JSON Lines record.
fn record(title: &str, body: &str, date: Option<&str>) -> String {
    let mut v = serde_json::json!({"title": title, "text": body, "author": "Ewa Nowak, Jan Kos"});
    if let Some(d) = date {
        v["date"] = d.into();
    }
    v.to_string()
}

/// Rows of a CSV text, as the csv crate reads it back: header first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Quotes and commas in titles, snippets and bylines come back as they
/// were; the header names the columns; the snippet has no highlight marks.
#[test]
fn search_csv_round_trips_quotes_and_commas() {
    let title = r#"Port strike, day two: "Dockers will not move", says union"#;
    let env = Env::new(&[
        record(
            title,
            r#"Dockers in Gdynia, Poland, said "no" to the offer, again."#,
            Some("1987-03-04"),
        ),
        record("Ferry timetable", "Nothing about dockers.", None),
    ]);
    let text = env.stdout(&["search", "--csv", "dockers"]);
    let rows = csv_rows(&text);
    assert_eq!(
        rows[0],
        [
            "rank",
            "id",
            "score",
            "published",
            "date_source",
            "title",
            "byline",
            "url",
            "path",
            "snippet",
            "copies"
        ]
    );
    assert_eq!(rows.len(), 3, "{text}");
    let first = &rows[1];
    assert_eq!(first[0], "1");
    assert!(first[2].parse::<f32>().unwrap() > 0.0);
    assert_eq!(first[3], "1987-03-04");
    assert_eq!(first[4], "metadata");
    assert_eq!(first[5], title);
    assert_eq!(first[6], "Ewa Nowak, Jan Kos");
    assert!(first[8].contains("wire.jsonl"), "{first:?}");
    assert!(
        first[9].starts_with(r#"Dockers in Gdynia, Poland, said "no" to the offer, again"#),
        "{first:?}"
    );
    assert!(!first[9].contains("**"));
    // The undated article: empty date cells, ranked second.
    assert_eq!(rows[2][0], "2");
    assert_eq!((rows[2][3].as_str(), rows[2][4].as_str()), ("", ""));
    // Ranks count from the offset.
    let paged = csv_rows(&env.stdout(&["search", "--csv", "--offset", "1", "dockers"]));
    assert_eq!(paged.len(), 2);
    assert_eq!(paged[1][0], "2");
}

/// `--json` is one object whose `total` counts every match, whatever the
/// page; `-n 0` gives the total alone; `--all` gives every hit.
#[test]
fn search_json_carries_the_total_and_n_0_gives_it() {
    let records: Vec<String> = (0..25)
        .map(|i| record(&format!("Harbour report {i}"), "The harbour opened.", None))
        .collect();
    let env = Env::new(&records);
    let v = env.json(&["search", "--json", "-n", "0", "harbour"]);
    assert_eq!(v["total"], 25, "{v}");
    assert_eq!(v["hits"].as_array().unwrap().len(), 0);
    let v = env.json(&["search", "--json", "-n", "3", "harbour"]);
    assert_eq!(v["total"], 25);
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
    assert!(v["hits"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("**harbour**"));
    let v = env.json(&["search", "--json", "--all", "harbour"]);
    assert_eq!(v["hits"].as_array().unwrap().len(), 25);
    // The same hits as the text view, in the same order.
    let csv = csv_rows(&env.stdout(&["search", "--csv", "--all", "harbour"]));
    assert_eq!(csv.len(), 26);
    let ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let csv_ids: Vec<&str> = csv[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, csv_ids);
    // No match: the object still, with a total of 0, and exit code 1.
    let out = env
        .cmd()
        .args(["search", "--json", "lighthouse"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 0);
    // One or the other.
    for cmd in ["search", "entities"] {
        env.cmd()
            .args([cmd, "--json", "--csv", "harbour"])
            .assert()
            .code(2);
    }
    env.cmd()
        .args(["search", "--all", "-n", "5", "harbour"])
        .assert()
        .code(2);
}

/// The library's pages hold the hits `search` returns, in order, cut into
/// pages of the size asked.
#[test]
fn search_pages_are_the_hits_in_pages() {
    let records: Vec<String> = (0..25)
        .map(|i| {
            let day = format!("1987-01-{:02}", i + 1);
            record(&format!("Harbour report {i}"), "The harbour.", Some(&day))
        })
        .collect();
    let env = Env::new(&records);
    let archive = Archive::open(env.index()).unwrap();
    let req = SearchRequest::new("harbour").limit(23).sort(Sort::Date);
    let all = archive.search(&req).unwrap();
    let pages = archive.search_pages(&req, 10).unwrap();
    assert_eq!(pages.total, 25);
    let sizes_and_ids: Vec<(usize, Vec<String>)> = pages
        .map(|p| {
            let p = p.unwrap();
            (p.len(), p.into_iter().map(|h| h.id).collect())
        })
        .collect();
    let sizes: Vec<usize> = sizes_and_ids.iter().map(|p| p.0).collect();
    assert_eq!(sizes, [10, 10, 3]);
    let ids: Vec<String> = sizes_and_ids.into_iter().flat_map(|p| p.1).collect();
    let want: Vec<String> = all.hits.into_iter().map(|h| h.id).collect();
    assert_eq!(ids, want);
}

#[test]
fn entities_csv_has_a_header_and_a_row_per_entity() {
    let env = Env::new(&[
        record(
            "Gdynia dockers strike",
            "Dockers in Gdynia, Poland, walked out. Marek Zawadzki of the Baltic Crane Union spoke. Marek Zawadzki said talks would go on.",
            Some("1987-03-04"),
        ),
        record(
            "Gdynia port reopens",
            "The port of Gdynia in Poland reopened on Monday.",
            Some("1987-03-09"),
        ),
    ]);
    let rows = csv_rows(&env.stdout(&["entities", "--csv", "gdynia"]));
    assert_eq!(rows[0], ["kind", "name", "stories"]);
    assert!(
        rows.contains(&vec!["place".into(), "Gdynia".into(), "2".into()]),
        "{rows:?}"
    );
    assert!(
        rows.contains(&vec!["person".into(), "Marek Zawadzki".into(), "1".into()]),
        "{rows:?}"
    );
    let every = csv_rows(&env.stdout(&["entities", "--csv", "--all-copies", "gdynia"]));
    assert_eq!(every[0], ["kind", "name", "articles"]);
    // The JSON counts the different entities, listed or not.
    let v = env.json(&["entities", "--json", "-n", "1", "gdynia"]);
    assert_eq!(v["places"].as_array().unwrap().len(), 1);
    assert!(v["distinct"]["places"].as_u64().unwrap() >= 2, "{v}");
    assert!(v["distinct"]["people"].as_u64().unwrap() >= 1, "{v}");
}

/// An export that shows no entities skips finding them; the hits are
/// otherwise the same.
#[test]
fn search_pages_without_entities() {
    let env = Env::new(&[record(
        "Gdynia dockers strike",
        "Dockers in Gdynia, Poland, walked out. Marek Zawadzki spoke.",
        Some("1987-03-04"),
    )]);
    let archive = Archive::open(env.index()).unwrap();
    let req = SearchRequest::new("dockers");
    let with: Vec<_> = archive
        .search_pages(&req, 5)
        .unwrap()
        .flat_map(|p| p.unwrap())
        .collect();
    let without: Vec<_> = archive
        .search_pages(&req, 5)
        .unwrap()
        .without_entities()
        .flat_map(|p| p.unwrap())
        .collect();
    assert_eq!(with.len(), 1);
    assert!(!with[0].places.is_empty());
    assert!(without[0].places.is_empty() && without[0].people.is_empty());
    assert_eq!(
        (&without[0].title, &without[0].snippet),
        (&with[0].title, &with[0].snippet)
    );
}

fn titles(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sort_oldest_is_ascending_with_undated_last() {
    let env = Env::new(&[
        record("Harbour b", "The harbour.", Some("1987-05-01")),
        record("Harbour undated", "The harbour.", None),
        record("Harbour a", "The harbour.", Some("1987-01-20")),
        record("Harbour c", "The harbour.", Some("1988-02-11")),
    ]);
    let oldest = env.json(&["search", "--json", "--sort", "oldest", "harbour"]);
    assert_eq!(
        titles(&oldest),
        ["Harbour a", "Harbour b", "Harbour c", "Harbour undated"]
    );
    let newest = env.json(&["search", "--json", "--sort", "date", "harbour"]);
    assert_eq!(
        titles(&newest),
        ["Harbour c", "Harbour b", "Harbour a", "Harbour undated"]
    );
    // A filter alone, which has no relevance to rank by, is sorted too.
    let filtered = env.json(&["search", "--json", "--sort", "oldest", "date:1987"]);
    assert_eq!(titles(&filtered), ["Harbour a", "Harbour b"]);
}

/// An archive of 1987 ranks by recency as one of today does: scores above
/// 0, counted from its newest match, and an order of its own.
#[test]
fn sort_recent_on_an_archive_of_1987() {
    let env = Env::new(&[
        record(
            "Harbour harbour harbour",
            "Harbour dues rise at the harbour.",
            Some("1987-01-05"),
        ),
        record(
            "Dredging begins",
            "The harbour will be dredged.",
            Some("1987-11-30"),
        ),
        record(
            "Harbour crane arrives",
            "A crane for the harbour.",
            Some("1987-06-15"),
        ),
        record("Harbour note", "The harbour, undated.", None),
    ]);
    let relevance = env.json(&["search", "--json", "harbour"]);
    let recent = env.json(&["search", "--json", "--sort", "recent", "harbour"]);
    assert_ne!(titles(&recent), titles(&relevance));
    assert_eq!(
        titles(&recent),
        [
            "Dredging begins",
            "Harbour crane arrives",
            "Harbour harbour harbour",
            "Harbour note"
        ]
    );
    let scores = |v: &Value| -> Vec<f64> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["score"].as_f64().unwrap())
            .collect()
    };
    let s = scores(&recent);
    // Dated hits score above 0; the newest keeps its relevance score.
    assert!(s[..3].iter().all(|&x| x > 0.0), "{s:?}");
    let plain = relevance["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"] == "Dredging begins")
        .unwrap()["score"]
        .as_f64()
        .unwrap();
    assert!((s[0] - plain).abs() < 1e-3 * plain, "{s:?} {plain}");
    // Counted from the end of --as-of's day, a year and a day on: the same
    // order, each score halved 367/30 times (1988 was a leap year).
    let later = env.json(&[
        "search",
        "--json",
        "--sort",
        "recent",
        "--as-of",
        "1988-11-30",
        "harbour",
    ]);
    assert_eq!(titles(&later), titles(&recent));
    let ratio = scores(&later)[0] / s[0];
    let want = 0.5f64.powf(367.0 / 30.0);
    assert!((ratio / want - 1.0).abs() < 0.01, "{ratio} against {want}");
    // Alone it would change nothing: said so.
    env.cmd()
        .args(["search", "--as-of", "1988", "harbour"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--sort recent"));
    // A bad date is said so, with the flag.
    env.cmd()
        .args([
            "search", "--sort", "recent", "--as-of", "1987-13", "harbour",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--as-of"));
}

/// An unknown long option is not advised to be put after `--` (which would
/// search for it, or index a folder of that name); the commands that have
/// it are named instead.
#[test]
fn an_unknown_option_gets_no_advice_to_search_for_it() {
    let env = Env::new(&[record("Harbour", "The harbour.", None)]);
    for args in [
        &["extract", "x.json", "--csv"][..],
        &["index", "--csv"],
        &["search", "harbour", "--csvv"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("-- --"), "{args:?}: {stderr}");
        assert!(stderr.contains("unexpected argument"), "{stderr}");
    }
    let out = env.cmd().args(["stats", "--csv"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--csv is an option of `byline search`, `byline entities`"),
        "{stderr}"
    );
}

/// `--as-of` is the day the reader reads as of: an article after it is as
/// far from it as one the same distance before, so the articles closest to
/// the day rank first, and the far ones score far below their relevance.
#[test]
fn sort_recent_as_of_decays_articles_after_the_day_too() {
    let env = Env::new(&[
        record(
            "Strike strike strike",
            "The strike goes on, strike leaders say.",
            Some("1995-06-01"),
        ),
        record("Miners strike", "A strike at the pits.", Some("1989-03-01")),
        record("Dock strike", "A strike at the docks.", Some("1987-04-10")),
        record(
            "Rail strike",
            "A strike on the railways.",
            Some("1987-03-20"),
        ),
        record("Bus strike", "A strike on the buses.", Some("1985-01-01")),
    ]);
    let v = env.json(&[
        "search",
        "--json",
        "--sort",
        "recent",
        "--as-of",
        "1987-04-01",
        "--half-life",
        "365d",
        "strike",
    ]);
    assert_eq!(
        titles(&v),
        [
            "Dock strike",
            "Rail strike",
            "Miners strike",
            "Bus strike",
            "Strike strike strike"
        ]
    );
    let hits = v["hits"].as_array().unwrap();
    let plain = env.json(&["search", "--json", "strike"]);
    let relevance = |title: &str| {
        plain["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["title"] == title)
            .unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    // Eight years after the day: halved about eight times.
    let far = hits
        .iter()
        .find(|h| h["title"] == "Strike strike strike")
        .unwrap();
    let ratio = far["score"].as_f64().unwrap() / relevance("Strike strike strike");
    let want = 0.5f64.powf((365.0 * 8.0 + 62.0) / 365.0);
    assert!((ratio / want - 1.0).abs() < 0.02, "{ratio} against {want}");
    assert!(hits.iter().all(|h| h["score"].as_f64().unwrap() > 0.0));
}

/// `--body` with `--csv` adds the full text as the last column, which reads
/// back as it was (line breaks, quotes and commas included).
#[test]
fn search_csv_body_adds_a_text_column_that_round_trips() {
    let body = "Bakers in Leeds, \"the first\", stopped work.\n\nTalks resume, said one.";
    let env = Env::new(&[record("Bakery strike", body, Some("1987-03-04"))]);
    let rows = csv_rows(&env.stdout(&["search", "--csv", "--body", "bakery"]));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].len(), 12);
    assert_eq!(rows[0].last().unwrap(), "text");
    assert_eq!(rows[1].last().unwrap(), body);
    assert_eq!(rows[1][5], "Bakery strike");
    // Without --body, no text column.
    let rows = csv_rows(&env.stdout(&["search", "--csv", "bakery"]));
    assert_eq!(rows[0].len(), 11);
    assert!(!rows[0].iter().any(|c| c == "text"));
}

/// CSV scores are numbers a spreadsheet reads: six significant digits, an
/// exponent for the tiny recency scores of old articles.
#[test]
fn search_csv_scores_have_six_significant_digits() {
    let env = Env::new(&[
        record("Harbour dues", "Harbour dues rise.", Some("2025-01-01")),
        record(
            "Harbour crane",
            "A crane for the harbour.",
            Some("1987-01-05"),
        ),
    ]);
    let check = |args: &[&str]| {
        let rows = csv_rows(&env.stdout(args));
        assert_eq!(rows.len(), 3);
        for row in &rows[1..] {
            let cell = &row[2];
            let digits = cell
                .split('e')
                .next()
                .unwrap()
                .trim_start_matches(['0', '.'])
                .replace('.', "");
            assert!(digits.len() <= 6, "{cell}");
            assert!(cell.len() <= 12, "{cell}");
            assert!(cell.parse::<f64>().unwrap() > 0.0, "{cell}");
        }
    };
    check(&["search", "--csv", "harbour"]);
    check(&[
        "search",
        "--csv",
        "--sort",
        "recent",
        "--half-life",
        "365d",
        "harbour",
    ]);
}

/// `--since` after `--until` is said to be an empty range, not searched.
#[test]
fn a_date_range_that_ends_before_it_starts_is_an_error() {
    let env = Env::new(&[record(
        "Harbour dues",
        "Harbour dues rise.",
        Some("1989-06-01"),
    )]);
    for cmd in ["search", "timeline", "entities"] {
        env.cmd()
            .args([cmd, "--since", "1990", "--until", "1989", "harbour"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("date range is empty"))
            .stderr(predicates::str::contains(
                "--since 1990 is after --until 1989",
            ));
    }
    // One year, given as both ends, is no empty range.
    env.stdout(&["search", "--since", "1989", "--until", "1989", "harbour"]);
}

/// `stats` on an index with no dated article says so in words.
#[test]
fn stats_without_dated_articles_says_none() {
    let env = Env::new(&[
        record("Harbour dues", "Harbour dues rise.", None),
        record("Harbour crane", "A crane.", None),
    ]);
    let text = env.stdout(&["stats"]);
    assert!(text.contains("dates       none (2 undated)"), "{text}");
    assert!(text.contains("date source none"), "{text}");
    assert!(!text.contains("- .. -"), "{text}");
}

/// A folder named as a whole date dates the files in it, for `index` and
/// for `extract`, as a dated file name does.
#[test]
fn a_folder_named_as_a_date_dates_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let day = dir.path().join("archive").join("2003-06-12");
    std::fs::create_dir_all(&day).unwrap();
    std::fs::write(
        day.join("floods.txt"),
        "Floods in the valley\n\nThe river rose overnight.\n",
    )
    .unwrap();
    let other = dir.path().join("archive").join("v2-1999-list");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("notes.txt"),
        "Harbour notes\n\nThe river is calm.\n",
    )
    .unwrap();
    let archive = Archive::open_or_create(dir.path().join("index")).unwrap();
    let opts = IndexOptions {
        mtime_dates: false,
        ..IndexOptions::default()
    };
    archive
        .index_folder(dir.path().join("archive"), &opts, &|_| {})
        .unwrap();
    let mut req = SearchRequest::new("river");
    req.sort = Sort::Date;
    let res = archive.search(&req).unwrap();
    let dates: Vec<Option<String>> = res
        .hits
        .iter()
        .map(|h| h.published.map(|t| t.to_string()))
        .collect();
    // The dated folder's file, then the other folder's: its numbers are
    // no date.
    assert_eq!(dates, [Some("2003-06-12T00:00:00Z".to_string()), None]);
    assert!(res.hits[0].path.contains("2003-06-12"));
    let out = Command::cargo_bin("byline")
        .unwrap()
        .arg("extract")
        .arg(day.join("floods.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = if v.is_array() { v[0].clone() } else { v };
    assert_eq!(v["published"], "2003-06-12T00:00:00Z", "{v}");
}

/// `byline export`: every article, one `show --json` object per line; with
/// `--since`, the articles of the period only, as a search counts them.
#[test]
fn export_writes_every_article_as_show_prints_it() {
    let env = Env::new(&[
        record(
            "Dockers strike in Gdansk",
            "The union walked out.",
            Some("2025-11-03T08:00:00Z"),
        ),
        record(
            "Ferry crews walk out",
            "Crews stopped work.",
            Some("2024-06-01T08:00:00Z"),
        ),
        record("Cranes idle at the quay", "The cranes stood still.", None),
    ]);
    let all = env.stdout(&["export"]);
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines.len(), 3, "{all}");
    for line in &lines {
        let article: Value = serde_json::from_str(line).unwrap();
        let id = article["id"].as_str().unwrap();
        assert_eq!(*line, env.stdout(&["show", "--json", id]).trim_end());
    }
    let recent = env.stdout(&["export", "--since", "2025-01-01"]);
    assert_eq!(recent.lines().count(), 1, "{recent}");
    assert!(recent.contains("Dockers strike in Gdansk"));
    let found = env.json(&["search", "*", "-n", "0", "--json", "--since", "2025-01-01"]);
    assert_eq!(found["total"], 1);
    // Nothing in the period: exit code 1, as a search that finds nothing.
    env.cmd()
        .args(["export", "--since", "2030-01-01"])
        .assert()
        .code(1)
        .stdout("");
}
