//! Which record of a file of several an article is: its *key*, the part
//! after `#` in `FILE#KEY`, and what its id is made of when it has none of
//! its own.
//!
//! A record is keyed by what it says of itself, never by where it sits, so
//! that inserting or deleting a line of a JSON Lines file leaves every other
//! record's key (and id, and `FILE#KEY` reference) as it was, and reindexing
//! touches only the records that changed:
//!
//! 1. its own id (`id`, `_id`, `guid`, ...), as the article's id is;
//! 2. else its URL;
//! 3. else its content: the 16 hex digits of the xxh3 hash of the record's
//!    bytes (a JSON Lines line without its line end), or of its JSON written
//!    out again (an item of a JSON array, whose bytes are not kept apart).
//!
//! Two records of one file with one key (the same id twice, or the same line
//! twice) are told apart by their order among themselves: the first keeps
//! the key, the second is `KEY~2`, the third `KEY~3`. Only records with that
//! key count, so the suffix moves only when a record with the same key is
//! added or removed before it. Records whose JSON cannot be read are not
//! counted; a record that is JSON but not an article (no title, no text) is,
//! so that mending it later moves no other key.

use std::collections::HashMap;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::json;

/// A record's place in its file, as byline names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordKey {
    /// The key: the record's id, URL or content hash, with `~N` for the
    /// N-th record (N from 2) of the file with the same one.
    pub key: String,
    /// N: 1 for the first record with its key.
    pub occurrence: u32,
}

impl RecordKey {
    /// The key without its `~N`: what the record itself gives.
    pub fn base(&self) -> &str {
        match self.occurrence {
            0 | 1 => &self.key,
            n => {
                let suffix = format!("~{n}");
                self.key.strip_suffix(&suffix).unwrap_or(&self.key)
            }
        }
    }
}

/// What a record gives towards its key: its own id or URL, else the hash
/// of its content.
pub(crate) fn base_key(id: Option<&str>, url: Option<&str>, content: u64) -> String {
    match id
        .filter(|s| !s.is_empty())
        .or(url.filter(|s| !s.is_empty()))
    {
        Some(s) => s.to_string(),
        None => format!("{content:016x}"),
    }
}

/// Counts the records of one file by base key, to number the duplicates.
#[derive(Debug, Default)]
pub(crate) struct Keys {
    seen: HashMap<String, u32>,
}

impl Keys {
    /// The key of the next record with this base key.
    pub(crate) fn assign(&mut self, base: String) -> RecordKey {
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let occurrence = *n;
        let key = match occurrence {
            1 => base,
            n => format!("{base}~{n}"),
        };
        RecordKey { key, occurrence }
    }
}

/// The base key of a JSON object (an array's item, or a parsed line).
pub(crate) fn base_of_object(map: &Map<String, Value>, content: u64) -> String {
    let (id, url) = json::id_and_url(map);
    base_key(id.as_deref(), url.as_deref(), content)
}

/// The base key of a JSON Lines record from its bytes (`hash` is theirs),
/// reading only its id and URL fields; `None` when it is not a JSON object,
/// and so no record that counts. The bytes are decoded as
/// [`super::jsonl::parse_line`] decodes them, so that both agree.
pub(crate) fn base_of_line(raw: &[u8], hash: u64) -> Option<String> {
    let text = match std::str::from_utf8(raw) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(super::decode(raw).ok()?),
    };
    let mut de = serde_json::Deserializer::from_str(text.trim());
    let fields = de.deserialize_map(IdFields).ok()?;
    de.end().ok()?;
    Some(base_of_object(&fields, hash))
}

/// Reads a JSON object keeping only the fields an id or URL can come from:
/// the other values are skipped without being built, since every new line
/// of a JSON Lines file is read here, in order, before the parallel work.
struct IdFields;

impl<'de> Visitor<'de> for IdFields {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = access.next_key::<std::borrow::Cow<'de, str>>()? {
            if json::is_id_or_url_field(&k) {
                let v: Value = access.next_value()?;
                out.insert(k.into_owned(), v);
            } else {
                access.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_keyed_by_its_id_then_its_url_then_its_content() {
        let h = 0xabcd;
        let line = |s: &str| base_of_line(s.as_bytes(), h);
        assert_eq!(
            line(r#"{"title":"a","id":15017,"url":"https://x"}"#).as_deref(),
            Some("15017")
        );
        assert_eq!(
            line(r#"{"title":"a","link":"https://x/1"}"#).as_deref(),
            Some("https://x/1")
        );
        assert_eq!(
            line(r#"{"title":"a","text":"b"}"#).as_deref(),
            Some("000000000000abcd")
        );
        // An empty id gives way, as it does for the article's id.
        assert_eq!(
            line(r#"{"id":"","url":"u","title":"a"}"#).as_deref(),
            Some("u")
        );
        assert_eq!(line("{bad"), None);
        assert_eq!(line("[1,2]"), None);
        assert_eq!(line(r#"{"id":1} trailing"#), None);
    }

    #[test]
    fn the_light_read_agrees_with_the_full_one() {
        for raw in [
            r#"{"guid":["", " g-7 "],"title":"t"}"#,
            r#"{"_id":12.5,"title":"t"}"#,
            r#"{"id":null,"uuid":"u-1","title":"t"}"#,
            r#"{"permalink":"https://p","title":"t","id":{"x":1}}"#,
            r#"{"id":"a\"b","title":"t"}"#,
        ] {
            let draft = json::parse_record(raw).unwrap();
            let a = draft.article;
            let want = base_key(Some(&a.id), a.url.as_deref(), 1);
            assert_eq!(base_of_line(raw.as_bytes(), 1), Some(want), "{raw}");
        }
    }

    #[test]
    fn duplicates_are_numbered_in_file_order() {
        let mut keys = Keys::default();
        let got: Vec<RecordKey> = ["a", "b", "a", "a"]
            .iter()
            .map(|b| keys.assign(b.to_string()))
            .collect();
        let names: Vec<&str> = got.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(names, ["a", "b", "a~2", "a~3"]);
        assert_eq!(got[3].occurrence, 3);
        assert_eq!(got[3].base(), "a");
        // An id that itself ends like a suffix keeps it.
        let own = Keys::default().assign("x~2".into());
        assert_eq!((own.key.as_str(), own.base()), ("x~2", "x~2"));
    }
}
