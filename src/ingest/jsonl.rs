//! The one reader of JSON Lines records: lines read with a cap on their
//! length, numbered from 1, blank ones passed over, each record hashed by
//! its own bytes (without the line end), and parsed into a [`Draft`].
//!
//! Three callers must agree on a record's hash (and so on its key, see
//! [`super::identity`]), since reindexing compares what the index holds with
//! what the folder holds; the line number only places a bad record in
//! messages. The callers are the indexer
//! streaming a file of any size ([`LineReader`]), reindex comparing a changed
//! file line by line as it streams, and [`super::read_text`] reading text
//! already in memory ([`text_records`]). The tests below hold the two paths
//! to the same numbers and hashes.

use std::borrow::Cow;
use std::io::BufRead;

use xxhash_rust::xxh3::Xxh3;

use super::{json, Draft};

/// A JSON Lines record longer than this is skipped. In MB of 10^6 bytes, as
/// every size byline states (16 MiB was said as "16 MB").
pub(crate) const MAX_RECORD_BYTES: usize = 16_000_000;

/// The hash of one record: its bytes without the line end (`\n` or `\r\n`).
pub(crate) fn record_hash(record: &[u8]) -> u64 {
    super::content_hash(record)
}

/// One line, as [`LineReader::next_line`] read it.
pub(crate) struct Line {
    /// Its number in the file, from 1.
    pub(crate) no: usize,
    /// Its whole length in bytes, line end included.
    pub(crate) len: usize,
    /// What it holds.
    pub(crate) kind: LineKind,
}

/// What a line holds.
pub(crate) enum LineKind {
    /// Nothing but ASCII white space: no record.
    Blank,
    /// A record: its bytes without the line end (nor, on line 1, a UTF-8
    /// byte-order mark), and their hash.
    Record(Vec<u8>, u64),
    /// Longer than the cap: only its length was kept.
    TooLong,
}

/// Streams the lines of a JSON Lines file, keeping at most
/// `MAX_RECORD_BYTES` of any one, and hashing the whole input as it goes
/// (the file record's hash).
pub(crate) struct LineReader {
    reader: Box<dyn BufRead + Send>,
    line_no: usize,
    hasher: Xxh3,
}

impl LineReader {
    pub(crate) fn new(reader: Box<dyn BufRead + Send>) -> Self {
        LineReader {
            reader,
            line_no: 0,
            hasher: Xxh3::new(),
        }
    }

    /// The number of the last line read (0 before the first).
    pub(crate) fn line_no(&self) -> usize {
        self.line_no
    }

    /// The hash of every byte read so far.
    pub(crate) fn digest(&self) -> u64 {
        self.hasher.digest()
    }

    /// Reads no further: after a failed read, a second read gave the same
    /// error, reported twice.
    pub(crate) fn stop(&mut self) {
        self.reader = Box::new(std::io::empty());
    }

    /// The next line; `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut buf = Vec::new();
        let n = read_line_capped(
            &mut self.reader,
            &mut buf,
            MAX_RECORD_BYTES + 2,
            &mut self.hasher,
        )?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        let line = |kind| Line {
            no: self.line_no,
            len: n,
            kind,
        };
        if n > MAX_RECORD_BYTES + 2 {
            // Only the first bytes were kept: the record is refused by its
            // length.
            return Ok(Some(line(LineKind::TooLong)));
        }
        let trimmed = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
        // A byte-order mark is no part of the first record, as
        // `ingest::decode` has it for a whole file.
        let trimmed = match self.line_no {
            1 => trimmed.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(trimmed),
            _ => trimmed,
        };
        if trimmed.iter().all(u8::is_ascii_whitespace) {
            return Ok(Some(line(LineKind::Blank)));
        }
        let hash = record_hash(trimmed);
        Ok(Some(line(LineKind::Record(trimmed.to_vec(), hash))))
    }
}

/// Reads one line (with its `\n`) into `buf`, keeping at most `cap` bytes
/// of it: the rest of a longer line is read past, hashed but not kept, so a
/// file with no line ends (or a gzip bomb) cannot fill the memory. Returns
/// the line's whole length; 0 at the end of the input.
fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
    hasher: &mut Xxh3,
) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(total);
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        hasher.update(&chunk[..take]);
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..take.min(room)]);
        reader.consume(take);
        total += take;
        if done {
            return Ok(total);
        }
    }
}

/// Why a record over `MAX_RECORD_BYTES` is skipped.
pub(crate) fn record_too_long(len: usize) -> String {
    format!(
        "record is {} MB, over the {} MB limit",
        len / 1_000_000,
        MAX_RECORD_BYTES / 1_000_000
    )
}

/// Parses one streamed record (the bytes of a [`LineKind::Record`]);
/// `Ok(None)` for a blank line.
pub(crate) fn parse_line(raw: &[u8]) -> Result<Option<Draft>, String> {
    if raw.len() > MAX_RECORD_BYTES {
        return Err(record_too_long(raw.len()));
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = match std::str::from_utf8(raw) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(super::decode(raw)?),
    };
    json::parse_record(text.trim()).map(Some)
}

/// One record of JSON Lines text already in memory.
pub(crate) struct TextRecord<'t> {
    /// Its line number, from 1.
    pub(crate) no: usize,
    /// The line without its end (`\n` or `\r\n`).
    pub(crate) line: &'t str,
    /// [`record_hash`] of `line`, as the streaming reader hashes it.
    pub(crate) hash: u64,
}

/// The records of JSON Lines text, numbered as [`LineReader`] numbers them.
/// A line is blank here when it is white space by Unicode's definition
/// (the streaming reader asks for ASCII white space).
pub(crate) fn text_records(text: &str) -> impl Iterator<Item = TextRecord<'_>> {
    text.split('\n').enumerate().filter_map(|(n, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        (!line.trim().is_empty()).then(|| TextRecord {
            no: n + 1,
            line,
            hash: record_hash(line.as_bytes()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line number, hash) of every record, streamed.
    fn streamed(bytes: &[u8]) -> Vec<(usize, u64)> {
        let mut r = LineReader::new(Box::new(std::io::Cursor::new(bytes.to_vec())));
        let mut out = Vec::new();
        while let Some(line) = r.next_line().unwrap() {
            if let LineKind::Record(raw, hash) = line.kind {
                assert_eq!(hash, record_hash(&raw));
                out.push((line.no, hash));
            }
        }
        out
    }

    /// (line number, hash) of every record, read from text in memory.
    fn whole(text: &str) -> Vec<(usize, u64)> {
        text_records(text).map(|r| (r.no, r.hash)).collect()
    }

    const TEXT: &str = "{\"title\":\"a\"}\n\n  \n{\"title\":\"b\"}\r\n\r\n{bad\n{\"title\":\"c\"}";

    #[test]
    fn lines_are_numbered_past_blank_lines_and_crlf_ends() {
        let numbers: Vec<usize> = streamed(TEXT.as_bytes()).iter().map(|r| r.0).collect();
        assert_eq!(numbers, [1, 4, 6, 7]);
    }

    #[test]
    fn streaming_and_whole_text_agree_on_numbers_and_hashes() {
        assert_eq!(streamed(TEXT.as_bytes()), whole(TEXT));
        // A record is hashed without its line end, whichever it is.
        let crlf = streamed(b"{\"title\":\"b\"}\r\n");
        let lf = streamed(b"{\"title\":\"b\"}\n");
        assert_eq!(crlf, lf);
        assert_eq!(crlf[0].1, record_hash(b"{\"title\":\"b\"}"));
        // A UTF-8 byte-order mark is no part of the first record.
        assert_eq!(streamed(b"\xEF\xBB\xBF{\"title\":\"b\"}"), lf);
    }

    #[test]
    fn a_line_over_the_cap_is_refused_by_its_length_and_the_next_is_read() {
        let mut long = vec![b'x'; MAX_RECORD_BYTES + 3];
        long.extend_from_slice(b"\n{\"title\":\"after\"}\n");
        let whole_hash = record_hash(&long);
        let mut r = LineReader::new(Box::new(std::io::Cursor::new(long)));
        let first = r.next_line().unwrap().unwrap();
        assert!(matches!(first.kind, LineKind::TooLong));
        assert_eq!((first.no, first.len), (1, MAX_RECORD_BYTES + 4));
        assert_eq!(
            record_too_long(first.len),
            "record is 16 MB, over the 16 MB limit"
        );
        let second = r.next_line().unwrap().unwrap();
        assert!(
            matches!(second.kind, LineKind::Record(ref raw, _) if raw == b"{\"title\":\"after\"}")
        );
        assert_eq!(second.no, 2);
        assert!(r.next_line().unwrap().is_none());
        // The file's hash covers every byte, kept or not.
        assert_eq!(r.digest(), whole_hash);
    }

    #[test]
    fn a_bad_line_costs_only_itself() {
        let mut r = LineReader::new(Box::new(std::io::Cursor::new(TEXT.as_bytes().to_vec())));
        let mut parsed = Vec::new();
        while let Some(line) = r.next_line().unwrap() {
            if let LineKind::Record(raw, _) = line.kind {
                parsed.push((line.no, parse_line(&raw).map(|d| d.unwrap().article.title)));
            }
        }
        assert_eq!(parsed.len(), 4);
        assert_eq!(parsed[0], (1, Ok("a".to_string())));
        assert_eq!(parsed[1], (4, Ok("b".to_string())));
        assert!(
            parsed[2].0 == 6
                && parsed[2]
                    .1
                    .as_ref()
                    .unwrap_err()
                    .starts_with("invalid JSON")
        );
        assert_eq!(parsed[3], (7, Ok("c".to_string())));
    }

    #[test]
    fn a_blank_record_parses_to_nothing() {
        assert!(matches!(parse_line(b" \t "), Ok(None)));
    }
}
