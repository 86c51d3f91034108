//! Text in capitals read as it would be written in mixed case.
//!
//! Headlines, datelines and whole stories of older wire copy come in
//! capitals ("CARROW HOLDINGS CHAIRMAN RESIGNS", "NEW YORK, March 3"). The
//! extractor finds names by their capital letters, so in such text every
//! word looks like one, or (as a headline) none does. Before extraction,
//! each run of shouted words is given the case the same words have where
//! the article writes in mixed case ("Carrow Holdings chairman resigns"),
//! then the case the gazetteers give them ("New York"), and ordinary words
//! are lowercased. Casing is then one cue among others, as in any text.
//!
//! Every character keeps its length in bytes (one that would not is left as
//! it is), so spans found in the recased text are spans of the original.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::lexicon::Lexicon;

/// Words that join the parts of a name, lowercase in mixed case ("Bank of
/// England", "Trinidad and Tobago").
const JOINERS: &[&str] = &[
    "of", "the", "and", "for", "de", "del", "della", "da", "do", "dos", "la", "le", "les", "von",
    "van", "der", "den", "du", "des", "on", "upon", "in", "at", "y", "e", "al", "el", "bin",
];

/// A run of words in capitals: at least this many words of three letters or
/// more that are not known acronyms ("US GNP" is two acronyms, not a
/// headline).
const MIN_SHOUTED_WORDS: usize = 2;

/// `text` with its runs of capitals recased, or `text` itself when it has
/// none (most articles: the scan is all they cost).
pub(super) fn truecase<'t>(text: &'t str, lexicon: &Lexicon) -> Cow<'t, str> {
    let runs = shouted_runs(text, lexicon);
    if runs.is_empty() {
        return Cow::Borrowed(text);
    }
    let evidence = Evidence::gather(text, &runs);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in &runs {
        out.push_str(&text[at..start]);
        recase_run(&text[start..end], lexicon, &evidence, &mut out);
        at = end;
    }
    out.push_str(&text[at..]);
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// A word: a run of letters and digits, with its byte range.
#[derive(Clone, Copy)]
struct Word<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

/// The words of `text`, with `\n` positions reported as `None` so that runs
/// stop at line ends. ASCII bytes are judged as bytes; only other
/// characters are decoded.
fn words(text: &str) -> impl Iterator<Item = Option<Word<'_>>> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // The length of the letter or digit at `at`, or `None`.
    let alnum_at = move |at: usize| -> Option<usize> {
        let b = bytes[at];
        if b < 0x80 {
            return b.is_ascii_alphanumeric().then_some(1);
        }
        let c = text[at..].chars().next()?;
        c.is_alphanumeric().then(|| c.len_utf8())
    };
    let skip_at = move |at: usize| -> usize {
        if bytes[at] < 0x80 {
            1
        } else {
            text[at..].chars().next().map_or(1, char::len_utf8)
        }
    };
    std::iter::from_fn(move || loop {
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'\n' {
            i += 1;
            return Some(None);
        }
        if alnum_at(i).is_none() {
            i += skip_at(i);
            continue;
        }
        let start = i;
        while i < bytes.len() {
            match alnum_at(i) {
                Some(n) => i += n,
                None => break,
            }
        }
        return Some(Some(Word {
            start,
            end: i,
            text: &text[start..i],
        }));
    })
}

/// No lowercase letter and at least one uppercase one.
fn is_capitals(w: &str) -> bool {
    // Most words start with a small letter: known at the first byte.
    if w.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    !w.chars().any(char::is_lowercase) && w.chars().any(char::is_uppercase)
}

/// The byte ranges of the runs of shouted words, each within one line: a
/// run is broken by a word with a lowercase letter or a line end, and
/// counts when it holds [`MIN_SHOUTED_WORDS`] long words that are not
/// acronyms the gazetteers hold. Only lines with a word in capitals right
/// before another are looked at word by word: this runs on every article,
/// and most lines of most articles have none.
fn shouted_runs(text: &str, lexicon: &Lexicon) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut from = 0;
    // Where the last line read word by word ended: lines before it are
    // done, but a line is read from its start however far into it the
    // search for capitals went ("KLINE, 61, HAD LED").
    let mut done = 0;
    while let Some(p) = three_capitals(bytes, from) {
        // An acronym alone ("the BBC said") is no run: only a word in
        // capitals followed by another makes the line worth reading word
        // by word.
        let word_end = bytes[p..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| p + n);
        let mut q = word_end;
        while q < bytes.len()
            && q - word_end < 3
            && matches!(bytes[q], b' ' | b',' | b'-' | b'\'' | b'.' | b':' | b'&')
        {
            q += 1;
        }
        let another = bytes
            .get(q)
            .is_some_and(|b| b.is_ascii_uppercase() || *b >= 0x80)
            && !bytes.get(q + 1).is_some_and(u8::is_ascii_lowercase);
        if !another {
            from = word_end;
            continue;
        }
        let line_start = bytes[..p]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
            .max(done);
        let line_end = bytes[p..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| p + i);
        runs_in_line(text, line_start, line_end, lexicon, &mut runs);
        from = line_end + 1;
        done = from;
    }
    runs
}

/// Where the first three ASCII capitals in a row start, from `from` on.
/// Every byte of every article passes here: a mask of capitals is built
/// for 64 bytes at a time without a branch, and three set bits in a row
/// are found with two shifts. Blocks overlap by two bytes, so that a
/// triple across their border is seen.
fn three_capitals(bytes: &[u8], from: usize) -> Option<usize> {
    let mut start = from;
    while start + 2 < bytes.len() {
        let end = (start + 64).min(bytes.len());
        let mut m = 0u64;
        for (k, b) in bytes[start..end].iter().enumerate() {
            m |= u64::from(b.is_ascii_uppercase()) << k;
        }
        let triple = m & (m << 1) & (m << 2);
        if triple != 0 {
            return Some(start + triple.trailing_zeros() as usize - 2);
        }
        if end == bytes.len() {
            break;
        }
        start = end - 2;
    }
    None
}

/// The shouted runs of the line `start..end` of `text`, into `runs`.
fn runs_in_line(
    text: &str,
    start: usize,
    end: usize,
    lexicon: &Lexicon,
    runs: &mut Vec<(usize, usize)>,
) {
    let mut run: Option<(usize, usize)> = None;
    let mut long = 0;
    // Whether the run began with the line: a headline, a dateline.
    let mut leads = false;
    let mut line_start = true;
    let mut close = |run: &mut Option<(usize, usize)>, long: &mut usize, leads: bool| {
        if let Some(r) = run.take() {
            // Inside a sentence, two words in capitals are most often a
            // name written so ("said ABN AMRO analyst"); three are shouting.
            if *long >= MIN_SHOUTED_WORDS + usize::from(!leads) {
                runs.push(r);
            }
        }
        *long = 0;
    };
    for w in words(&text[start..end]).flatten() {
        let (ws, we) = (start + w.start, start + w.end);
        if is_capitals(w.text) {
            let letters = w.text.chars().filter(|c| c.is_alphabetic()).count();
            if letters >= 3 && !lexicon.names.contains_key(w.text) {
                long += 1;
            }
            run = Some(match run {
                Some((s, _)) => (s, we),
                None => {
                    leads = line_start;
                    (ws, we)
                }
            });
            line_start = false;
        } else if w.text.chars().any(char::is_alphabetic) {
            line_start = false;
            close(&mut run, &mut long, leads);
        }
        // Digits alone ("12", "1987") neither start nor break a run.
    }
    close(&mut run, &mut long, leads);
}

/// How the article writes a word where it does not shout.
#[derive(Default)]
struct Seen<'t> {
    /// Capitalised inside a sentence, as names are: the form written.
    name: Option<&'t str>,
    /// In lowercase.
    lower: bool,
    /// In capitals inside mixed-case text: an acronym ("ICO").
    acronym: bool,
}

/// What the mixed-case parts of the article say about each word, keyed by
/// its lowercase form.
struct Evidence<'t>(FxHashMap<String, Seen<'t>>);

impl<'t> Evidence<'t> {
    fn gather(text: &'t str, runs: &[(usize, usize)]) -> Self {
        let mut map: FxHashMap<String, Seen<'t>> = FxHashMap::default();
        let mut r = 0;
        let mut sentence_start = true;
        let mut last_end = 0;
        for w in words(text) {
            let Some(w) = w else {
                sentence_start = true;
                continue;
            };
            let gap = &text[last_end..w.start];
            if gap.contains(['.', '!', '?', ':', '"', '“']) {
                sentence_start = true;
            }
            last_end = w.end;
            while r < runs.len() && runs[r].1 <= w.start {
                r += 1;
            }
            let shouted = r < runs.len() && runs[r].0 <= w.start;
            let starts = std::mem::replace(&mut sentence_start, false);
            if shouted || !w.text.chars().any(char::is_alphabetic) {
                continue;
            }
            let seen = map.entry(w.text.to_lowercase()).or_default();
            if is_capitals(w.text) {
                if w.text.chars().count() >= 2 {
                    seen.acronym = true;
                }
            } else if w.text.starts_with(char::is_uppercase) {
                if !starts {
                    seen.name.get_or_insert(w.text);
                }
            } else {
                seen.lower = true;
            }
        }
        Evidence(map)
    }

    fn get(&self, word: &str) -> Option<&Seen<'t>> {
        self.0.get(&word.to_lowercase())
    }
}

/// How one shouted word is to be written.
#[derive(Clone, Copy)]
enum Case<'t> {
    Keep,
    Lower,
    Title,
    /// As the article writes it elsewhere ("McDonald").
    As(&'t str),
}

/// Appends `run` recased to `out`.
fn recase_run(run: &str, lexicon: &Lexicon, evidence: &Evidence, out: &mut String) {
    let ws: Vec<Word> = words(run).flatten().collect();
    let mut cases: Vec<Case> = ws
        .iter()
        .map(|w| one_word(w.text, lexicon, evidence))
        .collect();
    // Names of several words the gazetteers hold ("NEW YORK", "BANK OF
    // ENGLAND"), longest first: their words take the listed case whatever
    // each says alone ("new" is an ordinary word).
    let mut k = 0;
    while k < ws.len() {
        let mut matched = 0;
        for m in (2..=lexicon.max_tokens.min(ws.len() - k)).rev() {
            let span = &ws[k..k + m];
            let gaps_plain = span
                .windows(2)
                .all(|p| matches!(&run[p[0].end..p[1].start], " " | "-"));
            if !gaps_plain {
                continue;
            }
            // Listed as written: "ABN AMRO".
            if lexicon
                .names
                .contains_key(&run[span[0].start..span[m - 1].end])
            {
                for c in &mut cases[k..k + m] {
                    *c = Case::Keep;
                }
                matched = m;
                break;
            }
            let mut name = String::with_capacity(run.len());
            for (n, w) in span.iter().enumerate() {
                if n > 0 {
                    name.push_str(&run[span[n - 1].end..w.start]);
                }
                let joiner = n > 0 && JOINERS.contains(&w.text.to_lowercase().as_str());
                push_cased(
                    w.text,
                    if joiner { Case::Lower } else { Case::Title },
                    &mut name,
                );
            }
            if lexicon.names.contains_key(name.as_str()) {
                for (n, w) in span.iter().enumerate() {
                    let joiner = n > 0 && JOINERS.contains(&w.text.to_lowercase().as_str());
                    cases[k + n] = if joiner { Case::Lower } else { Case::Title };
                }
                matched = m;
                break;
            }
        }
        k += matched.max(1);
    }
    names_by_shape(run, &ws, lexicon, &mut cases);
    let mut at = 0;
    for (w, case) in ws.iter().zip(cases) {
        out.push_str(&run[at..w.start]);
        push_cased(w.text, case, out);
        at = w.end;
    }
    out.push_str(&run[at..]);
}

/// Names no list holds, told by their shape, for text in capitals
/// throughout, where the article offers no mixed-case form: a given name
/// and the word after it ("MARIA OSTROVA"), and the words before an
/// organisation's head noun back to the "the" before them ("THE
/// INTERNATIONAL COFFEE ORGANIZATION").
fn names_by_shape(run: &str, ws: &[Word], lexicon: &Lexicon, cases: &mut [Case]) {
    let plain = |a: &Word, b: &Word| &run[a.end..b.start] == " ";
    let title = |w: &str| {
        let mut t = String::with_capacity(w.len());
        push_cased(w, Case::Title, &mut t);
        t
    };
    let ordinary = |w: &str| {
        let lower = w.to_lowercase();
        lexicon.common.contains(lower.as_str()) || JOINERS.contains(&lower.as_str())
    };
    for k in 0..ws.len() {
        let word = title(ws[k].text);
        if matches!(cases[k], Case::Title) && lexicon.given.contains(word.as_str()) {
            if let Some(next) = ws.get(k + 1) {
                if plain(&ws[k], next)
                    && matches!(cases[k + 1], Case::Lower)
                    && next.text.chars().all(char::is_alphabetic)
                    && next.text.len() >= 2
                    && !ordinary(next.text)
                {
                    cases[k + 1] = Case::Title;
                }
            }
        }
        if k > 0 && lexicon.org_suffixes.contains(word.as_str()) {
            let mut first = k;
            while first > 0
                && k - first < 4
                && plain(&ws[first - 1], &ws[first])
                && matches!(cases[first - 1], Case::Lower | Case::Title)
                && !JOINERS.contains(&ws[first - 1].text.to_lowercase().as_str())
                && ws[first - 1].text.chars().all(char::is_alphabetic)
            {
                first -= 1;
            }
            // Only after "the", as such names are written ("the National
            // Farmers Union"): "MCDONALD QUITS BOARD" holds no name.
            let after_the = first > 0
                && plain(&ws[first - 1], &ws[first])
                && ws[first - 1].text.eq_ignore_ascii_case("the");
            if first < k && after_the {
                for c in &mut cases[first..=k] {
                    *c = Case::Title;
                }
            }
        }
    }
}

/// The case of a shouted word alone: as the article writes it elsewhere,
/// then as the gazetteers know it; an ordinary or unknown word is
/// lowercased, since a name the article means is written elsewhere in it.
fn one_word<'t>(word: &str, lexicon: &Lexicon, evidence: &Evidence<'t>) -> Case<'t> {
    if !word.chars().any(char::is_alphabetic) {
        return Case::Keep;
    }
    if let Some(seen) = evidence.get(word) {
        if seen.acronym {
            return Case::Keep;
        }
        // "Of" in a title elsewhere ("Knights Of The Old Republic") does
        // not make the word a name.
        let lower = word.to_lowercase();
        if seen.lower
            && (JOINERS.contains(&lower.as_str()) || lexicon.common.contains(lower.as_str()))
        {
            return Case::Lower;
        }
        if let Some(form) = seen.name {
            return Case::As(form);
        }
        if seen.lower {
            return Case::Lower;
        }
    }
    if lexicon.names.contains_key(word) {
        return Case::Keep;
    }
    let mut title = String::with_capacity(word.len());
    push_cased(word, Case::Title, &mut title);
    let common = lexicon.common.contains(title.to_lowercase().as_str())
        || lexicon.common.contains(title.as_str());
    if !common
        && (lexicon.names.contains_key(title.as_str()) || lexicon.given.contains(title.as_str()))
    {
        Case::Title
    } else {
        Case::Lower
    }
}

/// Appends `word` in `case`; a character whose other case is longer or
/// shorter in bytes stays as it is, so that offsets hold.
fn push_cased(word: &str, case: Case, out: &mut String) {
    let lower_from = match case {
        Case::Keep => {
            out.push_str(word);
            return;
        }
        Case::As(form) if form.len() == word.len() && form.eq_ignore_ascii_case(word) => {
            out.push_str(form);
            return;
        }
        Case::As(_) | Case::Title => 1,
        Case::Lower => 0,
    };
    for (n, c) in word.chars().enumerate() {
        if n < lower_from {
            out.push(c);
            continue;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::*;

    fn tc(text: &str) -> String {
        truecase(text, lexicon()).into_owned()
    }

    #[test]
    fn mixed_case_text_is_left_alone() {
        let text =
            "The UK and the US signed. NATO said the EU would follow.\nCarrow Holdings rose.";
        assert!(matches!(truecase(text, lexicon()), Cow::Borrowed(_)));
        assert_eq!(tc(text), text);
    }

    #[test]
    fn a_shouted_headline_takes_the_case_of_the_body() {
        let text = "CARROW HOLDINGS CHAIRMAN RESIGNS\n\nThe chairman of Carrow Holdings, \
                    Edwin Tallis, resigned on Monday.";
        let out = tc(text);
        assert_eq!(out.len(), text.len());
        assert!(
            out.starts_with("Carrow Holdings chairman resigns\n"),
            "{out}"
        );
        assert_eq!(&out[33..], &text[33..]);
    }

    #[test]
    fn gazetteer_names_of_several_words_keep_their_case() {
        let out = tc("NEW YORK, March 3 - Shares of Carrow fell.");
        assert!(out.starts_with("New York, March 3"), "{out}");
        let out = tc("BANK OF ENGLAND HOLDS RATES\n\nRates were held.");
        assert!(out.starts_with("Bank of England holds rates"), "{out}");
    }

    #[test]
    fn acronyms_stay_and_ordinary_words_fall() {
        let text = "ICO MEMBERS MEET IN LONDON\n\nThe International Coffee Organization (ICO) met.";
        let out = tc(text);
        assert!(out.starts_with("ICO members meet in London\n"), "{out}");
    }

    #[test]
    fn a_form_written_elsewhere_is_copied() {
        let out = tc("MCDONALD QUITS BOARD\n\nAnna McDonald left the board.");
        assert!(out.starts_with("McDonald quits board"), "{out}");
    }

    #[test]
    fn a_story_in_capitals_keeps_its_names() {
        let out = tc(
            "LONDON, JUNE 12 - MEMBERS OF THE INTERNATIONAL COFFEE ORGANIZATION MET. \
                      MARIA OSTROVA, A DELEGATE FROM BRAZIL, SPOKE.",
        );
        assert!(
            out.contains("of the International Coffee Organization met"),
            "{out}"
        );
        assert!(
            out.contains("Maria Ostrova, a delegate from Brazil"),
            "{out}"
        );
        assert!(out.starts_with("London, june 12"), "{out}");
    }

    #[test]
    fn names_listed_in_capitals_stay() {
        let text = "Shares fell, said ABN AMRO analyst Nils Brandt.";
        assert_eq!(tc(text), text);
        let out = tc("WORLD BANK LOANS RISE\n\nLoans rose.");
        assert!(out.starts_with("World Bank loans rise"), "{out}");
    }

    #[test]
    fn three_capitals_are_found_wherever_they_are() {
        let naive = |b: &[u8], from: usize| {
            (from..b.len().saturating_sub(2))
                .find(|&i| b[i..i + 3].iter().all(u8::is_ascii_uppercase))
        };
        let mut seed: u64 = 7;
        for len in [0, 1, 2, 3, 63, 64, 65, 66, 127, 128, 129, 300] {
            for _ in 0..200 {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        if (seed >> 60) < 3 {
                            b'A'
                        } else {
                            b'a'
                        }
                    })
                    .collect();
                for from in [0, 1, 5, 62, 64] {
                    assert_eq!(
                        three_capitals(&text, from),
                        naive(&text, from),
                        "{len} {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_line_is_read_from_its_start() {
        let out = tc("STEEL CHIEF QUITS\n\nKLINE, 61, HAD LED THE COMPANY SINCE 1979.\n");
        assert!(out.contains("\nkline, 61, had led"), "{out}");
    }

    #[test]
    fn non_ascii_keeps_its_byte_length() {
        for text in [
            "SÃO PAULO BANKS RALLY",
            "İSTANBUL ÇARŞI ÖDÜL",
            "ΑΘΗΝΑ ΜΕΤΡΟ ΚΛΕΙΝΕΙ",
        ] {
            assert_eq!(tc(text).len(), text.len(), "{text}");
        }
    }
}
