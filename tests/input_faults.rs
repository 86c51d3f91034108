//! Inputs that once lost records or took unbounded memory (issue #23,
//! points 6, 7 and 10): byte-order marks before JSON Lines, the HTML page
//! and standard input bounds, `extract` streaming JSON Lines, and `extract`
//! and `index` agreeing on limits and on why a file cannot be read.

use std::path::Path;

use assert_cmd::Command;
use byline::{Archive, IndexOptions, SearchRequest};
use predicates::prelude::*;
use serde_json::Value;

fn byline() -> Command {
    Command::cargo_bin("byline").unwrap()
}

/// Two JSON Lines records, the first titled `first`.
fn two_records(first: &str) -> String {
    format!(
        "{{\"title\":\"{first} return to the valley\",\"text\":\"They nest again by the river.\"}}\r\n\
         {{\"title\":\"Cranes gather in {first} country\",\"text\":\"Hundreds were counted.\"}}\r\n"
    )
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend(match big_endian {
            true => unit.to_be_bytes(),
            false => unit.to_le_bytes(),
        });
    }
    out
}

/// Indexes `corpus` into a new index in `tmp`: how many articles, and each
/// file skipped as "PATH: REASON".
fn index(tmp: &Path, corpus: &Path) -> (u64, Vec<String>) {
    let archive = Archive::open_or_create(tmp.join("idx")).unwrap();
    let report = archive
        .index_folder(corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    let skipped = report.skipped.iter();
    let skipped = skipped.map(|s| format!("{}: {}", s.path, s.reason));
    (report.indexed, skipped.collect())
}

/// The titles `extract` prints for `path`, and whether it succeeded.
fn extract_titles(path: &Path) -> (Vec<String>, bool) {
    let out = byline().arg("extract").arg(path).output().unwrap();
    let titles = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["title"].as_str().unwrap().to_string()
        })
        .collect();
    (titles, out.status.success())
}

#[test]
fn json_lines_after_a_byte_order_mark_are_all_read() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let files: [(&str, &str, Vec<u8>); 4] = [
        ("le.jsonl", "Lemurs", utf16(&two_records("Lemurs"), false)),
        ("be.jsonl", "Bisons", utf16(&two_records("Bisons"), true)),
        // A UTF-16 mark, then UTF-8 lines.
        (
            "stray.jsonl",
            "Herons",
            [&[0xFF, 0xFE][..], two_records("Herons").as_bytes()].concat(),
        ),
        (
            "utf8.jsonl",
            "Storks",
            [&b"\xEF\xBB\xBF"[..], two_records("Storks").as_bytes()].concat(),
        ),
    ];
    for (name, _, bytes) in &files {
        std::fs::write(corpus.join(name), bytes).unwrap();
    }
    let archive = Archive::open_or_create(tmp.path().join("idx")).unwrap();
    let report = archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    for (name, word, _) in &files {
        let hits = archive.search(&SearchRequest::new(*word)).unwrap().hits;
        assert_eq!(hits.len(), 2, "{name}");
        let (titles, ok) = extract_titles(&corpus.join(name));
        assert!(ok, "{name}");
        assert_eq!(
            titles,
            [
                format!("{word} return to the valley"),
                format!("Cranes gather in {word} country")
            ],
            "{name}"
        );
    }
}

#[test]
fn standard_input_is_read_up_to_the_file_limit() {
    let mut over = format!(
        "Heron census\n\n{}",
        "Counters found more herons on the lake this year.\n".repeat(20_000)
    );
    over.truncate(1_000_001);
    for args in [
        &["extract", "--max-file-mb", "1", "-"][..],
        &["extract", "--plain", "--max-file-mb", "1", "-"],
    ] {
        byline()
            .args(args)
            .write_stdin(over.clone())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "standard input: more than the 1 MB limit",
            ));
    }
    // At the limit, it is read.
    byline()
        .args(["extract", "--max-file-mb", "1", "-"])
        .write_stdin(&over[..1_000_000])
        .assert()
        .success();
}

/// A page of `bytes` bytes: a title and paragraphs of words.
fn page(bytes: usize) -> String {
    let head = "<html><head><title>Salt flats</title></head><body><article>";
    let tail = "</article></body></html>";
    let para = format!("<p>{}</p>", "word ".repeat(1_000));
    let mut body = para.repeat((bytes - head.len() - tail.len()) / para.len());
    body.push_str(&" ".repeat(bytes - head.len() - tail.len() - body.len()));
    let page = format!("{head}{body}{tail}");
    assert_eq!(page.len(), bytes);
    page
}

#[test]
fn an_html_page_over_its_limit_is_skipped_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("big.html"), page(9_000_000)).unwrap();
    std::fs::write(corpus.join("small.html"), page(7_900_000)).unwrap();
    let tiny = format!("<html><body><h1>Tiny</h1>{}", "<br>".repeat(100_001));
    std::fs::write(corpus.join("tiny.html"), tiny).unwrap();
    let reason = "HTML page over 8 MB (it is 9 MB); a page is parsed whole";
    byline()
        .arg("extract")
        .arg(corpus.join("big.html"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(reason));
    byline()
        .arg("extract")
        .arg(corpus.join("tiny.html"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than 100000 elements"));
    let (titles, ok) = extract_titles(&corpus.join("small.html"));
    assert!(ok);
    assert_eq!(titles, ["Salt flats"]);
    let (indexed, skipped) = index(tmp.path(), &corpus);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].contains("big.html: ") && skipped[0].contains(reason));
    assert!(skipped[1].contains("tiny.html: more than 100000 elements"));
    assert_eq!(indexed, 1);
}

#[test]
fn extract_streams_json_lines_of_any_length() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    for i in 0..4_000 {
        lines.push_str(&format!(
            "{{\"title\":\"Heron census {i}\",\"text\":\"{}\"}}\n",
            "word ".repeat(100)
        ));
        if i == 2_000 {
            lines.push_str("{bad\n");
        }
    }
    assert!(lines.len() > 2_000_000);
    let file = tmp.path().join("big.jsonl");
    std::fs::write(&file, &lines).unwrap();
    // Over the file limit: streamed, the bad line costing only itself, from
    // a file and from standard input (named or guessed).
    let runs = [
        byline()
            .args(["extract", "--max-file-mb", "1"])
            .arg(&file)
            .output()
            .unwrap(),
        byline()
            .args(["extract", "--max-file-mb", "1", "--format", "jsonl", "-"])
            .write_stdin(lines.clone())
            .output()
            .unwrap(),
        byline()
            .args(["extract", "--max-file-mb", "1", "-"])
            .write_stdin(lines.clone())
            .output()
            .unwrap(),
    ];
    for out in runs {
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let titles: Vec<&str> = stdout.lines().collect();
        assert_eq!(titles.len(), 4_000);
        assert!(titles[2_000].contains("\"Heron census 2000\""));
        assert!(titles[2_001].contains("\"Heron census 2001\""));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(": line 2002: invalid JSON"), "{stderr}");
    }
}

#[test]
fn extract_and_index_agree_on_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    // Over 64 MB of 10^6 bytes, under 64 MiB.
    std::fs::write(corpus.join("big.txt"), vec![0u8; 66_000_000]).unwrap();
    let long = format!(
        "{{\"title\":\"Storks counted\"}}\n{{\"title\":\"x\",\"text\":\"{}\"}}\n{{\"title\":\"Cranes gather\"}}\n",
        "word ".repeat(3_400_000)
    );
    std::fs::write(corpus.join("long.jsonl"), long).unwrap();
    let (indexed, skipped) = index(tmp.path(), &corpus);
    assert_eq!(indexed, 2);
    let file_reason = "file is 66 MB, over the 64 MB limit";
    let record_reason = "record is 17 MB, over the 16 MB limit";
    assert!(
        skipped[0].ends_with(&format!("big.txt: {file_reason}")),
        "{skipped:?}"
    );
    assert!(
        skipped[1].ends_with(&format!("long.jsonl:2: {record_reason}")),
        "{skipped:?}"
    );
    byline()
        .arg("extract")
        .arg(corpus.join("big.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(file_reason));
    let out = byline()
        .arg("extract")
        .arg(corpus.join("long.jsonl"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("line 2: {record_reason} (skipped)")),
        "{stderr}"
    );
}

#[test]
fn extract_says_why_a_file_the_walk_skips_is_unreadable() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let name = tmp.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&name, "Harbour pilots strike\n\nPilots voted on Tuesday.").unwrap();
    byline()
        .arg("extract")
        .arg(&name)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the name is not valid UTF-8"));
    let fifo = tmp.path().join("pipe.jsonl");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    byline()
        .arg("extract")
        .arg(&fifo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "not a regular file (a pipe, socket or device)",
        ));
}

#[test]
fn gzip_on_standard_input_is_unpacked_as_a_gzipped_file_is() {
    use std::io::Write;
    let text = "Ferry fares rise in Valletta\n\nThe harbour ferry will cost more from May, the operator said.\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let out = byline()
        .args(["extract", "-"])
        .write_stdin(gz.finish().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(a["title"], "Ferry fares rise in Valletta");
}
