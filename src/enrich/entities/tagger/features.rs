//! What the tagger sees of each word in a stretch where a name may be
//! (`words`): the features the model weighs, as 64-bit hashes of
//! (template, value), and the tags the rules and lists allow it.
//!
//! Only words in a stretch get features: a lowercase word outside one is no
//! name in news, and most words are that. This keeps the tagger within the
//! indexer's budget of time.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::lexicon::{
    contains_lower, cue_flags, Flags, Lexicon, DEMONYM, GIVEN, NAME_FIRST, TITLE_START,
};
use super::super::vocab::is_event_word;
use super::model::Allowed;
use super::words::{
    finish, hash_chars, hash_lower, joins, mix, segments, shape, RuleTag, Tok, ALLCAP, CAP, DIGIT,
    INITIAL, LOWER, PARA_START, RECASED, SEED, SENT_START,
};
use crate::article::EntityKind;

// Bits of the word flags above the lexicon's own.
/// The word is an organisation suffix ("Group", "plc").
const ORG_SUFFIX: Flags = 1 << 14;
/// The word was looked up.
const LOOKED: Flags = 1 << 15;

// Templates: the first argument of every feature key.
const BIAS: u64 = 1;
const WORD: u64 = 2;
const SHAPE: u64 = 3;
const PRE3: u64 = 4;
const SUF3: u64 = 5;
const SUF2: u64 = 6;
const FLAG: u64 = 7;
const PREV1: u64 = 8;
const PREV2: u64 = 9;
const NEXT1: u64 = 10;
const NEXT2: u64 = 11;
const BIGRAM_BEFORE: u64 = 12;
const BIGRAM_AFTER: u64 = 13;
const SHAPE_PREV: u64 = 14;
const SHAPE_NEXT: u64 = 15;
const PREV_WORD: u64 = 16;
const SSTART_SHAPE: u64 = 17;
const GAZ: u64 = 18;
const GAZ_LEN: u64 = 19;
const CUE: u64 = 20;
const ORGSUF_AHEAD: u64 = 21;
const DOC_CUE: u64 = 22;
const SPORT_GAZ: u64 = 23;
const SPORT_SHAPE: u64 = 24;
const RULE: u64 = 25;
const RULE_SHAPE: u64 = 26;
const RULE_PREV: u64 = 27;
const RULE_NEXT: u64 = 28;
const RULE_DOC: u64 = 29;
const RECASED_SHAPE: u64 = 30;
const SEG_PREV: u64 = 32;
const SEG_NEXT: u64 = 33;
const SEG_PREV_CUE: u64 = 34;
const SEG_NEXT_CUE: u64 = 35;
const RULE_WORK: u64 = 36;

// Values of FLAG and CUE.
const F_CAP: u64 = 1;
const F_ALLCAP: u64 = 2;
const F_DIGIT: u64 = 3;
const F_INITIAL: u64 = 4;
const F_SSTART: u64 = 5;
const F_PSTART: u64 = 6;
const F_HEADLINE: u64 = 7;
const F_CAPSLINE: u64 = 8;
const F_RECASED: u64 = 9;
const F_LOWER: u64 = 10;
const C_GIVEN: u64 = 1;
const C_PREV_GIVEN: u64 = 2;
const C_COMMON: u64 = 3;
const C_COMMON_CAP: u64 = 4;
const C_DEMONYM: u64 = 5;
const C_ORGSUF: u64 = 6;
const C_AFTER_TITLE: u64 = 7;
const C_TITLE: u64 = 8;
const C_PAREN_ACRO: u64 = 9;
const C_PAREN_ACRO_AFTER_NAME: u64 = 10;
const C_BEFORE_PAREN_ACRO: u64 = 11;
const C_SEEN_LOWER: u64 = 12;
const C_SEEN_MIDCAP: u64 = 13;
const C_DOC_PAREN_ACRO: u64 = 14;
const C_SPORTSDOC: u64 = 15;
const C_SPORT_CTX: u64 = 16;
// What the article says of a word (`Evidence::words`).
const W_SPORT: u32 = 1;
const W_SEGMENT: u32 = 2;
const W_LOWER_SEEN: u32 = 4;
const W_MIDCAP: u32 = 8;
const W_PAREN_ACRO: u32 = 16;
// In-article cues shared by every occurrence of a word (DOC_CUE).
const D_TITLE: u8 = 1;
const D_GIVEN: u8 = 2;
const D_IN: u8 = 4;
const D_ORGSUF: u8 = 8;
const D_SAID: u8 = 16;
const D_ORGNOUN: u8 = 32;

/// Set in the keys of the features that are the rules' reading, so that
/// training can weigh the rules as a whole (`--rule-scale`).
pub const RULE_KEY: u64 = 1 << 63;

#[inline]
pub(super) fn key(template: u64, a: u64, b: u64) -> u64 {
    finish(mix(mix(template.wrapping_mul(SEED), a), b)) & !RULE_KEY | 1
}

/// The words of a text and the features of those in name stretches.
pub(super) struct Features {
    pub(super) toks: Vec<Tok>,
    /// Stretches of tokens where a name may be: capitalised words and the
    /// small words between them.
    pub(super) segments: Vec<Range<usize>>,
    /// The feature keys of every token in a segment, in segment order:
    /// those of the k-th are `keys[bounds[k]..bounds[k + 1]]`.
    pub(super) keys: Vec<u64>,
    pub(super) bounds: Vec<u32>,
    /// Per token of a segment, the tags it may take.
    pub(super) allowed: Vec<Allowed>,
    /// The article is a sport report.
    pub(super) sporty: bool,
}

/// What the whole article says of a word, gathered once.
struct Evidence {
    /// By a word's lowercase hash: what the article says of it (`W_*`
    /// bits, the `D_*` cues shifted by 8, the rules' kinds by 16).
    words: FxHashMap<u64, u32>,
    sporty: bool,
    headline_line: Option<u32>,
    caps_lines: FxHashSet<u32>,
}

const SPORT_WORDS: &[&str] = &[
    "match",
    "goal",
    "goals",
    "striker",
    "midfielder",
    "defender",
    "coach",
    "manager",
    "league",
    "cup",
    "championship",
    "tournament",
    "season",
    "win",
    "won",
    "beat",
    "draw",
    "drew",
    "minute",
    "penalty",
    "team",
    "squad",
    "captain",
    "scored",
    "game",
    "victory",
    "defeat",
    "final",
    "semi",
    "side",
    "club",
    "fans",
    "half",
];
const SPORT_CUES: &[&str] = &[
    "beat", "beats", "against", "v", "vs", "drew", "lost", "defeated", "won", "play", "face",
    "faced", "host", "hosts", "visit", "for", "scored", "win", "over", "–", "-",
];

fn hashes(words: &[&str]) -> FxHashSet<u64> {
    words.iter().map(|w| hash_lower(w)).collect()
}

struct Consts {
    sport_words: FxHashSet<u64>,
    sport_cues: FxHashSet<u64>,
    place_preps: FxHashSet<u64>,
    said: FxHashSet<u64>,
    org_nouns: FxHashSet<u64>,
    paren_open: u64,
    paren_close: u64,
    bos: u64,
    eos: u64,
}

fn consts() -> &'static Consts {
    static C: std::sync::OnceLock<Consts> = std::sync::OnceLock::new();
    C.get_or_init(|| Consts {
        sport_words: hashes(SPORT_WORDS),
        sport_cues: hashes(SPORT_CUES),
        place_preps: hashes(&["in", "at", "from", "near", "to"]),
        said: hashes(&["said", "says", "told"]),
        org_nouns: hashes(&["shares", "spokesman", "spokeswoman", "chairman", "chief"]),
        paren_open: hash_lower("("),
        paren_close: hash_lower(")"),
        bos: hash_lower("<s>"),
        eos: hash_lower("</s>"),
    })
}

/// The rules' B tag of a kind.
fn tag_base(kind: EntityKind) -> RuleTag {
    match kind {
        EntityKind::Person => 1,
        EntityKind::Organization => 3,
        EntityKind::Place => 5,
    }
}

fn kind_bit(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 1,
        EntityKind::Organization => 2,
        EntityKind::Place => 4,
    }
}

/// The features of every token in a segment. `rules` is the rules' tag of
/// each token (0 outside their names).
pub(super) fn features(
    text: &str,
    original: &str,
    lexicon: &Lexicon,
    rules: &[RuleTag],
    work: &[bool],
    toks: Vec<Tok>,
) -> Features {
    let _ = original;
    let mut segs = segments(text, &toks, rules);
    // A lone common word opening a sentence ("The", "But", "Meanwhile")
    // that the rules leave alone is no name: a fifth of all the words in
    // segments, and the model would say so at the cost of reading them.
    segs.retain(|seg| {
        let k = seg.start;
        !(seg.len() == 1
            && toks[k].is(SENT_START)
            && rules.get(k).is_none_or(|&r| r == 0)
            && contains_lower(
                &lexicon.common,
                &text[toks[k].start as usize..toks[k].end as usize],
            ))
    });
    let n = toks.len();
    let c = consts();
    let word = |k: usize| &text[toks[k].start as usize..toks[k].end as usize];
    // What the lists say of the words in and just before the segments, one
    // lookup each (the rest are never asked about).
    let mut lex = vec![0 as Flags; n];
    for seg in &segs {
        for k in seg.start.saturating_sub(3)..(seg.end + 1).min(n) {
            if lex[k] & LOOKED != 0 || !(toks[k].is(CAP) || toks[k].is(LOWER)) {
                continue;
            }
            let w = word(k);
            let mut f = lexicon.word_flags.get(w) | LOOKED;
            if toks[k].is(CAP) && lexicon.org_suffixes.contains(w) {
                f |= ORG_SUFFIX;
            }
            lex[k] = f;
        }
    }
    // A title or role word ends right before token `k`, starting `len`
    // tokens back; a capitalised one must be a title as written.
    let title_before = |k: usize, len: usize| {
        let first = k - len;
        lex[first] & TITLE_START != 0 && {
            let w = &text[toks[first].start as usize..toks[k - 1].end as usize];
            if toks[first].is(CAP) {
                contains_lower(&lexicon.cap_titles, w)
            } else {
                contains_lower(&lexicon.titles, w)
            }
        }
    };
    let given = |k: usize| toks[k].is(CAP) && lex[k] & GIVEN != 0;
    let orgsuf = |k: usize| lex[k] & ORG_SUFFIX != 0;

    // What the article says of its capitalised words.
    let mut ev = Evidence {
        words: FxHashMap::default(),
        sporty: false,
        headline_line: None,
        caps_lines: FxHashSet::default(),
    };
    // The lowercase words worth a look: sports words (1) and the
    // capitalised words of the segments (2), one lookup per word.
    let words = &mut ev.words;
    words.reserve(segs.len() + SPORT_WORDS.len());
    for &h in &c.sport_words {
        words.insert(h, W_SPORT);
    }
    for seg in &segs {
        for k in seg.clone() {
            if toks[k].is(CAP) {
                *words.entry(toks[k].lower).or_default() |= W_SEGMENT;
            }
        }
    }
    let mut sport = 0;
    let lines = toks.last().map_or(0, |t| t.line as usize + 1);
    let mut line_counts: Vec<(u32, u32)> = vec![(0, 0); lines];
    for (k, t) in toks.iter().enumerate() {
        if t.is(LOWER) {
            if let Some(w) = words.get_mut(&t.lower) {
                if *w & W_SEGMENT != 0 {
                    *w |= W_LOWER_SEEN;
                }
                sport += (*w & W_SPORT != 0) as u32;
            }
        }
        if t.is(LOWER) || t.is(CAP) {
            let e = &mut line_counts[t.line as usize];
            e.1 += 1;
            if t.is(ALLCAP) || t.is(RECASED) {
                e.0 += 1;
            }
        }
        if !t.is(CAP) {
            continue;
        }
        if k > 0 && !t.is(SENT_START) {
            *words.entry(t.lower).or_default() |= W_MIDCAP;
        }
        let mut cue = 0u8;
        if k > 0 {
            if title_before(k, 1) {
                cue |= D_TITLE;
            }
            if given(k - 1) {
                cue |= D_GIVEN;
            }
            if c.place_preps.contains(&toks[k - 1].lower) {
                cue |= D_IN;
            }
        }
        for d in 1..=3 {
            if k + d >= n || !toks[k + d].is(CAP) {
                break;
            }
            if orgsuf(k + d) {
                cue |= D_ORGSUF;
                break;
            }
        }
        if k + 1 < n {
            if c.said.contains(&toks[k + 1].lower) {
                cue |= D_SAID;
            }
            if c.org_nouns.contains(&toks[k + 1].lower) {
                cue |= D_ORGNOUN;
            }
        }
        *words.entry(t.lower).or_default() |= (cue as u32) << 8;
        if k > 0
            && k + 1 < n
            && t.is(ALLCAP)
            && toks[k - 1].lower == c.paren_open
            && toks[k + 1].lower == c.paren_close
        {
            *words.entry(t.lower).or_default() |= W_PAREN_ACRO;
        }
        let r = rules.get(k).copied().unwrap_or(0);
        if r != 0 {
            *words.entry(t.lower).or_default() |= 1 << (16 + (r - 1) / 2);
        }
    }
    ev.sporty = sport >= 4;
    // A single word the gazetteers list, read by the rules as the kind the
    // lists give it, outside sport (where a town may be its club): the
    // model would seldom overrule them, and such words are a third of all
    // the words in segments.
    if !ev.sporty {
        segs.retain(|seg| {
            let (a, z) = (seg.start, seg.end - 1);
            let Some(&r) = rules.get(a).filter(|&&r| r != 0 && r % 2 == 1) else {
                return true;
            };
            // One name of the rules, the whole segment.
            if (a + 1..=z).any(|k| rules.get(k) != Some(&(r + 1)))
                || rules.get(z + 1) == Some(&(r + 1))
            {
                return true;
            }
            let name = &text[toks[a].start as usize..toks[z].end as usize];
            let listed = lexicon
                .names
                .get(name)
                .is_some_and(|&(_, kind)| tag_base(kind) == r);
            // "Gordon Brown": a given name, then words no suffix ends.
            let person = r == 1
                && z > a
                && lex[a] & GIVEN != 0
                && lex[z] & ORG_SUFFIX == 0
                && (a..=z).all(|k| toks[k].is(CAP));
            !(listed || person)
        });
    }
    for (l, &(caps, words)) in line_counts.iter().enumerate() {
        if words >= 2 && caps * 10 >= words * 7 {
            ev.caps_lines.insert(l as u32);
        }
    }
    if n > 0
        && text.as_bytes()[..text.len().min(300)]
            .windows(2)
            .any(|w| w == b"\n\n")
    {
        ev.headline_line = Some(toks[0].line);
    }

    let mut gaz: Vec<(u8, EntityKind, usize)> = Vec::new();
    let mut joined: Vec<bool> = Vec::new();
    // Shapes of the words of a segment and of those beside it, each once.
    let mut shapes: Vec<u64> = Vec::new();
    let mut keys: Vec<u64> = Vec::with_capacity(segs.iter().map(|s| s.len()).sum::<usize>() * 48);
    let mut bounds: Vec<u32> = vec![0];
    let mut allowed: Vec<Allowed> = Vec::new();
    for seg in &segs {
        // Gazetteer matches inside the segment, longest first.
        gaz.clear();
        gaz.resize(seg.len(), (0, EntityKind::Place, 0));
        let mut a = seg.start;
        while a < seg.end {
            // The word as the gazetteers' first word: up to a space.
            let mut g = a;
            while g + 1 < seg.end && toks[g + 1].start == toks[g].end {
                g += 1;
            }
            let first = &text[toks[a].start as usize..toks[g].end as usize];
            if lex[a] & NAME_FIRST == 0 && lexicon.word_flags.get(first) & NAME_FIRST == 0 {
                a += 1;
                continue;
            }
            let mut found = None;
            let longest = (seg.end - a).min(lexicon.max_tokens * 2 + 1);
            for len in (1..=longest).rev() {
                let name = &text[toks[a].start as usize..toks[a + len - 1].end as usize];
                if let Some(&(_, kind)) = lexicon.names.get(name) {
                    found = Some((len, kind));
                    break;
                }
            }
            match found {
                Some((len, kind)) => {
                    for d in 0..len {
                        gaz[a - seg.start + d] = (if d == 0 { 1 } else { 2 }, kind, len);
                    }
                    a += len;
                }
                None => a += 1,
            }
        }
        // The words around the whole segment, and what they cue ("the film
        // ...", "... shares"): every word of a name sees them.
        let word_cue = |k: usize| {
            if toks[k].is(LOWER) {
                cue_flags(word(k), lexicon) as u64
            } else {
                0
            }
        };
        let seg_prev = if seg.start > 0 {
            toks[seg.start - 1].lower
        } else {
            c.bos
        };
        let seg_next = if seg.end < n {
            toks[seg.end].lower
        } else {
            c.eos
        };
        let seg_prev_cue = if seg.start > 0 {
            word_cue(seg.start - 1)
        } else {
            0
        } | if seg.start > 1 {
            word_cue(seg.start - 2) << 8
        } else {
            0
        };
        let seg_next_cue = if seg.end < n { word_cue(seg.end) } else { 0 };
        // Events, competitions and awards are no names, and hide the names
        // in them ("Flora London Marathon", "Uefa Cup"), as the rules read
        // them: a segment ending in an event word the lists do not hold.
        let last = seg.end - 1;
        let event = toks[last].is(CAP)
            && is_event_word(word(last))
            && gaz[last - seg.start].0 == 0
            && rules.get(last).is_none_or(|&r| r == 0);
        // The rules' names joined by a small word or a mark ("Bank of
        // England", "Mary Queen of Scots", "Amazon.com") are read whole: the
        // model may retype one but not cut it, which it did where its
        // training text had few such names.
        joined.clear();
        joined.resize(seg.len(), false);
        let mut a = seg.start;
        while a < seg.end {
            let r = rules.get(a).copied().unwrap_or(0);
            if r == 0 || r % 2 == 0 {
                a += 1;
                continue;
            }
            let mut z = a + 1;
            while z < seg.end && rules.get(z) == Some(&(r + 1)) {
                z += 1;
            }
            if (a + 1..z).any(|k| !toks[k].is(CAP)) {
                joined[a + 1 - seg.start..z - seg.start].fill(true);
            }
            a = z;
        }
        let from = seg.start;
        shapes.clear();
        shapes.push(if from > 0 {
            shape(word(from - 1))
        } else {
            c.bos
        });
        shapes.extend(seg.clone().map(|k| shape(word(k))));
        shapes.push(if seg.end < n {
            shape(word(seg.end))
        } else {
            c.eos
        });
        for i in seg.clone() {
            let f = &mut keys;
            f.push(key(SEG_PREV, seg_prev, 0));
            f.push(key(SEG_NEXT, seg_next, 0));
            if seg_prev_cue != 0 {
                f.push(key(SEG_PREV_CUE, seg_prev_cue, 0));
            }
            if seg_next_cue != 0 {
                f.push(key(SEG_NEXT_CUE, seg_next_cue, 0));
            }
            let t = toks[i];
            let w = word(i);
            let sh = shapes[i + 1 - from];
            let lw = t.lower;
            f.push(key(BIAS, 0, 0));
            f.push(key(WORD, lw, 0));
            f.push(key(SHAPE, sh, 0));
            let lc = |c: char| c.to_lowercase().next().unwrap_or(c);
            f.push(key(PRE3, hash_chars(w.chars().take(3).map(lc)), 0));
            f.push(key(SUF3, hash_chars(w.chars().rev().take(3).map(lc)), 0));
            f.push(key(SUF2, hash_chars(w.chars().rev().take(2).map(lc)), 0));
            let flag = |f: &mut Vec<u64>, v: u64| f.push(key(FLAG, v, 0));
            let cue = |f: &mut Vec<u64>, v: u64| f.push(key(CUE, v, 0));
            if t.is(CAP) {
                flag(f, F_CAP);
            }
            if t.is(ALLCAP) {
                flag(f, F_ALLCAP);
            }
            if t.is(DIGIT) {
                flag(f, F_DIGIT);
            }
            if t.is(INITIAL) {
                flag(f, F_INITIAL);
            }
            if t.is(LOWER) {
                flag(f, F_LOWER);
            }
            if t.is(RECASED) {
                flag(f, F_RECASED);
                f.push(key(RECASED_SHAPE, sh, 0));
            }
            let low = |k: Option<usize>, edge: u64| k.map_or(edge, |k| toks[k].lower);
            let p1 = low(i.checked_sub(1), c.bos);
            let p2 = low(i.checked_sub(2), c.bos);
            let n1 = low(Some(i + 1).filter(|&k| k < n), c.eos);
            let n2 = low(Some(i + 2).filter(|&k| k < n), c.eos);
            f.push(key(PREV1, p1, 0));
            f.push(key(PREV2, p2, 0));
            f.push(key(NEXT1, n1, 0));
            f.push(key(NEXT2, n2, 0));
            f.push(key(BIGRAM_BEFORE, p2, p1));
            f.push(key(BIGRAM_AFTER, n1, n2));
            let sp = shapes[i - from];
            let sn = shapes[i + 2 - from];
            f.push(key(SHAPE_PREV, sp, sh));
            f.push(key(SHAPE_NEXT, sh, sn));
            f.push(key(PREV_WORD, p1, lw));
            if t.is(SENT_START) {
                flag(f, F_SSTART);
                f.push(key(SSTART_SHAPE, sh, 0));
            }
            if t.is(PARA_START) {
                flag(f, F_PSTART);
            }
            if ev.headline_line == Some(t.line) {
                flag(f, F_HEADLINE);
            }
            if ev.caps_lines.contains(&t.line) {
                flag(f, F_CAPSLINE);
            }
            let (bio, kind, len) = gaz[i - seg.start];
            if bio != 0 {
                f.push(key(GAZ, bio as u64, kind_bit(kind) as u64));
                f.push(key(
                    GAZ_LEN,
                    bio as u64 * 8 + len.min(4) as u64,
                    kind_bit(kind) as u64,
                ));
            }
            if given(i) {
                cue(f, C_GIVEN);
            }
            if i > 0 && given(i - 1) {
                cue(f, C_PREV_GIVEN);
            }
            if contains_lower(&lexicon.common, w) {
                cue(f, C_COMMON);
                if t.is(CAP) {
                    cue(f, C_COMMON_CAP);
                }
            }
            if lex[i] & DEMONYM != 0 {
                cue(f, C_DEMONYM);
            }
            if orgsuf(i) {
                cue(f, C_ORGSUF);
            }
            for d in 1..=3 {
                if i + d >= n || !(toks[i + d].is(CAP) || joins(word(i + d))) {
                    break;
                }
                if orgsuf(i + d) {
                    f.push(key(ORGSUF_AHEAD, d as u64, 0));
                    break;
                }
            }
            if (1..=3.min(i)).any(|len| title_before(i, len)) {
                cue(f, C_AFTER_TITLE);
            }
            if i + 1 < n && title_before(i + 1, 1) {
                cue(f, C_TITLE);
            }
            if t.is(ALLCAP) && i > 1 && p1 == c.paren_open && n1 == c.paren_close {
                cue(f, C_PAREN_ACRO);
                if toks[i - 2].is(CAP) {
                    cue(f, C_PAREN_ACRO_AFTER_NAME);
                }
            }
            if t.is(CAP) && i + 2 < n && n1 == c.paren_open && toks[i + 2].is(ALLCAP) {
                cue(f, C_BEFORE_PAREN_ACRO);
            }
            if t.is(CAP) {
                let said = ev.words.get(&lw).copied().unwrap_or(0);
                if said & W_LOWER_SEEN != 0 {
                    cue(f, C_SEEN_LOWER);
                }
                if said & W_MIDCAP != 0 {
                    cue(f, C_SEEN_MIDCAP);
                }
                if said & W_PAREN_ACRO != 0 {
                    cue(f, C_DOC_PAREN_ACRO);
                }
                if ev.sporty {
                    cue(f, C_SPORTSDOC);
                    if bio != 0 {
                        f.push(key(SPORT_GAZ, kind_bit(kind) as u64, 0));
                    }
                    let near = (i.saturating_sub(3)..i).chain(i + 1..(i + 4).min(n));
                    if near
                        .into_iter()
                        .any(|k| c.sport_cues.contains(&toks[k].lower) || toks[k].is(DIGIT))
                    {
                        cue(f, C_SPORT_CTX);
                        f.push(key(SPORT_SHAPE, sh, 0));
                    }
                }
                let d = (said >> 8) as u8;
                for bit in 0..6 {
                    if d & (1 << bit) != 0 {
                        f.push(key(DOC_CUE, bit, 0));
                    }
                }
            }
            let r = rules.get(i).copied().unwrap_or(0) as u64;
            let rp = if i > 0 {
                rules.get(i - 1).copied().unwrap_or(0) as u64
            } else {
                9
            };
            let rn = if i + 1 < n {
                rules.get(i + 1).copied().unwrap_or(0) as u64
            } else {
                9
            };
            f.push(key(RULE, r, 0) | RULE_KEY);
            f.push(key(RULE_SHAPE, r, sh) | RULE_KEY);
            f.push(key(RULE_PREV, rp, r) | RULE_KEY);
            f.push(key(RULE_NEXT, rn, 0) | RULE_KEY);
            if work.get(i) == Some(&true) {
                f.push(key(RULE_WORK, 0, 0) | RULE_KEY);
                f.push(key(RULE_WORK, r, 0) | RULE_KEY);
            }
            if t.is(CAP) {
                let kinds = (ev.words.get(&lw).copied().unwrap_or(0) >> 16) as u8;
                for bit in 0..3 {
                    if kinds & (1 << bit) != 0 {
                        f.push(key(RULE_DOC, bit, 0) | RULE_KEY);
                    }
                }
            }
            bounds.push(keys.len() as u32);
            // "and", a possessive or a dash is inside a name only where the
            // rules or the gazetteers read one across it: the model alone
            // glued "Apple Computer and Cisco Systems" into one.
            let spaced =
                i + 1 < n && toks[i + 1].start > t.end || i > 0 && t.start > toks[i - 1].end;
            // Nor is a work, product or fictional character the rules'
            // context marked ("the film Harry Potter"): what the model knows
            // of such names is that they look like people and places.
            let joint = (matches!(w, "and" | "'s" | "’s") || w == "-" && spaced)
                && bio != 2
                && rules.get(i).is_none_or(|&r| r == 0 || r % 2 == 1);
            // Two names the rules read side by side, or with only small words
            // between them, stay two ("UK" and "Department for Work and
            // Pensions", "Ingrid Solberg of Norway"): the model may not join
            // them. Nor does a name run on into a sentence's first word
            // ("Washington D.C. The").
            let fresh = i > seg.start
                && (r % 2 == 1 && {
                    let mut k = i - 1;
                    while k > seg.start
                        && k + 3 >= i
                        && rules.get(k) == Some(&0)
                        && toks[k].is(LOWER)
                        && joins(word(k))
                    {
                        k -= 1;
                    }
                    rules.get(k).is_some_and(|&p| p != 0)
                } || r == 0 && t.is(SENT_START) && contains_lower(&lexicon.common, w));
            allowed.push(if joint || event || work.get(i) == Some(&true) && r == 0 {
                Allowed::Outside
            } else if fresh {
                Allowed::NoInside
            } else if i > seg.start && r != 0 && r.is_multiple_of(2) && joined[i - seg.start] {
                Allowed::Inside
            } else {
                Allowed::Any
            });
        }
    }
    Features {
        toks,
        segments: segs,
        keys,
        bounds,
        allowed,
        sporty: ev.sporty,
    }
}
