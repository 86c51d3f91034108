//! Inputs that once lost records or took unbounded memory (issue #23,
//! points 6, 7 and 10): byte-order marks before JSON Lines, the HTML page
//! and standard input bounds, `extract` streaming JSON Lines, and `extract`
//! and `index` agreeing on limits and on why a file cannot be read.

use std::path::Path;

use assert_cmd::Command;
use byline::{Archive, IndexOptions, SearchRequest};
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
