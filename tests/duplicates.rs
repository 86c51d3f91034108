//! `byline duplicates`: copies of one story found across formats and
//! folders, grouped within a date window, the earliest dated copy first;
//! kept right by `reindex`, and the same as a clean build gives.
//!
//! The archive is written here: an invented ferry strike reported once and
//! copied (under a new headline and trimmed; as a wire record with a
//! corrected word; undated), the same text again a fortnight later (a new
//! story), and two unrelated reports.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const FERRY: &[&str] = &[
    "Crews on the Halvik ferry line walked out at dawn on Tuesday, stranding about two thousand passengers on both sides of the strait.",
    "The union representing deckhands said talks with the operator, Nordvik Sea Lines, had broken down over a plan to cut winter crossings.",
    "Lorry drivers queued for more than four kilometres outside the port, and the coastguard asked small boats to keep clear of the harbour mouth.",
    "A spokeswoman for the operator, Ingrid Maalsen, said the company regretted the disruption and would refund every ticket for the day.",
    "Union organiser Petter Holm told a rally at the terminal that members had been offered a pay rise smaller than the rise in their rents.",
    "The regional council has called both sides to a meeting on Thursday, the first since the dispute began in the autumn.",
    "Shops on the island said deliveries of fresh food would run short by the weekend if the stoppage went on.",
    "The last strike on the line, four years ago, lasted nine days and ended with an agreement on overtime that expires this spring.",
    "Passengers were told to check the operator's website before travelling, as a skeleton service might run in the evening.",
    "Fishermen who rely on the ferry to send their catch to market said they would try to hire private boats instead.",
    "The transport minister said she was watching the dispute closely but that it was for the company and its staff to settle.",
    "Both sides said they were ready to talk, though neither would say what it was prepared to give up.",
];

const BUDGET: &str = "The town council approved a budget that raises spending on schools \
by six percent while freezing the parking charges that traders had campaigned against. \
Councillors argued for three hours over a plan to close one of the two libraries, which \
was dropped at the last minute. The treasurer warned that reserves would run low within \
two years unless the national grant rose.";

const ORCHARD: &str = "Apple growers in the valley expect their smallest harvest in a decade \
after a late frost in April killed much of the blossom. Several farms have already told \
seasonal pickers there will be no work this year. A cooperative of growers is asking the \
regional bank to delay loan repayments until the next season.";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let env = Env { dir };
        let c = env.corpus();
        let body = FERRY.join("\n\n");
        write(
            &c.join("2024/03/05/ferry-strike.txt"),
            &format!("Ferry crews strike over winter cuts\n\n{body}\n"),
        );
        // A new headline, the last three paragraphs cut.
        write(
            &c.join("2024/03/06/strait-stoppage.txt"),
            &format!(
                "Strait ferries halted as talks fail\n\n{}\n",
                FERRY[..9].join("\n\n")
            ),
        );
        // The wire's copy, one word corrected.
        let wire = serde_json::json!({
            "id": "nw-118",
            "url": "https://wire.example/nw-118",
            "title": "Ferry strike strands passengers",
            "published": "2024-03-05T09:30:00Z",
            "body": body.replace("two thousand", "3,000"),
        });
        let budget = serde_json::json!({
            "id": "nw-119",
            "title": "Council passes budget",
            "published": "2024-03-05T11:00:00Z",
            "body": BUDGET,
        });
        write(&c.join("wire.jsonl"), &format!("{wire}\n{budget}\n"));
        // The same text a fortnight later: news again, not a copy.
        write(
            &c.join("2024/03/19/ferry-strike.txt"),
            &format!("Ferry crews strike over winter cuts\n\n{body}\n"),
        );
        // An undated copy joins the first story, not both.
        write(
            &c.join("saved/ferry.txt"),
            &format!("Ferry crews strike over winter cuts\n\n{body}\n"),
        );
        write(
            &c.join("2024/03/05/orchards.txt"),
            &format!("Frost hits apple harvest\n\n{ORCHARD}\n"),
        );
        env.run(&["index", env.corpus().to_str().unwrap()]);
        env
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.arg("--index")
            .arg(self.dir.path().join("index"))
            .current_dir(self.dir.path())
            .env_remove("BYLINE_INDEX")
            .env("NO_COLOR", "1");
        c
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["duplicates", "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.run(&all)).unwrap()
    }
}

/// The paths of a list of articles (copies, hits), below the corpus folder.
fn paths(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let p = c["path"].as_str().unwrap();
            p.split("corpus/").nth(1).unwrap_or(p).to_string()
        })
        .collect()
}

/// The paths of each story's copies, representative first.
fn stories(v: &Value) -> Vec<Vec<String>> {
    v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| paths(&s["copies"]))
        .collect()
}

#[test]
fn copies_in_every_format_are_one_story_earliest_first_within_the_window() {
    let env = Env::new();
    let v = env.json(&[]);
    assert_eq!(v["articles"], 7);
    assert_eq!(v["window_days"], 3);
    assert_eq!(
        stories(&v),
        vec![vec![
            "2024/03/05/ferry-strike.txt".to_string(),
            "wire.jsonl#nw-118".to_string(),
            "2024/03/06/strait-stoppage.txt".to_string(),
            "saved/ferry.txt".to_string(),
        ]],
        "{v:#}"
    );
    let wire = &v["stories"][0]["copies"][1];
    assert_eq!(wire["url"], "https://wire.example/nw-118");
    assert_eq!(wire["published"], "2024-03-05T09:30:00Z");
    assert_eq!(v["stories"][0]["copies"][3]["published"], Value::Null);

    // A window of three weeks makes the fortnight-later text a copy too.
    let wide = env.json(&["--window", "21"]);
    assert_eq!(stories(&wide)[0].len(), 5, "{wide:#}");
    assert_eq!(stories(&wide)[0][4], "saved/ferry.txt");
}

#[test]
fn the_text_table_and_csv_name_every_copy_and_a_query_picks_stories() {
    let env = Env::new();
    let text = env.run(&["duplicates"]);
    assert!(
        text.contains("4 copies Ferry crews strike over winter cuts"),
        "{text}"
    );
    assert!(text.contains("2024-03-05  "), "{text}");
    assert!(text.contains("undated"), "{text}");
    assert!(
        text.contains("1 story with copies (4 articles) in an index of 7 articles"),
        "{text}"
    );

    let csv = env.run(&["duplicates", "--csv"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "story,copies,published,id,path,url,title");
    assert_eq!(rows.len(), 5, "{csv}");
    assert!(rows[2].contains("https://wire.example/nw-118"), "{csv}");

    // A query keeps the stories with a matching copy; none is exit 1.
    assert_eq!(stories(&env.json(&["Nordvik"])).len(), 1);
    let out = env.cmd().args(["duplicates", "budget"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("0 stories with copies"), "{s}");
    // So does a period with no copy in it.
    let out = env
        .cmd()
        .args(["duplicates", "--json", "--since", "2024-03-10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(stories(&v).is_empty(), "{v:#}");
}

#[test]
fn reindex_keeps_stories_right_and_matches_a_clean_build() {
    let env = Env::new();
    // The representative deleted: the wire copy, next by date, stands for it.
    std::fs::remove_file(env.corpus().join("2024/03/05/ferry-strike.txt")).unwrap();
    env.run(&["reindex"]);
    let after = env.json(&[]);
    assert_eq!(stories(&after)[0][0], "wire.jsonl#nw-118", "{after:#}");
    assert_eq!(stories(&after)[0].len(), 3);

    // A copy edited out of recognition leaves the story.
    write(
        &env.corpus().join("2024/03/06/strait-stoppage.txt"),
        &format!("Frost hits apple harvest\n\n{ORCHARD}\n"),
    );
    env.run(&["reindex"]);
    let edited = env.json(&[]);
    let s = stories(&edited);
    assert!(
        s.iter().any(
            |c| c.contains(&"2024/03/06/strait-stoppage.txt".to_string())
                && c.contains(&"2024/03/05/orchards.txt".to_string())
        ),
        "the edited file is now a copy of the orchard report: {edited:#}"
    );
    assert!(s
        .iter()
        .all(|c| c[0] != "2024/03/06/strait-stoppage.txt" || c.len() == 1));

    // A clean build of the same folder gives the same stories.
    let fresh = tempfile::tempdir().unwrap();
    let mut c = Command::cargo_bin("byline").unwrap();
    let out = c
        .arg("--index")
        .arg(fresh.path().join("index"))
        .current_dir(env.dir.path())
        .env("NO_COLOR", "1")
        .args(["index", "corpus"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut c = Command::cargo_bin("byline").unwrap();
    let out = c
        .arg("--index")
        .arg(fresh.path().join("index"))
        .current_dir(env.dir.path())
        .args(["duplicates", "--json"])
        .output()
        .unwrap();
    let clean: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stories(&clean), stories(&edited));
}

#[test]
fn a_story_spans_the_window_from_its_first_copy_and_a_cut_copy_keeps_its_lede() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("corpus");
    let notice = "The harbour office reminds all skippers that the eastern channel \
        is closed to vessels over twelve metres while the buoys are replaced. \
        Pilots are available on request at the usual rates, and the office asks \
        that bookings be made a day ahead. Questions may be sent to the duty \
        officer at any hour.";
    // The same notice every day for eight days: stories of at most four
    // days (the window, 3, from the first), not one story.
    for d in 1..=8 {
        write(
            &c.join(format!("2024/04/{d:02}/notice.txt")),
            &format!("Channel notice\n\n{notice}\n"),
        );
    }
    // A long report and a copy cut to its first two paragraphs, a day on.
    write(
        &c.join("2024/05/02/ferry.txt"),
        &format!("Ferry crews strike\n\n{}\n", FERRY.join("\n\n")),
    );
    write(
        &c.join("2024/05/03/ferry-brief.txt"),
        &format!("Ferry strike\n\n{}\n", FERRY[..2].join("\n\n")),
    );
    // Headline-only items saved twice are copies by their headline.
    write(
        &c.join("2024/05/02/flash.txt"),
        "Ferry talks collapse after nine hours\n",
    );
    write(
        &c.join("2024/05/02/flash (1).txt"),
        "Ferry talks collapse after nine hours\n",
    );
    // Two flashes with the same placeholder for a body are two stories.
    write(
        &c.join("2024/05/02/fire.txt"),
        "FLASH: Fire at the grain silo in Aarhus\n\nMore to follow.\n",
    );
    write(
        &c.join("2024/05/02/strike.txt"),
        "FLASH: Strike called at the port of Antwerp\n\nMore to follow.\n",
    );
    let env = Env { dir };
    env.run(&["index", "corpus"]);

    let v = env.json(&["--window", "3"]);
    let s = stories(&v);
    let notices: Vec<&Vec<String>> = s.iter().filter(|c| c[0].ends_with("notice.txt")).collect();
    assert_eq!(
        notices.iter().map(|c| c.len()).collect::<Vec<_>>(),
        vec![4, 4],
        "{v:#}"
    );
    assert!(s.contains(&vec![
        "2024/05/02/ferry.txt".to_string(),
        "2024/05/03/ferry-brief.txt".to_string()
    ]));
    // The shorter name first: the scraper's second save is not the original.
    assert!(s.contains(&vec![
        "2024/05/02/flash.txt".to_string(),
        "2024/05/02/flash (1).txt".to_string()
    ]));
    let flash = v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| {
            st["copies"][0]["path"]
                .as_str()
                .unwrap()
                .ends_with("flash.txt")
        })
        .unwrap();
    assert_eq!(flash["title"], "Ferry talks collapse after nine hours");

    assert!(
        s.iter()
            .all(|c| !c.contains(&"2024/05/02/fire.txt".to_string())),
        "{v:#}"
    );

    // A window of 0 is the same day: the daily notices are all apart.
    let v = env.json(&["--window", "0"]);
    assert!(
        stories(&v).iter().all(|c| !c[0].ends_with("notice.txt")),
        "{v:#}"
    );
    assert_eq!(stories(&v).len(), 1, "{v:#}");
    let text = env.run(&["duplicates", "--window", "1"]);
    assert!(text.contains("within 1 day of its first"), "{text}");
}

/// `search --json` as parsed JSON.
fn search(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&env.run(&all)).unwrap()
}

/// The hits' paths, below the corpus folder.
fn hit_paths(v: &Value) -> Vec<String> {
    paths(&v["hits"])
}

fn copy_paths(hit: &Value) -> Vec<String> {
    paths(&hit["copies"])
}

#[test]
fn search_shows_a_story_once_with_its_copies_and_all_copies_shows_each() {
    let env = Env::new();
    let v = search(&env, &["ferry", "strike"]);
    // Four copies of one story and the same text a fortnight later.
    assert_eq!(v["total"], 5, "{v:#}");
    assert_eq!(v["stories"], 2, "{v:#}");
    let paths = hit_paths(&v);
    assert_eq!(paths.len(), 2, "{v:#}");
    // The representative (the earliest dated copy) stands for its story.
    let first = paths
        .iter()
        .position(|p| p == "2024/03/05/ferry-strike.txt")
        .expect("the representative is a hit");
    assert!(paths.contains(&"2024/03/19/ferry-strike.txt".to_string()));
    let hit = &v["hits"][first];
    assert_eq!(
        copy_paths(hit),
        [
            "wire.jsonl#nw-118",
            "2024/03/06/strait-stoppage.txt",
            "saved/ferry.txt"
        ]
    );
    assert_eq!(hit["copies"][0]["url"], "https://wire.example/nw-118");
    assert_eq!(hit["copies"][0]["published"], "2024-03-05T09:30:00Z");
    assert_eq!(hit["copies"][0]["id"], "nw-118");

    let all = search(&env, &["ferry", "strike", "--all-copies"]);
    assert_eq!(all["total"], 5);
    assert_eq!(hit_paths(&all).len(), 5, "{all:#}");
    assert!(all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| copy_paths(h).is_empty()));

    // The text output says where the copies are and what was counted.
    let text = env.run(&["search", "ferry", "strike"]);
    assert!(
        text.contains("also published as 3 copies: ")
            && text.contains("wire.jsonl#nw-118 (2024-03-05)"),
        "{text}"
    );
    assert!(
        text.contains("2 of 2 matching stories (5 articles; copies of one story shown once"),
        "{text}"
    );
    // CSV: the copies' paths in a column of their own.
    let csv = env.run(&["search", "--csv", "ferry", "strike"]);
    assert!(csv.lines().next().unwrap().ends_with(",snippet,copies"));
    assert!(csv.contains("wire.jsonl#nw-118; "), "{csv}");
}

#[test]
fn a_story_shows_the_copy_that_matches_and_pages_never_repeat_a_story() {
    let env = Env::new();
    // Only the trimmed copy's headline says "halted": it stands for the
    // story, the others listed.
    let v = search(&env, &["halted"]);
    assert_eq!(hit_paths(&v), ["2024/03/06/strait-stoppage.txt"], "{v:#}");
    assert_eq!(copy_paths(&v["hits"][0])[0], "2024/03/05/ferry-strike.txt");
    // A period that leaves out the representative: the earliest copy in it.
    let v = search(&env, &["Nordvik", "--since", "2024-03-06"]);
    let mut got = hit_paths(&v);
    got.sort();
    assert_eq!(
        got,
        [
            "2024/03/06/strait-stoppage.txt",
            "2024/03/19/ferry-strike.txt"
        ],
        "{v:#}"
    );
    assert_eq!(v["stories"], 2, "{v:#}");

    // Newest first, a story shows its newest matching copy; oldest first,
    // its earliest.
    let v = search(&env, &["Nordvik", "--sort", "date"]);
    assert_eq!(
        hit_paths(&v),
        [
            "2024/03/19/ferry-strike.txt",
            "2024/03/06/strait-stoppage.txt"
        ],
        "{v:#}"
    );
    let v = search(&env, &["Nordvik", "--sort", "oldest"]);
    assert_eq!(
        hit_paths(&v),
        ["2024/03/05/ferry-strike.txt", "2024/03/19/ferry-strike.txt"],
        "{v:#}"
    );

    // One hit per page, every sort: each story once, none left out.
    for sort in ["relevance", "date", "oldest", "recent"] {
        let q = ["ferry", "OR", "budget", "OR", "harvest", "--sort", sort];
        let whole = search(&env, &q);
        assert_eq!(whole["stories"], 4, "{sort}: {whole:#}");
        let mut paged = Vec::new();
        for offset in 0..5 {
            let off = offset.to_string();
            let mut args = q.to_vec();
            args.extend(["-n", "1", "--offset", &off]);
            paged.extend(hit_paths(&search(&env, &args)));
        }
        assert_eq!(paged, hit_paths(&whole), "{sort}");
        assert_eq!(paged.len(), 4, "{sort}: {paged:?}");
    }
}

#[test]
fn entities_and_timeline_count_stories_unless_asked_for_articles() {
    let env = Env::new();
    let v: Value = serde_json::from_str(&env.run(&["entities", "--json", "Nordvik"])).unwrap();
    assert_eq!(v["counts"], "stories");
    assert_eq!(
        (v["articles"].as_u64(), v["stories"].as_u64()),
        (Some(5), Some(2))
    );
    let maalsen = |v: &Value| {
        v["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Ingrid Maalsen")
            .map(|p| p["articles"].as_u64().unwrap())
    };
    assert_eq!(maalsen(&v), Some(2), "{v:#}");
    let all: Value =
        serde_json::from_str(&env.run(&["entities", "--json", "--all-copies", "Nordvik"])).unwrap();
    assert_eq!(all["counts"], "articles");
    assert_eq!(maalsen(&all), Some(5), "{all:#}");
    let text = env.run(&["entities", "Nordvik"]);
    assert!(
        text.contains("in 2 matching stories (5 articles; copies of one story count once"),
        "{text}"
    );
    // A copy with a paragraph added names one more person: the story counts
    // for every name any of its copies gives, once.
    write(
        &env.corpus().join("2024/03/06/ferry-extended.txt"),
        &format!(
            "Ferry strike: harbour pilots join

{}

Harbour pilot Harald Vikstrom said the pilots would stay ashore in sympathy.
",
            FERRY.join("\n\n")
        ),
    );
    env.run(&["reindex"]);
    let v: Value =
        serde_json::from_str(&env.run(&["entities", "--json", "-n", "50", "Nordvik"])).unwrap();
    let count = |v: &Value, name: &str| {
        v["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["articles"].as_u64().unwrap())
    };
    assert_eq!(
        (v["articles"].as_u64(), v["stories"].as_u64()),
        (Some(6), Some(2)),
        "{v:#}"
    );
    assert_eq!(count(&v, "Harald Vikstrom"), Some(1), "{v:#}");
    assert_eq!(count(&v, "Ingrid Maalsen"), Some(2), "{v:#}");
    std::fs::remove_file(env.corpus().join("2024/03/06/ferry-extended.txt")).unwrap();
    env.run(&["reindex"]);

    let day = |v: &Value, d: &str| {
        v["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["start"] == d)
            .map(|b| b["count"].as_u64().unwrap())
    };
    let t: Value =
        serde_json::from_str(&env.run(&["timeline", "--json", "--by", "day", "Nordvik"])).unwrap();
    assert_eq!(t["counts"], "stories");
    assert_eq!(day(&t, "2024-03-05"), Some(1), "{t:#}");
    assert_eq!(day(&t, "2024-03-06"), Some(0), "{t:#}");
    assert_eq!(day(&t, "2024-03-19"), Some(1), "{t:#}");
    assert_eq!(
        (t["undated"].as_u64(), t["folded"].as_u64()),
        (Some(0), Some(3))
    );
    let t: Value = serde_json::from_str(&env.run(&[
        "timeline",
        "--json",
        "--by",
        "day",
        "--all-copies",
        "Nordvik",
    ]))
    .unwrap();
    assert_eq!(t["counts"], "articles");
    assert_eq!(day(&t, "2024-03-05"), Some(2), "{t:#}");
    assert_eq!(day(&t, "2024-03-06"), Some(1), "{t:#}");
    assert_eq!(t["undated"], 1);
    let chart = env.run(&["timeline", "--by", "day", "Nordvik"]);
    assert!(
        chart.contains("2 dated stories (3 copies not counted again; --all-copies counts each)"),
        "{chart}"
    );
}

#[test]
fn short_releases_under_one_long_footer_are_stories_of_their_own() {
    let env = Env::new();
    // A company's feed: two items of a sentence or two, and its disclaimer.
    let footer = "About Brekke Holdings: Brekke Holdings is a shipping and property group \
        with offices in Oslo, Gothenburg and Aarhus. This release contains forward-looking \
        statements that involve risks and uncertainties; actual results may differ \
        materially from those described. Brekke Holdings undertakes no obligation to \
        update them. Media enquiries go to the press office, which answers on weekdays \
        between nine and five, and investor enquiries to the investor relations team.";
    write(
        &env.corpus().join("2024/03/11/brekke-analysts.txt"),
        &format!("Brekke hires two analysts\n\nBrekke Holdings has hired two analysts for its Oslo desk.\n\n{footer}\n"),
    );
    write(
        &env.corpus().join("2024/03/12/brekke-dividend.txt"),
        &format!("Brekke raises dividend\n\nThe board of Brekke Holdings raised the yearly dividend by a tenth.\n\n{footer}\n"),
    );
    // The same release again, under a wire's headline: a copy.
    write(
        &env.corpus().join("2024/03/12/wire-brekke.txt"),
        &format!("Brekke lifts payout\n\nThe board of Brekke Holdings raised the yearly dividend by a tenth.\n\n{footer}\n"),
    );
    env.run(&["reindex"]);
    let v = search(&env, &["Brekke"]);
    assert_eq!(
        (v["total"].as_u64(), v["stories"].as_u64()),
        (Some(3), Some(2)),
        "{v:#}"
    );
    let brekke: Vec<Vec<String>> = stories(&env.json(&["Brekke"]));
    assert_eq!(
        brekke,
        [[
            "2024/03/12/brekke-dividend.txt",
            "2024/03/12/wire-brekke.txt"
        ]],
        "{brekke:?}"
    );
}

#[test]
fn the_saved_stories_and_stories_worked_out_afresh_agree_after_reindex() {
    let env = Env::new();
    let saved = env.dir.path().join("index/.byline-stories.json");
    assert!(
        saved.exists(),
        "indexing saves the stories beside the index"
    );
    // A new copy of the budget report, and the ferry's representative gone.
    write(
        &env.corpus().join("2024/03/06/budget-again.txt"),
        &format!("Budget approved after long debate\n\n{BUDGET}\n"),
    );
    std::fs::remove_file(env.corpus().join("2024/03/05/ferry-strike.txt")).unwrap();
    env.run(&["reindex"]);
    let q = ["ferry", "OR", "budget", "OR", "harvest", "-n", "20"];
    let with_file = search(&env, &q);
    assert_eq!(with_file["total"], 7, "{with_file:#}");
    assert_eq!(with_file["stories"], 4, "{with_file:#}");
    let budget = with_file["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "nw-119")
        .expect("the wire's budget report, the earlier copy, stands for its story");
    assert_eq!(copy_paths(budget), ["2024/03/06/budget-again.txt"]);
    assert!(hit_paths(&with_file).contains(&"wire.jsonl#nw-118".to_string()));
    // Without the saved file, the same stories are worked out again, and
    // saved for the next search.
    std::fs::remove_file(&saved).unwrap();
    assert_eq!(search(&env, &q), with_file);
    assert!(saved.exists());
    assert_eq!(search(&env, &q), with_file);
    // A file that is not the index's (damaged, or another index's) is
    // refused, not misread.
    std::fs::write(
        &saved,
        r#"{"format":1,"window_days":3,"segments":[],"stories":[]}"#,
    )
    .unwrap();
    assert_eq!(search(&env, &q), with_file);
    std::fs::write(&saved, "{not json").unwrap();
    assert_eq!(search(&env, &q), with_file);
}

#[test]
fn the_library_collapses_copies_unless_asked_for_all() {
    let env = Env::new();
    let archive = byline::Archive::open(env.dir.path().join("index")).unwrap();
    let mut req = byline::SearchRequest::new("Nordvik");
    let r = archive.search(&req).unwrap();
    assert_eq!((r.total, r.stories, r.hits.len()), (5, 2, 2));
    let story = r.hits.iter().find(|h| !h.copies.is_empty()).unwrap();
    assert_eq!(story.copies.len(), 3);
    req.all_copies = true;
    let r = archive.search(&req).unwrap();
    assert_eq!(r.hits.len(), 5);
    assert!(r.hits.iter().all(|h| h.copies.is_empty()));
}
