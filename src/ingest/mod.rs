//! Finding article files in a folder and reading each format into
//! [`Article`]s: the types every stage shares ([`SourceFile`], [`Skipped`],
//! [`Draft`], [`FileRead`]), reading a file whole ([`read_file`],
//! [`read_text`], [`parse`]), and [`finish`], which dates an article by the
//! best source it has.
//!
//! Discovery walks the folder with walkdir (`discover.rs`); each file is
//! read by the reader for its format ([`text`], [`json`], [`html`]), through
//! gzip when the name ends in `.gz`, and decoded as UTF-8 with a
//! Latin-1/Windows-1252 fallback (`decode.rs`); JSON Lines records are read
//! by one reader, whole or streamed (`jsonl.rs`). Every reader reads
//! hard-wrapped prose as written, a paragraph a line ([`unwrap`]). A file
//! that cannot be read is an [`Error`] naming the file and the reason: the
//! caller reports it, counts it, and goes on.

pub mod html;
pub mod json;
pub mod text;
pub mod unwrap;

mod decode;
mod discover;
pub(crate) mod identity;
pub(crate) mod jsonl;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use jiff::Timestamp;

pub use decode::{decode, open};
pub use discover::{discover, discover_noting_unreadable, format_of, is_refusal};
pub use identity::RecordKey;

use crate::article::{Article, DateSource, Format};
use crate::enrich;
use crate::error::{Error, Result};

/// Files larger than this (after decompression) are skipped, except JSON
/// Lines, which is streamed record by record. 64 MB of 10^6 bytes, as
/// `--max-file-mb` counts and every message says (64 MiB was said as
/// "67 MB" by `extract` and "64 MB" by `index`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64_000_000;

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
    /// The date in the file's path, any folder of it (see
    /// [`enrich::dates::from_file_path`]), read once per file.
    pub path_date: Option<Timestamp>,
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

/// What a reader produced before enrichment: the article, plus a date the
/// reader found in the text, which ranks below a date in the path.
#[derive(Debug, Default)]
pub struct Draft {
    /// The article, with `published` set only when it came from metadata.
    pub article: Article,
    /// A dateline found in the text, if any.
    pub text_date: Option<Timestamp>,
}

/// What [`read_file`] read from a file.
#[derive(Debug, Default)]
pub struct FileRead {
    /// The articles (dated, not yet searched for entities: see
    /// [`crate::enrich::enrich`]), each with its key in a file of several
    /// records (a JSON array's item, a JSON Lines file's line: see
    /// [`RecordKey`]).
    pub articles: Vec<(Option<RecordKey>, Article)>,
    /// xxh3 of the file's bytes.
    pub hash: u64,
    /// The records that could not be read, each with why ("record 2: ...",
    /// "line 7: ..."): the file's other articles are in `articles`.
    pub bad_records: Vec<String>,
}

/// Reads a whole file. A record that cannot be read costs only itself; a
/// file with nothing readable is an error.
/// An HTML page has a lower limit of its own ([`html::MAX_PAGE_BYTES`]).
pub fn read_file(file: &SourceFile, max_bytes: u64) -> Result<FileRead> {
    let bytes = if file.format == Format::Html && html::MAX_PAGE_BYTES < max_bytes {
        decode::read_bytes(file, html::MAX_PAGE_BYTES, &|size, _| html::too_big(size))?
    } else {
        decode::read_bytes(file, max_bytes, &decode::over_limit)?
    };
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
        // Keyed and hashed as the indexer keys and hashes them.
        let mut keys = identity::Keys::default();
        for r in jsonl::text_records(text) {
            // Capped as the streaming reader caps it.
            if r.line.len() > jsonl::MAX_RECORD_BYTES {
                let e = jsonl::record_too_long(r.line.len());
                out.bad_records.push(format!("line {}: {e}", r.no));
                continue;
            }
            let key = identity::base_of_line(r.line.as_bytes(), r.hash).map(|b| keys.assign(b));
            match json::parse_record(r.line.trim()) {
                Ok(draft) => {
                    let a = finish(draft, file, key.as_ref(), r.hash);
                    out.articles.push((key, a));
                }
                Err(e) => out.bad_records.push(format!("line {}: {e}", r.no)),
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
        Format::Json => json::parse_items(text),
        format => parse(format, text).map(|d| d.into_iter().map(|d| (None, Ok(d))).collect()),
    }
    .map_err(|reason| Error::bad(&file.path, reason))?;
    let multi = records.len() > 1;
    let mut keys = identity::Keys::default();
    for (item, r) in records {
        let item = item.filter(|_| multi);
        // An item is hashed by its own JSON, so that reindexing the file
        // rewrites only the items that changed.
        let item_hash = item.as_ref().map_or(hash, |(_, h)| *h);
        let key = item.map(|(b, _)| keys.assign(b));
        match r {
            Ok(d) => {
                let a = finish(d, file, key.as_ref(), item_hash);
                out.articles.push((key, a));
            }
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

/// Turns a reader's draft into an article: the date from the best source
/// available, the id and the content hash. `record` is the article's key in
/// a file of several records ([`RecordKey`]): its path is `FILE#KEY`, and
/// its id, when it has none of its own, a hash of the file's relative path
/// and the key, so neither moves with the record's place in the file.
/// Entities are the indexer's to add (or not: see
/// [`crate::IndexOptions::entities`]).
pub fn finish(draft: Draft, file: &SourceFile, record: Option<&RecordKey>, hash: u64) -> Article {
    let Draft {
        mut article,
        text_date,
    } = draft;
    article.format = file.format;
    article.language = language_of(&article);
    article.content_hash = format!("{hash:016x}");
    article.path = match record {
        Some(r) => format!("{}#{}", file.path.display(), r.key),
        None => file.path.display().to_string(),
    };
    if article.id.is_empty() {
        let key = match record {
            Some(r) => format!("{}#{}", file.rel, r.key),
            None => file.rel.clone(),
        };
        article.id = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()));
    }
    if article.published.is_some() {
        article.date_source = Some(DateSource::Metadata);
    } else if let Some(ts) = file.path_date {
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

/// The article's language: what its metadata says, as an ISO 639-1 code,
/// else what its text is detected to be ([`crate::lang`]); `None` when
/// neither tells.
fn language_of(a: &Article) -> Option<String> {
    if let Some(code) = a.language.as_deref().and_then(crate::lang::from_metadata) {
        return Some(code);
    }
    let mut head = String::with_capacity(1024);
    for part in [&a.title, &a.standfirst, &a.body] {
        if head.len() >= 1000 {
            break;
        }
        let mut end = part.len().min(1000);
        while !part.is_char_boundary(end) {
            end -= 1;
        }
        head.push_str(&part[..end]);
        head.push('\n');
    }
    crate::lang::detect(&head).map(str::to_string)
}

/// The hash byline keeps of a record's source bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Reads a single file from a path, entities and all (for `byline extract`),
/// with the records that could not be read (see [`FileRead::bad_records`]).
/// File modification times date nothing here (see [`extract_path`]).
pub fn read_path(path: &Path) -> Result<(Vec<Article>, Vec<String>)> {
    let (mut articles, mut bad) = (Vec::new(), Vec::new());
    extract_path(path, DEFAULT_MAX_FILE_BYTES, false, |r| {
        match r {
            Ok(a) => articles.push(a),
            Err(reason) => bad.push(reason),
        }
        Ok::<(), Error>(())
    })?;
    Ok((articles, bad))
}

/// What `extract` gives of each record, in the input's order: its article
/// (entities found, as the index gets it), or why it could not be read.
pub type Extracted = std::result::Result<Article, String>;

/// Reads the file at `path` as `byline extract` does, giving each record to
/// `each` as it is read ([`Extracted`]), and returns how many articles there
/// were. JSON Lines is streamed through the reader the indexer uses, so
/// memory does not grow with the file and a record over the cap is refused
/// as the indexer refuses it; other formats are read whole, within
/// `max_bytes` as [`read_file`] has it. An article with no date of its
/// own is dated by the file's modification time only when `mtime_dates`
/// says so (`extract --mtime-dates`, as `index --mtime-dates`). `each`'s
/// error stops the reading.
pub fn extract_path<E: From<Error>>(
    path: &Path,
    max_bytes: u64,
    mtime_dates: bool,
    each: impl FnMut(Extracted) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    let file = SourceFile {
        mtime_dates,
        ..one_file(path)?
    };
    if file.format == Format::Jsonl {
        let reader = open(&file)?;
        return stream_jsonl(&file, &file.path, reader, each);
    }
    give(extracted(read_file(&file, max_bytes)?), each)
}

/// Gives what a whole file gave to `each`: the bad records, then the
/// articles. Returns how many articles there were.
fn give<E>(
    (articles, bad): (Vec<Article>, Vec<String>),
    mut each: impl FnMut(Extracted) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    bad.into_iter().try_for_each(|b| each(Err(b)))?;
    let n = articles.len();
    articles.into_iter().try_for_each(|a| each(Ok(a)))?;
    Ok(n)
}

/// The one article file at `path`, or why it is none: the reason the walk
/// gives for a file it cannot read (a pipe, a name that is not UTF-8).
fn one_file(path: &Path) -> Result<SourceFile> {
    if path.is_dir() {
        return Err(Error::bad(
            path,
            "is a folder; extract reads one file (`byline index` reads folders)",
        ));
    }
    // Asked first: `discover` takes such a file for one of a type it does
    // not read.
    if path.file_name().is_some_and(|n| n.to_str().is_none()) {
        return Err(Error::bad(path, "the name is not valid UTF-8; rename it"));
    }
    let mut skipped = Vec::new();
    let files = discover(path, &mut skipped)?;
    match (files.into_iter().next(), skipped.into_iter().next()) {
        (Some(file), _) => Ok(file),
        (None, Some(why)) => Err(Error::bad(path, why.reason)),
        (None, None) => Err(Error::bad(path, "not a readable article file")),
    }
}

/// Streams the JSON Lines records of `reader` (the text of `file`) to
/// `each`, numbered, hashed and capped as the indexer has them; `name` is
/// what errors call the input. An input without one readable record is an
/// error, as a file of them is for [`read_text`].
fn stream_jsonl<E: From<Error>>(
    file: &SourceFile,
    name: &Path,
    reader: Box<dyn BufRead + Send>,
    mut each: impl FnMut(Extracted) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    let mut lines = jsonl::LineReader::new(reader);
    let mut keys = identity::Keys::default();
    let (mut good, mut bad) = (0, 0);
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                bad += 1;
                let no = lines.line_no() + 1;
                each(Err(format!(
                    "line {no}: read failed, rest of file skipped: {e}"
                )))?;
                break;
            }
        };
        let parsed = match line.kind {
            jsonl::LineKind::Blank => continue,
            jsonl::LineKind::TooLong => Err(jsonl::record_too_long(line.len)),
            jsonl::LineKind::Record(raw, hash) => {
                let key = identity::base_of_line(&raw, hash).map(|b| keys.assign(b));
                jsonl::parse_line(&raw).map(|d| (d, hash, key))
            }
        };
        match parsed {
            Ok((None, ..)) => {}
            Ok((Some(draft), hash, key)) => {
                let mut a = finish(draft, file, key.as_ref(), hash);
                enrich::enrich(&mut a);
                good += 1;
                each(Ok(a))?;
            }
            Err(reason) => {
                bad += 1;
                each(Err(format!("line {}: {reason}", line.no)))?;
            }
        }
    }
    match (good, bad) {
        (0, 0) => Err(Error::bad(name, "no records").into()),
        (0, n) => Err(Error::bad(name, format!("none of its {n} records could be read")).into()),
        (n, _) => Ok(n),
    }
}

/// Reads standard input as one file named `-` for `byline extract -`, as
/// [`extract_path`] reads a file: in `format`, or the one its text looks like
/// ([`guess_format`]). JSON Lines is streamed, whatever its length; any
/// other input over `max_bytes` is an error (reading stops at `max_bytes` +
/// 1 bytes). Errors name standard input.
pub fn extract_stdin<E: From<Error>>(
    input: Box<dyn Read + Send>,
    format: Option<Format>,
    max_bytes: u64,
    each: impl FnMut(Extracted) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    let name = Path::new("standard input");
    let src = |format| SourceFile {
        path: PathBuf::from("-"),
        rel: "-".into(),
        format,
        gzip: false,
        size: 0,
        mtime: None,
        mtime_dates: false,
        path_date: None,
    };
    let mut input = BufReader::with_capacity(256 * 1024, input);
    // `extract - < page.txt.gz`: gzip is known by its magic bytes here, as
    // a file is by its name; the limits apply to what it unpacks to.
    let gzip = input
        .fill_buf()
        .map_err(|e| Error::io(name, e))?
        .starts_with(&[0x1f, 0x8b]);
    if gzip {
        let unpacked: Box<dyn Read + Send> = Box::new(flate2::read::MultiGzDecoder::new(input));
        input = BufReader::with_capacity(256 * 1024, unpacked);
    }
    let stream = |reader: Box<dyn BufRead + Send>, each| {
        let reader = decode::as_utf8(reader).map_err(|e| Error::io(name, e))?;
        stream_jsonl(&src(Format::Jsonl), name, reader, each)
    };
    if format == Some(Format::Jsonl) {
        return stream(Box::new(input), each);
    }
    let mut head = Vec::new();
    input
        .by_ref()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut head)
        .map_err(|e| Error::io(name, e))?;
    if head.len() as u64 <= max_bytes {
        if format.is_none() {
            let text = decode(&head).map_err(|reason| Error::bad(name, reason))?;
            if guess_format(&text) == Format::Jsonl {
                return stream(Box::new(std::io::Cursor::new(text.into_bytes())), each);
            }
        }
        return give(read_stdin(&head, format)?, each);
    }
    // Longer than any file may be: only JSON Lines is read on, when the
    // first of its lines is a record by itself (a long JSON document has
    // lines that start with `{` too).
    let start = String::from_utf8_lossy(&head[..head.len().min(1 << 20)]);
    let first = start.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if format.is_none()
        && guess_format(&start) == Format::Jsonl
        && serde_json::from_str::<serde_json::Value>(first).is_ok()
    {
        let rest = std::io::Cursor::new(head).chain(input);
        return stream(Box::new(BufReader::new(rest)), each);
    }
    Err(Error::bad(
        name,
        format!(
            "more than the {} limit; JSON Lines (--format jsonl) is read at any length",
            decode::megabytes(max_bytes)
        ),
    )
    .into())
}

/// Reads standard input's bytes as one file named `-` (for `byline extract
/// -`), in `format` or the one its text looks like ([`guess_format`]),
/// entities and all, with the records that could not be read. Errors name
/// standard input.
pub fn read_stdin(bytes: &[u8], format: Option<Format>) -> Result<(Vec<Article>, Vec<String>)> {
    let stdin = Path::new("standard input");
    let text = decode(bytes).map_err(|reason| Error::bad(stdin, reason))?;
    let src = SourceFile {
        path: PathBuf::from("-"),
        rel: "-".into(),
        format: format.unwrap_or_else(|| guess_format(&text)),
        gzip: false,
        size: bytes.len() as u64,
        mtime: None,
        mtime_dates: false,
        path_date: None,
    };
    let read = read_text(&src, &text, content_hash(bytes)).map_err(|e| match e {
        Error::BadInput { reason, .. } => Error::bad(stdin, reason),
        e => e,
    })?;
    Ok(extracted(read))
}

/// What `extract` shows of a file read: its articles as the index gets them.
fn extracted(read: FileRead) -> (Vec<Article>, Vec<String>) {
    let mut articles: Vec<Article> = read.articles.into_iter().map(|(_, a)| a).collect();
    articles.iter_mut().for_each(enrich::enrich);
    (articles, read.bad_records)
}

/// The format a text with no file name looks like: a JSON array or object,
/// JSON Lines (several lines starting with `{` that are not one JSON value),
/// HTML, else plain text.
pub fn guess_format(text: &str) -> Format {
    let t = text.trim_start();
    if t.starts_with('[') {
        Format::Json
    } else if t.starts_with('{') {
        let objects = t
            .lines()
            .filter(|l| l.trim_start().starts_with('{'))
            .count();
        if objects > 1 && serde_json::from_str::<serde_json::Value>(t).is_err() {
            Format::Jsonl
        } else {
            Format::Json
        }
    } else if t.starts_with('<') {
        Format::Html
    } else {
        Format::Txt
    }
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
