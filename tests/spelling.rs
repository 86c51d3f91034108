//! Finding words however they were typed: prefixes (`halvor*`), near
//! spellings (`Halvorson~`), "did you mean", punctuation between words, and
//! query errors that point at the fault. The archive is written here: an
//! invented central banker, Ingrid Halvorsen, in twelve articles, and one
//! article that misspells her.

use std::path::Path;

use assert_cmd::Command;
use byline::{Archive, IndexOptions, SearchRequest, MAX_PREFIX_WORDS};

struct Env {
    _tmp: tempfile::TempDir,
    corpus: std::path::PathBuf,
    index: std::path::PathBuf,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let subjects = [
            "rates",
            "the krone",
            "inflation",
            "housing",
            "wages",
            "savings",
            "the budget",
            "exports",
            "lending",
            "fuel prices",
            "pensions",
            "shipping",
        ];
        for (i, subject) in subjects.iter().enumerate() {
            write(
                &corpus,
                &format!("bank-{i:02}.txt"),
                &format!(
                    "Halvorsen speaks on {subject}\n\nPublished 2025-03-{:02}\n\nThe central bank governor Ingrid Halvorsen spoke in Oslo about {subject}. Ms Halvorsen said negotiations with the ministry would continue.\n",
                    i + 1
                ),
            );
        }
        write(
            &corpus,
            "typo.txt",
            "Kuwait ferry line agreed after long talks\n\nPublished 2025-04-02\n\nGovernor Ingrid Halvorson said the negotiators for the Kuwait ferry line had met. A fare of 1,000 krone was agreed.\n",
        );
        write(
            &corpus,
            "kuwait.txt",
            "Kuwait orders a ferry\n\nPublished 2025-04-03\n\nA shipyard in Bergen will build a ferry for Kuwait; the negotiating took a year.\n",
        );
        // Many words with one beginning, for the bound on a prefix.
        let many: Vec<String> = (0..MAX_PREFIX_WORDS + 20)
            .map(|n| format!("zqword{n}"))
            .collect();
        write(
            &corpus,
            "list.txt",
            &format!(
                "A list of codes\n\nPublished 2025-04-04\n\nThe codes are {}.\n",
                many.join(" ")
            ),
        );
        let index = tmp.path().join("index");
        let archive = Archive::open_or_create(&index).unwrap();
        archive
            .index_folder(&corpus, &IndexOptions::default(), &|_| {})
            .unwrap();
        Env {
            _tmp: tmp,
            corpus,
            index,
        }
    }

    fn search(&self, q: &str) -> byline::SearchResults {
        Archive::open(&self.index)
            .unwrap()
            .search(&SearchRequest {
                all_copies: true,
                ..SearchRequest::new(q).limit(20)
            })
            .unwrap()
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.arg("--index").arg(&self.index).env("NO_COLOR", "1");
        c
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn paths(r: &byline::SearchResults) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| {
            Path::new(&h.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn a_prefix_finds_every_word_it_begins() {
    let env = Env::new();
    assert_eq!(env.search("halvor*").total, 13);
    assert_eq!(env.search("halvor").total, 0, "the prefix is not a word");
    // The index holds stems ("negotiations" as `negoti`): a prefix that cuts
    // into the stem's ending still finds every form.
    let r = env.search("negotiat*");
    assert_eq!(r.total, 14, "{:?}", paths(&r));
    assert_eq!(r.expansions.len(), 1);
    assert_eq!(r.expansions[0].pattern, "negotiat*");
    // Case does not matter; a field narrows it.
    assert_eq!(env.search("HALVOR*").total, 13);
    assert_eq!(env.search("title:halvor*").total, 12);
    assert_eq!(env.search("title:kuwai*").total, 2);
    // Excluded, as a word is.
    assert_eq!(env.search("ferry -halvors*").total, 1);
}

#[test]
fn a_short_prefix_is_bounded_and_says_so() {
    let env = Env::new();
    let r = env.search("zqword*");
    assert_eq!(r.total, 1);
    let e = &r.expansions[0];
    assert_eq!(e.matched, MAX_PREFIX_WORDS + 20);
    assert_eq!(e.words.len(), MAX_PREFIX_WORDS);
    assert!(e.truncated());
    let out = env.cmd().args(["search", "zqword*"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "zqword* matches {} words; searched the {MAX_PREFIX_WORDS} most frequent",
            MAX_PREFIX_WORDS + 20
        )),
        "{stdout}"
    );
    // One letter is refused, with the reason.
    let out = env.cmd().args(["search", "z*"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too short a prefix"));
}

#[test]
fn a_near_spelling_finds_the_word_and_ranks_the_exact_one_first() {
    let env = Env::new();
    // One edit away: Halvorsen (12) and Halvorson (1) are both found.
    let r = env.search("Halvorson~");
    assert_eq!(r.total, 13, "{:?}", paths(&r));
    assert_eq!(paths(&r)[0], "typo.txt", "the spelling typed ranks first");
    assert_eq!(env.search("Halvorson~1").total, 13);
    assert_eq!(env.search("Halvorson").total, 1);
    // Two edits: "Halvarsan" is two letters from "Halvorsen".
    assert_eq!(env.search("Halvarsan~1").total, 0);
    assert_eq!(env.search("Halvarsan~2").total, 13);
    for (q, says) in [
        ("Halvorson~3", "at most ~2"),
        ("ab~", "3 letters or more"),
        ("u.s~", "one word"),
    ] {
        let out = env.cmd().args(["search", q]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{q}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{q}: {stderr}");
    }
}

#[test]
fn a_query_that_finds_little_suggests_the_common_spelling() {
    let env = Env::new();
    // The library.
    let r = env.search("Halvorsan");
    assert_eq!(r.total, 0);
    let s = r.suggestion.expect("a suggestion");
    assert_eq!(s.query, "Halvorsen");
    assert_eq!(s.total, 12);
    assert_eq!(
        (s.changes[0].from.as_str(), s.changes[0].to.as_str()),
        ("Halvorsan", "Halvorsen")
    );
    // A name the archive has is respelt only for one 50 times as common:
    // a rare name is as likely right.
    let r = env.search("Halvorson");
    assert_eq!(r.total, 1);
    assert!(r.suggestion.is_none(), "{:?}", r.suggestion);
    // The word's case and the rest of the query are kept.
    let s = env.search("halvorsan rates").suggestion.unwrap();
    assert_eq!(s.query, "halvorsen rates");
    assert_eq!(s.total, 1);
    // A query that finds plenty gets none; nor does a phrase.
    assert!(env.search("Halvorsen").suggestion.is_none());
    assert!(env.search("\"Halvorsan spoke\"").suggestion.is_none());
    // The command line, in words and in JSON.
    let out = env.cmd().args(["search", "Halvorsan"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("no matches for Halvorsan; did you mean: Halvorsen (12 articles)"),
        "{stdout}"
    );
    let out = env
        .cmd()
        .args(["search", "--json", "Halvorsan"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["suggestion"]["query"], "Halvorsen");
    assert_eq!(v["suggestion"]["total"], 12);
    assert_eq!(v["suggestion"]["changes"][0]["from"], "Halvorsan");
}

#[test]
fn a_semicolon_or_comma_between_words_separates_them() {
    let env = Env::new();
    let spaced = env.search("kuwait ferry").total;
    assert_eq!(spaced, 2);
    for q in [
        "kuwait;ferry",
        "kuwait,ferry",
        "kuwait; ferry",
        "kuwait，ferry",
    ] {
        assert_eq!(env.search(q).total, spaced, "{q}");
    }
    // Between digits it stays one number, as indexed.
    assert_eq!(env.search("1,000").total, 1);
    assert_eq!(env.search("\"1,000 krone\"").total, 1);
}

#[test]
fn a_query_error_points_at_the_fault() {
    let env = Env::new();
    let err = |q: &str| {
        let out = env.cmd().args(["search", "--", q]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{q}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert_eq!(
        err("(opec prices"),
        "byline: error: invalid query: this `(` is not closed; add a `)` after the words it groups\n  (opec prices\n  ^\n"
    );
    assert_eq!(
        err("opec OR"),
        "byline: error: invalid query: nothing after OR; add a word, as in `opec OR iran`, or remove the OR\n  opec OR\n       ^\n"
    );
    assert!(err("opec prices)").contains("this `)` closes no `(`"));
    // A pasted paragraph: only the part around the fault is quoted.
    let long = format!("{} (opec {}", "word ".repeat(60), "more ".repeat(60));
    let said = err(&long);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 3, "{said}");
    assert!(lines[1].chars().count() < 70, "{said}");
    assert!(
        lines[1].starts_with("  …") && lines[1].ends_with('…'),
        "{said}"
    );
    let caret = lines[2].chars().count() - 1;
    assert_eq!(lines[1].chars().nth(caret), Some('('), "{said}");
}

#[test]
fn the_corpus_is_what_the_tests_above_assume() {
    let env = Env::new();
    assert_eq!(std::fs::read_dir(&env.corpus).unwrap().count(), 15);
}

/// An archive of `files` (name, text), indexed.
fn archive_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Archive) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (name, text) in files {
        write(&corpus, name, text);
    }
    let archive = Archive::open_or_create(tmp.path().join("index")).unwrap();
    archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    (tmp, archive)
}

#[test]
fn accents_are_found_either_way_and_the_spelling_typed_ranks_first() {
    let (_tmp, archive) = archive_of(&[
        (
            "accented.txt",
            "Sánchez backs the dockers\n\nPublished 2025-05-02\n\nThe port director Begoña Sánchez said the grèves at Valencia had ended.\n",
        ),
        (
            "plain.txt",
            "Sanchez backs the pilots\n\nPublished 2025-05-03\n\nThe port director Begona Sanchez said the strikes had ended.\n",
        ),
    ]);
    let files = |q: &str| {
        let r = archive.search(&SearchRequest::new(q).limit(5)).unwrap();
        paths(&r)
    };
    assert_eq!(files("Sánchez"), ["accented.txt", "plain.txt"]);
    assert_eq!(files("Sanchez")[0], "plain.txt");
    assert_eq!(files("Sanchez").len(), 2);
    assert_eq!(files("SANCHEZ").len(), 2);
    assert_eq!(files("Begoña").len(), 2);
    // Inflected and unaccented: "grèves" is indexed as `greve` too.
    assert_eq!(files("greve"), ["accented.txt"]);
    assert_eq!(files("grève"), ["accented.txt"]);
    // A phrase without the accents finds both spellings.
    assert_eq!(files("\"begona sanchez\"").len(), 2);
    // The snippet marks the word as the article spells it.
    let r = archive
        .search(&SearchRequest::new("sanchez").limit(5))
        .unwrap();
    for hit in &r.hits {
        let marked: Vec<&str> = hit
            .snippet
            .highlights
            .iter()
            .map(|&(s, e)| &hit.snippet.text[s..e])
            .collect();
        assert!(
            marked.iter().all(|m| *m == "Sánchez" || *m == "Sanchez"),
            "{marked:?}"
        );
        assert!(!marked.is_empty());
    }
}

/// An archive of a few words, each in `n` articles.
fn archive_of_words(words: &[(&str, usize)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let mut k = 0;
    for (word, n) in words {
        for _ in 0..*n {
            k += 1;
            write(
                &corpus,
                &format!("a{k:03}.txt"),
                &format!(
                    "Report number {k} from the harbour\n\nPublished 2025-05-{:02}\n\nThe council discussed {word} at length on day {k}, and {word} came up again later.\n",
                    1 + k % 28
                ),
            );
        }
    }
    let index = tmp.path().join("index");
    Archive::open_or_create(&index)
        .unwrap()
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    (tmp, index)
}

#[test]
fn did_you_mean_takes_the_nearest_word_and_leaves_right_words_alone() {
    let (_tmp, index) = archive_of_words(&[
        ("the economy", 12),
        ("the economic outlook", 14),
        ("Labour", 12),
        ("about", 20),
        ("lives", 60),
        ("liver", 1),
        ("a person", 60),
        ("Persson", 1),
    ]);
    let suggestion = |q: &str| {
        Archive::open(&index)
            .unwrap()
            .search(&SearchRequest::new(q))
            .unwrap()
            .suggestion
            .map(|s| s.query)
    };
    // One edit beats two, however frequent the two.
    assert_eq!(suggestion("economoy").as_deref(), Some("economy"));
    // A typo seldom changes the first letter.
    assert_eq!(suggestion("Labout").as_deref(), Some("Labour"));
    // Words the archive has are not respelt as common words.
    assert_eq!(suggestion("liver"), None);
    assert_eq!(suggestion("Persson"), None);
}

#[test]
fn near_spellings_are_counted_on_words_not_stems() {
    let (_tmp, index) =
        archive_of_words(&[("the government", 12), ("over", 12), ("the election", 10)]);
    let search = |q: &str| {
        Archive::open(&index)
            .unwrap()
            .search(&SearchRequest::new(q).limit(20))
            .unwrap()
    };
    // "goverment" stems to `gover`, one edit from `over`: the words are
    // five apart, so `over` is not taken.
    let r = search("goverment~");
    assert_eq!(r.total, 12, "{:?}", r.expansions);
    assert_eq!(search("goverment").suggestion.unwrap().query, "government");
    // Stems cut further than the words: "governmnet" is one swap from
    // "government", whose stem `govern` is four edits from the word.
    assert_eq!(search("governmnet~").total, 12);
    // A whole word before the star finds at least what the word finds.
    assert_eq!(search("government*").total, 12);
    // "electon" and "election" are one edit apart, their stems two.
    assert_eq!(search("electon~").total, 10);
    assert_eq!(search("electon").suggestion.unwrap().query, "election");
    // A reversed pair of dates is an error, not an empty search.
    let err = Archive::open(&index)
        .unwrap()
        .search(&SearchRequest::new("since:2026-04 until:2026-03"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("leave no day"), "{err}");
}
