//! The language an article is written in, and how its words are searched.
//!
//! An article's language is what its metadata says (`"fr-FR"`, `"de_DE"`,
//! `"French"`), read as an ISO 639-1 code (`fr`), or, when it says nothing,
//! what [whatlang](https://docs.rs/whatlang) detects from the start of its
//! text. whatlang was chosen over lingua (`eval/langdetect/README.md`):
//! both told the language of every article measured, whatlang at 14 to 40
//! times less CPU and 0.3 MB of binary against lingua's 94 MB; lingua is
//! better only on headlines alone, which byline never detects apart.
//!
//! Every article is searched through the English analyzer, as before
//! (`stem.rs`). An article in one of the [`STEMMED`] languages is
//! also indexed through its own language's Snowball stemmer, in a field of
//! its own, so that a French query (`grève des dockers`) finds "grèves" and
//! "docker" while English articles rank exactly as they did. Chinese and
//! Japanese are searched by pairs of characters (`stem.rs`).

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// A language byline stems with its own Snowball stemmer, besides English.
#[derive(Debug, Clone, Copy)]
pub struct Stemmed {
    /// ISO 639-1 code, as stored and as `lang:` takes it.
    pub code: &'static str,
    /// The index field that holds this language's articles' words.
    pub field: &'static str,
    /// The tokenizer of that field.
    pub tokenizer: &'static str,
    algorithm: Algorithm,
}

macro_rules! stemmed {
    ($($code:literal => $alg:ident),* $(,)?) => {
        /// The languages with a stemmer and an index field of their own.
        pub const STEMMED: &[Stemmed] = &[$(Stemmed {
            code: $code,
            field: concat!("text_", $code),
            tokenizer: concat!("byline_", $code),
            algorithm: Algorithm::$alg,
        }),*];
    };
}

stemmed! {
    "fr" => French, "de" => German, "es" => Spanish, "it" => Italian,
    "pt" => Portuguese, "nl" => Dutch, "sv" => Swedish, "ru" => Russian,
    "da" => Danish, "nb" => Norwegian, "fi" => Finnish, "pl" => Polish,
    "ro" => Romanian, "hu" => Hungarian, "tr" => Turkish, "el" => Greek,
    "ar" => Arabic,
}

/// The stemmed language of an ISO 639-1 code.
pub fn stemmed(code: &str) -> Option<&'static Stemmed> {
    STEMMED.iter().find(|s| s.code == code)
}

/// ISO 639-1 codes with the ISO 639-2/3 codes and English and native names
/// metadata uses for them, and whatlang's language.
const NAMES: &[(&str, &[&str], whatlang::Lang)] = {
    use whatlang::Lang::*;
    &[
        ("en", &["eng", "english"], Eng),
        ("fr", &["fra", "fre", "french", "français", "francais"], Fra),
        ("de", &["deu", "ger", "german", "deutsch"], Deu),
        (
            "es",
            &["spa", "spanish", "español", "espanol", "castellano"],
            Spa,
        ),
        ("it", &["ita", "italian", "italiano"], Ita),
        ("pt", &["por", "portuguese", "português", "portugues"], Por),
        ("nl", &["nld", "dut", "dutch", "nederlands"], Nld),
        ("sv", &["swe", "swedish", "svenska"], Swe),
        ("ru", &["rus", "russian", "русский"], Rus),
        ("da", &["dan", "danish", "dansk"], Dan),
        (
            "nb",
            &["nob", "no", "nor", "norwegian", "norsk", "bokmål"],
            Nob,
        ),
        ("fi", &["fin", "finnish", "suomi"], Fin),
        ("pl", &["pol", "polish", "polski"], Pol),
        ("ro", &["ron", "rum", "romanian", "română"], Ron),
        ("hu", &["hun", "hungarian", "magyar"], Hun),
        ("tr", &["tur", "turkish", "türkçe"], Tur),
        ("el", &["ell", "gre", "greek", "ελληνικά"], Ell),
        ("ar", &["ara", "arabic", "العربية"], Ara),
        ("zh", &["zho", "chi", "cmn", "chinese", "中文"], Cmn),
        ("ja", &["jpn", "japanese", "日本語"], Jpn),
        ("ko", &["kor", "korean", "한국어"], Kor),
        ("uk", &["ukr", "ukrainian", "українська"], Ukr),
        ("cs", &["ces", "cze", "czech", "čeština"], Ces),
        ("sk", &["slk", "slo", "slovak"], Slk),
        ("bg", &["bul", "bulgarian"], Bul),
        ("hr", &["hrv", "croatian"], Hrv),
        ("sr", &["srp", "serbian"], Srp),
        ("sl", &["slv", "slovenian", "slovene"], Slv),
        ("lt", &["lit", "lithuanian"], Lit),
        ("lv", &["lav", "latvian"], Lav),
        ("et", &["est", "estonian"], Est),
        ("ca", &["cat", "catalan", "català"], Cat),
        ("he", &["heb", "hebrew"], Heb),
        ("hi", &["hin", "hindi"], Hin),
        ("fa", &["fas", "per", "pes", "persian", "farsi"], Pes),
        ("ur", &["urd", "urdu"], Urd),
        ("vi", &["vie", "vietnamese"], Vie),
        ("th", &["tha", "thai"], Tha),
        ("id", &["ind", "indonesian"], Ind),
        ("bn", &["ben", "bengali"], Ben),
        ("ta", &["tam", "tamil"], Tam),
        ("af", &["afr", "afrikaans"], Afr),
        ("be", &["bel", "belarusian"], Bel),
        ("mk", &["mkd", "macedonian"], Mkd),
        ("ka", &["kat", "georgian"], Kat),
        ("hy", &["hye", "arm", "armenian"], Hye),
        ("az", &["aze", "azerbaijani"], Aze),
        ("uz", &["uzb", "uzbek"], Uzb),
        ("cy", &["cym", "wel", "welsh"], Cym),
        ("tl", &["tgl", "tagalog", "filipino"], Tgl),
    ]
};

/// The ISO 639-1 code of a language as metadata names it: a code with or
/// without a region (`fr`, `fr-FR`, `pt_BR`, `FRA`) or a name (`French`,
/// `Deutsch`). A code byline has no name for is kept as given (`eo`); `None`
/// for what is not a language at all.
pub fn from_metadata(value: &str) -> Option<String> {
    let lower = value.trim().to_lowercase();
    let primary = lower
        .split(['-', '_', ';', ',', ' '])
        .next()
        .unwrap_or_default();
    if primary.is_empty() {
        return None;
    }
    for (code, names, _) in NAMES {
        if primary == *code || names.contains(&primary) || names.contains(&lower.as_str()) {
            return Some((*code).to_string());
        }
    }
    // "nn" (Nynorsk) stems as Norwegian too.
    if primary == "nn" {
        return Some("nb".to_string());
    }
    let code_like = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && !lower.contains(char::is_whitespace);
    code_like.then(|| primary.to_string())
}

/// The ISO 639-1 code of a language as a query names it (`lang:fr`,
/// `lang:German`, `lang:pt-BR`, the region ignored): one of the languages
/// byline knows by name, so that a typo is an error rather than a search
/// that finds nothing.
pub fn from_query(value: &str) -> Option<String> {
    from_metadata(value).filter(|code| NAMES.iter().any(|(c, _, _)| c == code))
}

/// The most of an article's text detection reads: on the news measured
/// (`eval/langdetect/`), 500 bytes told every article's language as well
/// as 2,000 did; twice that leaves a margin for debris at the top.
const DETECT_BYTES: usize = 1000;

/// Whether `lower` (a lowercase ASCII word) is one of the English function
/// words of the fast path of [`detect`].
fn is_english_word(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"the"
            | b"of"
            | b"and"
            | b"to"
            | b"in"
            | b"a"
            | b"is"
            | b"that"
            | b"for"
            | b"on"
            | b"with"
            | b"as"
            | b"was"
            | b"by"
            | b"it"
            | b"he"
            | b"said"
            | b"at"
            | b"from"
            | b"his"
            | b"be"
            | b"have"
            | b"are"
            | b"has"
            | b"but"
            | b"an"
            | b"not"
            | b"which"
            | b"were"
            | b"this"
    )
}

/// Text is English, without asking whatlang, when at least 15% of its first
/// 100 words are English function words ([`is_english_word`]) and "the" is
/// among them twice: measured
/// on 2,225 BBC articles and 385 articles and paragraphs in ten other
/// languages, this passed 98.3% of the English and none of the others
/// (`eval/langdetect/README.md`), at a few microseconds an article.
fn looks_english(text: &str) -> bool {
    let (mut words, mut common, mut the) = (0, 0, 0);
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(100)
    {
        words += 1;
        if w.len() <= 5 && w.is_ascii() {
            // Lowercased on the stack: this runs for every article indexed.
            let mut buf = [0u8; 5];
            let lower = &mut buf[..w.len()];
            lower.copy_from_slice(w.as_bytes());
            lower.make_ascii_lowercase();
            if is_english_word(lower) {
                common += 1;
                the += usize::from(lower == b"the");
            }
        }
    }
    words > 0 && common * 100 >= words * 15 && the >= 2
}

/// The fewest letters detection decides on: a headline alone is often too
/// short to tell related languages apart.
const DETECT_MIN_LETTERS: usize = 40;

/// The language of `text` (an article's title, standfirst and body), as an
/// ISO 639-1 code; `None` when it is too short or whatlang is unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(DETECT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let (script, letters) = by_script(sample);
    if script.is_some() {
        return script;
    }
    if letters < DETECT_MIN_LETTERS {
        return None;
    }
    if looks_english(sample) {
        return Some("en");
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    NAMES
        .iter()
        .find(|(_, _, l)| *l == info.lang())
        .map(|(code, _, _)| *code)
}

/// Japanese, Korean or Chinese, told by their scripts alone when they make
/// most of the letters: kana are Japanese, Hangul Korean, and Chinese
/// characters without kana Chinese. A headline of a few characters
/// ("北京罢工") says as much as a page, where other languages need
/// [`DETECT_MIN_LETTERS`]. Also gives the number of letters.
fn by_script(text: &str) -> (Option<&'static str>, usize) {
    let (mut letters, mut kana, mut hangul, mut han) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        match c as u32 {
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => kana += 1,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => hangul += 1,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => han += 1,
            _ => {}
        }
    }
    let most = |n: usize| n >= 2 && n * 2 > letters;
    let code = if kana >= 2 && most(kana + han) {
        Some("ja")
    } else if most(hangul) {
        Some("ko")
    } else if han >= 4 && most(han) {
        Some("zh")
    } else {
        None
    };
    (code, letters)
}

/// A [`Tokenizer`] for one of the [`STEMMED`] languages: words are runs of
/// alphanumeric characters (as for English), lowercased, stemmed with the
/// language's Snowball stemmer, and then their accents taken off
/// (`fold.rs`), so that "grève" and "greve" are one word. The
/// stemmers expect accents, so folding comes after.
#[derive(Clone)]
pub struct StemmingTokenizer {
    stemmer: Stemmer,
    token: Token,
}

impl StemmingTokenizer {
    /// The tokenizer of a stemmed language.
    pub fn new(language: &Stemmed) -> Self {
        StemmingTokenizer {
            stemmer: Stemmer::new(language.algorithm),
            token: Token::default(),
        }
    }
}

impl Tokenizer for StemmingTokenizer {
    type TokenStream<'a> = StemmingStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemmingStream<'a> {
        self.token.reset();
        StemmingStream {
            text,
            pos: 0,
            stemmer: self.stemmer,
            token: &mut self.token,
        }
    }
}

/// The token stream of [`StemmingTokenizer`].
pub struct StemmingStream<'a> {
    text: &'a str,
    pos: usize,
    stemmer: Stemmer,
    token: &'a mut Token,
}

/// The longest word kept, in bytes, as for English.
const LONGEST_TOKEN: usize = 39;

impl TokenStream for StemmingStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let rest = &self.text[self.pos..];
            let Some(skip) = rest.find(char::is_alphanumeric) else {
                self.pos = self.text.len();
                return false;
            };
            let start = self.pos + skip;
            let len = self.text[start..]
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(self.text.len() - start);
            let end = start + len;
            self.pos = end;
            self.token.position = self.token.position.wrapping_add(1);
            if len > LONGEST_TOKEN {
                continue;
            }
            let lower: String = self.text[start..end]
                .chars()
                .flat_map(char::to_lowercase)
                .collect();
            let stem = match self.stemmer.stem(&lower) {
                Cow::Borrowed(s) => s.to_string(),
                Cow::Owned(s) => s,
            };
            self.token.text = crate::fold::fold(&stem).unwrap_or(stem);
            self.token.offset_from = start;
            self.token.offset_to = end;
            return true;
        }
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

    fn tokens(code: &str, text: &str) -> Vec<String> {
        let mut t = StemmingTokenizer::new(stemmed(code).unwrap());
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn each_language_stems_its_own_inflections_to_one_word() {
        assert_eq!(tokens("fr", "grève grèves Grève greve"), ["grev"; 4]);
        // French Snowball leaves "dockers" and "docker" apart; the English
        // analysis every article also gets joins them.
        assert_eq!(tokens("fr", "négocier négociations"), ["negoci", "negoci"]);
        assert_eq!(tokens("de", "Häfen Hafens"), tokens("de", "Hafen Hafen"));
        assert_eq!(tokens("es", "huelgas huelga"), ["huelg", "huelg"]);
        assert_eq!(tokens("ru", "Москвы Москва"), ["москв", "москв"]);
    }

    #[test]
    fn metadata_names_a_language_in_many_ways() {
        for v in ["fr", "fr-FR", "FR_fr", "fra", "French", "français"] {
            assert_eq!(from_metadata(v).as_deref(), Some("fr"), "{v}");
        }
        assert_eq!(from_metadata("pt-BR").as_deref(), Some("pt"));
        assert_eq!(from_metadata("nn-NO").as_deref(), Some("nb"));
        assert_eq!(from_metadata("eo").as_deref(), Some("eo"));
        assert_eq!(from_metadata("").as_deref(), None);
        assert_eq!(from_metadata("not a language").as_deref(), None);
        assert_eq!(from_query("Deutsch").as_deref(), Some("de"));
        assert_eq!(from_query("xx").as_deref(), None);
    }

    #[test]
    fn detection_needs_enough_text() {
        assert_eq!(detect("Grève au port"), None);
        // Scripts tell Chinese, Japanese and Korean from a headline.
        assert_eq!(detect("北京罢工\n工人要求加薪。"), Some("zh"));
        assert_eq!(detect("東京でストライキ"), Some("ja"));
        assert_eq!(detect("부산 항만 파업"), Some("ko"));
        assert_eq!(detect("The word 罢工 means strike"), None);
        let fr = "Les dockers du port de Marseille ont voté la grève mardi soir, \
                  après l'échec des négociations avec la direction sur les salaires.";
        assert_eq!(detect(fr), Some("fr"));
        let de = "Die Hafenarbeiter in Hamburg haben am Dienstag die Arbeit niedergelegt, \
                  nachdem die Verhandlungen über höhere Löhne gescheitert waren.";
        assert_eq!(detect(de), Some("de"));
    }
}
