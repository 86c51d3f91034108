//! Bytes to text: opening a file (through gzip, converting UTF-16 with a
//! byte-order mark), reading it whole within a size limit, and decoding it
//! as UTF-8 with a Windows-1252 fallback.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use super::SourceFile;
use crate::error::{Error, Result};

/// Opens a file for reading, through gzip when needed. Text in UTF-16 with a
/// byte-order mark (what Windows tools such as PowerShell write) is read as
/// UTF-8.
pub fn open(file: &SourceFile) -> Result<Box<dyn BufRead + Send>> {
    let f = File::open(&file.path).map_err(|e| Error::io(&file.path, e))?;
    let reader: Box<dyn BufRead + Send> = if file.gzip {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
    } else {
        Box::new(BufReader::with_capacity(256 * 1024, f))
    };
    // Said now: a gzip decoder that failed reads as empty afterwards.
    as_utf8(reader).map_err(|e| read_error(file, e))
}

/// `reader` as UTF-8 text: UTF-16 with a byte-order mark converted, and a
/// UTF-16 mark that UTF-8 text follows passed over (see [`mark`]).
pub(super) fn as_utf8(
    mut reader: Box<dyn BufRead + Send>,
) -> std::io::Result<Box<dyn BufRead + Send>> {
    let big_endian = match mark(reader.fill_buf()?) {
        Mark::None => return Ok(reader),
        Mark::Stray => {
            reader.consume(2);
            return Ok(reader);
        }
        Mark::Utf16 { big_endian } => big_endian,
    };
    reader.consume(2);
    Ok(Box::new(BufReader::new(Utf16Reader {
        inner: reader,
        big_endian,
        odd_byte: None,
        high_surrogate: None,
        pending: Vec::new(),
        done: 0,
    })))
}

/// What a text's first bytes say of its encoding.
#[derive(Debug, PartialEq)]
enum Mark {
    /// No UTF-16 byte-order mark.
    None,
    /// UTF-16, with its mark.
    Utf16 { big_endian: bool },
    /// A UTF-16 mark before UTF-8 text, as a tool that writes the mark and
    /// then the bytes it was given leaves it: read as UTF-16, the whole file
    /// was one line of CJK-looking characters, and every record was lost.
    Stray,
}

/// Tells UTF-16 after a byte-order mark from UTF-8 after one, by the bytes
/// that follow it (`head`, what one read gave). Text with any ASCII in it
/// (line ends, spaces, JSON's or HTML's punctuation) has zero bytes in
/// UTF-16 and none in UTF-8; and the byte pairs of UTF-16 text without ASCII
/// are valid UTF-8 only by rare chance, which a few kilobytes rule out.
fn mark(head: &[u8]) -> Mark {
    let big_endian = match head {
        [0xFF, 0xFE, ..] => false,
        [0xFE, 0xFF, ..] => true,
        _ => return Mark::None,
    };
    let rest = &head[2..head.len().min(2 + 4096)];
    // A character cut at the end of the head is no sign of anything.
    let utf8 = match std::str::from_utf8(rest) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if !rest.is_empty() && utf8 && !rest.contains(&0) {
        Mark::Stray
    } else {
        Mark::Utf16 { big_endian }
    }
}

/// A failed read of `file`, said as its reader would.
fn read_error(file: &SourceFile, e: std::io::Error) -> Error {
    if file.gzip && e.kind() == std::io::ErrorKind::InvalidInput {
        Error::bad(&file.path, format!("not valid gzip: {e}"))
    } else {
        Error::io(&file.path, e)
    }
}

/// UTF-16 in, UTF-8 out; unpaired surrogates become U+FFFD.
struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// The first byte of a code unit split between reads.
    odd_byte: Option<u8>,
    /// A high surrogate whose pair is in the next read.
    high_surrogate: Option<u16>,
    /// UTF-8 decoded and not yet returned, from `done` on.
    pending: Vec<u8>,
    done: usize,
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.done == self.pending.len() {
            self.pending.clear();
            self.done = 0;
            let mut buf = [0u8; 16 * 1024];
            let start = usize::from(self.odd_byte.is_some());
            if let Some(b) = self.odd_byte.take() {
                buf[0] = b;
            }
            let n = match self.inner.read(&mut buf[start..]) {
                Ok(n) => n,
                Err(e) => {
                    // Kept for the retry an interrupted read gets.
                    if start == 1 {
                        self.odd_byte = Some(buf[0]);
                    }
                    return Err(e);
                }
            };
            if n == 0 {
                if self.high_surrogate.take().is_some() || start == 1 {
                    self.pending.extend_from_slice("\u{FFFD}".as_bytes());
                    continue;
                }
                return Ok(0);
            }
            let mut bytes = &buf[..start + n];
            if bytes.len() % 2 == 1 {
                self.odd_byte = bytes.last().copied();
                bytes = &bytes[..bytes.len() - 1];
            }
            let be = self.big_endian;
            let mut units: Vec<u16> = self.high_surrogate.take().into_iter().collect();
            units.extend(bytes.chunks_exact(2).map(|c| match be {
                true => u16::from_be_bytes([c[0], c[1]]),
                false => u16::from_le_bytes([c[0], c[1]]),
            }));
            if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                self.high_surrogate = units.pop();
            }
            let mut utf8 = [0u8; 4];
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                self.pending
                    .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
        let k = out.len().min(self.pending.len() - self.done);
        out[..k].copy_from_slice(&self.pending[self.done..self.done + k]);
        self.done += k;
        Ok(k)
    }
}

/// A size as a user reads it: "3 MB", "40 KB", "12 bytes".
pub(crate) fn megabytes(bytes: u64) -> String {
    match bytes {
        1_000_000.. => format!("{} MB", bytes / 1_000_000),
        1_000.. => format!("{} KB", bytes / 1_000),
        _ => format!("{bytes} bytes"),
    }
}

/// Why a file over the `max_bytes` limit is skipped: `size` is its size on
/// disk, or `None` when it decompresses to more.
pub(super) fn over_limit(size: Option<u64>, max_bytes: u64) -> String {
    match size {
        Some(size) => format!(
            "file is {}, over the {} limit",
            megabytes(size),
            megabytes(max_bytes)
        ),
        None => format!(
            "decompressed size is over the {} limit",
            megabytes(max_bytes)
        ),
    }
}

/// Reads a whole file, refused when it is (or decompresses to) more than
/// `max_bytes`, for the reason `too_big` gives (see [`over_limit`]).
pub(super) fn read_bytes(
    file: &SourceFile,
    max_bytes: u64,
    too_big: &dyn Fn(Option<u64>, u64) -> String,
) -> Result<Vec<u8>> {
    if !file.gzip && file.size > max_bytes {
        return Err(Error::bad(&file.path, too_big(Some(file.size), max_bytes)));
    }
    let mut reader = open(file)?;
    let mut bytes = Vec::with_capacity(file.size.min(max_bytes) as usize);
    reader
        .by_ref()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(file, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(Error::bad(&file.path, too_big(None, max_bytes)));
    }
    Ok(bytes)
}

/// Decodes bytes as text: UTF-8 (without a BOM), with any bytes that are not
/// UTF-8 read as Windows-1252 (a superset of Latin-1 that older news sites
/// use). Binary data is an error.
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    // UTF-16 with its mark (files come through `open`, which converts it;
    // standard input does not).
    let bytes = match mark(bytes) {
        Mark::None => bytes,
        Mark::Stray => &bytes[2..],
        Mark::Utf16 { big_endian } => {
            let units = bytes[2..].chunks(2).map(|c| match (c, big_endian) {
                ([a, b], true) => u16::from_be_bytes([*a, *b]),
                ([a, b], false) => u16::from_le_bytes([*a, *b]),
                _ => 0xFFFD,
            });
            let text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            if text.trim().is_empty() {
                return Err("empty file".into());
            }
            return Ok(text);
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file".into());
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if head.contains(&0) || control * 100 > head.len() {
        // English in UTF-16: every other byte is 0.
        let zeros = |first: usize| {
            head.iter()
                .skip(first)
                .step_by(2)
                .filter(|&&b| b == 0)
                .count()
        };
        if head.len() >= 8 && zeros(0).max(zeros(1)) * 4 > head.len() {
            return Err("UTF-16 text without a byte-order mark: save it as UTF-8".into());
        }
        return Err("binary data, not text".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        // In a UTF-8 file with stray bytes, the UTF-8 stays UTF-8 and only
        // the stray bytes are read as Windows-1252: read whole, every
        // accented letter became two ("ZÃ¼rich"). A Windows-1252 file is
        // read whole, as such. Some of its pairs of bytes are valid UTF-8 by
        // chance, but only a capital or ß before a symbol ("É—", "ß“"):
        // U+0100 to U+07FF. UTF-8 for U+0080 to U+00FF (£, é, ü) or of
        // three bytes or more is Â or Ã, or a lowercase letter, before
        // symbols, which Windows-1252 text does not have; one such
        // character, or more chance pairs than stray bytes, means UTF-8.
        Err(_) => {
            let (mut sure, mut pairs, mut stray) = (0usize, 0usize, 0usize);
            for chunk in bytes.utf8_chunks() {
                for c in chunk.valid().chars().filter(|c| !c.is_ascii()) {
                    match c as u32 {
                        0x100..=0x7FF => pairs += 1,
                        _ => sure += 1,
                    }
                }
                stray += chunk.invalid().len();
            }
            if sure == 0 && pairs <= stray {
                return Ok(bytes.iter().map(|&b| cp1252(b)).collect());
            }
            let mut out = String::with_capacity(bytes.len() + 16);
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                out.extend(chunk.invalid().iter().map(|&b| cp1252(b)));
            }
            Ok(out)
        }
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_said_in_units_that_are_not_zero() {
        assert_eq!(megabytes(400_000), "400 KB");
        assert_eq!(megabytes(0), "0 bytes");
        assert_eq!(megabytes(2_500_000), "2 MB");
        assert_eq!(megabytes(u64::MAX), "18446744073709 MB");
    }

    #[test]
    fn a_utf16_mark_before_utf8_text_is_passed_over() {
        let lines = "{\"title\":\"a\"}\n{\"title\":\"b\"}\n";
        let le: Vec<u8> = lines.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = lines.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            mark(&[b"\xFF\xFE", &le[..]].concat()),
            Mark::Utf16 { big_endian: false }
        );
        assert_eq!(
            mark(&[b"\xFE\xFF", &be[..]].concat()),
            Mark::Utf16 { big_endian: true }
        );
        let stray = [b"\xFF\xFE", lines.as_bytes()].concat();
        assert_eq!(mark(&stray), Mark::Stray);
        assert_eq!(decode(&stray).unwrap(), lines);
        // UTF-16 text with no ASCII in it: its byte pairs are not UTF-8.
        let cjk: Vec<u8> = "新闻报道中文"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            mark(&[b"\xFF\xFE", &cjk[..]].concat()),
            Mark::Utf16 { big_endian: false }
        );
        assert_eq!(mark(b"\xFF\xFE"), Mark::Utf16 { big_endian: false });
        assert_eq!(mark(b"{}"), Mark::None);
    }
}
