//! Issue #25: an article's references (its id, and the path `FILE#KEY` of a
//! record of a file of several) name the same article whatever happens to
//! the records around it; `byline show` reads one article whole; `id:`
//! searches by id; `search --json --body` carries the text; `extract
//! FILE#KEY` prints one record.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use serde_json::{json, Value};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// A temp dir with an empty `corpus/`.
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        Env { dir }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    /// Writes `corpus/NAME`, dated an hour ago, so that reindexing trusts
    /// its mtime (see `RACY_NS`).
    fn write(&self, name: &str, text: &str) {
        let path = self.path(&format!("corpus/{name}"));
        std::fs::write(&path, text).unwrap();
        let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .append(true)
            .open(&path)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    }

    /// Indexes `corpus/NAME` holding `record` alone, with `flags`.
    fn index_one(&self, name: &str, record: Value, flags: &[&str]) {
        self.write(name, &record.to_string());
        self.cmd().arg("index").args(flags).assert().success();
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.current_dir(self.dir.path())
            .env_remove("BYLINE_INDEX")
            .env("NO_COLOR", "1");
        c
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Runs a command that finds nothing: exit code 1, and stderr says
    /// each of `said`.
    fn finds_nothing(&self, args: &[&str], said: &[&str]) {
        let (code, _, err) = self.run(args);
        assert_eq!(code, 1, "{args:?}: {err}");
        for s in said {
            assert!(err.contains(s), "{args:?}: no {s:?} in {err}");
        }
    }

    fn json(&self, args: &[&str]) -> Value {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str(&out).unwrap()
    }

    /// The hits of a `search --json`.
    fn hits(&self, args: &[&str]) -> Vec<Value> {
        let (_, out, _) = self.run(args);
        let results: Value = serde_json::from_str(&out).unwrap();
        results["hits"].as_array().cloned().unwrap_or_default()
    }

    /// [added, updated, removed, unchanged] of `reindex --json`.
    fn reindex(&self) -> [u64; 4] {
        let v = self.json(&["reindex", "--json"]);
        ["added", "updated", "removed", "unchanged"].map(|k| v[k].as_u64().unwrap())
    }

    /// Every article's (path, id, title), as a search lists them.
    fn all(&self) -> Vec<(String, String, String)> {
        let mut all: Vec<_> = self
            .hits(&["search", "--json", "-n", "100000", "*"])
            .iter()
            .map(|h| {
                let s = |k: &str| h[k].as_str().unwrap().to_string();
                (s("path"), s("id"), s("title"))
            })
            .collect();
        all.sort();
        all
    }
}

/// A wire file of `n` records: every third with an id, every third with
/// only a url, the rest with neither (keyed by their content).
fn wire_lines(n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            let title = format!("Tide tables revised for berth {i}");
            let body = format!("The harbour office revised the tide tables for berth {i}.");
            match i % 3 {
                0 => json!({"id": format!("w{i}"), "title": title, "body": body}),
                1 => json!({"url": format!("https://wire.example/{i}"), "title": title, "body": body}),
                _ => json!({"title": title, "body": body}),
            }
            .to_string()
        })
        .collect()
}

#[test]
fn deleting_or_inserting_a_line_rewrites_no_other_record_and_moves_no_reference() {
    let env = Env::new();
    let mut lines = wire_lines(30);
    env.write("wire.jsonl", &(lines.join("\n") + "\n"));
    assert_eq!(env.reindex(), [30, 0, 0, 0]);
    let before = env.all();
    assert_eq!(before.len(), 30);

    // One line deleted from the middle: that record goes, no other moves.
    let gone = lines.remove(9);
    env.write("wire.jsonl", &(lines.join("\n") + "\n"));
    assert_eq!(env.reindex(), [0, 0, 1, 29]);
    // One inserted at the top.
    lines.insert(
        0,
        json!({"title": "Ferry fares frozen", "body": "Fares stay."}).to_string(),
    );
    env.write("wire.jsonl", &(lines.join("\n") + "\n"));
    assert_eq!(env.reindex(), [1, 0, 0, 29]);

    let after = env.all();
    let gone_title = serde_json::from_str::<Value>(&gone).unwrap()["title"].clone();
    for (path, id, title) in &before {
        if *title == gone_title {
            assert!(!after.iter().any(|a| a.0 == *path), "{path} still there");
            continue;
        }
        // The same path and id name the same article.
        assert!(
            after.contains(&(path.clone(), id.clone(), title.clone())),
            "{path}"
        );
        for reference in [path, id] {
            let shown = env.json(&["show", "--json", reference]);
            assert_eq!(shown["title"], json!(title), "{reference}");
        }
    }
    // The keys are the record's id, its url, or its content hash.
    assert!(after.iter().any(|a| a.0 == "corpus/wire.jsonl#w3"));
    assert!(after
        .iter()
        .any(|a| a.0 == "corpus/wire.jsonl#https://wire.example/1"));
    let content_keyed = after
        .iter()
        .filter(|a| {
            let key = a.0.rsplit_once('#').unwrap().1;
            key.len() == 16 && key.chars().all(|c| c.is_ascii_hexdigit())
        })
        .count();
    // Ten of the thirty, and the line inserted.
    assert_eq!(content_keyed, 11, "{after:#?}");

    // An error still names the line, a location.
    lines.insert(3, "{broken".into());
    env.write("wire.jsonl", &(lines.join("\n") + "\n"));
    let v = env.json(&["reindex", "--json"]);
    // (The folder the index was built from, read by its relative path.)
    let skipped = v["skipped_files"][0]["path"].as_str().unwrap_or_default();
    assert!(skipped.ends_with("corpus/wire.jsonl:4"), "{v}");
    assert_eq!(v["updated"], 0, "{v}");
}

#[test]
fn records_with_one_key_get_distinct_references_that_stay_put() {
    let env = Env::new();
    let same_id = |title: &str| json!({"id": "dup", "title": title, "body": "Text."}).to_string();
    let twin = json!({"title": "Twin", "body": "Identical."}).to_string();
    let lines = [
        same_id("First with dup"),
        twin.clone(),
        json!({"id": "other", "title": "Other", "body": "Else."}).to_string(),
        same_id("Second with dup"),
        twin.clone(),
    ];
    env.write("d.jsonl", &(lines.join("\n") + "\n"));
    assert_eq!(env.reindex(), [5, 0, 0, 0]);
    let show = |r: &str| env.json(&["show", "--json", &format!("corpus/d.jsonl#{r}")]);
    assert_eq!(show("dup")["title"], "First with dup");
    assert_eq!(show("dup~2")["title"], "Second with dup");
    let twin_key = env
        .all()
        .into_iter()
        .find(|a| a.2 == "Twin")
        .map(|a| a.0.rsplit_once('#').unwrap().1.to_string())
        .unwrap();
    assert_eq!(show(&twin_key)["title"], "Twin");
    assert_eq!(show(&format!("{twin_key}~2"))["title"], "Twin");
    // Two articles with one id: `show ID` lists their paths.
    env.finds_nothing(
        &["show", "dup"],
        &["names 2 articles", "corpus/d.jsonl#dup~2"],
    );

    // The record between them goes: the duplicates keep their keys.
    let kept = [&lines[0], &lines[1], &lines[3], &lines[4]];
    env.write("d.jsonl", &(kept.map(String::as_str).join("\n") + "\n"));
    assert_eq!(env.reindex(), [0, 0, 1, 4]);
    assert_eq!(show("dup~2")["title"], "Second with dup");
}

#[test]
fn a_json_array_is_reindexed_by_record() {
    let env = Env::new();
    let items = |titles: &[&str]| {
        Value::Array(
            titles
                .iter()
                .map(|t| json!({"title": t, "text": format!("{t} in full.")}))
                .collect(),
        )
        .to_string()
    };
    env.write("batch.json", &items(&["Alpha", "Beta", "Gamma", "Delta"]));
    assert_eq!(env.reindex(), [4, 0, 0, 0]);
    let before = env.all();
    env.write(
        "batch.json",
        &items(&["Alpha", "Gamma", "Delta", "Epsilon"]),
    );
    assert_eq!(env.reindex(), [1, 0, 1, 3]);
    let after = env.all();
    for title in ["Alpha", "Gamma", "Delta"] {
        let find = |v: &[(String, String, String)]| v.iter().find(|a| a.2 == title).cloned();
        assert_eq!(find(&before), find(&after), "{title}");
    }
}

#[test]
fn show_prints_the_whole_article_by_id_or_path() {
    let env = Env::new();
    env.write(
        "port.json",
        &json!({
            "id": "np-7",
            "title": "Dockers strike in Gdansk",
            "description": "The union walked out at dawn.",
            "maintext": "Tomasz Wierzba, the union leader, said the strike in Gdansk would last a week. Wierzba met the port board in Gdansk on Monday.",
            "date_publish": "2025-11-03T08:00:00Z",
            "authors": ["Nathan Crowe"],
            "url": "https://port.example/strike",
            "language": "en"
        })
        .to_string(),
    );
    env.write(
        "notes.txt",
        "Ferry fares frozen for winter\n\nFares on the island routes stay as they are until March, the operator said.\n",
    );
    env.cmd().arg("index").assert().success();

    let a = env.json(&["show", "np-7", "--json"]);
    assert_eq!(a["title"], "Dockers strike in Gdansk");
    assert_eq!(a["standfirst"], "The union walked out at dawn.");
    assert!(a["body"].as_str().unwrap().ends_with("on Monday."), "{a}");
    assert_eq!(a["published"], "2025-11-03T08:00:00Z");
    assert_eq!(a["date_source"], "metadata");
    assert_eq!(a["byline"], "Nathan Crowe");
    assert_eq!(a["url"], "https://port.example/strike");
    assert_eq!(a["language"], "en");
    assert_eq!(a["path"], "corpus/port.json");
    let people = a["people"].as_array().unwrap();
    assert!(
        people.contains(&json!({"name": "Tomasz Wierzba", "mentions": 2, "salient": false})),
        "{people:?}"
    );
    let places = a["places"].as_array().unwrap();
    assert!(
        places
            .iter()
            .any(|p| p["name"] == "Gdańsk" && p["mentions"] == 3),
        "{places:?}"
    );
    // By path, the same article.
    assert_eq!(env.json(&["show", "corpus/port.json", "--json"]), a);

    let (code, out, _) = env.run(&["show", "np-7"]);
    assert_eq!(code, 0);
    for line in [
        "Dockers strike in Gdansk",
        "2025-11-03 08:00 UTC (from the metadata) · by Nathan Crowe · en",
        "id             np-7",
        "path           corpus/port.json",
        "url            https://port.example/strike",
        "people         Tomasz Wierzba (2)",
        "The union walked out at dawn.",
    ] {
        assert!(
            out.lines().any(|l| l == line),
            "no line {line:?} in:\n{out}"
        );
    }
    assert!(
        out.contains("the strike in Gdansk would last a week"),
        "{out}"
    );

    // What is not there is said, with what to do; exit code 1.
    env.finds_nothing(&["show", "np-8"], &["no article with the id `np-8`"]);
    env.finds_nothing(
        &["show", "elsewhere/port.json"],
        &["elsewhere/port.json: not in the index", "byline reindex"],
    );
    env.write("wire.jsonl", &(wire_lines(3).join("\n") + "\n"));
    env.cmd().arg("reindex").assert().success();
    env.finds_nothing(&["show", "corpus/wire.jsonl#w9"], &["no record `w9`"]);
    env.finds_nothing(
        &["show", "corpus/wire.jsonl"],
        &["holds 3 articles; name one as corpus/wire.jsonl#KEY"],
    );
    // A path given from elsewhere names the same file.
    let sub = env.path("corpus");
    let shown = env
        .cmd()
        .current_dir(&sub)
        .args(["--index", "../index", "show", "--json", "wire.jsonl#w3"])
        .output()
        .unwrap();
    assert!(shown.status.success());
    let v: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(v["title"], "Tide tables revised for berth 3");
}

#[test]
fn show_gives_no_entities_from_an_index_built_without_them() {
    let env = Env::new();
    env.index_one("a.json", json!({"id": "a1", "title": "Tomasz Wierzba leads strike in Gdansk", "text": "Tomasz Wierzba said the port of Gdansk would stay shut."}), &["--no-entities"]);
    let a = env.json(&["show", "--json", "a1"]);
    assert_eq!(a["title"], "Tomasz Wierzba leads strike in Gdansk");
    for kind in ["people", "organizations", "places"] {
        assert_eq!(a[kind], json!([]), "{a}");
    }
}

#[test]
fn id_is_a_query_term_that_combines_with_others() {
    let env = Env::new();
    env.write("wire.jsonl", &(wire_lines(6).join("\n") + "\n"));
    env.cmd().arg("index").assert().success();
    let titles = |args: &[&str]| -> Vec<String> {
        env.hits(args)
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&["search", "--json", "id:w3"]),
        ["Tide tables revised for berth 3"]
    );
    assert_eq!(titles(&["search", "--json", "id:w3", "berth"]).len(), 1);
    assert!(titles(&["search", "--json", "id:w3", "ferry"]).is_empty());
    assert_eq!(titles(&["search", "--json", "id:w3 OR id:w6"]).len(), 2);
    assert_eq!(
        titles(&["search", "--json", "--", "berth", "-id:w3"]).len(),
        5
    );
    // A generated id (a record with none of its own) is found as printed.
    let generated = env.hits(&["search", "--json", "berth 2"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        titles(&["search", "--json", &format!("id:{generated}")]).len(),
        1
    );
    env.cmd().args(["search", "id:w4"]).assert().code(1);
}

#[test]
fn search_body_adds_the_text_to_each_hit_and_only_then() {
    let env = Env::new();
    env.index_one("a.json", json!({"title": "Pilots strike", "description": "A walkout.", "text": "Pilots walked out at dawn.\n\nTalks resume on Friday."}), &[]);
    let hit = &env.hits(&["search", "--json", "--body", "pilots"])[0];
    assert_eq!(
        hit["text"],
        "A walkout.\n\nPilots walked out at dawn.\n\nTalks resume on Friday."
    );
    let plain = &env.hits(&["search", "--json", "pilots"])[0];
    assert!(plain.get("text").is_none(), "{plain}");
    // Without --json there is no JSON to add it to.
    let (code, _, err) = env.run(&["search", "--body", "pilots"]);
    assert_eq!(code, 2);
    assert!(err.contains("--json"), "{err}");
}

#[test]
fn extract_reads_one_record_by_its_path() {
    let env = Env::new();
    env.write("wire.jsonl", &(wire_lines(4).join("\n") + "\n"));
    let (code, out, _) = env.run(&["extract", "corpus/wire.jsonl#w3"]);
    assert_eq!(code, 0);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["title"], "Tide tables revised for berth 3");
    assert_eq!(lines[0]["path"], "corpus/wire.jsonl#w3");
    // The path extract prints for a record is one it reads back.
    let all = env.run(&["extract", "corpus/wire.jsonl"]).1;
    for line in all.lines() {
        let a: Value = serde_json::from_str(line).unwrap();
        let one = env.run(&["extract", a["path"].as_str().unwrap()]).1;
        assert_eq!(serde_json::from_str::<Value>(&one).unwrap(), a);
    }
    let (code, out, err) = env.run(&["extract", "corpus/wire.jsonl#w9"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("no record `w9`"), "{err}");
}

#[test]
fn an_index_of_an_older_version_is_rebuilt_not_misread() {
    let env = Env::new();
    env.write(
        "notes.txt",
        "Ferry fares frozen\n\nFares on the island routes stay as they are until March, the operator said.\n",
    );
    // An index whose `id` field is only stored, as before `id:` was searchable.
    let idx = env.path("index");
    std::fs::create_dir(&idx).unwrap();
    let mut b = tantivy::schema::Schema::builder();
    b.add_text_field("id", tantivy::schema::STORED);
    tantivy::Index::create_in_dir(&idx, b.build()).unwrap();
    let (code, _, err) = env.run(&["search", "ferry"]);
    assert_eq!(code, 2);
    assert!(err.contains("another version of byline"), "{err}");
    assert!(err.contains("rebuild it with `byline index`"), "{err}");
    env.cmd().arg("index").assert().success();
    env.cmd()
        .args(["search", "id:x OR ferry"])
        .assert()
        .success();
}

#[test]
fn show_finds_a_path_as_search_printed_it_from_any_folder() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("data/undated")).unwrap();
    std::fs::write(
        env.path("data/undated/bakery.txt"),
        "Bakery opens on the square\n\nThe new bakery on the square opened on Monday, the owner said.\n",
    )
    .unwrap();
    env.cmd()
        .args(["--index", "idx", "index", "data"])
        .assert()
        .success();
    let hits = env.hits(&["--index", "idx", "search", "--json", "bakery"]);
    let printed = hits[0]["path"].as_str().unwrap().to_string();
    assert_eq!(printed, "data/undated/bakery.txt");
    let idx = env.path("idx");
    let idx = idx.to_str().unwrap();
    // From the root, and from inside the folder indexed: the path as
    // printed names nothing there, but does from where `index` ran.
    for dir in [PathBuf::from("/"), env.path("data/undated")] {
        let out = env
            .cmd()
            .current_dir(&dir)
            .args(["--index", idx, "show", "--json", &printed])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "from {}: {err}", dir.display());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["title"], "Bakery opens on the square");
    }
    // A path that is nowhere is still said to be so.
    let out = env
        .cmd()
        .current_dir("/")
        .args(["--index", idx, "show", "data/undated/nothing.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in the index"));
}

#[test]
fn a_plain_reindex_keeps_the_paths_in_the_form_index_gave_them() {
    let env = Env::new();
    std::fs::create_dir(env.path("data")).unwrap();
    std::fs::write(
        env.path("data/first.txt"),
        "Bakery opens on the square\n\nThe new bakery on the square opened on Monday.\n",
    )
    .unwrap();
    env.cmd()
        .args(["--index", "idx", "index", "data"])
        .assert()
        .success();
    std::fs::write(
        env.path("data/second.txt"),
        "Second bakery opens by the river\n\nAnother bakery opened by the river on Tuesday.\n",
    )
    .unwrap();
    let (code, _, err) = env.run(&["--index", "idx", "reindex"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("reindexing data (the folder"), "{err}");
    let hits = env.hits(&["--index", "idx", "search", "--json", "bakery"]);
    let mut paths: Vec<_> = hits
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    assert_eq!(paths, ["data/first.txt", "data/second.txt"]);
}

#[test]
fn show_with_a_mistyped_index_says_check_the_name_as_search_does() {
    let env = Env::new();
    env.write(
        "notes.txt",
        "Ferry fares frozen for winter\n\nFares on the island routes stay as they are.\n",
    );
    env.cmd().arg("index").assert().success();
    for cmd in [&["show", "WIRE-1000"][..], &["search", "ferry"]] {
        let mut args = vec!["--index", "idxx"];
        args.extend_from_slice(cmd);
        let (code, _, err) = env.run(&args);
        assert_eq!(code, 2, "{cmd:?}: {err}");
        assert!(
            err.contains("idxx: no such folder, so no index") && err.contains("check the name"),
            "{cmd:?}: {err}"
        );
    }
}
