//! Finding article files in a folder and reading each format into
//! [`Article`]s.
//!
//! Discovery walks the folder with walkdir; each file is read by the reader
//! for its format ([`text`], [`json`], [`html`]), through gzip when the name
//! ends in `.gz`, and decoded as UTF-8 with a Latin-1/Windows-1252 fallback.
//! A file that cannot be read is an [`Error`] naming the file and the reason:
//! the caller reports it, counts it, and goes on.

pub mod html;
pub mod json;
pub mod text;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::article::{Article, DateSource, Format};
use crate::enrich;
use crate::error::{Error, Result};

/// Files larger than this (after decompression) are skipped, except JSON
/// Lines, which is streamed record by record.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file found by [`discover`], with what the indexer needs to know about it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as walked (the root as given, joined with the relative path).
    pub path: PathBuf,
    /// The path relative to the root, with `/` separators: stable across
    /// machines, so ids derived from it are too.
    pub rel: String,
    /// The format, from the file name.
    pub format: Format,
    /// Whether the file is gzip-compressed.
    pub gzip: bool,
    /// Size on disk in bytes.
    pub size: u64,
    /// Last modification time.
    pub mtime: Option<Timestamp>,
    /// Whether an article with no other date is dated by `mtime`. The
    /// mtime is kept either way: reindexing needs it to see a change.
    pub mtime_dates: bool,
}

/// A file or folder entry that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// The file (with `:LINE` for one record of a JSON Lines file).
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

impl Skipped {
    pub(crate) fn from_error(e: &Error) -> Self {
        match e {
            Error::BadInput { path, reason } => Skipped {
                path: path.display().to_string(),
                reason: reason.clone(),
            },
            Error::Io { path, source } => Skipped {
                path: path.display().to_string(),
                reason: source.to_string(),
            },
            other => Skipped {
                path: String::new(),
                reason: other.to_string(),
            },
        }
    }
}

/// Tells the format of a file from its name, looking through a `.gz` suffix.
/// Returns `None` for files byline does not read.
pub fn format_of(path: &Path) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.')?.1;
    let format = match ext {
        "txt" | "text" => Format::Txt,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::Jsonl,
        "html" | "htm" | "xhtml" => Format::Html,
        _ => return None,
    };
    Some((format, gzip))
}

/// Walks `root` (a folder, or a single file) and returns the article files in
/// a stable order. Entries that cannot be read (permissions, broken links,
/// symlink loops) go to `skipped`; files of other types are ignored silently.
///
/// The walk itself reads directories only; the one `stat` per file that size
/// and mtime need runs on all cores, since on a large archive it is most of
/// the time a reindex with nothing to do takes.
pub fn discover(root: &Path, skipped: &mut Vec<Skipped>) -> Result<Vec<SourceFile>> {
    let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if meta.is_file() {
        let Some((format, gzip)) = format_of(root) else {
            return Err(Error::bad(
                root,
                "not a file type byline reads (.txt, .json, .jsonl, .ndjson, .html, .htm, optionally .gz)",
            ));
        };
        let rel = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(vec![source_file(
            root.to_path_buf(),
            rel,
            format,
            gzip,
            &meta,
        )]);
    }
    let root_real = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let mut found: Vec<(PathBuf, String, Format, bool)> = Vec::new();
    walk(root, root, &root_real, false, &mut found, skipped);
    let stats: Vec<std::result::Result<SourceFile, Skipped>> = found
        .into_par_iter()
        .map(|(path, rel, format, gzip)| match std::fs::metadata(&path) {
            Ok(m) => Ok(source_file(path, rel, format, gzip, &m)),
            Err(e) => Err(Skipped {
                path: path.display().to_string(),
                reason: e.to_string(),
            }),
        })
        .collect();
    let mut files = Vec::with_capacity(stats.len());
    for r in stats {
        match r {
            Ok(f) => files.push(f),
            Err(s) => skipped.push(s),
        }
    }
    Ok(files)
}

/// Walks `dir` (below `root`), collecting article files. Symbolic links are
/// followed: a link to a folder or file outside the archive is walked (with
/// loop detection); one to a folder or file inside it is skipped, as it is
/// walked anyway, even when reached through a folder outside; one to an
/// ancestor is a loop. Index folders are skipped.
fn walk(
    root: &Path,
    dir: &Path,
    root_real: &Path,
    follow: bool,
    found: &mut Vec<(PathBuf, String, Format, bool)>,
    skipped: &mut Vec<Skipped>,
) {
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            // Hidden folders (.git) and indexes (byline's own `index/`,
            // which `byline index .` finds inside the archive) are not
            // articles.
            if e.file_name().to_string_lossy().starts_with('.') || is_index_dir(e) {
                return false;
            }
            // Out of the archive through one link, back into it through
            // another: what is there is walked anyway.
            !(follow && e.path_is_symlink() && {
                let is_file = e.file_type().is_file();
                std::fs::canonicalize(e.path())
                    .is_ok_and(|t| reached_anyway(&t, root_real, is_file))
            })
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    err.io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string())
                };
                skipped.push(Skipped { path, reason });
                continue;
            }
        };
        // Only what byline would read is worth a word: a folder, or a file
        // of a format it reads.
        let readable = |e: &walkdir::DirEntry| {
            e.file_type().is_dir()
                || e.path_is_symlink()
                || format_of(Path::new(&*e.file_name().to_string_lossy())).is_some()
        };
        if entry.depth() > 0 && entry.file_name().to_str().is_none() && readable(&entry) {
            // Paths become keys and ids as text: two names that differ only
            // in bytes that are not UTF-8 would be one article.
            skipped.push(Skipped {
                path: entry.path().display().to_string(),
                reason: "the name is not valid UTF-8; rename it to index it".into(),
            });
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let path = entry.path();
        let mut is_file = entry.file_type().is_file();
        if entry.path_is_symlink() && !follow && entry.depth() > 0 {
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => {
                    match std::fs::canonicalize(path) {
                        Ok(target) if root_real.starts_with(&target) => skipped.push(Skipped {
                            path: path.display().to_string(),
                            reason: "symbolic link loop".into(),
                        }),
                        Ok(target) if reached_anyway(&target, root_real, false) => {}
                        Ok(_) => walk(root, path, root_real, true, found, skipped),
                        Err(e) => skipped.push(Skipped {
                            path: path.display().to_string(),
                            reason: e.to_string(),
                        }),
                    }
                    continue;
                }
                // A link to a file in the archive would index it twice.
                Ok(_)
                    if std::fs::canonicalize(path)
                        .is_ok_and(|t| reached_anyway(&t, root_real, true)) =>
                {
                    continue
                }
                Ok(m) => is_file = m.is_file(),
                Err(e) => {
                    skipped.push(Skipped {
                        path: path.display().to_string(),
                        reason: format!("broken link: {e}"),
                    });
                    continue;
                }
            }
        }
        let Some((format, gzip)) = format_of(path) else {
            continue;
        };
        // A pipe, socket or device named like an article: reading it could
        // block the run, so it is reported and left alone.
        if !is_file {
            if !entry.file_type().is_dir() && !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
                skipped.push(Skipped {
                    path: path.display().to_string(),
                    reason: "not a regular file (a pipe, socket or device)".into(),
                });
            }
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
        // Ids derive from `rel`: the same on every platform.
        let rel = if std::path::MAIN_SEPARATOR == '/' {
            rel.into_owned()
        } else {
            rel.replace(std::path::MAIN_SEPARATOR, "/")
        };
        found.push((path.to_path_buf(), rel, format, gzip));
    }
}

/// Whether the walk of `root_real` reaches `target` (canonical) by itself:
/// inside it, not in a hidden folder, and for a file, of a format byline
/// reads. A link to such a target would read it twice; a link to any other
/// (`.versions/x.json`) is the way to it.
fn reached_anyway(target: &Path, root_real: &Path, is_file: bool) -> bool {
    let Ok(inside) = target.strip_prefix(root_real) else {
        return false;
    };
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    !hidden && (!is_file || format_of(target).is_some())
}

/// A tantivy index folder (its `meta.json` and `.managed.json`).
fn is_index_dir(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir()
        && e.path().join(".managed.json").is_file()
        && e.path().join("meta.json").is_file()
}

fn source_file(
    path: PathBuf,
    rel: String,
    format: Format,
    gzip: bool,
    meta: &std::fs::Metadata,
) -> SourceFile {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| Timestamp::try_from(t).ok());
    SourceFile {
        path,
        rel,
        format,
        gzip,
        size: meta.len(),
        mtime,
        mtime_dates: true,
    }
}

/// What a reader produced before enrichment: the article, plus a date the
/// reader found in the text, which ranks below a date in the path.
#[derive(Debug, Default)]
pub struct Draft {
    /// The article, with `published` set only when it came from metadata.
    pub article: Article,
    /// A dateline found in the text, if any.
    pub text_date: Option<Timestamp>,
}

/// Opens a file for reading, through gzip when needed. Text in UTF-16 with a
/// byte-order mark (what Windows tools such as PowerShell write) is read as
/// UTF-8.
pub fn open(file: &SourceFile) -> Result<Box<dyn BufRead + Send>> {
    let f = File::open(&file.path).map_err(|e| Error::io(&file.path, e))?;
    let mut reader: Box<dyn BufRead + Send> = if file.gzip {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
    } else {
        Box::new(BufReader::with_capacity(256 * 1024, f))
    };
    let big_endian = match reader.fill_buf() {
        Ok([0xFF, 0xFE, ..]) => false,
        Ok([0xFE, 0xFF, ..]) => true,
        Ok(_) => return Ok(reader),
        // Said now: a gzip decoder that failed reads as empty afterwards.
        Err(e) => return Err(read_error(file, e)),
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

/// What [`read_file`] read from a file.
#[derive(Debug, Default)]
pub struct FileRead {
    /// The articles (dated, not yet searched for entities: see
    /// [`crate::enrich::enrich`]), each with its number in a file of several
    /// records (a JSON array's item, a JSON Lines file's line).
    pub articles: Vec<(Option<usize>, Article)>,
    /// xxh3 of the file's bytes.
    pub hash: u64,
    /// The records that could not be read, each with why ("record 2: ...",
    /// "line 7: ..."): the file's other articles are in `articles`.
    pub bad_records: Vec<String>,
}

/// Reads a whole file. A record that cannot be read costs only itself; a
/// file with nothing readable is an error.
pub fn read_file(file: &SourceFile, max_bytes: u64) -> Result<FileRead> {
    let bytes = read_bytes(file, max_bytes)?;
    let hash = content_hash(&bytes);
    let text = decode(&bytes).map_err(|reason| Error::bad(&file.path, reason))?;
    read_text(file, &text, hash)
}

/// What [`read_file`] does once the bytes are text (standard input, for
/// one): `hash` is that of the bytes.
pub fn read_text(file: &SourceFile, text: &str, hash: u64) -> Result<FileRead> {
    let mut out = FileRead {
        hash,
        ..FileRead::default()
    };
    if file.format == Format::Jsonl {
        // Numbered by line, each hashed by its own bytes, as the indexer does.
        for (n, line) in text.split('\n').enumerate() {
            // Hashed as the streaming indexer hashes a line: without its end.
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            match json::parse_record(line.trim()) {
                Ok(draft) => {
                    let a = finish(draft, file, Some(n + 1), content_hash(line.as_bytes()));
                    out.articles.push((Some(n + 1), a));
                }
                Err(e) => out.bad_records.push(format!("line {}: {e}", n + 1)),
            }
        }
        if out.articles.is_empty() {
            let reason = match out.bad_records.first() {
                Some(first) => first.clone(),
                None => "no records".into(),
            };
            return Err(Error::bad(&file.path, reason));
        }
        return Ok(out);
    }
    let records = match file.format {
        Format::Json => json::parse_document(text),
        format => parse(format, text).map(|d| d.into_iter().map(Ok).collect()),
    }
    .map_err(|reason| Error::bad(&file.path, reason))?;
    let multi = records.len() > 1;
    for (i, r) in records.into_iter().enumerate() {
        let n = multi.then_some(i + 1);
        match r {
            Ok(d) => out.articles.push((n, finish(d, file, n, hash))),
            Err(e) => out.bad_records.push(e),
        }
    }
    Ok(out)
}

/// Parses text of the given format into drafts. JSON Lines text is parsed
/// line by line (a bad line is an error for the whole text here; the indexer
/// streams JSON Lines and skips bad lines one by one instead).
pub fn parse(format: Format, text: &str) -> std::result::Result<Vec<Draft>, String> {
    match format {
        Format::Txt => text::parse(text).map(|d| vec![d]),
        Format::Html => html::parse(text).map(|d| vec![d]),
        Format::Json => json::parse_document(text)?.into_iter().collect(),
        Format::Jsonl => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| json::parse_record(l).map_err(|e| format!("line {}: {e}", n + 1)))
            .collect(),
    }
}

/// A size as a user reads it: "3 MB", "40 KB", "12 bytes".
fn megabytes(bytes: u64) -> String {
    match bytes {
        1_000_000.. => format!("{} MB", bytes / 1_000_000),
        1_000.. => format!("{} KB", bytes / 1_000),
        _ => format!("{bytes} bytes"),
    }
}

fn read_bytes(file: &SourceFile, max_bytes: u64) -> Result<Vec<u8>> {
    if !file.gzip && file.size > max_bytes {
        return Err(Error::bad(
            &file.path,
            format!(
                "file is {}, over the {} limit",
                megabytes(file.size),
                megabytes(max_bytes)
            ),
        ));
    }
    let mut reader = open(file)?;
    let mut bytes = Vec::with_capacity(file.size.min(max_bytes) as usize);
    reader
        .by_ref()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(file, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(Error::bad(
            &file.path,
            format!(
                "decompressed size is over the {} limit",
                megabytes(max_bytes)
            ),
        ));
    }
    Ok(bytes)
}

/// Decodes bytes as text: UTF-8 (without a BOM), with any bytes that are not
/// UTF-8 read as Windows-1252 (a superset of Latin-1 that older news sites
/// use). Binary data is an error.
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    // UTF-16 with its mark (files come through `open`, which converts it;
    // standard input does not).
    if let [0xFF, 0xFE, rest @ ..] | [0xFE, 0xFF, rest @ ..] = bytes {
        let big_endian = bytes[0] == 0xFE;
        let units = rest.chunks(2).map(|c| match (c, big_endian) {
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

/// Turns a reader's draft into an article: the date from the best source
/// available, the id and the content hash. Entities are the indexer's to add
/// (or not: see [`crate::IndexOptions::entities`]).
pub fn finish(draft: Draft, file: &SourceFile, record: Option<usize>, hash: u64) -> Article {
    let Draft {
        mut article,
        text_date,
    } = draft;
    article.format = file.format;
    article.content_hash = format!("{hash:016x}");
    article.path = match record {
        Some(n) => format!("{}#{n}", file.path.display()),
        None => file.path.display().to_string(),
    };
    if article.id.is_empty() {
        let key = match record {
            Some(n) => format!("{}#{n}", file.rel),
            None => file.rel.clone(),
        };
        article.id = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()));
    }
    if article.published.is_some() {
        article.date_source = Some(DateSource::Metadata);
    } else if let Some(ts) = enrich::dates::from_path(&file.rel) {
        article.published = Some(ts);
        article.date_source = Some(DateSource::Path);
    } else if let Some(ts) = text_date {
        article.published = Some(ts);
        article.date_source = Some(DateSource::Text);
    } else if let Some(ts) = file.mtime.filter(|_| file.mtime_dates) {
        article.published = Some(ts);
        article.date_source = Some(DateSource::FileMtime);
    }
    article
}

/// The hash byline keeps of a record's source bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Reads a single file from a path, entities and all (for `byline extract`),
/// with the records that could not be read (see [`FileRead::bad_records`]).
pub fn read_path(path: &Path) -> Result<(Vec<Article>, Vec<String>)> {
    if path.is_dir() {
        return Err(Error::bad(
            path,
            "is a folder; extract reads one file (`byline index` reads folders)",
        ));
    }
    let mut skipped = Vec::new();
    let files = discover(path, &mut skipped)?;
    let file = files
        .into_iter()
        .next()
        .ok_or_else(|| Error::bad(path, "not a readable article file"))?;
    let read = read_file(&file, DEFAULT_MAX_FILE_BYTES)?;
    let mut articles: Vec<Article> = read.articles.into_iter().map(|(_, a)| a).collect();
    articles.iter_mut().for_each(enrich::enrich);
    Ok((articles, read.bad_records))
}

/// Collapses runs of white space inside a line to single spaces and trims it.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    squash_into(s, &mut out);
    out
}

/// Appends `s` squashed (as [`squash`]) to `out`, without a copy in between.
pub(crate) fn squash_into(s: &str, out: &mut String) {
    let s = s.trim();
    // Most text is clean already: copy it in one go.
    if is_squashed(s) {
        out.push_str(s);
        return;
    }
    for (n, w) in s.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// Whether the trimmed `s` has no white space but single spaces. Bodies
/// pass through here whole, so the ASCII test runs over 64-byte blocks with
/// no branch inside, which the compiler turns into vector code.
fn is_squashed(s: &str) -> bool {
    const BLOCK: usize = 64;
    let b = s.as_bytes();
    if b.len() < 2 {
        return true;
    }
    // Byte k against byte k + 1. The last byte needs no test of its own:
    // `s` is trimmed, so it is no white space.
    let (this, next) = (&b[..b.len() - 1], &b[1..]);
    let dirty = |x: u8, y: u8| -> u8 {
        // \t \n \x0B \x0C \r, or a second space.
        u8::from(x.wrapping_sub(b'\t') < 5) | (u8::from(x == b' ') & u8::from(y == b' '))
    };
    let (mut xs, mut ys) = (this.chunks_exact(BLOCK), next.chunks_exact(BLOCK));
    for (x, y) in (&mut xs).zip(&mut ys) {
        let mut any = 0u8;
        for k in 0..BLOCK {
            any |= dirty(x[k], y[k]);
        }
        if any != 0 {
            return false;
        }
    }
    let (x, y) = (xs.remainder(), ys.remainder());
    if x.iter().zip(y).any(|(&x, &y)| dirty(x, y) != 0) {
        return false;
    }
    s.is_ascii() || !s.chars().any(|c| c.is_whitespace() && c != ' ')
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
}
