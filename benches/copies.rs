//! Copies of one story: precision and recall of `Likeness::same_story` on
//! labelled pairs, and how often the bands put a pair up for comparison.
//!
//! ```text
//! cargo bench --bench copies                 # needs ../shared/corpora/bbc
//! BYLINE_BBC=/path/to/bbc cargo bench --bench copies
//! BYLINE_COPIES_MIN=0.95,0.90 cargo bench --bench copies   # fail below
//! ```
//!
//! Two sets of pairs, both over the BBC folder read as byline reads it:
//!
//! - `eval/copies/bbc-pairs.jsonl`: pairs of BBC articles labelled copy or
//!   not by reading them (see `eval/copies/README.md`): the folder's own
//!   copies, and different stories that share words.
//! - Pairs generated here from every fifth article: the same body under a
//!   new headline; trimmed to its first 60-80% of paragraphs; cut to its
//!   first 25-50% (a wire story run short); with a
//!   paragraph of another article added; corrected (one word in 60 changed);
//!   hard-wrapped at 64 columns. Against them, different stories: two
//!   articles of one category both ending in the same long footer, and
//!   pairs drawn from one category and from the whole folder.
//!
//! Reported: precision and recall of "same story" over each set and all
//! pairs, recall per kind of copy, the share of copies whose signatures
//! share a band (found by the index's candidate search) and the share of
//! different stories that do (compared for nothing).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use byline::enrich::copies::{Likeness, Signature};

#[derive(serde::Deserialize)]
struct Labelled {
    a: String,
    b: String,
    copy: bool,
    kind: String,
}

/// A pair to judge: the two texts' signatures, the truth, and its kind.
struct Pair {
    a: Signature,
    b: Signature,
    copy: bool,
    kind: String,
    set: &'static str,
}

/// The footer two different stories share: written for this bench, about
/// the length of a newsletter or syndication notice.
const FOOTER: &str = "This report is part of our regional desk's daily coverage. \
Readers can sign up to receive the morning briefing by email, follow the desk \
on social media for live updates through the day, and send tips or \
corrections to the newsroom at any hour. Archive material quoted in this \
piece is used with the permission of its owners, and photographs are \
credited where they appear. Comments on this article are moderated and \
may take some time to appear.";

/// A small deterministic generator (xorshift64*), so that every run judges
/// the same pairs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Doc {
    rel: String,
    title: String,
    category: String,
    standfirst: String,
    body: String,
}

impl Doc {
    fn text(&self) -> String {
        format!("{}\n\n{}", self.standfirst, self.body)
    }
    fn paragraphs(&self) -> Vec<&str> {
        self.body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .collect()
    }
}

fn sig(title: &str, text: &str) -> Option<Signature> {
    Signature::of_headed(title, text)
}

fn read_bbc(root: &Path) -> Vec<Doc> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok((articles, _)) = byline::ingest::read_path(&f) else {
            continue;
        };
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for a in articles {
            out.push(Doc {
                title: a.title,
                category: rel.split('/').next().unwrap_or("").to_string(),
                rel: rel.clone(),
                standfirst: a.standfirst,
                body: a.body,
            });
        }
    }
    out
}

/// Hard-wraps text at `width` columns, as wire copy is.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let mut col = 0;
        for w in para.split_whitespace() {
            if col > 0 && col + 1 + w.len() > width {
                out.push('\n');
                col = 0;
            } else if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(w);
            col += w.len();
        }
        out.push_str("\n\n");
    }
    out
}

fn generated(docs: &[Doc], rng: &mut Rng) -> Vec<Pair> {
    let mut out = Vec::new();
    // Each side a (headline, text).
    let mut push = |(ta, a): (&str, &str), (tb, b): (&str, &str), copy: bool, kind: &str| {
        if let (Some(a), Some(b)) = (sig(ta, a), sig(tb, b)) {
            out.push(Pair {
                a,
                b,
                copy,
                kind: kind.to_string(),
                set: "generated",
            });
        }
    };
    let by_category: HashMap<&str, Vec<usize>> =
        docs.iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, d)| {
                m.entry(d.category.as_str())
                    .or_insert_with(Vec::new)
                    .push(i);
                m
            });
    for (i, d) in docs.iter().enumerate().step_by(5) {
        let text = d.text();
        let paras = d.paragraphs();
        if paras.len() < 4 {
            continue;
        }
        let t = d.title.as_str();
        let other = &docs[(i + 1 + rng.below(docs.len() - 1)) % docs.len()];
        // The same body under a new headline.
        push((t, &text), (&other.title, &text), true, "new headline");
        // Trimmed to its first 60-80% of paragraphs.
        let keep = (paras.len() * (60 + rng.below(21)) / 100).max(2);
        let trimmed = format!("{}\n\n{}", d.standfirst, paras[..keep].join("\n\n"));
        push((t, &text), (t, &trimmed), true, "trimmed");
        // Cut to its top: the first 25-50% of its paragraphs (at least one).
        let top = (paras.len() * (25 + rng.below(26)) / 100).max(1);
        let cut = format!("{}\n\n{}", d.standfirst, paras[..top].join("\n\n"));
        push((t, &text), (t, &cut), true, "cut to the top");
        // A paragraph of another article added at the end.
        let extra = other
            .paragraphs()
            .into_iter()
            .max_by_key(|p| p.len())
            .unwrap_or("");
        let added = format!("{text}\n\n{extra}");
        push((t, &text), (t, &added), true, "paragraph added");
        // Corrected: one word in 60 changed.
        let corrected: Vec<String> = text
            .split(' ')
            .enumerate()
            .map(|(k, w)| {
                if k % 60 == 30 {
                    format!("{w}s")
                } else {
                    w.to_string()
                }
            })
            .collect();
        push((t, &text), (t, &corrected.join(" ")), true, "corrected");
        // Hard-wrapped.
        push((t, &text), (t, &wrap(&text, 64)), true, "wrapped");
        // Different stories of one category that end in the same footer.
        let same = &by_category[d.category.as_str()];
        let j = same[rng.below(same.len())];
        if docs[j].body != d.body {
            let a = format!("{text}\n\n{FOOTER}");
            let b = format!("{}\n\n{FOOTER}", docs[j].text());
            push((t, &a), (&docs[j].title, &b), false, "shared footer");
            // Two items of a paragraph each under the same long footer (a
            // press-release feed), and one of them under a new headline.
            let short = |d: &Doc| format!("{}\n\n{FOOTER}", d.paragraphs()[0]);
            if !docs[j].paragraphs().is_empty() && docs[j].paragraphs()[0] != paras[0] {
                let (a, b) = (short(d), short(&docs[j]));
                push(
                    (t, &a),
                    (&docs[j].title, &b),
                    false,
                    "short items, one footer",
                );
                push(
                    (t, &a),
                    (&other.title, &a),
                    true,
                    "short item, new headline",
                );
            }
        }
        let j = same[rng.below(same.len())];
        if docs[j].body != d.body {
            push(
                (t, &text),
                (&docs[j].title, &docs[j].text()),
                false,
                "same category",
            );
        }
        let j = rng.below(docs.len());
        if docs[j].body != d.body {
            push(
                (t, &text),
                (&docs[j].title, &docs[j].text()),
                false,
                "random",
            );
        }
    }
    out
}

fn labelled(docs: &[Doc], path: &Path) -> Vec<Pair> {
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!(
            "{}: not found; the labelled BBC pairs are skipped",
            path.display()
        );
        return Vec::new();
    };
    let by_path: HashMap<&str, &Doc> = docs.iter().map(|d| (d.rel.as_str(), d)).collect();
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let l: Labelled = match serde_json::from_str(line) {
            Ok(l) => l,
            Err(e) => panic!("{}:{}: {e}", path.display(), n + 1),
        };
        let (Some(a), Some(b)) = (by_path.get(l.a.as_str()), by_path.get(l.b.as_str())) else {
            eprintln!(
                "{}:{}: {} or {} not in the folder",
                path.display(),
                n + 1,
                l.a,
                l.b
            );
            continue;
        };
        if let (Some(sa), Some(sb)) = (sig(&a.title, &a.text()), sig(&b.title, &b.text())) {
            out.push(Pair {
                a: sa,
                b: sb,
                copy: l.copy,
                kind: l.kind,
                set: "labelled",
            });
        }
    }
    out
}

/// Precision, recall, and the counts behind them.
fn score(pairs: &[&Pair]) -> (f64, f64, usize, usize, usize) {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for p in pairs {
        match (p.a.likeness(&p.b).same_story(), p.copy) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    (precision, recall, tp, fp, fn_)
}

fn banded(p: &Pair) -> bool {
    p.a.candidate_keys()
        .iter()
        .zip(p.b.candidate_keys().iter())
        .any(|(x, y)| x == y)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let root = std::env::var_os("BYLINE_BBC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpora/bbc"));
    if !root.is_dir() {
        eprintln!("{}: no BBC folder; nothing to measure", root.display());
        return;
    }
    let docs = read_bbc(&root);
    // What a signature costs: every article's, five times over.
    let texts: Vec<String> = docs.iter().map(Doc::text).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut runs = Vec::new();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let n = texts.iter().filter_map(|t| Signature::of(t)).count();
        runs.push(t.elapsed().as_secs_f64());
        std::hint::black_box(n);
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "signatures: {:.0} MB/s per core (median of 5 passes over {} articles, {:.1} MB)",
        bytes as f64 / 1e6 / runs[2],
        texts.len(),
        bytes as f64 / 1e6
    );
    let mut rng = Rng(0x5eed_c0de_2026_1206);
    let mut pairs = labelled(&docs, Path::new("eval/copies/bbc-pairs.jsonl"));
    pairs.extend(generated(&docs, &mut rng));

    println!("{} articles; {} pairs", docs.len(), pairs.len());
    println!(
        "{:<28} {:>6} {:>6} {:>9} {:>7} {:>7}",
        "set", "pairs", "copies", "precision", "recall", "banded"
    );
    let mut all = (0.0, 0.0);
    for set in ["labelled", "generated", "all"] {
        let these: Vec<&Pair> = pairs
            .iter()
            .filter(|p| set == "all" || p.set == set)
            .collect();
        if these.is_empty() {
            continue;
        }
        let (p, r, ..) = score(&these);
        let copies: Vec<&&Pair> = these.iter().filter(|p| p.copy).collect();
        let banded_share =
            copies.iter().filter(|p| banded(p)).count() as f64 / copies.len().max(1) as f64;
        println!(
            "{set:<28} {:>6} {:>6} {p:>9.3} {r:>7.3} {banded_share:>7.3}",
            these.len(),
            copies.len()
        );
        if set == "all" {
            all = (p, r);
        }
    }
    println!("\nby kind (share judged the same story; share sharing a band):");
    let mut kinds: Vec<(&str, &str)> = pairs.iter().map(|p| (p.set, p.kind.as_str())).collect();
    kinds.sort();
    kinds.dedup();
    for (set, kind) in kinds {
        let these: Vec<&Pair> = pairs
            .iter()
            .filter(|p| p.set == set && p.kind == kind)
            .collect();
        let same = these
            .iter()
            .filter(|p| p.a.likeness(&p.b).same_story())
            .count();
        let band = these.iter().filter(|p| banded(p)).count();
        let copies = these.iter().filter(|p| p.copy).count();
        let n = these.len() as f64;
        println!(
            "  {set:<10} {kind:<18} {:>4} pairs ({copies} copies): same {:.3}, banded {:.3}",
            these.len(),
            same as f64 / n,
            band as f64 / n
        );
    }
    // The mistakes, to see what the thresholds miss.
    let wrong: Vec<(&Pair, Likeness)> = pairs
        .iter()
        .map(|p| (p, p.a.likeness(&p.b)))
        .filter(|(p, l)| l.same_story() != p.copy)
        .collect();
    if !wrong.is_empty() {
        println!("\nmistakes (set, kind, truth, jaccard, containment):");
        for (p, l) in wrong.iter().take(30) {
            println!(
                "  {} {} copy={} J={:.3} C={:.3}",
                p.set, p.kind, p.copy, l.jaccard, l.containment
            );
        }
    }
    if let Ok(min) = std::env::var("BYLINE_COPIES_MIN") {
        let mut it = min
            .split(',')
            .map(|x| x.trim().parse::<f64>().unwrap_or(1.0));
        let (mp, mr) = (it.next().unwrap_or(1.0), it.next().unwrap_or(1.0));
        if all.0 < mp || all.1 < mr {
            eprintln!(
                "same-story precision {:.3} / recall {:.3} below the gate {mp} / {mr}",
                all.0, all.1
            );
            std::process::exit(1);
        }
    }
}
