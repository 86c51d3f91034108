//! The learned tagger: an averaged perceptron over the words where a name
//! may be, with the gazetteers, word shapes, context, position, what the
//! article says elsewhere and the rules' own reading as its features. It
//! decides which spans are names and of what type; the rules' names give
//! each span its canonical name where they agree.
//!
//! Trained offline by `tools/ner/train-rust.sh` (the example
//! `ner-train`); the weights are compiled in (`weights.bin`).

mod features;
mod model;
mod words;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::lexicon::Lexicon;
use super::orgname::{is_legal_form, org_name_in};
use super::{Entity, Mention};
use crate::article::EntityKind;

use features::features;
use model::{path_score, viterbi, Model, Scores};
use words::{RuleTag, Tok};

/// The compiled model, read once.
fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::read(include_bytes!("weights.bin")))
        .as_ref()
}

fn kind_of(tag: u8) -> EntityKind {
    match (tag - 1) / 2 {
        0 => EntityKind::Person,
        1 => EntityKind::Organization,
        _ => EntityKind::Place,
    }
}

fn tag_base(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 1,
        EntityKind::Organization => 3,
        EntityKind::Place => 5,
    }
}

/// The rules' reading as one tag per token: B at a mention's first token, I
/// at the rest of it.
#[inline(never)]
fn rule_tags(toks: &[Tok], spans: &[(usize, usize, EntityKind)]) -> Vec<RuleTag> {
    let mut tags = vec![0; toks.len()];
    for &(s, e, kind) in spans {
        let first = toks.partition_point(|t| (t.start as usize) < s);
        let mut k = first;
        while k < toks.len() && toks[k].end as usize <= e {
            tags[k] = tag_base(kind) + (k > first) as u8;
            k += 1;
        }
    }
    tags
}

/// Spans (start, end, kind) of the tags of the segments.
fn spans_of(
    toks: &[Tok],
    segments: &[std::ops::Range<usize>],
    tags: &[u8],
) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    let mut at = 0;
    for seg in segments {
        let mut open: Option<(usize, usize, u8)> = None;
        for i in seg.clone() {
            let t = tags[at];
            at += 1;
            let inside = t != 0 && t.is_multiple_of(2);
            match open {
                Some((s, _, base)) if inside && t == base + 1 => {
                    open = Some((s, toks[i].end as usize, base));
                }
                _ => {
                    if let Some((s, e, base)) = open.take() {
                        out.push((s, e, kind_of(base)));
                    }
                    if t != 0 {
                        let base = if inside { t - 1 } else { t };
                        open = Some((toks[i].start as usize, toks[i].end as usize, base));
                    }
                }
            }
        }
        if let Some((s, e, base)) = open {
            out.push((s, e, kind_of(base)));
        }
    }
    out
}

/// The names the model finds in `text` (recased; `original` as written),
/// given the rules' mentions.
///
/// The model overrules the rules in a segment only when its reading beats
/// theirs by more than `margin` (in the model's own score): where the rules
/// are sure of themselves and the model is not, the rules were usually
/// right (their word lists hold what no training text taught the model).
#[inline(never)]
fn find<S: Scores>(
    scores: &S,
    margin: f32,
    text: &str,
    original: &str,
    lexicon: &Lexicon,
    rule_spans: &[(usize, usize, EntityKind)],
    works: &[&str],
) -> Vec<(usize, usize, EntityKind)> {
    let toks = words::tokenize(text, original);
    let rules = rule_tags(&toks, rule_spans);
    let work = work_tokens(text, &toks, works);
    let f = features(text, original, lexicon, &rules, &work, toks);
    let mut tags: Vec<u8> = Vec::with_capacity(f.bounds.len());
    let mut seg_tags = Vec::new();
    let mut em = Vec::new();
    let mut theirs = Vec::new();
    let mut k = 0;
    for seg in &f.segments {
        let bounds = &f.bounds[k..=k + seg.len()];
        let allowed = &f.allowed[k..k + seg.len()];
        let best = viterbi(scores, &f.keys, bounds, allowed, &mut em, &mut seg_tags);
        theirs.clear();
        theirs.extend_from_slice(&rules[seg.clone()]);
        // A rule name begun before the segment begins in it.
        if let Some(t) = theirs.first_mut() {
            if *t != 0 && *t % 2 == 0 {
                *t -= 1;
            }
        }
        if theirs != seg_tags && best - path_score(scores, &em, &theirs) <= margin {
            tags.extend_from_slice(&theirs);
        } else {
            tags.extend_from_slice(&seg_tags);
        }
        k += seg.len();
    }
    let mut out = spans_of(&f.toks, &f.segments, &tags);
    // What the lists and the rules agree on, the model does not overrule: a
    // listed name the rules gave its listed kind keeps it outside sport
    // (where a country may be its team): "Moody's" is no person. Legal
    // forms alone ("Co Inc") are no organisation.
    out.retain_mut(|(s, e, kind)| {
        // No name starts or ends with a mark: "-Beijing".
        let t = &text[*s..*e];
        *s += t.len() - t.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let t = &text[*s..*e];
        *e -= t.len() - t.trim_end_matches(['-', '\'', '’', ',']).len();
        if *s >= *e {
            return false;
        }
        // A person's name never holds a possessive: "Lowe's notes", where
        // the rules read the person Lowe (and the lists know a Lowe's).
        if *kind == EntityKind::Person {
            for p in ["'s", "’s"] {
                if text[*s..*e].ends_with(p) && rule_spans.contains(&(*s, *e - p.len(), *kind)) {
                    *e -= p.len();
                }
            }
        }
        if let Some(&(_, listed)) = lexicon.names.get(&text[*s..*e]) {
            let ruled = rule_spans
                .iter()
                .find(|r| (r.0, r.1) == (*s, *e))
                .map(|r| r.2);
            if !f.sporty && ruled == Some(listed) {
                *kind = listed;
            } else if *kind == EntityKind::Person
                && listed != EntityKind::Person
                && ruled != Some(EntityKind::Person)
            {
                // A listed place or body is no person unless the rules say
                // so ("captain Wales" is the team).
                *kind = ruled.unwrap_or(listed);
            }
        }
        // A person's name never holds a possessive: "Lowe's notes".
        if *kind == EntityKind::Person {
            for p in ["'s", "’s"] {
                if text[*s..*e].ends_with(p) && *e - p.len() > *s {
                    *e -= p.len();
                }
            }
        }
        let words = &text[*s..*e];
        !(*kind == EntityKind::Organization && words.split(' ').all(is_legal_form))
    });
    // The rules' names outside every segment are theirs alone.
    let outside = |&&(s, e, _): &&(usize, usize, EntityKind)| {
        !f.segments.iter().any(|seg| {
            (f.toks[seg.start].start as usize) < e && s < f.toks[seg.end - 1].end as usize
        })
    };
    out.extend(rule_spans.iter().filter(outside).copied());
    out.sort_by_key(|&(s, e, _)| (s, e));
    out
}

/// The tokens inside a mention of a name the rules took for a work,
/// product or fictional character.
fn work_tokens(text: &str, toks: &[Tok], works: &[&str]) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    for name in works.iter().filter(|n| !n.is_empty()) {
        for (s, _) in text.match_indices(name) {
            let e = s + name.len();
            let first = toks.partition_point(|t| (t.start as usize) < s);
            let mut k = first;
            while k < toks.len() && toks[k].end as usize <= e {
                out[k] = true;
                k += 1;
            }
        }
    }
    out
}

fn mention_spans(entities: &[Entity]) -> Vec<(usize, usize, EntityKind)> {
    let mut v: Vec<_> = entities
        .iter()
        .flat_map(|e| e.mentions.iter().map(move |m| (m.start, m.end, e.kind)))
        .collect();
    v.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    v
}

/// The entities of a text: the model's spans, named as the rules name them
/// where the rules found the same span or the same words, else by the
/// gazetteers or as written. Without a compiled model, the rules' own.
pub(super) fn tag(
    text: &str,
    original: &str,
    lexicon: &'static Lexicon,
    rules: Vec<Entity>,
    works: &[&str],
) -> Vec<Entity> {
    let Some(model) = model() else {
        return rules;
    };
    let spans = find(
        model,
        model.margin(),
        text,
        original,
        lexicon,
        &mention_spans(&rules),
        works,
    );
    name(text, lexicon, rules, spans)
}

/// Groups spans into entities, each named as the rules named the same span
/// or the same words of the same type.
#[inline(never)]
fn name(
    text: &str,
    lexicon: &'static Lexicon,
    rules: Vec<Entity>,
    spans: Vec<(usize, usize, EntityKind)>,
) -> Vec<Entity> {
    let mut by_span: FxHashMap<(usize, usize, EntityKind), usize> = FxHashMap::default();
    let mut by_words: FxHashMap<(&str, EntityKind), usize> = FxHashMap::default();
    for (i, e) in rules.iter().enumerate() {
        for m in &e.mentions {
            by_span.insert((m.start, m.end, e.kind), i);
            by_words.entry((&text[m.start..m.end], e.kind)).or_insert(i);
        }
    }
    let mut out: Vec<Entity> = Vec::new();
    let mut index: FxHashMap<(EntityKind, String), usize> = FxHashMap::default();
    for (s, e, kind) in spans {
        let words = &text[s..e];
        let known = by_span
            .get(&(s, e, kind))
            .or_else(|| by_words.get(&(words, kind)))
            .map(|&i| rules[i].name.clone());
        let name = known.unwrap_or_else(|| name_of(words, kind, lexicon, &rules));
        let at = *index.entry((kind, name.clone())).or_insert_with(|| {
            out.push(Entity {
                kind,
                name,
                mentions: Vec::new(),
            });
            out.len() - 1
        });
        out[at].mentions.push(Mention { start: s, end: e });
    }
    out
}

/// A name for words the rules did not name: a lone surname or given name as
/// the full name of the one person the rules found with it, a listed name as the gazetteers write it,
/// an organisation without its legal form, else the words as written.
fn name_of(words: &str, kind: EntityKind, lexicon: &'static Lexicon, rules: &[Entity]) -> String {
    let words: String = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if kind == EntityKind::Person && !words.contains(' ') {
        // "Voss" or "Paul" for Paul Voss, when one person has that name.
        let mut full = rules.iter().filter(|e| {
            let mut parts = e.name.split(' ');
            e.kind == EntityKind::Person
                && e.name.contains(' ')
                && (parts.next() == Some(words.as_str())
                    || parts.next_back() == Some(words.as_str()))
        });
        if let (Some(e), None) = (full.next(), full.next()) {
            return e.name.clone();
        }
    }
    if let Some(&(canonical, k)) = lexicon.names.get(words.as_str()) {
        if k == kind {
            return canonical.to_string();
        }
    }
    if kind == EntityKind::Organization {
        if let Some(n) = org_name_in(&words, lexicon) {
            return n.into_owned();
        }
    }
    words
}

/// What training needs: the features of a text's segments and the model's
/// decoding. Used by the trainer (`examples/ner-train.rs`); not part of the
/// library's interface.
#[doc(hidden)]
pub mod training {
    pub use super::features::RULE_KEY;
    pub use super::model::{may_follow, viterbi, Allowed, Model, Scores, TAGS};
    use super::*;

    /// One segment: its tokens' feature keys and their gold tags.
    pub struct Segment {
        /// Feature keys, those of token k at `keys[bounds[k]..bounds[k+1]]`.
        pub keys: Vec<u64>,
        /// Offsets into `keys`, one more than the tokens.
        pub bounds: Vec<u32>,
        /// Gold tag per token.
        pub gold: Vec<u8>,
        /// The tags each token may take.
        pub allowed: Vec<Allowed>,
    }

    /// The text as the extractor reads it: recased, and the rules' spans.
    fn read(text: &str) -> (String, Vec<(usize, usize, EntityKind)>, Vec<String>) {
        let lexicon = super::super::lexicon::lexicon();
        let recased = super::super::truecase::truecase(text, lexicon).into_owned();
        let (rules, works) = super::super::extract_in(&recased);
        let spans = mention_spans(&rules);
        let works = works.into_iter().map(str::to_string).collect();
        (recased, spans, works)
    }

    /// The segments of `text` with gold tags from `gold` (start, end, kind),
    /// and how many gold mentions no segment can hold.
    pub fn segments(text: &str, gold: &[(usize, usize, EntityKind)]) -> (Vec<Segment>, usize) {
        let lexicon = super::super::lexicon::lexicon();
        let (recased, spans, works) = read(text);
        let works: Vec<&str> = works.iter().map(String::as_str).collect();
        let toks = words::tokenize(&recased, text);
        let rules = rule_tags(&toks, &spans);
        let work = work_tokens(&recased, &toks, &works);
        let gold_tags = rule_tags(&toks, gold);
        let f = features(&recased, text, lexicon, &rules, &work, toks);
        let mut unreachable = 0;
        // A gold mention must start and end on token edges inside one segment.
        for &(s, e, _) in gold {
            let ok = f.segments.iter().any(|seg| {
                f.toks[seg.clone()].iter().any(|t| t.start as usize == s)
                    && f.toks[seg.clone()].iter().any(|t| t.end as usize == e)
            });
            unreachable += !ok as usize;
        }
        let mut out = Vec::with_capacity(f.segments.len());
        let mut k = 0;
        for seg in &f.segments {
            let base = f.bounds[k];
            out.push(Segment {
                keys: f.keys[base as usize..f.bounds[k + seg.len()] as usize].to_vec(),
                bounds: f.bounds[k..=k + seg.len()]
                    .iter()
                    .map(|b| b - base)
                    .collect(),
                gold: seg.clone().map(|i| gold_tags[i]).collect(),
                allowed: f.allowed[k..k + seg.len()].to_vec(),
            });
            k += seg.len();
        }
        (out, unreachable)
    }

    /// The rules' spans alone, as the extractor without a model gives them.
    pub fn rule_spans(text: &str) -> Vec<(usize, usize, EntityKind)> {
        read(text).1
    }

    /// The spans the model `scores` finds in `text`, as the extractor would
    /// (before naming).
    /// `margin` is how much more than the rules' reading the model's must
    /// score to overrule it.
    pub fn spans<S: Scores>(
        scores: &S,
        margin: f32,
        text: &str,
    ) -> Vec<(usize, usize, EntityKind)> {
        let lexicon = super::super::lexicon::lexicon();
        let (recased, spans, works) = read(text);
        let works: Vec<&str> = works.iter().map(String::as_str).collect();
        find(scores, margin, &recased, text, lexicon, &spans, &works)
    }
}
