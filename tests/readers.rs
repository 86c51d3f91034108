//! One test per reader, on fixtures written for this project, plus the bad
//! inputs every reader must survive.

use std::io::Write;
use std::path::{Path, PathBuf};

use byline::ingest::{self, Skipped};
use byline::{Article, DateSource, Format};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(path: &Path) -> Vec<Article> {
    ingest::read_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .0
}

#[test]
fn scraped_text_in_the_seed_shape() {
    let a = &read(&fixture("scraped-page.txt"))[0];
    assert_eq!(
        a.title,
        "Harbour Pilots in Valletta Vote to Strike Over Night Rosters"
    );
    assert_eq!(
        a.standfirst,
        "Pilots who guide tankers into Malta's Grand Harbour say new night rosters break a safety agreement signed in 2019."
    );
    assert_eq!(a.byline.as_deref(), Some("Lorenzo Vella"));
    assert!(a
        .body
        .starts_with("Harbour pilots in Valletta voted on Tuesday"));
    assert!(a.body.ends_with("ferries to Gozo."));
    for debris in [
        "• en",
        "ON NOW",
        "Menu",
        "k",
        "Lorenzo Vella",
        "Share this article",
        "Follow us on:",
    ] {
        assert!(
            !a.body.split("\n\n").any(|p| p == debris),
            "debris {debris:?} left in body"
        );
    }
    assert_eq!(a.body.split("\n\n").count(), 4);
    assert_eq!(a.format, Format::Txt);
    // No date in the page or its path: undated (file times date an
    // article only when asked: `--mtime-dates`).
    assert_eq!((a.published, a.date_source), (None, None));
}

#[test]
fn news_please_json_with_numeric_id() {
    let a = &read(&fixture("news-please.json"))[0];
    assert_eq!(a.id, "40213");
    assert_eq!(
        a.title,
        "Ferry fares to Gozo rise for the first time in a decade"
    );
    assert!(a.standfirst.starts_with("The operator blames fuel costs"));
    assert!(a.body.starts_with("Fares on the Gozo ferry"));
    assert_eq!(a.body.split("\n\n").count(), 3);
    assert_eq!(a.byline.as_deref(), Some("Petra Azzopardi, Mark Grech"));
    assert_eq!(a.published.unwrap().to_string(), "2025-03-14T09:30:00Z");
    assert_eq!(a.date_source, Some(DateSource::Metadata));
    assert_eq!(
        a.url.as_deref(),
        Some("https://coastal-gazette.example/2025/03/ferry-fares")
    );
    assert_eq!(a.language.as_deref(), Some("en"));
}

#[test]
fn json_array_with_other_field_names() {
    let arts = read(&fixture("roundup.json"));
    assert_eq!(arts.len(), 2);
    assert_eq!(arts[0].id, "rt-1");
    assert_eq!(arts[0].title, "Grain ship refloated off Izmir");
    assert_eq!(arts[0].byline.as_deref(), Some("Selin Kaya"));
    assert_eq!(
        arts[1].published.unwrap().to_string(),
        "2025-10-14T08:00:00Z"
    );
    // Keyed by its own id, not by its place in the array.
    assert!(
        arts[1].path.ends_with("roundup.json#rt-2"),
        "{}",
        arts[1].path
    );
}

#[test]
fn jsonl_streams_records_and_skips_a_bad_line() {
    let tmp = tempfile::tempdir().unwrap();
    let index = byline::Archive::open_or_create(tmp.path().join("idx")).unwrap();
    let report = index
        .index_folder(fixture("records.jsonl"), &Default::default(), &|_| {})
        .unwrap();
    assert_eq!(report.indexed, 3, "{report:?}");
    assert_eq!(report.skipped.len(), 1);
    let Skipped { path, reason } = &report.skipped[0];
    assert!(path.ends_with("records.jsonl:3"), "{path}");
    assert!(reason.contains("invalid JSON"), "{reason}");
    let hits = index
        .search(&byline::SearchRequest::new("Fastnet keepers"))
        .unwrap();
    assert_eq!(hits.total, 1);
    let h = &hits.hits[0];
    assert_eq!(h.published.unwrap().to_string(), "2024-05-01T09:00:00Z");
    assert_eq!(h.byline.as_deref(), Some("Aoife Byrne"));
    assert!(h.path.ends_with("records.jsonl#1"));
    // An unparseable date falls back to the next source, never a guess.
    let r = index
        .search(&byline::SearchRequest::new("Rosslare"))
        .unwrap();
    assert_eq!(r.hits[0].date_source, None);
}

#[test]
fn html_page_with_meta_and_json_ld() {
    let a = &read(&fixture("page.html"))[0];
    assert_eq!(a.title, "Salt flats of Uyuni draw lithium prospectors");
    assert!(a.standfirst.starts_with("Bolivia's government weighs"));
    assert!(a.body.starts_with("Three consortia have bid"), "{}", a.body);
    assert!(a.body.contains("“The salt is our inheritance,”"));
    for debris in [
        "Most read",
        "cookies",
        "Copper prices slide",
        "Andean Ledger",
    ] {
        assert!(!a.body.contains(debris), "{debris} in body");
    }
    assert_eq!(a.byline.as_deref(), Some("Valeria Quispe"));
    assert_eq!(a.published.unwrap().to_string(), "2025-08-21T18:00:00Z");
    assert_eq!(a.date_source, Some(DateSource::Metadata));
    assert_eq!(a.format, Format::Html);
}

#[test]
fn gzip_variants_read_like_the_plain_file() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["scraped-page.txt", "news-please.json", "page.html"] {
        let plain = std::fs::read(fixture(name)).unwrap();
        let gz = tmp.path().join(format!("{name}.gz"));
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(&plain).unwrap();
        enc.finish().unwrap();
        let a = &read(&gz)[0];
        let b = &read(&fixture(name))[0];
        assert_eq!(
            (&a.title, &a.body, &a.byline),
            (&b.title, &b.body, &b.byline),
            "{name}"
        );
    }
}

#[test]
fn latin1_bytes_are_decoded_not_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("old.txt");
    let mut bytes = b"Pension fund deficit widens to record\n\nThe deficit rose to \xA33.2bn, the fund said \x96 its worst in a decade.\n".to_vec();
    bytes.extend_from_slice(
        b"\nTrustees will meet in March to agree a recovery plan with the employer.\n",
    );
    std::fs::write(&p, bytes).unwrap();
    let a = &read(&p)[0];
    assert!(a.standfirst.contains("£3.2bn"), "{}", a.standfirst);
    assert!(a.standfirst.contains("said – its"), "{}", a.standfirst);
}

#[test]
fn names_that_are_not_utf8_are_reported_not_merged() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let page =
        |w: &str| format!("Headline about the {w} of the harbour\n\nThe {w} were counted.\n");
    let name = |b: &[u8]| tmp.path().join(std::ffi::OsStr::from_bytes(b));
    std::fs::create_dir(name(b"d\xff")).unwrap();
    std::fs::create_dir(name(b"d\xfe")).unwrap();
    std::fs::write(name(b"d\xff/a.txt"), page("penguins")).unwrap();
    std::fs::write(name(b"d\xfe/a.txt"), page("walruses")).unwrap();
    std::fs::write(name(b"caf\xe9.txt"), page("otters")).unwrap();
    // Not a format byline reads: nothing to say.
    std::fs::write(name(b"caf\xe9.jpg"), b"\xff\xd8").unwrap();
    std::fs::write(tmp.path().join("plain.txt"), page("seals")).unwrap();
    let mut skipped = Vec::new();
    let files = ingest::discover(tmp.path(), &mut skipped).unwrap();
    let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(rels, ["plain.txt"]);
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(
        skipped.iter().all(|s| s.reason.contains("not valid UTF-8")),
        "{skipped:?}"
    );
}

#[test]
fn a_stray_byte_leaves_the_rest_of_the_utf8_alone() {
    let text = ingest::decode(b"Caf\xc3\xa9 owners in Z\xc3\xbcrich protest \x96 and a stray \xe9")
        .unwrap();
    assert_eq!(text, "Café owners in Zürich protest – and a stray é");
    // More stray bytes than accented letters, a cut at the end: still UTF-8.
    let text = ingest::decode(b"Caf\xc3\xa9 in Z\xc3\xbcrich \x93quoted\x94 \x96 end").unwrap();
    assert_eq!(text, "Café in Zürich “quoted” – end");
    let text = ingest::decode(b"Caf\xc3\xa9 owners \xe2\x80").unwrap();
    assert!(text.starts_with("Café owners "), "{text}");
    // Russian in UTF-8 with a stray quote.
    let mut ru = "Порт Гданьск ".as_bytes().to_vec();
    ru.push(0x93);
    assert_eq!(ingest::decode(&ru).unwrap(), "Порт Гданьск “");
    // A Windows-1252 file whose "É—" happens to be valid UTF-8 is still
    // read as Windows-1252.
    let text =
        ingest::decode(b"Le caf\xe9 cr\xe8me \xe0 Z\xfcrich co\xfbte cher. CAF\xc9\x97ferm\xe9.")
            .unwrap();
    assert_eq!(text, "Le café crème à Zürich coûte cher. CAFÉ—fermé.");
    // UTF-16 with its mark, as standard input may bring it.
    let mut utf16 = vec![0xFF, 0xFE];
    "Harbour café"
        .encode_utf16()
        .for_each(|u| utf16.extend(u.to_le_bytes()));
    assert_eq!(ingest::decode(&utf16).unwrap(), "Harbour café");
}

#[test]
fn utf16_with_a_byte_order_mark_is_read_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let utf16 = |s: &str, big_endian: bool| -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in s.encode_utf16() {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    };
    // PowerShell writes UTF-16 LE; a name outside the Basic Multilingual
    // Plane takes a surrogate pair.
    let page = "Ferry strike ends in Gdańsk 𝕏\n\nThe crews returned to work on Monday after a week ashore.\n";
    std::fs::write(tmp.path().join("le.txt"), utf16(page, false)).unwrap();
    std::fs::write(
        tmp.path().join("be.json"),
        utf16(
            r#"{"title": "Tram fares frozen in Łódź", "text": "The council agreed."}"#,
            true,
        ),
    )
    .unwrap();
    let mut skipped = Vec::new();
    let files = ingest::discover(tmp.path(), &mut skipped).unwrap();
    let titles: Vec<String> = files
        .iter()
        .flat_map(|f| {
            ingest::read_file(f, ingest::DEFAULT_MAX_FILE_BYTES)
                .unwrap()
                .articles
        })
        .map(|(_, a)| a.title)
        .collect();
    assert_eq!(
        titles,
        ["Tram fares frozen in Łódź", "Ferry strike ends in Gdańsk 𝕏"]
    );
    // Without the mark it is not guessed at, but said.
    let mut bare = utf16(page, false);
    bare.drain(..2);
    let err = ingest::decode(&bare).unwrap_err();
    assert!(err.contains("UTF-16"), "{err}");
}

#[test]
fn utf16_json_lines_are_streamed_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    // Long enough that code units and surrogate pairs fall across reads.
    let lines: String = (0..3000)
        .map(|i| {
            format!(
                "{{\"title\": \"Weather station {i} 🌧 reports\", \"text\": \"Rain in Tartu.\"}}\n"
            )
        })
        .collect();
    for u in lines.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    std::fs::write(corpus.join("export.jsonl"), bytes).unwrap();
    let archive = byline::Archive::open_or_create(tmp.path().join("idx")).unwrap();
    let report = archive
        .index_folder(&corpus, &byline::IndexOptions::default(), &|_| {})
        .unwrap();
    assert_eq!(report.indexed, 3000, "{:?}", report.skipped);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let hits = archive
        .search(&byline::SearchRequest::new("\"station 2999\""))
        .unwrap();
    assert_eq!(hits.hits[0].title, "Weather station 2999 🌧 reports");
}

#[test]
fn a_date_in_the_path_beats_a_dateline_and_the_mtime() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("2025/12/04");
    std::fs::create_dir_all(&dir).unwrap();
    let page = "Published 1 December 2025\n\nCouncil approves new tram line for the city\n\nThe vote was 31 to 12.\n\nWork starts in spring.\n";
    std::fs::write(dir.join("tram.txt"), page).unwrap();
    std::fs::write(tmp.path().join("tram.txt"), page).unwrap();
    let mut skipped = Vec::new();
    let files = ingest::discover(tmp.path(), &mut skipped).unwrap();
    let arts: Vec<Article> = files
        .iter()
        .flat_map(|f| {
            ingest::read_file(f, ingest::DEFAULT_MAX_FILE_BYTES)
                .unwrap()
                .articles
                .into_iter()
                .map(|(_, a)| a)
        })
        .collect();
    let by_source = |s| arts.iter().find(|a| a.date_source == Some(s)).unwrap();
    assert_eq!(
        by_source(DateSource::Path).published.unwrap().to_string(),
        "2025-12-04T00:00:00Z"
    );
    assert_eq!(
        by_source(DateSource::Text).published.unwrap().to_string(),
        "2025-12-01T00:00:00Z"
    );
    assert!(arts
        .iter()
        .all(|a| a.title == "Council approves new tram line for the city"));
}

/// Every kind of bad input is a skip with the path and a reason, and the good
/// article next to it is still indexed.
#[test]
fn bad_inputs_are_reported_and_never_cost_a_good_article() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("corpus");
    std::fs::create_dir(&c).unwrap();
    std::fs::copy(fixture("scraped-page.txt"), c.join("good.txt")).unwrap();
    std::fs::write(
        c.join("binary.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0],
    )
    .unwrap();
    std::fs::write(c.join("empty.json"), "").unwrap();
    std::fs::write(c.join("truncated.json"), r#"{"title": "Half a rec"#).unwrap();
    std::fs::write(c.join("number.json"), "42").unwrap();
    std::fs::write(c.join("nothing.json"), r#"{"foo": "bar"}"#).unwrap();
    std::fs::write(c.join("bad.gz.txt.gz"), b"this is not gzip at all").unwrap();
    std::fs::write(c.join("huge.txt"), vec![b'a'; 2_000_000]).unwrap();
    std::os::unix::fs::symlink(&c, c.join("loop")).unwrap();
    let opts = byline::IndexOptions {
        max_file_bytes: 1_000_000,
        ..Default::default()
    };
    let archive = byline::Archive::open_or_create(tmp.path().join("idx")).unwrap();
    let report = archive.index_folder(&c, &opts, &|_| {}).unwrap();
    assert_eq!(report.indexed, 1, "{report:#?}");
    let reason = |file: &str| {
        report
            .skipped
            .iter()
            .find(|s| s.path.ends_with(file))
            .map(|s| s.reason.clone())
            .unwrap_or_else(|| panic!("{file} not reported: {report:#?}"))
    };
    assert!(reason("binary.txt").contains("binary"));
    assert!(reason("empty.json").contains("empty"));
    assert!(reason("truncated.json").contains("invalid JSON"));
    assert!(reason("number.json").contains("expected a JSON object"));
    assert!(reason("nothing.json").contains("neither a title nor any text"));
    assert!(reason("bad.gz.txt.gz").contains("gzip"));
    assert!(reason("huge.txt").contains("over the 1 MB limit"));
    assert!(reason("loop").contains("loop"));
    assert_eq!(report.skipped.len(), 8);
}

#[test]
fn symlinked_folders_are_followed_once() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let outside = tmp.path().join("elsewhere");
    std::fs::create_dir_all(corpus.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(fixture("scraped-page.txt"), corpus.join("sub/a.txt")).unwrap();
    std::fs::copy(fixture("page.html"), outside.join("b.html")).unwrap();
    // A link out of the archive is followed; one into it would count twice.
    std::os::unix::fs::symlink(&outside, corpus.join("linked")).unwrap();
    std::os::unix::fs::symlink(corpus.join("sub"), corpus.join("again")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), corpus.join("broken.txt")).unwrap();
    // Nor a link to a file in it, nor a way back in from outside.
    std::os::unix::fs::symlink(corpus.join("sub/a.txt"), corpus.join("a-link.txt")).unwrap();
    std::os::unix::fs::symlink(&corpus, outside.join("back")).unwrap();
    // A file outside, linked, is read.
    std::fs::copy(fixture("news-please.json"), tmp.path().join("c.json")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("c.json"), corpus.join("c-link.json")).unwrap();
    // A link to a file the walk does not reach is the way to it.
    std::fs::create_dir_all(corpus.join(".versions")).unwrap();
    std::fs::copy(fixture("roundup.json"), corpus.join(".versions/r2.json")).unwrap();
    std::os::unix::fs::symlink(corpus.join(".versions/r2.json"), corpus.join("r.json")).unwrap();
    std::fs::create_dir_all(corpus.join(".drafts")).unwrap();
    std::fs::copy(fixture("scraped-page.txt"), corpus.join(".drafts/d.txt")).unwrap();
    std::os::unix::fs::symlink(corpus.join(".drafts"), corpus.join("drafts")).unwrap();
    // An index inside the archive (`byline index .`) holds no articles.
    std::fs::create_dir_all(corpus.join("index")).unwrap();
    std::fs::write(corpus.join("index/meta.json"), "{}").unwrap();
    std::fs::write(corpus.join("index/.managed.json"), "[]").unwrap();
    let mut skipped = Vec::new();
    let files = ingest::discover(&corpus, &mut skipped).unwrap();
    let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(
        rels,
        [
            "c-link.json",
            "drafts/d.txt",
            "linked/b.html",
            "r.json",
            "sub/a.txt"
        ]
    );
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].reason.contains("broken link"));
}

/// A pipe named like an article would block the run if read: it is
/// reported and left alone, and the folder's articles are read.
#[test]
fn a_pipe_named_like_an_article_is_reported_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("plain.txt"),
        "Headline about the seals of the harbour\n\nThe seals were counted.\n",
    )
    .unwrap();
    let fifo = tmp.path().join("feed.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here; skipped");
        return;
    }
    let mut skipped = Vec::new();
    let files = ingest::discover(tmp.path(), &mut skipped).unwrap();
    let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(rels, ["plain.txt"]);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].path.ends_with("feed.json"), "{skipped:?}");
    assert!(
        skipped[0].reason.contains("not a regular file"),
        "{skipped:?}"
    );
}
