//! The words of a text as the tagger reads them: every word and
//! punctuation mark with its byte span, casing and position, its lowercase
//! form hashed, and the stretches of capitalised words (and the small words
//! inside names) where a name may be.

use std::ops::Range;

use super::super::vocab::is_connector;

/// Starts with an uppercase letter, or is a mixed-case word ("eBay").
pub(super) const CAP: u16 = 1;
/// Two or more letters, all capitals.
pub(super) const ALLCAP: u16 = 2;
/// Has a digit.
pub(super) const DIGIT: u16 = 4;
/// A line break comes before it.
pub(super) const LINE_START: u16 = 8;
/// A blank line comes before it.
pub(super) const PARA_START: u16 = 16;
/// A sentence starts with it.
pub(super) const SENT_START: u16 = 32;
/// All lowercase letters.
pub(super) const LOWER: u16 = 64;
/// A single letter or letters with dots ("J", "U.S.").
pub(super) const INITIAL: u16 = 128;
/// Written in capitals in the original, recased for reading.
pub(super) const RECASED: u16 = 256;

/// Bytes of ASCII words: 1 small letter, 2 capital, 3 digit, 0 other.
static WORD_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' => 1,
            b'A'..=b'Z' => 2,
            b'0'..=b'9' => 3,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// A word or punctuation mark.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) start: u32,
    pub(super) end: u32,
    /// Hash of the lowercased word.
    pub(super) lower: u64,
    pub(super) flags: u16,
    pub(super) line: u32,
}

impl Tok {
    pub(super) fn is(&self, f: u16) -> bool {
        self.flags & f != 0
    }
}

pub(super) const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

#[inline]
pub(super) fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// A strong final scramble (splitmix64's): keys are looked up in an
/// open-addressed table by their low bits.
#[inline]
pub(super) fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash of a string lowercased.
pub(super) fn hash_lower(w: &str) -> u64 {
    let mut h = SEED;
    if w.is_ascii() {
        return hash_ascii_lower(w.as_bytes());
    } else {
        for c in w.chars().flat_map(char::to_lowercase) {
            h = mix(h, c as u64);
        }
    }
    h
}

/// Hash of ASCII bytes lowercased, eight at a time: setting bit 5 lowercases
/// a capital and leaves small letters, digits and the punctuation inside
/// words as they are.
#[inline]
fn hash_ascii_lower(b: &[u8]) -> u64 {
    let mut h = mix(SEED, b.len() as u64);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w) | 0x2020_2020_2020_2020);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        let lower = u64::from_le_bytes(w) | (0x2020_2020_2020_2020 >> (8 * (8 - rest.len())));
        h = mix(h, lower);
    }
    h
}

pub(super) fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(SEED, |h, c| mix(h, c as u64))
}

/// The word's shape, classes of characters collapsed: "Xx", "X.X.", "d".
pub(super) fn shape(w: &str) -> u64 {
    let mut h = SEED;
    let mut last = '\0';
    let mut n = 0;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if k != last {
            h = mix(h, k as u64);
            last = k;
            n += 1;
            if n == 6 {
                break;
            }
        }
    }
    h
}
/// A tag of the rules' reading, as a feature value: 0 outside, then
/// B/I × person, organisation, place as the model's tags.
pub(super) type RuleTag = u8;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Cuts `text` into words and punctuation marks. `original` is the text
/// before recasing (same length), to mark the words written in capitals.
#[inline(never)]
pub(super) fn tokenize(text: &str, original: &str) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut out: Vec<Tok> = Vec::with_capacity(text.len() / 5 + 8);
    let mut i = 0;
    let mut line = 0u32;
    let mut newlines = 0u32;
    let mut sentence = true;
    let recased = text.len() == original.len() && text != original;
    while i < bytes.len() {
        let b = bytes[i];
        // Most words: ASCII letters and digits up to a space or a mark
        // that cannot continue a word. Others take the long way below.
        if b.is_ascii_alphanumeric() {
            let mut j = i;
            let (mut upper, mut lower, mut digit) = (0usize, 0usize, false);
            while let Some(&c) = bytes.get(j) {
                match WORD_CLASS[c as usize] {
                    1 => lower += 1,
                    2 => upper += 1,
                    3 => digit = true,
                    _ => break,
                }
                j += 1;
            }
            let stop = bytes.get(j).copied().unwrap_or(b' ');
            let simple = !matches!(stop, b'\'' | b'.') && stop < 0x80;
            if simple {
                let mut flags = casing(b.is_ascii_uppercase(), upper, lower, digit);
                if recased && original.as_bytes()[i..j] != bytes[i..j] {
                    flags |= RECASED;
                }
                let h = hash_ascii_lower(&bytes[i..j]);
                push(&mut out, i, j, h, flags, line, newlines, sentence);
                sentence = false;
                newlines = 0;
                i = j;
                continue;
            }
        }
        if b == b'\n' {
            line += 1;
            newlines += 1;
            sentence = true;
            i += 1;
            continue;
        }
        if b == b' ' || b == b'\t' || b == b'\r' {
            i += 1;
            continue;
        }
        let (c, len) = if b < 0x80 {
            (b as char, 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        if c.is_whitespace() {
            i += len;
            continue;
        }
        let start = i;
        let mut flags = 0u16;
        if is_word_char(c) {
            let mut j = i;
            let mut upper = 0usize;
            let mut lower = 0usize;
            let mut digit = false;
            let mut first_upper = false;
            // The lowercased word's hash as it is read, for ASCII words.
            let mut h = SEED;
            let mut ascii = true;
            loop {
                // ASCII letters and digits the quick way.
                if let Some(&b) = bytes.get(j) {
                    if b.is_ascii_alphanumeric() {
                        h = mix(h, b.to_ascii_lowercase() as u64);
                        if b.is_ascii_uppercase() {
                            first_upper |= j == start;
                            upper += 1;
                        } else if b.is_ascii_lowercase() {
                            lower += 1;
                        } else {
                            digit = true;
                        }
                        j += 1;
                        continue;
                    }
                }
                let Some(ch) = text[j..].chars().next() else {
                    break;
                };
                if is_word_char(ch) {
                    ascii = false;
                    if ch.is_uppercase() {
                        if j == start {
                            first_upper = true;
                        }
                        upper += 1;
                    } else if ch.is_lowercase() {
                        lower += 1;
                    } else if ch.is_numeric() {
                        digit = true;
                    }
                    j += ch.len_utf8();
                    continue;
                }
                // An inner apostrophe (O'Brien, don't), not a possessive.
                if matches!(ch, '\'' | '’') {
                    let k = j + ch.len_utf8();
                    let next = text[k..].chars().next();
                    let after = text[k..].chars().nth(1);
                    let possessive =
                        matches!(next, Some('s' | 'S')) && !after.is_some_and(is_word_char);
                    if next.is_some_and(is_word_char) && !possessive {
                        h = mix(h, ch as u64);
                        ascii &= ch.is_ascii();
                        j = k;
                        continue;
                    }
                }
                break;
            }
            // Letters with dots: "U.S.", "E.F.", "J." (a sentence may end
            // with a capital letter, but names hold far more initials).
            if upper + lower == 1 && upper == 1 && bytes.get(j) == Some(&b'.') {
                let mut k = j + 1;
                while k + 1 < bytes.len() && bytes[k].is_ascii_uppercase() && bytes[k + 1] == b'.' {
                    k += 2;
                }
                for &b in &bytes[start + 1..k] {
                    h = mix(h, b.to_ascii_lowercase() as u64);
                }
                j = k;
                flags |= INITIAL;
            }
            let word = &text[start..j];
            flags |= casing(first_upper, upper, lower, digit);
            if recased && original.as_bytes()[start..j] != bytes[start..j] {
                flags |= RECASED;
            }
            let lower = if ascii {
                hash_ascii_lower(word.as_bytes())
            } else {
                hash_lower(word)
            };
            push(&mut out, start, j, lower, flags, line, newlines, sentence);
            // "D.C. The": a sentence may end with the dot of an initial.
            sentence = word.len() > 2 && word.ends_with('.');
            newlines = 0;
            i = j;
            continue;
        }
        // A possessive 's, or one punctuation mark.
        let mut j = i + len;
        if matches!(c, '\'' | '’') && matches!(bytes.get(j), Some(b's' | b'S')) {
            j += 1;
        }
        push(
            &mut out,
            start,
            j,
            hash_lower(&text[start..j]),
            flags,
            line,
            newlines,
            sentence,
        );
        newlines = 0;
        sentence = matches!(c, '.' | '!' | '?' | ':' | '"' | '“' | '”' | '—' | '–' | '•');
        i = j;
    }
    out
}

/// The casing flags of a word from its first letter and its counts of
/// capitals, small letters and digits.
fn casing(first_upper: bool, upper: usize, lower: usize, digit: bool) -> u16 {
    let mut flags = 0;
    if first_upper || (upper > 0 && lower > 0) {
        flags |= CAP;
    }
    if upper >= 2 && lower == 0 {
        flags |= ALLCAP;
    }
    if lower > 0 && upper == 0 && !digit {
        flags |= LOWER;
    }
    if digit {
        flags |= DIGIT;
    }
    flags
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Tok>,
    start: usize,
    end: usize,
    lower: u64,
    mut flags: u16,
    line: u32,
    newlines: u32,
    sentence: bool,
) {
    if out.is_empty() || newlines > 0 {
        flags |= LINE_START;
    }
    if out.is_empty() || newlines > 1 {
        flags |= PARA_START;
    }
    if sentence || flags & LINE_START != 0 {
        flags |= SENT_START;
    }
    out.push(Tok {
        start: start as u32,
        end: end as u32,
        lower,
        flags,
        line,
    });
}

/// The small words that may sit inside a name: "Bank *of* England",
/// "Abu *al*-Hassan", "Procter *&* Gamble". An "and" or a dash inside a
/// segment is left outside a name unless the rules or the lists read one
/// across it (`features`): the model alone joined "Apple and Cisco".
pub(super) fn joins(w: &str) -> bool {
    is_connector(w) || matches!(w, "el" | "dos" | "and" | "-" | "'" | "’")
}

/// A particle of a family name, which may open it: "de Villiers".
fn particle(w: &str) -> bool {
    is_connector(w) && !matches!(w, "of" | "the" | "for" | "&" | "on" | "upon")
        || matches!(w, "el" | "dos")
}

/// The stretches of tokens where a name may be: capitalised words, the
/// small words between them, and every word the rules put in a name (so
/// that the rules' reading is always one the model can weigh).
pub(super) fn segments(text: &str, toks: &[Tok], rules: &[RuleTag]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let n = toks.len();
    let cap = |k: usize| toks[k].is(CAP);
    let named = |k: usize| rules.get(k).is_some_and(|&r| r != 0);
    let inside = |k: usize| rules.get(k).is_some_and(|&r| r != 0 && r % 2 == 0);
    let word = |k: usize| &text[toks[k].start as usize..toks[k].end as usize];
    let mut i = 0;
    while i < n {
        let starts = cap(i)
            || named(i)
            || (particle(word(i))
                && (i + 1 < n && cap(i + 1) || i + 2 < n && word(i + 1) == "-" && cap(i + 2)));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < n && (cap(j) && toks[j].line == toks[j - 1].line || inside(j)) {
                j += 1;
                continue;
            }
            if j < n && toks[j].start == toks[j - 1].end && matches!(word(j), "'s" | "’s") {
                j += 1;
                continue;
            }
            // The rest of a hyphened word may be part of the name:
            // "Jong-un", but not the "based" of "UK-based"; the model decides.
            if j + 1 < n
                && word(j) == "-"
                && toks[j].start == toks[j - 1].end
                && toks[j + 1].start == toks[j].end
            {
                j += 2;
                continue;
            }
            // Up to three joining words, then a capitalised word.
            let mut k = j;
            while k < n && k < j + 3 && joins(word(k)) && toks[k].line == toks[j - 1].line {
                k += 1;
            }
            if k > j && k < n && cap(k) && toks[k].line == toks[j - 1].line {
                j = k + 1;
                continue;
            }
            break;
        }
        out.push(i..j);
        i = j;
    }
    out
}
