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

/// Slots in the memo: a two-way set-associative cache of 8,192 words of up to
/// [`SLOT_BYTES`] bytes each, 256 KB per thread, shared by all text fields,
/// small enough to stay in a core's L2 while tantivy's own term tables churn
/// the rest of the cache. A first version kept a `HashMap<Box<str>, Box<str>>`
/// per field and lost half its gain to cache misses.
const SLOTS: usize = 1 << 14;

/// The longest word (and stem) a slot holds; longer words, about one token
/// in fifty in news text, are stemmed every time.
const SLOT_BYTES: usize = 15;

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

/// One remembered word: lengths first, then the bytes, zero-padded so that a
/// lookup compares two fixed-size arrays instead of calling `memcmp`.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Slot {
    word_len: u8,
    word: [u8; SLOT_BYTES],
    stem_len: u8,
    stem: [u8; SLOT_BYTES],
}

const EMPTY: Slot = Slot {
    word_len: 0,
    word: [0; SLOT_BYTES],
    stem_len: 0,
    stem: [0; SLOT_BYTES],
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

/// `bytes` (at most [`SLOT_BYTES`] long) zero-padded. A fixed-length loop
/// rather than `copy_from_slice`, which calls `memcpy` for a variable length:
/// that call was a third of the memo's cost.
fn padded(bytes: &[u8]) -> [u8; SLOT_BYTES] {
    let mut out = [0; SLOT_BYTES];
    for (i, o) in out.iter_mut().enumerate() {
        *o = bytes.get(i).copied().unwrap_or(0);
    }
    out
}

fn slot_index(word: &[u8; SLOT_BYTES]) -> usize {
    let a = u64::from_le_bytes(word[..8].try_into().unwrap_or_default());
    let b = u64::from_le_bytes(word[7..].try_into().unwrap_or_default());
    let h = (a ^ b.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - SLOTS.trailing_zeros())) as usize
}

impl Memo {
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
        let key = padded(word.as_bytes());
        // Two-way sets: a pair of slots fills one 64-byte cache line, so the
        // second way costs no extra miss and saves most conflict evictions.
        let set = slot_index(&key) & !1;
        let holds = |slot: &Slot| slot.word_len as usize == len && slot.word == key;
        let hit = if holds(&self.slots[set]) {
            Some(set)
        } else if holds(&self.slots[set + 1]) {
            // Most recently used first.
            self.slots.swap(set, set + 1);
            Some(set)
        } else {
            None
        };
        if let Some(at) = hit {
            let slot = &self.slots[at];
            if slot.stem_len != slot.word_len || slot.stem != slot.word {
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
        // Stemming only shortens English words; a longer stem is not cached.
        if stem.len() <= SLOT_BYTES {
            self.slots[set + 1] = self.slots[set];
            self.slots[set] = Slot {
                word_len: len as u8,
                word: key,
                stem_len: stem.len() as u8,
                stem: padded(stem.as_bytes()),
            };
        }
        if let Cow::Owned(stem) = stem {
            *word = stem;
        }
    }
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        MEMO.with_borrow_mut(|memo| memo.stem_in_place(text));
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
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
