//! Copies of one story: a similarity signature of an article's text, and
//! whether two signatures are copies of one story.
//!
//! The text (standfirst and body; a copy under a new headline is still a
//! copy) is cut into lowercase words, and every run of five words is a
//! *shingle*. Two texts are compared by their sets of shingles: the Jaccard
//! similarity (shared shingles over all shingles) and the containment
//! (shared shingles over those of the shorter text). An edit changes the
//! five shingles around each changed word, so a corrected republication
//! keeps most of its shingles, while two different stories on one event
//! share few: sentences are seldom word for word the same across stories.
//!
//! The signature is a MinHash of the shingles, by one-permutation hashing:
//! each shingle's 64-bit hash picks one of [`SLOTS`] slots by its top bits,
//! and each slot keeps the least hash it was given; empty slots (short
//! texts) borrow from the next full slot, rotated (Shrivastava and Li,
//! "Densifying one permutation hashing via rotation", 2014). The share of
//! slots two signatures agree on estimates their Jaccard similarity, with a
//! standard error of about 0.035 at 0.8. A slot keeps 16 bits of its least
//! hash, so a signature is 268 bytes with the shingle count and the
//! hashes of the lede and the headline; two different values agree by
//! chance once in 65,536.
//!
//! Signatures that share a *band* (the slots of one band all equal) are
//! the candidates worth comparing ([`Signature::candidate_keys`]): 32 bands
//! of 4 slots find a pair of Jaccard 0.5 with probability 0.87, of 0.6 with
//! 0.99, and a pair of 0.2 with 0.05. A copy cut to its first paragraphs,
//! the commonest trim in news, may share much less than that with the
//! whole; it shares its *lede* (the first twelve words), and so does every
//! copy of that kind, so texts with the same lede are compared too.
//!
//! Short items that end in one long footer (a disclaimer, a
//! subscription notice) share most of their shingles, and nothing at their
//! top: texts that share neither their headline nor their lede are copies
//! only when nearly identical ([`DISTINCT_JACCARD`]).

/// Slots of a signature.
pub const SLOTS: usize = 128;
/// Bands, of `SLOTS / BANDS` slots each.
pub const BANDS: usize = 32;
/// Words in a shingle.
const SHINGLE: usize = 5;
/// Bytes of a signature as stored.
const BYTES: usize = SLOTS * 2 + 12;
/// Bytes of a signature stored before it held the headline's hash.
const BYTES_WITHOUT_HEADLINE: usize = SLOTS * 2 + 8;

/// Jaccard similarity from which two texts are copies whatever their
/// lengths: most of either is the other.
pub const SAME_JACCARD: f32 = 0.6;
/// Containment from which a shorter text is a trimmed copy of a longer
/// one (or the longer one the shorter with paragraphs added)...
pub const SAME_CONTAINMENT: f32 = 0.85;
/// ...provided they share at least this Jaccard similarity, so that a
/// brief is not the copy of a long feature that quotes it.
pub const CONTAINED_JACCARD: f32 = 0.25;
/// Containment from which a text that opens with the same words as another
/// is a copy of it, however much shorter: a story cut to its first
/// paragraphs (a quoted brief sits further down). Lower than the others:
/// the containment of a text a fifth of the other's length is estimated
/// from a small Jaccard similarity, and the estimate's error grows to
/// about a fifth of it.
pub const LEDE_CONTAINMENT: f32 = 0.6;
/// Jaccard similarity two texts need to be copies when they share neither
/// their headline nor their lede: a copy republished under a new headline
/// keeps its lede, and one corrected in its first words its headline, but
/// short items under one long footer keep neither, and the footer alone
/// makes them 0.6 to 0.85 alike.
pub const DISTINCT_JACCARD: f32 = 0.9;
/// Words of the lede.
const LEDE: usize = 12;
/// A standfirst and body of fewer words are read with their headline: a
/// placeholder ("More to follow.") or a one-line brief says too little.
const SHORT_WORDS: usize = 25;

/// The MinHash signature of a text, and its size in shingles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The least hash (its top 16 bits) of each slot's shingles.
    pub mins: [u16; SLOTS],
    /// How many shingles the text has (at least 1).
    pub shingles: u32,
    /// A hash of the text's first twelve words.
    pub lede: u32,
    /// A hash of the headline's words (0: not known).
    pub headline: u32,
}

/// How alike two signatures are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Likeness {
    /// Estimated Jaccard similarity of the two sets of shingles.
    pub jaccard: f32,
    /// Estimated share of the shorter text's shingles in the other.
    pub containment: f32,
    /// Both texts open with the same twelve words.
    pub same_lede: bool,
    /// Both have the same headline (or either headline is not known).
    pub same_headline: bool,
}

impl Likeness {
    /// Whether two texts this alike are copies of one story.
    pub fn same_story(&self) -> bool {
        let alike = self.jaccard >= SAME_JACCARD
            || self.containment >= SAME_CONTAINMENT && self.jaccard >= CONTAINED_JACCARD
            || self.same_lede && self.containment >= LEDE_CONTAINMENT;
        alike && (self.same_lede || self.same_headline || self.jaccard >= DISTINCT_JACCARD)
    }
}

#[inline]
fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// splitmix64's finaliser: the slot comes from the top bits, so every bit
/// must depend on every word.
#[inline]
fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hashes of the text's words, lowercased: runs of letters and digits.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    push_word_hashes(text, &mut out);
    out
}

/// [`word_hashes`] of `text`, appended to `out`. Two texts joined by a
/// line break hash as the first's words then the second's, so callers need
/// not join them.
fn push_word_hashes(text: &str, out: &mut Vec<u64>) {
    let mut h = 0u64;
    let mut len = 0usize;
    let flush = |h: &mut u64, len: &mut usize, out: &mut Vec<u64>| {
        if *len > 0 {
            out.push(mix(*h, *len as u64));
            *h = 0;
            *len = 0;
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Most of a news text is ASCII: read it a byte at a time, with no
        // decoding, to the same hashes.
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                h = mix(h, b.to_ascii_lowercase() as u64);
                len += 1;
            } else if b != b'\'' {
                flush(&mut h, &mut len, out);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                h = mix(h, l as u64);
            }
            len += 1;
        } else if c != '’' {
            // An apostrophe joins "don't" and "Ireland's" as written.
            flush(&mut h, &mut len, out);
        }
    }
    flush(&mut h, &mut len, out);
}

impl Signature {
    /// The signature of an article: its standfirst and body, not its
    /// headline (a copy under a new headline is a copy), unless they are
    /// too short to tell one story from another: then the headline leads
    /// them, so that two flashes whose body is "More to follow." are two
    /// stories. `None` when there are no words at all.
    pub fn of_article(article: &crate::article::Article) -> Option<Signature> {
        Signature::of_parts(&article.title, &[&article.standfirst, &article.body])
    }

    /// The signature of `text` (standfirst and body) under `headline`, as
    /// [`Signature::of_article`] makes it.
    pub fn of_headed(headline: &str, text: &str) -> Option<Signature> {
        Signature::of_parts(headline, &[text])
    }

    /// The signature of `parts` (each as if on lines of its own) under
    /// `headline`: each text's words are hashed once.
    fn of_parts(headline: &str, parts: &[&str]) -> Option<Signature> {
        let mut head = Vec::new();
        push_word_hashes(headline, &mut head);
        let mut words = Vec::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() / 6);
        for p in parts {
            push_word_hashes(p, &mut words);
        }
        // 0 is "not known".
        let headline = (!head.is_empty()).then(|| {
            let h = head.iter().fold(0x1319_8a2e_0370_7344, |h, &w| mix(h, w));
            ((finish(h) >> 32) as u32).max(1)
        });
        let mut s = if words.len() < SHORT_WORDS {
            head.extend_from_slice(&words);
            Signature::of_words(&head)
        } else {
            Signature::of_words(&words)
        }?;
        s.headline = headline.unwrap_or(0);
        Some(s)
    }

    /// The signature of `text`; `None` when it has no words.
    pub fn of(text: &str) -> Option<Signature> {
        Signature::of_words(&word_hashes(text))
    }

    /// The signature of a text's word hashes.
    fn of_words(words: &[u64]) -> Option<Signature> {
        if words.is_empty() {
            return None;
        }
        let mut mins = [u64::MAX; SLOTS];
        // A text shorter than a shingle is one shingle.
        let width = SHINGLE.min(words.len());
        let mut shingles = 0u32;
        for w in words.windows(width) {
            let h = finish(w.iter().fold(0x9e37_79b9_7f4a_7c15, |h, &x| mix(h, x)));
            let slot = (h >> (64 - SLOTS.trailing_zeros())) as usize;
            let m = &mut mins[slot];
            *m = (*m).min(h << SLOTS.trailing_zeros());
            shingles += 1;
        }
        // Densify: an empty slot takes the next full one's value, moved by
        // how far it had to look, so that two texts' empty slots agree
        // only as often as their full ones.
        let mut out = [0u16; SLOTS];
        for (i, o) in out.iter_mut().enumerate() {
            let mut d = 0;
            while mins[(i + d) % SLOTS] == u64::MAX {
                d += 1;
            }
            let v = mins[(i + d) % SLOTS];
            let v = if d == 0 {
                v
            } else {
                finish(v ^ (d as u64).wrapping_mul(0x2545_f491_4f6c_dd1d))
            };
            *o = (v >> 48) as u16;
        }
        let lede = words
            .iter()
            .take(LEDE)
            .fold(0x243f_6a88_85a3_08d3, |h, &w| mix(h, w));
        Some(Signature {
            mins: out,
            shingles,
            lede: (finish(lede) >> 32) as u32,
            headline: 0,
        })
    }

    /// How alike this text and `other` are.
    pub fn likeness(&self, other: &Signature) -> Likeness {
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        let jaccard = same as f32 / SLOTS as f32;
        let (a, b) = (self.shingles as f32, other.shingles as f32);
        // |A ∩ B| = J (|A| + |B|) / (1 + J).
        let shared = jaccard * (a + b) / (1.0 + jaccard);
        Likeness {
            jaccard,
            containment: (shared / a.min(b)).min(1.0),
            same_lede: self.lede == other.lede,
            same_headline: self.headline == other.headline
                || self.headline == 0
                || other.headline == 0,
        }
    }

    /// One key per band, and one for the lede: two signatures with a key in
    /// common are candidate copies.
    pub fn candidate_keys(&self) -> [u64; BANDS + 1] {
        let rows = SLOTS / BANDS;
        std::array::from_fn(|b| {
            if b == BANDS {
                return finish(mix(u64::MAX, self.lede as u64));
            }
            let band = &self.mins[b * rows..(b + 1) * rows];
            finish(band.iter().fold(b as u64 + 1, |h, &m| mix(h, m as u64)))
        })
    }

    /// The signature as bytes: the slots, the shingle count and the lede,
    /// little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BYTES);
        for m in &self.mins {
            out.extend_from_slice(&m.to_le_bytes());
        }
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.extend_from_slice(&self.lede.to_le_bytes());
        out.extend_from_slice(&self.headline.to_le_bytes());
        out
    }

    /// Reads what [`Signature::to_bytes`] wrote; `None` for anything else.
    /// A signature stored before the headline's hash was has none (0).
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != BYTES && bytes.len() != BYTES_WITHOUT_HEADLINE {
            return None;
        }
        let mut mins = [0u16; SLOTS];
        for (m, b) in mins.iter_mut().zip(bytes.chunks_exact(2)) {
            *m = u16::from_le_bytes([b[0], b[1]]);
        }
        let s = &bytes[SLOTS * 2..];
        let shingles = u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let lede = u32::from_le_bytes([s[4], s[5], s[6], s[7]]);
        let headline = match s.get(8..12) {
            Some(h) => u32::from_le_bytes([h[0], h[1], h[2], h[3]]),
            None => 0,
        };
        (shingles > 0).then_some(Signature {
            mins,
            shingles,
            lede,
            headline,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences of an invented story, different enough from each other
    /// that no two share a shingle.
    fn story(seed: usize, sentences: usize) -> Vec<String> {
        const SUBJECTS: [&str; 8] = [
            "the harbour board",
            "a ferry operator",
            "the port's dockers",
            "local fishing crews",
            "the city council",
            "a shipping analyst",
            "the coastguard",
            "two freight firms",
        ];
        const VERBS: [&str; 8] = [
            "said on Tuesday that",
            "warned in a statement that",
            "told reporters that",
            "confirmed late last night that",
            "argued at the hearing that",
            "wrote to members saying",
            "had expected that",
            "denied claims that",
        ];
        const CLAIMS: [&str; 8] = [
            "winter sailings would be cut by a third",
            "the new quay would open before March",
            "fuel costs had doubled since the spring",
            "berth fees were due to rise again",
            "the dredging contract ran over budget",
            "night crossings were safe to resume",
            "cargo volumes fell for a fourth month",
            "repairs to the breakwater were overdue",
        ];
        (0..sentences)
            .map(|i| {
                let k = seed * 31 + i * 7;
                format!(
                    "{} {} {} (item {} of report {}).",
                    SUBJECTS[k % 8],
                    VERBS[(k / 8) % 8],
                    CLAIMS[(k / 64 + i) % 8],
                    i,
                    seed
                )
            })
            .collect()
    }

    fn sig(sentences: &[String]) -> Signature {
        Signature::of(&sentences.join(" ")).unwrap()
    }

    #[test]
    fn identical_texts_are_copies_whatever_their_spacing_and_case() {
        let s = story(1, 20);
        let a = sig(&s);
        let b = Signature::of(&s.join("\n\n").to_uppercase()).unwrap();
        assert_eq!(a, b);
        let l = a.likeness(&b);
        assert_eq!(l.jaccard, 1.0);
        assert!(l.same_story());
    }

    #[test]
    fn a_corrected_copy_a_trimmed_copy_and_a_longer_copy_are_the_same_story() {
        let s = story(2, 30);
        let a = sig(&s);
        // Two words corrected.
        let mut fixed = s.clone();
        fixed[4] = fixed[4].replace("harbour", "harbor");
        fixed[17] = fixed[17].replace("Tuesday", "Wednesday");
        // The last third cut.
        let trimmed = &s[..20];
        // A paragraph added at the end.
        let mut longer = s.clone();
        longer.extend(story(9, 6));
        for (what, other) in [
            ("corrected", &fixed[..]),
            ("trimmed", trimmed),
            ("longer", &longer),
        ] {
            let l = a.likeness(&sig(other));
            assert!(l.same_story(), "{what}: {l:?}");
        }
    }

    #[test]
    fn different_stories_are_not_copies_even_sharing_a_footer() {
        let footer: Vec<String> = story(50, 3);
        let mut a = story(3, 25);
        let mut b = story(4, 25);
        a.extend(footer.clone());
        b.extend(footer);
        let l = sig(&a).likeness(&sig(&b));
        assert!(!l.same_story(), "{l:?}");
        assert!(l.jaccard < 0.3, "{l:?}");
    }

    #[test]
    fn short_items_under_one_long_footer_are_not_copies_unless_headed_alike() {
        let footer = story(60, 9).join(" ");
        let item = |seed| format!("{} {footer}", story(seed, 2).join(" "));
        let a = Signature::of_headed("Fund closes its third round", &item(61)).unwrap();
        let b = Signature::of_headed("Firm hires two analysts", &item(62)).unwrap();
        let l = a.likeness(&b);
        // The footer alone makes them more alike than the first tests ask.
        assert!(l.jaccard >= SAME_JACCARD, "{l:?}");
        assert!(!l.same_lede && !l.same_headline, "{l:?}");
        assert!(!l.same_story(), "{l:?}");
        // The same item republished under a new headline keeps its lede.
        let c = Signature::of_headed("Third fund closed", &item(61)).unwrap();
        assert!(a.likeness(&c).same_story());
        // Corrected in its first words, it keeps its headline.
        let fixed = item(61).replacen("the", "a", 1);
        let d = Signature::of_headed("Fund closes its third round", &fixed).unwrap();
        assert!(!a.likeness(&d).same_lede);
        assert!(a.likeness(&d).same_story());
        // Both changed, a long enough text stays nearly identical.
        let long = story(63, 30).join(" ");
        let e = Signature::of_headed("One", &long).unwrap();
        let f = Signature::of_headed("Two", &long.replacen("the", "a", 1)).unwrap();
        assert!(e.likeness(&f).jaccard >= DISTINCT_JACCARD);
        assert!(e.likeness(&f).same_story());
        // A signature stored before the headline was kept reads as not
        // knowing it.
        let old = &a.to_bytes()[..BYTES_WITHOUT_HEADLINE];
        let back = Signature::from_bytes(old).unwrap();
        assert_eq!(back.headline, 0);
        assert!(back.likeness(&b).same_headline);
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a));
    }

    #[test]
    fn a_brief_is_not_a_copy_of_a_feature_that_quotes_it() {
        let brief = story(5, 3);
        let mut feature = story(6, 40);
        feature.splice(10..10, brief.clone());
        let l = sig(&brief).likeness(&sig(&feature));
        assert!(l.containment > 0.8, "{l:?}");
        assert!(!l.same_story(), "{l:?}");
    }

    #[test]
    fn copies_share_a_band_and_different_stories_seldom_do() {
        let s = story(7, 30);
        let a = sig(&s).candidate_keys();
        let b = sig(&s[..25]).candidate_keys();
        assert!(a.iter().zip(&b).any(|(x, y)| x == y));
        let c = sig(&story(8, 30)).candidate_keys();
        assert!(a.iter().zip(&c).all(|(x, y)| x != y));
        // A story cut to its first fifth shares its lede.
        let d = sig(&s[..6]);
        assert_eq!(a[BANDS], d.candidate_keys()[BANDS]);
        assert!(sig(&s).likeness(&d).same_story());
    }

    #[test]
    fn short_and_empty_texts() {
        assert_eq!(Signature::of(" -- , "), None);
        let a = Signature::of("Ferry strike").unwrap();
        assert_eq!(a.shingles, 1);
        assert!(a
            .likeness(&Signature::of("ferry STRIKE").unwrap())
            .same_story());
        assert!(!a
            .likeness(&Signature::of("Ferry strike over").unwrap())
            .same_story());
    }

    #[test]
    fn bytes_round_trip_and_reject_what_they_did_not_write() {
        let a = sig(&story(10, 12));
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a.clone()));
        assert_eq!(Signature::from_bytes(&a.to_bytes()[1..]), None);
        assert_eq!(Signature::from_bytes(&[0; BYTES]), None);
    }

    /// Signatures stored by earlier builds must still match new ones: the
    /// byte-wise reading hashes words as reading by characters did, and an
    /// article's parts hash as the text they are joined into.
    #[test]
    fn words_hash_as_the_joined_text_read_by_characters_does() {
        fn by_chars(text: &str) -> Vec<u64> {
            let (mut out, mut h, mut len) = (Vec::new(), 0u64, 0u64);
            for c in text.chars().chain(['.']) {
                if c.is_alphanumeric() {
                    for l in c.to_lowercase() {
                        h = mix(h, l as u64);
                    }
                    len += 1;
                } else if !matches!(c, '\'' | '’') && len > 0 {
                    out.push(mix(h, len));
                    (h, len) = (0, 0);
                }
            }
            out
        }
        let text = "Ærø's ferries: Ireland’s MÜNCHEN-bound 2025 service, don't \
                    stop at İzmir (東京 ΑΘΗΝΑ) ... the end'";
        assert_eq!(word_hashes(text), by_chars(text));
        let (title, standfirst, body) = ("Ferry strike ends", "Crews return.", "Service resumes.");
        let article = crate::article::Article {
            title: title.into(),
            standfirst: standfirst.into(),
            body: body.into(),
            ..Default::default()
        };
        let joined = Signature::of(&format!("{title}\n\n{standfirst}\n\n{body}")).unwrap();
        let got = Signature::of_article(&article).unwrap();
        assert_eq!(
            (got.mins, got.shingles, got.lede),
            (joined.mins, joined.shingles, joined.lede)
        );
        assert_ne!(got.headline, 0);
    }
}
