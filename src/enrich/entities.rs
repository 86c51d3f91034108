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
//!
//! Context settles what the words alone cannot. Cue words next to a name no
//! list holds ("the law firm ...", "... shares", "the film ...", "MP for
//! ...") make it an organisation, a work or product (not an entity), or a
//! constituency, at every mention in the text, earlier ones included. Events
//! hide the names inside them ("Geneva Motor Show"); sites and features are
//! places ("Edinburgh Airport"). In a sport report, told by its vocabulary,
//! a town is its club and a team sheet names players. All of this is looked
//! at only for names the gazetteers do not hold, in small windows around
//! them, so that extraction stays fast.

use std::borrow::Cow;
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
    names: FxHashMap<&'static str, (&'static str, EntityKind)>,
    /// Longest gazetteer name, in tokens.
    max_tokens: usize,
    given: FxHashSet<&'static str>,
    /// Titles and role nouns, lowercased, as token sequences.
    titles: FxHashSet<String>,
    /// The titles written capitalised in the list ("President"), lowercased.
    /// Only these make a capitalised word a title mid-sentence: a role noun
    /// such as "star" is no title in "Star Wars".
    cap_titles: FxHashSet<String>,
    max_title_tokens: usize,
    /// First words of the titles, lowercased: most runs start with none, and
    /// then need no lookup of longer title spans.
    title_starts: FxHashSet<String>,
    org_suffixes: FxHashSet<&'static str>,
    common: FxHashSet<&'static str>,
    /// The common words capitalised ("Meanwhile"): the usual form of a
    /// capitalised common word, looked up without lowercasing it first.
    common_title: FxHashSet<String>,
    demonyms: FxHashSet<&'static str>,
    /// Towns whose name alone stands for a football club in sport copy
    /// ("Bolton" for Bolton Wanderers): a listed place that starts a listed
    /// club name, or that is also listed as an organisation.
    club_towns: FxHashSet<String>,
    /// Context words and what they say (`cue_flags`).
    cue_words: FxHashMap<&'static str, u16>,
    /// Words as written, with what the lists above say of them (`NAME_FIRST`
    /// and the rest): one lookup per token in place of one per list.
    word_flags: WordFlags,
    /// A bit set over `cue_bit` of the context words.
    cue_mask: [u64; 64],
    /// The listed names whose run stops short of their end, by the word it
    /// stops at, as the tokenizer cuts it: "People" of "People's Republic
    /// of China" (a run stops at a possessive), "Trinidad" of "Trinidad and
    /// Tobago" ("and" joins no run), "Macy" of "Macy's". A run that stops
    /// at one is looked up across the break (`listed_across_break`).
    breaks: FxHashMap<&'static str, Vec<Break>>,
}

/// An ASCII word with no capital after the first letter ("Meanwhile").
fn is_title_case(word: &str) -> bool {
    word.is_ascii()
        && word
            .as_bytes()
            .get(1..)
            .is_some_and(|rest| rest.iter().all(|b| !b.is_ascii_uppercase()))
}

/// "meanwhile" → "Meanwhile".
fn title_case(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A set of lowercase words, with their title-case forms added: a word in
/// title case is looked up as it is, others lowercased.
fn with_title_case(lower: FxHashSet<String>) -> FxHashSet<String> {
    let title: Vec<String> = lower.iter().map(|w| title_case(w)).collect();
    lower.into_iter().chain(title).collect()
}

/// Looks `word` up in a set of lowercase strings without allocating for the
/// usual short ASCII word.
fn contains_lower<K>(set: &FxHashSet<K>, word: &str) -> bool
where
    K: std::borrow::Borrow<str> + std::hash::Hash + Eq,
{
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

/// The rows of a list compiled into the binary: the first column, and the
/// second ("" when there is none). Comments and blank lines are skipped.
fn rows(data: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    data.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut cols = l.split('\t').map(str::trim);
            (cols.next().unwrap_or(""), cols.next().unwrap_or(""))
        })
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        // Keys and names borrow from the data compiled into the binary: no
        // allocation per entry, so a one-shot `byline search` starts fast.
        let mut names = FxHashMap::with_capacity_and_hasher(12_000, Default::default());
        let mut org_names: Vec<(&'static str, &'static str)> = Vec::new();
        // Organisations first: where a name is both ("Liverpool"), the place
        // reading wins unless context makes it an organisation.
        for (name, canonical) in rows(include_str!("data/organizations.tsv")) {
            if !canonical.is_empty() {
                org_names.push((name, canonical));
                names.insert(name, (canonical, EntityKind::Organization));
            }
        }
        for (name, canonical) in rows(include_str!("data/places.tsv")) {
            if !canonical.is_empty() {
                names.insert(name, (canonical, EntityKind::Place));
            }
        }
        // "Microsoft Corp." mid-sentence reads as the run "Microsoft Corp"
        // (a name's last dot may be a full stop); the dotless form finds it.
        let dotless: Vec<_> = names
            .iter()
            .filter(|(n, _)| n.contains(' ') && n.ends_with('.'))
            .map(|(n, &v)| (&n[..n.len() - 1], v))
            .collect();
        for (n, v) in dotless {
            names.entry(n).or_insert(v);
        }
        let max_tokens = names
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1);
        // The first column of a list, as written.
        let set = |data: &'static str| -> FxHashSet<&'static str> {
            rows(data).map(|(first, _)| first).collect()
        };
        let titles: FxHashSet<String> = rows(include_str!("data/titles.txt"))
            .map(|(t, _)| t.to_lowercase())
            .collect();
        // Written in lowercase (make_gazetteers.py lowercases it).
        let common = set(include_str!("data/common_words.txt"));
        let title_starts = with_title_case(
            titles
                .iter()
                .filter_map(|t| t.split(' ').next())
                .map(str::to_string)
                .collect(),
        );
        let cap_titles = rows(include_str!("data/titles.txt"))
            .map(|(t, _)| t)
            .filter(|t| t.starts_with(|c: char| c.is_uppercase()))
            .map(str::to_lowercase)
            .collect();
        let is_place = |n: &str| matches!(names.get(n), Some((_, EntityKind::Place)));
        let club_towns = org_names
            .iter()
            .filter_map(|&(org, canonical)| {
                // "Liverpool" the club; not "Westminster", the parliament.
                if is_place(org) && org == canonical {
                    return Some(org.to_string());
                }
                let (town, club) = org.rsplit_once(' ')?;
                (is_club_suffix(club) && is_place(town)).then(|| town.to_string())
            })
            .collect();
        let max_title_tokens = titles
            .iter()
            .map(|t| t.split(' ').count())
            .max()
            .unwrap_or(1);
        let cue_words = cue_table();
        let mut lists = Lists {
            names,
            max_tokens,
            given: set(include_str!("data/given_names.txt")),
            titles,
            cap_titles,
            max_title_tokens,
            title_starts,
            org_suffixes: set(include_str!("data/org_suffixes.txt")),
            common_title: with_title_case(FxHashSet::default())
                .into_iter()
                .chain(common.iter().map(|w| title_case(w)))
                .collect(),
            common,
            demonyms: set(include_str!("data/demonyms.txt")),
            club_towns,
            cue_mask: {
                let mut mask = [0u64; 64];
                for w in cue_words.keys() {
                    let bit = cue_bit(w);
                    mask[bit >> 6] |= 1 << (bit & 63);
                }
                mask
            },
            cue_words,
            word_flags: WordFlags::default(),
            breaks: FxHashMap::default(),
        };
        lists.word_flags = word_flags_of(&lists);
        lists.breaks = breaks_of(&lists);
        for &w in lists.breaks.keys() {
            lists.word_flags.add(w, BREAK);
        }
        lists
    })
}

/// A gazetteer name may start with the token (exactly as the tokenizer cuts
/// the name's first word): longer spans need no lookup otherwise.
const NAME_FIRST: Flags = 1;
/// A given name.
const GIVEN: Flags = 2;
/// A demonym ("Russian").
const DEMONYM: Flags = 4;
/// In `Lists::title_starts` as written.
const TITLE_START: Flags = 8;
/// In `Lists::common_title` as written.
const COMMON_TITLE: Flags = 16;
/// Set on tokens, not in the table: the token is in title case.
const TITLE_CASE: Flags = 32;
/// In `NOT_ORGANISATIONS`.
const NOT_ORG: Flags = 64;
/// In `NOT_NAMES`.
const NOT_NAME: Flags = 128;
/// The run of a listed name stops at this word, short of the name's end
/// (`Lists::breaks`).
const BREAK: Flags = 256;

/// What the lists say of a word (`NAME_FIRST` and the rest).
type Flags = u16;

/// A word of up to 16 bytes as three integers that name it exactly, for
/// the word table: its length and two loads that together cover every byte.
/// A lookup then compares integers; comparing strings (a `memcmp` call per
/// probe) was a tenth of all extraction time.
type Packed = (u64, u64, u8);

fn pack(w: &[u8]) -> Option<Packed> {
    let len = w.len();
    let u32_at = |i: usize| u32::from_le_bytes([w[i], w[i + 1], w[i + 2], w[i + 3]]) as u64;
    let u64_at = |i: usize| {
        let mut b = [0; 8];
        b.copy_from_slice(&w[i..i + 8]);
        u64::from_le_bytes(b)
    };
    let (a, b) = match len {
        0..=3 => (
            w.iter()
                .enumerate()
                .fold(0, |acc, (i, &c)| acc | (c as u64) << (8 * i)),
            0,
        ),
        4..=7 => (u32_at(0) | u32_at(len - 4) << 32, 0),
        8..=16 => (u64_at(0), u64_at(len - 8)),
        _ => return None,
    };
    Some((a, b, len as u8))
}

/// What the lists say of a word as written, by its packed form (or, past
/// 16 bytes, by the word).
#[derive(Default)]
struct WordFlags {
    short: FxHashMap<Packed, Flags>,
    long: FxHashMap<String, Flags>,
}

impl WordFlags {
    fn add(&mut self, w: &str, flag: Flags) {
        match pack(w.as_bytes()) {
            Some(key) => *self.short.entry(key).or_default() |= flag,
            None => *self.long.entry(w.to_string()).or_default() |= flag,
        }
    }

    // Once per capitalised word: a call here cost 7% of extraction.
    #[inline(always)]
    fn get(&self, w: &str) -> Flags {
        match pack(w.as_bytes()) {
            Some(key) => self.short.get(&key),
            None => self.long.get(w),
        }
        .copied()
        .unwrap_or(0)
    }
}

fn word_flags_of(lists: &Lists) -> WordFlags {
    let mut flags = WordFlags::default();
    let mut add = |w: &str, flag: Flags| flags.add(w, flag);
    for name in lists.names.keys().filter(|n| !n.is_empty()) {
        add(&name[..word_end(name, 0)], NAME_FIRST);
        add(name.split(' ').next().unwrap_or(name), NAME_FIRST);
    }
    for w in &lists.given {
        add(w, GIVEN);
    }
    for w in &lists.demonyms {
        add(w, DEMONYM);
    }
    for w in &lists.title_starts {
        add(w, TITLE_START);
    }
    for w in &lists.common_title {
        add(w, COMMON_TITLE);
    }
    for w in NOT_ORGANISATIONS {
        add(w, NOT_ORG);
    }
    for w in NOT_NAMES {
        add(w, NOT_NAME);
    }
    flags
}

/// Where a listed name's run stops short of its end, as the tokens of the
/// name: `offset` tokens after its first, with `after` more tokens to come,
/// the first of them `next`; or with `tail` to come ("'s").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Break {
    offset: usize,
    after: usize,
    next: &'static str,
    tail: &'static str,
}

/// A tail glued to a name's last word ("'s" of "Macy's", ".com" of
/// "Amazon.com"), found as written. Not a word after a space, which
/// describes the name ("ABC network", "Time magazine") and is no part of the
/// mention, nor a lone dot, which at a sentence's end is the sentence's.
fn glued_tail(tail: &str) -> bool {
    !tail.starts_with(' ') && tail.chars().any(char::is_alphanumeric)
}

/// Reads each listed name as text, as `extract` would, for where its run
/// stops short of its end.
fn breaks_of(lists: &Lists) -> FxHashMap<&'static str, Vec<Break>> {
    let mut breaks: FxHashMap<&'static str, Vec<Break>> = FxHashMap::default();
    // Capitalised ASCII words and single spaces make one run: most names,
    // skipped here so that a one-shot `byline search` starts fast.
    let one_run = |name: &str| {
        name.split(' ').all(|w| {
            w.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && w.bytes().all(|b| b.is_ascii_alphabetic())
        })
    };
    for &name in lists.names.keys().filter(|n| !one_run(n)) {
        let tokens = tokenize(name, lists);
        if tokens.first().is_none_or(|t| t.start != 0) {
            continue;
        }
        let j = run_end(name, &tokens, 0);
        let t = &tokens[j];
        let at = if j + 1 < tokens.len() {
            Break {
                offset: j,
                after: tokens.len() - 1 - j,
                next: tokens[j + 1].text,
                tail: "",
            }
        } else if glued_tail(&name[t.end..]) {
            Break {
                offset: j,
                after: 0,
                next: "",
                tail: &name[t.end..],
            }
        } else {
            continue;
        };
        let list = breaks.entry(t.text).or_default();
        if !list.contains(&at) {
            list.push(at);
        }
    }
    // The longest name first; one that ends with its tail last.
    for list in breaks.values_mut() {
        list.sort_by_key(|b| (b.after == 0, std::cmp::Reverse(b.offset + b.after)));
    }
    breaks
}

/// Resolves a name as a user types it (`US`, `Kiev`, `NATO`) to the canonical
/// name the gazetteers give it, if any.
pub fn canonical(name: &str) -> Option<(&'static str, EntityKind)> {
    lists().names.get(name).map(|&(c, k)| (c, k))
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
    /// What the lists say of the token's text (`NAME_FIRST`, ...).
    flags: Flags,
}

impl Token<'_> {
    fn is(&self, flag: Flags) -> bool {
        self.flags & flag != 0
    }

    /// The token starts a span that may be a gazetteer name.
    fn may_start_name(&self) -> bool {
        self.is(NAME_FIRST)
    }
}

/// All-capital words that are not organisations.
const NOT_ORGANISATIONS: &[&str] = &[
    "TV", "PC", "CD", "CDs", "DVD", "DVDs", "MP", "MPs", "MSP", "MSPs", "MEP", "MEPs", "AI", "DS",
    "PSP", "GDP", "CEO", "IT", "PR", "OK", "AM", "PM", "BC", "AD", "HIV", "AIDS", "SMS", "GPS",
    "UFO", "VAT", "ID", "IQ", "DJ", "MC", "FM", "HD", "LCD", "PDF", "USB", "VIP", "PhD", "MBA",
    "CCTV", "DNA", "RAM", "CPU", "MP3", "GM", "OBE", "MBE", "CBE", "QC", "DIY", "FAQ", "ATM",
    "PIN", "Q1", "Q2", "Q3", "Q4", "AGM", "IPO", "CGI", "RPG", "GMT", "BST", "UTC", "CET", "EST",
    "PST", "SUV", "SUVs", "KSh", "USD", "EUR", "GBP", "JPY", "CHF", "NOK", "SEK", "DKK", "PLN",
    "KES", "NGN", "GHS", "ZAR", "CAD", "AUD", "CNY", "INR",
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
    // Currencies written as codes before an amount: "KSh 85 million".
    "KSh",
    "Ksh",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "CNY",
    "INR",
    "NGN",
    "GHS",
    "ZAR",
    "CHF",
];

/// Whether `w` is in [`NOT_NAMES`]; a token knows it from its flags.
fn is_not_name(w: &str) -> bool {
    NOT_NAMES.contains(&w)
}

/// Last words of club names that follow the town ("Bolton Wanderers").
fn is_club_suffix(w: &str) -> bool {
    matches!(
        w,
        "United"
            | "City"
            | "Wanderers"
            | "Rovers"
            | "Athletic"
            | "Albion"
            | "FC"
            | "AFC"
            | "Town"
            | "County"
            | "Villa"
            | "Hotspur"
            | "Rangers"
            | "Wednesday"
            | "Argyle"
            | "Vale"
            | "Utd"
            | "Orient"
            | "Thistle"
    )
}

/// Club nicknames, organisations in sport copy ("Boro booked their place").
fn is_club_nickname(w: &str) -> bool {
    matches!(
        w,
        "Gunners"
            | "Blues"
            | "Reds"
            | "Magpies"
            | "Toffees"
            | "Hammers"
            | "Spurs"
            | "Wanderers"
            | "Boro"
            | "Villans"
            | "Foxes"
            | "Canaries"
            | "Baggies"
            | "Hornets"
            | "Clarets"
            | "Potters"
            | "Rams"
            | "Wolves"
            | "Saints"
            | "Owls"
            | "Blades"
            | "Cherries"
            | "Seagulls"
            | "Gers"
            | "Bhoys"
            | "Hoops"
            | "Hatters"
            | "Tractor"
            | "Cottagers"
            | "Addicks"
            | "Eagles"
            | "Trotters"
            | "Latics"
            | "Posh"
            | "Pompey"
            | "United"
            | "Rovers"
            | "Albion"
            | "Athletic"
            | "Rangers"
            | "Celtic"
            | "Hibs"
            | "Hearts"
    )
}

/// Words common in sport copy; enough of them make a text a sport report,
/// where a town is most often its club.
const SPORT_WORDS: &[&str] = &[
    "goal",
    "goals",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "keeper",
    "winger",
    "league",
    "scored",
    "scorer",
    "penalty",
    "squad",
    "match",
    "unbeaten",
    "tournament",
    "medal",
    "champion",
    "championship",
    "football",
    "rugby",
    "tennis",
    "cricket",
    "athletics",
    "referee",
    "fixture",
    "header",
    "coach",
    "season",
    "semi-final",
    "quarter-final",
    "final",
    "club",
    "clubs",
    "player",
    "players",
    "transfer",
    "team-mate",
    "left-back",
    "right-back",
    "fans",
    "stadium",
];

/// The plain form of the check that [`SPORT_PREFIXES`] speeds up, for tests.
#[cfg(test)]
fn is_sport_word(w: &str) -> bool {
    SPORT_WORDS.contains(&w)
}

/// For each pair of first two letters, a bit for each length of sport word
/// that starts with them. Nearly every word of an article is looked at
/// while telling sport reports apart, and this rejects almost all of them
/// with one load, before any comparison of strings.
const SPORT_PREFIXES: [u16; 26 * 26] = {
    let mut t = [0u16; 26 * 26];
    let mut i = 0;
    while i < SPORT_WORDS.len() {
        let w = SPORT_WORDS[i].as_bytes();
        t[(w[0] - b'a') as usize * 26 + (w[1] - b'a') as usize] |= 1 << w.len();
        i += 1;
    }
    t
};

/// How many sport words (`is_sport_word`) start a lowercase word in
/// `bytes`, up to four. A word is a run of lowercase letters and hyphens
/// that starts with a letter not glued to a letter before it ("McGoal" holds
/// no word). This runs on nearly every article, so the runs are found from
/// a bit mask per 64-byte block, built without a branch, rather than byte by
/// byte.
fn sport_words_in(bytes: &[u8]) -> usize {
    let mut hits = 0;
    // Where the run that the last block ended inside began.
    let mut open: Option<usize> = None;
    for (n, block) in bytes.chunks(64).enumerate() {
        let base = n * 64;
        let mut mask = 0u64;
        for (k, &b) in block.iter().enumerate() {
            mask |= u64::from(b.is_ascii_lowercase() | (b == b'-')) << k;
        }
        let mut k = 0;
        while k < block.len() {
            let start = match open {
                Some(start) => start,
                None => {
                    let rest = mask >> k;
                    if rest == 0 {
                        break;
                    }
                    k += rest.trailing_zeros() as usize;
                    base + k
                }
            };
            // Bits past the block's end are clear in `mask`, so a run that
            // stops inside the block finds its end here.
            let rest = !mask >> k;
            if rest == 0 {
                open = Some(start);
                break;
            }
            k += rest.trailing_zeros() as usize;
            if k >= block.len() {
                open = Some(start);
                break;
            }
            open = None;
            hits += usize::from(is_sport_run(bytes, start, base + k));
            if hits == 4 {
                return hits;
            }
        }
    }
    if let Some(start) = open {
        hits += usize::from(is_sport_run(bytes, start, bytes.len()));
    }
    hits.min(4)
}

/// Whether the run of lowercase letters and hyphens `start..end` makes a
/// sport word once leading hyphens are dropped.
fn is_sport_run(bytes: &[u8], start: usize, end: usize) -> bool {
    let Some(first) = bytes[start..end].iter().position(u8::is_ascii_lowercase) else {
        return false;
    };
    let start = start + first;
    let mid_word = start > 0 && bytes[start - 1].is_ascii_alphabetic();
    let run = &bytes[start..end];
    if mid_word || !(4..=13).contains(&run.len()) || !run[1].is_ascii_lowercase() {
        return false;
    }
    let prefix = (run[0] - b'a') as usize * 26 + (run[1] - b'a') as usize;
    SPORT_PREFIXES[prefix] & (1 << run.len()) != 0
        && SPORT_WORDS.iter().any(|w| w.as_bytes() == run)
}

/// Last words of events, competitions and awards, which are not annotated
/// and hide the names inside them ("Geneva Motor Show", "Uefa Cup").
fn is_event_word(w: &str) -> bool {
    matches!(
        w,
        "Show"
            | "Festival"
            | "Marathon"
            | "Games"
            | "Awards"
            | "Award"
            | "Cup"
            | "Championship"
            | "Championships"
            | "Prize"
            | "Trophy"
            | "Olympics"
            | "Exhibition"
            | "Expo"
            | "Tournament"
            | "Open"
            | "Bowl"
            | "Prix"
            | "Rally"
    )
}

/// Last words of named sites and buildings: places, even when the rest is a
/// town or a person ("Edinburgh Airport", "Millennium Stadium", "Gdynia
/// Container Terminal").
fn is_venue_word(w: &str) -> bool {
    matches!(
        w,
        "Stadium"
            | "Arena"
            | "Theatre"
            | "Theater"
            | "Airport"
            | "Palace"
            | "Cathedral"
            | "Abbey"
            | "Castle"
            | "Square"
            | "Racecourse"
            | "Velodrome"
            | "Park"
            | "Terminal"
            | "Station"
            | "Bridge"
            | "Harbour"
            | "Harbor"
            | "Tower"
    )
}

/// Lowercase words inside a surname: "Pieter van Dam", "Ursula von der
/// Leyen", "Charles de Gaulle".
pub(crate) fn is_particle(w: &str) -> bool {
    // Only joining words the tokenizer keeps inside a name (`is_connector`).
    matches!(
        w,
        "van" | "von" | "de" | "der" | "den" | "du" | "da" | "di" | "del" | "le" | "la"
    )
}

/// Last words of named geographic features: "Gdańsk Bay" is a place, not
/// the city Gdańsk and an unknown "Bay" (which, used twice, would become an
/// organisation). Unlike a venue, only after a word that is no given name:
/// "Michael Bay" is a person.
fn is_feature_word(w: &str) -> bool {
    matches!(
        w,
        "Bay"
            | "Gulf"
            | "Sea"
            | "Strait"
            | "Straits"
            | "Lagoon"
            | "Estuary"
            | "Fjord"
            | "Peninsula"
            | "Coast"
            | "Valley"
            | "Desert"
            | "Delta"
            | "Canal"
            | "Glacier"
            | "Mountains"
            | "Islands"
    )
}

/// First words of named geographic features ("River Senne") and saints'
/// towns ("St Albans").
fn is_place_prefix(w: &str) -> bool {
    matches!(w, "River" | "Lake" | "Mount" | "Mt" | "St" | "Loch")
}

/// Nouns that name a work or product right before its title ("the film
/// Rainbow Street", "sang Blue Harbour").
const WORK_CUES: &[&str] = &[
    "film",
    "movie",
    "book",
    "novel",
    "album",
    "single",
    "song",
    "songs",
    "game",
    "sitcom",
    "musical",
    "series",
    "show",
    "programme",
    "documentary",
    "drama",
    "opera",
    "track",
    "sang",
    "sings",
    "character",
    "characters",
];

/// Nouns that put an organisation's name right after them ("the law firm
/// Harte Lowry", "the band Velvet Crane").
const ORG_NOUNS: &[&str] = &[
    "firm",
    "company",
    "group",
    "band",
    "publication",
    "newspaper",
    "magazine",
    "tabloid",
    "broadcaster",
    "label",
    "retailer",
    "chain",
    "bank",
    "insurer",
    "airline",
    "carrier",
    "maker",
    "manufacturer",
    "giant",
    "conglomerate",
    "charity",
    "organisation",
    "organization",
    "agency",
    "watchdog",
    "consultancy",
    "studio",
    "distributor",
    "outfit",
    "trio",
    "lender",
    "supermarket",
    "brewer",
    "publisher",
    "unit",
    "subsidiary",
];

fn is_org_noun(w: &str) -> bool {
    cue_flags(w, lists()) & ORG_NOUN != 0
}

/// Roles held at or in an organisation: "analyst at Harte Lowry".
const ORG_ROLES: &[&str] = &[
    "analyst",
    "analysts",
    "economist",
    "economists",
    "strategist",
    "editor",
    "partner",
    "partners",
    "executive",
    "executives",
    "founder",
    "chairman",
    "employees",
    "staff",
    "researchers",
    "shares",
    "stake",
    "subsidiary",
    "unit",
    "division",
];

fn is_org_role(w: &str) -> bool {
    cue_flags(w, lists()) & ORG_ROLE != 0
}

/// Words right after an organisation's name: "Harte Lowry shares", "Velvet
/// Crane singer".
const ORG_FOLLOWERS: &[&str] = &[
    "shares",
    "shareholders",
    "analyst",
    "analysts",
    "economist",
    "singer",
    "frontman",
    "frontwoman",
    "guitarist",
    "drummer",
    "bassist",
    "headquarters",
    "subsidiary",
    "employees",
];

/// Product nouns right after a brand or model name ("Glenrock Reserve
/// whisky"); the name is not annotated.
const PRODUCT_NOUNS: &[&str] = &[
    "whisky",
    "whiskey",
    "rum",
    "vodka",
    "gin",
    "wine",
    "beer",
    "lager",
    "cider",
    "car",
    "cars",
    "phone",
    "handset",
    "camera",
    "console",
    "jukebox",
    "index",
    "SUV",
    "SUVs",
    "hatchback",
    "hatchbacks",
    "saloon",
    "sedan",
    "compact",
    "smartphone",
    "laptop",
];

/// Words after a painter's name: "a Whistler painting".
const PAINTER_CUES: &[&str] = &[
    "painting",
    "paintings",
    "portrait",
    "sculpture",
    "sculptures",
];

/// Nouns right after an organisation's name: "the Courier newspaper".
const ORG_AFTER: &[&str] = &["newspaper", "magazine", "tabloid", "firm", "company"];

// What a context word says, as bits of `cue_flags`.
const WORK: u16 = 1;
const ORG_NOUN: u16 = 2;
const ORG_ROLE: u16 = 4;
const ORG_FOLLOWER: u16 = 8;
const PRODUCT: u16 = 16;
const PAINTER: u16 = 32;
const SEAT: u16 = 64;

/// The cue words, each with what it says, in one table: one lookup per
/// context word instead of a scan of every list.
fn cue_flags(w: &str, lists: &Lists) -> u16 {
    // Most words are no cue: every cue word has three letters or more, and
    // a bit set over a few of its letters says so without hashing the word.
    if w.len() < 3 {
        return 0;
    }
    let bit = cue_bit(w);
    if lists.cue_mask[bit >> 6] & (1 << (bit & 63)) == 0 {
        return 0;
    }
    lists.cue_words.get(w).copied().unwrap_or(0)
}

/// The bit of `Lists::cue_mask` a word falls on: from its length and its
/// first, second and last letters.
#[inline]
fn cue_bit(w: &str) -> usize {
    match w.as_bytes() {
        [f, s, .., l] => {
            (*f as usize * 31 + *s as usize * 131 + *l as usize * 7 + w.len() * 1031) & 4095
        }
        _ => 0,
    }
}

fn cue_table() -> FxHashMap<&'static str, u16> {
    let mut table: FxHashMap<&'static str, u16> = FxHashMap::default();
    for (words, flag) in [
        (WORK_CUES, WORK),
        (ORG_NOUNS, ORG_NOUN),
        (ORG_ROLES, ORG_ROLE),
        (ORG_FOLLOWERS, ORG_FOLLOWER),
        (ORG_AFTER, ORG_FOLLOWER),
        (PRODUCT_NOUNS, PRODUCT),
        (PAINTER_CUES, PAINTER),
        (&["seat"], SEAT),
    ] {
        for w in words {
            *table.entry(w).or_default() |= flag;
        }
    }
    table
}

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
/// or contraction ("Witkoff's", "don't"), a full stop and a hyphen before a
/// lowercase word ("Florida-based") do not.
fn word_end(text: &str, start: usize) -> usize {
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
                        out.push(Token::new(text, start, i, false, false, lists));
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
                out.push(Token::new(text, i, i + 1, false, sentence_start, lists));
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
                let start = glued_start(text, i, end, lists);
                // "But al-Qaeda": the joining word "al" is now the name's.
                while out.last().is_some_and(|t| t.end > start) {
                    out.pop();
                }
                let token = Token::new(text, start, end, true, sentence_start, lists);
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
/// "eBay"), else at `i`.
#[inline]
fn glued_start(text: &str, i: usize, end: usize, lists: &Lists) -> usize {
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
    if lists.word_flags.get(&text[p..end]) & NAME_FIRST != 0 {
        p
    } else {
        i
    }
}

/// Lowercase words that follow a name and a hyphen to make an adjective
/// ("Florida-based", "Belfast-born", "EU-funded"): the name still counts.
const COMPOUND_TAILS: &[&str] = &[
    "based",
    "born",
    "bred",
    "backed",
    "funded",
    "owned",
    "led",
    "run",
    "listed",
    "registered",
    "controlled",
    "style",
    "wide",
    "era",
    "themed",
    "made",
    "headquartered",
    "focused",
    "linked",
    "sponsored",
    "supported",
    "inspired",
    "designed",
    "built",
    "produced",
    "friendly",
    "bashing",
    "type",
    "like",
    "related",
    "educated",
    "trained",
    "raised",
    "dominated",
    "affiliated",
    "bound",
    "centred",
    "centered",
    "specific",
    "branded",
    "approved",
];

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

impl<'t> Token<'t> {
    fn new(
        text: &'t str,
        start: usize,
        end: usize,
        cap: bool,
        sentence_start: bool,
        lists: &Lists,
    ) -> Self {
        let rest = &text.as_bytes()[end..];
        let word = &text[start..end];
        let mut flags = lists.word_flags.get(word);
        if is_title_case(word) {
            flags |= TITLE_CASE;
        }
        // A common English word: looked up as it is when in title case
        // ("Meanwhile"), lowercased otherwise ("MEANWHILE").
        let common = cap
            && if flags & TITLE_CASE != 0 {
                flags & COMMON_TITLE != 0
            } else {
                contains_lower(&lists.common, word)
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
struct Found<'t> {
    first: usize,
    last: usize,
    kind: EntityKind,
    name: &'t str,
    /// Vouched for by a gazetteer or a context cue (trusted in headlines too).
    listed: bool,
    /// Bytes the mention runs on past its last token ("Channel 9").
    extra: usize,
}

/// Finds the entities in a text. Spans are byte offsets into `text`.
pub fn extract(text: &str) -> Vec<Entity> {
    extract_in(text)
}

fn extract_in<'t>(text: &'t str) -> Vec<Entity> {
    let lists = lists();
    let tokens = tokenize(text, lists);
    let mut doc = Doc::new(text);
    let mut found: Vec<Found<'t>> = Vec::with_capacity(tokens.len() / 2 + 8);
    // Single capitalised words we could not place: resolved in a second pass.
    let mut loose: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].cap {
            i += 1;
            continue;
        }
        if let Some((last, kind)) = doc.span_at(i) {
            found.push(Found {
                first: i,
                last,
                kind,
                name: &text[tokens[i].start..tokens[last].end],
                listed: true,
                extra: 0,
            });
            i = last + 1;
            continue;
        }
        let j = run_end(text, &tokens, i);
        // A team sheet: "Rovers: Hale, Moss, Di Santo (Greco 70), ...".
        if text[tokens[j].end..].starts_with(": ") {
            doc.read_team_sheet(&tokens, name_start(&tokens, i, j), j, lists);
            if let Some((last, kind)) = doc.span_at(i) {
                found.push(Found {
                    first: i,
                    last,
                    kind,
                    name: &text[tokens[i].start..tokens[last].end],
                    listed: true,
                    extra: 0,
                });
                i = last + 1;
                continue;
            }
        }
        if tokens[j].is(BREAK) {
            if let Some(f) = listed_across_break(text, &tokens, i, j, lists) {
                // The words before it are a run of their own: "UK" in "the
                // UK Department for Work and Pensions".
                let mut k = i;
                while k < f.first {
                    let before = f.first - 1;
                    k = classify(
                        text, &tokens, k, before, lists, &mut doc, &mut found, &mut loose,
                    )
                    .max(k + 1);
                }
                i = f.last + 1;
                found.push(f);
                continue;
            }
        }
        let consumed = classify(text, &tokens, i, j, lists, &mut doc, &mut found, &mut loose);
        i = consumed.max(i + 1);
    }
    doc.revise(text, &tokens, &mut found, &mut loose);
    resolve(text, &tokens, lists, &doc, found, loose)
}

/// A listed name that the run `i..=j` stopped short of, at one of
/// `Lists::breaks`: "People's Republic of China" (not "Republic of China",
/// which is Taiwan), "Food and Drug Administration" (not "Drug
/// Administration"), "Standard & Poor's". A run that only shares words with
/// such a name ("the King's speech", "Mr Moody's") is left to `classify`.
#[cold]
#[inline(never)]
fn listed_across_break<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    i: usize,
    j: usize,
    lists: &Lists,
) -> Option<Found<'t>> {
    let t = &tokens[j];
    for at in lists.breaks.get(t.text)? {
        let Some(a) = j.checked_sub(at.offset).filter(|&a| a >= i) else {
            continue;
        };
        let (last, end) = if at.after > 0 {
            let b = j + at.after;
            match tokens.get(j + 1) {
                Some(n) if n.text == at.next && b < tokens.len() => (b, tokens[b].end),
                _ => continue,
            }
        } else {
            // Only ordinary words may come before a name that ends in its
            // tail ("Yesterday Macy's said"), not a title or a given name
            // ("Mr Moody's", "Rob Lowe's").
            let ordinary = tokens[i..a]
                .iter()
                .all(|w| w.common && !w.is(GIVEN) && !w.is(TITLE_START));
            if !ordinary || !text[t.end..].starts_with(at.tail) {
                continue;
            }
            (j, t.end + at.tail.len())
        };
        if let Some(&(name, kind)) = lists.names.get(&text[tokens[a].start..end]) {
            return Some(Found {
                first: a,
                last,
                kind,
                name,
                listed: true,
                extra: end - tokens[last].end,
            });
        }
    }
    None
}

/// The last token of the run of capitalised words (with connectors inside)
/// that starts at `i`.
fn run_end(text: &str, tokens: &[Token], i: usize) -> usize {
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

/// The words next to a name, as `Doc::read_run` found them.
struct Near<'t> {
    b0: &'t str,
    b0_start: usize,
    before_flags: u16,
    after_flags: u16,
    model: bool,
    after_possessive: bool,
    preposition: bool,
    punctuated: bool,
}

/// What the context of one mention says about a name, for every mention of
/// it in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// A work, product or fictional character: not annotated.
    Work,
    Kind(EntityKind),
}

/// Document-level evidence, gathered once per text before classification.
struct Doc<'t> {
    text: &'t str,
    /// Names (as written, without a leading "The") whose context somewhere
    /// in the text says what they are: "the law firm Harte Lowry" makes
    /// every "Harte Lowry" an organisation.
    cues: FxHashMap<&'t str, Cue>,
    /// The first words of the `cues` keys: few, and most runs start with
    /// none of them.
    cue_firsts: Vec<&'t str>,
    /// Token ranges context makes one name: first token → (last, kind).
    /// Constituencies joined by "and", and the players of a team sheet.
    spans: FxHashMap<usize, (usize, EntityKind)>,
    /// "A and B" runs, for a second title joined to a known one.
    pairs: Vec<(&'t str, &'t str)>,
    /// Whether the text is a sport report; worked out only when asked.
    sport: std::cell::OnceCell<bool>,
}

/// Bytes of the words context cues are made of: letters, digits, hyphens,
/// and any non-ASCII character.
#[inline]
fn is_cue_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b >= 0x80
}

/// Punctuation that ends the clause a context cue may come from.
#[inline]
fn is_clause_end(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'!' | b'?' | b':' | b';' | b'"' | b'(' | b')' | b'\n'
    )
}

/// The word nearest before byte `at` and where it starts, within the same
/// clause and a short window; empty if none. Commas do not stop the
/// look-back: "experts, like Harte Lowry". A byte scan: this runs for every
/// name.
fn word_before(text: &str, at: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    let lo = at.saturating_sub(32);
    let mut p = at;
    while p > lo && !is_cue_byte(bytes[p - 1]) {
        if is_clause_end(bytes[p - 1]) {
            return ("", at);
        }
        p -= 1;
    }
    let end = p;
    while p > lo && is_cue_byte(bytes[p - 1]) {
        p -= 1;
    }
    // The window may have cut a character (or a word) in two.
    if p == lo && lo > 0 {
        return ("", at);
    }
    (&text[p..end], p)
}

/// The words nearest before byte `at`, nearest first (up to three), within
/// the same clause and a short window. Commas do not stop the look-back:
/// "experts, like Harte Lowry". A byte scan: this runs for every name.
fn words_before(text: &str, at: usize) -> [&str; 3] {
    let bytes = text.as_bytes();
    let mut lo = at.saturating_sub(48);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut out = [""; 3];
    let mut p = at;
    for slot in &mut out {
        while p > lo && !is_cue_byte(bytes[p - 1]) {
            if is_clause_end(bytes[p - 1]) {
                return out;
            }
            p -= 1;
        }
        let end = p;
        while p > lo && is_cue_byte(bytes[p - 1]) {
            p -= 1;
        }
        if p == end {
            break;
        }
        *slot = &text[p..end];
    }
    out
}

/// The first word after byte `at`, skipping a possessive, in the same clause
/// (a comma ends it); empty if none.
fn word_after(text: &str, at: usize) -> &str {
    let bytes = text.as_bytes();
    let hi = text.len().min(at + 32);
    let mut p = at;
    if bytes[at..hi].starts_with(b"'s") {
        p += 2;
    } else if bytes[at..hi].starts_with("’s".as_bytes()) {
        p += "’s".len();
    }
    while p < hi && !is_cue_byte(bytes[p]) {
        if is_clause_end(bytes[p]) || bytes[p] == b',' {
            return "";
        }
        p += 1;
    }
    let start = p;
    while p < hi && is_cue_byte(bytes[p]) {
        p += 1;
    }
    // The window may have cut a character (or a word) in two.
    if p == hi && hi < text.len() {
        return "";
    }
    &text[start..p]
}

/// A model number: letters and digits in one word ("X200", "DB9").
fn is_model(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_digit()) && w.bytes().any(|b| b.is_ascii_alphabetic())
}

/// A month (but "May", a surname too) or a day of the week.
fn is_month_or_day(w: &str) -> bool {
    matches!(
        w,
        "January"
            | "February"
            | "March"
            | "April"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
    )
}

/// Skips the words before a name in a run: a sentence-initial common word
/// ("Meanwhile") and "The".
fn name_start(tokens: &[Token], i: usize, j: usize) -> usize {
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

impl<'t> Doc<'t> {
    fn new(text: &'t str) -> Doc<'t> {
        Doc {
            text,
            cues: FxHashMap::default(),
            cue_firsts: Vec::new(),
            spans: FxHashMap::default(),
            pairs: Vec::new(),
            sport: std::cell::OnceCell::new(),
        }
    }

    /// What the context of later mentions said, applied to the earlier
    /// ones: "Harte Lowry" before "the law firm Harte Lowry".
    fn revise(
        &mut self,
        text: &'t str,
        tokens: &[Token<'t>],
        found: &mut Vec<Found<'t>>,
        loose: &mut Vec<usize>,
    ) {
        // "Rufus Quill and Dark Harbour", after "the book Rufus Quill".
        for k in 0..self.pairs.len() {
            let (a, b) = self.pairs[k];
            if self.cues.get(a) == Some(&Cue::Work) && !self.cues.contains_key(b) {
                self.cue(b, Cue::Work);
            }
        }
        if self.cues.is_empty() {
            return;
        }
        found.retain_mut(|f| {
            let span = &text[tokens[f.first].start..tokens[f.last].end];
            match self.cues.get(span) {
                Some(Cue::Work) => false,
                Some(&Cue::Kind(kind)) if kind != f.kind => {
                    f.kind = kind;
                    f.name = span;
                    true
                }
                _ => true,
            }
        });
        loose.retain(|&i| match self.cues.get(tokens[i].text) {
            Some(Cue::Work) => false,
            Some(&Cue::Kind(kind)) => {
                found.push(Found {
                    first: i,
                    last: i,
                    kind,
                    name: tokens[i].text,
                    listed: true,
                    extra: 0,
                });
                false
            }
            None => true,
        });
    }

    /// The name that context makes of the tokens from `i`, if any.
    #[inline]
    fn span_at(&self, i: usize) -> Option<(usize, EntityKind)> {
        if self.spans.is_empty() {
            return None;
        }
        self.spans.get(&i).copied()
    }

    /// Records what the context says about `key`, and its first word for a
    /// quick test in `classify`.
    fn cue(&mut self, key: &'t str, cue: Cue) {
        let first = key.split(' ').next().unwrap_or(key);
        if !self.cue_firsts.contains(&first) {
            self.cue_firsts.push(first);
        }
        self.cues.insert(key, cue);
    }

    fn sport(&self) -> bool {
        // A sport report says so early: the start of the text is enough.
        *self
            .sport
            .get_or_init(|| sport_words_in(&self.text.as_bytes()[..self.text.len().min(1500)]) >= 4)
    }

    /// Looks at the context of the run `i..=j` for what it says about the
    /// name.
    #[inline]
    fn read_run(&mut self, tokens: &[Token<'t>], i: usize, j: usize, lists: &Lists) {
        let text = self.text;
        let rest = &text[tokens[j].end..];
        // A common word alone ("The", "He") names nothing, whatever its
        // context; most runs are such words. Nor does a faith or a
        // currency ("the company KSh 85 million").
        if i == j && (tokens[i].common || tokens[i].is(NOT_NAME)) {
            return;
        }
        // An alternative title in brackets: "The Glass Orchard (Le Verger)".
        if rest.starts_with(" (") && !self.cues.is_empty() {
            let a = name_start(tokens, i, j);
            if self.cues.get(&text[tokens[a].start..tokens[j].end]) == Some(&Cue::Work) {
                if tokens
                    .get(j + 1)
                    .is_some_and(|t| t.cap && t.start == tokens[j].end + 2)
                {
                    let end = run_end(text, tokens, j + 1);
                    self.cue(&text[tokens[j + 1].start..tokens[end].end], Cue::Work);
                }
                return;
            }
        }
        // The words around, most often with nothing to say. Cue words count
        // only right before or after the name ("the film Rainbow Street",
        // not "the film, Ada Lowe"), so most names, next to punctuation,
        // need no scan; the others one table lookup per word, and the
        // farther words only when a near one asks.
        let bytes = text.as_bytes();
        let (start, end) = (tokens[i].start, tokens[j].end);
        let (b0, b0_start) =
            if start >= 2 && bytes[start - 1] == b' ' && bytes[start - 2].is_ascii_lowercase() {
                word_before(text, start)
            } else {
                ("", start)
            };
        let a0 = match bytes.get(end..end + 2) {
            Some([b' ', c]) if c.is_ascii_lowercase() => word_after(text, end),
            Some([b'\'', b's']) | Some([0xE2, _]) => word_after(text, end),
            _ => "",
        };
        let before_flags = cue_flags(b0, lists);
        let after_flags = cue_flags(a0, lists);
        let model = tokens[i..=j].iter().any(|t| is_model(t.text));
        let after_possessive = {
            let pre = &text[..start];
            pre.ends_with("'s ") || pre.ends_with("’s ")
        };
        let preposition = matches!(b0, "of" | "at" | "in" | "for" | "as" | "like");
        let punctuated = match bytes.get(end) {
            Some(b',') => true,
            Some(b' ') => rest.starts_with(" - ") || rest.starts_with(" and "),
            _ => false,
        };
        if before_flags == 0
            && after_flags == 0
            && !model
            && !after_possessive
            && !preposition
            && !punctuated
        {
            return;
        }
        let near = Near {
            b0,
            b0_start,
            before_flags,
            after_flags,
            model,
            after_possessive,
            preposition,
            punctuated,
        };
        self.read_near(tokens, i, j, lists, near);
    }

    /// The rest of `read_run`, for the few names with a word worth a look
    /// next to them.
    #[inline(never)]
    fn read_near(
        &mut self,
        tokens: &[Token<'t>],
        i: usize,
        j: usize,
        lists: &Lists,
        near: Near<'t>,
    ) {
        let text = self.text;
        let rest = &text[tokens[j].end..];
        let Near {
            b0,
            b0_start,
            before_flags,
            after_flags,
            model,
            after_possessive,
            preposition,
            punctuated,
        } = near;
        // A preposition matters only after certain words: "version of",
        // "MP for", "such as", "firms like", "analyst at".
        let (b1, b1_start) = if preposition {
            word_before(text, b0_start)
        } else {
            ("", 0)
        };
        let plural_org = |w: &str| w.strip_suffix('s').is_some_and(is_org_noun);
        let work_context = before_flags & WORK != 0
            || (b0 == "of" && b1 == "version")
            || (punctuated
                && (rest.starts_with(" - a character")
                    || rest.starts_with(", a character")
                    || rest.starts_with(", developed by")
                    || rest.starts_with(", made by")
                    || rest.starts_with(", designed by")));
        let product_context = model || after_flags & PRODUCT != 0;
        let painter = after_flags & PAINTER != 0;
        let member = b0 == "for" && matches!(b1, "MP" | "MSP" | "MEP" | "AM" | "candidate");
        let org_context = before_flags & ORG_NOUN != 0
            || (b0 == "as" && b1 == "such" && plural_org(word_before(text, b1_start).0))
            || (b0 == "like" && plural_org(b1))
            || (matches!(b0, "at" | "of" | "in") && is_org_role(b1))
            || after_flags & ORG_FOLLOWER != 0
            || (punctuated && rest.starts_with(", ") && org_appositive(rest));
        // Most names have no telling context: stop before any lookup.
        if !(work_context
            || product_context
            || after_possessive
            || painter
            || member
            || after_flags & SEAT != 0
            || org_context
            || rest.starts_with(" and "))
        {
            return;
        }
        let a = name_start(tokens, i, j);
        let key = &text[tokens[a].start..tokens[j].end];
        // A common word or a demonym alone names nothing, whatever its
        // context ("The singer", "unit of Ruritanian ..."). (The caller
        // looks at no listed name.)
        if a == j && (tokens[a].common || lists.demonyms.contains(key)) {
            return;
        }
        let listed_kind = |t: &Token| {
            t.may_start_name()
                .then(|| lists.names.get(t.text).map(|(_, k)| *k))
                .flatten()
        };
        let first_kind = listed_kind(&tokens[a]);
        let maker = first_kind == Some(EntityKind::Organization);
        let first_listed = first_kind.is_some();
        // The product of a listed maker: "Kestrel's Skyline Pro".
        let of_maker = after_possessive && !first_listed && !tokens[a].is(GIVEN) && {
            let pre = &text[..tokens[i].start];
            let pre = pre
                .strip_suffix("'s ")
                .or_else(|| pre.strip_suffix("’s "))
                .unwrap_or(pre);
            let w = pre
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            matches!(lists.names.get(w), Some((_, EntityKind::Organization)))
        };

        // Works, products and characters.
        let work = !first_listed && work_context;
        let product = product_context || of_maker;
        if work || product {
            // A listed maker before the model keeps its name: "Kestrel X200".
            let from = if maker && a < j { a + 1 } else { a };
            if !(maker && from == a) {
                self.cue(&text[tokens[from].start..tokens[j].end], Cue::Work);
                // "the X200 Vantage" ... "the Vantage".
                if model && !is_model(tokens[j].text) && from < j {
                    self.cue(tokens[j].text, Cue::Work);
                }
            }
            return;
        }
        // "a Whistler painting": the painter.
        if painter {
            self.cue(key, Cue::Kind(EntityKind::Person));
            return;
        }
        // "Rufus Quill and the Glass Orchard": a title, or a band.
        if let Some(b) = self.title_pair(tokens, a, j, lists) {
            let end = run_end(text, tokens, b);
            self.cue(key, Cue::Work);
            let b = name_start(tokens, b, end);
            self.cue(&text[tokens[b].start..tokens[end].end], Cue::Work);
            return;
        }
        if rest.starts_with(" and ") {
            if let Some(b) = (j + 1 < tokens.len())
                .then_some(j + 1)
                .filter(|&b| tokens[b].cap && tokens[b].start == tokens[j].end + 5)
            {
                let end = run_end(text, tokens, b);
                let b = name_start(tokens, b, end);
                let b = &text[tokens[b].start..tokens[end].end];
                if self.cues.get(key) == Some(&Cue::Work) {
                    self.cue(b, Cue::Work);
                } else {
                    self.pairs.push((key, b));
                }
            }
        }
        // Constituencies: "MP for Hornby and Dale", "the Hornby seat".
        if member {
            let mut end = j;
            if rest.starts_with(" and ")
                && tokens
                    .get(j + 1)
                    .is_some_and(|t| t.cap && t.start == tokens[j].end + 5)
            {
                end = run_end(text, tokens, j + 1);
            }
            self.spans.insert(a, (end, EntityKind::Place));
            self.cue(
                &text[tokens[a].start..tokens[end].end],
                Cue::Kind(EntityKind::Place),
            );
            return;
        }
        if after_flags & SEAT != 0 {
            self.cue(key, Cue::Kind(EntityKind::Place));
            return;
        }
        if org_context {
            self.cue(key, Cue::Kind(EntityKind::Organization));
        }
    }

    /// `A and the B` where neither is a known name and B starts with no
    /// title: the run after "the", if so.
    fn title_pair(&self, tokens: &[Token], a: usize, j: usize, lists: &Lists) -> Option<usize> {
        let text = self.text;
        let b = j + 1;
        let tb = tokens.get(b)?;
        if !text[tokens[j].end..].starts_with(" and the ")
            || tb.start != tokens[j].end + 9
            || !tb.cap
        {
            return None;
        }
        let end = run_end(text, tokens, b);
        let unknown =
            |t: &Token| !(t.cap && t.may_start_name() && lists.names.contains_key(t.text));
        let no_title = |t: &Token| !contains_lower(&lists.titles, t.text);
        let ok = tokens[a..=j].iter().all(unknown)
            && tokens[b..=end].iter().all(unknown)
            && no_title(&tokens[a])
            && no_title(tb)
            && !lists.org_suffixes.contains(tokens[end].text)
            && !lists.org_suffixes.contains(tokens[j].text)
            && !contains_lower(&lists.titles, words_before(text, tokens[a].start)[0]);
        ok.then_some(b)
    }

    /// The players of a team sheet after `head:`, and the team itself.
    fn read_team_sheet(&mut self, tokens: &[Token], a: usize, h: usize, lists: &Lists) {
        let text = self.text;
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut prev_end = tokens[h].end + 1;
        let mut t = h + 1;
        while t < tokens.len() {
            let gap = &text[prev_end..tokens[t].start];
            if !gap
                .bytes()
                .all(|b| matches!(b, b' ' | b',' | b'(' | b')' | b'0'..=b'9'))
            {
                break;
            }
            let new_item = items.is_empty() || gap.bytes().any(|b| matches!(b, b',' | b'(' | b')'));
            if new_item {
                if !tokens[t].cap {
                    break;
                }
                items.push((t, t));
            } else if let Some(last) = items.last_mut() {
                if last.1 - last.0 >= 2 {
                    break;
                }
                last.1 = t;
            }
            prev_end = tokens[t].end;
            t += 1;
        }
        // A trailing connector is not part of a name.
        items.retain(|&(s, e)| tokens[s].cap && tokens[e].cap);
        let head = &text[tokens[a].start..tokens[h].end];
        let referee = matches!(head, "Referee" | "Ref");
        if !(items.len() >= 2 || (referee && items.len() == 1)) || !self.sport() {
            return;
        }
        for (s, e) in items {
            let span = &text[tokens[s].start..tokens[e].end];
            // "Ref: J Hale (Kent)": the county is no player.
            if !matches!(lists.names.get(span), Some((_, EntityKind::Place))) {
                self.spans.insert(s, (e, EntityKind::Person));
            }
        }
        // The team is named before its players.
        let is_team = matches!(lists.names.get(head), Some((_, EntityKind::Place)))
            || lists.club_towns.contains(head);
        if is_team {
            self.spans.insert(a, (h, EntityKind::Organization));
        }
    }
}

/// ", the drinks firm", ", one of Ruritania's biggest banks": an appositive
/// whose head noun makes the name before it an organisation.
fn org_appositive(rest: &str) -> bool {
    let Some(clause) = rest
        .strip_prefix(", the ")
        .or_else(|| rest.strip_prefix(", a "))
        .or_else(|| rest.strip_prefix(", an "))
        .or_else(|| rest.strip_prefix(", one of "))
    else {
        return false;
    };
    let mut to = clause.len().min(48);
    while !clause.is_char_boundary(to) {
        to -= 1;
    }
    let clause = &clause[..to];
    let clause = clause
        .find([',', '.', ';', ':', '(', ')', '"', '\n'])
        .map_or(clause, |p| &clause[..p]);
    // The head is the last word before the clause goes on ("the firm that
    // ...", "a drinks firm based in ...").
    let mut head = "";
    for w in clause
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .take(5)
    {
        if matches!(
            w,
            "which"
                | "that"
                | "who"
                | "with"
                | "in"
                | "of"
                | "for"
                | "based"
                | "and"
                | "said"
                | "has"
                | "is"
                | "was"
                | "owned"
                | "run"
                | "from"
                | "on"
                | "at"
        ) {
            break;
        }
        head = w;
    }
    is_org_noun(head) || head.strip_suffix('s').is_some_and(is_org_noun)
}

/// Tokens separated by a plain space (or a plural possessive: "Workers'
/// Federation"), not by punctuation or a line break.
fn same_line_gap(text: &str, a: &Token, b: &Token) -> bool {
    matches!(&text[a.end..b.start], " " | "' " | "’ ")
}

/// Classifies the run `i..=j`; returns the index after what it used.
#[allow(clippy::too_many_arguments)]
fn classify<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    i: usize,
    j: usize,
    lists: &'static Lists,
    doc: &mut Doc<'t>,
    found: &mut Vec<Found<'t>>,
    loose: &mut Vec<usize>,
) -> usize {
    let span = |a: usize, b: usize| &text[tokens[a].start..tokens[b].end];
    let listed = |a: usize, b: usize| {
        tokens[a]
            .may_start_name()
            .then(|| lists.names.get(span(a, b)))
            .flatten()
    };
    let mut push = |first: usize, last: usize, kind: EntityKind, listed: bool| {
        found.push(Found {
            first,
            last,
            kind,
            name: span(first, last),
            listed,
            extra: 0,
        })
    };

    // A listed name keeps the sentence's first word that starts it, title
    // or not: "General Motors said", "Federal Bureau of Investigation said".
    let a = name_start(tokens, i, j);
    let keep_first = a > i
        && tokens[i].sentence_start
        && !tokens[i].text.eq_ignore_ascii_case("the")
        && (a..=j.min(i + lists.max_tokens - 1)).any(|b| listed(i, b).is_some());
    let a = if keep_first { i } else { a };

    // What the context of another mention said about this name.
    if doc.cue_firsts.contains(&tokens[a].text) {
        for b in (a..=j.min(a + 5)).rev() {
            if let Some(cue) = doc.cues.get(span(a, b)) {
                // "Kestrel" has a cue, but "Kestrel Ricard" is listed.
                if (b + 1..=j.min(a + lists.max_tokens - 1)).any(|e| listed(a, e).is_some()) {
                    break;
                }
                if let Cue::Kind(kind) = *cue {
                    push(a, b, kind, true);
                }
                return b + 1;
            }
        }
    }

    // Lowercase role nouns ("star", "striker") are titles only where every
    // word is capitalised anyway: at a sentence start and in headlines.
    let is_title = |a: usize, b: usize| {
        contains_lower(&lists.cap_titles, span(a, b))
            || ((tokens[a].sentence_start || tokens[a].headline)
                && contains_lower(&lists.titles, span(a, b)))
    };
    // Titles: "President Vladimir Putin", "Foreign Minister Andrii Sybhia",
    // also after a demonym or a sentence-initial word ("Russian President").
    let mut k = i;
    while k < j
        && (tokens[k].is(DEMONYM)
            || (tokens[k].sentence_start && tokens[k].common && !tokens[k].is(GIVEN)))
    {
        k += 1;
    }
    let maybe_title = |k: usize| {
        if tokens[k].is(TITLE_CASE) {
            tokens[k].is(TITLE_START)
        } else {
            contains_lower(&lists.title_starts, tokens[k].text)
        }
    };
    let starts_title = maybe_title(k)
        && (1..=lists.max_title_tokens.min(j + 1 - k)).any(|n| is_title(k, k + n - 1));
    // A listed name that starts with a title word is still the name:
    // "Premier League", "General Motors".
    let listed_from_title = keep_first
        || (starts_title
            && (k + 1..=j.min(k + lists.max_tokens - 1)).any(|b| listed(k, b).is_some()));
    if !starts_title || listed_from_title {
        k = i;
    }
    let mut titled = false;
    loop {
        if listed_from_title {
            break;
        }
        let mut matched = 0;
        if !maybe_title(k) {
            break;
        }
        for n in (1..=lists.max_title_tokens.min(j + 1 - k)).rev() {
            if is_title(k, k + n - 1) {
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

    // What the context says of a name no list holds, for this mention and
    // the later ones. Listed names need no such look.
    let unlisted = listed(a, j).is_none();
    if !titled && unlisted {
        doc.read_run(tokens, i, j, lists);
        // "MP for Hornby and Dale": one name across the "and".
        if let Some((last, kind)) = doc.span_at(a) {
            push(a, last, kind, true);
            return last + 1;
        }
        if let Some(&cue) = doc.cues.get(span(a, j)) {
            if let Cue::Kind(kind) = cue {
                push(a, j, kind, true);
            }
            return j + 1;
        }
    }

    if !titled && a < j {
        let last = tokens[j].text;
        let n = j + 1 - a;
        // Cheap tests first; the lookups only when a rule may apply.
        let event = is_event_word(last);
        let venue = is_venue_word(last)
            || is_place_prefix(tokens[a].text)
            || (is_feature_word(last)
                && !tokens[a].is(GIVEN)
                // Not a title: "Beyond the Sea", "How Green Was My Valley".
                && tokens[a..j].iter().all(|t| t.cap && !t.common));
        let seat = matches!(last, "MP" | "MSP" | "MEP");
        let given_first = n <= 3
            && tokens[a + 1..=j]
                .iter()
                .all(|t| t.cap && !t.common && !is_model(t.text) && !t.is(NOT_NAME))
            && tokens[a].is(GIVEN)
            && !lists.org_suffixes.contains(last);
        // "Association of Chief Police Officers", and "Port of Rotterdam
        // Logistics Group": an organisation word before "of", or one word
        // before it and an organisation word at the end, but not "Many of
        // Manchester United" or "Orin Middleton of Barclays Capital".
        let of_org = (a + 1..j)
            .find(|&c| matches!(tokens[c].text, "of" | "for"))
            .filter(|&c| {
                lists.org_suffixes.contains(tokens[c - 1].text)
                    || (c == a + 1
                        && c + 1 < j
                        && lists.org_suffixes.contains(last)
                        && !tokens[a].common
                        && !tokens[a].is(GIVEN)
                        && listed(c + 1, j).is_none())
            });
        if (event || venue || seat || given_first || of_org.is_some()) && unlisted {
            // "Geneva Motor Show", "Uefa Cup": events hide the names in them.
            if event {
                return j + 1;
            }
            // Sites and features: "Edinburgh Airport", "River Senne".
            if venue {
                push(a, j, EntityKind::Place, false);
                return j + 1;
            }
            // "the Hornby MP": a constituency.
            if seat && listed(a, j - 1).is_none() {
                if !tokens[a].is(GIVEN) {
                    push(a, j - 1, EntityKind::Place, false);
                }
                return j + 1;
            }
            // A given name before a word that is also a place: "Alma
            // Windsor", "Milan Ostrava" are people.
            if given_first
                && (listed(a, a).is_none() || (a + 1..=j).all(|b| listed(b, b).is_none()))
            {
                push(a, j, EntityKind::Person, false);
                return j + 1;
            }
            // "Institute for Rural Studies", "Association of Chief
            // Officers": an organisation word before "of" or "for" makes the
            // whole run one name, places and all.
            if let Some(c) = of_org {
                if (c..=j).all(|b| listed(a, b).is_none()) {
                    push(a, j, EntityKind::Organization, false);
                    return j + 1;
                }
            }
        }
    }

    // "Channel 9": a listed name that ends in a number.
    if !titled {
        if let Some(extra) = number_after(text, tokens[j].end) {
            let with_number = format!("{} {}", span(a, j), &text[tokens[j].end + 1..extra]);
            if let Some((canonical, kind)) = lists.names.get(with_number.as_str()) {
                found.push(Found {
                    first: a,
                    last: j,
                    kind: *kind,
                    name: canonical,
                    listed: true,
                    extra: 0,
                });
                if let Some(f) = found.last_mut() {
                    f.extra = extra - tokens[j].end;
                }
                return j + 1;
            }
        }
    }

    // The longest gazetteer name inside the run, from its start.
    let name_first = a;
    for a in k..=j {
        if is_connector(tokens[a].text) {
            continue;
        }
        for b in (a..=j.min(a + lists.max_tokens - 1)).rev() {
            // Already looked up, above.
            if unlisted && a == name_first && b == j {
                continue;
            }
            if let Some((canonical, kind)) = listed(a, b) {
                let last = tokens[j].text;
                if !titled && a == k && b < j {
                    let abbreviated = tokens[a].text.chars().all(|c| !c.is_lowercase());
                    match kind {
                        // An organisation word after a place makes the whole
                        // run an organisation ("Manchester United", "Ruritania
                        // Anti-Doping Agency"); not after "US" ("US Federal
                        // Reserve") nor a place that is no club ("Texas City").
                        EntityKind::Place
                            if lists.org_suffixes.contains(last)
                                && !abbreviated
                                && (!is_club_suffix(last)
                                    || lists.club_towns.contains(span(a, b))) =>
                        {
                            break;
                        }
                        // A listed organisation that goes on to a unit, a
                        // region or an organisation word is one name: "Kestrel
                        // Scotland", "Kestrel Global Markets".
                        EntityKind::Organization
                            if tokens[b + 1..=j].iter().all(|t| t.cap)
                                && last != "TV"
                                && (lists.org_suffixes.contains(last)
                                    || matches!(
                                        lists.names.get(last),
                                        Some((_, EntityKind::Place))
                                    )) =>
                        {
                            found.push(Found {
                                first: a,
                                last: j,
                                kind: EntityKind::Organization,
                                name: span(a, j),
                                listed: true,
                                extra: 0,
                            });
                            return j + 1;
                        }
                        // "Texas City": a town named after its region.
                        EntityKind::Place
                            if b + 1 == j
                                && last == "City"
                                && !lists.club_towns.contains(span(a, b)) =>
                        {
                            found.push(Found {
                                first: a,
                                last: j,
                                kind: EntityKind::Place,
                                name: span(a, j),
                                listed: true,
                                extra: 0,
                            });
                            return j + 1;
                        }
                        _ => {}
                    }
                }
                // "Scottish Labour Party": the demonym is part of a party's
                // name.
                if !titled
                    && a > k
                    && b == j
                    && *kind == EntityKind::Organization
                    && last == "Party"
                    && tokens[k..a].iter().all(|t| t.is(DEMONYM))
                {
                    found.push(Found {
                        first: k,
                        last: j,
                        kind: EntityKind::Organization,
                        name: span(k, j),
                        listed: true,
                        extra: 0,
                    });
                    return j + 1;
                }
                if a > k && !titled {
                    // Words before the listed name: classify them on their own.
                    classify_rest(text, tokens, k, a - 1, lists, doc, found, loose);
                }
                let mut name = *canonical;
                let kind = if titled {
                    EntityKind::Person
                } else if *kind == EntityKind::Place
                    && (plays_sport(text, tokens[a].start, tokens[b].end, doc)
                        || (lists.club_towns.contains(span(a, b))
                            && !matches!(
                                words_before(text, tokens[a].start)[0],
                                "in" | "from" | "near" | "around" | "outside"
                            )
                            && doc.sport()))
                {
                    // "Bolton beat Newcastle": the clubs, not the towns. A
                    // club town as written: "Newcastle" is no Newcastle upon
                    // Tyne, and is a football or a rugby club by the sport.
                    if lists.club_towns.contains(span(a, b)) {
                        name = span(a, b);
                    }
                    EntityKind::Organization
                } else {
                    *kind
                };
                found.push(Found {
                    first: a,
                    last: b,
                    kind,
                    name,
                    listed: true,
                    extra: 0,
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
            name: span(k, j),
            listed: false,
            extra: 0,
        });
        return j + 1;
    }
    classify_rest(text, tokens, k, j, lists, doc, found, loose);
    j + 1
}

/// The end of a one- or two-digit number right after `at` (" 4"), if any.
fn number_after(text: &str, at: usize) -> Option<usize> {
    let rest = text.as_bytes().get(at..)?;
    let digits = rest
        .get(1..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let ok = rest.first() == Some(&b' ')
        && (1..=2).contains(&digits)
        && !rest
            .get(1 + digits)
            .is_some_and(|b| b.is_ascii_alphanumeric());
    ok.then_some(at + 1 + digits)
}

/// Rules for a run no gazetteer knows.
#[allow(clippy::too_many_arguments)]
fn classify_rest<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    mut i: usize,
    j: usize,
    lists: &'static Lists,
    doc: &mut Doc<'t>,
    found: &mut Vec<Found<'t>>,
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
        if (t.sentence_start
            && t.common
            && !t.is(GIVEN)
            && (i == j || tokens[i + 1].cap || tokens[i + 1].text == "the"))
            || (i < j && t.text.eq_ignore_ascii_case("the"))
            // "In February the Baltic Link Consortium said"
            || (i < j && is_month_or_day(t.text) && tokens[i + 1].text == "the")
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
    // "British Empire": a former polity, a place.
    if j == i + 1 && last.text == "Empire" && tokens[i].is(DEMONYM) {
        found.push(Found {
            first: i,
            last: j,
            kind: EntityKind::Place,
            name: &text[tokens[i].start..tokens[j].end],
            listed: false,
            extra: 0,
        });
        return;
    }
    // "Maltese Pilots' Association", "Regional Wages Committees": an
    // organisation, demonym and all.
    let suffix = |w: &str| lists.org_suffixes.contains(w);
    if j > i && (suffix(last.text) || last.text.strip_suffix('s').is_some_and(suffix)) {
        found.push(Found {
            first: i,
            last: j,
            kind: EntityKind::Organization,
            name: &text[tokens[i].start..tokens[j].end],
            listed: false,
            extra: 0,
        });
        return;
    }
    // Otherwise a demonym is not part of a name ("Ukrainian officials"),
    // and a faith or an event makes the run no name ("Roman Catholic").
    while i <= j && tokens[i].is(DEMONYM) {
        i += 1;
    }
    if i > j || tokens[i..=j].iter().any(|t| t.is(NOT_NAME)) {
        return;
    }
    let span = &text[tokens[i].start..tokens[j].end];
    let n = j + 1 - i;
    let person = |found: &mut Vec<Found<'t>>| {
        found.push(Found {
            first: i,
            last: j,
            kind: EntityKind::Person,
            name: span,
            listed: false,
            extra: 0,
        })
    };
    if (2..=4).contains(&n) && tokens[i].is(GIVEN) {
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
            if let Some((canonical, kind)) = lists.names.get(title.as_str()) {
                found.push(Found {
                    first: i,
                    last: i,
                    kind: *kind,
                    name: canonical,
                    listed: true,
                    extra: 0,
                });
                return;
            }
        }
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if (2..=6).contains(&letters)
            && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '&')
            && !tokens[i].common
            && !tokens[i].is(NOT_ORG)
        {
            found.push(Found {
                first: i,
                last: i,
                kind: EntityKind::Organization,
                name: w,
                listed: false,
                extra: 0,
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
    // Not when a word after the first is an acronym ("Windows PC"; initials
    // come first: "JK Rowling") or a word holds a digit, nor when a firm's or
    // product's noun follows ("Kestrel Subsea company").
    let next = word_after(text, last.end);
    let acronym = |t: &Token| t.text.len() >= 2 && t.text.bytes().all(|b| b.is_ascii_uppercase());
    if n <= 3
        && tokens[i..=j]
            .iter()
            .all(|t| t.cap && !t.common && !is_model(t.text))
        && !tokens[i + 1..=j].iter().any(acronym)
        && cue_flags(next, lists) & (ORG_NOUN | PRODUCT | WORK) == 0
    {
        let which = after.starts_with(", which ") && firm_by_which(text, &tokens[i], span, doc);
        let kind = if which {
            EntityKind::Organization
        } else {
            EntityKind::Person
        };
        found.push(Found {
            first: i,
            last: j,
            kind,
            name: span,
            listed: which,
            extra: 0,
        });
    }
}

/// "Biogen Idec, which had faced ...": a firm, in every mention (a cue for
/// them all). Not "a proposal from Mr Glazer, which" or "by Jo Hale, which",
/// where "which" is about the words before the name. Rare: kept out of line
/// of the common path, which it slowed by 2%.
#[cold]
#[inline(never)]
fn firm_by_which<'t>(text: &str, first: &Token, span: &'t str, doc: &mut Doc<'t>) -> bool {
    let firm = !first.is(GIVEN)
        && !matches!(
            word_before(text, first.start).0,
            "by" | "from" | "to" | "featuring" | "of" | "with" | "for"
        );
    if firm {
        doc.cue(span, Cue::Kind(EntityKind::Organization));
    }
    firm
}

/// Whether the words around a place name make it a team: "beat Bolton",
/// "Newcastle manager", "England won".
fn plays_sport(text: &str, start: usize, end: usize, doc: &Doc) -> bool {
    let before = text[..start].trim_end();
    let prev = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let after = text[end..]
        .trim_start_matches(['\'', '’', 's'])
        .trim_start();
    let next = after
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("");
    // "against" also takes countries in politics ("action against Ruritania").
    (matches!(
        prev,
        "beat" | "beating" | "v" | "vs" | "versus" | "overcame" | "thrashed" | "edged"
    ) || ((matches!(
        prev,
        "against" | "captain" | "captains" | "captained" | "leading" | "represent"
            | "representing" | "represented" | "face" | "faces" | "facing"
    ) || (prev == "for"
        && matches!(
            words_before(text, start)[1],
            "playing" | "played" | "play" | "plays" | "scored" | "scoring" | "cap" | "caps"
                | "appearance" | "appearances" | "debut" | "goal" | "goals" | "start"
                | "starts" | "capped"
        )))
        // Last: whether the text is a sport report is worked out on demand.
        && doc.sport()))
        || matches!(
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
                | "left-back"
                | "right-back"
                | "centre-back"
                | "full-back"
                | "centre-half"
                | "team-mate"
                | "skipper"
        )
        || (matches!(
            next,
            "game"
                | "games"
                | "match"
                | "matches"
                | "player"
                | "career"
                | "debut"
                | "side"
                | "team"
                | "cap"
                | "caps"
                | "shirt"
                | "international"
                | "internationals"
        ) && doc.sport())
}

/// A possessive of kin or entourage after a name, which only a person's
/// name takes: "'s agent", "'s father".
fn kin_after(after: &str) -> bool {
    let Some(rest) = after
        .strip_prefix("'s ")
        .or_else(|| after.strip_prefix("’s "))
    else {
        return false;
    };
    let next = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    matches!(
        next,
        "agent"
            | "father"
            | "mother"
            | "wife"
            | "husband"
            | "son"
            | "daughter"
            | "brother"
            | "sister"
            | "girlfriend"
            | "boyfriend"
            | "parents"
            | "children"
            | "widow"
            | "lawyer"
            | "fiancee"
            | "fiancé"
            | "fiancée"
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
fn resolve<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    lists: &Lists,
    doc: &Doc,
    mut found: Vec<Found<'t>>,
    loose: Vec<usize>,
) -> Vec<Entity> {
    // People named by one word ("Mr Lowe" is the person "Lowe").
    let one_word_people: FxHashSet<&str> = found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && f.first == f.last)
        .map(|f| f.name)
        .collect();
    // Full names of people by each of their name tokens (surname first).
    let mut by_part: FxHashMap<&str, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && f.last > f.first)
    {
        if let Some((_, last)) = f.name.rsplit_once(' ') {
            by_part.entry(last).or_insert(f.name);
        }
    }
    // Full names by the surname with its particle ("van Dam" for "Pieter
    // van Dam"), for a mention without the first name, whatever the
    // particle's case: "Van Dam said", "de Vabres".
    let mut by_particle: FxHashMap<String, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && f.last > f.first + 1)
    {
        if let Some(k) = (f.first + 1..f.last).find(|&k| is_particle(tokens[k].text)) {
            let tail = &text[tokens[k].start..tokens[f.last].end];
            by_particle.entry(tail.to_lowercase()).or_insert(f.name);
        }
    }
    // Organisations by their first word: "Nordlys" for "Nordlys Energy".
    let mut by_first: FxHashMap<&str, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Organization && f.last > f.first)
    {
        if let Some((first, _)) = f.name.split_once(' ') {
            // Not "Islamic" for "Islamic Relief", nor "Welsh" for "Welsh
            // Water": such words name nothing alone.
            if !contains_lower(&lists.common, first)
                && !is_not_name(first)
                && !lists.demonyms.contains(first)
            {
                by_first.entry(first).or_insert(f.name);
            }
        }
    }
    // Acronyms in brackets after a name: "... Organization (NATO)".
    let mut acronyms: FxHashMap<&str, (&str, EntityKind)> = FxHashMap::default();
    for f in &found {
        if let Some(next) = tokens.get(f.last + 1) {
            let between = &text[tokens[f.last].end..next.start];
            if between.trim() == "("
                && next.text.chars().all(|c| c.is_uppercase())
                && next.text.len() >= 2
                && text[next.end..].starts_with(')')
            {
                acronyms.insert(next.text, (f.name, f.kind));
            }
        }
    }
    // Acronyms of longer names: "Acpo" for "Association of Chief Police
    // Officers".
    let mut initials: FxHashMap<String, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Organization && f.last >= f.first + 2)
    {
        let letters: String = tokens[f.first..=f.last]
            .iter()
            .filter(|t| t.cap)
            .filter_map(|t| t.text.chars().next())
            .collect();
        if (3..=6).contains(&letters.len()) {
            initials.entry(letters).or_insert(f.name);
        }
    }
    // Entities named elsewhere in the text, for headline words: the span as
    // written → the index of its entity in `found`.
    // A name listed with its "The" is named without it too: "Scotsman
    // journalist Hamish MacDonell said", after "The Scotsman".
    let mut named: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(found.len() + 4, Default::default());
    for (k, f) in found.iter().enumerate() {
        named.insert(&text[tokens[f.first].start..tokens[f.last].end], k);
        if f.last > f.first && tokens[f.first].text == "The" {
            named.insert(&text[tokens[f.first + 1].start..tokens[f.last].end], k);
        }
    }
    for f in &mut found {
        // "Lowe's" (listed with its 's) where "Rob Lowe" or "Mr Lowe" is
        // named: his, not the retailer's. A possessive of a listed name
        // ("Ford's") stays the listed name's.
        if f.kind != EntityKind::Person
            && f.first == f.last
            && f.extra > 0
            && tokens[f.first].possessive
        {
            let w = tokens[f.first].text;
            let person = by_part
                .get(w)
                .copied()
                .or_else(|| one_word_people.contains(w).then_some(w));
            if let Some(name) = person {
                f.kind = EntityKind::Person;
                f.name = name;
                f.extra = 0;
            }
        }
        if f.kind == EntityKind::Person && f.first == f.last {
            if let Some(&full) = by_part.get(f.name) {
                f.name = full;
            }
        } else if f.kind == EntityKind::Person && !by_particle.is_empty() {
            if let Some(&full) = by_particle.get(&f.name.to_lowercase()) {
                f.name = full;
            }
        }
        if let Some(&(name, kind)) = acronyms.get(f.name) {
            f.name = name;
            f.kind = kind;
        }
    }
    // A capitalised word no list knows and no full name explains, used
    // again and again in prose, is most often a company or group ("Yukos").
    // (word, token) pairs, grouped by word below: one allocation for all.
    let mut unknown: Vec<(&str, usize)> = Vec::new();
    for i in loose {
        let w = tokens[i].text;
        let hit = by_part
            .get(w)
            .map(|&full| (full, EntityKind::Person))
            .or_else(|| by_first.get(w).map(|&o| (o, EntityKind::Organization)))
            .or_else(|| acronyms.get(w).copied())
            .or_else(|| named.get(w).map(|&k| (found[k].name, found[k].kind)))
            .or_else(|| {
                if initials.is_empty() || !(3..=6).contains(&w.len()) {
                    return None;
                }
                let upper = w.to_ascii_uppercase();
                initials.get(&upper).map(|&o| (o, EntityKind::Organization))
            })
            .or_else(|| {
                (is_club_nickname(w) && doc.sport()).then_some((w, EntityKind::Organization))
            });
        match hit {
            Some((name, kind)) => found.push(Found {
                first: i,
                last: i,
                kind,
                name,
                listed: false,
                extra: 0,
            }),
            None => unknown.push((w, i)),
        }
    }
    unknown.sort_unstable();
    for group in unknown.chunk_by(|x, y| x.0 == y.0) {
        let w = group[0].0;
        let in_prose = group
            .iter()
            .filter(|&&(_, i)| !tokens[i].headline && !tokens[i].sentence_start)
            .count();
        // Models ("X200") and derived words ("Blairism", "Europhobia") are
        // not organisations.
        let not_a_name = tokens[group[0].1].is(NOT_ORG | NOT_NAME)
            || lists.demonyms.contains(w.trim_end_matches('s'))
            || is_model(w)
            || ["ism", "isms", "ist", "ists", "phobia", "ite", "ites"]
                .iter()
                .any(|s| w.ends_with(s));
        if in_prose >= 2
            && !not_a_name
            && !tokens[group[0].1].common
            && !lists.given.contains(w)
            && w.chars().count() >= 3
            // "Half-Life 2", "Doom 3": a product and its version (in sport
            // copy the number is a score or a minute).
            && (!group.iter().any(|&(_, i)| number_after(text, tokens[i].end).is_some())
                || doc.sport())
        {
            // Unless one mention shows a person: "Juninho's agent",
            // "Juninho, who" (teams are "who" in sport copy).
            let kind = if group.iter().any(|&(_, i)| {
                let after = &text[tokens[i].end..];
                kin_after(after) || (after.starts_with(", who ") && !doc.sport())
            }) {
                EntityKind::Person
            } else {
                EntityKind::Organization
            };
            for &(_, i) in group {
                found.push(Found {
                    first: i,
                    last: i,
                    kind,
                    name: w,
                    listed: true,
                    extra: 0,
                });
            }
        }
    }
    // Headline runs made only of listed names were already kept; drop rule
    // guesses on headline tokens that nothing else supports.
    found.retain(|f| f.listed || !tokens[f.first].headline || named.contains_key(f.name));

    // One spelling of the apostrophe, so that "Workers’ Federation" in one
    // article and "Workers' Federation" in another are one organisation.
    let mut by_name: FxHashMap<(EntityKind, Cow<str>), Vec<Mention>> = FxHashMap::default();
    for f in found {
        let name = if f.name.contains('’') {
            Cow::Owned(f.name.replace('’', "'"))
        } else {
            Cow::Borrowed(f.name)
        };
        by_name.entry((f.kind, name)).or_default().push(Mention {
            start: tokens[f.first].start,
            end: tokens[f.last].end + f.extra,
        });
    }
    let mut out: Vec<Entity> = by_name
        .into_iter()
        .map(|((kind, name), mut mentions)| {
            mentions.sort();
            mentions.dedup();
            Entity {
                kind,
                name: name.into_owned(),
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
            "But ",
            "al-Qaeda",
            "eBay",
            "People's",
            " Republic of China",
            "Food",
            " and Drug Administration",
            "Port-au-Prince",
            "General ",
            "Motors",
            "Lowe's",
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

    /// Every mention as (kind, text as written), in text order.
    fn mentions(text: &str) -> Vec<(EntityKind, &str)> {
        let mut out: Vec<(usize, EntityKind, &str)> = extract(text)
            .into_iter()
            .flat_map(|e| {
                e.mentions
                    .into_iter()
                    .map(move |m| (m.start, e.kind, &text[m.start..m.end]))
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, k, t)| (k, t)).collect()
    }

    use EntityKind::{Organization as Org, Person, Place};

    fn has(got: &[(EntityKind, &str)], kind: EntityKind, name: &str) {
        assert!(got.contains(&(kind, name)), "{kind:?} {name:?} in {got:?}");
    }

    fn lacks(got: &[(EntityKind, &str)], name: &str) {
        assert!(got.iter().all(|(_, t)| *t != name), "{name:?} in {got:?}");
    }

    #[test]
    fn a_surname_with_its_particle_joins_the_full_name() {
        let text = "Pieter van Dam, the harbour director, spoke first. Van Dam said the \
                    cranes would wait. The minister, Anna de Wit, agreed. De Wit left early.";
        let names: Vec<(String, usize)> = extract(text)
            .into_iter()
            .map(|e| (e.name, e.mentions.len()))
            .collect();
        assert!(names.contains(&("Pieter van Dam".into(), 2)), "{names:?}");
        assert!(names.contains(&("Anna de Wit".into(), 2)), "{names:?}");
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn currency_codes_and_car_models_are_no_names() {
        let got = mentions(
            "The regulator fined the company KSh 85 million. The KSh 310 million was \
             returned. The recall covers the Kaze compact SUV. Kaze sales fell, and \
             Kaze owners were told to wait.",
        );
        lacks(&got, "KSh");
        lacks(&got, "Kaze");
    }

    #[test]
    fn names_have_one_apostrophe() {
        let names: Vec<String> = extract(
            "Ilse Brandt, who leads the Harbour Workers’ Federation, said the strike \
             would go on. The Harbour Workers' Federation agreed.",
        )
        .into_iter()
        .map(|e| e.name)
        .collect();
        assert!(
            names.contains(&"Harbour Workers' Federation".to_string()),
            "{names:?}"
        );
        assert!(names.iter().all(|n| !n.contains('’')), "{names:?}");
    }

    #[test]
    fn one_word_of_a_place_and_an_organisation_word_is_one_organisation() {
        let got =
            mentions("Anna Brink, a director at the Port of Rotterdam Logistics Group, spoke.");
        has(&got, Org, "Port of Rotterdam Logistics Group");
        lacks(&got, "Rotterdam");
        lacks(&got, "Logistics Group");
    }

    #[test]
    fn an_unknown_name_followed_by_which_is_an_organisation() {
        let got = mentions(
            "The bids were opened on Monday. Orvik Halden, which lays subsea cables, \
             won. Orvik Halden said it would start in May.",
        );
        has(&got, Org, "Orvik Halden");
        lacks(&got, "Halden");
        assert!(got.iter().all(|(k, _)| *k == Org), "{got:?}");
        // "which" about the words before the name.
        let got = mentions("The report was written by Tova Renberg, which surprised the board.");
        has(&got, Person, "Tova Renberg");
    }

    /// Each gazetteer name, alone in a plain sentence and at the start of
    /// one, is found whole under its canonical name: a change to how text
    /// is cut into runs must not hide listed names. The few that are not
    /// found are aliases with a describing word ("Fox network"), a leading
    /// "the" (found without it), state abbreviations ("Calif.") and names
    /// that start with a digit.
    #[test]
    fn listed_names_are_found_in_plain_prose() {
        let lists = lists();
        for (before, after) in [("The report named ", " on Monday."), ("", " said so.")] {
            let mut missed = Vec::new();
            for (&name, &(canonical, kind)) in &lists.names {
                let text = format!("{before}{name}{after}");
                let start = before.len();
                let found = extract(&text).iter().any(|e| {
                    e.kind == kind
                        && e.name == canonical.replace('’', "'")
                        && e.mentions
                            .iter()
                            .any(|m| m.start == start && m.end == start + name.len())
                });
                if !found {
                    missed.push(name);
                }
            }
            missed.sort();
            let share = 1.0 - missed.len() as f64 / lists.names.len() as f64;
            assert!(
                share >= 0.975,
                "{before:?}: {share:.3} found; missed: {missed:?}"
            );
            for name in [
                "Port-au-Prince",
                "Mar-a-Lago",
                "Lashkar-e-Taiba",
                "al-Qaeda",
                "eBay",
                "easyJet",
                "People's Republic of China",
                "Securities and Exchange Commission",
                "Standard & Poor's",
                "General Motors",
                "Federal Bureau of Investigation",
            ] {
                assert!(!missed.contains(&name), "{before:?}: {name} missed");
            }
        }
    }

    #[test]
    fn a_glued_prefix_after_a_capitalised_word() {
        let got = mentions("But al-Qaeda denied it, and Somali al-Shabab fighters left.");
        has(&got, Org, "al-Qaeda");
        has(&got, Org, "al-Shabab");
        // The words before a name found across a break are read as a run
        // of their own.
        let got = mentions("A letter from the UK Department for Work and Pensions came.");
        has(&got, Place, "UK");
        has(&got, Org, "Department for Work and Pensions");
        // A one-word person ("Mr Lowe") owns the possessive, not the retailer.
        let got = mentions("Mr Lowe spoke first. Lowe's notes were read aloud.");
        assert!(got.iter().all(|(k, _)| *k == Person), "{got:?}");
    }

    #[test]
    fn a_dotted_company_suffix_keeps_the_canonical_name() {
        let got = extract("Shares of Microsoft Corp. and Tesla Inc. were listed.");
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Microsoft", "Tesla"], "{got:?}");
    }

    #[test]
    fn listed_names_across_and_or_a_hyphen_are_whole() {
        let got = mentions(
            "The list named the Food and Drug Administration, Trinidad and \
             Tobago, the Organisation for Economic Co-operation and Development \
             and Amazon.com.",
        );
        has(&got, Org, "Food and Drug Administration");
        has(&got, Place, "Trinidad and Tobago");
        has(
            &got,
            Org,
            "Organisation for Economic Co-operation and Development",
        );
        has(&got, Org, "Amazon.com");
        lacks(&got, "Drug Administration");
        // A word after a name is no part of it, though listed with it.
        let got = mentions("The report ran on the ABC network on Monday.");
        has(&got, Org, "ABC");
    }

    #[test]
    fn listed_names_with_a_possessive_s_are_whole() {
        let got = mentions(
            "The list named Sainsbury's, Moody's and Standard & Poor's. The \
             People's Bank of China and Lloyd's of London were on it, as was \
             Lloyd’s in another spelling.",
        );
        for name in [
            "Sainsbury's",
            "Moody's",
            "Standard & Poor's",
            "People's Bank of China",
            "Lloyd's of London",
            "Lloyd’s",
        ] {
            has(&got, Org, name);
        }
        lacks(&got, "Bank of China");
        lacks(&got, "Sainsbury");
        // Not the Republic of China, which is Taiwan.
        let text = "A delegation of the People's Republic of China arrived.";
        let got = extract(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].kind, got[0].name.as_str()), (Place, "China"));
        let m = &got[0].mentions[0];
        assert_eq!(&text[m.start..m.end], "People's Republic of China");
    }

    #[test]
    fn a_possessive_that_only_shares_a_listed_name_is_left_alone() {
        let got = mentions(
            "Petra Lowe chaired the meeting. Lowe's notes were read aloud. \
             Mr Moody's speech ran long, and the King's speech was short.",
        );
        has(&got, Person, "Petra Lowe");
        has(&got, Person, "Lowe");
        for name in ["Lowe's", "Moody's", "King's"] {
            lacks(&got, name);
        }
    }

    #[test]
    fn a_place_and_a_feature_word_are_one_place() {
        let got = mentions(
            "The cable crosses Gdańsk Bay. Fishermen in Gdańsk Bay were consulted, \
             and the Maldive Islands sent observers.",
        );
        has(&got, Place, "Gdańsk Bay");
        has(&got, Place, "Maldive Islands");
        lacks(&got, "Bay");
        lacks(&got, "Gdańsk");
        // A given name first makes a person; a title of a work is no place.
        let got = mentions("The director Tomas Bay said he had loved Beyond the Sea as a boy.");
        has(&got, Person, "Tomas Bay");
        lacks(&got, "Beyond the Sea");
    }

    #[test]
    fn a_name_ends_at_a_hyphen_before_a_lowercase_word() {
        let got = mentions("The Lisbon-based bank hired Alma Reyes-Whitfield last year.");
        has(&got, Place, "Lisbon");
        has(&got, Person, "Alma Reyes-Whitfield");
    }

    #[test]
    fn role_nouns_are_titles_only_where_every_word_is_capitalised() {
        // "star" is a role noun, but "Star Harbour" is no star's name.
        let got = mentions("Tickets for Star Harbour sold out in an hour, organisers said.");
        lacks(&got, "Harbour");
        let got = mentions("Singer Alma Ortiz said the tour would go ahead.");
        has(&got, Person, "Alma Ortiz");
    }

    #[test]
    fn party_short_forms_are_organisations() {
        let got =
            mentions("The Tory leader and a Conservative spokesman met Democrat rivals in Leeds.");
        has(&got, Org, "Tory");
        has(&got, Org, "Conservative");
        has(&got, Org, "Democrat");
    }

    #[test]
    fn a_given_name_before_a_place_name_is_a_person() {
        let got = mentions("The award went to Alma Windsor, who thanked her family.");
        has(&got, Person, "Alma Windsor");
        lacks(&got, "Windsor");
    }

    #[test]
    fn events_hide_names_and_venues_are_places() {
        let got = mentions(
            "The car was shown at the Oslo Motor Show before a concert at the Harlow \
             Stadium, on the banks of the River Tamsin, near St Edwin.",
        );
        lacks(&got, "Oslo");
        has(&got, Place, "Harlow Stadium");
        has(&got, Place, "River Tamsin");
        has(&got, Place, "St Edwin");
        // Infrastructure no list holds is a site or a company, not a person.
        let got = mentions(
            "Cranes stood idle at the Brennick Container Terminal while Halvard Grid              restored power.",
        );
        has(&got, Place, "Brennick Container Terminal");
        has(&got, Org, "Halvard Grid");
    }

    #[test]
    fn constituencies_from_their_context() {
        let got = mentions(
            "Ms Pell, Labour MP for Hornby and Dale, said the Marsh Coastal seat was \
             safe. Marsh Coastal voters disagree, and the Brindle MP agreed.",
        );
        has(&got, Place, "Hornby and Dale");
        has(&got, Place, "Marsh Coastal");
        assert_eq!(got.iter().filter(|m| m.1 == "Marsh Coastal").count(), 2);
        has(&got, Place, "Brindle");
    }

    #[test]
    fn organisation_names_with_of_for_places_and_numbers() {
        let got = mentions(
            "Association of Chief Fire Officers staff met the Institute for Rural \
             Studies and the Kenya Rugby Union. Acfo said BBC Scotland and Channel 4 \
             would cover it, as would the Scottish Labour Party, and the Regional \
             Wages Committees.",
        );
        has(&got, Org, "Association of Chief Fire Officers");
        has(&got, Org, "Institute for Rural Studies");
        has(&got, Org, "Kenya Rugby Union");
        has(&got, Org, "Acfo");
        has(&got, Org, "BBC Scotland");
        has(&got, Org, "Channel 4");
        has(&got, Org, "Scottish Labour Party");
        has(&got, Org, "Regional Wages Committees");
    }

    #[test]
    fn a_weekday_after_on_is_not_part_of_a_name() {
        let got = mentions("Culture Secretary Jane Ford on Tuesday said no.");
        has(&got, Person, "Jane Ford");
    }

    /// The byte-by-byte scan the block scan replaced.
    fn sport_words_reference(bytes: &[u8]) -> usize {
        let text = std::str::from_utf8(bytes).unwrap();
        let (mut hits, mut p) = (0, 0);
        while p < bytes.len() {
            if !bytes[p].is_ascii_lowercase() {
                p += 1;
                continue;
            }
            let start = p;
            while p < bytes.len() && (bytes[p].is_ascii_lowercase() || bytes[p] == b'-') {
                p += 1;
            }
            let mid_word = start > 0 && bytes[start - 1].is_ascii_alphabetic();
            if !mid_word && (4..=13).contains(&(p - start)) && is_sport_word(&text[start..p]) {
                hits += 1;
                if hits == 4 {
                    return hits;
                }
            }
        }
        hits
    }

    #[test]
    fn the_prefix_table_passes_every_sport_word_and_only_those() {
        for w in SPORT_WORDS {
            assert!(is_sport_run(w.as_bytes(), 0, w.len()), "{w}");
        }
        for w in [
            "goalie", "seasons", "fine", "clubbed", "tenn", "mediums", "said",
        ] {
            assert!(!is_sport_run(w.as_bytes(), 0, w.len()), "{w}");
        }
    }

    #[test]
    fn sport_scan_matches_the_plain_scan() {
        let pieces = [
            "goal",
            "goals",
            " ",
            "-",
            "--",
            "Mc",
            "x",
            "league",
            "é",
            ".",
            "final",
            "semi-final",
            "A",
            "club",
            "\n",
            "scored",
            "keeper",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ];
        let mut seed: u64 = 17;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 57) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let b = text.as_bytes();
            assert_eq!(sport_words_in(b), sport_words_reference(b), "{text:?}");
        }
    }

    #[test]
    fn towns_are_clubs_in_sport_reports_only() {
        let sport = "Sheffield were unbeaten this season until the match at home. \
            The striker scored a late goal and the defender was booked by the referee. \
            The Magpies lost in the league.";
        let got = mentions(sport);
        has(&got, Org, "Sheffield");
        has(&got, Org, "Magpies");
        let got = mentions("Sheffield council raised its rates, the Magpies nested.");
        has(&got, Place, "Sheffield");
        lacks(&got, "Magpies");
    }

    #[test]
    fn a_club_town_keeps_its_name_as_written() {
        let names = |text: &str| -> Vec<(EntityKind, String)> {
            extract(text)
                .into_iter()
                .map(|e| (e.kind, e.name))
                .collect()
        };
        let got = names(
            "Newcastle were unbeaten this season until the match at home. The \
             striker scored a late goal and the defender was booked by the referee.",
        );
        assert!(got.contains(&(Org, "Newcastle".into())), "{got:?}");
        let got = names("Newcastle council raised its rates on Monday.");
        assert!(
            got.contains(&(Place, "Newcastle upon Tyne".into())),
            "{got:?}"
        );
    }

    #[test]
    fn countries_are_national_teams_in_sport_reports() {
        let sport = "The striker scored a late goal in the league match and the \
            defender was booked by the referee. Ryan Marlowe will captain Wales \
            on Wednesday, after 50 caps for Wales. He has no plans to leave Wales.";
        let got = mentions(sport);
        assert_eq!(
            got.iter()
                .filter(|(k, n)| *k == Org && *n == "Wales")
                .count(),
            2,
            "{got:?}"
        );
        has(&got, Place, "Wales");
        let with_club = format!("{sport} He said United were the better side.");
        let got = mentions(&with_club);
        has(&got, Org, "United");
        let got = mentions("The minister will captain Wales through the budget talks.");
        has(&got, Place, "Wales");
        lacks(&got, "Organisation");
    }

    #[test]
    fn repeated_unknown_words_are_firms_unless_a_person_or_a_version_shows() {
        let got = mentions(
            "Shares in Vostrel fell. The bank said Vostrel would pay. Critics of Vostrel agreed.",
        );
        has(&got, Org, "Vostrel");
        let got = mentions(
            "Talks with Zalinho stalled. Zalinho's agent said that Zalinho wants to stay.",
        );
        has(&got, Person, "Zalinho");
        lacks(&got, "Organisation");
        let got = mentions("Fans bought Quarkfall 2 at launch. Copies of Quarkfall 2 sold out.");
        lacks(&got, "Quarkfall");
    }

    #[test]
    fn pronouns_units_and_hyphened_words_are_not_names() {
        let got = mentions("He told John I will be around. It stores 50GB on a Blu-ray disc.");
        lacks(&got, "John I");
        lacks(&got, "I");
        lacks(&got, "GB");
        lacks(&got, "Blu");
        let got = mentions(
            "In February the Kestrel Link Consortium said that it would sell its \
             fleet of SUVs for about KSh 2bn to a buyer it did not name.",
        );
        has(&got, Org, "Kestrel Link Consortium");
        lacks(&got, "SUVs");
        lacks(&got, "KSh");
        let got = mentions(
            "The Florida-based firm moved to Stoke-on-Trent, said the Organisation for \
             Economic Co-operation and Development.",
        );
        has(&got, Place, "Florida");
        // Joining words and a word inside a name keep the rule away (the
        // names themselves end at the hyphen, as before).
        assert!(
            got.iter()
                .any(|(k, n)| *k == Place && n.starts_with("Stoke")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(k, n)| *k == Org && n.starts_with("Organisation for Economic Co")),
            "{got:?}"
        );
    }

    #[test]
    fn team_sheets_name_players() {
        let text = "Leeds won the league match with a late goal from the striker.\n\n\
            Leeds: Hale, Moss, Di Santo (Greco 70), Pike. Subs Not Used: Given, Speed.\n\
            Booked: Moss. Referee: J Tully (Kent).";
        let got = mentions(text);
        has(&got, Org, "Leeds");
        for player in [
            "Hale", "Moss", "Di Santo", "Greco", "Pike", "Given", "Speed",
        ] {
            has(&got, Person, player);
        }
        has(&got, Person, "J Tully");
        // The referee's county stays a place.
        has(&got, Place, "Kent");
    }

    #[test]
    fn context_cues_hold_for_every_mention_even_earlier_ones() {
        let got = mentions(
            "Harte Lowry shares fell. Later Harte Lowry, the drinks firm, said profits \
             rose. The band Velvet Crane played, and Velvet Crane fans cheered.",
        );
        assert_eq!(
            got.iter().filter(|m| *m == &(Org, "Harte Lowry")).count(),
            2
        );
        assert_eq!(
            got.iter().filter(|m| *m == &(Org, "Velvet Crane")).count(),
            2
        );
        let got = mentions("It features Dan Orrell, a style magazine columnist, said Ms Pike.");
        has(&got, Person, "Dan Orrell");
    }

    #[test]
    fn works_products_and_characters_are_not_names() {
        let got = mentions(
            "The film Mara Quint opened. Mara Quint stars a dog. She sang Blue Harbour \
             and a version of Stone Garden. Rufus Quill and the Glass Orchard topped the \
             charts, and Rufus Quill sold well. Sony's Skyline Pro and the Zephyr X200 \
             sold out; the Zephyr is fast. Orla Penn - a character from a cartoon - returns.",
        );
        for name in [
            "Mara Quint",
            "Blue Harbour",
            "Stone Garden",
            "Rufus Quill",
            "Glass Orchard",
            "Skyline Pro",
            "Zephyr X200",
            "Zephyr",
            "Orla Penn",
        ] {
            lacks(&got, name);
        }
        has(&got, Org, "Sony");
    }

    #[test]
    fn painters_faiths_and_derived_words() {
        let got = mentions(
            "A Hollis painting sold. Hollis was a master. Roman Catholic groups and \
             Islamic charities spoke of Blairism; critics of Blairism were quiet.",
        );
        has(&got, Person, "Hollis");
        lacks(&got, "Roman Catholic");
        lacks(&got, "Catholic");
        lacks(&got, "Islamic");
        lacks(&got, "Blairism");
    }

    #[test]
    fn a_former_polity_is_a_place() {
        let got = mentions("He longed for the return of the British Empire.");
        has(&got, Place, "British Empire");
    }

    #[test]
    fn packed_words_name_one_word_each() {
        let mut seen: std::collections::HashMap<Packed, String> = Default::default();
        let mut seed: u64 = 7;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 59) as usize % 18;
            // Few letters, so that words of one length share most bytes.
            let w: String = (0..len)
                .map(|i| ["a", "b", "é"][((seed >> (i * 3)) % 3) as usize])
                .collect();
            match pack(w.as_bytes()) {
                Some(key) => {
                    let other = seen.entry(key).or_insert_with(|| w.clone());
                    assert_eq!(*other, w);
                }
                None => assert!(w.len() > 16, "{w}"),
            }
        }
        let lists = lists();
        assert_ne!(lists.word_flags.get("Tony") & GIVEN, 0);
        assert_ne!(lists.word_flags.get("Russian") & DEMONYM, 0);
        assert_eq!(lists.word_flags.get("Tonyx"), 0);
    }

    #[test]
    fn the_cue_table_finds_every_cue_word() {
        for words in [
            WORK_CUES,
            ORG_NOUNS,
            ORG_ROLES,
            ORG_FOLLOWERS,
            PRODUCT_NOUNS,
        ] {
            for w in words {
                assert_ne!(cue_flags(w, lists()), 0, "{w}");
            }
        }
        assert_eq!(cue_flags("the", lists()), 0);
        assert_eq!(cue_flags("of", lists()), 0);
    }
}
