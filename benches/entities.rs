//! Entity extraction: quality against a hand-annotated set, and speed.
//!
//! ```text
//! cargo bench --bench entities            # needs ../shared/corpora/bbc
//! BYLINE_BBC=/path/to/bbc cargo bench --bench entities
//! ```
//!
//! Quality: `eval/quality/bbc-entities.jsonl` holds every person,
//! organisation and place mention of 45 BBC articles (by path and byte span;
//! see `eval/quality/README.md`). A predicted mention counts when its span and
//! type are exactly those annotated. Reported: precision, recall and F1 per
//! type and for all three together, and the most common misses and false
//! alarms; the same for the development set (`bbc-entities-dev.jsonl`, 25
//! more articles for tuning); then the totals alone on the held-out set
//! (`eval/quality/bbc-entities-heldout.jsonl`, 25 other articles annotated
//! after the rules were tuned, never used for tuning). Then the totals on the
//! wire set (`eval/quality/wire-entities.jsonl`, 40 wire-style stories of
//! other decades and styles, kept in `eval/quality/wire/`; held out, except
//! as `eval/quality/README.md` tells): it is in the repository, so it is scored even without the BBC
//! corpus. Speed: extraction alone over all 2,225 articles on one core, in MB/s.
//!
//! `BYLINE_EXTRACT_PASSES=N` times N passes instead of 5 (long enough to
//! profile); `BYLINE_ENTITY_DUMP=FILE` writes every article's entities, to
//! check that a change meant to be faster changes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use byline::enrich::entities;
use byline::EntityKind;

#[derive(serde::Deserialize)]
struct Gold {
    path: String,
    mentions: Vec<GoldMention>,
}

#[derive(serde::Deserialize)]
struct GoldMention {
    #[serde(rename = "type")]
    kind: String,
    start: usize,
    end: usize,
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = std::env::var("BYLINE_BBC")
        .map(PathBuf::from)
        .unwrap_or_else(|_| manifest.join("../shared/corpora/bbc"));
    let have_bbc = root.exists();
    let mut main_f1 = None;
    if have_bbc {
        main_f1 = Some(score_set(
            &root,
            &manifest.join("eval/quality/bbc-entities.jsonl"),
            "BBC articles",
            true,
        ));
        // The development set: 25 more articles, annotated without the
        // extractor, for tuning rules on text the main set does not hold.
        score_set(
            &root,
            &manifest.join("eval/quality/bbc-entities-dev.jsonl"),
            "BBC articles",
            true,
        );
        // The held-out set was annotated after the rules were tuned on the
        // main set; only its totals are printed, so that tuning cannot peek
        // at it.
        score_set(
            &root,
            &manifest.join("eval/quality/bbc-entities-heldout.jsonl"),
            "BBC articles",
            false,
        );
    } else {
        eprintln!(
            "entities bench: {} not found; set BYLINE_BBC (scoring the wire set only)",
            root.display()
        );
    }
    // The wire set: stories of other agencies, decades and layouts
    // (hard-wrapped lines, capital headlines and datelines), written for the
    // project and kept in it. A held-out check like the set above: totals
    // only, no floor.
    score_set(
        &manifest.join("eval/quality/wire"),
        &manifest.join("eval/quality/wire-entities.jsonl"),
        "wire stories",
        false,
    );
    // CI's quality gate: the F1 of all types on the main set.
    if let (Some(f1), Some(min)) = (
        main_f1,
        std::env::var("BYLINE_EVAL_MIN_F1")
            .ok()
            .and_then(|v| v.parse::<f64>().ok()),
    ) {
        if f1 < min {
            eprintln!("entities bench: F1 {f1:.3} on the main set is below {min}");
            std::process::exit(1);
        }
        println!("F1 {f1:.3} on the main set: at least {min}");
    }
    if !have_bbc {
        return;
    }

    // Speed: every article, one core.
    let texts: Vec<String> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| String::from_utf8_lossy(&std::fs::read(e.path()).expect("read")).into_owned())
        .collect();
    // A refactor that must not change what is found is checked by diffing
    // two dumps of every article's entities.
    if let Ok(dump) = std::env::var("BYLINE_ENTITY_DUMP") {
        let mut out = String::new();
        for (n, text) in texts.iter().enumerate() {
            for e in entities::extract(text) {
                let spans: Vec<String> = e
                    .mentions
                    .iter()
                    .map(|m| format!("{}-{}", m.start, m.end))
                    .collect();
                out.push_str(&format!(
                    "{n}\t{}\t{}\t{}\n",
                    e.kind.as_str(),
                    e.name,
                    spans.join(",")
                ));
            }
        }
        std::fs::write(&dump, out).expect("write the entity dump");
        println!("entities of {} articles written to {dump}", texts.len());
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut rates = Vec::new();
    let mut found = 0;
    // More passes make a run long enough to profile.
    let passes = std::env::var("BYLINE_EXTRACT_PASSES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(5)
        .max(1);
    for _ in 0..passes {
        let t = Instant::now();
        found = texts
            .iter()
            .map(|t| entities::extract(t).len())
            .sum::<usize>();
        rates.push(bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "extraction alone: {:.1} MB/s per core (median of {passes} passes over {} articles, {:.1} MB; {} entities)",
        rates[passes / 2],
        texts.len(),
        bytes as f64 / 1e6,
        found
    );
}

/// Scores extraction against one annotated set and prints precision, recall
/// and F1 per type; with `errors`, also the most common mistakes. Returns
/// the F1 of all types together.
fn score_set(root: &Path, set: &Path, what: &str, errors: bool) -> f64 {
    let gold_text = std::fs::read_to_string(set).expect("evaluation set");
    let mut articles = 0;
    // (type) -> [tp, fp, fn]
    let mut score: HashMap<String, [u64; 3]> = HashMap::new();
    let mut misses: HashMap<String, u64> = HashMap::new();
    let mut false_alarms: HashMap<String, u64> = HashMap::new();
    for line in gold_text.lines().filter(|l| !l.trim().is_empty()) {
        let gold: Gold = serde_json::from_str(line).expect("evaluation line");
        articles += 1;
        let text = std::fs::read_to_string(root.join(&gold.path)).expect("article");
        let want: HashMap<(usize, usize), &str> = gold
            .mentions
            .iter()
            .map(|m| ((m.start, m.end), m.kind.as_str()))
            .collect();
        let mut got: HashMap<(usize, usize), &str> = HashMap::new();
        // As `byline extract --plain` reads it: hard-wrapped lines joined
        // (the length kept, so gold spans still hold); BBC text is not wrapped.
        let unwrapped = byline::ingest::unwrap::unwrap(&text);
        for e in entities::extract(unwrapped.as_deref().unwrap_or(&text)) {
            for m in &e.mentions {
                got.insert((m.start, m.end), e.kind.as_str());
            }
        }
        for (span, kind) in &got {
            let s = score.entry(kind.to_string()).or_default();
            if want.get(span) == Some(kind) {
                s[0] += 1;
            } else {
                s[1] += 1;
                let label = match want.get(span) {
                    Some(k) => format!("{kind} (is {k}): {}", &text[span.0..span.1]),
                    None => format!("{kind}: {}", &text[span.0..span.1]),
                };
                *false_alarms.entry(label).or_default() += 1;
            }
        }
        for (span, kind) in &want {
            if got.get(span) != Some(kind) {
                score.entry(kind.to_string()).or_default()[2] += 1;
                *misses
                    .entry(format!("{kind}: {}", &text[span.0..span.1]))
                    .or_default() += 1;
            }
        }
    }
    let prf = |[tp, fp, fnn]: [u64; 3]| {
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fnn).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    };
    println!(
        "entity mentions, exact span and type, {articles} {what} ({})",
        set.file_name().unwrap_or_default().to_string_lossy()
    );
    println!(
        "{:<14} {:>9} {:>7} {:>7} {:>6}",
        "", "precision", "recall", "F1", "gold"
    );
    let mut all = [0u64; 3];
    for k in EntityKind::ALL {
        let s = score.get(k.as_str()).copied().unwrap_or_default();
        for i in 0..3 {
            all[i] += s[i];
        }
        let (p, r, f) = prf(s);
        println!(
            "{:<14} {p:>9.3} {r:>7.3} {f:>7.3} {:>6}",
            k.as_str(),
            s[0] + s[2]
        );
    }
    let (p, r, f) = prf(all);
    println!(
        "{:<14} {p:>9.3} {r:>7.3} {f:>7.3} {:>6}",
        "all",
        all[0] + all[2]
    );
    let top = |m: &HashMap<String, u64>| {
        let mut v: Vec<(&String, &u64)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.into_iter()
            .take(25)
            .map(|(k, n)| format!("{n}× {k}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if errors {
        println!("most common misses: {}", top(&misses));
        println!("most common false alarms: {}", top(&false_alarms));
    }
    f
}
