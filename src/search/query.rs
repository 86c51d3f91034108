//! byline's query language, split into its parts before tantivy sees it.
//!
//! ```text
//! "peace talks" Kyiv -sanctions after:2025-11-01 date:2025-12
//! ```
//!
//! Date operators (`after:`, `before:`, `on:`, `date:`) become a range on the
//! published date; entity operators (`person:`, `org:`, `place:`, `entity:`,
//! each negatable with `-`) become entity filters; everything else is keyword
//! text for tantivy's query parser (all words required, `"phrases"`, `OR`,
//! `-exclusion`, `field:term`, `id:ID`). `after:D` includes the day D; `before:D`
//! stops at the start of day D.

use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::{Timestamp, ToSpan};

use crate::article::EntityKind;
use crate::error::{Error, Result};
use crate::schema::field;

mod check;
pub(crate) use check::{explain, syntax};

/// `person:X`, `org:X`, `place:X` or `entity:X` (any kind), maybe negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityFilter {
    /// The kind asked for; `None` for `entity:`.
    pub kind: Option<EntityKind>,
    /// The name as typed (quotes removed).
    pub name: String,
    /// `-person:X`: articles that do not name X.
    pub negated: bool,
}

/// A query string taken apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    /// The keyword part, for tantivy's query parser (may be empty).
    pub text: String,
    /// Keywords to exclude when the keyword part is nothing but exclusions
    /// (`place:Rotterdam -strike`), without their `-`: tantivy's parser
    /// rejects a query of exclusions alone, but beside filters, or alone
    /// against the whole archive, they read as "and not".
    pub excluded: Vec<String>,
    /// Entity filters.
    pub entities: Vec<EntityFilter>,
    /// Published on or after this instant.
    pub from: Option<Timestamp>,
    /// Published before this instant.
    pub to: Option<Timestamp>,
    /// `lang:fr lang:de`: articles in any of these languages (ISO 639-1).
    pub languages: Vec<String>,
    /// `-lang:en`: articles in none of these languages.
    pub not_languages: Vec<String>,
}

impl ParsedQuery {
    /// True when the query has no keyword part, only filters (or nothing).
    pub fn is_filter_only(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// True when the query has something to rank by: keywords or a
    /// (positive) entity.
    pub fn is_ranked(&self) -> bool {
        !self.is_filter_only() || self.entities.iter().any(|e| !e.negated)
    }

    /// Narrows the date range to `[from, to)`.
    pub fn restrict(&mut self, from: Option<Timestamp>, to: Option<Timestamp>) {
        if let Some(f) = from {
            self.from = Some(self.from.map_or(f, |cur| cur.max(f)));
        }
        if let Some(t) = to {
            self.to = Some(self.to.map_or(t, |cur| cur.min(t)));
        }
    }
}

/// Splits a query into words, keeping quoted phrases (and `op:"a b"`) whole.
/// A semicolon or comma separates words as a space does (`kuwait;iran`,
/// pasted lists), except between digits (`1,000`, indexed as two numbers
/// side by side). Other punctuation inside a word keeps it one phrase, as
/// the text was indexed: `U.S.`, `well-known`, `AT&T`, `10:30`.
fn words(q: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let chars: Vec<char> = q.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let separator = matches!(c, ';' | ',' | '；' | '，' | '、')
            && !(i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if (c.is_whitespace() || separator) && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if quoted {
        let at = q.rfind('"').unwrap_or(0);
        return Err(Error::Query(format!(
            "this `\"` opens a phrase that is not closed; add a `\"` where it ends\n{}",
            check::caret(q, at)
        )));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// A word with colons that name no field, for tantivy: each run of
/// characters holding a colon (up to a bracket, quote, `^` or `~`) becomes
/// the phrase it was indexed as, a sign before it staying outside so that it
/// applies to all of it: `-10:30` is `-"10 30"`, `(talks 10:30)^2` keeps its
/// group and boost, `"peace talks":x` is two phrases.
fn colon_words(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    let mut quoted = false;
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if !run.contains(':') {
            out.push_str(run);
            run.clear();
            return;
        }
        let signs = run.len() - run.trim_start_matches(['+', '-']).len();
        let core = run[signs..].replace(':', " ");
        let core = core.trim();
        if !core.is_empty() {
            if out.ends_with(|c: char| c == '"' || c == ')' || c.is_alphanumeric()) {
                out.push(' ');
            }
            out.push_str(&run[..signs]);
            out.push('"');
            out.push_str(core);
            out.push('"');
        }
        run.clear();
    };
    for c in word.chars() {
        if quoted {
            out.push(c);
            quoted = c != '"';
            continue;
        }
        match c {
            '(' | ')' | '^' | '~' | '"' => {
                flush(&mut run, &mut out);
                // A phrase or group right after a phrase of ours.
                if (c == '"' || c == '(') && out.ends_with('"') {
                    out.push(' ');
                }
                out.push(c);
                quoted = c == '"';
            }
            c => {
                // Text straight after a phrase is a word of its own.
                if run.is_empty() && c.is_alphanumeric() && out.ends_with('"') {
                    out.push(' ');
                }
                run.push(c);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The fields a keyword may name (`title:cable`), and `id:`, an article's
/// id as byline prints it (`id:15017`, matched whole and as typed), which
/// combines with other words, `OR` and `-` as a word does.
const TEXT_FIELDS: [&str; 5] = [
    field::TITLE,
    field::STANDFIRST,
    field::BODY,
    field::BYLINE,
    field::ID,
];

/// The operators byline reads itself: entity and date filters.
const FILTERS: [&str; 17] = [
    "person",
    "people",
    "who",
    "org",
    "organization",
    "organisation",
    "place",
    "where",
    "entity",
    "after",
    "since",
    "before",
    "until",
    "on",
    "date",
    "lang",
    "language",
];

/// The deepest nesting of `( )` a query may have: tantivy's grammar parses
/// groups by recursion, and 1,500 levels overflowed the stack, which aborts
/// the process.
const MAX_PAREN_DEPTH: usize = 100;

/// How deep the query's parentheses nest, outside quoted phrases.
fn paren_depth(q: &str) -> usize {
    let (mut depth, mut deepest, mut quoted) = (0usize, 0, false);
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Parses a query string.
pub fn parse(q: &str) -> Result<ParsedQuery> {
    let mut parsed = ParsedQuery::default();
    let mut rest = Vec::new();
    if paren_depth(q) > MAX_PAREN_DEPTH {
        return Err(Error::Query(format!(
            "groups nested more than {MAX_PAREN_DEPTH} deep: tantivy's parser would run out of stack"
        )));
    }
    let all = words(q)?;
    // How deep in ( ) each word starts: a filter anywhere inside a group,
    // not only next to a bracket, would apply to the whole query.
    let mut depth = 0usize;
    for (i, word) in all.iter().enumerate() {
        let depth_here = depth;
        let mut quoted = false;
        for c in word.chars() {
            match c {
                '"' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let word = word.clone();
        if word == "*" {
            // "Everything": the articles, not the index's file records.
            continue;
        }
        // A phrase is text, whatever colons it holds (`"talks: day two"`,
        // boosted or in a group: `("a:b")^2`).
        let phrase = word
            .trim_start_matches(['(', '+', '-'])
            .strip_prefix('"')
            .and_then(|w| w.rfind('"').map(|end| &w[end + 1..]))
            .is_some_and(|tail| {
                tail.chars()
                    .all(|c| matches!(c, ')' | '^' | '~' | '.') || c.is_ascii_digit())
            });
        let Some((op, value)) = word.split_once(':').filter(|_| !phrase) else {
            rest.extend(comparison_as_punctuation(&word));
            continue;
        };
        let name = op.trim_start_matches(['(', '+', '-']).to_ascii_lowercase();
        if FILTERS.contains(&name.as_str()) {
            let beside_or = |j: Option<usize>| {
                j.and_then(|j| all.get(j))
                    .is_some_and(|w| matches!(w.as_str(), "OR" | "||" | "AND" | "&&"))
            };
            if depth_here > 0
                || op.contains('(')
                || value.contains(')')
                || beside_or(i.checked_sub(1))
                || beside_or(Some(i + 1))
            {
                return Err(Error::Query(format!(
                    "`{word}`: {name}: filters the whole query, so it cannot go inside ( ) or beside OR or AND; write it on its own"
                )));
            }
        } else if !TEXT_FIELDS.contains(&name.as_str()) {
            // A headline's "Explainer:", a time (10:30) or a URL: words,
            // not a field (nor one of the index's internal ones).
            let words = colon_words(&word);
            if !words.trim_matches(['+', '-']).is_empty() {
                rest.push(words);
            }
            continue;
        }
        let value = value.trim_matches('"');
        let (negated, bare_op) = match op.strip_prefix('-') {
            Some(o) => (true, o),
            None => (false, op),
        };
        let kind = match bare_op.to_ascii_lowercase().as_str() {
            "person" | "people" | "who" => Some(Some(EntityKind::Person)),
            "org" | "organization" | "organisation" => Some(Some(EntityKind::Organization)),
            "place" | "where" => Some(Some(EntityKind::Place)),
            "entity" => Some(None),
            _ => None,
        };
        if let Some(kind) = kind {
            if value.trim().is_empty() {
                return Err(Error::Query(format!(
                    "{bare_op}: needs a name, e.g. {bare_op}:{}",
                    match kind {
                        Some(EntityKind::Organization) => "NATO",
                        Some(EntityKind::Place) => "\"New York\"",
                        _ => "\"Jane Doe\"",
                    }
                )));
            }
            parsed.entities.push(EntityFilter {
                kind,
                name: value.trim().to_string(),
                negated,
            });
            continue;
        }
        if matches!(bare_op.to_ascii_lowercase().as_str(), "lang" | "language") {
            let Some(code) = crate::lang::from_query(value) else {
                return Err(Error::Query(format!(
                    "`{word}`: {name}: takes a language's ISO 639-1 code or English name, as in lang:fr or lang:German"
                )));
            };
            match negated {
                true => parsed.not_languages.push(code),
                false => parsed.languages.push(code),
            }
            continue;
        }
        match op.to_ascii_lowercase().as_str() {
            "after" | "since" => {
                let (start, _) = period(op, value)?;
                parsed.restrict(Some(start), None);
            }
            "before" => {
                let (start, _) = period(op, value)?;
                parsed.restrict(None, Some(start));
            }
            // As the `--until` flag: the period named is included.
            "until" => {
                let (_, end) = period(op, value)?;
                parsed.restrict(None, end);
            }
            "on" | "date" => {
                let (start, end) = period(op, value)?;
                parsed.restrict(Some(start), end);
            }
            _ if FILTERS.contains(&name.as_str()) => {
                let advice = match name.as_str() {
                    "after" | "since" | "before" | "until" | "on" | "date" => {
                        " (to leave out a period, use before: or after:)"
                    }
                    _ => " (a filter always applies; -name: leaves the name out)",
                };
                return Err(Error::Query(format!(
                    "`{word}`: write {name}: without a sign{advice}"
                )));
            }
            _ => {
                // A text field, spelled as tantivy knows it (`Title:` too).
                let signs = &op[..op.len() - name.len()];
                rest.push(format!("{signs}{name}:{}", &word[op.len() + 1..]));
            }
        }
    }
    if let (Some(from), Some(to)) = (parsed.from, parsed.to) {
        if from >= to {
            let day = |t: Timestamp| t.strftime("%Y-%m-%d").to_string();
            return Err(Error::Query(format!(
                "the date filters leave no day: on or after {} and before {} (is one of them the wrong way round?)",
                day(from),
                day(to)
            )));
        }
    }
    let rest = apostrophes(&rest);
    let excluding = |w: &String| w.len() > 1 && w.starts_with('-');
    if !rest.is_empty() && rest.iter().all(excluding) {
        parsed.excluded = rest
            .iter()
            .map(|w| w.trim_start_matches('-').to_string())
            .filter(|w| !w.is_empty())
            .collect();
    } else {
        parsed.text = rest.join(" ");
    }
    check::check(&parsed.text)?;
    for word in &parsed.excluded {
        check::check(word)?;
    }
    Ok(parsed)
}

/// `profits > forecast`: a `>`, `<` or `=` that starts a word is
/// punctuation in prose, where tantivy would read the start of a range
/// (`>forecast`) and refuse it for want of a field. The word is searched
/// without it; a word of nothing else is dropped (its brackets kept).
fn comparison_as_punctuation(word: &str) -> Option<String> {
    let lead = word.len() - word.trim_start_matches(['(', '+', '-']).len();
    let (signs, body) = word.split_at(lead);
    let bare = body.trim_start_matches(['<', '>', '=']);
    if bare.len() == body.len() {
        return Some(word.to_string());
    }
    if bare.chars().any(char::is_alphanumeric) {
        return Some(format!("{signs}{bare}"));
    }
    // `(>)` is nothing; `(>` still opens a group.
    let count = |b: char| word.chars().filter(|&c| c == b).count();
    let (opens, closes) = (count('('), count(')'));
    let brackets =
        "(".repeat(opens.saturating_sub(closes)) + &")".repeat(closes.saturating_sub(opens));
    (!brackets.is_empty()).then_some(brackets)
}

/// tantivy's query grammar reads `'` as a quote, so a name such as
/// `O'Driscoll`, or `don't`, was a syntax error. A word with an apostrophe
/// inside goes to it as a phrase of its parts (`"O'Driscoll"`), which is how
/// the text was indexed; a trailing one (`Jones'`) is dropped, unless some
/// word opens a phrase in single quotes (`'peace talks'`, which tantivy
/// reads as `"peace talks"`).
fn apostrophes(words: &[String]) -> Vec<String> {
    // `-`, `+` and `field:` stay in front of the quotes.
    let split = |w: &str| -> usize {
        let signs = w.len() - w.trim_start_matches(['-', '+']).len();
        let rest = &w[signs..];
        match rest.split_once(':') {
            Some((field, _))
                if !field.is_empty() && field.chars().all(|c| c.is_alphanumeric() || c == '_') =>
            {
                signs + field.len() + 1
            }
            _ => signs,
        }
    };
    // Signs, a field and opening brackets before the word, closing
    // brackets, a boost or a slop after it, stay outside the quotes:
    // `(Blair's OR Brown)` is `("Blair's" OR Brown)`.
    let parts = |w: &str| -> (usize, usize) {
        let opens = |s: &str| s.len() - s.trim_start_matches(['(', '+', '-']).len();
        let mut start = opens(w);
        start += split(&w[start..]);
        start += opens(&w[start..]);
        (start, start + word_end(&w[start..]))
    };
    let single_quoted = words.iter().any(|w| w[parts(w).0..].starts_with('\''));
    words
        .iter()
        .map(|w| {
            if w.contains('"') || !w.contains('\'') {
                return w.clone();
            }
            let (start, end) = parts(w);
            let (prefix, mut body, suffix) = (&w[..start], &w[start..end], &w[end..]);
            if body.starts_with('\'') {
                return w.clone();
            }
            if !single_quoted {
                body = body.trim_end_matches('\'');
            }
            let chars: Vec<char> = body.chars().collect();
            let inside = chars
                .windows(3)
                .any(|w| w[1] == '\'' && w[0].is_alphanumeric() && w[2].is_alphanumeric());
            if inside {
                format!("{prefix}\"{body}\"{suffix}")
            } else {
                format!("{prefix}{body}{suffix}")
            }
        })
        .collect()
}

/// Where the word in `w` ends: before its closing brackets, and a boost
/// (`^2`) or slop (`~1`) after them or after the word.
fn word_end(w: &str) -> usize {
    let mut end = w.len();
    loop {
        let rest = &w[..end];
        if let Some(shorter) = rest.strip_suffix(')') {
            end = shorter.len();
            continue;
        }
        match rest.rfind(['^', '~']) {
            Some(at)
                if rest[at + 1..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.') =>
            {
                end = at;
            }
            _ => return end,
        }
    }
}

/// Parses `2025`, `2025-11` or `2025-11-04` into the half-open UTC period it
/// names: its start, and its end unless the period runs to the end of
/// byline's calendar (year 9999), which needs no upper bound. A start past
/// the last instant a date can hold is that instant.
pub fn period(op: &str, value: &str) -> Result<(Timestamp, Option<Timestamp>)> {
    let bad = || {
        Error::Query(format!(
            "{op}: expects a date like 2025-11-04, 2025-11 or 2025, got `{value}`"
        ))
    };
    let parts: Vec<&str> = value.split('-').collect();
    // Digits only: `+202` is no year, and a month of 257 must not wrap to 1.
    let nums: Vec<i8> = parts
        .iter()
        .skip(1)
        .map(|p| {
            p.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| p.parse::<i8>().ok())
                .flatten()
                .ok_or_else(bad)
        })
        .collect::<Result<_>>()?;
    let year = parts[0];
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let y: i16 = year.parse().map_err(|_| bad())?;
    let (start, span) = match nums.as_slice() {
        [] => (Date::new(y, 1, 1), 1.year()),
        [m] => (Date::new(y, *m, 1), 1.month()),
        [m, d] => (Date::new(y, *m, *d), 1.day()),
        _ => return Err(bad()),
    };
    let start = start.map_err(|_| bad())?;
    let ts = |d: Date| {
        Offset::UTC
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .unwrap_or(Timestamp::MAX)
    };
    let end = start.checked_add(span).ok().map(ts);
    Ok((ts(start), end.filter(|&e| e < Timestamp::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_fields_are_fields_other_colons_are_words() {
        let text = |q: &str| parse(q).unwrap().text;
        assert_eq!(text("Explainer: cable"), r#""Explainer" cable"#);
        assert_eq!(text("talks 10:30"), r#"talks "10 30""#);
        assert_eq!(text("kind:file"), r#""kind file""#);
        assert_eq!(
            text("surname:dam -format:json"),
            r#""surname dam" -"format json""#
        );
        assert_eq!(text("port (10:30 OR noon)"), r#"port ("10 30" OR noon)"#);
        assert_eq!(text(r#"talks -"10:30""#), r#"talks -"10:30""#);
        assert_eq!(text("(talks 10:30)^2"), r#"(talks "10 30")^2"#);
        // The comma separates words, as a space does.
        assert_eq!(
            text("(meeting 10:30), strike"),
            r#"(meeting "10 30") strike"#
        );
        assert_eq!(text("10:30(GMT)"), r#""10 30" (GMT)"#);
        assert_eq!(text(r#""peace talks":x"#), r#""peace talks" "x""#);
        assert_eq!(text("a:b:c +(10:30)"), r#""a b c" +("10 30")"#);
        assert_eq!(
            parse("place:Rotterdam -strike -:").unwrap().excluded,
            ["strike"]
        );
        // Excluded alone, the time is one phrase, not two words.
        let only = parse("place:Rotterdam -10:30").unwrap();
        assert_eq!(only.excluded, [r#""10 30""#]);
        assert_eq!(text("Title:cable -BODY:strike"), "title:cable -body:strike");
        assert!(parse("*").unwrap().is_filter_only());
        let neg = parse("-person:Dam port").unwrap();
        assert!(neg.entities[0].negated);
        for q in [
            "(person:Dam)",
            "port (org:EU OR place:Kyiv)",
            "strike OR person:Dam",
            "person:Dam OR place:Kyiv",
            "port (date:2025)",
            "-after:2025-01-01 port",
            "port -(strike person:Dam ferry)",
            "port ( person:Dam )",
            "+person:Dam",
        ] {
            let err = parse(q).expect_err(q).to_string();
            assert!(err.contains(':'), "{q}: {err}");
        }
    }

    #[test]
    fn deeply_nested_groups_are_an_error_not_a_stack_overflow() {
        let nested = |n: usize| format!("{}port{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_PAREN_DEPTH)).is_ok());
        let err = parse(&nested(100_000)).unwrap_err().to_string();
        assert!(err.contains("nested more than 100 deep"), "{err}");
        // Parentheses inside a phrase are text.
        assert!(parse(&format!("\"{}\"", "(".repeat(500))).is_ok());
    }

    #[test]
    fn months_and_days_out_of_range_are_errors_not_other_dates() {
        for v in [
            "2025-257",
            "2025-11-260",
            "2025-259",
            "+202",
            "2025-+1",
            "2025-13",
            "202",
        ] {
            assert!(period("date", v).is_err(), "{v}");
        }
        let (a, b) = period("date", "2025-02").unwrap();
        assert_eq!(a.to_string(), "2025-02-01T00:00:00Z");
        assert_eq!(b.unwrap().to_string(), "2025-03-01T00:00:00Z");
    }

    #[test]
    fn words_with_apostrophes_become_phrases_tantivy_can_read() {
        let text = |q: &str| parse(q).unwrap().text;
        assert_eq!(text("Brian O'Driscoll"), r#"Brian "O'Driscoll""#);
        assert_eq!(text("don't panic"), r#""don't" panic"#);
        assert_eq!(
            text("-O'Brien title:O'Neill"),
            r#"-"O'Brien" title:"O'Neill""#
        );
        assert_eq!(text("the Joneses' house"), "the Joneses house");
        assert_eq!(
            text(r#""Brian O'Driscoll" rugby"#),
            r#""Brian O'Driscoll" rugby"#
        );
        // A phrase in single quotes, as tantivy reads it, is left alone.
        assert_eq!(text("'peace talks' Kyiv"), "'peace talks' Kyiv");
        assert_eq!(text("Blair’s"), "Blair’s");
    }

    #[test]
    fn apostrophe_words_keep_brackets_boosts_and_signs_outside_their_quotes() {
        let text = |q: &str| parse(q).unwrap().text;
        assert_eq!(text("(Blair's OR Brown)"), r#"("Blair's" OR Brown)"#);
        assert_eq!(text("(Blair's)"), r#"("Blair's")"#);
        assert_eq!(text("Blair's^2"), r#""Blair's"^2"#);
        assert_eq!(text("(Blair's)^1.5"), r#"("Blair's")^1.5"#);
        assert_eq!(text("x -(Blair's)"), r#"x -("Blair's")"#);
        assert_eq!(text("title:(O'Neill)"), r#"title:("O'Neill")"#);
        assert_eq!(text("(Joneses')"), "(Joneses)");
    }

    #[test]
    fn comparison_signs_starting_a_word_are_punctuation() {
        let text = |q: &str| parse(q).unwrap().text;
        assert_eq!(text("profits > forecast"), "profits forecast");
        assert_eq!(text("profits >=forecast"), "profits forecast");
        assert_eq!(text("(profits <) x"), "(profits ) x");
        assert_eq!(text("a (>) b"), "a b");
        assert!(parse("title:>x").is_err());
    }

    #[test]
    fn splits_filters_from_keywords() {
        let p =
            parse(r#""peace talks" Kyiv after:2025-11-01 before:2025-12-31 -sanctions"#).unwrap();
        assert_eq!(p.text, r#""peace talks" Kyiv -sanctions"#);
        assert_eq!(p.from.unwrap().to_string(), "2025-11-01T00:00:00Z");
        assert_eq!(p.to.unwrap().to_string(), "2025-12-31T00:00:00Z");
    }

    #[test]
    fn exclusions_alone_are_kept_apart_from_the_text() {
        let p = parse(r#"place:Rotterdam -strike -"night shift""#).unwrap();
        assert!(p.is_filter_only());
        assert_eq!(p.excluded, ["strike", r#""night shift""#]);
        // Beside a required word they stay in the text, for tantivy.
        let p = parse("port -strike").unwrap();
        assert_eq!(p.text, "port -strike");
        assert!(p.excluded.is_empty());
    }

    #[test]
    fn month_and_year_forms() {
        let p = parse("date:2025-11").unwrap();
        assert!(p.is_filter_only());
        assert_eq!(p.from.unwrap().to_string(), "2025-11-01T00:00:00Z");
        assert_eq!(p.to.unwrap().to_string(), "2025-12-01T00:00:00Z");
        let p = parse("on:2024-02-29").unwrap();
        assert_eq!(p.to.unwrap().to_string(), "2024-03-01T00:00:00Z");
        let p = parse("date:2025 after:2025-06-15").unwrap();
        assert_eq!(p.from.unwrap().to_string(), "2025-06-15T00:00:00Z");
        assert_eq!(p.to.unwrap().to_string(), "2026-01-01T00:00:00Z");
    }

    #[test]
    fn entity_operators() {
        let p = parse(r#"person:"Vladimir Putin" org:NATO -place:Kyiv talks entity:EU"#).unwrap();
        assert_eq!(p.text, "talks");
        let got: Vec<(Option<EntityKind>, &str, bool)> = p
            .entities
            .iter()
            .map(|e| (e.kind, e.name.as_str(), e.negated))
            .collect();
        assert_eq!(
            got,
            [
                (Some(EntityKind::Person), "Vladimir Putin", false),
                (Some(EntityKind::Organization), "NATO", false),
                (Some(EntityKind::Place), "Kyiv", true),
                (None, "EU", false),
            ]
        );
        assert!(parse("person:").is_err());
    }

    #[test]
    fn bad_dates_and_quotes_are_errors() {
        assert!(parse("after:yesterday").is_err());
        assert!(parse("on:2025-02-30").is_err());
        assert!(parse("date:25-11").is_err());
        assert!(parse(r#""unclosed phrase"#).is_err());
    }

    /// The last days of the calendar are dates like any other: a period
    /// that runs to its end has no upper bound, and `until:` includes its
    /// day, as the `--until` flag does.
    #[test]
    fn until_includes_its_day_and_the_calendar_ends_cleanly() {
        let range = |q: &str| {
            let p = parse(q).unwrap();
            (p.from.map(|t| t.to_string()), p.to.map(|t| t.to_string()))
        };
        let day = |s: &str| Some(format!("{s}T00:00:00Z"));
        assert_eq!(range("x until:2025-12-04"), (None, day("2025-12-05")));
        assert_eq!(range("x until:2025-12"), (None, day("2026-01-01")));
        assert_eq!(range("x before:2025-12-04"), (None, day("2025-12-04")));
        assert_eq!(range("x since:2025-12-04"), (day("2025-12-04"), None));
        assert_eq!(range("date:9999"), (day("9999-01-01"), None));
        assert_eq!(range("x until:9999-12-31"), (None, None));
        for q in ["after:9999-12-30", "after:9999-12-31", "on:9999-12-31"] {
            assert!(parse(q).is_ok(), "{q}");
        }
    }
}
