//! JSON and JSON Lines records from scrapers. Field names vary from scraper to
//! scraper, so each article field accepts the common names (news-please's
//! `maintext`/`date_publish`/`authors`, and `headline`, `text`, `body`,
//! `content`, `published`, `date`, `pubDate`, `author`, `byline`, ...). An `id`
//! may be a string or a number.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{squash, squash_into, unwrap, Draft};
use crate::enrich::dates;

const ID: &[&str] = &["id", "_id", "uuid", "guid", "article_id", "doc_id"];
const TITLE: &[&str] = &["title", "headline", "name"];
const STANDFIRST: &[&str] = &[
    "description",
    "standfirst",
    "summary",
    "subtitle",
    "subheadline",
    "dek",
    "lede",
    "abstract",
    "teaser",
];
const BODY: &[&str] = &[
    "maintext",
    "text",
    "body",
    "content",
    "article",
    "articleBody",
    "full_text",
    "fulltext",
];
const DATE: &[&str] = &[
    "date_publish",
    "published",
    "published_at",
    "publishedAt",
    "published_date",
    "publish_date",
    "datePublished",
    "pubDate",
    "pub_date",
    "date",
    "created_at",
    "timestamp",
];
const AUTHOR: &[&str] = &["authors", "author", "byline", "creator", "by"];
const URL: &[&str] = &["url", "link", "canonical_url", "source_url", "permalink"];
const LANGUAGE: &[&str] = &["language", "lang", "locale"];

/// Parses a `.json` file: one object, or an array of objects. The error is
/// the whole file's (not JSON, an empty array, no record readable); an
/// array's records are read one by one, so a bad one costs only itself.
pub fn parse_document(text: &str) -> Result<Vec<Result<Draft, String>>, String> {
    Ok(parse_items(text)?.into_iter().map(|(_, r)| r).collect())
}

/// An array item's base key ([`super::identity`]) and the hash of its
/// JSON; `None` for an item that is no JSON object, or a lone object.
pub(crate) type ItemKey = Option<(String, u64)>;

/// One item of a document: its [`ItemKey`], and its draft or why it has none.
pub(crate) type Item = (ItemKey, Result<Draft, String>);

/// [`parse_document`], each record with its [`ItemKey`].
pub(crate) fn parse_items(text: &str) -> Result<Vec<Item>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    match value {
        Value::Object(map) => Ok(vec![(None, Ok(from_object(&map)?))]),
        Value::Array(items) => {
            if items.is_empty() {
                return Err("empty JSON array".into());
            }
            let records: Vec<Item> = items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::Object(map) => {
                        // The item's own bytes are not kept apart: its JSON
                        // written out again (keys in order) stands for them.
                        let content = super::content_hash(item.to_string().as_bytes());
                        let base = super::identity::base_of_object(map, content);
                        let draft = from_object(map).map_err(|e| format!("record {}: {e}", i + 1));
                        (Some((base, content)), draft)
                    }
                    _ => (None, Err(format!("record {}: not a JSON object", i + 1))),
                })
                .collect();
            match records.iter().position(|(_, r)| r.is_ok()) {
                Some(_) => Ok(records),
                None => Err(match records.into_iter().find_map(|(_, r)| r.err()) {
                    Some(first) if items.len() > 1 => {
                        format!("no record readable; {first} (and {} more)", items.len() - 1)
                    }
                    Some(first) => first,
                    None => "empty JSON array".into(),
                }),
            }
        }
        _ => Err("expected a JSON object or an array of objects".into()),
    }
}

/// A record's own id and URL, as its article gets them.
pub(crate) fn id_and_url(map: &Map<String, Value>) -> (Option<String>, Option<String>) {
    (string(map, ID), string(map, URL))
}

/// Whether a field of a record can give its id or URL.
pub(crate) fn is_id_or_url_field(name: &str) -> bool {
    ID.contains(&name) || URL.contains(&name)
}

/// Parses one JSON Lines record.
pub fn parse_record(line: &str) -> Result<Draft, String> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => from_object(&map),
        Ok(_) => Err("not a JSON object".into()),
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
}

fn first<'a>(map: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .filter_map(|k| map.get(*k))
        .find(|v| !v.is_null() && v.as_str() != Some(""))
}

/// A one-line field (id, url, language): the first of the `keys` with a
/// string or number, or the first string of a list.
fn string(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    keys.iter()
        .filter_map(|k| map.get(*k))
        .find_map(|v| match v {
            Value::Array(items) => items.iter().find_map(|i| one(i).filter(|s| !s.is_empty())),
            v => one(v).filter(|s| !s.is_empty()),
        })
}

/// A text field as the record has it, without a copy (numbers written out,
/// a list of strings joined as paragraphs). The first of the `keys` that
/// gives text wins: a key holding something else (`"text": {"lang": "en"}`)
/// does not hide the next one (`"body"`).
fn text<'m>(map: &'m Map<String, Value>, keys: &[&str]) -> Option<Cow<'m, str>> {
    keys.iter()
        .filter_map(|k| map.get(*k))
        .find_map(|v| match v {
            Value::String(s) if !s.trim().is_empty() => Some(Cow::Borrowed(s.as_str())),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            Value::Array(items) => {
                let parts: Vec<&str> = items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect();
                (!parts.is_empty()).then(|| Cow::Owned(parts.join("\n\n")))
            }
            _ => None,
        })
}

fn authors(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Array(items) => items.iter().flat_map(authors).collect(),
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|s| vec![s.trim().to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn from_object(map: &Map<String, Value>) -> Result<Draft, String> {
    let mut draft = Draft::default();
    let a = &mut draft.article;
    let (id, url) = id_and_url(map);
    a.id = id.unwrap_or_default();
    a.title = text(map, TITLE).map(|s| squash(&s)).unwrap_or_default();
    a.standfirst = text(map, STANDFIRST)
        .map(|s| squash(&s))
        .unwrap_or_default();
    a.body = text(map, BODY)
        .map(|b| paragraphs(b.trim()))
        .unwrap_or_default();
    if a.title.is_empty() && a.body.is_empty() {
        return Err("record has neither a title nor any text".into());
    }
    if a.standfirst.is_empty() {
        // Some scrapers repeat the lede as the first paragraph of the text only.
    } else if let Some(rest) = a.body.strip_prefix(a.standfirst.as_str()) {
        a.body = rest.trim_start().to_string();
    }
    a.url = url;
    a.language = string(map, LANGUAGE);
    let names: Vec<String> = first(map, AUTHOR)
        .map(authors)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    a.byline = (!names.is_empty()).then(|| names.join(", "));
    // The first key whose value is a date: `"published": "unknown"` does
    // not hide `"date": "2020-02-02"`.
    a.published = DATE.iter().filter_map(|k| map.get(*k)).find_map(date_value);
    Ok(draft)
}

/// A date as JSON writes one: text, seconds or milliseconds since 1970, or
/// MongoDB's `{"$date": ...}` (with `{"$numberLong": "..."}` inside).
fn date_value(v: &Value) -> Option<jiff::Timestamp> {
    match v {
        Value::String(s) => dates::parse_date(s),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            // 0 and -1 are the usual placeholders for "no date", and no
            // article is from the last day of 1969.
            .filter(|secs| !(-86_400..=0).contains(secs))
            .and_then(|secs| {
                // Milliseconds are common in JavaScript-made exports.
                let secs = if secs.unsigned_abs() > 100_000_000_000 {
                    secs / 1000
                } else {
                    secs
                };
                jiff::Timestamp::from_second(secs).ok()
            })
            .filter(|t| dates::plausible(*t)),
        Value::Object(o) => match (o.get("$date"), o.get("$numberLong")) {
            (Some(d), _) => date_value(d),
            (None, Some(Value::String(n))) => n
                .parse::<i64>()
                .ok()
                .and_then(|n| date_value(&Value::from(n))),
            _ => None,
        },
        _ => None,
    }
}

/// Normalises paragraph breaks: blank-line separated paragraphs, each on one
/// line; single newlines inside a paragraph become spaces only when the text
/// has blank lines, since many scrapers put one paragraph per line.
/// Hard-wrapped prose is unwrapped first ([`super::unwrap`]), and then every
/// line break left is a paragraph's end: the unwrapping kept the lines it
/// found were meant (list items, table rows, short last lines).
pub(crate) fn paragraphs(text: &str) -> String {
    // One pass into one buffer: bodies are most of what byline reads, and
    // a copy per step (line endings, each paragraph, the join) showed up as
    // allocation and copying in indexing profiles.
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let (text, sep) = match unwrap::unwrap(&text) {
        Some(unwrapped) => (Cow::Owned(unwrapped), "\n"),
        None if text.contains("\n\n") => (text, "\n\n"),
        None => (text, "\n"),
    };
    let mut out = String::with_capacity(text.len());
    for p in text.split(sep) {
        if p.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        squash_into(p, &mut out);
    }
    out
}

#[cfg(test)]
mod paragraph_tests {
    use super::*;

    /// The plain version: replace, unwrap, split, squash each, drop empty,
    /// join.
    fn reference(text: &str) -> String {
        let text = text.replace("\r\n", "\n");
        let unwrapped = unwrap::unwrap(&text);
        let paras: Vec<String> = if let Some(text) = unwrapped {
            text.split('\n').map(squash).collect()
        } else if text.contains("\n\n") {
            text.split("\n\n").map(squash).collect()
        } else {
            text.split('\n').map(squash).collect()
        };
        paras
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn squash_collapses_white_space_exactly() {
        let pieces = [
            "a", "bc", " ", "  ", "\n", "\t", "\r", "\u{b}", "\u{c}", "\u{a0}", "é", "\u{2003}",
            "\u{85}",
        ];
        let mut seed: u64 = 5;
        for _ in 0..5000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 59) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let plain = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squash(&text), plain, "{text:?}");
        }
    }

    /// Long clean text with one flaw anywhere, also across the 64-byte
    /// blocks the clean-text test reads.
    #[test]
    fn squash_finds_one_flaw_in_long_text() {
        let clean: String = "ab cd efg h ".repeat(30);
        for flaw in [
            "  ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{a0}", "\u{3000}",
        ] {
            for at in (0..clean.len()).filter(|&i| clean.is_char_boundary(i)) {
                let text = format!("x{}{flaw}{}y", &clean[..at], &clean[at..]);
                let plain = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(squash(&text), plain, "{flaw:?} at {at}");
            }
        }
        let text = format!("x{clean}y");
        assert_eq!(
            squash(&text),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn paragraphs_match_the_plain_version() {
        let pieces = [
            "a", "bc", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\t", "\u{a0}", "é", "\u{2003}",
            "x y",
        ];
        let mut seed: u64 = 99;
        for _ in 0..5000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 58) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(paragraphs(&text), reference(&text), "{text:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_of(value: &str) -> Option<String> {
        let rec = format!(r#"{{"title": "Harbour pears", "date": {value}}}"#);
        parse_record(&rec)
            .unwrap()
            .article
            .published
            .map(|t| t.to_string())
    }

    #[test]
    fn the_first_alias_with_usable_text_wins() {
        let a = |rec: &str| parse_record(rec).unwrap().article;
        let list = a(r#"{"title": "Camels", "text": ["Camels cross.", " ", "Dromedaries too."]}"#);
        assert_eq!(list.body, "Camels cross.\n\nDromedaries too.");
        let hidden =
            a(r#"{"title": "Llamas", "text": {"lang": "en"}, "body": "Llamas live high."}"#);
        assert_eq!(hidden.body, "Llamas live high.");
        let title = a(r#"{"title": ["A headline about yaks"], "text": ""}"#);
        assert_eq!(title.title, "A headline about yaks");
        let urls =
            a(r#"{"title": "t", "url": ["", "https://a.example/1", "https://b.example/2"]}"#);
        assert_eq!(urls.url.as_deref(), Some("https://a.example/1"));
        let dated = |rec: &str| a(rec).published.map(|t| t.to_string());
        assert_eq!(
            dated(r#"{"title": "t", "published": "not a date", "date": "2020-02-02"}"#).as_deref(),
            Some("2020-02-02T00:00:00Z")
        );
        assert_eq!(
            dated(r#"{"title": "t", "date": {"$date": "2021-03-04T05:06:07Z"}}"#).as_deref(),
            Some("2021-03-04T05:06:07Z")
        );
        assert_eq!(
            dated(r#"{"title": "t", "date": {"$date": {"$numberLong": "1700000000000"}}}"#)
                .as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
    }

    #[test]
    fn numeric_dates_are_seconds_or_milliseconds_within_the_plausible_years() {
        assert_eq!(
            date_of("1700000000").as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(
            date_of("1700000000000").as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(
            date_of("1700000000.5").as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        // Placeholders and values no article has: undated, so that a date
        // in the path or text can be used instead.
        for v in ["0", "-1", "99999999999", "-99999999999", "1e300"] {
            assert_eq!(date_of(v), None, "{v}");
        }
        // Before 1970 is a date too, in seconds or milliseconds.
        assert_eq!(
            date_of("-157766400").as_deref(),
            Some("1965-01-01T00:00:00Z")
        );
        assert_eq!(
            date_of("-157766400000").as_deref(),
            Some("1965-01-01T00:00:00Z")
        );
    }
}
