//! `byline quickwit push` and `search|entities|timeline --quickwit`.
//!
//! Two kinds of test:
//! - against a stand-in node on loopback (always run): retries on 429 and
//!   5xx, batches, and a second push that sends nothing;
//! - against a real Quickwit node that the test starts on loopback with a
//!   file metastore in a temp folder, when `QUICKWIT_BIN` names the
//!   binary (README, "Quickwit"): the same answers as the local index for
//!   filters, entities and timelines, and a push after a reindex that
//!   sends what changed and deletes what went. Without `QUICKWIT_BIN` they
//!   say loudly that they were skipped.

#![cfg(feature = "quickwit")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

/// Articles with people, organisations, places, dates (one undated) and a
/// French one: invented people and firms, real places.
fn records() -> Vec<String> {
    let a = |id: &str, date: Option<&str>, title: &str, text: &str, lang: Option<&str>| {
        let mut v = serde_json::json!({ "id": id, "title": title, "text": text });
        if let Some(d) = date {
            v["published"] = d.into();
        }
        if let Some(l) = lang {
            v["language"] = l.into();
        }
        v.to_string()
    };
    vec![
        a("r1", Some("2025-03-02T09:00:00Z"), "Harbour pilots strike in Gdańsk",
          "Harbour pilots walked out in Gdańsk on Sunday. Tomasz Wierzba, who leads the Harbour Workers' Federation, said the port authority had ignored them.\n\nThe Port of Gdańsk Authority said talks would resume.", None),
        a("r2", Some("2025-03-04T10:00:00Z"), "Gdańsk pilots return as talks resume",
          "Pilots returned to work in Gdańsk after Tomasz Wierzba met the port authority.\n\nWierzba said the Harbour Workers' Federation would watch the talks closely.", None),
        a("r3", Some("2024-11-20T08:00:00Z"), "Rotterdam dockers back Gdańsk colleagues",
          "Dockers in Rotterdam voted to support colleagues in Gdańsk. Pieter van Dam, a union organiser, said the vote was unanimous.", None),
        a("r4", Some("1999-06-01T12:00:00Z"), "Ferry operator Baltanic orders two ships",
          "Baltanic Lines ordered two ferries for its route between Gdynia and Karlskrona, chief executive Ewa Lindqvist said in Stockholm.", None),
        a("r5", None, "Undated note on harbour dredging",
          "Dredging of the harbour channel in Gdańsk will continue, the Port of Gdańsk Authority said.", None),
        a("r6", Some("2025-05-10T07:00:00Z"), "Grève des dockers à Marseille",
          "Les dockers de Marseille sont en grève depuis lundi. Idris Benali, secrétaire du syndicat, a demandé une réunion.", Some("fr")),
        a("r7", Some("1962-09-14T00:00:00Z"), "Shipyard in Gdańsk launches a freighter",
          "The shipyard in Gdańsk launched a freighter on Friday, the Baltanic Lines company said.", None),
    ]
}

/// A temp folder with the records as JSON Lines and an index of them.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(corpus.join("wire.jsonl"), records().join("\n") + "\n").unwrap();
        let env = Env { dir };
        env.cmd().arg("index").arg(&corpus).assert().success();
        env
    }

    fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.arg("--index")
            .arg(self.dir.path().join("index"))
            .env_remove("BYLINE_INDEX")
            .env_remove("BYLINE_QUICKWIT")
            .env_remove("BYLINE_QUICKWIT_INDEX")
            .env("NO_COLOR", "1");
        c
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }
}

// ---------------------------------------------------------------------
// A stand-in node.

/// What the stand-in received: method, path, body.
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// Serves scripted answers, one per request, in order; the last one again
/// when the script runs out.
fn stand_in(script: Vec<(u16, &'static str)>) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut n = 0;
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (status, body) = script[n.min(script.len() - 1)];
            n += 1;
            answer(stream, status, body, &log);
        }
    });
    (url, seen)
}

fn answer(mut stream: TcpStream, status: u16, body: &str, log: &Seen) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let mut length = 0;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        if h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap();
            }
        }
    }
    let mut buf = vec![0; length];
    reader.read_exact(&mut buf).unwrap();
    log.lock()
        .unwrap()
        .push((method, path, String::from_utf8_lossy(&buf).into_owned()));
    let reply = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nretry-after: 0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).unwrap();
}

const INDEX: &str = r#"{"index_uid":"news:01TEST","index_config":{}}"#;

#[test]
fn a_push_waits_out_429_and_5xx_and_a_second_push_sends_nothing() {
    let env = Env::new();
    let n = records().len();
    let ingested = Box::leak(
        format!(
            r#"{{"num_docs_for_processing":{n},"num_ingested_docs":{n},"num_rejected_docs":0}}"#
        )
        .into_boxed_str(),
    );
    let (url, seen) = stand_in(vec![
        (503, "starting"),
        (200, INDEX),
        (429, r#"{"message":"too many requests"}"#),
        (500, r#"{"message":"shard unavailable"}"#),
        (200, ingested),
        (200, INDEX),
    ]);
    let push = || {
        env.cmd()
            .args([
                "quickwit",
                "push",
                "--url",
                &url,
                "--quickwit-index",
                "news",
                "--json",
            ])
            .output()
            .unwrap()
    };
    let out = push();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["added"], n as u64, "{report}");
    assert_eq!(report["requests"], 1);
    // Each refusal said, and waited out.
    for said in ["503", "429", "500", "trying again"] {
        assert!(stderr.contains(said), "{said}: {stderr}");
    }
    let sent = seen.lock().unwrap().clone();
    let ingests: Vec<_> = sent
        .iter()
        .filter(|(_, p, _)| p.contains("/ingest"))
        .collect();
    assert_eq!(ingests.len(), 3, "{sent:?}");
    // The last try carried every article, one JSON document a line, and
    // committed them before answering.
    let (_, path, body) = ingests[2];
    assert!(path.contains("commit=wait_for"), "{path}");
    let docs: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), n);
    let r1 = docs.iter().find(|d| d["id"] == "r1").unwrap();
    assert_eq!(r1["published"], "2025-03-02T09:00:00Z");
    assert!(
        r1["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "Tomasz Wierzba"),
        "{r1}"
    );
    assert!(
        r1["surname"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "wierzba"),
        "{r1}"
    );
    let r5 = docs.iter().find(|d| d["id"] == "r5").unwrap();
    assert!(r5.get("published").is_none());
    assert_eq!(r5["timestamp"], "1800-01-01T00:00:00Z");

    // Nothing changed: nothing sent.
    let again: Value = serde_json::from_slice(&push().stdout).unwrap();
    assert_eq!(
        (again["added"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(n as u64))
    );
    assert_eq!(again["requests"], 0);
}

#[test]
fn a_node_that_never_recovers_is_named_with_its_last_answer() {
    let env = Env::new();
    let (url, _) = stand_in(vec![(503, r#"{"message":"no ingester available"}"#)]);
    // Short waits: the test asks for few tries through the library.
    let client = byline::quickwit::Client::new(&url)
        .unwrap()
        .with_retry(byline::quickwit::Retry {
            attempts: 3,
            first: Duration::from_millis(10),
            longest: Duration::from_millis(20),
        });
    let archive = byline::Archive::open(env.dir.path().join("index")).unwrap();
    let err = byline::quickwit::push(
        &archive,
        &client,
        &byline::quickwit::PushOptions::new("news"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("503") && err.contains("gave up after 3 tries"),
        "{err}"
    );
}

#[test]
fn queries_that_quickwit_cannot_answer_as_byline_does_are_refused() {
    let env = Env::new();
    // Refused before any request: the URL goes nowhere.
    for (args, said) in [
        (vec!["search", "volck*"], "prefix"),
        (vec!["search", "reagen~"], "fuzzy"),
        (
            vec!["search", "--sort", "recent", "pilots"],
            "--sort recent",
        ),
        (vec!["search", "--csv", "pilots"], "--csv"),
        (vec!["search", "--all", "pilots"], "for the local index"),
    ] {
        let out = env
            .cmd()
            .args(&args)
            .args(["--quickwit", "http://127.0.0.1:9"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(said),
            "{args:?}: {stderr}"
        );
    }
    let out = env
        .cmd()
        .args(["search", "pilots", "--quickwit", "ftp://x"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an http"));
}

#[test]
fn the_config_names_every_field_a_document_has() {
    let env = Env::new();
    let config = String::from_utf8(
        env.cmd()
            .args(["quickwit", "config", "--quickwit-index", "news"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(config.contains("index_id: \"news\""));
    assert!(config.contains("timestamp_field: timestamp"));
    let (url, seen) = stand_in(vec![
        (200, INDEX),
        (
            200,
            r#"{"num_docs_for_processing":7,"num_ingested_docs":7,"num_rejected_docs":0}"#,
        ),
    ]);
    env.cmd()
        .args([
            "quickwit",
            "push",
            "--url",
            &url,
            "--quickwit-index",
            "news",
        ])
        .assert()
        .success();
    let sent = seen.lock().unwrap().clone();
    // The config is strict: a field it does not name would be refused.
    for (_, path, body) in sent.iter().filter(|(_, p, _)| p.contains("/ingest")) {
        for line in body.lines() {
            let doc: Value = serde_json::from_str(line).unwrap();
            for key in doc.as_object().unwrap().keys() {
                assert!(
                    config.contains(&format!("- name: {key}\n")),
                    "{path}: {key}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------
// A real node.

/// The Quickwit binary, or a loud skip.
fn quickwit_bin(test: &str) -> Option<PathBuf> {
    match std::env::var_os("QUICKWIT_BIN") {
        Some(p) if Path::new(&p).is_file() => Some(PathBuf::from(p)),
        _ => {
            // Straight to the process's stderr: the test harness captures
            // `eprintln!` of a passing test, and this must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "\n*** SKIPPED {test}: no Quickwit node (set QUICKWIT_BIN to a quickwit binary; README, \"Installing Quickwit\") ***\n"
            );
            None
        }
    }
}

/// A Quickwit node on loopback, stopped when dropped.
struct Node {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Node {
    fn start(bin: &Path) -> Node {
        let dir = tempfile::tempdir().unwrap();
        // A port with its neighbour free (gRPC listens on the next one).
        let port = loop {
            let p = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            if p < 65000 && TcpListener::bind(("127.0.0.1", p + 1)).is_ok() {
                break p;
            }
        };
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("n1")).unwrap();
        let config = format!(
            "version: 0.8\nnode_id: n1\nlisten_address: 127.0.0.1\nrest:\n  listen_port: {port}\ndata_dir: {d}/n1\nmetastore_uri: file://{d}/indexes\ndefault_index_root_uri: file://{d}/indexes\n",
            d = data.display()
        );
        std::fs::write(dir.path().join("node.yaml"), config).unwrap();
        let child = std::process::Command::new(bin)
            .arg("run")
            .current_dir(dir.path())
            .env("QW_CONFIG", dir.path().join("node.yaml"))
            .env("QW_DISABLE_TELEMETRY", "1")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("log")).unwrap())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let node = Node {
            child,
            url,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if get(&format!("{}/health/readyz", node.url)).is_some_and(|b| b.trim() == "true") {
                return node;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!("the Quickwit node at {} was not ready in 60 s", node.url);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET's body, if it answered 200.
fn get(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut s = TcpStream::connect(host).ok()?;
    write!(
        s,
        "GET /{path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let (head, body) = out.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200").then(|| body.to_string())
}

/// A POST that must answer 200.
fn post(url: &str, content_type: &str, body: &str) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "POST /{path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
}

/// The ids of a `search --json`, in order.
fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_quickwit_index_answers_filters_entities_and_timelines_as_the_local_one() {
    let Some(bin) =
        quickwit_bin("a_quickwit_index_answers_filters_entities_and_timelines_as_the_local_one")
    else {
        return;
    };
    let node = Node::start(&bin);
    let env = Env::new();
    let remote = ["--quickwit", node.url.as_str(), "--quickwit-index", "news"];
    let push = |env: &Env| -> Value {
        env.json(&[
            "quickwit",
            "push",
            "--url",
            &node.url,
            "--quickwit-index",
            "news",
            "--json",
        ])
    };
    // Deletes apply to mature splits only (a split is mature 48 h after it
    // was made by default): this index's splits are mature at once, so
    // that the test sees its deletes applied.
    let config = String::from_utf8(
        env.cmd().args(["quickwit", "config", "--quickwit-index", "news"]).output().unwrap().stdout,
    )
    .unwrap()
    .replace(
        "  commit_timeout_secs: 10\n",
        "  commit_timeout_secs: 10\n  merge_policy:\n    type: stable_log\n    maturation_period: 1s\n",
    );
    assert!(config.contains("maturation_period"));
    post(
        &format!("{}/api/v1/indexes", node.url),
        "application/yaml",
        &config,
    );
    let first = push(&env);
    assert_eq!(first["created"], false);
    assert_eq!(first["added"], 7, "{first}");
    assert_eq!(first["rejected"], serde_json::json!([]));
    // Filters find the same articles, in the same order (newest first).
    for q in [
        "person:Wierzba",
        "person:\"Tomasz Wierzba\"",
        "person:\"van Dam\"",
        "org:\"Harbour Workers' Federation\"",
        "place:Gdańsk",
        "-place:Gdańsk",
        "lang:fr",
        "place:Gdańsk before:1970",
        "place:Gdańsk after:2025-03-03",
        "after:1990 before:2000",
        // Quickwit misreads timestamp bounds before April 1972.
        "after:1971",
        "before:1972-03",
        "after:1972-03 before:2000",
        // Typed without the accents.
        "place:Gdansk",
        "byline:\"Ewa Nowak\"",
        "pilots place:Gdańsk",
        "\"port authority\"",
    ] {
        let args = |extra: &[&str]| -> Vec<String> {
            ["search", "--all-copies", "--json", "-n", "20"]
                .iter()
                .chain(extra)
                .chain(&["--", q])
                .map(|s| s.to_string())
                .collect()
        };
        let local = env.json(&args(&[]).iter().map(String::as_str).collect::<Vec<_>>());
        let there = env.json(&args(&remote).iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(local["total"], there["total"], "{q}");
        let (mut l, mut t) = (ids(&local), ids(&there));
        l.sort();
        t.sort();
        assert_eq!(l, t, "{q}");
    }
    // Dates alone: newest first, in both.
    let local = env.json(&["search", "--json", "-n", "20", "after:1990"]);
    let there = env.json(&[
        "search",
        "--json",
        "-n",
        "20",
        "after:1990",
        "--quickwit",
        &node.url,
        "--quickwit-index",
        "news",
    ]);
    assert_eq!(ids(&local), ids(&there));
    assert_eq!(ids(&there)[..3], ["r6", "r2", "r1"]);
    // The hit as byline prints it.
    let hit = &there["hits"][1];
    assert_eq!(hit["title"], "Gdańsk pilots return as talks resume");
    assert_eq!(hit["published"], "2025-03-04T10:00:00Z");
    assert!(
        hit["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Tomasz Wierzba"),
        "{hit}"
    );
    let e = |args: &[&str]| {
        let mut v = env.json(args);
        v.as_object_mut().unwrap().remove("distinct");
        v
    };
    assert_eq!(
        e(&["entities", "--all-copies", "--json", "Gdańsk"]),
        e(&[
            "entities",
            "--all-copies",
            "--json",
            "Gdańsk",
            "--quickwit",
            &node.url,
            "--quickwit-index",
            "news"
        ])
    );
    assert_eq!(
        env.json(&["timeline", "--all-copies", "--json", "--by", "year"]),
        env.json(&[
            "timeline",
            "--all-copies",
            "--json",
            "--by",
            "year",
            "--quickwit",
            &node.url,
            "--quickwit-index",
            "news"
        ])
    );

    // A reindex changes one article, removes one and adds one.
    let corpus = env.corpus();
    let text = std::fs::read_to_string(corpus.join("wire.jsonl")).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.contains("\"r3\""))
        .map(|l| {
            l.replace(
                "Dredging of the harbour channel",
                "Dredging of the outer harbour channel by Kelpie Marine",
            )
        })
        .map(|l| l + "\n")
        .collect();
    let added = serde_json::json!({"id": "r8", "published": "2025-06-01T00:00:00Z", "title": "Gdańsk pilots sign a new agreement", "text": "The pilots signed a new agreement in Gdańsk."});
    std::fs::write(corpus.join("wire.jsonl"), format!("{text}{added}\n")).unwrap();
    env.cmd().arg("reindex").arg(&corpus).assert().success();
    let second = push(&env);
    assert_eq!(
        (
            &second["added"],
            &second["updated"],
            &second["removed"],
            &second["unchanged"]
        ),
        (
            &Value::from(1),
            &Value::from(1),
            &Value::from(1),
            &Value::from(5)
        ),
        "{second}"
    );
    assert_eq!(second["delete_tasks"], 1);
    let there = env.json(&[
        "search",
        "--json",
        "agreement",
        "--quickwit",
        &node.url,
        "--quickwit-index",
        "news",
    ]);
    assert_eq!(ids(&there), ["r8"]);
    // Deletes are applied by Quickwit's janitor, in its own time: the task
    // is there at once, the articles gone once it has run.
    let tasks = get(&format!("{}/api/v1/news/delete-tasks", node.url)).unwrap();
    assert!(tasks.contains("r3") && tasks.contains("r5"), "{tasks}");
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let kelpie = env.json(&[
            "search",
            "--json",
            "-n",
            "20",
            "dredging",
            "--quickwit",
            &node.url,
            "--quickwit-index",
            "news",
        ]);
        let r3 = env.json(&[
            "search",
            "--json",
            "Rotterdam",
            "--quickwit",
            &node.url,
            "--quickwit-index",
            "news",
        ]);
        if ids(&kelpie) == ["r5"] && r3["total"] == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "deletes not applied in 180 s: {kelpie} {r3}"
        );
        std::thread::sleep(Duration::from_secs(2));
    }
    let third = push(&env);
    assert_eq!(
        (&third["added"], &third["requests"]),
        (&Value::from(0), &Value::from(0))
    );
}

#[test]
fn a_push_asked_to_stop_sends_nothing_more_and_says_so() {
    let env = Env::new();
    let (url, seen) = stand_in(vec![(200, INDEX)]);
    let client = byline::quickwit::Client::new(&url).unwrap();
    let archive = byline::Archive::open(env.dir.path().join("index")).unwrap();
    let mut opts = byline::quickwit::PushOptions::new("news");
    opts.stop = Some(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
        true,
    )));
    let r = byline::quickwit::push(&archive, &client, &opts).unwrap();
    assert!(r.stopped);
    assert_eq!((r.added, r.requests), (0, 0));
    let sent = seen.lock().unwrap().clone();
    assert!(
        sent.iter().all(|(_, p, _)| !p.contains("/ingest")),
        "{sent:?}"
    );
}
