//! Published dates: parsing the many ways news writes a date, and finding one
//! in a record's metadata, its file path or the top of its text.
//!
//! Every parser returns a UTC [`Timestamp`] or `None`. A string that is not a
//! real calendar date (30 February, hour 25) is `None`, and so is an all-number
//! date whose day and month order cannot be told (`04/05/2025`): the caller then
//! falls back to the next source rather than guessing.
//!
//! Dates written in French, German, Spanish, Italian and Portuguese are read
//! too ("Publié le 4 décembre 2025 à 14h30", "4. Dezember 2025", "4 de
//! diciembre de 2025"); their words are in `dates/words.rs`. English is read
//! exactly as it was: those words take part only where a line shows it is
//! not English, through a word no English line has ("décembre",
//! "Veröffentlicht", "jueves") or a date in the languages' own order (day,
//! month name, year). Such a line reads an all-number date day first
//! (`Publicado em 04/12/2025`), as these languages write them, and its
//! small words ("le", "am", "de") are not counted against a date line.

mod words;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

/// Parses a date from a metadata value (a JSON field, a `<meta>` tag, JSON-LD).
///
/// Strict machine formats (RFC 3339, RFC 2822, `2025-03-14 09:30:00`,
/// `2025-03-14`) are tried first, then the forms people write. A value without
/// a zone is taken as UTC.
pub fn parse_date(value: &str) -> Option<Timestamp> {
    parse_any(value).filter(|t| plausible(*t))
}

/// A date an article can have: placeholders such as 0001-01-01 or
/// 9999-12-31 are no date at all.
pub fn plausible(t: Timestamp) -> bool {
    (1900..=2100).contains(&Offset::UTC.to_datetime(t).year())
}

fn parse_any(value: &str) -> Option<Timestamp> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Some(iso) = east_asian(v) {
        return parse_any(&iso);
    }
    if let Ok(ts) = v.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(zdt) = jiff::fmt::rfc2822::parse(v) {
        return Some(zdt.timestamp());
    }
    if let Ok(dt) = v.parse::<DateTime>() {
        return Offset::UTC.to_timestamp(dt).ok();
    }
    if let Ok(d) = v.parse::<Date>() {
        return Offset::UTC
            .to_timestamp(d.to_datetime(Time::midnight()))
            .ok();
    }
    // Unix seconds, as some scrapers store them.
    if v.len() >= 9 && v.len() <= 11 && v.bytes().all(|b| b.is_ascii_digit()) {
        return v
            .parse::<i64>()
            .ok()
            .and_then(|s| Timestamp::from_second(s).ok());
    }
    parse_human(v)
}

/// Finds a date in a file's whole path, as [`from_path`] reads it, from
/// the path made absolute: the folders above the one indexed count too, so
/// a file dated by its folders (`.../2025/12/03/talks.txt`) gets the same
/// date whichever folder is indexed, and when `extract` is given the file.
/// Symbolic links are not followed: the path as the user named it is the
/// archive's own naming, where a link's target may be anywhere. `..` is
/// taken lexically for the same reason.
pub fn from_file_path(path: &std::path::Path) -> Option<Timestamp> {
    use std::path::Component;
    let abs = std::path::absolute(path).ok()?;
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in abs.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    let joined: Vec<String> = parts
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    from_path(&joined.join("/"))
}

/// Finds a date in a file path: `2025/12/04/slug.txt`, `2025/12/slug.txt`
/// (the first of the month), or a file name that starts with `2025-12-04`,
/// `2025_12_04` or `20251204`. A folder named that way dates the files in
/// it too (`2025-12-04/slug.txt`), by the same rule as a file name; the
/// folder nearest the file wins.
pub fn from_path(path: &str) -> Option<Timestamp> {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let file = parts.last()?;
    if let Some(d) = date_prefix(file) {
        return midnight(d);
    }
    // Directory components, nearest to the file first: .../YYYY/MM[/DD]/file
    let dirs = &parts[..parts.len() - 1];
    for end in (1..=dirs.len()).rev() {
        let window = &dirs[..end];
        let n = window.len();
        // Archives made by day often name the day's folder, not the file:
        // the file-name rule, which wants eight digits as a whole date,
        // dates nothing from other numbers ("v2", "1999-list").
        if let Some(d) = date_prefix(window[n - 1]) {
            return midnight(d);
        }
        let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
            (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i32>().ok())
                .flatten()
        };
        if n >= 3 {
            if let (Some(y), Some(m), Some(d)) = (
                num(window[n - 3], 4..=4),
                num(window[n - 2], 1..=2),
                num(window[n - 1], 1..=2),
            ) {
                if let Some(date) = civil(y, m, d) {
                    return midnight(date);
                }
            }
        }
        if n >= 2 {
            if let (Some(y), Some(m)) = (num(window[n - 2], 4..=4), num(window[n - 1], 1..=2)) {
                if let Some(date) = civil(y, m, 1) {
                    return midnight(date);
                }
            }
        }
    }
    None
}

/// Looks for a dateline or a "Published" line among the first lines of a text.
///
/// Only short lines count: a date in the middle of a sentence is an event in
/// the story, not the day the story was published. Returns the date and the
/// index of the line that held it. A "Published"/"Posted" line wins over an
/// "Updated" one.
pub fn from_text(lines: &[&str]) -> Option<(Timestamp, usize)> {
    let mut first: Option<(Timestamp, usize)> = None;
    for (i, line) in lines.iter().enumerate().take(12) {
        let Some(ts) = date_line(line) else { continue };
        let lower = line.to_ascii_lowercase();
        let published = tokens(line)
            .iter()
            .any(|t| matches!(t, Tok::Word(w) if words::is_published(w)));
        if lower.contains("publish") || lower.contains("posted") || published {
            return Some((ts, i));
        }
        if first.is_none() {
            first = Some((ts, i));
        }
    }
    first
}

/// Parses a line that is (mostly) a date: `Published 4 December 2025`,
/// `Dec. 4, 2025 10:00 PM EST`, `Updated: 12 March 2025, 14:05 GMT`,
/// `Publié le 4 décembre 2025 à 14h30`, `Berlin, 04.12.2025`.
/// A long line or a line with many other words is not a date line.
pub fn date_line(line: &str) -> Option<Timestamp> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 80 {
        return None;
    }
    if let Some(iso) = east_asian(line) {
        return date_line(&iso);
    }
    let ts = parse_date(line)?;
    let toks = tokens(line);
    let foreign = read_date(&toks).is_some_and(|(_, foreign)| foreign);
    let local = |i: usize, w: &str| {
        foreign
            && (words::is_date_word(w)
                || (words::is_short_weekday(w)
                    && matches!(toks.get(i + 1), Some(Tok::Sym('.' | ',')))))
    };
    let words = toks
        .iter()
        .enumerate()
        .filter(|(i, t)| matches!(t, Tok::Word(w) if !is_filler(w) && month(w).is_none() && tz_offset(w).is_none() && !is_weekday(w) && !is_meridiem(w) && !local(*i, w)))
        .count();
    (words <= 3).then_some(ts)
}

/// A date as Chinese, Japanese and Korean write it ("2026年6月23日 10:30",
/// "2026년 6월 23일"), with what follows it, rewritten as ISO
/// ("2026-06-23 10:30"); `None` for any other text. The words before the
/// date ("发布时间：") are dropped with it: a line that is a date and a
/// label is a date line in any language.
fn east_asian(line: &str) -> Option<String> {
    let (year, rest) = line.split_once(['年', '년'])?;
    let (month, rest) = rest.split_once(['月', '월'])?;
    let (day, rest) = rest.split_once(['日', '일'])?;
    let number = |s: &str, len: std::ops::RangeInclusive<usize>| {
        let digits: String = s
            .trim()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        let digits: String = digits.chars().rev().collect();
        let whole = s.trim().len() == digits.len();
        (len.contains(&digits.len())
            && (whole || s.trim().starts_with(|c: char| !c.is_ascii_digit())))
        .then(|| digits.parse::<i32>().ok())
        .flatten()
    };
    let (y, m, d) = (
        number(year, 4..=4)?,
        number(month, 1..=2)?,
        number(day, 1..=2)?,
    );
    // A label before ("发布时间：") and a time or source after are a date
    // line; a sentence that gives a date is not.
    let label = year.trim().chars().count() - 4;
    if month.trim().len() > 2 || day.trim().len() > 2 || label > 10 || rest.chars().count() > 24 {
        return None;
    }
    // A weekday in brackets after the date: "（火）", "(화)".
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix(['(', '（']) {
        Some(r) => r.split_once([')', '）']).map_or(rest, |(_, after)| after),
        None => rest,
    };
    Some(
        format!("{y:04}-{m:02}-{d:02} {}", rest.trim())
            .trim_end()
            .to_string(),
    )
}

fn civil(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

fn midnight(d: Date) -> Option<Timestamp> {
    Offset::UTC
        .to_timestamp(d.to_datetime(Time::midnight()))
        .ok()
}

fn date_prefix(name: &str) -> Option<Date> {
    let digits: String = name
        .chars()
        .take(10)
        .filter(|c| *c != '-' && *c != '_')
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() < 8 {
        return None;
    }
    let b = name.as_bytes();
    // Either YYYYMMDD or YYYY-MM-DD / YYYY_MM_DD, followed by a non-digit.
    let (len, sep_ok) = if b.len() >= 10 && (b[4] == b'-' || b[4] == b'_') && b[7] == b[4] {
        (10, true)
    } else {
        (8, b[..8].iter().all(u8::is_ascii_digit))
    };
    if !sep_ok || b.get(len).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    civil(
        digits[0..4].parse().ok()?,
        digits[4..6].parse().ok()?,
        digits[6..8].parse().ok()?,
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(String),
    Sym(char),
}

fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(d);
                chars.next();
            }
            out.push(Tok::Num(n));
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphabetic()) {
                w.extend(d.to_lowercase());
                chars.next();
            }
            // "a.m." and "p.m." are one word.
            if (w == "a" || w == "p") && chars.peek() == Some(&'.') {
                let mut look = chars.clone();
                look.next();
                if look.next().is_some_and(|c| c == 'm' || c == 'M') {
                    chars.next();
                    chars.next();
                    if chars.peek() == Some(&'.') {
                        chars.next();
                    }
                    w.push('m');
                }
            }
            out.push(Tok::Word(w));
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Sym(c));
            }
            chars.next();
        }
    }
    out
}

fn month(w: &str) -> Option<i32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|n| *n == w || (w.len() == 3 && n.starts_with(w)))
        .map(|i| i as i32 + 1)
}

/// A month or weekday name, in lowercase ("december", "dec", "monday",
/// "décembre", "donnerstag"). Of the other languages only names written
/// out count, and not those English uses too ("mars", "mai"): a headline
/// made of them is not taken for a date.
pub(crate) fn month_or_weekday(w: &str) -> bool {
    month(w).is_some() || is_weekday(w) || words::is_distinct_name(w)
}

fn is_weekday(w: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    w.len() >= 3
        && DAYS
            .iter()
            .any(|d| *d == w || (w.len() <= 4 && d.starts_with(w)))
}

fn is_meridiem(w: &str) -> bool {
    matches!(w, "am" | "pm")
}

fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "published"
            | "updated"
            | "posted"
            | "last"
            | "modified"
            | "on"
            | "at"
            | "the"
            | "of"
            | "st"
            | "nd"
            | "rd"
            | "th"
            | "t"
            | "z"
    )
}

/// Time-zone abbreviations that news uses. US names without S/D (ET, PT) follow
/// daylight saving time, so they are resolved through the zone database.
enum Zone {
    Fixed(i32),
    Named(&'static str),
}

fn tz_offset(w: &str) -> Option<Zone> {
    Some(match w {
        "utc" | "gmt" | "z" => Zone::Fixed(0),
        "bst" => Zone::Fixed(3600),
        "cet" => Zone::Fixed(3600),
        "cest" => Zone::Fixed(7200),
        // German names of CET and CEST.
        "mez" => Zone::Fixed(3600),
        "mesz" => Zone::Fixed(7200),
        "eet" => Zone::Fixed(7200),
        "eest" => Zone::Fixed(10800),
        "est" => Zone::Fixed(-5 * 3600),
        "edt" => Zone::Fixed(-4 * 3600),
        "cst" => Zone::Fixed(-6 * 3600),
        "cdt" => Zone::Fixed(-5 * 3600),
        "mst" => Zone::Fixed(-7 * 3600),
        "mdt" => Zone::Fixed(-6 * 3600),
        "pst" => Zone::Fixed(-8 * 3600),
        "pdt" => Zone::Fixed(-7 * 3600),
        "et" => Zone::Named("America/New_York"),
        "ct" => Zone::Named("America/Chicago"),
        "mt" => Zone::Named("America/Denver"),
        "pt" => Zone::Named("America/Los_Angeles"),
        _ => return None,
    })
}

/// Parses the forms people write: `December 4, 2025`, `4 Dec 2025`,
/// `Thursday 4th December 2025 at 10:00 a.m. ET`, `04.12.2025 14:05`,
/// `2025/12/04`, `jeudi 4 décembre 2025 à 14h30`. Returns `None` when any
/// part is invalid or the order of an all-number date is ambiguous.
///
/// A time without a zone is UTC, in every language: "14h30" on a French
/// page is read as the English code reads "2:30pm" on a London one.
fn parse_human(s: &str) -> Option<Timestamp> {
    let toks = tokens(s);
    let (date, foreign) = read_date(&toks)?;
    let (time, zone) = find_time(&toks, foreign)?;
    let dt = date.to_datetime(time.unwrap_or(Time::midnight()));
    match zone {
        Some(Zone::Fixed(secs)) => Offset::from_seconds(secs).ok()?.to_timestamp(dt).ok(),
        Some(Zone::Named(name)) => TimeZone::get(name).ok()?.to_timestamp(dt).ok(),
        None => Offset::UTC.to_timestamp(dt).ok(),
    }
}

fn num(t: Option<&Tok>, len: std::ops::RangeInclusive<usize>) -> Option<i32> {
    match t {
        Some(Tok::Num(n)) if len.contains(&n.len()) => n.parse().ok(),
        _ => None,
    }
}

/// The date in `toks`, and whether the line is in one of the other
/// languages: it has a word of theirs no English line has, or its date is
/// one of their month names.
fn read_date(toks: &[Tok]) -> Option<(Date, bool)> {
    // Looked for only when needed: most lines read have no date at all.
    let signal = || {
        toks.iter()
            .any(|t| matches!(t, Tok::Word(w) if month(w).is_none() && words::is_signal(w)))
    };
    let (date, named) = find_date(toks, signal)?;
    Some((date, named || signal()))
}

/// The first date in `toks`, and whether its month is named in one of the
/// other languages. `day_first` says whether an all-number date whose order
/// cannot be told from its numbers is day first.
fn find_date(toks: &[Tok], day_first: impl Fn() -> bool) -> Option<(Date, bool)> {
    for i in 0..toks.len() {
        match &toks[i] {
            Tok::Word(w) => {
                let english = month(w);
                let Some(m) = english.or_else(|| words::month(w)) else {
                    continue;
                };
                let named = english.is_none();
                // Day first: "4 December 2025", "4th Dec. 2025", "4.
                // Dezember 2025", "1er décembre 2025", "4 de diciembre de
                // 2025". Tried after month first for an English month, as
                // it always was.
                let day_first = || {
                    let d = day_before(toks, i)?;
                    let y = year_after(toks, i + 1)?;
                    Some(civil(y, m, d).map(|date| (date, named)))
                };
                // The other languages put the day first: "mars 4, 2025" is
                // the planet.
                if named {
                    match day_first() {
                        Some(found) => return found,
                        None => continue,
                    }
                }
                // Month first: "December 4, 2025", "Dec. 4 2025".
                let mut j = i + 1;
                if toks.get(j) == Some(&Tok::Sym('.')) {
                    j += 1;
                }
                if let Some(d) = num(toks.get(j), 1..=2) {
                    let mut k = j + 1;
                    if matches!(toks.get(k), Some(Tok::Word(w)) if matches!(w.as_str(), "st"|"nd"|"rd"|"th"))
                    {
                        k += 1;
                    }
                    if toks.get(k) == Some(&Tok::Sym(',')) {
                        k += 1;
                    }
                    if let Some(y) = num(toks.get(k), 4..=4) {
                        return civil(y, m, d).map(|date| (date, false));
                    }
                }
                if let Some(found) = day_first() {
                    return found;
                }
            }
            Tok::Num(n) if n.len() == 4 => {
                // ISO-like: 2025-12-04, 2025/12/04, 2025.12.04
                if let (Some(Tok::Sym(s1)), Some(m), Some(Tok::Sym(s2)), Some(d)) = (
                    toks.get(i + 1),
                    num(toks.get(i + 2), 1..=2),
                    toks.get(i + 3),
                    num(toks.get(i + 4), 1..=2),
                ) {
                    if s1 == s2 && matches!(s1, '-' | '/' | '.') {
                        return civil(n.parse().ok()?, m, d).map(|date| (date, false));
                    }
                }
            }
            Tok::Num(n) if n.len() <= 2 => {
                // All-number day/month/year: only when the order is certain.
                if let (Some(Tok::Sym(s1)), Some(b), Some(Tok::Sym(s2)), Some(y)) = (
                    toks.get(i + 1),
                    num(toks.get(i + 2), 1..=2),
                    toks.get(i + 3),
                    num(toks.get(i + 4), 4..=4),
                ) {
                    if s1 != s2 || !matches!(s1, '-' | '/' | '.') {
                        continue;
                    }
                    let a: i32 = n.parse().ok()?;
                    let (d, m) = if a > 12 && b <= 12 {
                        (a, b)
                    } else if b > 12 && a <= 12 {
                        (b, a)
                    } else if a == b {
                        (a, b)
                    } else if *s1 == '.' || day_first() {
                        // Dotted dates are day-first wherever they are
                        // written, and all of them are in the other
                        // languages.
                        (a, b)
                    } else {
                        return None;
                    };
                    return civil(y, m, d).map(|date| (date, false));
                }
            }
            _ => {}
        }
    }
    None
}

/// The day before a month name at `i`: "4", "4th", "4.", "1er", "1º",
/// "1.º", "1°", each maybe followed by "de" ("4 de diciembre").
fn day_before(toks: &[Tok], i: usize) -> Option<i32> {
    let mut b = i;
    let word_before =
        |b: usize, f: fn(&str) -> bool| b >= 1 && matches!(&toks[b - 1], Tok::Word(w) if f(w));
    if word_before(b, words::joins_day_month) {
        b -= 1;
    }
    if word_before(b, |w| {
        matches!(w, "st" | "nd" | "rd" | "th") || words::is_ordinal(w)
    }) || (b >= 1 && toks[b - 1] == Tok::Sym('°'))
    {
        b -= 1;
    }
    // German writes the day as an ordinal with a dot ("4. Dezember"), and
    // Portuguese "1.º".
    if b >= 1 && toks[b - 1] == Tok::Sym('.') {
        b -= 1;
    }
    num(toks.get(b.checked_sub(1)?), 1..=2)
}

/// The year after a month name that ends before `k`: "2025", ". 2025",
/// ", 2025", "de 2025", "del 2025".
fn year_after(toks: &[Tok], mut k: usize) -> Option<i32> {
    if toks.get(k) == Some(&Tok::Sym('.')) {
        k += 1;
    }
    if toks.get(k) == Some(&Tok::Sym(',')) {
        k += 1;
    }
    if matches!(toks.get(k), Some(Tok::Word(w)) if words::joins_month_year(w)) {
        k += 1;
    }
    num(toks.get(k), 4..=4)
}

/// Finds `HH:MM[:SS] [am|pm] [zone]`, and on a line in one of the other
/// languages (`foreign`) their forms too ([`local_time`]). The outer `None`
/// means an invalid time (the whole string is then not a date);
/// `Some((None, _))` means no time.
#[allow(clippy::type_complexity)]
fn find_time(toks: &[Tok], foreign: bool) -> Option<(Option<Time>, Option<Zone>)> {
    let mut time = None;
    let mut after = 0;
    for i in 0..toks.len() {
        let (Some(h), Some(Tok::Sym(':')), Some(m)) = (
            num(toks.get(i), 1..=2),
            toks.get(i + 1),
            num(toks.get(i + 2), 2..=2),
        ) else {
            continue;
        };
        // A date's "2025-12-04T10:00" splits as ... "04", "t10"? No: digits and
        // letters are separate tokens, so "T" is a word of its own.
        let mut k = i + 3;
        let mut s = 0;
        if toks.get(k) == Some(&Tok::Sym(':')) {
            s = num(toks.get(k + 1), 2..=2)?;
            k += 2;
        }
        let mut h = h;
        if let Some(Tok::Word(w)) = toks.get(k) {
            // German "am" before a day is "on": "um 12:30 am 4. Dezember",
            // "um 12:30 am Donnerstag".
            let on_day = foreign
                && w == "am"
                && match toks.get(k + 1) {
                    Some(Tok::Num(_)) => true,
                    Some(Tok::Word(d)) => is_weekday(d) || words::is_weekday(d),
                    _ => false,
                };
            if is_meridiem(w) && !on_day {
                if !(1..=12).contains(&h) {
                    return None;
                }
                h = match (w.as_str(), h) {
                    ("am", 12) => 0,
                    ("pm", 12) => 12,
                    ("pm", h) => h + 12,
                    (_, h) => h,
                };
                k += 1;
            }
        }
        time = Some(
            Time::new(
                i8::try_from(h).ok()?,
                i8::try_from(m).ok()?,
                i8::try_from(s).ok()?,
                0,
            )
            .ok()?,
        );
        // "14:30 Uhr MEZ": the zone comes after the unit.
        if foreign && matches!(toks.get(k), Some(Tok::Word(w)) if words::is_hour_unit(w)) {
            k += 1;
        }
        after = k;
        break;
    }
    if time.is_none() {
        // A lone hour with am/pm: "10pm".
        for i in 0..toks.len() {
            if let (Some(h), Some(Tok::Word(w))) = (num(toks.get(i), 1..=2), toks.get(i + 1)) {
                if is_meridiem(w) && (1..=12).contains(&h) {
                    let h = if w == "pm" { h % 12 + 12 } else { h % 12 };
                    time = Some(Time::new(i8::try_from(h).ok()?, 0, 0, 0).ok()?);
                    after = i + 2;
                    break;
                }
            }
        }
    }
    if time.is_none() && foreign {
        if let Some((t, k)) = local_time(toks) {
            time = Some(t);
            after = k;
        }
    }
    if time.is_none() {
        // A colon-time that failed validation ("25:61") means no valid date.
        for w in toks.windows(3) {
            if let [Tok::Num(_), Tok::Sym(':'), Tok::Num(m)] = w {
                if m.len() == 2 {
                    return None;
                }
            }
        }
        return Some((None, None));
    }
    let zone = zone_after(&toks[after.min(toks.len())..]);
    Some((time, zone))
}

/// The times of day the other languages write without a colon: "14h30",
/// "14 h 30", "14h", "14 Uhr", "14.30 Uhr", "alle 14.30", "às 14.30", and
/// where the time ends. An hour or minute out of range is no time (it may
/// be a duration, "48h"), where a bad "25:61" makes the whole date invalid:
/// a colon leaves no doubt that a time was meant.
fn local_time(toks: &[Tok]) -> Option<(Time, usize)> {
    for i in 0..toks.len() {
        let Some(h) = num(toks.get(i), 1..=2) else {
            continue;
        };
        let (m, end) = match (toks.get(i + 1), toks.get(i + 2)) {
            (Some(Tok::Word(u)), next) if words::is_hour_unit(u) => {
                match num(next, 2..=2).filter(|_| u == "h") {
                    Some(m) => (m, i + 3),
                    None => (0, i + 2),
                }
            }
            (Some(Tok::Sym('.')), Some(Tok::Num(mm))) if mm.len() == 2 => {
                let unit = matches!(toks.get(i + 3), Some(Tok::Word(u)) if words::is_hour_unit(u));
                let cue =
                    i >= 1 && matches!(&toks[i - 1], Tok::Word(w) if words::is_before_time(w));
                // "um 04.12.2025" is a date, not a time.
                let date = toks.get(i + 3) == Some(&Tok::Sym('.'))
                    && matches!(toks.get(i + 4), Some(Tok::Num(_)));
                if !(unit || cue) || date {
                    continue;
                }
                (mm.parse().ok()?, if unit { i + 4 } else { i + 3 })
            }
            _ => continue,
        };
        let (Ok(h), Ok(m)) = (i8::try_from(h), i8::try_from(m)) else {
            continue;
        };
        if let Ok(t) = Time::new(h, m, 0, 0) {
            return Some((t, end));
        }
    }
    None
}

fn zone_after(toks: &[Tok]) -> Option<Zone> {
    match toks {
        [Tok::Word(w), rest @ ..] => {
            let base = tz_offset(w)?;
            // "UTC+2", "GMT+01:00"
            if let (Zone::Fixed(0), [Tok::Sym(sign @ ('+' | '-')), Tok::Num(n), more @ ..]) =
                (&base, rest)
            {
                return numeric_offset(*sign, n, more).or(Some(base));
            }
            Some(base)
        }
        [Tok::Sym(sign @ ('+' | '-')), Tok::Num(n), more @ ..] => numeric_offset(*sign, n, more),
        _ => None,
    }
}

fn numeric_offset(sign: char, n: &str, more: &[Tok]) -> Option<Zone> {
    let (h, m): (i32, i32) = match (n.len(), more) {
        (4, _) => (n[..2].parse().ok()?, n[2..].parse().ok()?),
        (1..=2, [Tok::Sym(':'), Tok::Num(mm), ..]) => (n.parse().ok()?, mm.parse().ok()?),
        (1..=2, _) => (n.parse().ok()?, 0),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
    Some(Zone::Fixed(secs))
}

#[cfg(test)]
mod tests;
