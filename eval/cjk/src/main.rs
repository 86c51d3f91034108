//! Chinese search terms: byline's overlapping character bigrams against
//! jieba-rs word segmentation. See README.md.
//!
//! cjk-eval recall --corpus DIR --samples DIR --queries FILE [--detail FILE]
//! cjk-eval occurrences --corpus DIR --samples DIR --queries FILE
//! cjk-eval speed --corpus DIR --samples DIR [--mb 10] [--runs 5]
//! cjk-eval load      (one jieba dictionary load in this fresh process)
use jieba_rs::Jieba;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// byline's `stem::is_cjk`, copied: Han characters and kana.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007
        | 0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x2FA1F)
}

/// byline's tokens for `text`, as byline hands them out: each run of CJK
/// characters as its overlapping pairs (a run of one as itself), each other
/// run of alphanumerics as one word (byline then lowercases and stems it;
/// not needed here). Positions run on across runs, as in byline.
fn bigram_tokens<'a>(text: &'a str, mut emit: impl FnMut(&'a str)) {
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_cjk(c) {
            // Collect the run as byte offsets of its characters.
            let mut prev = i;
            let mut prev_end = i + c.len_utf8();
            let mut single = true;
            while let Some(&(j, d)) = it.peek() {
                if !is_cjk(d) {
                    break;
                }
                it.next();
                let end = j + d.len_utf8();
                emit(&text[prev..end]);
                single = false;
                prev = j;
                prev_end = end;
            }
            if single {
                emit(&text[i..prev_end]);
            }
        } else if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if !d.is_alphanumeric() || is_cjk(d) {
                    break;
                }
                it.next();
                end = j + d.len_utf8();
            }
            emit(&text[i..end]);
        }
    }
}

fn bigrams(text: &str) -> Vec<&str> {
    let mut v = Vec::new();
    bigram_tokens(text, |t| v.push(t));
    v
}

/// Whether a token is kept by an index: it has a letter or digit.
fn indexable(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

#[derive(Clone, Copy, PartialEq)]
enum Method {
    Bigram,
    JiebaCut,
    JiebaSearch,
    JiebaCutNoHmm,
}

impl Method {
    const ALL: [Method; 4] = [Method::Bigram, Method::JiebaCut, Method::JiebaSearch, Method::JiebaCutNoHmm];
    fn name(self) -> &'static str {
        match self {
            Method::Bigram => "bigrams (byline now)",
            Method::JiebaCut => "jieba cut, HMM",
            Method::JiebaSearch => "jieba cut_for_search, HMM",
            Method::JiebaCutNoHmm => "jieba cut, no HMM",
        }
    }
    fn tokens<'a>(self, j: &Jieba, text: &'a str) -> Vec<&'a str> {
        match self {
            Method::Bigram => bigrams(text),
            Method::JiebaCut => j.cut(text, true).into_iter().map(|t| t.word).filter(|w| indexable(w)).collect(),
            Method::JiebaSearch => {
                j.cut_for_search(text, true).into_iter().map(|t| t.word).filter(|w| indexable(w)).collect()
            }
            Method::JiebaCutNoHmm => {
                j.cut(text, false).into_iter().map(|t| t.word).filter(|w| indexable(w)).collect()
            }
        }
    }
}

/// Whether `q` occurs as a consecutive run of `doc` (a phrase query).
fn contains_seq(doc: &[&str], q: &[&str]) -> bool {
    !q.is_empty() && doc.windows(q.len()).any(|w| w == q)
}

struct Doc {
    name: String,
    text: String,
}

/// The text of one article: a `.txt` as it is; a `.json` as its title,
/// description, body and authors, one per line.
fn read_doc(path: &Path) -> String {
    let raw = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "json") {
        let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let mut s = String::new();
        for k in ["title", "description", "maintext"] {
            if let Some(t) = v[k].as_str() {
                s.push_str(t);
                s.push('\n');
            }
        }
        if let Some(a) = v["authors"].as_array() {
            for x in a.iter().filter_map(|x| x.as_str()) {
                s.push_str(x);
                s.push('\n');
            }
        }
        s
    } else {
        raw
    }
}

fn load_docs(corpus: &str, samples: &str) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (dir, prefix) in [(corpus, "zh-"), (samples, "")] {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                n.starts_with(prefix) && (n.ends_with(".txt") || n.ends_with(".json"))
            })
            .collect();
        paths.sort();
        for p in paths {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            docs.push(Doc { text: read_doc(&p), name });
        }
    }
    docs
}

struct Query {
    text: String,
    kind: String,
    /// Docs where every occurrence spans two words.
    not: BTreeSet<String>,
    /// Stretches of text (each holding the query) whose occurrence spans two
    /// words, in docs that also have a real one: left out of the
    /// occurrence count.
    skip: Vec<String>,
}

fn load_queries(path: &str) -> Vec<Query> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut f = l.split('\t');
            let text = f.next().unwrap().to_string();
            let kind = f.next().unwrap_or("").to_string();
            let not = f
                .next()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let skip = f.next().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
            Query { text, kind, not, skip }
        })
        .collect()
}

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .map(|i| args[i + 1].clone())
        .unwrap_or_else(|| default.to_string())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|n| n.parse().unwrap()))
        })
        .unwrap_or(0)
}

/// Every occurrence of every query, with 6 characters of context either side.
fn occurrences(docs: &[Doc], queries: &[Query]) {
    for q in queries {
        println!("== {} ({})", q.text, q.kind);
        for d in docs {
            for (i, _) in d.text.match_indices(&q.text) {
                let before: String = d.text[..i].chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
                let after: String = d.text[i + q.text.len()..].chars().take(6).collect();
                let flag = if q.not.contains(&d.name) { "  [not relevant]" } else { "" };
                println!("  {:<42} {}[{}]{}{}", d.name, before.replace('\n', "⏎"), q.text, after.replace('\n', "⏎"), flag);
            }
        }
    }
}

fn recall(docs: &[Doc], queries: &[Query], detail_path: Option<String>) {
    let j = Jieba::new();
    let streams: Vec<Vec<Vec<&str>>> =
        Method::ALL.iter().map(|m| docs.iter().map(|d| m.tokens(&j, &d.text)).collect()).collect();
    let mut detail = String::new();
    // Per method: relevant pairs found, relevant pairs, extra doc hits,
    // queries with extra hits, queries found in every relevant doc.
    let mut found = [0usize; 4];
    let mut extra = [0usize; 4];
    let mut extra_q = [0usize; 4];
    let mut full_q = [0usize; 4];
    // Occurrences in relevant docs: every place the query is written, and
    // how many of them a phrase query lands on exactly.
    let mut occ_found = [0usize; 4];
    let mut occ_total = 0;
    let mut occ_misses = String::new();
    let mut relevant_total = 0;
    let mut substring_differs = 0;
    let mut by_kind: Vec<(String, [usize; 4], usize)> = Vec::new();
    writeln!(detail, "| query | kind | relevant docs | bigrams | jieba cut | jieba search | jieba cut no HMM | jieba cut of query |").unwrap();
    writeln!(detail, "|---|---|---:|---|---|---|---|---|").unwrap();
    let mut misses = String::new();
    for q in queries {
        let relevant: BTreeSet<usize> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.text.contains(&q.text) && !q.not.contains(&d.name))
            .map(|(i, _)| i)
            .collect();
        assert!(!relevant.is_empty(), "query {} is in no doc", q.text);
        for n in &q.not {
            assert!(docs.iter().any(|d| &d.name == n), "unknown doc {n}");
        }
        relevant_total += relevant.len();
        let kind_row = match by_kind.iter().position(|(k, _, _)| *k == q.kind) {
            Some(i) => i,
            None => {
                by_kind.push((q.kind.clone(), [0; 4], 0));
                by_kind.len() - 1
            }
        };
        by_kind[kind_row].2 += relevant.len();
        let mut cells = Vec::new();
        for (mi, m) in Method::ALL.iter().enumerate() {
            let qt = m.tokens(&j, &q.text);
            let hits: BTreeSet<usize> =
                (0..docs.len()).filter(|&i| contains_seq(&streams[mi][i], &qt)).collect();
            if *m == Method::Bigram {
                let sub: BTreeSet<usize> = (0..docs.len()).filter(|&i| docs[i].text.contains(&q.text)).collect();
                if sub != hits {
                    substring_differs += 1;
                }
            }
            let f = hits.intersection(&relevant).count();
            let x = hits.difference(&relevant).count();
            found[mi] += f;
            for &di in &relevant {
                let d = &docs[di];
                let base = d.text.as_ptr() as usize;
                let span = |t: &str| (t.as_ptr() as usize - base, t.as_ptr() as usize - base + t.len());
                for (i, _) in d.text.match_indices(&q.text) {
                    let end = i + q.text.len();
                    let spans_two = q.skip.iter().any(|k| {
                        let at = k.find(&q.text).unwrap();
                        i >= at && d.text[i - at..].starts_with(k.as_str())
                    });
                    if spans_two {
                        continue;
                    }
                    if mi == 0 {
                        occ_total += 1;
                    }
                    let hit = !qt.is_empty()
                        && streams[mi][di]
                            .windows(qt.len())
                            .any(|w| {
                                // cut_for_search hands out a word's parts before
                                // the word, so compare the window's extent.
                                w == qt.as_slice()
                                    && w.iter().map(|t| span(t).0).min() == Some(i)
                                    && w.iter().map(|t| span(t).1).max() == Some(end)
                            });
                    if hit {
                        occ_found[mi] += 1;
                    } else {
                        let (a, b) = (i.saturating_sub(9), end + 9);
                        let near: Vec<&str> = streams[mi][di]
                            .iter()
                            .copied()
                            .filter(|t| span(t).1 > a && span(t).0 < b)
                            .collect();
                        writeln!(occ_misses, "- {} `{}` in {}: query → {} ; doc → {}", m.name(), q.text, d.name, qt.join("/"), near.join("/")).unwrap();
                    }
                }
            }
            by_kind[kind_row].1[mi] += f;
            extra[mi] += x;
            if x > 0 {
                extra_q[mi] += 1;
            }
            if f == relevant.len() {
                full_q[mi] += 1;
            }
            let mut cell = format!("{f}/{}", relevant.len());
            if x > 0 {
                write!(cell, " +{x} extra").unwrap();
            }
            cells.push(cell);
            // For each missed relevant doc, show how the method cut the text
            // around the occurrence.
            for &di in relevant.difference(&hits) {
                if *m == Method::Bigram {
                    continue;
                }
                let d = &docs[di];
                let base = d.text.as_ptr() as usize;
                for (i, _) in d.text.match_indices(&q.text) {
                    // The doc's own tokens within 12 bytes of the occurrence.
                    let (a, b) = (i.saturating_sub(12), i + q.text.len() + 12);
                    let near: Vec<&str> = streams[mi][di]
                        .iter()
                        .copied()
                        .filter(|t| {
                            let o = t.as_ptr() as usize - base;
                            o + t.len() > a && o < b
                        })
                        .collect();
                    writeln!(
                        misses,
                        "- {} `{}` in {}: query → {} ; doc tokens around it → {}",
                        m.name(),
                        q.text,
                        d.name,
                        qt.join("/"),
                        near.join("/")
                    )
                    .unwrap();
                }
            }
        }
        let qcut: Vec<&str> = j.cut(&q.text, true).into_iter().map(|t| t.word).collect();
        writeln!(
            detail,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            q.text,
            q.kind,
            relevant.len(),
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            qcut.join("/")
        )
        .unwrap();
    }
    println!(
        "{} queries, {} docs, {} (query, relevant doc) pairs; bigram phrase hits differ from plain substring search for {} queries\n",
        queries.len(),
        docs.len(),
        relevant_total,
        substring_differs
    );
    println!("| method | recall (docs) | recall (occurrences) | queries found in every relevant doc | queries with extra hits | extra doc hits |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (mi, m) in Method::ALL.iter().enumerate() {
        println!(
            "| {} | {}/{} = {:.1}% | {}/{} = {:.1}% | {}/{} | {} | {} |",
            m.name(),
            found[mi],
            relevant_total,
            100.0 * found[mi] as f64 / relevant_total as f64,
            occ_found[mi],
            occ_total,
            100.0 * occ_found[mi] as f64 / occ_total as f64,
            full_q[mi],
            queries.len(),
            extra_q[mi],
            extra[mi]
        );
    }
    println!("\nRecall by kind of query (found/relevant pairs):\n");
    println!("| kind | pairs | bigrams | jieba cut | jieba search | jieba cut no HMM |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (k, f, n) in &by_kind {
        println!("| {k} | {n} | {} | {} | {} | {} |", f[0], f[1], f[2], f[3]);
    }
    if let Some(p) = detail_path {
        let mut out = String::from("# Per query\n\nfound/relevant docs, and docs matched where the query only spans two words (extra)\n\n");
        out.push_str(&detail);
        out.push_str("\n# Misses by jieba, with jieba's cut of the query and of the text around it\n\n");
        out.push_str(&misses);
        out.push_str("\n# Occurrences in relevant docs that a phrase query does not land on exactly\n\n");
        out.push_str(&occ_misses);
        std::fs::write(&p, out).unwrap();
        println!("\n(per-query table and misses: {p})");
    }
}

fn speed(docs: &[Doc], mb: f64, runs: usize) {
    // All the Chinese text, as separate articles, repeated to `mb` MB.
    let mut texts: Vec<&str> = Vec::new();
    let mut bytes = 0usize;
    while (bytes as f64) < mb * 1e6 {
        for d in docs {
            texts.push(&d.text);
            bytes += d.text.len();
        }
    }
    let t0 = Instant::now();
    let j = Jieba::new();
    let load = t0.elapsed().as_secs_f64();
    println!(
        "{:.2} MB in {} articles (Chinese text {} bytes, repeated); {} runs, median\n",
        bytes as f64 / 1e6,
        texts.len(),
        docs.iter().map(|d| d.text.len()).sum::<usize>(),
        runs
    );
    println!("| method | MB/s (median) | runs (s) | tokens |");
    println!("|---|---:|---|---:|");
    for m in Method::ALL {
        let mut times = Vec::new();
        let mut tokens = 0;
        for _ in 0..runs {
            let t = Instant::now();
            tokens = 0;
            for text in &texts {
                match m {
                    // As byline does: each token copied into the token's text.
                    Method::Bigram => {
                        let mut buf = String::new();
                        bigram_tokens(text, |w| {
                            buf.clear();
                            buf.push_str(w);
                            black_box(&buf);
                            tokens += 1;
                        });
                    }
                    _ => {
                        let v = match m {
                            Method::JiebaCut => j.cut(text, true),
                            Method::JiebaSearch => j.cut_for_search(text, true),
                            _ => j.cut(text, false),
                        };
                        let mut buf = String::new();
                        for t in &v {
                            if indexable(t.word) {
                                buf.clear();
                                buf.push_str(t.word);
                                black_box(&buf);
                                tokens += 1;
                            }
                        }
                    }
                }
            }
            times.push(t.elapsed().as_secs_f64());
        }
        let med = median(times.clone());
        println!(
            "| {} | {:.1} | {} | {} |",
            m.name(),
            bytes as f64 / 1e6 / med,
            times.iter().map(|t| format!("{t:.3}")).collect::<Vec<_>>().join(" "),
            tokens
        );
    }
    eprintln!("(in-process dictionary load before the runs: {:.1} ms)", load * 1e3);
}

fn load() {
    let before = rss_kb();
    let t = Instant::now();
    let j = Jieba::new();
    let first = t.elapsed().as_secs_f64();
    let after = rss_kb();
    let t = Instant::now();
    let j2 = Jieba::new();
    let second = t.elapsed().as_secs_f64();
    black_box((&j, &j2));
    println!(
        "first Jieba::new() {:.1} ms, second in the same process {:.1} ms, RSS +{} KB",
        first * 1e3,
        second * 1e3,
        after.saturating_sub(before)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = arg(&args, "--corpus", "../../corpus/multilingual");
    let samples = arg(&args, "--samples", "samples");
    let queries = arg(&args, "--queries", "queries.tsv");
    match args.get(1).map(String::as_str) {
        Some("recall") => {
            let detail = args.iter().position(|a| a == "--detail").map(|i| args[i + 1].clone());
            recall(&load_docs(&corpus, &samples), &load_queries(&queries), detail)
        }
        Some("occurrences") => occurrences(&load_docs(&corpus, &samples), &load_queries(&queries)),
        Some("speed") => {
            let mb: f64 = arg(&args, "--mb", "10").parse().unwrap();
            let runs: usize = arg(&args, "--runs", "5").parse().unwrap();
            speed(&load_docs(&corpus, &samples), mb, runs)
        }
        Some("load") => load(),
        _ => eprintln!("usage: cjk-eval recall|occurrences|speed|load [--corpus DIR] [--samples DIR] [--queries FILE]"),
    }
}
