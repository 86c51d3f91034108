//! English stemming with a per-thread memo.
//!
//! Snowball stemming was a quarter of all indexing CPU in a profile of the
//! 200k corpus, yet news vocabulary is Zipfian: a few tens of thousands of
//! words make up nearly every token. Remembering each word's stem turns most
//! of that work into one hash lookup. The output is exactly tantivy's
//! `Stemmer(English)` output (a test checks this), so indexes built with and
//! without the memo are interchangeable and queries stem the same way.

use std::borrow::Cow;
use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Slots in the memo: a two-way set-associative cache of 16,384 words of up
/// to [`SLOT_BYTES`] bytes each, 512 KB per thread, shared by all text
/// fields. A first version kept a `HashMap<Box<str>, Box<str>>` per field and
/// lost half its gain to cache misses.
const SLOTS: usize = 1 << 14;

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

/// A [`TokenFilter`] that stems English words, remembering recent stems.
/// Tokens must be lowercased before it, as for tantivy's `Stemmer`.
#[derive(Clone, Copy, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer }
    }
}

/// The tokenizer [`MemoStemmer`] wraps around another.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
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
    /// Starts loading the set that `word` would live in. The memo is
    /// larger than a core's share of cache, so a lookup is usually a cache
    /// miss; the stream asks for the next token's set one token ahead, while
    /// tantivy indexes the current one, and the miss is mostly gone by the
    /// time the lookup runs.
    fn prefetch(&self, word: &str) {
        if !(SHORTEST_STEMMED..=SLOT_BYTES).contains(&word.len()) {
            return;
        }
        if let Some(set) = self.slots.get(Key::of(word.as_bytes()).set()) {
            prefetch_line(set);
        }
    }

    /// Replaces `word` with its stem.
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
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
        let key = Key::of(word.as_bytes());
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

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            current: Token::default(),
            started: false,
            has_next: false,
        }
    }
}

/// The token stream of [`MemoStemmerFilter`]. It reads one token ahead of
/// the token it hands out, so that the memo lookup of the next token can be
/// prefetched.
pub struct MemoStemmerStream<T> {
    tail: T,
    current: Token,
    started: bool,
    /// The tail holds a token not yet handed out.
    has_next: bool,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.started {
            self.started = true;
            self.has_next = self.tail.advance();
            if self.has_next {
                MEMO.with_borrow(|memo| memo.prefetch(&self.tail.token().text));
            }
        }
        if !self.has_next {
            return false;
        }
        // Take the tail's token: its text by swapping buffers (the tail
        // rewrites its text on every advance), the rest by copying, because
        // tokenizers count positions up from their own last token.
        let next = self.tail.token_mut();
        self.current.offset_from = next.offset_from;
        self.current.offset_to = next.offset_to;
        self.current.position = next.position;
        self.current.position_length = next.position_length;
        std::mem::swap(&mut self.current.text, &mut next.text);
        self.has_next = self.tail.advance();
        let current = &mut self.current.text;
        let next = self.has_next.then(|| self.tail.token().text.as_str());
        MEMO.with_borrow_mut(|memo| {
            if let Some(next) = next {
                memo.prefetch(next);
            }
            memo.stem_in_place(current);
        });
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{
        Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    };

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
    fn same_tokens_as_tantivys_stemmer() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut memo = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(MemoStemmer)
            .build();
        let text = "The ministers' talks were running late; talks resumed at 9pm. \
                    Generously, generous generosity: Running runs ran. Überraschung café \
                    naïve ÉTUDES études is as a an I'd 2026 £3.5bn organisations organisation's";
        // Twice over the same analyzer: the second pass is served from the memo.
        for _ in 0..2 {
            assert_eq!(tokens(&mut memo, text), tokens(&mut plain, text));
        }
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
