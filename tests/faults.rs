//! The faults of issue #23, each as it was met: an index that cannot be
//! written (a read-only mount, another user's files), query errors that
//! showed tantivy's own text, a damaged index, and `--index` naming a file.
//! The read-only tests need root (to mount, and to run as another user);
//! without it they say so and pass.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use byline::{Archive, Error, Granularity, IndexOptions, SearchRequest};
use serde_json::Value;

/// A temp dir with `corpus/` (the project's fixtures and two articles
/// about Blair and Brown) and, when asked, `index/` built from it.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for name in ["scraped-page.txt", "news-please.json", "page.html"] {
            std::fs::copy(fx.join(name), corpus.join(name)).unwrap();
        }
        std::fs::write(
            corpus.join("blair.txt"),
            "Blair's memoir tops the autumn lists\n\nThe former prime minister's book sold out in a week.\n\nPublishers reprinted Blair's memoir twice before the end of the month.\n",
        )
        .unwrap();
        std::fs::write(
            corpus.join("brown.txt"),
            "Brown returns to the lecture circuit\n\nThe former chancellor spoke in Kirkcaldy on Friday.\n\nBrown said the profits of the year were above the forecast.\n",
        )
        .unwrap();
        Env { dir }
    }

    fn indexed() -> Env {
        let env = Env::new();
        let opts = IndexOptions {
            writer_threads: 1,
            ..IndexOptions::default()
        };
        Archive::open_or_create(env.path("index"))
            .unwrap()
            .index_folder(env.path("corpus"), &opts, &|_| {})
            .unwrap();
        env
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

    fn archive(&self) -> Archive {
        Archive::open(self.path("index")).unwrap()
    }
}

/// What an archive answers, as JSON, to compare before and after.
fn answers(archive: &Archive) -> Value {
    let all = SearchRequest::new("");
    serde_json::json!({
        "search": serde_json::to_value(archive.search(&SearchRequest::new("memoir OR ferry")).unwrap()).unwrap(),
        "stats": serde_json::to_value(archive.stats().unwrap()).unwrap(),
        "timeline": serde_json::to_value(archive.timeline(&all, Granularity::Month).unwrap()).unwrap(),
        "entities": serde_json::to_value(archive.top_entities(&all, 5).unwrap()).unwrap(),
    })
}

fn titles(archive: &Archive, q: &str) -> Vec<String> {
    let mut t: Vec<String> = archive
        .search(&SearchRequest::new(q))
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect();
    t.sort();
    t
}

fn query_error(archive: &Archive, q: &str) -> String {
    match archive.search(&SearchRequest::new(q)) {
        Err(e @ Error::Query(_)) => e.to_string(),
        other => panic!("{q}: expected a query error, got {other:?}"),
    }
}

/// A read-only bind mount of a folder over itself, undone when dropped
/// (also when the test fails).
struct ReadOnlyMount(PathBuf);

impl ReadOnlyMount {
    /// `None` (with a note) when this process may not mount.
    fn new(dir: &Path) -> Option<ReadOnlyMount> {
        let run = |args: &[&str]| {
            Process::new("mount")
                .args(args)
                .arg(dir)
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success())
        };
        if !run(&["--bind"]) {
            eprintln!("note: cannot bind-mount (not root?); read-only mount test skipped");
            return None;
        }
        let guard = ReadOnlyMount(dir.to_path_buf());
        if !run(&["-o", "remount,bind,ro"]) {
            eprintln!("note: cannot remount read-only; read-only mount test skipped");
            return None;
        }
        Some(guard)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(&self.0).status();
    }
}

fn is_root() -> bool {
    Process::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

#[test]
fn a_read_only_mount_is_searched_as_before_and_refuses_writers() {
    let env = Env::indexed();
    let before = answers(&env.archive());
    // No lock file either: the reader may not create one.
    let _ = std::fs::remove_file(env.path("index/.tantivy-meta.lock"));
    let Some(_mount) = ReadOnlyMount::new(&env.path("index")) else {
        return;
    };
    assert!(
        std::fs::write(env.path("index/probe"), "x").is_err(),
        "the mount is not read-only"
    );
    let after = answers(&env.archive());
    assert_eq!(before, after);
    env.cmd()
        .args(["search", "memoir"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("Blair's memoir"));
    for args in [&["stats"][..], &["timeline"], &["entities"]] {
        env.cmd().args(args).assert().code(0);
    }
    for args in [&["reindex"][..], &["reindex", "--full"], &["index"]] {
        let out = env.cmd().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("the index at index is read-only"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("Os {"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_index_another_user_may_not_write_is_searched_and_refuses_writers() {
    if !is_root() {
        eprintln!("note: not root; the other-user read-only test is skipped");
        return;
    }
    let env = Env::indexed();
    // The binary where the other user can run it, the temp dir traversable.
    let bin = env.path("byline");
    std::fs::copy(assert_cmd::cargo::cargo_bin("byline"), &bin).unwrap();
    let chmod = |mode: &str, path: &Path| {
        assert!(Process::new("chmod")
            .arg(mode)
            .arg(path)
            .status()
            .unwrap()
            .success());
    };
    chmod("0755", env.dir.path());
    for entry in walk(&env.path("index")).chain(walk(&env.path("corpus"))) {
        chmod(if entry.is_dir() { "0555" } else { "0444" }, &entry);
    }
    let as_nobody = |args: &[&str]| {
        let out = Process::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args(args)
            .current_dir(env.dir.path())
            .env_remove("BYLINE_INDEX")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = as_nobody(&["search", "memoir"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Blair's memoir"), "{stdout}");
    for args in [&["stats"][..], &["timeline"], &["entities"]] {
        let (code, _, stderr) = as_nobody(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = as_nobody(&["reindex"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("the index at index is read-only"),
        "{stderr}"
    );
}

/// Every folder and file under `dir`, `dir` included.
fn walk(dir: &Path) -> impl Iterator<Item = PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(&out[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            out.append(&mut inner);
        }
        i += 1;
    }
    out.into_iter()
}

#[test]
fn apostrophe_words_beside_brackets_boosts_and_quotes_are_searched() {
    let env = Env::indexed();
    let archive = env.archive();
    let blair = ["Blair's memoir tops the autumn lists"];
    let both = [
        "Blair's memoir tops the autumn lists",
        "Brown returns to the lecture circuit",
    ];
    assert_eq!(titles(&archive, "(Blair's OR Brown)"), both);
    assert_eq!(titles(&archive, "((Blair's) OR (Brown))"), both);
    for q in [
        "(Blair's)",
        "Blair's^2",
        "(Blair's)^2",
        "\"Blair's\"",
        "+Blair's",
        "memoir (Blair's OR Gordon's)",
        "title:(Blair's)",
    ] {
        assert_eq!(titles(&archive, q), blair, "{q}");
    }
    assert_eq!(
        titles(&archive, "(memoir OR lecture) -Blair's"),
        ["Brown returns to the lecture circuit"]
    );
}

#[test]
fn a_comparison_sign_in_prose_is_punctuation() {
    let env = Env::indexed();
    let archive = env.archive();
    let brown = ["Brown returns to the lecture circuit"];
    for q in [
        "profits > forecast",
        "profits >forecast",
        "profits >= forecast",
        "(profits <) forecast",
        "profits (>) forecast",
    ] {
        assert_eq!(titles(&archive, q), brown, "{q}");
    }
}

#[test]
fn ranges_over_text_are_refused_with_the_date_operators_named() {
    let env = Env::indexed();
    let archive = env.archive();
    for q in [
        "[a TO b]",
        "{a TO b}",
        "title:>x",
        "body:[a TO b]",
        "memoir title:<=b",
    ] {
        let err = query_error(&archive, q);
        assert!(
            err.contains("after:") && err.contains("before:"),
            "{q}: {err}"
        );
        assert!(!err.contains("Range query"), "{q}: {err}");
    }
}

#[test]
fn a_field_with_a_star_is_refused_with_the_way_to_list_everything() {
    let env = Env::indexed();
    let archive = env.archive();
    for q in ["title:*", "memoir body:*"] {
        let err = query_error(&archive, q);
        assert!(err.contains("is not supported"), "{q}: {err}");
        assert!(err.contains("search for `*`"), "{q}: {err}");
    }
    assert_eq!(archive.search(&SearchRequest::new("*")).unwrap().total, 5);
}

#[test]
fn query_syntax_errors_say_what_is_wrong() {
    let env = Env::indexed();
    let archive = env.archive();
    for (q, says) in [
        ("memoir AND", "nothing after AND"),
        ("OR memoir", "OR needs a word before it"),
        ("memoir OR AND x", "AND straight after OR"),
        ("(memoir", "is not closed"),
        ("memoir)", "closes no `(`"),
        ("memoir^x", "a boost is a number"),
        ("title:", "names a field but no word"),
        ("\"memoir\"*", "needs two words or more"),
        ("a IN [b c]", "list the words with OR"),
    ] {
        let err = query_error(&archive, q);
        assert!(err.contains(says), "{q}: {err}");
    }
}

/// Pieces a user's query is made of, awkward ones included.
const QUERY_PIECES: &[&str] = &[
    "memoir",
    "Brown",
    "Blair's",
    "O'Neill",
    "don't",
    "Joneses'",
    "'",
    "\"",
    "(",
    ")",
    " OR ",
    " AND ",
    " ",
    " ",
    " ",
    "-",
    "+",
    "^2",
    "^",
    "~",
    "~1",
    "*",
    ":",
    "title:",
    "body:",
    "byline:",
    "standfirst:",
    "format:",
    ">",
    "<",
    ">=",
    "[a TO b]",
    "{a TO b}",
    "[",
    "]",
    "{",
    "}",
    "TO",
    "IN",
    "/",
    "!",
    "\\",
    "10:30",
    "&&",
    "||",
    ",",
    ".",
    "é",
];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }
}

#[test]
fn no_query_error_shows_tantivy_text() {
    let env = Env::indexed();
    let archive = env.archive();
    let mut rng = Rng(23);
    let mut errors = 0;
    for _ in 0..4000 {
        let n = 1 + rng.below(7);
        let q: String = (0..n)
            .map(|_| QUERY_PIECES[rng.below(QUERY_PIECES.len())])
            .collect();
        if let Err(e) = archive.search(&SearchRequest::new(&*q)) {
            errors += 1;
            let said = e.to_string();
            for raw in [
                "Syntax Error",
                "Schema error",
                "IoError(",
                "Os {",
                "fast field",
            ] {
                assert!(!said.contains(raw), "{q:?}: {said}");
            }
        }
    }
    // The generator reaches the error paths at all.
    assert!(errors > 100, "{errors}");
}

/// Scrambles the middle of every file of `ext` in `dir`, keeping its footer.
fn scramble(dir: &Path, ext: &str) {
    for path in walk(dir) {
        if path.extension().is_some_and(|e| e == ext) {
            let mut bytes = std::fs::read(&path).unwrap();
            let n = bytes.len();
            bytes[n / 8..n / 3].iter_mut().for_each(|b| *b ^= 0x5A);
            std::fs::write(&path, bytes).unwrap();
        }
    }
}

#[test]
fn a_damaged_index_is_named_with_the_way_to_rebuild_it() {
    // A cut file: tantivy returns an error.
    let env = Env::indexed();
    for path in walk(&env.path("index")) {
        if path.extension().is_some_and(|e| e == "term") {
            std::fs::write(&path, b"cut short").unwrap();
        }
    }
    let err = Archive::open(env.path("index"))
        .and_then(|a| a.search(&SearchRequest::new("memoir")).map(|_| ()))
        .unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err}");
    let said = err.to_string();
    assert!(
        said.contains("is damaged; rebuild it with `byline index`"),
        "{said}"
    );
    assert!(!said.contains("IoError"), "{said}");
    // A scrambled postings file, as tests/cli.rs damages one, on its
    // corpus: tantivy panics.
    let env = Env::new();
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["roundup.json", "records.jsonl"] {
        std::fs::copy(fx.join(name), env.path("corpus").join(name)).unwrap();
    }
    for name in ["blair.txt", "brown.txt"] {
        std::fs::remove_file(env.path("corpus").join(name)).unwrap();
    }
    std::fs::create_dir_all(env.path("corpus/2025/11/20")).unwrap();
    std::fs::write(
        env.path("corpus/2025/11/20/valletta-talks.txt"),
        "Valletta port talks resume after pilots' strike\n\nBoth sides returned to the table on Thursday.\n\nHarbour pilots and Melita Marine Services met for six hours in Valletta and agreed to meet again.\n",
    )
    .unwrap();
    env.cmd()
        .args(["index", "--threads", "1"])
        .assert()
        .success();
    scramble(&env.path("index"), "idx");
    let out = env.cmd().args(["search", "harbour"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "byline: error: the index at index is damaged; rebuild it with `byline index`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_fast_field_file_that_lost_a_column_is_named_as_damage() {
    // A flipped byte in a `.fast` file's column names: tantivy then reports
    // the date column as "not available", a schema error, when `stats`
    // reads it. CI's fault campaign met this as raw tantivy text.
    let env = Env::indexed();
    for path in walk(&env.path("index")) {
        if path.extension().is_some_and(|e| e == "fast") {
            let mut bytes = std::fs::read(&path).unwrap();
            let at = bytes
                .windows(9)
                .position(|w| w == b"published")
                .expect("the date column is named in the file");
            bytes[at + 8] = b'x';
            std::fs::write(&path, bytes).unwrap();
        }
    }
    let out = env.cmd().arg("stats").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is damaged; rebuild it with `byline index`"),
        "{stderr}"
    );
    assert!(!stderr.contains("Schema error"), "{stderr}");
}

#[test]
fn an_index_path_that_is_a_file_is_an_error_for_every_command() {
    let env = Env::new();
    std::fs::write(env.path("notes"), "not an index").unwrap();
    for args in [
        &["search", "memoir"][..],
        &["stats"],
        &["timeline"],
        &["entities"],
        &["index"],
        &["reindex"],
        &["reindex", "--full"],
    ] {
        let out = env
            .cmd()
            .args(["--index", "notes"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("notes: is a file, not an index folder"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("building"), "{args:?}: {stderr}");
        assert_eq!(std::fs::read(env.path("notes")).unwrap(), b"not an index");
    }
}

#[test]
fn an_empty_json_lines_file_is_reported_as_other_empty_files_are() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("none.jsonl"), "").unwrap();
    std::fs::write(corpus.join("blank.jsonl"), "\n  \n\n").unwrap();
    std::fs::write(corpus.join("empty.txt"), "").unwrap();
    std::fs::write(
        corpus.join("one.jsonl"),
        "{\"title\": \"Ferry fares rise\", \"text\": \"Fares on the harbour ferry rose.\"}\n",
    )
    .unwrap();
    let archive = Archive::open_or_create(tmp.path().join("idx")).unwrap();
    let report = archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    assert_eq!(report.indexed, 1);
    let mut skipped: Vec<_> = report
        .skipped
        .iter()
        .map(|s| {
            let name = Path::new(&s.path).file_name().unwrap().to_string_lossy();
            format!("{name}: {}", s.reason)
        })
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "blank.jsonl: empty file",
            "empty.txt: empty file",
            "none.jsonl: empty file"
        ]
    );
}

#[test]
fn byline_index_rebuilds_a_damaged_index_as_its_message_advises() {
    let env = Env::indexed();
    let before = env
        .cmd()
        .args(["search", "memoir", "--json"])
        .output()
        .unwrap();
    for path in walk(&env.path("index")) {
        if path.extension().is_some_and(|e| e == "term") {
            std::fs::write(&path, b"cut short").unwrap();
        }
    }
    env.cmd().args(["search", "memoir"]).assert().code(2);
    let out = env.cmd().arg("index").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("is damaged; building a new one"),
        "{stderr}"
    );
    let after = env
        .cmd()
        .args(["search", "memoir", "--json"])
        .output()
        .unwrap();
    let ids = |out: &[u8]| -> Vec<String> {
        let v: Value = serde_json::from_slice(out).unwrap();
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].to_string())
            .collect()
    };
    assert_eq!(ids(&before.stdout), ids(&after.stdout));
    assert!(!ids(&after.stdout).is_empty());
    // An empty folder (a share that failed to mount) does not replace it.
    std::fs::write(env.path("index/meta.json"), "{\"garb").unwrap();
    std::fs::create_dir(env.path("empty")).unwrap();
    env.cmd()
        .args(["index", "empty"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no article files found"));
    // `reindex --full` replaces a damaged index too, and so does `index`
    // over a `meta.json` that is not JSON.
    std::fs::write(env.path("index/meta.json"), "{\"garb").unwrap();
    env.cmd().args(["reindex", "--full"]).assert().success();
    std::fs::write(env.path("index/meta.json"), "{\"garb").unwrap();
    env.cmd().arg("index").assert().success();
    env.cmd().args(["search", "memoir"]).assert().success();
}

#[test]
fn an_index_is_readable_by_other_users_as_the_umask_allows() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let env = Env::indexed();
    for name in ["meta.json", ".managed.json"] {
        let mode = std::fs::metadata(env.path("index").join(name))
            .unwrap()
            .permissions()
            .mode();
        // tantivy writes these through a 0600 temporary file; byline gives
        // them the umask's mode (the test runner's umask never hides a
        // file from its owner's group and others entirely, here 022 or 002).
        assert_ne!(mode & 0o044, 0, "{name} is {:o}", mode & 0o777);
    }
    if !is_root() {
        eprintln!("note: not root; the other-user search is not tried");
        return;
    }
    let tmp = env.path("");
    let mut dir = tmp.as_path();
    while let Some(parent) = dir.parent() {
        let mode = std::fs::metadata(dir).unwrap().permissions().mode();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | 0o005)).unwrap();
        dir = parent;
    }
    let search = || {
        Process::new(env!("CARGO_BIN_EXE_byline"))
            .arg("--index")
            .arg(env.path("index"))
            .args(["search", "memoir"])
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap()
    };
    let out = search();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // After a reindex too (every commit rewrites meta.json).
    std::fs::write(
        env.path("corpus/later.txt"),
        "A later memoir\n\nThe memoir of a harbour pilot came out in May.\n",
    )
    .unwrap();
    env.cmd().arg("reindex").assert().success();
    assert!(search().status.success());
    // An index folder this user may not enter is not "no index" (which
    // would start building one): it says so.
    std::fs::set_permissions(env.path("index"), std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = search();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("may not read the index"), "{stderr}");
    assert!(!stderr.contains("building"), "{stderr}");
}
