//! Published dates: parsing the many ways news writes a date, and finding one
//! in a record's metadata, its file path or the top of its text.
//!
//! Every parser returns a UTC [`Timestamp`] or `None`. A string that is not a
//! real calendar date (30 February, hour 25) is `None`, and so is an all-number
//! date whose day and month order cannot be told (`04/05/2025`): the caller then
//! falls back to the next source rather than guessing.

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
        if lower.contains("publish") || lower.contains("posted") {
            return Some((ts, i));
        }
        if first.is_none() {
            first = Some((ts, i));
        }
    }
    first
}

/// Parses a line that is (mostly) a date: `Published 4 December 2025`,
/// `Dec. 4, 2025 10:00 PM EST`, `Updated: 12 March 2025, 14:05 GMT`.
/// A long line or a line with many other words is not a date line.
pub fn date_line(line: &str) -> Option<Timestamp> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 80 {
        return None;
    }
    let ts = parse_date(line)?;
    let words = tokens(line)
        .iter()
        .filter(|t| matches!(t, Tok::Word(w) if !is_filler(w) && month(w).is_none() && tz_offset(w).is_none() && !is_weekday(w) && !is_meridiem(w)))
        .count();
    (words <= 3).then_some(ts)
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

/// A month or weekday name, in lowercase ("december", "dec", "monday").
pub(crate) fn month_or_weekday(w: &str) -> bool {
    month(w).is_some() || is_weekday(w)
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
/// `2025/12/04`. Returns `None` when any part is invalid or the order of an
/// all-number date is ambiguous.
fn parse_human(s: &str) -> Option<Timestamp> {
    let toks = tokens(s);
    let date = find_date(&toks)?;
    let (time, zone) = find_time(&toks)?;
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

fn find_date(toks: &[Tok]) -> Option<Date> {
    for i in 0..toks.len() {
        match &toks[i] {
            Tok::Word(w) => {
                let Some(m) = month(w) else { continue };
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
                        return civil(y, m, d);
                    }
                }
                // Day first: "4 December 2025", "4th Dec. 2025".
                let mut b = i;
                if b >= 1
                    && matches!(&toks[b - 1], Tok::Word(w) if matches!(w.as_str(), "st"|"nd"|"rd"|"th"))
                {
                    b -= 1;
                }
                if b >= 1 {
                    if let Some(d) = num(toks.get(b - 1), 1..=2) {
                        let mut k = i + 1;
                        if toks.get(k) == Some(&Tok::Sym('.')) {
                            k += 1;
                        }
                        if toks.get(k) == Some(&Tok::Sym(',')) {
                            k += 1;
                        }
                        if let Some(y) = num(toks.get(k), 4..=4) {
                            return civil(y, m, d);
                        }
                    }
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
                        return civil(n.parse().ok()?, m, d);
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
                    } else if *s1 == '.' {
                        // Dotted dates are day-first wherever they are written.
                        (a, b)
                    } else {
                        return None;
                    };
                    return civil(y, m, d);
                }
            }
            _ => {}
        }
    }
    None
}

/// Finds `HH:MM[:SS] [am|pm] [zone]`. The outer `None` means an invalid time
/// (the whole string is then not a date); `Some((None, _))` means no time.
#[allow(clippy::type_complexity)]
fn find_time(toks: &[Tok]) -> Option<(Option<Time>, Option<Zone>)> {
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
            if is_meridiem(w) {
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
mod tests {
    #[test]
    fn a_file_path_is_read_whole_and_absolute() {
        let t = |p: &str| from_file_path(std::path::Path::new(p)).map(|t| t.to_string());
        let dec3 = Some("2025-12-03T00:00:00Z".to_string());
        assert_eq!(t("/srv/c/2025/12/03/talks.txt"), dec3);
        assert_eq!(t("/srv/c/2025/12/04/../03/talks.txt"), dec3);
        assert_eq!(
            t("/srv/c/2025/12/talks.txt").as_deref(),
            Some("2025-12-01T00:00:00Z")
        );
        // Folder names that are not a year and a month date nothing.
        assert_eq!(t("/srv/notes/12/talks.txt"), None);
        assert_eq!(t("/srv/v2/1999-list/talks.txt"), None);
        // A relative path is read from the working folder, and keeps its own.
        assert_eq!(t("c/2025/12/03/talks.txt"), dec3);
    }

    use super::*;

    fn utc(s: &str) -> Option<String> {
        parse_date(s).map(|t| t.to_string())
    }

    /// Real-world date strings and what they mean, in UTC.
    #[test]
    fn date_table() {
        let table: &[(&str, Option<&str>)] = &[
            ("2025-12-04T10:00:00Z", Some("2025-12-04T10:00:00Z")),
            ("2025-12-04T10:00:00+01:00", Some("2025-12-04T09:00:00Z")),
            (
                "2025-12-04T10:00:00.123-05:00",
                Some("2025-12-04T15:00:00.123Z"),
            ),
            ("2025-03-14 09:30:00", Some("2025-03-14T09:30:00Z")),
            ("2025-03-14", Some("2025-03-14T00:00:00Z")),
            (
                "Tue, 14 Oct 2025 08:00:00 GMT",
                Some("2025-10-14T08:00:00Z"),
            ),
            (
                "Thu, 04 Dec 2025 22:00:00 +0100",
                Some("2025-12-04T21:00:00Z"),
            ),
            ("December 4, 2025", Some("2025-12-04T00:00:00Z")),
            ("4 December 2025", Some("2025-12-04T00:00:00Z")),
            ("4 Dec 2025", Some("2025-12-04T00:00:00Z")),
            ("Dec. 4, 2025", Some("2025-12-04T00:00:00Z")),
            ("Dec. 4, 2025 10:00 PM EST", Some("2025-12-05T03:00:00Z")),
            ("Published 4 December 2025", Some("2025-12-04T00:00:00Z")),
            (
                "Published: December 4, 2025 at 10:00 a.m. ET",
                Some("2025-12-04T15:00:00Z"),
            ),
            (
                "Updated: 12 March 2025, 14:05 GMT",
                Some("2025-03-12T14:05:00Z"),
            ),
            ("Thursday 4th December 2025", Some("2025-12-04T00:00:00Z")),
            ("Sept. 9, 2025", Some("2025-09-09T00:00:00Z")),
            ("9 September 2025 18:30 BST", Some("2025-09-09T17:30:00Z")),
            ("June 1, 2025 9:15 am PT", Some("2025-06-01T16:15:00Z")),
            ("January 15, 2025 9:15 am PT", Some("2025-01-15T17:15:00Z")),
            ("3 July 2025 11:00 CEST", Some("2025-07-03T09:00:00Z")),
            ("3 January 2025 11:00 CET", Some("2025-01-03T10:00:00Z")),
            ("July 3, 2025 8:00 pm EDT", Some("2025-07-04T00:00:00Z")),
            ("2025/12/04", Some("2025-12-04T00:00:00Z")),
            ("04.12.2025", Some("2025-12-04T00:00:00Z")),
            ("04.12.2025 14:05", Some("2025-12-04T14:05:00Z")),
            ("25/12/2025", Some("2025-12-25T00:00:00Z")),
            ("12/25/2025", Some("2025-12-25T00:00:00Z")),
            ("04/05/2025", None), // day-first or month-first: not guessed
            ("30 February 2025", None),
            ("February 29, 2024", Some("2024-02-29T00:00:00Z")),
            ("February 29, 2025", None),
            ("4 December 2025 605:00", None),
            ("4 December 2025 25:10", None),
            ("2025-13-01", None),
            ("May 2025", None), // no day: not a publication date
            ("yesterday", None),
            ("", None),
            ("1733349600", Some("2024-12-04T22:00:00Z")),
            ("0001-01-01T00:00:00Z", None),
            ("9999-12-31", None),
            ("4 December 2025 UTC+2 10:00", Some("2025-12-04T10:00:00Z")),
            ("4 December 2025 10:00 UTC+2", Some("2025-12-04T08:00:00Z")),
            ("10pm December 4, 2025", Some("2025-12-04T22:00:00Z")),
        ];
        let mut failures = Vec::new();
        for (input, want) in table {
            let got = utc(input);
            if got.as_deref() != *want {
                failures.push(format!("{input:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(table.len() >= 40);
    }

    #[test]
    fn path_table() {
        let table: &[(&str, Option<&str>)] = &[
            ("corpus/2025/12/04/talks.txt", Some("2025-12-04T00:00:00Z")),
            ("corpus/2025/12/talks.txt", Some("2025-12-01T00:00:00Z")),
            ("corpus/2025-12-04-talks.txt", Some("2025-12-04T00:00:00Z")),
            ("corpus/2025_12_04_talks.txt", Some("2025-12-04T00:00:00Z")),
            ("corpus/20251204-talks.txt", Some("2025-12-04T00:00:00Z")),
            ("archive/2025/02/30/x.txt", Some("2025-02-01T00:00:00Z")),
            ("archive/sport/199.txt", None),
            ("archive/12345678901/x.txt", None),
            ("2025/notes.txt", None),
            // A folder named as a whole date dates its files.
            (
                "archive/2003-06-12/floods.txt",
                Some("2003-06-12T00:00:00Z"),
            ),
            (
                "archive/2003_06_12/floods.txt",
                Some("2003-06-12T00:00:00Z"),
            ),
            ("archive/20030612/floods.txt", Some("2003-06-12T00:00:00Z")),
            (
                "archive/2003-06-12/x/floods.txt",
                Some("2003-06-12T00:00:00Z"),
            ),
            ("1999/2003-06-12/floods.txt", Some("2003-06-12T00:00:00Z")),
            ("archive/2003-06-31/floods.txt", None),
            ("archive/200306/floods.txt", None),
            ("archive/2003-0612/floods.txt", None),
            ("archive/123456789/floods.txt", None),
        ];
        for (input, want) in table {
            let got = from_path(input).map(|t| t.to_string());
            assert_eq!(got.as_deref(), *want, "{input}");
        }
    }

    #[test]
    fn text_prefers_published_line_and_ignores_sentences() {
        let lines = [
            "Updated: 12 March 2025, 14:05 GMT",
            "Published 10 March 2025",
            "Ministers met on 4 December 2025 to discuss the budget for the coming year and beyond.",
        ];
        let (ts, i) = from_text(&lines).unwrap();
        assert_eq!(ts.to_string(), "2025-03-10T00:00:00Z");
        assert_eq!(i, 1);
        assert!(from_text(&lines[2..]).is_none());
    }
}
