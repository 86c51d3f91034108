//! The tokenizer: the text cut into the capitalised words and joining words
//! names are made of, with their byte spans, what the lexicon says of each,
//! and whether it starts a sentence or sits in a headline; and the runs of
//! tokens that make a candidate name.

use super::lexicon::{
    contains_lower, is_title_case, Flags, Lexicon, COMMON_TITLE, GIVEN, NAME_FIRST, TITLE_CASE,
};
use super::vocab::{is_connector, is_month_or_day, COMPOUND_TAILS};

#[derive(Debug, Clone, Copy)]
pub(super) struct Token<'t> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: &'t str,
    /// Starts with an uppercase letter.
    pub(super) cap: bool,
    /// Capitalised, but an ordinary English word ("The", "Talks").
    pub(super) common: bool,
    /// A sentence starts here.
    pub(super) sentence_start: bool,
    /// Directly followed by a possessive 's (not part of the token).
    pub(super) possessive: bool,
    /// On a line in title case.
    pub(super) headline: bool,
    /// What the lists say of the token's text (`NAME_FIRST`, ...).
    flags: Flags,
}

impl Token<'_> {
    pub(super) fn is(&self, flag: Flags) -> bool {
        self.flags & flag != 0
    }

    /// The token starts a span that may be a gazetteer name.
    pub(super) fn may_start_name(&self) -> bool {
        self.is(NAME_FIRST)
    }
}

impl<'t> Token<'t> {
    fn new(
        text: &'t str,
        start: usize,
        end: usize,
        cap: bool,
        sentence_start: bool,
        lexicon: &Lexicon,
    ) -> Self {
        let rest = &text.as_bytes()[end..];
        let word = &text[start..end];
        let mut flags = lexicon.word_flags.get(word);
        if is_title_case(word) {
            flags |= TITLE_CASE;
        }
        // A common English word: looked up as it is when in title case
        // ("Meanwhile"), lowercased otherwise ("MEANWHILE").
        let common = cap
            && if flags & TITLE_CASE != 0 {
                flags & COMMON_TITLE != 0
            } else {
                contains_lower(&lexicon.common, word)
            };
        Token {
            start,
            end,
            text: &text[start..end],
            cap,
            common,
            sentence_start,
            possessive: rest.starts_with(b"'s") || rest.starts_with("’s".as_bytes()),
            headline: false,
            flags,
        }
    }
}

/// The character at byte `i` and its length, ASCII first.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some((b as char, 1))
    } else {
        text[i..].chars().next().map(|c| (c, c.len_utf8()))
    }
}

/// Whether `w` is initials so far: single letters joined by dots ("U",
/// "H.I").
fn initials(w: &str) -> bool {
    w.split('.')
        .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase))
}

/// Where the word starting at `start` ends. Hyphens, dots and apostrophes
/// inside a word stay ("Reyes-Whitfield", "U.S.", "O'Brien"); a possessive
/// or contraction ("Witkoff's", "don't"), a full stop and a hyphen before a
/// lowercase word ("Florida-based") do not.
pub(super) fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = start + char_at(text, start).map_or(1, |(_, l)| l);
    loop {
        // ASCII letters and digits, most of every name, need no decoding.
        while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            end += 1;
        }
        let Some((d, len)) = char_at(text, end) else {
            break;
        };
        if d.is_alphanumeric() {
            end += len;
            continue;
        }
        if !matches!(d, '-' | '.' | '\'' | '’') {
            break;
        }
        let after = end + len;
        match char_at(text, after) {
            // "Florida-based", "Belfast-born": the name ends at the hyphen.
            Some((e, _)) if d == '-' && e.is_lowercase() => break,
            Some((e, _)) if e.is_alphanumeric() => {
                if matches!(d, '\'' | '’')
                    && matches!(e, 's' | 't')
                    && !char_at(text, after + 1).is_some_and(|(f, _)| f.is_alphanumeric())
                {
                    break;
                }
                // "U.S." and "H.I.V." keep their dots; "end.The" is two
                // words.
                if d == '.' && !(e.is_uppercase() && initials(&text[start..end])) {
                    break;
                }
                end = after;
            }
            _ => {
                // The closing dot of an abbreviation: "U.S.", "U.K."
                if d == '.' && text[start..end].contains('.') && initials(&text[start..end]) {
                    end = after;
                }
                break;
            }
        }
    }
    end
}

/// Byte classes for the tokenizer's scan.
const LOWER: u8 = 0; // a-z, 0-9: inside ordinary words
const SPACE: u8 = 1; // blanks and punctuation that ends nothing
const UPPER: u8 = 2; // A-Z
const STOP: u8 = 3; // . ! ? : ; " ( : a sentence may start after it
const NEWLINE: u8 = 4;
const HIGH: u8 = 5; // a byte of a non-ASCII character
const AMP: u8 = 6; // &

const CLASS: [u8; 256] = {
    let mut t = [SPACE; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c >= 0x80 {
            HIGH
        } else {
            match c {
                b'.' | b'!' | b'?' | b':' | b';' | b'"' | b'(' => STOP,
                b'\n' => NEWLINE,
                b'&' => AMP,
                _ => SPACE,
            }
        };
        b += 1;
    }
    t
};

/// Cuts the text into the tokens names are made of: capitalised words, and
/// the small words that join them. Other words are only counted, for telling
/// headlines (title case) from prose. One table lookup per byte of ordinary
/// text: this runs on every article the indexer sees.
pub(super) fn tokenize<'t>(text: &'t str, lexicon: &Lexicon) -> Vec<Token<'t>> {
    let bytes = text.as_bytes();
    // About one capitalised word or joining word per 25 bytes of news.
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 25 + 16);
    let mut sentence_start = true;
    let mut line = LineStats::default();
    let mut in_word = false;
    // Words from here on cannot follow a capitalised word directly, so
    // ordinary text needs no look at its words, only a count of them.
    let mut plain_from = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i >= plain_from && !in_word {
            // The fast path over lowercase words, spaces and commas: one
            // table lookup per byte and no branch at word edges, which the
            // CPU cannot predict; it stops at any byte that needs a look.
            let mut prev = 0;
            let mut starts = 0;
            while let Some(&b) = bytes.get(i) {
                let class = CLASS[b as usize];
                if class > SPACE {
                    break;
                }
                let lower = (class == LOWER) as usize;
                starts += lower & (prev ^ 1);
                prev = lower;
                i += 1;
            }
            if starts > 0 {
                line.words += starts;
                sentence_start = false;
            }
            let Some(&b) = bytes.get(i) else {
                break;
            };
            // As after a word read the slow way: a non-ASCII letter right
            // after lowercase letters continues the word ("café").
            in_word = prev == 1 && CLASS[b as usize] == HIGH;
        }
        match CLASS[bytes[i] as usize] {
            LOWER => {
                if !in_word {
                    line.words += 1;
                    sentence_start = false;
                    let start = i;
                    while i < bytes.len() && CLASS[bytes[i] as usize] == LOWER {
                        i += 1;
                    }
                    // A joining word right after a capitalised one: "Bank of".
                    let after_cap = out
                        .last()
                        .is_some_and(|t| t.cap && t.end + 1 == start && bytes[t.end] == b' ');
                    if after_cap && i - start <= 4 && is_connector(&text[start..i]) {
                        out.push(Token::new(text, start, i, false, false, lexicon));
                    }
                    in_word = i < bytes.len() && CLASS[bytes[i] as usize] == HIGH;
                    continue;
                }
                i += 1;
            }
            SPACE => {
                in_word = false;
                i += 1;
            }
            STOP => {
                in_word = false;
                sentence_start = true;
                i += 1;
            }
            NEWLINE => {
                in_word = false;
                sentence_start = true;
                line.finish(&mut out);
                i += 1;
            }
            AMP => {
                in_word = false;
                out.push(Token::new(text, i, i + 1, false, sentence_start, lexicon));
                i += 1;
            }
            class => {
                let Some((c, len)) = char_at(text, i) else {
                    break;
                };
                if !c.is_alphanumeric() {
                    in_word = false;
                    if matches!(c, '“' | '—' | '–' | '•') {
                        sentence_start = true;
                    }
                    i += len;
                    continue;
                }
                if in_word || !c.is_uppercase() {
                    // Inside a word ("iPhone", "café"), or a lowercase word
                    // starting with a non-ASCII letter.
                    if !in_word {
                        line.words += 1;
                        sentence_start = false;
                    }
                    in_word = true;
                    i += len;
                    continue;
                }
                debug_assert!(class == UPPER || class == HIGH);
                let end = word_end(text, i);
                // Inside a name ("Economic Co-operation") a hyphened word
                // is part of it.
                let in_name = out
                    .last()
                    .is_some_and(|t| t.end + 1 == i && bytes[t.end] == b' ');
                if let Some(skip_to) = not_a_name_word(text, i, end, in_name) {
                    line.words += 1;
                    line.caps += 1;
                    sentence_start = false;
                    in_word = false;
                    i = skip_to;
                    continue;
                }
                let start = glued_start(text, i, end, lexicon);
                // "But al-Qaeda": the joining word "al" is now the name's.
                while out.last().is_some_and(|t| t.end > start) {
                    out.pop();
                }
                let token = Token::new(text, start, end, true, sentence_start, lexicon);
                line.words += 1;
                line.caps += 1;
                if token.common && line.words > 1 {
                    line.capped_common += 1;
                }
                out.push(token);
                sentence_start = false;
                in_word = false;
                i = end;
                // A joining word ("of") may start one space after it.
                plain_from = end + 2;
            }
        }
    }
    line.finish(&mut out);
    out
}

/// Where the capitalised word at `i..end` starts as a name: at a lowercase
/// prefix glued to it when that makes a listed name ("al-Qaeda", "easyJet",
/// "eBay") or is the Arabic article ("al-Maliki"), else at `i`.
#[inline]
fn glued_start(text: &str, i: usize, end: usize, lexicon: &Lexicon) -> usize {
    let bytes = text.as_bytes();
    let mut p = i;
    if p > 0 && bytes[p - 1] == b'-' {
        p -= 1;
    }
    let q = p;
    while p > 0 && bytes[p - 1].is_ascii_lowercase() {
        p -= 1;
    }
    // No prefix, or lowercase letters inside a longer word ("MacBook",
    // "PlayStation"), which no glued prefix starts.
    if p == q || (p > 0 && bytes[p - 1].is_ascii_alphanumeric()) {
        return i;
    }
    // The Arabic article before a family name ("Nouri al-Maliki", "Ayman
    // al-Zawahiri") is part of it, listed or not: cut off, the name became
    // "Maliki" and the given name a person of its own.
    let article = q < i && matches!(&text[p..q], "al" | "el");
    if article || lexicon.word_flags.get(&text[p..end]) & NAME_FIRST != 0 {
        p
    } else {
        i
    }
}

/// A capitalised word at `start..end` that is no name whatever its context,
/// and where reading resumes: the pronoun "I"; a unit glued to a number
/// ("50GB", "3G"); the head of a hyphenated word other than a name-based
/// adjective ("Blu-ray", "Hi-fi", "Hip-hop", "Oscar-winning"), unless it
/// continues a name (`in_name`: "Economic Co-operation").
fn not_a_name_word(text: &str, start: usize, end: usize, in_name: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    if &text[start..end] == "I" || (start > 0 && bytes[start - 1].is_ascii_digit()) {
        return Some(end);
    }
    if in_name || bytes.get(end) != Some(&b'-') {
        return None;
    }
    let tail_end = bytes[end + 1..]
        .iter()
        .position(|b| !b.is_ascii_lowercase())
        .map_or(bytes.len(), |n| end + 1 + n);
    let tail = &text[end + 1..tail_end];
    // "Stoke-on-Trent", "Stratford-upon-Avon": a place name goes on.
    let joins = bytes.get(tail_end) == Some(&b'-')
        && matches!(
            tail,
            "on" | "upon"
                | "under"
                | "in"
                | "by"
                | "the"
                | "de"
                | "la"
                | "le"
                | "en"
                | "sur"
                | "les"
                | "del"
                | "der"
                | "am"
                | "an"
                // "Port-au-Prince", "Mar-a-Lago", "Mazar-i-Sharif",
                // "Lashkar-e-Taiba", "Croix-des-Bouquets".
                | "au"
                | "aux"
                | "a"
                | "i"
                | "e"
                | "des"
                | "du"
        );
    (!tail.is_empty() && !joins && !COMPOUND_TAILS.contains(&tail)).then_some(tail_end)
}

/// Word counts of the current line, to tell a headline in title case
/// ("Talks To Resume In Geneva") from a sentence full of names.
#[derive(Default)]
struct LineStats {
    first_token: usize,
    words: usize,
    caps: usize,
    /// Capitalised ordinary words after the first ("Talks", "Seek").
    capped_common: usize,
}

impl LineStats {
    fn finish(&mut self, tokens: &mut [Token]) {
        if self.words >= 4 && self.caps * 10 >= self.words * 6 && self.capped_common >= 1 {
            for t in &mut tokens[self.first_token..] {
                t.headline = true;
            }
        }
        *self = LineStats {
            first_token: tokens.len(),
            ..LineStats::default()
        };
    }
}

/// The longest run read as one, in tokens: no name is longer, and a page of
/// capitalised words with no sentence break (a scraped menu or table) would
/// otherwise be read again from each of its words, in time growing with the
/// square of its length.
const MAX_RUN: usize = 24;

/// The last token of the run of capitalised words (with connectors inside)
/// that starts at `i`.
pub(super) fn run_end(text: &str, tokens: &[Token], i: usize) -> usize {
    let mut j = i;
    while j + 1 < tokens.len()
        && j - i < MAX_RUN
        && !tokens[j].possessive
        && same_line_gap(text, &tokens[j], &tokens[j + 1])
    {
        let next = &tokens[j + 1];
        if next.cap && !next.sentence_start {
            j += 1;
        } else if is_connector(next.text)
            && j + 2 < tokens.len()
            && tokens[j + 2].cap
            && same_line_gap(text, next, &tokens[j + 2])
            // "Jane Ford on Tuesday": a weekday is not part of a name.
            && !(next.text == "on" && tokens[j + 2].common)
            // "Labour MP for Hornby": the seat is a name of its own.
            && !matches!(tokens[j].text, "MP" | "MSP" | "MEP")
        {
            j += 2;
        } else {
            break;
        }
    }
    j
}

/// Tokens separated by a plain space (or a plural possessive: "Workers'
/// Federation"), not by punctuation or a line break. Two spaces are what a
/// joined "\r\n" of hard-wrapped text leaves ("Paul\r\nVoss", unwrapped
/// in place).
fn same_line_gap(text: &str, a: &Token, b: &Token) -> bool {
    matches!(&text[a.end..b.start], " " | "  " | "' " | "’ ")
}

/// Skips the words before a name in a run: a sentence-initial common word
/// ("Meanwhile") and "The".
pub(super) fn name_start(tokens: &[Token], i: usize, j: usize) -> usize {
    let mut a = i;
    while a < j
        && (tokens[a].text.eq_ignore_ascii_case("the")
            // "In February the Baltic Link Consortium said"
            || (is_month_or_day(tokens[a].text) && tokens[a + 1].text == "the")
            || (tokens[a].sentence_start
                && tokens[a].common
                && !tokens[a].is(GIVEN)
                // "Association of Chief Officers" starts with its head.
                && (tokens[a + 1].cap || tokens[a + 1].text == "the")))
    {
        a += 1;
    }
    a
}

/// A model number: letters and digits in one word ("X200", "DB9").
pub(super) fn is_model(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_digit()) && w.bytes().any(|b| b.is_ascii_alphabetic())
}
