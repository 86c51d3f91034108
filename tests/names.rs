//! Names across articles. People named by surname alone: a full-name filter
//! does not take them, but says how many there are when the surname is most
//! likely the same person. And one spelling of a name whatever apostrophe
//! an article uses. All the people and organisations here are invented.

use assert_cmd::Command;
use byline::{Archive, IndexOptions, SearchRequest, SurnameOnly};

/// Title and text of each article, as one JSON Lines file.
const ARTICLES: &[(&str, &str)] = &[
    (
        "Port of Rijeka to reopen",
        "Marta Kovacs, who chairs the harbour board, said the port would reopen on Monday.",
    ),
    (
        "Harbour board names new pilots",
        "Marta Kovacs said eleven pilots had been hired for the winter.",
    ),
    (
        "Dredging finished early",
        "The dredging of the outer basin is done, Marta Kovacs told reporters.",
    ),
    (
        "Cranes return to the quay",
        "Ms Kovacs said the cranes would be working again by March.",
    ),
    (
        "Ferry timetable to change",
        "Ms Kovacs said the ferry timetable would change in spring.",
    ),
    (
        "Sawmill to close in June",
        "Jonas Lindqvist, the owner, said the sawmill would close in June.",
    ),
    (
        "Sawmill workers offered jobs",
        "Jonas Lindqvist said every worker had been offered a job elsewhere.",
    ),
    (
        "Sawmill site sold",
        "The site has been sold to a builder, Jonas Lindqvist said.",
    ),
    (
        "Choir wins regional prize",
        "Petra Lindqvist led the choir to first place on Saturday.",
    ),
    (
        "Mill closure questioned",
        "Mr Lindqvist said the closure could not be delayed.",
    ),
    (
        "Library extension opens",
        "Ruth Morgan opened the new reading room on Tuesday.",
    ),
    (
        "Library hours extended",
        "Ruth Morgan said the library would open on Sundays.",
    ),
    (
        "Library wins grant",
        "The library has won a grant, Ruth Morgan said.",
    ),
    (
        "Gallery opens in the old bank",
        "Morgan Ellery opened the gallery on Friday.",
    ),
    (
        "Gallery show extended",
        "Morgan Ellery said the show would run until May.",
    ),
    (
        "Book sale raises funds",
        "Ms Morgan said the book sale had raised enough for new shelves.",
    ),
    (
        "Harbour to stay open",
        "Anna van Dijk, who runs the harbour, said it would stay open all winter.",
    ),
    (
        "Harbour dues frozen",
        "Anna van Dijk said the harbour dues would not rise this year.",
    ),
    (
        "Harbour ice warning",
        "Van Dijk said the harbour could close for a week if the ice thickened.",
    ),
    (
        "Late goal settles league match",
        "Newcastle were unbeaten this season until the match at home. The striker \
         scored a late goal and the defender was booked by the referee.",
    ),
    (
        "Dockers sign pay deal",
        "Ilse Brandt, who leads the Harbour Workers’ Federation, signed the deal.",
    ),
    (
        "Union vote set for May",
        "Ilse Brandt, who leads the Harbour Workers' Federation, said members would vote in May.",
    ),
];

fn archive() -> (tempfile::TempDir, Archive) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let lines: Vec<String> = ARTICLES
        .iter()
        .map(|(title, text)| serde_json::json!({ "title": title, "text": text }).to_string())
        .collect();
    std::fs::write(corpus.join("news.jsonl"), lines.join("\n")).unwrap();
    let archive = Archive::open_or_create(tmp.path().join("index")).unwrap();
    archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    (tmp, archive)
}

fn notes(archive: &Archive, query: &str) -> (usize, Vec<SurnameOnly>) {
    let res = archive.search(&SearchRequest::new(query)).unwrap();
    (res.total, res.surname_only)
}

#[test]
fn a_full_name_filter_counts_the_articles_naming_only_the_surname() {
    let (_tmp, archive) = archive();
    let (total, notes_) = notes(&archive, r#"person:"Marta Kovacs""#);
    assert_eq!(total, 3, "the articles naming her in full are the hits");
    assert_eq!(
        notes_,
        vec![SurnameOnly {
            name: "Marta Kovacs".into(),
            surname: "Kovacs".into(),
            articles: 2,
            share: 1.0,
        }]
    );

    // The rest of the query applies to them too.
    let (total, notes_) = notes(&archive, r#"person:"Marta Kovacs" ferry"#);
    assert_eq!(total, 0);
    assert_eq!(notes_.len(), 1);
    assert_eq!(notes_[0].articles, 1);

    // The surname filter takes them all, and needs no note.
    let (total, notes_) = notes(&archive, "person:Kovacs");
    assert_eq!(total, 5);
    assert!(notes_.is_empty());
    let (total, notes_) = notes(&archive, r#"person:"Marta Kovacs" person:Kovacs"#);
    assert_eq!(total, 3);
    assert!(notes_.is_empty());

    // Nor does an exclusion.
    assert!(notes(&archive, r#"-person:"Marta Kovacs""#).1.is_empty());
}

#[test]
fn no_note_when_the_surname_alone_is_as_likely_someone_else() {
    let (_tmp, archive) = archive();
    // Three of the four articles naming a Lindqvist in full name Jonas.
    let (_, jonas) = notes(&archive, r#"person:"Jonas Lindqvist""#);
    assert_eq!(jonas.len(), 1);
    assert_eq!(jonas[0].articles, 1);
    assert!((jonas[0].share - 0.75).abs() < 1e-6, "{}", jonas[0].share);
    // One of four names Petra.
    assert!(notes(&archive, r#"person:"Petra Lindqvist""#).1.is_empty());
    // "Morgan" is also a first name here, so "Ms Morgan" may be anyone.
    assert!(notes(&archive, r#"person:"Ruth Morgan""#).1.is_empty());
}

#[test]
fn the_search_command_prints_the_note() {
    let (tmp, _archive) = archive();
    let out = Command::cargo_bin("byline")
        .unwrap()
        .arg("--index")
        .arg(tmp.path().join("index"))
        .args(["search", r#"person:"Marta Kovacs""#])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(
            "2 more articles name only \"Kovacs\"; of those naming a Kovacs in full, \
             100% name Marta Kovacs. person:Kovacs includes them, and every other Kovacs."
        ),
        "{stdout}"
    );
}

#[test]
fn with_json_the_note_goes_to_stderr_and_into_the_object() {
    let (tmp, _archive) = archive();
    let out = Command::cargo_bin("byline")
        .unwrap()
        .arg("--index")
        .arg(tmp.path().join("index"))
        .args(["search", r#"person:"Marta Kovacs""#, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3, "{stdout}");
    assert_eq!(v["total"], 3, "{stdout}");
    assert_eq!(v["surname_only"][0]["articles"], 2, "{stdout}");
    assert!(hits.iter().all(|h| h["title"].is_string()), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("2 more articles name only \"Kovacs\""),
        "{stderr}"
    );
}

#[test]
fn a_name_is_found_whichever_apostrophe_it_was_written_with() {
    let (_tmp, archive) = archive();
    for q in [
        r#"org:"Harbour Workers' Federation""#,
        r#"org:"Harbour Workers’ Federation""#,
    ] {
        assert_eq!(notes(&archive, q).0, 2, "{q}");
    }
}

#[test]
fn a_surname_with_a_particle_is_counted_with_it() {
    let (_tmp, archive) = archive();
    let (total, notes_) = notes(&archive, r#"person:"Anna van Dijk""#);
    assert_eq!(total, 2);
    assert_eq!(notes_.len(), 1, "{notes_:?}");
    assert_eq!(notes_[0].surname, "van Dijk");
    assert_eq!(notes_[0].articles, 1);
}

#[test]
fn a_club_is_found_by_its_town_as_written() {
    let (_tmp, archive) = archive();
    // The club is indexed as written; "Newcastle" the place is an alias of
    // Newcastle upon Tyne.
    assert_eq!(notes(&archive, "org:Newcastle").0, 1);
    assert_eq!(notes(&archive, "place:Newcastle").0, 0);
}

#[test]
fn a_surname_with_its_particle_finds_the_full_names_and_is_counted_once() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let mut lines: Vec<String> = (0..4)
        .map(|i| {
            serde_json::json!({
                "title": format!("Terminal report {i}"),
                "text": format!("Pieter van Dam, harbour director in Rotterdam, spoke on day {i}. Pieter van Dam said the cranes were late."),
            })
            .to_string()
        })
        .collect();
    lines.push(
        serde_json::json!({
            "title": "Cranes delayed again",
            "text": "Van Dam said the cranes would arrive in May. Van Dam spoke in Rotterdam.",
        })
        .to_string(),
    );
    std::fs::write(corpus.join("news.jsonl"), lines.join("\n")).unwrap();
    let archive = Archive::open_or_create(tmp.path().join("index")).unwrap();
    archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    // He is the only van Dam named in full: all of them name him.
    let (total, found) = notes(&archive, r#"person:"Pieter van Dam""#);
    assert_eq!(total, 4);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].articles, 1);
    assert_eq!(found[0].share, 1.0, "{found:?}");
    // The surname as written, particle and all, finds the full names.
    assert_eq!(notes(&archive, r#"person:"van Dam""#).0, 5);
    assert_eq!(notes(&archive, "person:Dam").0, 5);
}

/// An organisation filter finds the name extraction gives it: legal form,
/// a leading "The" and the -isation spelling make no difference.
#[test]
fn an_org_filter_finds_the_name_extraction_gives_the_organisation() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let arts = [
        ("Car maker cuts jobs", "Shares in General Motors Corp fell on Monday after the company said it would cut jobs in the spring."),
        ("Car sales flat", "General Motors said on Tuesday that its sales were flat in the first quarter of the year."),
        ("Group buys rival", "The Carrow Group said on Monday that it would buy a smaller rival for cash."),
        ("Coffee talks", "Delegates of the International Coffee Organisation met on Monday and said little about quotas."),
    ];
    let lines: Vec<String> = arts
        .iter()
        .map(|(t, x)| serde_json::json!({"title": t, "text": x}).to_string())
        .collect();
    std::fs::write(corpus.join("news.jsonl"), lines.join("\n")).unwrap();
    let archive = Archive::open_or_create(tmp.path().join("index")).unwrap();
    archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    let n = |q: &str| archive.search(&SearchRequest::new(q)).unwrap().total;
    assert_eq!(n(r#"org:"General Motors Corp""#), 2);
    assert_eq!(n(r#"org:"General Motors Corp.""#), 2);
    assert_eq!(n(r#"org:"General Motors""#), 2);
    assert_eq!(n(r#"org:"The Carrow Group""#), 1);
    assert_eq!(n(r#"org:"Carrow Group plc""#), 1);
    assert_eq!(n(r#"org:"International Coffee Organization""#), 1);
    assert_eq!(n(r#"org:"International Coffee Organisation""#), 1);
    assert_eq!(n(r#"entity:"General Motors Corp""#), 2);
}
