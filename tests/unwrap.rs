//! Hard-wrapped wire copy read as written: one invented article, wrapped at
//! 65 columns as a wire service sends it, gives the same paragraphs and the
//! same entities as plain text, JSON, JSON Lines and HTML, and the same as
//! the article written one paragraph a line.

use std::collections::BTreeSet;

use byline::enrich::entities;
use byline::ingest;
use byline::{Archive, Article, EntityKind, Format, IndexOptions, SearchRequest};

const TITLE: &str = "Carrow Holdings chairman to step down after Leeds depot fire";

/// The article as written: one paragraph a line. The people and companies
/// are invented.
const PARAGRAPHS: [&str; 5] = [
    "   LEEDS, March 4 - The parcel carrier said on Tuesday that Paul Voss would step down as chairman, two weeks after a fire at its depot in Leeds halted deliveries across the north of England.",
    "   The board said Voss had offered to go at a meeting in Manchester on Monday, and that finance director Irene Talbot would lead the firm until a successor is found. Shares in Carrow Holdings rose four percent in early trading in London.",
    "   \"Paul has served this company for eleven years and leaves with our thanks,\" Talbot told reporters outside the Leeds depot. \"Our first task is to reopen the site safely.\"",
    "   The fire started in a loading bay late on February 18 and burned for most of the night. Nobody was hurt, but some 40,000 parcels were lost and the depot has been closed since. Investors had pressed for change after the shares fell by a third, and Grenlow Capital, which owns nine percent of the company, said the move was overdue.",
    "   Voss, 61, joined the group from Aldmoor Freight in 2014 and became chairman three years later.",
];

/// The same article as the wire sends it: each paragraph filled to 65
/// columns, its first line indented, no blank lines. "Paul" ends a line and
/// "Voss" starts the next, as "Carrow" and "Holdings" do.
const WRAPPED: &str = "   LEEDS, March 4 - The parcel carrier said on Tuesday that Paul
Voss would step down as chairman, two weeks after a fire at its
depot in Leeds halted deliveries across the north of England.
   The board said Voss had offered to go at a meeting in
Manchester on Monday, and that finance director Irene Talbot
would lead the firm until a successor is found. Shares in Carrow
Holdings rose four percent in early trading in London.
   \"Paul has served this company for eleven years and leaves with
our thanks,\" Talbot told reporters outside the Leeds depot. \"Our
first task is to reopen the site safely.\"
   The fire started in a loading bay late on February 18 and
burned for most of the night. Nobody was hurt, but some 40,000
parcels were lost and the depot has been closed since. Investors
had pressed for change after the shares fell by a third, and
Grenlow Capital, which owns nine percent of the company, said the
move was overdue.
   Voss, 61, joined the group from Aldmoor Freight in 2014 and
became chairman three years later.
";

/// The article's text in each format byline reads, named as its file.
fn files(body: &str) -> Vec<(&'static str, String)> {
    let record = serde_json::json!({
        "title": TITLE,
        "body": body,
        "date": "2026-03-04T09:00:00Z",
    });
    let escaped = body
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    vec![
        ("article.txt", format!("{TITLE}\n\n{body}")),
        (
            "article.json",
            serde_json::to_string_pretty(&record).unwrap(),
        ),
        ("article.jsonl", format!("{record}\n")),
        (
            "article.html",
            format!(
                "<html><head><title>{TITLE}</title></head><body><article>\
                 <h1>{TITLE}</h1><pre>{escaped}</pre></article></body></html>"
            ),
        ),
    ]
}

/// Each file of `files(body)` read as `byline extract` reads it (entities
/// found), in a folder of its own.
fn read_all(body: &str) -> Vec<(&'static str, Article)> {
    let dir = tempfile::tempdir().unwrap();
    files(body)
        .into_iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let (mut articles, bad) = ingest::read_path(&path).unwrap();
            assert!(bad.is_empty(), "{name}: {bad:?}");
            assert_eq!(articles.len(), 1, "{name}");
            (name, articles.remove(0))
        })
        .collect()
}

/// The names of one kind of entity, sorted.
fn names(a: &Article, kind: EntityKind) -> BTreeSet<String> {
    a.entities(kind).iter().map(|e| e.name.clone()).collect()
}

/// The article's text as the entity extractor reads it, paragraphs apart.
fn all_text(a: &Article) -> String {
    [&a.standfirst, &a.body]
        .into_iter()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn the_wrapped_article_names_the_same_people_in_every_format() {
    let read = read_all(WRAPPED);
    for (name, a) in &read {
        let people = names(a, EntityKind::Person);
        assert!(people.contains("Paul Voss"), "{name}: {people:?}");
        assert!(people.contains("Irene Talbot"), "{name}: {people:?}");
        for half in ["Paul", "Voss"] {
            for kind in EntityKind::ALL {
                assert!(
                    !names(a, kind).contains(half),
                    "{name}: {half} alone as a {kind:?}"
                );
            }
        }
        let orgs = names(a, EntityKind::Organization);
        assert!(orgs.contains("Carrow Holdings"), "{name}: {orgs:?}");
        assert!(orgs.contains("Grenlow Capital"), "{name}: {orgs:?}");
    }
    let (first, a) = &read[0];
    for (name, b) in &read[1..] {
        for kind in EntityKind::ALL {
            assert_eq!(
                names(a, kind),
                names(b, kind),
                "{kind:?}: {first} and {name} differ"
            );
        }
        let mentions = |x: &Article| {
            x.people
                .iter()
                .map(|e| (e.name.clone(), e.mentions))
                .collect::<Vec<_>>()
        };
        assert_eq!(mentions(a), mentions(b), "{first} and {name}");
    }
}

#[test]
fn the_wrapped_article_reads_as_the_one_written_a_paragraph_a_line() {
    let written = PARAGRAPHS.join("\n\n");
    let plain: Vec<_> = read_all(&written);
    for ((name, wrapped), (_, plain)) in read_all(WRAPPED).iter().zip(&plain) {
        assert_eq!(all_text(wrapped), all_text(plain), "{name}");
        for kind in EntityKind::ALL {
            assert_eq!(names(wrapped, kind), names(plain, kind), "{name}");
        }
    }
}

#[test]
fn the_wrapped_article_keeps_its_paragraphs() {
    for (name, a) in read_all(WRAPPED) {
        let text = all_text(&a);
        let paras: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(paras.len(), PARAGRAPHS.len(), "{name}: {text}");
        for (got, want) in paras.iter().zip(PARAGRAPHS) {
            assert_eq!(*got, want.trim(), "{name}");
        }
    }
}

/// The reader of each format, called on the text itself.
#[test]
fn parse_unwraps_in_every_format() {
    for (file, text) in files(WRAPPED) {
        let format = match file.rsplit_once('.').map(|(_, ext)| ext) {
            Some("txt") => Format::Txt,
            Some("json") => Format::Json,
            Some("jsonl") => Format::Jsonl,
            _ => Format::Html,
        };
        let drafts = ingest::parse(format, &text).unwrap();
        let a = &drafts[0].article;
        let found = entities::extract(&all_text(a));
        assert!(
            found
                .iter()
                .any(|e| e.kind == EntityKind::Person && e.name == "Paul Voss"),
            "{file}: {found:?}"
        );
    }
}

/// Unwrapping keeps the text's length, so spans found in the unwrapped text
/// index the text as given: "Paul\nVoss" is one mention of one person.
#[test]
fn spans_in_the_unwrapped_text_index_the_text_as_given() {
    let unwrapped = ingest::unwrap::unwrap(WRAPPED).expect("the text is wrapped");
    assert_eq!(unwrapped.len(), WRAPPED.len());
    let found = entities::extract(&unwrapped);
    let voss = found
        .iter()
        .find(|e| e.name == "Paul Voss")
        .unwrap_or_else(|| panic!("{found:?}"));
    let first = voss.mentions[0];
    assert_eq!(&WRAPPED[first.start..first.end], "Paul\nVoss");
    // A "\r\n" is two spaces, and nothing else moves.
    let crlf = WRAPPED.replace('\n', "\r\n");
    let unwrapped = ingest::unwrap::unwrap(&crlf).expect("the text is wrapped");
    assert_eq!(unwrapped.len(), crlf.len());
    assert!(unwrapped.contains("that Paul  Voss would"));
    for (given, out) in crlf.bytes().zip(unwrapped.bytes()) {
        assert!(given == out || (matches!(given, b'\r' | b'\n') && out == b' '));
    }
}

/// Line ends written "\r\n" read as "\n" do.
#[test]
fn crlf_line_ends_read_as_lf() {
    let lf = read_all(WRAPPED);
    let crlf = read_all(&WRAPPED.replace('\n', "\r\n"));
    for ((name, a), (_, b)) in lf.iter().zip(&crlf) {
        assert_eq!(all_text(a), all_text(b), "{name}");
        assert_eq!(a.people, b.people, "{name}");
        assert_eq!(a.organizations, b.organizations, "{name}");
        assert_eq!(a.places, b.places, "{name}");
    }
}

/// A results table and a list under wrapped prose stay lines of their own.
#[test]
fn a_table_under_wrapped_prose_keeps_its_rows() {
    let body = format!(
        "{WRAPPED}Results on Saturday:\n\
         Carrow Athletic      3  Leeds Rovers          1\n\
         Manchester Albion    2  Grenlow Town          2\n\
         The board named two priorities:\n\
         - reopening the Leeds depot\n\
         - paying the drivers who lost shifts\n"
    );
    let record = serde_json::json!({ "title": TITLE, "body": body });
    let a = &ingest::parse(Format::Jsonl, &record.to_string()).unwrap()[0].article;
    let paras: Vec<&str> = a.body.split("\n\n").collect();
    assert!(paras.contains(&"Results on Saturday:"), "{paras:#?}");
    assert!(
        paras.contains(&"Carrow Athletic 3 Leeds Rovers 1"),
        "{paras:#?}"
    );
    assert!(paras.contains(&"- reopening the Leeds depot"), "{paras:#?}");
    assert!(paras[0].contains("Paul Voss"), "{paras:#?}");
}

/// Indexed, the four files are four articles about one person.
#[test]
fn the_index_finds_the_person_in_all_four_files() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (name, text) in files(WRAPPED) {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let archive = Archive::open_or_create(tmp.path().join("index")).unwrap();
    let report = archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    assert_eq!(report.indexed, 4);
    let found = archive
        .search(&SearchRequest::new("person:\"Paul Voss\""))
        .unwrap();
    assert_eq!(found.total, 4);
    // The four are copies of one text: counted as articles, each counts.
    let mut every = SearchRequest::new("");
    every.all_copies = true;
    let top = archive.top_entities(&every, 20).unwrap();
    assert!(
        top.people.contains(&("Paul Voss".to_string(), 4)),
        "{:?}",
        top.people
    );
    assert!(
        !top.people.iter().any(|(n, _)| n == "Paul" || n == "Voss"),
        "{:?}",
        top.people
    );
}

/// What `byline extract --plain` prints for a file holding `text`.
fn extract_plain(text: &str) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("wire.txt");
    std::fs::write(&file, text).unwrap();
    let out = assert_cmd::Command::cargo_bin("byline")
        .unwrap()
        .args(["extract", "--plain"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `byline extract --plain` reads the wrapped text as indexing does: "Paul"
/// at a line's end and "Voss" at the next line's start are one person, with
/// a span into the file as given.
#[test]
fn extract_plain_reads_the_wrapped_text_as_written() {
    let v = extract_plain(WRAPPED);
    let voss = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Paul Voss")
        .unwrap_or_else(|| panic!("no Paul Voss in {v}"));
    let m = &voss["mentions"][0];
    let (start, end) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
    assert_eq!(&WRAPPED[start as usize..end as usize], "Paul\nVoss");
}

/// With CRLF line ends, a name broken over a line is one name too, written
/// with one space.
#[test]
fn extract_plain_joins_a_name_over_a_crlf_break() {
    let v = extract_plain(&WRAPPED.replace('\n', "\r\n"));
    let names: Vec<&str> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Paul Voss"), "{names:?}");
    assert!(names.contains(&"Carrow Holdings"), "{names:?}");
}
