//! byline's analyzer for English text, in one pass, with a per-thread memo
//! of stems.
//!
//! [`EnglishTokenizer`] yields exactly the tokens of tantivy's
//! `SimpleTokenizer`, `RemoveLongFilter::limit(40)`, `LowerCaser` and
//! `Stemmer(English)` chained (a test checks this), and before each word
//! with accents the stem of its folded form at the same position
//! ([`crate::fold`]). It is faster than the chain for two reasons.
//!
//! Snowball stemming was a quarter of all indexing CPU in a profile of the
//! 200k corpus, yet news vocabulary is Zipfian: a few tens of thousands of
//! words make up nearly every token. Remembering each word's stem turns most
//! of that work into one lookup, which the stream prefetches a word ahead.
//!
//! The chain hands each token through four stages that each rewrite or
//! re-read its text; reading a word's bytes straight after writing them
//! stalls the CPU. One pass reads the input once and writes each token once.

use std::borrow::Cow;
use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Slots in the memo: a two-way set-associative cache of 65,536 words of up
/// to [`SLOT_BYTES`] bytes each, 2 MB per thread, shared by all text fields.
/// A first version kept a `HashMap<Box<str>, Box<str>>` per field and lost
/// half its gain to cache misses. Indexing 200,000 news articles, a memo of
/// 16,384 words missed often enough to cost 4–13% more indexing CPU than this
/// size, and one of 131,072 words 1% more (a lookup then leaves the cache).
const SLOTS: usize = 1 << 16;

/// The longest word a slot holds; longer words, about one token in fifty in
/// news text, are stemmed every time.
const SLOT_BYTES: usize = 15;

/// The longest changed stem a slot holds. English stems are never longer
/// than their word, and one as long as a 15-byte word is the word itself.
const STEM_BYTES: usize = 14;

/// `stem_len` of a word that is its own stem ("talks" is not, "talk" is):
/// most hits, and they leave the token untouched.
const UNCHANGED: u8 = u8::MAX;

/// Snowball English leaves words of two letters or fewer as they are, and
/// so do we without a lookup.
const SHORTEST_STEMMED: usize = 3;

/// The longest token kept, as with `RemoveLongFilter::limit(40)`: longer
/// runs of letters are debris (URLs, hashes), dropped from the index.
const LONGEST_TOKEN: usize = 39;

/// A [`Tokenizer`] for English text: words are runs of alphanumeric
/// characters, lowercased and stemmed; runs of 40 bytes or more are dropped
/// but still count as a position. A word with accents gives two tokens at
/// one position, for the index: the word with its accents taken off
/// ([`crate::fold`]), then the word as written; for queries
/// ([`EnglishTokenizer::for_queries`]) only the first, so that "greve" and
/// "grève" in a query both find either in an article.
#[derive(Clone, Default)]
pub struct EnglishTokenizer {
    /// Lent to each stream, so that its text buffer is allocated once.
    token: Token,
    /// A query's tokens: only the folded form of a word with accents.
    folded_only: bool,
    /// See [`EnglishTokenizer::finding`].
    first_letters: Option<u128>,
}

impl EnglishTokenizer {
    /// The tokenizer for query text: as for the index, but a word with
    /// accents gives only its folded form.
    pub fn for_queries() -> Self {
        EnglishTokenizer {
            folded_only: true,
            ..Self::default()
        }
    }

    /// A tokenizer for finding `stems` in text, as snippets do: a word of
    /// ASCII letters and digits is stemmed only when it begins with the
    /// letter one of them begins with (stemming keeps a word's first
    /// letter), and is otherwise handed out with empty text, at its place.
    /// Offsets and positions are those of [`EnglishTokenizer::default`];
    /// stemming most words of an article was most of a search's snippets.
    pub fn finding<'s>(stems: impl IntoIterator<Item = &'s str>) -> Self {
        let mut first_letters = 0u128;
        for stem in stems {
            if let Some(&b) = stem.as_bytes().first().filter(|b| b.is_ascii()) {
                first_letters |= 1u128 << b.to_ascii_lowercase();
            }
        }
        EnglishTokenizer {
            first_letters: Some(first_letters),
            ..Self::default()
        }
    }
}

thread_local! {
    /// One memo per thread: each tantivy indexing thread tokenizes its own
    /// documents, and the fields of one article share most of their words.
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// A word of 3 to 15 bytes as its length and two overlapping loads, which
/// together cover every byte: `(len, a, b)` names the word exactly. Built
/// from whole-word loads, because a key assembled byte by byte on the stack
/// and read back as integers stalled every lookup on store forwarding (that
/// was two thirds of the memo's cost in a profile).
#[derive(Clone, Copy)]
struct Key {
    a: u64,
    b: u64,
    len: u8,
}

impl Key {
    fn of(w: &[u8]) -> Key {
        let len = w.len();
        let u32_at = |i: usize| u32::from_le_bytes([w[i], w[i + 1], w[i + 2], w[i + 3]]) as u64;
        let u64_at = |i: usize| {
            let mut b = [0; 8];
            b.copy_from_slice(&w[i..i + 8]);
            u64::from_le_bytes(b)
        };
        let (a, b) = match len {
            0..=2 => (0, 0),
            3 => (w[0] as u64 | (w[1] as u64) << 8 | (w[2] as u64) << 16, 0),
            4..=7 => (u32_at(0) | u32_at(len - 4) << 32, 0),
            _ => (u64_at(0), u64_at(len - 8)),
        };
        Key {
            a,
            b,
            len: len as u8,
        }
    }

    /// The key of the lowercase form of an ASCII alphanumeric word, from
    /// the word as written: setting bit 5 lowercases A-Z and leaves a-z and
    /// 0-9 as they are.
    fn of_ascii_lowered(w: &[u8]) -> Key {
        let key = Key::of(w);
        let fold = if w.len() == 3 {
            0x20_2020
        } else {
            0x2020_2020_2020_2020
        };
        Key {
            a: key.a | fold,
            b: if w.len() >= 8 { key.b | fold } else { 0 },
            len: key.len,
        }
    }

    fn set(&self) -> usize {
        let h =
            (self.a ^ self.b.rotate_left(29) ^ self.len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // Two-way sets: a pair of slots fills one 64-byte cache line, so the
        // second way costs no extra miss and saves most conflict evictions.
        (h >> (64 - SLOTS.trailing_zeros())) as usize & !1
    }
}

/// One remembered word and its stem, half a cache line: the key's fields
/// are laid out flat so that its padding does not double the slot.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Slot {
    a: u64,
    b: u64,
    len: u8,
    stem_len: u8,
    stem: [u8; STEM_BYTES],
}

impl Slot {
    fn holds(&self, key: &Key) -> bool {
        self.a == key.a && self.b == key.b && self.len == key.len
    }

    fn new(key: Key, stem_len: u8, stem: [u8; STEM_BYTES]) -> Slot {
        Slot {
            a: key.a,
            b: key.b,
            len: key.len,
            stem_len,
            stem,
        }
    }
}

// Two slots to a cache line, as the sets assume.
const _: () = assert!(std::mem::size_of::<Slot>() == 32);

const EMPTY: Slot = Slot {
    a: 0,
    b: 0,
    len: 0,
    stem_len: 0,
    stem: [0; STEM_BYTES],
};

pub(crate) struct Memo {
    /// Allocated on first use: query threads stem a handful of words.
    slots: Vec<Slot>,
    stemmer: frostem::Stemmer,
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            slots: Vec::new(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

impl Memo {
    fn ensure_slots(&mut self) {
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
    }

    /// Starts loading the set that the ASCII word `word` would live in. The
    /// memo is larger than a core's share of cache, so a lookup is usually
    /// a cache miss; the stream asks for the next word's set while tantivy
    /// indexes the current one, and the miss is mostly over by the time the
    /// lookup runs.
    fn prefetch(&self, word: &[u8]) {
        if !(SHORTEST_STEMMED..=SLOT_BYTES).contains(&word.len()) {
            return;
        }
        if let Some(set) = self.slots.get(Key::of_ascii_lowered(word).set()) {
            prefetch_line(set);
        }
    }

    /// Writes the stem of `word` (as written, any case) into `out`.
    fn lower_and_stem(&mut self, word: &str, ascii: bool, out: &mut String) {
        out.clear();
        if !ascii {
            // As tantivy's `LowerCaser` does it: char by char, so that a
            // final sigma stays σ, as in its index.
            for c in word.chars() {
                out.extend(c.to_lowercase());
            }
            self.stem_in_place(out);
            return;
        }
        out.push_str(word);
        out.make_ascii_lowercase();
        if (SHORTEST_STEMMED..=SLOT_BYTES).contains(&word.len()) {
            self.stem_with_key(Key::of_ascii_lowered(word.as_bytes()), out);
        } else {
            self.stem_in_place(out);
        }
    }

    /// Replaces the lowercase `word` with its stem.
    pub(crate) fn stem_in_place(&mut self, word: &mut String) {
        let len = word.len();
        if len < SHORTEST_STEMMED {
            return;
        }
        if len > SLOT_BYTES {
            if let Cow::Owned(stem) = self.stemmer.stem(word) {
                *word = stem;
            }
            return;
        }
        self.stem_with_key(Key::of(word.as_bytes()), word);
    }

    /// Replaces the lowercase `word` of 3 to 15 bytes, whose key is `key`,
    /// with its stem. A hit on a word that is its own stem reads nothing of
    /// `word`.
    fn stem_with_key(&mut self, key: Key, word: &mut String) {
        self.ensure_slots();
        let set = key.set();
        let hit = if self.slots[set].holds(&key) {
            Some(set)
        } else if self.slots[set + 1].holds(&key) {
            // Most recently used first.
            self.slots.swap(set, set + 1);
            Some(set)
        } else {
            None
        };
        if let Some(at) = hit {
            let slot = &self.slots[at];
            if slot.stem_len != UNCHANGED {
                let stem = &slot.stem[..slot.stem_len as usize];
                // The slot was filled from a `&str` stem, so it is UTF-8.
                if let Ok(stem) = std::str::from_utf8(stem) {
                    word.clear();
                    word.push_str(stem);
                }
            }
            return;
        }
        let stem = self.stemmer.stem(word);
        let slot = if stem == word.as_str() {
            Some(Slot::new(key, UNCHANGED, [0; STEM_BYTES]))
        } else if stem.len() <= STEM_BYTES {
            let mut bytes = [0; STEM_BYTES];
            bytes[..stem.len()].copy_from_slice(stem.as_bytes());
            Some(Slot::new(key, stem.len() as u8, bytes))
        } else {
            None
        };
        if let Some(slot) = slot {
            self.slots[set + 1] = self.slots[set];
            self.slots[set] = slot;
        }
        if let Cow::Owned(stem) = stem {
            *word = stem;
        }
    }
}

/// Asks the CPU to bring `slot`'s cache line in, without waiting for it.
#[cfg(target_arch = "x86_64")]
#[inline]
fn prefetch_line(slot: &Slot) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    // SAFETY: a prefetch is only a hint; it reads nothing into the program
    // and cannot fault, and the address is that of a live slot.
    unsafe { _mm_prefetch::<_MM_HINT_T0>((slot as *const Slot).cast::<i8>()) }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn prefetch_line(_slot: &Slot) {}

impl Tokenizer for EnglishTokenizer {
    type TokenStream<'a> = EnglishStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> EnglishStream<'a> {
        self.token.reset();
        let mut stream = EnglishStream {
            text,
            pos: 0,
            next: None,
            token: &mut self.token,
            folded_only: self.folded_only,
            first_letters: self.first_letters,
            exact: None,
            cjk: None,
            next_cjk: false,
        };
        stream.scan();
        stream
    }
}

/// The token stream of [`EnglishTokenizer`]. It finds each word one word
/// ahead of handing it out, to prefetch its memo slot.
pub struct EnglishStream<'a> {
    text: &'a str,
    /// Where the scan for the next word resumes.
    pos: usize,
    /// The next word: its byte range, and whether it is all ASCII.
    next: Option<(usize, usize, bool)>,
    token: &'a mut Token,
    /// See [`EnglishTokenizer::folded_only`].
    folded_only: bool,
    /// See [`EnglishTokenizer::finding`].
    first_letters: Option<u128>,
    /// The stem of the word as written, to hand out at the position of its
    /// folded form, which went first.
    exact: Option<String>,
    /// A run of Chinese or Japanese characters being handed out in pairs:
    /// where the next pair starts, and where the run ends.
    cjk: Option<(usize, usize)>,
    /// Whether `next` is such a run.
    next_cjk: bool,
}

/// Chinese characters and Japanese kana, which are written without spaces
/// between words. byline indexes each run of them as its overlapping pairs
/// of characters ("罢工工人" as 罢工, 工工, 工人), as Lucene's CJK analyzer
/// does: a query's word of two or more characters is then a phrase of
/// pairs, found wherever the word is written, with no dictionary to miss a
/// name or a new word. A run of one character is indexed as it is; a query
/// for one character finds only those. Korean is written with spaces
/// between words and is read as words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007 // 々 〆 〇
        | 0x3040..=0x30FF // hiragana, katakana
        | 0x31F0..=0x31FF // katakana extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFF9F // halfwidth katakana
        | 0x20000..=0x2FA1F) // CJK extensions B and beyond
}

impl EnglishStream<'_> {
    /// Finds the next run of alphanumeric characters at or after `pos`, for
    /// `next`.
    #[inline]
    fn scan(&mut self) {
        self.next = self.find();
    }

    #[inline(always)]
    fn find(&mut self) -> Option<(usize, usize, bool)> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = self.pos;
        loop {
            let b = *bytes.get(i)?;
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = text[i..].chars().next()?;
                if is_cjk(c) {
                    let start = i;
                    let len = text[i..]
                        .find(|c: char| !is_cjk(c))
                        .unwrap_or(text.len() - i);
                    self.pos = i + len;
                    self.next_cjk = true;
                    return Some((start, self.pos, false));
                }
                if c.is_alphanumeric() {
                    break;
                }
                i += c.len_utf8();
            }
        }
        let start = i;
        let mut ascii = true;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                match text[i..].chars().next() {
                    Some(c) if c.is_alphanumeric() && !is_cjk(c) => {
                        ascii = false;
                        i += c.len_utf8();
                    }
                    _ => break,
                }
            }
        }
        self.pos = i;
        self.next_cjk = false;
        Some((start, i, ascii))
    }

    /// Hands out the next pair of the run in `cjk`.
    fn cjk_pair(&mut self) -> bool {
        let Some((from, end)) = self.cjk else {
            return false;
        };
        let mut chars = self.text[from..end].chars();
        let Some(first) = chars.next() else {
            self.cjk = None;
            return false;
        };
        let second = from + first.len_utf8();
        let to = chars.next().map_or(second, |c| second + c.len_utf8());
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.token.position.wrapping_add(1);
        self.cjk = (to < end).then_some((second, end));
        true
    }
}

impl TokenStream for EnglishStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(exact) = self.exact.take() {
            self.token.text = exact;
            return true;
        }
        if self.cjk_pair() {
            return true;
        }
        if let Some(letters) = self.first_letters {
            // Words that cannot be a stem sought go out before the memo is
            // even reached: most words, when finding.
            while let Some((start, end, true)) = self.next {
                let first = self.text.as_bytes()[start].to_ascii_lowercase();
                if letters & (1u128 << first) != 0 {
                    break;
                }
                self.scan();
                self.token.position = self.token.position.wrapping_add(1);
                if end - start > LONGEST_TOKEN {
                    continue;
                }
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.text.clear();
                return true;
            }
        }
        MEMO.with_borrow_mut(|memo| {
            memo.ensure_slots();
            loop {
                let Some((start, end, ascii)) = self.next else {
                    return false;
                };
                let cjk = self.next_cjk;
                self.scan();
                if cjk {
                    self.cjk = Some((start, end));
                    return self.cjk_pair();
                }
                if let Some((s, e, true)) = self.next {
                    if self.first_letters.is_none() {
                        memo.prefetch(&self.text.as_bytes()[s..e]);
                    }
                }
                self.token.position = self.token.position.wrapping_add(1);
                if end - start > LONGEST_TOKEN {
                    continue;
                }
                self.token.offset_from = start;
                self.token.offset_to = end;
                if let Some(letters) = self.first_letters {
                    let first = self.text.as_bytes()[start].to_ascii_lowercase();
                    if ascii && letters & (1u128 << first) == 0 {
                        self.token.text.clear();
                        return true;
                    }
                }
                let word = &self.text[start..end];
                memo.lower_and_stem(word, ascii, &mut self.token.text);
                if !ascii {
                    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
                    if let Some(mut folded) = crate::fold::fold(&lower) {
                        memo.stem_in_place(&mut folded);
                        if !self.folded_only && folded != self.token.text {
                            self.exact = Some(std::mem::replace(&mut self.token.text, folded));
                        } else {
                            self.token.text = folded;
                        }
                    }
                }
                return true;
            }
        })
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{
        Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    };

    /// The tokens of tantivy's chain, each word with accents preceded at its
    /// position by its folded stem: what [`EnglishTokenizer`] should give
    /// (with `folded_only`, the folded stem instead of the word's).
    fn folded(
        plain: Vec<(String, usize, usize, usize)>,
        text: &str,
        folded_only: bool,
    ) -> Vec<(String, usize, usize, usize)> {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let mut out = Vec::new();
        for (t, from, to, pos) in plain {
            let lower: String = text[from..to]
                .chars()
                .flat_map(char::to_lowercase)
                .collect();
            match crate::fold::fold(&lower) {
                Some(f) => {
                    let f = stemmer.stem(&f).into_owned();
                    if !folded_only && f != t {
                        out.push((f, from, to, pos));
                        out.push((t, from, to, pos));
                    } else {
                        out.push((f, from, to, pos));
                    }
                }
                None => out.push((t, from, to, pos)),
            }
        }
        out
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn same_tokens_as_tantivys_chain() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut ours = TextAnalyzer::builder(EnglishTokenizer::default()).build();
        let long = "x".repeat(39) + " " + &"y".repeat(40) + " " + &"Z".repeat(41);
        let text = "The ministers' talks were running late; talks resumed at 9pm. \
                    Generously, generous generosity: Running runs ran. Überraschung café \
                    naïve ÉTUDES études is as a an I'd 2026 £3.5bn organisations organisation's \
                    ΟΔΟΣ Σίσυφος İstanbul ǅemal MIXEDcase Internationalisation e-mail \
                    RUNNING Runs 1990s ３４ Ⅻ x²y A1B2C3D4E5F6G7 ABCDEFGHIJKLMNO ABCDEFGHIJKLMNOP \
                    \u{1F600}smile\u{200B}zero-width tab\there"
            .to_string()
            + &long;
        let mut query = TextAnalyzer::builder(EnglishTokenizer::for_queries()).build();
        // Twice over the same analyzer: the second pass is served from the memo.
        for _ in 0..2 {
            let expected = tokens(&mut plain, &text);
            assert_eq!(
                tokens(&mut ours, &text),
                folded(expected.clone(), &text, false)
            );
            assert_eq!(tokens(&mut query, &text), folded(expected, &text, true));
        }
        // "études": `etud` then `étude`, at one position.
        let both: Vec<String> = tokens(&mut ours, "Grève études")
            .into_iter()
            .map(|t| format!("{}@{}", t.0, t.3))
            .collect();
        assert_eq!(both, ["greve@0", "grève@0", "etud@1", "étude@1"]);
        assert_eq!(tokens(&mut ours, ""), vec![]);
        assert_eq!(tokens(&mut ours, " ,. "), vec![]);
    }

    /// `finding` hands out every token [`EnglishTokenizer::default`] does,
    /// at the same offsets and positions, with the same text wherever that
    /// text begins with one of the letters asked for: stemming keeps a
    /// word's first letter, the exceptions of Snowball English included
    /// ("dying" is `die`, "skies" `sky`).
    #[test]
    fn finding_stems_only_the_words_that_could_be_the_stems_sought() {
        let text = "Dying skies, lying ties: Yelling yearly, early only. Ugly gently \
                    idly singly news atlas; Runs RUNNING ran 1990s 2026 grève Étude \
                    ΟΔΟΣ 罢工工人 Internationalisation A1B2 ZZZ "
            .repeat(2);
        let mut all = TextAnalyzer::builder(EnglishTokenizer::default()).build();
        let expected = tokens(&mut all, &text);
        for sought in [
            vec!["die"],
            vec!["sky", "lie", "tie", "yell", "year"],
            vec![
                "earli", "onli", "ugli", "gentl", "idl", "singl", "news", "atlas",
            ],
            vec![
                "run",
                "ran",
                "1990s",
                "2026",
                "internationalis",
                "a1b2",
                "zzz",
            ],
            vec![],
        ] {
            let mut finder = TextAnalyzer::from(EnglishTokenizer::finding(sought.iter().copied()));
            let got = tokens(&mut finder, &text);
            assert_eq!(got.len(), expected.len());
            for (g, e) in got.iter().zip(&expected) {
                assert_eq!((g.1, g.2, g.3), (e.1, e.2, e.3));
                let word = &text[e.1..e.2];
                let could =
                    !word.is_ascii() || sought.iter().any(|s| s.as_bytes()[0] == e.0.as_bytes()[0]);
                if could {
                    assert_eq!(g.0, e.0, "{word}");
                } else {
                    assert_eq!(g.0, "", "{word}");
                }
                if sought.contains(&e.0.as_str()) {
                    assert_eq!(g.0, e.0, "{word} must be found");
                }
            }
            let found = sought.iter().filter(|s| got.iter().any(|g| g.0 == **s));
            assert_eq!(
                found.count(),
                sought.len(),
                "{sought:?} are all in the text"
            );
        }
    }

    #[test]
    fn same_tokens_as_tantivys_chain_on_random_text() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut ours = TextAnalyzer::builder(EnglishTokenizer::default()).build();
        let pieces = [
            "a",
            "e",
            "s",
            "ing",
            "ed",
            "ly",
            "ation",
            "Talk",
            "RUN",
            "y",
            "ies",
            "9",
            " ",
            " ",
            ", ",
            ".",
            "-",
            "'",
            "é",
            "É",
            "ß",
            "Σ",
            "ς",
            "İ",
            "ǅ",
            "²",
            "\u{1F600}",
            "\u{200B}",
        ];
        let mut seed: u64 = 0x5eed;
        for _ in 0..3000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 59) + 1 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(
                tokens(&mut ours, &text),
                folded(tokens(&mut plain, &text), &text, false),
                "{text:?}"
            );
        }
    }

    #[test]
    fn chinese_and_japanese_are_indexed_as_pairs_of_characters() {
        let mut ours = TextAnalyzer::builder(EnglishTokenizer::default()).build();
        let got: Vec<(String, usize)> = tokens(&mut ours, "港口工人罢工。Strike 在 2025年")
            .into_iter()
            .map(|(t, _, _, p)| (t, p))
            .collect();
        let want = [
            ("港口", 0),
            ("口工", 1),
            ("工人", 2),
            ("人罢", 3),
            ("罢工", 4),
            ("strike", 5),
            ("在", 6),
            ("2025", 7),
            ("年", 8),
        ];
        let want: Vec<(String, usize)> = want.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(got, want);
        let kana: Vec<String> = tokens(&mut ours, "ストライキ")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(kana, ["スト", "トラ", "ライ", "イキ"]);
        // Korean is written with spaces between words.
        let korean: Vec<String> = tokens(&mut ours, "항만 파업")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(korean, ["항만", "파업"]);
    }

    #[test]
    fn long_words_and_collisions_stem_correctly() {
        let mut memo = Memo::default();
        let plain = frostem::Stemmer::new(frostem::Algorithm::English);
        // Far more words than slots, so slots are overwritten many times.
        for round in 0..2 {
            for i in 0..SLOTS * 2 {
                for w in [format!("runnings{i}"), format!("internationalisations{i}")] {
                    let mut got = w.clone();
                    memo.stem_in_place(&mut got);
                    assert_eq!(got, plain.stem(&w), "{w} in round {round}");
                }
            }
        }
    }
}
