//! whatlang against lingua on news text, for byline's language detection.
//!
//! Subcommands (all print Markdown to stdout; see README.md for the run):
//!   accuracy --english BBC_DIR --labelled DIR [--labelled DIR ...]
//!   speed    --english BBC_DIR [--runs 5]
//!   fastpath --english BBC_DIR --labelled DIR [--labelled DIR ...]
//!   startup  MODE --english BBC_DIR     (run once per MODE, each in a fresh process)
//!   explain  FILE...                    (every detector's answer on each file)
//!
//! `--english` is read recursively (*.txt, first line the title). `--labelled`
//! files take their language from the file-name prefix (`fr-…`); `.txt` files
//! have the title on the first line, `.json` files have title/description/maintext.
//! No test text is stored here: it is read at run time from the given paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lingua::Language as LL;
use whatlang::Lang as WL;

// ---------------------------------------------------------------- corpus ----

struct Article {
    lang: String,
    name: String,
    title: String,
    /// Title and body as one text.
    full: String,
    /// Body paragraphs (the title is not one of them).
    paragraphs: Vec<String>,
}

fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match String::from_utf8(bytes) {
        Ok(s) => s,
        // One BBC file is Latin-1.
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "json")) {
            out.push(p);
        }
    }
}

fn nonempty_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn load_article(root: &Path, path: &Path, lang: &str) -> Article {
    let raw = read_text(path);
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        let v: serde_json::Value = serde_json::from_str(&raw).expect("json");
        let field = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let (title, desc, body) = (field("title"), field("description"), field("maintext"));
        let mut paragraphs = nonempty_lines(&desc);
        paragraphs.extend(nonempty_lines(&body));
        let full = [title.as_str(), desc.as_str(), body.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n");
        Article {
            lang: lang.into(),
            name,
            title,
            full,
            paragraphs,
        }
    } else {
        let mut lines = nonempty_lines(&raw);
        let title = if lines.is_empty() {
            String::new()
        } else {
            lines.remove(0)
        };
        Article {
            lang: lang.into(),
            name,
            title,
            full: raw.trim().to_string(),
            paragraphs: lines,
        }
    }
}

fn load_english(dir: &Path) -> Vec<Article> {
    let mut files = vec![];
    walk(dir, &mut files);
    files.iter().map(|p| load_article(dir, p, "en")).collect()
}

fn load_labelled(dir: &Path) -> Vec<Article> {
    let mut files = vec![];
    walk(dir, &mut files);
    files
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?;
            let lang = name.split('-').next()?;
            (lang.len() == 2).then(|| load_article(dir, p, lang))
        })
        .collect()
}

/// The first `max` bytes of `s`, cut back to a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Article,
    Article500,
    Paragraph,
    Title,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Article => "(a) article, first 2,000 bytes",
            Kind::Article500 => "(a') article, first 500 bytes",
            Kind::Paragraph => "(b) paragraphs of >= 80 chars",
            Kind::Title => "(c) titles",
        }
    }
}

fn samples<'a>(a: &'a Article, kind: Kind) -> Vec<&'a str> {
    match kind {
        Kind::Article => vec![prefix(&a.full, 2000)],
        Kind::Article500 => vec![prefix(&a.full, 500)],
        Kind::Paragraph => a
            .paragraphs
            .iter()
            .filter(|p| p.chars().count() >= 80)
            .map(|p| p.as_str())
            .collect(),
        Kind::Title => {
            if a.title.is_empty() {
                vec![]
            } else {
                vec![a.title.as_str()]
            }
        }
    }
}

// -------------------------------------------------------------- detectors ----

// The languages byline must detect (en fr de es it pt nl sv ru zh ja), then
// the ones it would like to (da no fi pl tr el ar ko). Lingua splits Norwegian
// into Bokmål and Nynorsk; both count as `no`.
const WHATLANG_WANTED: [WL; 19] = [
    WL::Eng,
    WL::Fra,
    WL::Deu,
    WL::Spa,
    WL::Ita,
    WL::Por,
    WL::Nld,
    WL::Swe,
    WL::Rus,
    WL::Cmn,
    WL::Jpn,
    WL::Dan,
    WL::Nob,
    WL::Fin,
    WL::Pol,
    WL::Tur,
    WL::Ell,
    WL::Ara,
    WL::Kor,
];

const LINGUA_WANTED: [LL; 20] = [
    LL::English,
    LL::French,
    LL::German,
    LL::Spanish,
    LL::Italian,
    LL::Portuguese,
    LL::Dutch,
    LL::Swedish,
    LL::Russian,
    LL::Chinese,
    LL::Japanese,
    LL::Danish,
    LL::Bokmal,
    LL::Nynorsk,
    LL::Finnish,
    LL::Polish,
    LL::Turkish,
    LL::Greek,
    LL::Arabic,
    LL::Korean,
];

fn whatlang_code(l: WL) -> String {
    let c = match l {
        WL::Eng => "en",
        WL::Fra => "fr",
        WL::Deu => "de",
        WL::Spa => "es",
        WL::Ita => "it",
        WL::Por => "pt",
        WL::Nld => "nl",
        WL::Swe => "sv",
        WL::Rus => "ru",
        WL::Cmn => "zh",
        WL::Jpn => "ja",
        WL::Dan => "da",
        WL::Nob => "no",
        WL::Fin => "fi",
        WL::Pol => "pl",
        WL::Tur => "tr",
        WL::Ell => "el",
        WL::Ara => "ar",
        WL::Kor => "ko",
        other => return other.code().to_string(), // ISO 639-3 for the rest
    };
    c.to_string()
}

fn lingua_code(l: LL) -> String {
    match l {
        LL::Bokmal | LL::Nynorsk => "no".into(),
        other => other.iso_code_639_1().to_string(),
    }
}

struct Outcome {
    pred: Option<String>,
    /// whatlang: `Info::is_reliable()`; lingua: top confidence at least 0.1
    /// above the second (what `with_minimum_relative_distance(0.1)` returns).
    reliable: bool,
}

enum Det {
    Whatlang(whatlang::Detector),
    Lingua(lingua::LanguageDetector),
    /// Only the English fast-path test (>= 20% function words), for its cost.
    FastPath,
}

struct Named {
    name: &'static str,
    det: Det,
}

impl Named {
    fn outcome(&self, text: &str) -> Outcome {
        match &self.det {
            Det::Whatlang(d) => match d.detect(text) {
                Some(info) => Outcome {
                    pred: Some(whatlang_code(info.lang())),
                    reliable: info.is_reliable(),
                },
                None => Outcome {
                    pred: None,
                    reliable: false,
                },
            },
            Det::Lingua(d) => {
                // The same computation `detect_language_of` does, keeping the margin.
                let v = d.compute_language_confidence_values(text);
                let top = v.first().copied();
                let second = v.get(1).map(|x| x.1).unwrap_or(0.0);
                match top {
                    Some((l, p)) if p > 0.0 && (p - second).abs() >= f64::EPSILON => Outcome {
                        pred: Some(lingua_code(l)),
                        reliable: p - second >= 0.1,
                    },
                    _ => Outcome {
                        pred: None,
                        reliable: false,
                    },
                }
            }
            Det::FastPath => Outcome {
                pred: passes(text, 20).then(|| "en".into()),
                reliable: true,
            },
        }
    }

    /// Plain detection, as byline would call it (for the speed runs).
    fn detect(&self, text: &str) -> bool {
        match &self.det {
            Det::Whatlang(d) => d.detect_lang(text).is_some(),
            Det::Lingua(d) => d.detect_language_of(text).is_some(),
            Det::FastPath => passes(text, 20),
        }
    }
}

fn lingua_builder() -> lingua::LanguageDetectorBuilder {
    lingua::LanguageDetectorBuilder::from_languages(&LINGUA_WANTED)
}

fn detectors() -> Vec<Named> {
    vec![
        Named {
            name: "whatlang (all 70)",
            det: Det::Whatlang(whatlang::Detector::new()),
        },
        Named {
            name: "whatlang (19 allowed)",
            det: Det::Whatlang(whatlang::Detector::with_allowlist(WHATLANG_WANTED.to_vec())),
        },
        Named {
            name: "lingua high (20)",
            det: Det::Lingua(lingua_builder().with_preloaded_language_models().build()),
        },
        Named {
            name: "lingua low-acc (20)",
            det: Det::Lingua(
                lingua_builder()
                    .with_preloaded_language_models()
                    .with_low_accuracy_mode()
                    .build(),
            ),
        },
    ]
}

// --------------------------------------------------------------- accuracy ----

#[derive(Default, Clone)]
struct Tally {
    n: usize,
    correct: usize,
    none: usize,
    unreliable: usize,
    /// Wrong although flagged reliable: the errors a threshold would not catch.
    wrong_reliable: usize,
    reliable: usize,
    correct_reliable: usize,
}

impl Tally {
    fn add(&mut self, gold: &str, o: &Outcome) {
        self.n += 1;
        let ok = o.pred.as_deref() == Some(gold);
        self.correct += ok as usize;
        self.none += o.pred.is_none() as usize;
        if o.reliable {
            self.reliable += 1;
            self.correct_reliable += ok as usize;
            self.wrong_reliable += (!ok) as usize;
        } else {
            self.unreliable += 1;
        }
    }
    fn merge(&mut self, o: &Tally) {
        self.n += o.n;
        self.correct += o.correct;
        self.none += o.none;
        self.unreliable += o.unreliable;
        self.wrong_reliable += o.wrong_reliable;
        self.reliable += o.reliable;
        self.correct_reliable += o.correct_reliable;
    }
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.1}", 100.0 * a as f64 / b as f64)
    }
}

const LANG_ORDER: [&str; 11] = [
    "en", "fr", "de", "es", "it", "pt", "nl", "sv", "ru", "zh", "ja",
];

fn accuracy(articles: &[Article]) {
    let dets = detectors();
    println!("## Accuracy\n");
    println!(
        "Cells: accuracy % / unreliable % (whatlang: `!is_reliable()` or none; lingua: top \
         confidence less than 0.1 above the second, i.e. none under \
         `with_minimum_relative_distance(0.1)`). A `none` answer counts as wrong.\n"
    );
    let mut summary: Vec<(Kind, Vec<(Tally, Tally)>)> = vec![];
    let mut confusions: Vec<(
        Kind,
        usize,
        BTreeMap<(String, String), (usize, Vec<String>)>,
    )> = vec![];
    for kind in [
        Kind::Article,
        Kind::Article500,
        Kind::Paragraph,
        Kind::Title,
    ] {
        // per detector: per language tally
        let mut per: Vec<BTreeMap<String, Tally>> = vec![BTreeMap::new(); dets.len()];
        let mut conf: Vec<BTreeMap<(String, String), (usize, Vec<String>)>> =
            vec![BTreeMap::new(); dets.len()];
        for a in articles {
            for s in samples(a, kind) {
                for (i, d) in dets.iter().enumerate() {
                    let o = d.outcome(s);
                    per[i].entry(a.lang.clone()).or_default().add(&a.lang, &o);
                    if o.pred.as_deref() != Some(a.lang.as_str()) {
                        let e = conf[i]
                            .entry((a.lang.clone(), o.pred.clone().unwrap_or("none".into())))
                            .or_default();
                        e.0 += 1;
                        if e.1.len() < 3 {
                            e.1.push(a.name.clone());
                        }
                    }
                }
            }
        }
        println!("### {}\n", kind.label());
        print!("| lang | n |");
        for d in &dets {
            print!(" {} |", d.name);
        }
        println!();
        print!("|---|---:|");
        for _ in &dets {
            print!("---:|");
        }
        println!();
        let mut totals = vec![(Tally::default(), Tally::default()); dets.len()];
        for lang in LANG_ORDER {
            let Some(n) = per[0].get(lang).map(|t| t.n) else {
                continue;
            };
            print!("| {lang} | {n} |");
            for (i, p) in per.iter().enumerate() {
                let t = &p[lang];
                print!(" {} / {} |", pct(t.correct, t.n), pct(t.unreliable, t.n));
                totals[i].0.merge(t);
                if lang != "en" {
                    totals[i].1.merge(t);
                }
            }
            println!();
        }
        for (label, pick) in [("all non-en", 1usize), ("all", 0)] {
            print!(
                "| **{label}** | {} |",
                if pick == 0 {
                    totals[0].0.n
                } else {
                    totals[0].1.n
                }
            );
            for t in &totals {
                let t = if pick == 0 { &t.0 } else { &t.1 };
                print!(
                    " **{} / {}** |",
                    pct(t.correct, t.n),
                    pct(t.unreliable, t.n)
                );
            }
            println!();
        }
        println!();
        summary.push((kind, totals));
        for (i, c) in conf.into_iter().enumerate() {
            confusions.push((kind, i, c));
        }
    }

    println!("### Summary: how far the reliability flag can be trusted\n");
    println!(
        "| detector | sample | accuracy % (en / non-en) | none % | unreliable % | accuracy when reliable % | wrong but reliable |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (i, d) in dets.iter().enumerate() {
        for (kind, totals) in &summary {
            let (all, non) = &totals[i];
            let mut en = all.clone();
            // en = all minus non-en
            en.n -= non.n;
            en.correct -= non.correct;
            println!(
                "| {} | {} | {} ({} / {}) | {} | {} | {} | {} |",
                d.name,
                kind.label().split(',').next().unwrap(),
                pct(all.correct, all.n),
                pct(en.correct, en.n),
                pct(non.correct, non.n),
                pct(all.none, all.n),
                pct(all.unreliable, all.n),
                pct(all.correct_reliable, all.reliable),
                all.wrong_reliable,
            );
        }
    }
    println!();

    println!("### Errors (gold → answer: count, first files)\n");
    for (kind, i, c) in confusions {
        let mut v: Vec<_> = c.into_iter().collect();
        v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0));
        let shown: Vec<String> = v
            .iter()
            .take(12)
            .map(|((g, p), (n, files))| format!("{g}→{p}: {n} ({})", files.join(", ")))
            .collect();
        println!(
            "- **{}**, {}: {}",
            dets[i].name,
            kind.label().split(',').next().unwrap(),
            if shown.is_empty() {
                "none".into()
            } else {
                shown.join("; ")
            }
        );
    }
    println!();
}

// ------------------------------------------------------------------ speed ----

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn speed(english: &[Article], runs: usize) {
    let mut dets = detectors();
    // Fewer candidate languages is the one speed knob lingua has: the 11 required ones.
    dets.push(Named {
        name: "lingua high (11 required)",
        det: Det::Lingua(
            lingua::LanguageDetectorBuilder::from_languages(&LINGUA_WANTED[..11])
                .with_preloaded_language_models()
                .build(),
        ),
    });
    dets.push(Named {
        name: "fast-path test only (20%)",
        det: Det::FastPath,
    });
    println!("## Speed (BBC English, single thread, median of {runs} interleaved runs)\n");
    println!("| detector | bytes per text | texts | MB/s | µs/text | vs whatlang (all 70) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for max in [2000usize, 500] {
        let texts: Vec<&str> = english.iter().map(|a| prefix(&a.full, max)).collect();
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        // warm-up pass (page in models, caches)
        for d in &dets {
            for t in texts.iter().take(200) {
                std::hint::black_box(d.detect(t));
            }
        }
        let mut times: Vec<Vec<Duration>> = vec![vec![]; dets.len()];
        for _ in 0..runs {
            for (i, d) in dets.iter().enumerate() {
                let t0 = Instant::now();
                let mut found = 0usize;
                for t in &texts {
                    found += std::hint::black_box(d.detect(std::hint::black_box(t))) as usize;
                }
                times[i].push(t0.elapsed());
                std::hint::black_box(found);
            }
        }
        let med: Vec<Duration> = times.into_iter().map(median).collect();
        let base = bytes as f64 / med[0].as_secs_f64();
        for (i, d) in dets.iter().enumerate() {
            let bps = bytes as f64 / med[i].as_secs_f64();
            println!(
                "| {} | {max} | {} | {:.2} | {:.0} | {:.3}× |",
                d.name,
                texts.len(),
                bps / 1e6,
                med[i].as_secs_f64() * 1e6 / texts.len() as f64,
                bps / base
            );
        }
    }
    println!();
}

// --------------------------------------------------------------- fastpath ----

const FUNCTION_WORDS: [&str; 30] = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was", "by",
    "it", "he", "said", "at", "from", "his", "be", "have", "are", "has", "but", "an", "not",
    "which", "were", "this",
];

/// Words are runs of letters, digits and apostrophes, lower-cased; the first 100 count.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .take(100)
}

/// (function-word hits, words looked at) over the first 100 words.
fn fw_ratio(s: &str) -> (usize, usize) {
    let mut hits = 0;
    let mut n = 0;
    for w in words(s) {
        n += 1;
        hits += FUNCTION_WORDS.contains(&w.as_str()) as usize;
    }
    (hits, n)
}

fn passes(s: &str, threshold_pct: usize) -> bool {
    let (h, n) = fw_ratio(s);
    n > 0 && h * 100 >= threshold_pct * n
}

/// `passes` plus a guard: "the" (which no other target language has) at least twice.
fn passes_guarded(s: &str, threshold_pct: usize) -> bool {
    passes(s, threshold_pct) && words(s).filter(|w| w == "the").count() >= 2
}

fn fastpath(articles: &[Article]) {
    println!("## English fast path: >= X% of the first 100 words among 30 function words\n");
    let latin_non_en = ["fr", "de", "es", "it", "pt", "nl", "sv"];
    let en: Vec<&Article> = articles.iter().filter(|a| a.lang == "en").collect();
    let other: Vec<&Article> = articles
        .iter()
        .filter(|a| latin_non_en.contains(&a.lang.as_str()))
        .collect();
    let other_all: Vec<&Article> = articles.iter().filter(|a| a.lang != "en").collect();
    let en_paras: Vec<&str> = en
        .iter()
        .flat_map(|a| samples(a, Kind::Paragraph))
        .collect();
    let other_paras: Vec<&str> = other
        .iter()
        .flat_map(|a| samples(a, Kind::Paragraph))
        .collect();
    println!(
        "English: {} BBC articles ({} paragraphs >= 80 chars). Non-English (fr/de/es/it/pt/nl/sv): \
         {} articles, {} paragraphs; ru/zh/ja ({} articles) never pass.\n",
        en.len(),
        en_paras.len(),
        other.len(),
        other_paras.len(),
        other_all.len() - other.len()
    );
    println!("| X | BBC articles pass | BBC paragraphs pass | non-en articles pass (wrongly) | non-en paragraphs pass (wrongly) |");
    println!("|---:|---:|---:|---:|---:|");
    let rules: [(&str, usize, fn(&str, usize) -> bool); 5] = [
        ("", 10, passes),
        ("", 15, passes),
        ("", 20, passes),
        (" and \"the\" ≥ 2", 10, passes_guarded),
        (" and \"the\" ≥ 2", 15, passes_guarded),
    ];
    for (label, x, rule) in rules {
        let ea = en.iter().filter(|a| rule(&a.full, x)).count();
        let ep = en_paras.iter().filter(|p| rule(p, x)).count();
        let oa: Vec<&&Article> = other.iter().filter(|a| rule(&a.full, x)).collect();
        let op = other_paras.iter().filter(|p| rule(p, x)).count();
        println!(
            "| {x}%{label} | {ea} / {} ({}%) | {ep} / {} ({}%) | {} / {} | {op} / {} |",
            en.len(),
            pct(ea, en.len()),
            en_paras.len(),
            pct(ep, en_paras.len()),
            oa.len(),
            other.len(),
            other_paras.len()
        );
        for a in oa {
            let (h, n) = fw_ratio(&a.full);
            println!("|  | | | ↳ {} ({h}/{n}) | |", a.name);
        }
    }
    println!();
    // Margins.
    let ratio = |s: &str| {
        let (h, n) = fw_ratio(s);
        if n == 0 {
            0.0
        } else {
            100.0 * h as f64 / n as f64
        }
    };
    let mut en_r: Vec<(f64, &str)> = en
        .iter()
        .map(|a| (ratio(&a.full), a.name.as_str()))
        .collect();
    en_r.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    let mut ot_r: Vec<(f64, String)> = other
        .iter()
        .map(|a| (ratio(&a.full), format!("{}", a.name)))
        .collect();
    ot_r.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    let mut op_r: Vec<(f64, String)> = other
        .iter()
        .flat_map(|a| {
            samples(a, Kind::Paragraph)
                .into_iter()
                .map(move |p| (ratio(p), a.name.clone()))
        })
        .collect();
    op_r.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    let fmt = |v: &[(f64, String)]| {
        v.iter()
            .take(5)
            .map(|(r, n)| format!("{r:.0}% {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "- Lowest BBC article ratios: {}",
        en_r.iter()
            .take(5)
            .map(|(r, n)| format!("{r:.0}% {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let q = |p: f64| en_r[((en_r.len() - 1) as f64 * p) as usize].0;
    println!(
        "- BBC article ratio percentiles: p1 {:.0}%, p5 {:.0}%, median {:.0}%",
        q(0.01),
        q(0.05),
        q(0.5)
    );
    println!("- Highest non-English article ratios: {}", fmt(&ot_r));
    println!("- Highest non-English paragraph ratios: {}", fmt(&op_r));
    // Which function words the non-English text hits.
    let mut hits: BTreeMap<String, usize> = BTreeMap::new();
    for a in &other {
        for w in words(&a.full) {
            if FUNCTION_WORDS.contains(&w.as_str()) {
                *hits.entry(format!("{}:{}", a.lang, w)).or_default() += 1;
            }
        }
    }
    let mut hv: Vec<_> = hits.into_iter().collect();
    hv.sort_by(|a, b| b.1.cmp(&a.1));
    println!(
        "- Function words hit in non-English articles (lang:word count): {}\n",
        hv.iter()
            .take(15)
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

// ---------------------------------------------------------------- startup ----

fn proc_status() -> BTreeMap<String, u64> {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let kb: u64 = v.trim().strip_suffix(" kB")?.parse().ok()?;
            Some((k.to_string(), kb))
        })
        .collect()
}

fn mem() -> String {
    let s = proc_status();
    let mb = |k: &str| s.get(k).copied().unwrap_or(0) as f64 / 1024.0;
    format!(
        "RSS {:.1} MB (anon {:.1}, file {:.1}), peak {:.1} MB",
        mb("VmRSS"),
        mb("RssAnon"),
        mb("RssFile"),
        mb("VmHWM")
    )
}

fn startup(mode: &str, english: &[Article]) {
    let texts: Vec<&str> = english.iter().map(|a| prefix(&a.full, 2000)).collect();
    println!("mode {mode}: after reading corpus: {}", mem());
    let t0 = Instant::now();
    let det = match mode {
        "whatlang" => Named {
            name: "whatlang",
            det: Det::Whatlang(whatlang::Detector::new()),
        },
        "lingua-high-lazy" => Named {
            name: "lingua",
            det: Det::Lingua(lingua_builder().build()),
        },
        "lingua-high-preload" => Named {
            name: "lingua",
            det: Det::Lingua(lingua_builder().with_preloaded_language_models().build()),
        },
        "lingua-low-lazy" => Named {
            name: "lingua",
            det: Det::Lingua(lingua_builder().with_low_accuracy_mode().build()),
        },
        "lingua-low-preload" => Named {
            name: "lingua",
            det: Det::Lingua(
                lingua_builder()
                    .with_low_accuracy_mode()
                    .with_preloaded_language_models()
                    .build(),
            ),
        },
        _ => panic!("unknown mode {mode}"),
    };
    let build = t0.elapsed();
    println!("  build {:.3} ms; {}", build.as_secs_f64() * 1e3, mem());
    let t1 = Instant::now();
    std::hint::black_box(det.detect(texts[0]));
    println!(
        "  first detection (2,000 B English) {:.3} ms; {}",
        t1.elapsed().as_secs_f64() * 1e3,
        mem()
    );
    let t2 = Instant::now();
    std::hint::black_box(
        det.detect("Les dockers du port de Marseille ont entamé mardi une grève."),
    );
    println!(
        "  second detection (short French) {:.3} ms",
        t2.elapsed().as_secs_f64() * 1e3
    );
    let t3 = Instant::now();
    for t in &texts {
        std::hint::black_box(det.detect(t));
    }
    println!(
        "  one pass over {} BBC texts (2,000 B) {:.0} ms; {} [{}]",
        texts.len(),
        t3.elapsed().as_secs_f64() * 1e3,
        mem(),
        det.name
    );
}

// ------------------------------------------------------------------- main ----

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = args.first().cloned().unwrap_or_default();
    let mut english = None;
    let mut labelled = vec![];
    let mut runs = 5;
    let mut mode = String::new();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--english" => {
                english = Some(PathBuf::from(&args[i + 1]));
                i += 1;
            }
            "--labelled" => {
                labelled.push(PathBuf::from(&args[i + 1]));
                i += 1;
            }
            "--runs" => {
                runs = args[i + 1].parse().expect("--runs N");
                i += 1;
            }
            // `explain` takes file names; they are read again below.
            _ if cmd == "explain" => {}
            other if mode.is_empty() && !other.starts_with("--") => mode = other.to_string(),
            other => panic!("unknown argument {other}"),
        }
        i += 1;
    }
    let english = english.map(|p| load_english(&p)).unwrap_or_default();
    let mut articles = english;
    for dir in &labelled {
        articles.extend(load_labelled(dir));
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &articles {
        *counts.entry(a.lang.as_str()).or_default() += 1;
    }
    eprintln!("articles per language: {counts:?}");
    match cmd.as_str() {
        "accuracy" => accuracy(&articles),
        "speed" => {
            let en: Vec<Article> = articles.into_iter().filter(|a| a.lang == "en").collect();
            speed(&en, runs)
        }
        "fastpath" => fastpath(&articles),
        "startup" => startup(&mode, &articles),
        "explain" => {
            // Every detector's answer on the first 2,000 bytes of each file given.
            let dets = detectors();
            for f in args.iter().skip(1).filter(|a| !a.starts_with("--")) {
                let a = load_article(Path::new(""), Path::new(f), "?");
                let text = prefix(&a.full, 2000);
                println!("{f} ({} bytes):", text.len());
                for d in &dets {
                    let o = d.outcome(text);
                    println!("  {:24} {:?} reliable={}", d.name, o.pred, o.reliable);
                    if let Det::Lingua(l) = &d.det {
                        let v = l.compute_language_confidence_values(text);
                        println!("  {:24} {:?}", "", &v[..3]);
                    }
                }
            }
        }
        _ => {
            eprintln!("usage: langdetect-eval accuracy|speed|fastpath|startup MODE|explain FILE... --english DIR [--labelled DIR]... [--runs N]");
            std::process::exit(2);
        }
    }
}
