//! People, organisations and places: found fast and offline, with gazetteers
//! compiled into the binary and rules for the names no list holds.
//!
//! The text is cut into tokens with their byte spans. Capitalised tokens,
//! joined by the small words names contain ("Bank *of* England"), make
//! candidate runs; each run is matched against the gazetteers (longest first)
//! and otherwise classified by rules: an organisation suffix ("... Council"),
//! a title before it ("President ..."), a known given name, an acronym, an
//! appositive (", the secretary of"). Sentence-initial common words and
//! demonyms are not names. A second pass resolves short forms within the
//! article: a lone surname joins the full name seen elsewhere ("Putin" →
//! "Vladimir Putin"), and a bracketed acronym after an expansion joins it.
//! Lines in title case (headlines) only take names the gazetteers or the rest
//! of the text vouch for, since every word there is capitalised.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;

use crate::article::EntityKind;

/// One mention: a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Mention {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// An entity found in a text, under its canonical name, with every mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Person, organisation or place.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Canonical name (`Vladimir Putin`, `United States`).
    pub name: String,
    /// Where it is mentioned, in text order.
    pub mentions: Vec<Mention>,
}

/// The gazetteers and word lists, parsed once.
struct Lists {
    /// name as written → (canonical, kind)
    names: FxHashMap<String, (String, EntityKind)>,
    /// Longest gazetteer name, in tokens.
    max_tokens: usize,
    given: FxHashSet<String>,
    /// Titles, lowercased, as token sequences.
    titles: FxHashSet<String>,
    max_title_tokens: usize,
    org_suffixes: FxHashSet<String>,
    common: FxHashSet<String>,
    demonyms: FxHashSet<String>,
}

/// Looks `word` up in a set of lowercase strings without allocating for the
/// usual short ASCII word.
fn contains_lower(set: &FxHashSet<String>, word: &str) -> bool {
    if word.len() <= 64 && word.is_ascii() {
        let mut buf = [0u8; 64];
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).is_ok_and(|k| set.contains(k))
    } else {
        set.contains(&word.to_lowercase())
    }
}

fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut names = FxHashMap::default();
        // Organisations first: where a name is both ("Liverpool"), the place
        // reading wins unless context makes it an organisation.
        for r in rows(include_str!("data/organizations.tsv")) {
            if let [name, canonical, ..] = r[..] {
                names.insert(
                    name.to_string(),
                    (canonical.to_string(), EntityKind::Organization),
                );
            }
        }
        for r in rows(include_str!("data/places.tsv")) {
            if let [name, canonical, ..] = r[..] {
                names.insert(name.to_string(), (canonical.to_string(), EntityKind::Place));
            }
        }
        let max_tokens = names
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1);
        let set = |data: &'static str, lower: bool| -> FxHashSet<String> {
            rows(data)
                .filter_map(|r| r.first().map(|s| s.to_string()))
                .map(|s| if lower { s.to_lowercase() } else { s })
                .collect()
        };
        let titles = set(include_str!("data/titles.txt"), true);
        let max_title_tokens = titles
            .iter()
            .map(|t| t.split(' ').count())
            .max()
            .unwrap_or(1);
        Lists {
            names,
            max_tokens,
            given: set(include_str!("data/given_names.txt"), false),
            titles,
            max_title_tokens,
            org_suffixes: set(include_str!("data/org_suffixes.txt"), false),
            common: set(include_str!("data/common_words.txt"), true),
            demonyms: set(include_str!("data/demonyms.txt"), false),
        }
    })
}

/// Resolves a name as a user types it (`US`, `Kiev`, `NATO`) to the canonical
/// name the gazetteers give it, if any.
pub fn canonical(name: &str) -> Option<(&'static str, EntityKind)> {
    lists().names.get(name).map(|(c, k)| (c.as_str(), *k))
}

#[derive(Debug, Clone, Copy)]
struct Token<'t> {
    start: usize,
    end: usize,
    text: &'t str,
    /// Starts with an uppercase letter.
    cap: bool,
    /// Capitalised, but an ordinary English word ("The", "Talks").
    common: bool,
    /// A sentence starts here.
    sentence_start: bool,
    /// Directly followed by a possessive 's (not part of the token).
    possessive: bool,
    /// On a line in title case.
    headline: bool,
}

/// All-capital words that are not organisations.
const NOT_ORGANISATIONS: &[&str] = &[
    "TV", "PC", "CD", "CDs", "DVD", "DVDs", "MP", "MPs", "MSP", "MSPs", "MEP", "MEPs", "AI", "DS",
    "PSP", "GDP", "CEO", "IT", "PR", "OK", "AM", "PM", "BC", "AD", "HIV", "AIDS", "SMS", "GPS",
    "UFO", "VAT", "ID", "IQ", "DJ", "MC", "FM", "HD", "LCD", "PDF", "USB", "VIP", "PhD", "MBA",
    "CCTV", "DNA", "RAM", "CPU", "MP3", "GM", "OBE", "MBE", "CBE", "QC", "DIY", "FAQ", "ATM",
    "PIN", "Q1", "Q2", "Q3", "Q4", "AGM", "IPO", "CGI", "RPG",
];

/// Capitalised words that name no person, organisation or place: faiths,
/// events, and the like.
const NOT_NAMES: &[&str] = &[
    "Muslim",
    "Muslims",
    "Christian",
    "Christians",
    "Catholic",
    "Catholics",
    "Jewish",
    "Jews",
    "Hindu",
    "Hindus",
    "Sikh",
    "Sikhs",
    "Buddhist",
    "Protestant",
    "Protestants",
    "Islam",
    "Islamic",
    "Olympic",
    "Olympics",
    "Euros",
    "Marathon",
    "Christmas",
    "Easter",
    "Ramadan",
    "Internet",
    "Web",
    "God",
];

/// Words that may sit inside a name between capitalised words.
fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "the"
            | "for"
            | "de"
            | "du"
            | "des"
            | "la"
            | "le"
            | "van"
            | "von"
            | "der"
            | "den"
            | "al"
            | "bin"
            | "ibn"
            | "da"
            | "di"
            | "del"
            | "&"
            | "on"
            | "upon"
            | "y"
    )
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

/// Where the word starting at `start` ends. Hyphens, dots and apostrophes
/// inside a word stay ("Reyes-Whitfield", "U.S.", "O'Brien"); a possessive
/// or contraction ("Witkoff's", "don't") and a full stop do not.
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start + char_at(text, start).map_or(1, |(_, l)| l);
    while let Some((d, len)) = char_at(text, end) {
        if d.is_alphanumeric() {
            end += len;
            continue;
        }
        if !matches!(d, '-' | '.' | '\'' | '’') {
            break;
        }
        let after = end + len;
        match char_at(text, after) {
            Some((e, _)) if e.is_alphanumeric() => {
                if matches!(d, '\'' | '’')
                    && matches!(e, 's' | 't')
                    && !char_at(text, after + 1).is_some_and(|(f, _)| f.is_alphanumeric())
                {
                    break;
                }
                // "U.S." keeps its dots; "end.The" is two words.
                if d == '.' && !(end - start <= 2 && e.is_uppercase()) {
                    break;
                }
                end = after;
            }
            _ => {
                // The closing dot of an abbreviation: "U.S.", "U.K."
                if d == '.' && end - start <= 4 && text[start..end].contains('.') {
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
fn tokenize<'t>(text: &'t str, lists: &Lists) -> Vec<Token<'t>> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token> = Vec::with_capacity(64);
    let mut sentence_start = true;
    let mut line = LineStats::default();
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
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
                        out.push(Token::new(text, start, i, false, false, false));
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
                out.push(Token::new(text, i, i + 1, false, false, sentence_start));
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
                let common = contains_lower(&lists.common, &text[i..end]);
                line.words += 1;
                line.caps += 1;
                if common && line.words > 1 {
                    line.capped_common += 1;
                }
                out.push(Token::new(text, i, end, true, common, sentence_start));
                sentence_start = false;
                in_word = false;
                i = end;
            }
        }
    }
    line.finish(&mut out);
    out
}

impl<'t> Token<'t> {
    fn new(
        text: &'t str,
        start: usize,
        end: usize,
        cap: bool,
        common: bool,
        sentence_start: bool,
    ) -> Self {
        let rest = &text.as_bytes()[end..];
        Token {
            start,
            end,
            text: &text[start..end],
            cap,
            common,
            sentence_start,
            possessive: rest.starts_with(b"'s") || rest.starts_with("’s".as_bytes()),
            headline: false,
        }
    }
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

/// A span of the text (token range) with a kind and canonical name.
#[derive(Debug, Clone)]
struct Found {
    first: usize,
    last: usize,
    kind: EntityKind,
    name: String,
    /// From a gazetteer (trusted in headlines too).
    listed: bool,
}

/// Finds the entities in a text. Spans are byte offsets into `text`.
pub fn extract(text: &str) -> Vec<Entity> {
    let lists = lists();
    let tokens = tokenize(text, lists);
    let mut found: Vec<Found> = Vec::new();
    // Single capitalised words we could not place: resolved in a second pass.
    let mut loose: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if !t.cap {
            i += 1;
            continue;
        }
        // The run of capitalised words (with connectors inside).
        let mut j = i;
        while j + 1 < tokens.len()
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
            {
                j += 2;
            } else {
                break;
            }
        }
        let consumed = classify(text, &tokens, i, j, lists, &mut found, &mut loose);
        i = consumed.max(i + 1);
    }
    resolve(text, &tokens, lists, found, loose)
}

/// Tokens separated by a plain space (or a plural possessive: "Workers'
/// Federation"), not by punctuation or a line break.
fn same_line_gap(text: &str, a: &Token, b: &Token) -> bool {
    matches!(&text[a.end..b.start], " " | "' " | "’ ")
}

/// Classifies the run `i..=j`; returns the index after what it used.
fn classify(
    text: &str,
    tokens: &[Token],
    i: usize,
    j: usize,
    lists: &Lists,
    found: &mut Vec<Found>,
    loose: &mut Vec<usize>,
) -> usize {
    let span = |a: usize, b: usize| &text[tokens[a].start..tokens[b].end];

    // Titles: "President Vladimir Putin", "Foreign Minister Andrii Sybhia",
    // also after a demonym or a sentence-initial word ("Russian President").
    let mut k = i;
    while k < j
        && (lists.demonyms.contains(tokens[k].text)
            || (tokens[k].sentence_start
                && tokens[k].common
                && !lists.given.contains(tokens[k].text)))
    {
        k += 1;
    }
    let starts_title = (1..=lists.max_title_tokens.min(j + 1 - k))
        .any(|n| contains_lower(&lists.titles, span(k, k + n - 1)));
    // A listed name that starts with a title word is still the name:
    // "Premier League", "General Motors".
    let listed_from_title = starts_title
        && (k + 1..=j.min(k + lists.max_tokens - 1)).any(|b| lists.names.contains_key(span(k, b)));
    if !starts_title || listed_from_title {
        k = i;
    }
    let mut titled = false;
    loop {
        if listed_from_title {
            break;
        }
        let mut matched = 0;
        for n in (1..=lists.max_title_tokens.min(j + 1 - k)).rev() {
            if contains_lower(&lists.titles, span(k, k + n - 1)) {
                matched = n;
                break;
            }
        }
        if matched == 0 || k + matched > j {
            break;
        }
        k += matched;
        titled = true;
    }
    // A title that is the whole run ("the President said") names no one.
    if titled && k > j {
        return j + 1;
    }

    // The longest gazetteer name inside the run, from its start.
    for a in k..=j {
        if is_connector(tokens[a].text) {
            continue;
        }
        for b in (a..=j.min(a + lists.max_tokens - 1)).rev() {
            if let Some((canonical, kind)) = lists.names.get(span(a, b)) {
                // An organisation suffix right after a place makes the
                // whole run an organisation ("Manchester United").
                if *kind == EntityKind::Place
                    && b < j
                    && b + 1 == j
                    && lists.org_suffixes.contains(tokens[j].text)
                {
                    break;
                }
                if a > k && !titled {
                    // Words before the listed name: classify them on their own.
                    classify_rest(text, tokens, k, a - 1, lists, found, loose);
                }
                let kind = if titled {
                    EntityKind::Person
                } else if *kind == EntityKind::Place
                    && plays_sport(text, tokens[a].start, tokens[b].end)
                {
                    // "Bolton beat Newcastle": the clubs, not the towns.
                    EntityKind::Organization
                } else {
                    *kind
                };
                found.push(Found {
                    first: a,
                    last: b,
                    kind,
                    name: canonical.clone(),
                    listed: true,
                });
                return b + 1;
            }
        }
        if titled {
            break;
        }
    }
    if titled {
        // Everything after the title is the person's name.
        found.push(Found {
            first: k,
            last: j,
            kind: EntityKind::Person,
            name: span(k, j).to_string(),
            listed: false,
        });
        return j + 1;
    }
    classify_rest(text, tokens, k, j, lists, found, loose);
    j + 1
}

/// Rules for a run no gazetteer knows.
fn classify_rest(
    text: &str,
    tokens: &[Token],
    mut i: usize,
    j: usize,
    lists: &Lists,
    found: &mut Vec<Found>,
    loose: &mut Vec<usize>,
) {
    let mut j = j;
    while j > i && is_connector(tokens[j].text) {
        j -= 1;
    }
    // A sentence-initial common word is not part of a name ("Meanwhile",
    // "The").
    while i <= j {
        let t = &tokens[i];
        if (t.sentence_start && t.common && !lists.given.contains(t.text))
            || (i < j && t.text.eq_ignore_ascii_case("the"))
        {
            i += 1;
        } else {
            break;
        }
    }
    if i > j {
        return;
    }
    let last = &tokens[j];
    if tokens[i..=j].iter().any(|t| t.headline) {
        // Headline words: only what the rest of the text vouches for.
        if i == j {
            loose.push(i);
        }
        return;
    }
    // "Maltese Pilots' Association": an organisation, demonym and all.
    if j > i && lists.org_suffixes.contains(last.text) {
        found.push(Found {
            first: i,
            last: j,
            kind: EntityKind::Organization,
            name: text[tokens[i].start..tokens[j].end].to_string(),
            listed: false,
        });
        return;
    }
    // Otherwise a demonym is not part of a name ("Ukrainian officials").
    while i <= j && lists.demonyms.contains(tokens[i].text) {
        i += 1;
    }
    if i > j {
        return;
    }
    let span = &text[tokens[i].start..tokens[j].end];
    let n = j + 1 - i;
    let person = |found: &mut Vec<Found>| {
        found.push(Found {
            first: i,
            last: j,
            kind: EntityKind::Person,
            name: span.to_string(),
            listed: false,
        })
    };
    if (2..=4).contains(&n) && lists.given.contains(tokens[i].text) {
        person(found);
        return;
    }
    if n == 1 {
        let w = tokens[i].text;
        // Datelines shout: "OSLO, Norway —" is Oslo.
        if w.chars().count() > 2 && w.chars().all(|c| !c.is_lowercase()) {
            let mut chars = w.chars();
            let title: String = chars
                .next()
                .into_iter()
                .chain(chars.flat_map(char::to_lowercase))
                .collect();
            if let Some((canonical, kind)) = lists.names.get(&title) {
                found.push(Found {
                    first: i,
                    last: i,
                    kind: *kind,
                    name: canonical.clone(),
                    listed: true,
                });
                return;
            }
        }
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if (2..=6).contains(&letters)
            && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '&')
            && !tokens[i].common
            && !NOT_ORGANISATIONS.contains(&w)
        {
            found.push(Found {
                first: i,
                last: i,
                kind: EntityKind::Organization,
                name: w.to_string(),
                listed: false,
            });
        } else if !tokens[i].common || !tokens[i].sentence_start {
            loose.push(i);
        }
        return;
    }
    // Two to four capitalised words with an appositive or "said": a person.
    let mut stop = text.len().min(last.end + 40);
    while !text.is_char_boundary(stop) {
        stop -= 1;
    }
    let after = &text[last.end..stop];
    let appositive = after.starts_with(", the ")
        || after.starts_with(", a ")
        || after.starts_with(", who ")
        || after.starts_with(", aged ")
        || after.starts_with(" said")
        || after.starts_with(" says")
        || after.starts_with(" told");
    if n <= 4 && (appositive || preceded_by_role(text, &tokens[i], lists)) {
        person(found);
        return;
    }
    // An unknown capitalised phrase: most often a person's name in news
    // when it is two or three words; longer runs are left alone.
    if n <= 3 && tokens[i..=j].iter().all(|t| t.cap && !t.common) {
        person(found);
    }
}

/// Whether the words around a place name make it a team: "beat Bolton",
/// "Newcastle manager", "England won".
fn plays_sport(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end();
    let prev = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let after = text[end..]
        .trim_start_matches(['\'', '’', 's'])
        .trim_start();
    let next = after
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    matches!(
        prev,
        "against" | "beat" | "beating" | "v" | "vs" | "versus" | "overcame" | "thrashed" | "edged"
    ) || matches!(
        next,
        "beat"
            | "beaten"
            | "drew"
            | "defeated"
            | "thrashed"
            | "manager"
            | "boss"
            | "striker"
            | "midfielder"
            | "defender"
            | "goalkeeper"
            | "keeper"
            | "coach"
            | "captain"
            | "fans"
            | "supporters"
            | "squad"
            | "winger"
            | "forward"
    )
}

/// A lowercase role word right before the name: "envoy Steve Witkoff".
fn preceded_by_role(text: &str, t: &Token, lists: &Lists) -> bool {
    let before = text[..t.start].trim_end();
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !word.is_empty() && contains_lower(&lists.titles, word)
}

/// Second pass: short forms join full names, acronyms join expansions, and
/// the found spans become entities.
fn resolve(
    text: &str,
    tokens: &[Token],
    lists: &Lists,
    mut found: Vec<Found>,
    loose: Vec<usize>,
) -> Vec<Entity> {
    // Full names of people by each of their name tokens (surname first).
    let mut by_part: FxHashMap<String, String> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && f.last > f.first)
    {
        if let Some((_, last)) = f.name.rsplit_once(' ') {
            by_part
                .entry(last.to_string())
                .or_insert_with(|| f.name.clone());
        }
    }
    // Organisations by their first word: "Nordlys" for "Nordlys Energy".
    let mut by_first: FxHashMap<String, String> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Organization && f.last > f.first)
    {
        if let Some((first, _)) = f.name.split_once(' ') {
            if !lists.common.contains(&first.to_lowercase()) {
                by_first
                    .entry(first.to_string())
                    .or_insert_with(|| f.name.clone());
            }
        }
    }
    // Acronyms in brackets after a name: "... Organization (NATO)".
    let mut acronyms: FxHashMap<String, (String, EntityKind)> = FxHashMap::default();
    for f in &found {
        if let Some(next) = tokens.get(f.last + 1) {
            let between = &text[tokens[f.last].end..next.start];
            if between.trim() == "("
                && next.text.chars().all(|c| c.is_uppercase())
                && next.text.len() >= 2
                && text[next.end..].starts_with(')')
            {
                acronyms.insert(next.text.to_string(), (f.name.clone(), f.kind));
            }
        }
    }
    // Entities named elsewhere in the text, for headline words.
    let named: FxHashMap<String, (String, EntityKind)> = found
        .iter()
        .map(|f| {
            (
                text[tokens[f.first].start..tokens[f.last].end].to_string(),
                (f.name.clone(), f.kind),
            )
        })
        .collect();
    for f in &mut found {
        if f.kind == EntityKind::Person && f.first == f.last {
            if let Some(full) = by_part.get(f.name.as_str()) {
                f.name = full.clone();
            }
        }
        if let Some((name, kind)) = acronyms.get(&f.name) {
            f.name = name.clone();
            f.kind = *kind;
        }
    }
    // A capitalised word no list knows and no full name explains, used
    // again and again in prose, is most often a company or group ("Yukos").
    let mut unknown: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for i in loose {
        let w = tokens[i].text;
        let hit = by_part
            .get(w)
            .map(|full| (full.clone(), EntityKind::Person))
            .or_else(|| {
                by_first
                    .get(w)
                    .map(|o| (o.clone(), EntityKind::Organization))
            })
            .or_else(|| acronyms.get(w).cloned())
            .or_else(|| named.get(w).cloned());
        match hit {
            Some((name, kind)) => found.push(Found {
                first: i,
                last: i,
                kind,
                name,
                listed: false,
            }),
            None => unknown.entry(w).or_default().push(i),
        }
    }
    for (w, at) in unknown {
        let in_prose = at
            .iter()
            .filter(|&&i| !tokens[i].headline && !tokens[i].sentence_start)
            .count();
        let not_a_name = NOT_ORGANISATIONS.contains(&w)
            || NOT_NAMES.contains(&w)
            || lists.demonyms.contains(w.trim_end_matches('s'));
        if in_prose >= 2
            && !not_a_name
            && !tokens[at[0]].common
            && !lists.given.contains(w)
            && w.chars().count() >= 3
        {
            for i in at {
                found.push(Found {
                    first: i,
                    last: i,
                    kind: EntityKind::Organization,
                    name: w.to_string(),
                    listed: true,
                });
            }
        }
    }
    // Headline runs made only of listed names were already kept; drop rule
    // guesses on headline tokens that nothing else supports.
    found.retain(|f| f.listed || !tokens[f.first].headline || named.contains_key(&f.name));

    let mut by_name: FxHashMap<(EntityKind, String), Vec<Mention>> = FxHashMap::default();
    for f in found {
        by_name.entry((f.kind, f.name)).or_default().push(Mention {
            start: tokens[f.first].start,
            end: tokens[f.last].end,
        });
    }
    let mut out: Vec<Entity> = by_name
        .into_iter()
        .map(|((kind, name), mut mentions)| {
            mentions.sort();
            mentions.dedup();
            Entity {
                kind,
                name,
                mentions,
            }
        })
        .collect();
    out.sort_by(|a, b| a.mentions[0].cmp(&b.mentions[0]).then(a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the input, extraction returns spans on character boundaries
    /// that hold the text they claim, and never panics.
    #[test]
    fn never_panics_and_spans_are_valid() {
        let pieces = [
            "Dr ",
            "Smith",
            "£",
            "5bn",
            "’s ",
            "U.S.",
            " (NATO) ",
            "—",
            "\n\n",
            "Ms ",
            "Élodie",
            "Zoë",
            "Bank of England",
            " and ",
            "Kyiv",
            ". ",
            "the ",
            "EU",
            "Mr",
            "\u{a0}",
            "“",
            "'",
            "-",
            "Ünal",
            "President ",
            "Putin",
            ", the secretary of ",
            "ÅÄÖ",
            "🙂",
            "X",
            "İstanbul",
            "Straße",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for e in extract(&text) {
                for m in e.mentions {
                    assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                    assert!(m.start < m.end && m.end <= text.len(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn seed_shaped_text() {
        let text = "Envoys To Meet In Geneva After Kremlin Talks\n\n\
            Russian President Vladimir Putin met US envoy Steve Witkoff in Moscow. \
            Putin’s aide said the talks with Witkoff were useful. The Kremlin and NATO \
            were silent, while the UK and the EU urged calm in Kiev.";
        let got: Vec<(EntityKind, String, usize)> = extract(text)
            .into_iter()
            .map(|e| (e.kind, e.name, e.mentions.len()))
            .collect();
        let has = |k: EntityKind, n: &str, c: usize| {
            assert!(got.contains(&(k, n.to_string(), c)), "{n} x{c} in {got:?}");
        };
        has(EntityKind::Person, "Vladimir Putin", 2);
        has(EntityKind::Person, "Steve Witkoff", 2);
        has(EntityKind::Place, "Geneva", 1);
        has(EntityKind::Place, "Moscow", 1);
        has(EntityKind::Place, "United States", 1);
        has(EntityKind::Place, "United Kingdom", 1);
        has(EntityKind::Place, "Kyiv", 1);
        has(EntityKind::Organization, "Kremlin", 2);
        has(EntityKind::Organization, "NATO", 1);
        has(EntityKind::Organization, "European Union", 1);
        // Headline words and demonyms are not entities.
        assert!(got
            .iter()
            .all(|(_, n, _)| !["Envoys", "Meet", "Talks", "Russian"].contains(&n.as_str())));
    }
}
