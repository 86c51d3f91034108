//! Names of their time, through the index: an article published before a
//! rename keeps the name its time gave the firm, in its entities, the
//! facets and the filters, and a filter on today's name says how many older
//! articles name it otherwise. The people and the stories are invented; the
//! firms, and when they were renamed, are facts.

use assert_cmd::Command;
use byline::{Archive, EarlierName, IndexOptions, SearchRequest};

/// Date, title and text of each article, as one JSON Lines file.
const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "1987-03-02",
        "Citicorp sets aside more for Latin debt",
        "Citicorp said on Monday it would set aside more money against loans to \
         Latin America. Dana Whitcombe, an analyst, said Exxon and other lenders' \
         clients were watching. The European Community has not commented.",
    ),
    (
        "2005-06-14",
        "Citigroup to sell fund arm",
        "Citigroup said it would sell its fund management arm. Lorne Abernathy, a \
         banker who joined Citicorp in the 1980s, said Exxon had moved its accounts.",
    ),
    (
        "1985-05-06",
        "Bonn hosts economic summit",
        "Leaders met in Bonn on Monday. The Federal Republic of Germany said it \
         would cut taxes, Kurt Albrecht, a spokesman, said.",
    ),
    (
        "2005-09-01",
        "Bakery opens in Graz",
        "Greta Lindholm, who grew up in West Germany, opened a bakery in Graz.",
    ),
];

fn archive() -> (tempfile::TempDir, Archive) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let lines: Vec<String> = ARTICLES
        .iter()
        .map(|(date, title, text)| {
            serde_json::json!({ "date": date, "title": title, "text": text }).to_string()
        })
        .collect();
    std::fs::write(corpus.join("news.jsonl"), lines.join("\n")).unwrap();
    let archive = Archive::open_or_create(tmp.path().join("index")).unwrap();
    archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    (tmp, archive)
}

/// The organisations of the one article a query finds.
fn orgs_of(archive: &Archive, query: &str) -> Vec<String> {
    let res = archive.search(&SearchRequest::new(query)).unwrap();
    assert_eq!(res.hits.len(), 1, "{query}");
    res.hits[0]
        .organizations
        .iter()
        .map(|e| e.name.clone())
        .collect()
}

fn orgs_facet(archive: &Archive, query: &str) -> Vec<(String, u64)> {
    let mut orgs = archive
        .top_entities(&SearchRequest::new(query), 20)
        .unwrap()
        .organizations;
    orgs.sort();
    orgs
}

#[test]
fn an_article_keeps_the_names_of_its_time() {
    let (_tmp, archive) = archive();
    // 1987: Citigroup (1998), ExxonMobil (1999) and the EU (1993) were yet
    // to be.
    let old = orgs_of(&archive, "Latin debt");
    for name in ["Citicorp", "Exxon", "European Community"] {
        assert!(old.contains(&name.to_string()), "{name}: {old:?}");
    }
    for name in ["Citigroup", "ExxonMobil", "European Commission"] {
        assert!(!old.contains(&name.to_string()), "{name}: {old:?}");
    }
    // 2005: the old names, written of the past, are today's firms.
    let new = orgs_of(&archive, "fund arm");
    assert!(new.contains(&"Citigroup".to_string()), "{new:?}");
    assert!(new.contains(&"ExxonMobil".to_string()), "{new:?}");
    assert!(!new.contains(&"Citicorp".to_string()), "{new:?}");

    // The facets count each firm under the name of each article's time.
    let all = orgs_facet(&archive, "");
    for (name, n) in [
        ("Citicorp", 1),
        ("Citigroup", 1),
        ("Exxon", 1),
        ("ExxonMobil", 1),
        ("European Community", 1),
    ] {
        assert!(all.contains(&(name.to_string(), n)), "{name}: {all:?}");
    }
}

#[test]
fn a_filter_on_todays_name_counts_the_articles_naming_the_old_one() {
    let (_tmp, archive) = archive();
    let res = archive
        .search(&SearchRequest::new("org:Citigroup"))
        .unwrap();
    assert_eq!(res.total, 1, "the article of Citigroup's time");
    assert_eq!(
        res.earlier_names,
        vec![EarlierName {
            name: "Citigroup".into(),
            current: "Citigroup".into(),
            earlier: "Citicorp".into(),
            until: "1998-10-08".into(),
            articles: 1,
            filter: "org:Citicorp".into(),
            finds_both: true,
        }]
    );
    // The rest of the query applies to them too.
    let res = archive
        .search(&SearchRequest::new("org:Citigroup fund"))
        .unwrap();
    assert!(res.earlier_names.is_empty(), "{:?}", res.earlier_names);

    // The old name finds both eras, and needs no note.
    let res = archive.search(&SearchRequest::new("org:Citicorp")).unwrap();
    assert_eq!(res.total, 2);
    assert!(res.earlier_names.is_empty());
    // A merger: Exxon was one of ExxonMobil's two firms.
    let res = archive
        .search(&SearchRequest::new("org:ExxonMobil"))
        .unwrap();
    assert_eq!(res.total, 1);
    assert_eq!(res.earlier_names.len(), 1);
    assert_eq!(res.earlier_names[0].earlier, "Exxon");
    assert_eq!(
        archive
            .search(&SearchRequest::new("org:Exxon"))
            .unwrap()
            .total,
        2
    );
    // Nor for an exclusion.
    let res = archive
        .search(&SearchRequest::new("-org:Citigroup Latin"))
        .unwrap();
    assert!(res.earlier_names.is_empty());
}

#[test]
fn only_articles_of_the_old_names_time_are_counted() {
    let (_tmp, archive) = archive();
    // 1985: the Federal Republic was West Germany; in 2005 West Germany is
    // history, named as such, not Germany's name of the time.
    let res = archive
        .search(&SearchRequest::new("place:Germany"))
        .unwrap();
    assert_eq!(res.total, 0);
    assert_eq!(
        res.earlier_names,
        vec![EarlierName {
            name: "Germany".into(),
            current: "Germany".into(),
            earlier: "West Germany".into(),
            until: "1990-10-03".into(),
            articles: 1,
            filter: "place:\"West Germany\"".into(),
            finds_both: false,
        }]
    );
    assert_eq!(
        archive
            .search(&SearchRequest::new("place:\"West Germany\""))
            .unwrap()
            .total,
        2
    );
}

#[test]
fn the_search_command_prints_the_note() {
    let (tmp, _archive) = archive();
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("byline")
            .unwrap()
            .arg("--index")
            .arg(tmp.path().join("index"))
            .arg("search")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let note = "1 more article, from before 1998-10-08, names Citigroup \"Citicorp\", \
                as it was then named. org:Citicorp finds it and those naming Citigroup.";
    let (stdout, _) = run(&["org:Citigroup"]);
    assert!(stdout.contains(note), "{stdout}");
    // With --json the note goes to stderr, and standard output is the
    // JSON object, which has the count in `earlier_names`.
    let (stdout, stderr) = run(&["org:Citigroup", "--json"]);
    assert!(stderr.contains(note), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 1, "{stdout}");
    assert_eq!(v["earlier_names"][0]["articles"], 1, "{stdout}");
}
