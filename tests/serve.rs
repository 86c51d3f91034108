//! `byline serve`: every endpoint of the HTTP API answers what the matching
//! command prints with `--json` or `--csv`, refuses what it cannot give
//! with a JSON error that says why, keeps to its limits, sends its security
//! headers, and sees a `reindex` without a restart. Requests go through the
//! library's router in this process; the last tests run the `byline serve`
//! command itself over a socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use byline::serve::{router, Limits};
use byline::{Archive, IndexOptions};
use serde_json::Value;
use tower::ServiceExt;

/// The sample archive of `corpus/`, indexed once for the whole file.
fn sample_index() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let archive = Archive::open_or_create(dir.path().join("index")).unwrap();
        archive
            .index_folder(&corpus, &IndexOptions::default(), &|_| {})
            .unwrap();
        dir
    })
    .path()
    .join("index")
    .leak()
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn app_with(index: &Path, limits: Limits) -> Router {
    router(Archive::open(index).unwrap(), limits)
}

fn app() -> Router {
    app_with(sample_index(), Limits::default())
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// The error message of a refusal, checked to be one.
    fn error(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), "application/json");
        self.json()["error"].as_str().unwrap().to_string()
    }
}

fn request(app: &Router, method: &str, uri: &str) -> Answer {
    runtime().block_on(async {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    })
}

fn get(app: &Router, uri: &str) -> Answer {
    request(app, "GET", uri)
}

/// What the `byline` command prints on standard output.
fn cli(index: &Path, args: &[&str]) -> String {
    let out = std::process::Command::cargo_bin("byline")
        .unwrap()
        .arg("--index")
        .arg(index)
        .args(args)
        .env_remove("BYLINE_INDEX")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn a_search_answers_what_search_json_prints() {
    let app = app();
    for (q, extra, flags) in [
        ("ferry", "", vec![]),
        (
            "strike",
            "&n=3&offset=2&sort=date",
            vec!["-n", "3", "--offset", "2", "--sort", "date"],
        ),
        (
            "place:Gdansk port",
            "&sort=oldest",
            vec!["--sort", "oldest"],
        ),
        ("*", "&n=0&copies=all", vec!["-n", "0", "--all-copies"]),
    ] {
        let answer = get(&app, &format!("/api/search?q={}{extra}", encode(q)));
        assert_eq!(answer.status, StatusCode::OK, "{q}: {}", answer.text());
        assert_eq!(answer.header("content-type"), "application/json");
        let mut args = vec!["search", "--json"];
        args.extend(flags);
        args.push(q);
        let printed = cli(sample_index(), &args);
        assert_eq!(answer.text(), printed.trim_end(), "{q}");
    }
    let hits = get(&app, "/api/search?q=*&n=100&sort=date").json();
    assert!(hits["total"].as_u64().unwrap() > 100, "{}", hits["total"]);
    assert_eq!(hits["hits"].as_array().unwrap().len(), 100);
    let dates: Vec<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["published"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn an_article_answers_what_show_json_prints() {
    let app = app();
    let hits = get(&app, "/api/search?q=ferry&n=1").json();
    let id = hits["hits"][0]["id"].as_str().unwrap().to_string();
    let path = hits["hits"][0]["path"].as_str().unwrap().to_string();
    let answer = get(&app, &format!("/api/articles/{}", encode(&id)));
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(
        answer.text(),
        cli(sample_index(), &["show", "--json", &id]).trim_end()
    );
    assert!(!answer.json()["body"].as_str().unwrap().is_empty());
    // By the path a hit gives, as `show` takes it.
    let by_path = get(&app, &format!("/api/articles/{}", encode(&path)));
    assert_eq!(by_path.json()["id"], answer.json()["id"]);
    let missing = get(&app, "/api/articles/no-such-article");
    let why = missing.error(StatusCode::NOT_FOUND);
    assert!(why.contains("no-such-article"), "{why}");
    // Said without the server's folders, or advice to run a command.
    assert!(!why.contains(&*sample_index().to_string_lossy()), "{why}");
    assert!(why.contains("the archive"), "{why}");
    assert!(!why.contains("byline"), "{why}");
}

#[test]
fn entities_timeline_duplicates_and_stats_answer_as_their_commands() {
    let app = app();
    let index = sample_index();
    for (uri, args) in [
        (
            "/api/entities?q=strike&n=5",
            vec!["entities", "--json", "-n", "5", "strike"],
        ),
        ("/api/entities", vec!["entities", "--json"]),
        (
            "/api/timeline?q=port&by=month",
            vec!["timeline", "--json", "--by", "month", "port"],
        ),
        (
            "/api/timeline?by=year&copies=all",
            vec!["timeline", "--json", "--by", "year", "--all-copies"],
        ),
        (
            "/api/duplicates?n=5",
            vec!["duplicates", "--json", "-n", "5"],
        ),
    ] {
        let answer = get(&app, uri);
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        assert_eq!(answer.text(), cli(index, &args).trim_end(), "{uri}");
    }
    // Stats name the index folder as the command was given it.
    let stats = get(&app, "/api/stats").json();
    let printed: Value = serde_json::from_str(&cli(index, &["stats", "--json"])).unwrap();
    assert_eq!(stats["documents"], printed["documents"]);
    assert_eq!(stats["languages"], printed["languages"]);
    assert!(stats["documents"].as_u64().unwrap() > 100);
    let health = get(&app, "/api/health").json();
    assert_eq!(health["documents"], stats["documents"]);
}

#[test]
fn a_timeline_left_to_the_server_keeps_to_sixty_bars() {
    let app = app();
    let t = get(&app, "/api/timeline?q=*").json();
    let bars = t["buckets"].as_array().unwrap().len();
    assert!((1..=60).contains(&bars), "{bars} bars by {}", t["by"]);
    // The smallest size that fits: one size down needs more than 60.
    let finer = match t["by"].as_str().unwrap() {
        "year" => "month",
        "month" => "week",
        "week" => "day",
        _ => return,
    };
    let finer = get(&app, &format!("/api/timeline?q=*&by={finer}")).json();
    assert!(finer["buckets"].as_array().unwrap().len() > 60);
}

#[test]
fn csv_downloads_are_what_the_commands_print() {
    let app = app();
    let index = sample_index();
    let answer = get(&app, "/api/search?q=strike&format=csv&n=5&sort=date");
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(
        answer.header("content-disposition"),
        "attachment; filename=\"byline-hits.csv\""
    );
    let printed = cli(
        index,
        &["search", "--csv", "-n", "5", "--sort", "date", "strike"],
    );
    assert_eq!(answer.text(), printed);
    assert!(printed.starts_with("rank,id,score,published"));
    for (uri, args) in [
        (
            "/api/entities?q=strike&format=csv",
            vec!["entities", "--csv", "strike"],
        ),
        (
            "/api/timeline?q=port&by=month&format=csv",
            vec!["timeline", "--csv", "--by", "month", "port"],
        ),
        ("/api/duplicates?format=csv", vec!["duplicates", "--csv"]),
    ] {
        let answer = get(&app, uri);
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(answer.text(), cli(index, &args), "{uri}");
    }
}

#[test]
fn what_cannot_be_given_is_refused_as_json_saying_why() {
    let app = app();
    let cases = [
        ("/api/search", "the query is empty"),
        ("/api/search?q=ferry&sor=date", "unknown parameter `sor`"),
        ("/api/search?q=ferry&n=101", "`n` is at most 100"),
        ("/api/search?q=ferry&n=ten", "`n` must be a whole number"),
        (
            "/api/search?q=ferry&offset=10001",
            "`offset` is at most 10000",
        ),
        (
            "/api/search?q=ferry&sort=best",
            "`sort` is one of relevance, date, oldest, recent",
        ),
        (
            "/api/search?q=ferry&format=xml",
            "`format` is one of json, csv",
        ),
        ("/api/search?q=ferry&q=port", "given twice"),
        (
            "/api/search?q=after%3A2025-12-01+before%3A2025-11-01",
            "no day",
        ),
        ("/api/search?q=lang%3Axx", "lang"),
        (
            "/api/timeline?by=decade",
            "`by` is one of day, week, month, year",
        ),
        (
            "/api/stats?q=x",
            "unknown parameter `q`; this endpoint takes no parameters",
        ),
        ("/api/health?x=1", "takes no parameters"),
        ("/api/search?q=%FF", "not UTF-8"),
    ];
    for (uri, want) in cases {
        let why = get(&app, uri).error(StatusCode::BAD_REQUEST);
        assert!(why.contains(want), "{uri}: {why}");
    }
    let long = "a".repeat(2_001);
    let why = get(&app, &format!("/api/search?q={long}")).error(StatusCode::BAD_REQUEST);
    assert!(why.contains("the most is 2000"), "{why}");
    // A CSV download may be longer than a page, up to its own bound.
    assert_eq!(
        get(&app, "/api/search?q=ferry&format=csv&n=10000").status,
        StatusCode::OK
    );
    let why = get(&app, "/api/search?q=ferry&format=csv&n=10001").error(StatusCode::BAD_REQUEST);
    assert!(why.contains("10000"), "{why}");
    // Nothing under the server's own paths, and nothing that writes.
    let why = get(&app, "/api/nothing").error(StatusCode::NOT_FOUND);
    assert!(why.contains("/api/nothing"), "{why}");
    let long = format!("/{}", "x".repeat(20_000));
    assert!(get(&app, &long).error(StatusCode::NOT_FOUND).len() < 300);
    let why = request(&app, "POST", "/api/search?q=ferry").error(StatusCode::METHOD_NOT_ALLOWED);
    assert!(why.contains("GET"), "{why}");
    request(&app, "DELETE", "/").error(StatusCode::METHOD_NOT_ALLOWED);
}

#[test]
fn no_path_reaches_a_file_on_disk() {
    let app = app();
    for uri in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..%2fsrc%2flib.rs",
        "/..%2f..%2fetc%2fpasswd",
        "/assets/",
        "/index.html",
        "/src/serve/assets/app.js",
    ] {
        let answer = get(&app, uri);
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!answer.text().contains("[package]"), "{uri}");
    }
}

#[test]
fn every_response_carries_the_security_headers() {
    let app = app();
    for uri in [
        "/",
        "/assets/app.js",
        "/api/search?q=ferry",
        "/api/search",
        "/nope",
    ] {
        let answer = get(&app, uri);
        let csp = answer.header("content-security-policy");
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe"), "{uri}: {csp}");
        assert!(!csp.contains("http"), "{uri}: {csp}");
        assert_eq!(answer.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(answer.header("referrer-policy"), "no-referrer", "{uri}");
    }
}

#[test]
fn the_page_and_its_files_come_from_the_binary() {
    let app = app();
    let page = get(&app, "/?q=ferry&sort=date");
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let html = page.text();
    assert!(html.contains("/assets/app.js"), "the page loads its script");
    assert!(
        html.contains("/assets/style.css"),
        "the page loads its style"
    );
    // Nothing from another host, and no inline script the policy would block.
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "inline script");
    for (uri, kind) in [
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ] {
        let answer = get(&app, uri);
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(answer.header("content-type"), kind, "{uri}");
        assert!(answer.body.len() > 100, "{uri}");
        // A browser holding this version is told so, not sent it again.
        let tag = answer.header("etag").to_string();
        let again = runtime().block_on(async {
            let req = Request::get(uri)
                .header("if-none-match", &tag)
                .body(Body::empty())
                .unwrap();
            app.clone().oneshot(req).await.unwrap()
        });
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{uri}");
    }
}

#[test]
fn a_request_past_its_time_or_the_queue_is_told_so() {
    let slow = app_with(
        sample_index(),
        Limits {
            timeout: Duration::ZERO,
            ..Limits::default()
        },
    );
    let why = get(&slow, "/api/search?q=ferry").error(StatusCode::GATEWAY_TIMEOUT);
    assert!(why.contains("longer than"), "{why}");
    let full = app_with(
        sample_index(),
        Limits {
            queued: 0,
            ..Limits::default()
        },
    );
    let why = get(&full, "/api/search?q=ferry").error(StatusCode::SERVICE_UNAVAILABLE);
    assert!(why.contains("busy"), "{why}");
    let why = get(&full, "/api/entities?q=ferry").error(StatusCode::SERVICE_UNAVAILABLE);
    assert!(why.contains("busy"), "{why}");
    // What is no search does not wait behind searches: the page, the
    // health a monitor polls, the stats, an article a reader opens.
    assert_eq!(get(&full, "/").status, StatusCode::OK);
    assert_eq!(get(&full, "/api/health").status, StatusCode::OK);
    assert_eq!(get(&full, "/api/stats").status, StatusCode::OK);
    let id = get(&app(), "/api/search?q=ferry&n=1").json()["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        get(&full, &format!("/api/articles/{id}")).status,
        StatusCode::OK
    );
}

/// A small archive of its own, in a temp dir, for the tests that change it.
fn own_archive(articles: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (name, text) in articles {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let archive = Archive::open_or_create(dir.path().join("index")).unwrap();
    archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    (dir, corpus)
}

const FERRY: &str = "Ferry crews walk out in Valletta\n\n\
    Crews of the harbour ferries stopped work on Monday over pay.\n\n\
    The operator, Maltaline, said talks would resume on Friday.\n";
const QUAY: &str = "Quay cranes idle as quokka shipment waits\n\n\
    A shipment of live animals bound for a zoo in Gdansk waited on the quay.\n\n\
    Port officials said the paperwork was incomplete.\n";

/// `byline reindex` as a batch job runs it: in another process.
fn reindex(index: &Path, corpus: &Path, flags: &[&str]) {
    let out = std::process::Command::cargo_bin("byline")
        .unwrap()
        .arg("--index")
        .arg(index)
        .arg("reindex")
        .args(flags)
        .arg(corpus)
        .env_remove("BYLINE_INDEX")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
}

#[test]
fn a_reindex_is_seen_without_a_restart() {
    let (dir, corpus) = own_archive(&[("2025-11-03-ferry.txt", FERRY)]);
    let index = dir.path().join("index");
    let app = app_with(&index, Limits::default());
    let total = |app: &Router, q: &str| {
        get(app, &format!("/api/search?q={q}")).json()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total(&app, "quokka"), 0);
    assert_eq!(total(&app, "ferries"), 1);
    // A writer in another process, as `byline reindex` is.
    std::fs::write(corpus.join("2025-11-04-quay.txt"), QUAY).unwrap();
    reindex(&index, &corpus, &[]);
    // A monitor polling the health alone sees it.
    assert_eq!(get(&app, "/api/health").json()["documents"], 2);
    // Searches see it once its story map is ready (a thread keeps it so,
    // checking four times a second).
    let seen = |q: &str, want: u64| {
        (0..100).any(|_| {
            let found = total(&app, q) == want;
            if !found {
                std::thread::sleep(Duration::from_millis(50));
            }
            found
        })
    };
    assert!(seen("quokka", 1));
    assert_eq!(get(&app, "/api/stats").json()["documents"], 2);
    // A full rebuild, swapped in beside the live index.
    std::fs::remove_file(corpus.join("2025-11-03-ferry.txt")).unwrap();
    reindex(&index, &corpus, &["--full"]);
    assert!(seen("ferries", 0));
    assert_eq!(total(&app, "quokka"), 1);
}

/// `byline serve` as a user starts it, on a port the system picks; killed
/// when dropped.
struct Server {
    child: Child,
    address: String,
    said: String,
}

impl Server {
    fn start(index: &Path, bind: &str) -> Server {
        let mut child = std::process::Command::cargo_bin("byline")
            .unwrap()
            .arg("--index")
            .arg(index)
            .args(["serve", "--bind", bind])
            .env_remove("BYLINE_INDEX")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut said = String::new();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let address = loop {
            let mut line = String::new();
            assert!(
                lines.read_line(&mut line).unwrap() > 0,
                "no address: {said}"
            );
            said.push_str(&line);
            if let Some(at) = line.split("http://").nth(1) {
                break at.split('/').next().unwrap().to_string();
            }
        };
        // The warning, when there is one, comes right after.
        if !address.starts_with("127.") {
            let mut line = String::new();
            lines.read_line(&mut line).unwrap();
            said.push_str(&line);
        }
        Server {
            child,
            address,
            said,
        }
    }

    /// Status line and body of a GET, over a socket as a browser sends it.
    fn get(&self, path: &str) -> (String, String) {
        let port = self.address.rsplit(':').next().unwrap();
        let mut s = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        let status = answer.lines().next().unwrap_or("").to_string();
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_csv_download_runs_no_formula_in_a_spreadsheet() {
    let hostile = "=HYPERLINK(\"http://x.example/\",\"Click\") council tax\n\n\
        +SUM(1,2) the council said the tax would rise.\n";
    let (dir, _corpus) = own_archive(&[("2025-11-05-tax.txt", hostile)]);
    let app = app_with(&dir.path().join("index"), Limits::default());
    let answer = get(&app, "/api/search?q=council&format=csv");
    assert_eq!(answer.status, StatusCode::OK);
    let text = answer.text();
    let row = text.lines().nth(1).unwrap();
    assert!(row.contains("\"'=HYPERLINK("), "{row}");
    assert!(!row.contains(",=") && !row.contains(",\"="), "{row}");
}

#[test]
fn byline_serve_listens_on_loopback_and_answers() {
    let (dir, _corpus) = own_archive(&[("2025-11-03-ferry.txt", FERRY)]);
    let server = Server::start(&dir.path().join("index"), "127.0.0.1:0");
    assert!(server.address.starts_with("127.0.0.1:"), "{}", server.said);
    assert!(!server.said.contains("warning"), "{}", server.said);
    let (status, body) = server.get("/api/search?q=ferries");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("Ferry crews walk out in Valletta"), "{body}");
    let (status, body) = server.get("/api/search?q=%22unclosed");
    assert!(status.contains("400"), "{status}: {body}");
    // No internals reach the client: not the index's folder, nor a panic.
    assert!(!body.contains(&*dir.path().to_string_lossy()), "{body}");
}

#[test]
fn byline_serve_on_another_address_warns_that_anyone_can_read() {
    let (dir, _corpus) = own_archive(&[("2025-11-03-ferry.txt", FERRY)]);
    let server = Server::start(&dir.path().join("index"), "0.0.0.0:0");
    assert!(server.said.contains("warning"), "{}", server.said);
    assert!(server.said.contains("authentication"), "{}", server.said);
    let (status, _) = server.get("/api/health");
    assert!(status.contains("200"), "{status}");
}

/// `Archive::warm`, as the server's thread calls it: after a commit by
/// another process, searches answer from the last commit whose story map
/// is ready until `warm` has made the new one, and never wait for it.
#[test]
fn a_warmed_archive_publishes_a_commit_once_its_story_map_is_made() {
    let (dir, corpus) = own_archive(&[("2025-11-03-ferry.txt", FERRY)]);
    let index = dir.path().join("index");
    let archive = Archive::open(&index).unwrap();
    let total = |q: &str| {
        archive
            .search(&byline::SearchRequest::new(q))
            .unwrap()
            .total
    };
    assert!(archive.warm().unwrap(), "the first map is made");
    assert!(!archive.warm().unwrap(), "and not made again");
    std::fs::write(corpus.join("2025-11-04-quay.txt"), QUAY).unwrap();
    reindex(&index, &corpus, &[]);
    assert_eq!(total("quokka"), 0, "the commit before, its map ready");
    // Every copy asked for: no map needed, the newest commit at once.
    let mut every = byline::SearchRequest::new("quokka");
    every.all_copies = true;
    assert_eq!(archive.search(&every).unwrap().total, 1);
    assert!(archive.warm().unwrap(), "the new commit's map");
    assert_eq!(total("quokka"), 1);
    // Without `warm`, a search makes the map itself and sees the newest.
    let fresh = Archive::open(&index).unwrap();
    std::fs::remove_file(corpus.join("2025-11-04-quay.txt")).unwrap();
    reindex(&index, &corpus, &[]);
    let q = byline::SearchRequest::new("quokka");
    assert_eq!(fresh.search(&q).unwrap().total, 0);
}
