//! Trains byline's entity tagger: an averaged structured perceptron over
//! the features the crate computes (`byline::enrich::entities::training`),
//! so what is trained is what runs. Scores every evaluation set, for the
//! rules alone and for the model, and writes the weights the crate
//! compiles in.
//!
//! ```text
//! cargo run --release --example ner-train -- --data /tmp/ner-data \
//!     --train voa-train,written,bbc-main --eval wire,bbc-dev,gum-news,voa-test \
//!     [--epochs 12] [--seed 1] [--rule-scale 1] [--margin 0[,M...]] \
//!     [--out src/enrich/entities/tagger/weights.bin]
//! ```
//!
//! A set is `DATA/sets/NAME.jsonl`: one document a line, `{"id", "file",
//! "mentions": [{"type", "start", "end"}]}`, spans in bytes of the file.
//! `tools/ner/train-rust.sh` builds the sets and runs this.

// Loops over tag indices read as the matrices they update.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;
use std::path::PathBuf;

use byline::enrich::entities::training::{
    self, may_follow, viterbi, Allowed, Model, Scores, Segment, RULE_KEY, TAGS,
};
use byline::EntityKind;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

#[derive(serde::Deserialize)]
struct Doc {
    id: String,
    file: PathBuf,
    mentions: Vec<GoldMention>,
}

#[derive(serde::Deserialize)]
struct GoldMention {
    #[serde(rename = "type")]
    kind: String,
    start: usize,
    end: usize,
}

type Span = (usize, usize, EntityKind);

fn kind(s: &str) -> Option<EntityKind> {
    match s {
        "person" => Some(EntityKind::Person),
        "organization" | "organisation" => Some(EntityKind::Organization),
        "place" => Some(EntityKind::Place),
        _ => None,
    }
}

/// A set's documents: text as the extractor reads it (unwrapped), gold spans.
fn load(data: &std::path::Path, name: &str) -> Vec<(String, String, Vec<Span>)> {
    let path = data.join("sets").join(format!("{name}.jsonl"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let d: Doc = serde_json::from_str(l).expect("set line");
            let text = std::fs::read_to_string(&d.file)
                .unwrap_or_else(|e| panic!("{}: {e}", d.file.display()));
            let text = byline::ingest::unwrap::unwrap(&text).unwrap_or(text);
            let gold = d
                .mentions
                .iter()
                .filter_map(|m| Some((m.start, m.end, kind(&m.kind)?)))
                .collect();
            (d.id, text, gold)
        })
        .collect()
}

/// The perceptron being trained, with the sums for averaging.
struct Trainer {
    index: FxHashMap<u64, usize>,
    w: Vec<[f32; TAGS]>,
    u: Vec<[f64; TAGS]>,
    t: [[f32; TAGS]; TAGS],
    tu: [[f64; TAGS]; TAGS],
    c: f64,
}

impl Scores for Trainer {
    fn add(&self, key: u64, acc: &mut [f32; TAGS]) {
        if let Some(&i) = self.index.get(&key) {
            for (a, w) in acc.iter_mut().zip(self.w[i]) {
                *a += w;
            }
        }
    }
    fn transition(&self, from: usize, to: usize) -> f32 {
        self.t[from][to]
    }
}

impl Trainer {
    fn new() -> Self {
        Trainer {
            index: FxHashMap::default(),
            w: Vec::new(),
            u: Vec::new(),
            t: [[0.0; TAGS]; TAGS],
            tu: [[0.0; TAGS]; TAGS],
            c: 1.0,
        }
    }

    fn bump(&mut self, key: u64, tag: usize, by: f32) {
        let n = self.w.len();
        let i = *self.index.entry(key).or_insert(n);
        if i == n {
            self.w.push([0.0; TAGS]);
            self.u.push([0.0; TAGS]);
        }
        self.w[i][tag] += by;
        self.u[i][tag] += self.c * by as f64;
    }

    fn update(&mut self, s: &Segment, pred: &[u8]) {
        for k in 0..s.gold.len() {
            let (g, p) = (s.gold[k] as usize, pred[k] as usize);
            if g != p {
                for &key in &s.keys[s.bounds[k] as usize..s.bounds[k + 1] as usize] {
                    self.bump(key, g, 1.0);
                    self.bump(key, p, -1.0);
                }
            }
        }
        // Transitions, with the outside tags before and after the segment.
        let path = |tags: &[u8]| {
            let mut v = vec![0usize];
            v.extend(tags.iter().map(|&t| t as usize));
            v.push(0);
            v
        };
        let (g, p) = (path(&s.gold), path(pred));
        for k in 1..g.len() {
            if (g[k - 1], g[k]) != (p[k - 1], p[k]) {
                self.t[g[k - 1]][g[k]] += 1.0;
                self.tu[g[k - 1]][g[k]] += self.c;
                self.t[p[k - 1]][p[k]] -= 1.0;
                self.tu[p[k - 1]][p[k]] -= self.c;
            }
        }
    }

    /// The averaged weights, zero rows dropped.
    fn average(self) -> Averaged {
        let c = self.c;
        let mut index = FxHashMap::default();
        let mut w = Vec::new();
        for (&key, &i) in &self.index {
            let mut row = [0f32; TAGS];
            for t in 0..TAGS {
                row[t] = (self.w[i][t] as f64 - self.u[i][t] / c) as f32;
            }
            if row.iter().any(|x| x.abs() > 1e-6) {
                index.insert(key, w.len());
                w.push(row);
            }
        }
        let mut t = [[0f32; TAGS]; TAGS];
        for a in 0..TAGS {
            for b in 0..TAGS {
                t[a][b] = (self.t[a][b] as f64 - self.tu[a][b] / c) as f32;
            }
        }
        Averaged { index, w, t }
    }
}

struct Averaged {
    index: FxHashMap<u64, usize>,
    w: Vec<[f32; TAGS]>,
    t: [[f32; TAGS]; TAGS],
}

impl Scores for Averaged {
    fn add(&self, key: u64, acc: &mut [f32; TAGS]) {
        if let Some(&i) = self.index.get(&key) {
            for (a, w) in acc.iter_mut().zip(self.w[i]) {
                *a += w;
            }
        }
    }
    fn transition(&self, from: usize, to: usize) -> f32 {
        self.t[from][to]
    }
}

#[derive(Default, Clone, Copy)]
struct Count {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Count {
    fn prf(&self) -> (f64, f64, f64) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

fn score(
    docs: &[(String, String, Vec<Span>)],
    find: impl Fn(&str) -> Vec<Span> + Sync,
) -> [Count; 4] {
    let per_doc: Vec<[Count; 4]> = docs
        .par_iter()
        .map(|(_, text, gold)| {
            let got = find(text);
            let mut c = [Count::default(); 4];
            let ix = |k: EntityKind| match k {
                EntityKind::Person => 0,
                EntityKind::Organization => 1,
                EntityKind::Place => 2,
            };
            for s in &got {
                if gold.contains(s) {
                    c[ix(s.2)].tp += 1;
                } else {
                    c[ix(s.2)].fp += 1;
                }
            }
            for s in gold {
                if !got.contains(s) {
                    c[ix(s.2)].fn_ += 1;
                }
            }
            c
        })
        .collect();
    let mut total = [Count::default(); 4];
    for c in per_doc {
        for k in 0..3 {
            total[k].tp += c[k].tp;
            total[k].fp += c[k].fp;
            total[k].fn_ += c[k].fn_;
            total[3].tp += c[k].tp;
            total[3].fp += c[k].fp;
            total[3].fn_ += c[k].fn_;
        }
    }
    total
}

fn row(set: &str, who: &str, c: &[Count; 4]) -> String {
    let cell = |c: &Count| {
        let (p, r, f) = c.prf();
        format!("{p:.3} / {r:.3} / {f:.3}")
    };
    let (_, _, f) = c[3].prf();
    format!(
        "| {set} | {who} | {} | {} | {} | {} **{f:.3}** |",
        cell(&c[0]),
        cell(&c[1]),
        cell(&c[2]),
        cell(&c[3])
    )
}

fn main() {
    let mut args: HashMap<String, String> = HashMap::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        if let Some(k) = a.strip_prefix("--") {
            args.insert(k.to_string(), it.next().unwrap_or_default());
        }
    }
    let data = PathBuf::from(args.get("data").map_or("/tmp/ner-data", |s| s.as_str()));
    let epochs: usize = args
        .get("epochs")
        .map_or(12, |s| s.parse().expect("--epochs"));
    let seed: u64 = args.get("seed").map_or(1, |s| s.parse().expect("--seed"));
    let train_sets = args.get("train").cloned().unwrap_or_default();
    // The margin by which the model must beat the rules to overrule them;
    // several are scored, the first is written.
    let margins: Vec<f32> = args
        .get("margin")
        .map_or("0", |s| s.as_str())
        .split(',')
        .map(|m| m.parse().expect("--margin"))
        .collect();
    let eval_sets = args.get("eval").cloned().unwrap_or_default();

    let t0 = std::time::Instant::now();
    let mut segs: Vec<Segment> = Vec::new();
    let (mut unreachable, mut mentions, mut dropped) = (0, 0, 0);
    for name in train_sets.split(',').filter(|s| !s.is_empty()) {
        let docs = load(&data, name);
        let prepared: Vec<(Vec<Segment>, usize, usize)> = docs
            .par_iter()
            .map(|(_, text, gold)| {
                let (s, u) = training::segments(text, gold);
                (s, u, gold.len())
            })
            .collect();
        for (s, u, m) in prepared {
            // A gold name across a word the decoder keeps outside can never
            // be reached; updating towards it would only skew the weights.
            let reachable = |g: &Segment| {
                !g.gold.iter().zip(&g.allowed).any(|(&t, &a)| {
                    a == Allowed::Outside && t != 0
                        || a == Allowed::NoInside && t != 0 && t % 2 == 0
                        || a == Allowed::Inside && t % 2 == 1
                })
            };
            let before = segs.len() + s.len();
            segs.extend(s.into_iter().filter(reachable));
            dropped += before - segs.len();
            unreachable += u;
            mentions += m;
        }
        eprintln!("{name}: {} documents", docs.len());
    }
    let tokens: usize = segs.iter().map(|s| s.gold.len()).sum();
    eprintln!(
        "{} segments ({dropped} left out: gold against the rules' constraints), {tokens} tokens; \
         {unreachable} of {mentions} gold mentions outside any segment; {:.1}s",
        segs.len(),
        t0.elapsed().as_secs_f64()
    );

    let mut m = Trainer::new();
    let mut order: Vec<usize> = (0..segs.len()).collect();
    let mut rng = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut pred = Vec::new();
    let mut em = Vec::new();
    for epoch in 1..=epochs {
        // Fisher-Yates with xorshift: the same seed gives the same model.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut errors = 0;
        for &k in &order {
            let s = &segs[k];
            viterbi(&m, &s.keys, &s.bounds, &s.allowed, &mut em, &mut pred);
            if pred != s.gold {
                errors += pred.iter().zip(&s.gold).filter(|(a, b)| a != b).count();
                m.update(s, &pred);
            }
            m.c += 1.0;
        }
        eprintln!("epoch {epoch}: {errors} token errors of {tokens}");
    }
    let mut model = m.average();
    // The rules are better on news like the BBC's than on the training
    // text; a scale over 1 trusts them more (chosen on bbc-dev).
    let rule_scale: f32 = args
        .get("rule-scale")
        .map_or(1.0, |s| s.parse().expect("--rule-scale"));
    // Features whose weights barely differ from the outside tag's change
    // few decisions and cost a slot in a table that should fit the cache.
    let prune: f32 = args
        .get("prune")
        .map_or(0.0, |s| s.parse().expect("--prune"));
    if prune > 0.0 {
        let keep: Vec<(u64, [f32; TAGS])> = model
            .index
            .iter()
            .map(|(&k, &i)| (k, model.w[i]))
            .filter(|(_, w)| w[1..].iter().any(|x| (x - w[0]).abs() >= prune))
            .collect();
        model.index = keep.iter().enumerate().map(|(i, &(k, _))| (k, i)).collect();
        model.w = keep.into_iter().map(|(_, w)| w).collect();
        eprintln!("{} features after pruning at {prune}", model.w.len());
    }
    for (&k, &i) in &model.index {
        if k & RULE_KEY != 0 {
            for w in &mut model.w[i] {
                *w *= rule_scale;
            }
        }
    }
    debug_assert!(may_follow(1, 2));
    eprintln!(
        "{} features, trained in {:.1}s",
        model.w.len(),
        t0.elapsed().as_secs_f64()
    );

    println!("| set | tagger | person P / R / F1 | organisation P / R / F1 | place P / R / F1 | micro P / R / F1 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for name in eval_sets.split(',').filter(|s| !s.is_empty()) {
        let docs = load(&data, name);
        let rules = score(&docs, training::rule_spans);
        println!("{}", row(name, "rules", &rules));
        for &margin in &margins {
            let learned = score(&docs, |t| training::spans(&model, margin, t));
            println!(
                "{}",
                row(name, &format!("learned, margin {margin}"), &learned)
            );
        }
        if args.contains_key("variants") {
            let overlaps = |a: &Span, b: &Span| a.0 < b.1 && b.0 < a.1;
            let d = score(&docs, |t| {
                let r = training::rule_spans(t);
                let m = training::spans(&model, margins[0], t);
                let mut out = r.clone();
                out.extend(m.into_iter().filter(|x| !r.iter().any(|y| overlaps(x, y))));
                out
            });
            println!("{}", row(name, "rules+model", &d));
            let e = score(&docs, |t| {
                let r = training::rule_spans(t);
                let m = training::spans(&model, margins[0], t);
                let mut out = m.clone();
                out.extend(r.into_iter().filter(|x| !m.iter().any(|y| overlaps(x, y))));
                out
            });
            println!("{}", row(name, "model+rules", &e));
        }
        if args.get("errors").is_some_and(|e| e == name) {
            for (id, text, gold) in &docs {
                let got = training::spans(&model, margins[0], text);
                // Where the rules were right and the model is not.
                let rules = training::rule_spans(text);
                for s in gold
                    .iter()
                    .filter(|s| rules.contains(s) && !got.contains(s))
                {
                    eprintln!("{id}\tLOST {:?}\t{}", s.2, &text[s.0..s.1]);
                }
                for s in got
                    .iter()
                    .filter(|s| !gold.contains(s) && !rules.contains(s))
                {
                    eprintln!("{id}\tNEW-FP {:?}\t{}", s.2, &text[s.0..s.1]);
                }
                for s in got.iter().filter(|s| !gold.contains(s)) {
                    eprintln!("{id}\tFP {:?}\t{}", s.2, &text[s.0..s.1]);
                }
                for s in gold.iter().filter(|s| !got.contains(s)) {
                    eprintln!("{id}\tFN {:?}\t{}", s.2, &text[s.0..s.1]);
                }
            }
        }
    }

    if let Some(out) = args.get("out") {
        let mut weights: Vec<(u64, [f32; TAGS])> =
            model.index.iter().map(|(&k, &i)| (k, model.w[i])).collect();
        weights.sort_by_key(|&(k, _)| k);
        let bytes = Model::write(&model.t, &weights, margins[0]);
        std::fs::write(out, &bytes).expect("writing the model");
        eprintln!(
            "wrote {out}: {} features, {:.1} MB",
            weights.len(),
            bytes.len() as f64 / 1e6
        );
    }
}
