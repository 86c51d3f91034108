//! Entities end to end: extraction with spans, entity queries with aliases
//! and salience ranking, top entities, and what every hit shows.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/entities")
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn indexed() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let env = Env { dir };
        env.cmd()
            .args(["index", &corpus().display().to_string()])
            .assert()
            .success();
        env
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.current_dir(self.dir.path())
            .env_remove("BYLINE_INDEX")
            .env("NO_COLOR", "1");
        c
    }

    fn hits(&self, query: &str) -> Vec<Value> {
        let out = self
            .cmd()
            .args(["search", "--json", "-n", "50", "--", query])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["hits"].as_array().unwrap().clone()
    }
}

fn names(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn plain_extraction_gives_canonical_names_and_exact_spans() {
    let text =
        "Marisa Grech, the head of the Maltese Pilots' Association, met EU officials in Brussels. \
                Grech said the U.S. and the UK had offered help. Later, Grech flew to Kiev.";
    let out = Command::cargo_bin("byline")
        .unwrap()
        .args(["extract", "--plain", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ents = v["entities"].as_array().unwrap();
    let find = |name: &str| {
        ents.iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} not found in {v}"))
    };
    let grech = find("Marisa Grech");
    assert_eq!(grech["type"], "person");
    // Every mention's span points at the words as written in the input.
    let spans: Vec<&str> = grech["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &text[m["start"].as_u64().unwrap() as usize..m["end"].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(spans, ["Marisa Grech", "Grech", "Grech"]);
    assert_eq!(find("Maltese Pilots' Association")["type"], "organization");
    assert_eq!(find("European Union")["type"], "organization");
    for place in ["Brussels", "United States", "United Kingdom", "Kyiv"] {
        assert_eq!(find(place)["type"], "place", "{place}");
    }
    let us = find("United States")["mentions"][0].clone();
    assert_eq!(
        &text[us["start"].as_u64().unwrap() as usize..us["end"].as_u64().unwrap() as usize],
        "U.S."
    );
    // Sentence starts and demonyms are not entities.
    assert!(ents
        .iter()
        .all(|e| e["name"] != "Later" && e["name"] != "Maltese"));
}

#[test]
fn entity_queries_find_short_forms_and_rank_salient_articles_first() {
    let env = Env::indexed();
    // The full name, the surname alone, and any-kind `entity:`.
    for q in [
        "person:\"Marisa Grech\"",
        "person:Grech",
        "entity:Grech",
        "person:\"marisa grech\"",
    ] {
        let hits = env.hits(q);
        assert_eq!(hits.len(), 2, "{q}");
        // The article about her comes before the one that names her once.
        assert!(
            hits[0]["title"].as_str().unwrap().contains("Pilots"),
            "{q}: {hits:?}"
        );
    }
    // As the shell passes `person:"Marisa Grech"`: one argument, quotes gone.
    let out = env
        .cmd()
        .args(["search", "--json", "person:Marisa Grech"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    // Fixed aliases: US and U.S. are the United States; EU the European Union.
    assert_eq!(env.hits("place:US").len(), 1);
    assert_eq!(env.hits("place:\"United States\"").len(), 1);
    assert_eq!(env.hits("org:EU").len(), 1);
    assert_eq!(env.hits("place:Valletta").len(), 2);
    // Combined with keywords, exclusions and dates.
    assert_eq!(env.hits("place:Valletta ferry").len(), 1);
    assert_eq!(env.hits("place:Valletta -person:Grech").len(), 0);
    assert_eq!(env.hits("-place:Valletta").len(), 1);
    assert_eq!(env.hits("place:Valletta after:2025-06-10").len(), 1);
    // A keyword query naming a known person ranks the article about her first.
    let hits = env.hits("Grech");
    assert!(hits[0]["title"].as_str().unwrap().contains("Pilots"));
}

#[test]
fn every_hit_shows_its_main_entities() {
    let env = Env::indexed();
    let hits = env.hits("levy");
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert!(
        names(h, "people").contains(&"Daniel Okafor".to_string()),
        "{h}"
    );
    assert!(
        names(h, "organizations").contains(&"World Bank".to_string()),
        "{h}"
    );
    assert!(
        names(h, "places").contains(&"United States".to_string()),
        "{h}"
    );
    // The place named in the title and standfirst comes first.
    assert_eq!(names(h, "places")[0], "United States");
    env.cmd()
        .args(["search", "levy"])
        .assert()
        .success()
        .stdout(predicate::str::contains("people: Daniel Okafor"));
}

#[test]
fn top_entities_among_hits_and_in_the_whole_archive() {
    let env = Env::indexed();
    let out = env.cmd().args(["entities", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"], 3);
    assert_eq!(v["people"][0]["name"], "Marisa Grech");
    assert_eq!(v["people"][0]["articles"], 2);
    let top_places: Vec<(&str, u64)> = v["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["articles"].as_u64().unwrap()))
        .collect();
    assert!(top_places.contains(&("Valletta", 2)), "{top_places:?}");
    let out = env
        .cmd()
        .args(["entities", "--json", "ferry"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"], 1);
    let places: Vec<&str> = v["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in ["Sicily", "Malta", "Catania", "Valletta"] {
        assert!(places.contains(&p), "{p} in {places:?}");
    }
    env.cmd()
        .args(["entities", "-n", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("people"))
        .stdout(predicate::str::contains("Marisa Grech"));
}

#[test]
fn indexing_without_entities_is_possible() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env { dir };
    env.cmd()
        .args(["index", "--no-entities", &corpus().display().to_string()])
        .assert()
        .success();
    assert!(env.hits("person:Grech").is_empty());
    assert_eq!(env.hits("Grech").len(), 2);
    env.cmd()
        .args(["entities"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Marisa Grech").not());
}
