//! The library API as an embedding program uses it.

use std::path::Path;

use byline::{Archive, Error, IndexOptions, Progress, SearchRequest, Sort};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn open_index_search_and_stats() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    assert!(matches!(Archive::open(&dir), Err(Error::NoIndex(_))));
    let archive = Archive::open_or_create(&dir).unwrap();
    assert!(archive.is_empty());

    let started = std::sync::atomic::AtomicUsize::new(0);
    let advanced = std::sync::atomic::AtomicU64::new(0);
    let report = archive
        .index_folder(fixtures(), &IndexOptions::default(), &|p| match p {
            Progress::Started { files, .. } => {
                started.store(*files, std::sync::atomic::Ordering::SeqCst)
            }
            Progress::Advanced(n) => {
                advanced.fetch_add(*n, std::sync::atomic::Ordering::SeqCst);
            }
            _ => {}
        })
        .unwrap();
    // 5 files at the top (8 articles) and 3 in entities/.
    assert_eq!(report.indexed, 11);
    assert_eq!(started.into_inner(), 8);
    assert_eq!(
        advanced.into_inner(),
        report.bytes,
        "progress adds up to the input size"
    );
    assert_eq!(archive.len(), 11);

    // Reopening finds the same documents.
    drop(archive);
    let archive = Archive::open(&dir).unwrap();
    let res = archive
        .search(&SearchRequest::new("ferry").limit(1))
        .unwrap();
    assert_eq!(res.total, 4);
    assert_eq!(res.hits.len(), 1);
    let hit = &res.hits[0];
    assert!(hit.title.to_lowercase().contains("ferry"), "{}", hit.title);
    assert!(!hit.snippet.highlights.is_empty());
    let (s, e) = hit.snippet.highlights[0];
    assert_eq!(hit.snippet.text[s..e].to_lowercase(), "ferry");

    let by_date = archive
        .search(&SearchRequest::new("ferry").sort(Sort::Date).limit(10))
        .unwrap();
    let dates: Vec<_> = by_date.hits.iter().map(|h| h.published).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);

    // Pages of any size, from any offset, in every order.
    for sort in [Sort::Relevance, Sort::Date, Sort::Oldest, Sort::Recent] {
        let mut all = SearchRequest::new("ferry").sort(sort).limit(usize::MAX);
        assert_eq!(archive.search(&all).unwrap().hits.len(), 4);
        all.offset = 3;
        assert_eq!(archive.search(&all).unwrap().hits.len(), 1);
        all.offset = usize::MAX;
        let past = archive.search(&all).unwrap();
        assert!(past.hits.is_empty());
        assert_eq!(past.total, 4);
    }

    let stats = archive.stats().unwrap();
    assert_eq!(stats.documents, 11);
    // No file times by default: the articles with no date of their own
    // (in metadata, path or text) are undated, and the report says so.
    assert_eq!(stats.undated, report.undated);
    assert!(stats.undated > 0);
    assert_eq!(stats.earliest.unwrap().to_string(), "2024-05-01T09:00:00Z");
}

#[test]
fn a_second_writer_is_refused_with_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(tmp.path()).unwrap();
    let holder = archive
        .tantivy_index()
        .writer::<tantivy::TantivyDocument>(20_000_000)
        .unwrap();
    let err = archive
        .index_folder(fixtures(), &IndexOptions::default(), &|_| {})
        .unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err}");
    assert!(
        err.to_string().contains("locked by another writer"),
        "{err}"
    );
    drop(holder);
    // Readers were never blocked, and once the lock is free indexing works.
    archive.search(&SearchRequest::new("ferry")).unwrap();
    archive
        .index_folder(fixtures(), &IndexOptions::default(), &|_| {})
        .unwrap();
}

#[test]
fn query_errors_are_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(tmp.path()).unwrap();
    let nested = |n: usize| format!("{}port{}", "(".repeat(n), ")".repeat(n));
    for q in [
        "\"open",
        "before:tomorrow",
        "port AND",
        "(person:Jane)",
        &nested(101),
    ] {
        let err = archive.search(&SearchRequest::new(q)).unwrap_err();
        assert!(matches!(err, Error::Query(_)), "{q}: {err}");
    }
    // As deep as allowed, on a test thread's small stack.
    archive.search(&SearchRequest::new(nested(100))).unwrap();
    // Colons that name no field are words, and what they become parses.
    for q in [
        "Explainer: cable",
        "talks 10:30",
        "port -10:30",
        "(talks 10:30)^2",
        "10:30(GMT)",
        "\"peace talks\":x",
        "a:b:c +(10:30)",
        "https://example.com/a?b=c",
        "kind:file",
        "place:Rotterdam -10:30",
        "place:Rotterdam -strike -:",
        "\"talks: day two\"",
        "(\"a:b\")^2",
    ] {
        archive
            .search(&SearchRequest::new(q))
            .unwrap_or_else(|e| panic!("{q}: {e}"));
    }
}

#[test]
fn date_bounds_at_any_instant() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(tmp.path()).unwrap();
    archive
        .index_folder(fixtures(), &IndexOptions::default(), &|_| {})
        .unwrap();
    // news-please.json is dated 2025-03-14 09:30:00 UTC.
    let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    for (q, since, until, want) in [
        ("ferry", "2025-03-14T09:00:00Z", "2025-03-14T10:00:00Z", 1),
        ("ferry", "2025-03-14T09:31:00Z", "2025-03-14T10:00:00Z", 0),
        ("", "2025-03-14T09:00:00Z", "2025-03-14T09:30:01Z", 1),
        ("", "2025-03-14T09:30:01Z", "2025-03-15T00:00:00Z", 0),
        ("ferry", "2025-03-14T00:00:00Z", "2025-03-15T00:00:00Z", 1),
    ] {
        let mut req = SearchRequest::new(q);
        req.since = Some(at(since));
        req.until = Some(at(until));
        assert_eq!(
            archive.search(&req).unwrap().total,
            want,
            "{q} {since} {until}"
        );
    }
}

#[test]
fn json_lines_quirks_cost_only_the_bad_record() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let record =
        |title: &str| format!("{{\"title\": \"{title}\", \"text\": \"Reported from Riga.\"}}\n");
    // A byte-order mark before the first record, as some exporters write.
    let bom = format!(
        "\u{feff}{}{}",
        record("Ospreys return to the Gauja valley"),
        record("Eagles nest near Sigulda")
    );
    std::fs::write(corpus.join("bom.jsonl"), bom).unwrap();
    // A record longer than the limit, between two good ones.
    let long = format!(
        "{}{{\"title\": \"x\", \"text\": \"{}\"}}\n{}",
        record("Storks counted in Latgale"),
        "word ".repeat(3_600_000),
        record("Cranes gather in Kurzeme")
    );
    std::fs::write(corpus.join("long.jsonl"), long).unwrap();
    // A gzip stream cut short after its first records.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for i in 0..2000 {
        gz.write_all(record(&format!("Heron census, site {i}")).as_bytes())
            .unwrap();
    }
    let gz = gz.finish().unwrap();
    std::fs::write(corpus.join("cut.jsonl.gz"), &gz[..gz.len() / 2]).unwrap();

    let archive = Archive::open_or_create(tmp.path().join("idx")).unwrap();
    let report = archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    let skipped: Vec<String> = report
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.path, s.reason))
        .collect();
    let titles = |q: &str| -> Vec<String> {
        let r = archive.search(&SearchRequest::new(q)).unwrap();
        r.hits.into_iter().map(|h| h.title).collect()
    };
    assert_eq!(titles("ospreys"), ["Ospreys return to the Gauja valley"]);
    assert_eq!(titles("cranes"), ["Cranes gather in Kurzeme"]);
    assert_eq!(titles("storks"), ["Storks counted in Latgale"]);
    let long_skips: Vec<&String> = skipped
        .iter()
        .filter(|s| s.contains("long.jsonl"))
        .collect();
    assert_eq!(long_skips.len(), 1, "{skipped:?}");
    assert!(
        long_skips[0].ends_with("long.jsonl:2: record is 18 MB, over the 16 MB limit"),
        "{skipped:?}"
    );
    // The cut stream is reported once, after the records before the cut.
    let cut: Vec<&String> = skipped
        .iter()
        .filter(|s| s.contains("cut.jsonl.gz"))
        .collect();
    assert_eq!(cut.len(), 1, "{skipped:?}");
    assert!(
        cut[0].contains("read failed, rest of file skipped"),
        "{skipped:?}"
    );
    assert!(!titles("heron census").is_empty());
    assert_eq!(skipped.len(), 2, "{skipped:?}");
}

#[test]
fn a_page_of_none_gives_the_total_and_no_snippets_means_none() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(tmp.path()).unwrap();
    archive
        .index_folder(fixtures(), &IndexOptions::default(), &|_| {})
        .unwrap();
    let all = archive.search(&SearchRequest::new("harbour")).unwrap();
    assert!(all.total > 0 && !all.hits.is_empty());
    let none = archive
        .search(&SearchRequest::new("harbour").limit(0))
        .unwrap();
    assert!(none.hits.is_empty());
    assert_eq!(none.total, all.total);
    for q in ["harbour", "after:2000-01-01"] {
        let mut req = SearchRequest::new(q);
        req.snippet_chars = 0;
        let res = archive.search(&req).unwrap();
        assert!(!res.hits.is_empty(), "{q}");
        assert!(
            res.hits
                .iter()
                .all(|h| h.snippet.marked("[", "]").is_empty()),
            "{q}"
        );
    }
}

#[test]
fn recency_ranks_undated_articles_after_every_dated_one() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("harbour.jsonl"),
        concat!(
            "{\"title\": \"Harbour harbour harbour dues\", \"text\": \"Harbour dues rise, harbour says.\"}\n",
            "{\"title\": \"Harbour dredging\", \"text\": \"Dredging resumed.\", \"date\": \"1995-01-10\"}\n",
            "{\"title\": \"Harbour crane\", \"text\": \"A crane arrived.\", \"date\": \"2025-10-01\"}\n",
        ),
    )
    .unwrap();
    let archive = Archive::open_or_create(tmp.path().join("idx")).unwrap();
    let opts = IndexOptions {
        mtime_dates: false,
        ..IndexOptions::default()
    };
    archive.index_folder(&corpus, &opts, &|_| {}).unwrap();
    let res = archive
        .search(&SearchRequest::new("harbour").sort(Sort::Recent))
        .unwrap();
    let titles: Vec<&str> = res.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Harbour crane",
            "Harbour dredging",
            "Harbour harbour harbour dues"
        ]
    );
    assert!(res.hits.iter().all(|h| h.score.is_finite()));
    for days in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let mut req = SearchRequest::new("harbour").sort(Sort::Recent);
        req.half_life_days = days;
        let err = archive.search(&req).unwrap_err();
        assert!(matches!(err, Error::Query(_)), "{days}: {err}");
    }
}

/// New indexes store article text as it is (faster to write and to read
/// back for snippets); an index whose store is compressed, as byline made
/// them before, keeps its own setting and works as before.
#[test]
fn an_index_with_a_compressed_store_still_works() {
    use tantivy::store::Compressor;
    let tmp = tempfile::tempdir().unwrap();

    let fresh = Archive::open_or_create(tmp.path().join("new")).unwrap();
    assert!(matches!(
        fresh.tantivy_index().settings().docstore_compression,
        Compressor::None
    ));

    let old = tmp.path().join("old");
    std::fs::create_dir(&old).unwrap();
    tantivy::Index::builder()
        .schema(byline::schema::Fields::build().schema)
        .settings(tantivy::IndexSettings::default())
        .create_in_dir(&old)
        .unwrap();
    let archive = Archive::open(&old).unwrap();
    let report = archive
        .reindex(fixtures(), &IndexOptions::default(), &|_| {})
        .unwrap();
    assert_eq!(report.added, 11, "{report:?}");
    drop(archive);
    let archive = Archive::open(&old).unwrap();
    assert!(matches!(
        archive.tantivy_index().settings().docstore_compression,
        Compressor::Lz4
    ));
    let res = archive.search(&SearchRequest::new("ferry")).unwrap();
    assert_eq!(res.total, 4);
    let hit = &res.hits[0];
    let (s, e) = hit.snippet.highlights[0];
    assert_eq!(hit.snippet.text[s..e].to_lowercase(), "ferry");
    drop(archive);

    // A full rebuild makes it a new index, with the new setting.
    Archive::rebuild_into_place(&old, fixtures(), &IndexOptions::default(), &|_| {}).unwrap();
    let archive = Archive::open(&old).unwrap();
    assert!(matches!(
        archive.tantivy_index().settings().docstore_compression,
        Compressor::None
    ));
    assert_eq!(
        archive.search(&SearchRequest::new("ferry")).unwrap().total,
        4
    );
}

/// BM25 weighs a word by how many of the archive's articles hold it, and a
/// text by its length against the articles' average. The index also holds
/// one bookkeeping record per source file; the same articles, one file each
/// or all in one file, must score alike.
#[test]
fn scores_do_not_depend_on_how_many_files_hold_the_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let records = [
        r#"{"id": "a1", "title": "Ferry fares rise", "text": "Ferry fares rise again on the island route, the operator said, citing fuel."}"#,
        r#"{"id": "a2", "title": "Harbour works", "text": "Harbour works delay the ferry for a week while the quay is rebuilt."}"#,
        r#"{"id": "a3", "title": "Council budget", "text": "The council agreed its budget after a long debate about roads, schools and the ferry subsidy, which it cut by a tenth."}"#,
        r#"{"id": "a4", "title": "School roof", "text": "A school roof was repaired over the summer."}"#,
        r#"{"id": "a5", "title": "Fuel prices", "text": "Fuel prices fell for a third month."}"#,
    ];
    let one = tmp.path().join("one");
    let many = tmp.path().join("many");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::create_dir_all(&many).unwrap();
    std::fs::write(one.join("all.jsonl"), records.join("\n") + "\n").unwrap();
    for (i, r) in records.iter().enumerate() {
        std::fs::write(many.join(format!("r{i}.jsonl")), format!("{r}\n")).unwrap();
    }
    let scores = |folder: &std::path::Path, name: &str| {
        let archive = Archive::open_or_create(tmp.path().join(name)).unwrap();
        archive
            .index_folder(folder, &IndexOptions::default(), &|_| {})
            .unwrap();
        let mut hits: Vec<(String, f32)> = Vec::new();
        for q in ["ferry", "fuel", "\"ferry fares\"", "ferry OR budget"] {
            let res = archive.search(&SearchRequest::new(q)).unwrap();
            hits.extend(
                res.hits
                    .into_iter()
                    .map(|h| (format!("{q}: {}", h.id), h.score)),
            );
        }
        hits
    };
    let (a, b) = (scores(&one, "idx-one"), scores(&many, "idx-many"));
    assert_eq!(a.len(), 9, "{a:?}");
    assert_eq!(a.len(), b.len());
    for ((id_a, s_a), (id_b, s_b)) in a.iter().zip(&b) {
        assert_eq!(id_a, id_b);
        assert!(
            (s_a - s_b).abs() < 1e-4 * s_a.abs().max(1.0),
            "{a:?}\n{b:?}"
        );
    }
}
