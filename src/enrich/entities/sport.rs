//! Telling sport copy: whether a text is a sport report, from how many of
//! its first words are sport words, and whether the words around a place
//! name make it a team ("beat Bolton").

use super::context::{words_before, ArticleContext};
use super::vocab::SPORT_WORDS;

/// The plain form of the check that [`SPORT_PREFIXES`] speeds up, for tests.
#[cfg(test)]
pub(super) fn is_sport_word(w: &str) -> bool {
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
pub(super) fn sport_words_in(bytes: &[u8]) -> usize {
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
pub(super) fn is_sport_run(bytes: &[u8], start: usize, end: usize) -> bool {
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

/// Whether the words around a place name make it a team: "beat Bolton",
/// "Newcastle manager", "England won".
pub(super) fn plays_sport(text: &str, start: usize, end: usize, context: &ArticleContext) -> bool {
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
        && context.sport()))
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
        ) && context.sport())
}
