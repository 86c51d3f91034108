//! The indexing pipeline: discovery, then rayon workers that read, clean and
//! enrich articles and hand them straight to tantivy's writer.
//!
//! tantivy's `IndexWriter::add_document` takes `&self` and runs its own
//! indexing threads, so rayon's threads only prepare documents. Memory stays
//! bounded whatever the corpus size: files are read one unit at a time (a
//! whole file, or a batch of JSON Lines records streamed from a large file),
//! `par_bridge` pulls only as many units as there are workers, and the writer
//! blocks `add_document` once its queue is full, which back-pressures the
//! readers. The writer's own heap is the `memory_budget`.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument};

use crate::article::Format;
use crate::error::{Error, Result};
use crate::ingest::{self, json, Skipped, SourceFile};
use crate::schema::Fields;

/// Records per work unit when streaming a JSON Lines file.
const JSONL_BATCH: usize = 256;
/// A JSON Lines record longer than this is skipped.
const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Knobs for an indexing run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The tantivy writer's memory budget in bytes, shared by its threads.
    pub memory_budget: usize,
    /// tantivy indexing threads (0: one per core, at most 8).
    pub writer_threads: usize,
    /// Files larger than this are skipped (JSON Lines is streamed instead).
    pub max_file_bytes: u64,
    /// Date an article by its file's modification time when nothing better
    /// is known. Off, such articles stay undated (and are still indexed).
    pub mtime_dates: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            memory_budget: 256 * 1024 * 1024,
            writer_threads: 0,
            max_file_bytes: ingest::DEFAULT_MAX_FILE_BYTES,
            mtime_dates: true,
        }
    }
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IndexReport {
    /// Article files found.
    pub files: usize,
    /// Articles written to the index.
    pub indexed: u64,
    /// Files and records that could not be used, with the reason.
    pub skipped: Vec<Skipped>,
    /// Bytes of input read.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl IndexReport {
    /// Input throughput in MB/s (10^6 bytes).
    pub fn mb_per_sec(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

/// Progress events, sent from worker threads while indexing.
#[derive(Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// Discovery finished: this many files, this many bytes.
    Started {
        /// Files to read.
        files: usize,
        /// Their total size in bytes.
        bytes: u64,
    },
    /// This many more bytes were read and indexed.
    Advanced(u64),
    /// A file or record was skipped.
    Skipped(&'a Skipped),
    /// All documents are in; tantivy is committing and merging.
    Committing,
}

/// A piece of work for one rayon worker.
enum Unit<'a> {
    File(&'a SourceFile),
    Lines {
        file: &'a SourceFile,
        first_line: usize,
        lines: Vec<Vec<u8>>,
        bytes: u64,
    },
    Failed(Skipped, u64),
}

/// Turns the file list into work units, streaming JSON Lines files in batches.
struct Units<'a> {
    files: std::slice::Iter<'a, SourceFile>,
    open: Option<(&'a SourceFile, Box<dyn BufRead + Send>, usize)>,
}

impl<'a> Iterator for Units<'a> {
    type Item = Unit<'a>;

    fn next(&mut self) -> Option<Unit<'a>> {
        loop {
            if let Some((file, reader, line_no)) = &mut self.open {
                let file: &'a SourceFile = file;
                let first_line = *line_no + 1;
                let mut lines = Vec::with_capacity(JSONL_BATCH);
                let mut bytes = 0u64;
                let mut failure = None;
                while lines.len() < JSONL_BATCH {
                    let mut buf = Vec::new();
                    match reader.read_until(b'\n', &mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            *line_no += 1;
                            bytes += n as u64;
                            lines.push(buf);
                        }
                        Err(e) => {
                            failure = Some(Skipped {
                                path: format!("{}:{}", file.path.display(), *line_no + 1),
                                reason: format!("read failed, rest of file skipped: {e}"),
                            });
                            break;
                        }
                    }
                }
                let done = lines.len() < JSONL_BATCH || failure.is_some();
                if done {
                    self.open = None;
                }
                if let Some(s) = failure.filter(|_| lines.is_empty()) {
                    return Some(Unit::Failed(s, 0));
                }
                if !lines.is_empty() {
                    return Some(Unit::Lines {
                        file,
                        first_line,
                        lines,
                        bytes,
                    });
                }
                continue;
            }
            let file = self.files.next()?;
            if file.format != Format::Jsonl {
                return Some(Unit::File(file));
            }
            match ingest::open(file) {
                Ok(reader) => self.open = Some((file, reader, 0)),
                Err(e) => return Some(Unit::Failed(Skipped::from_error(&e), file.size)),
            }
        }
    }
}

/// Reads every article under `root` and adds it to `writer` (without
/// committing). Returns the counts; the caller commits.
pub(crate) fn feed(
    writer: &IndexWriter,
    fields: &Fields,
    root: &Path,
    files: &[SourceFile],
    opts: &IndexOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<(u64, Vec<Skipped>)> {
    let root_abs = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let single_file = root_abs.is_file();
    let abs = |f: &SourceFile| -> String {
        if single_file {
            root_abs.display().to_string()
        } else {
            root_abs.join(&f.rel).display().to_string()
        }
    };
    let indexed = AtomicU64::new(0);
    let skipped = Mutex::new(Vec::new());
    let fatal: Mutex<Option<Error>> = Mutex::new(None);
    let skip = |s: Skipped| {
        progress(&Progress::Skipped(&s));
        if let Ok(mut v) = skipped.lock() {
            v.push(s);
        }
    };
    let add = |doc: TantivyDocument| match writer.add_document(doc) {
        Ok(_) => {
            indexed.fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => {
            if let Ok(mut f) = fatal.lock() {
                f.get_or_insert(Error::Index(e));
            }
        }
    };
    let units = Units {
        files: files.iter(),
        open: None,
    };
    units.par_bridge().for_each(|unit| {
        if fatal.lock().map(|f| f.is_some()).unwrap_or(true) {
            return;
        }
        match unit {
            Unit::File(file) => {
                match ingest::read_file(file, opts.max_file_bytes) {
                    Ok(articles) => {
                        let key = abs(file);
                        for a in &articles {
                            add(fields.to_document(a, &key));
                        }
                    }
                    Err(e) => skip(Skipped::from_error(&e)),
                }
                progress(&Progress::Advanced(file.size));
            }
            Unit::Lines {
                file,
                first_line,
                lines,
                bytes,
            } => {
                let key = abs(file);
                for (i, raw) in lines.iter().enumerate() {
                    let line_no = first_line + i;
                    match parse_line(raw) {
                        Ok(None) => {}
                        Ok(Some(draft)) => {
                            let a = ingest::finish(draft, file, Some(line_no));
                            add(fields.to_document(&a, &key));
                        }
                        Err(reason) => skip(Skipped {
                            path: format!("{}:{line_no}", file.path.display()),
                            reason,
                        }),
                    }
                }
                progress(&Progress::Advanced(bytes));
            }
            Unit::Failed(s, bytes) => {
                skip(s);
                progress(&Progress::Advanced(bytes));
            }
        }
    });
    if let Some(e) = fatal.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok((
        indexed.into_inner(),
        skipped.into_inner().unwrap_or_default(),
    ))
}

/// Parses one raw JSON Lines record; `Ok(None)` for a blank line.
fn parse_line(raw: &[u8]) -> std::result::Result<Option<ingest::Draft>, String> {
    if raw.len() > MAX_RECORD_BYTES {
        return Err(format!(
            "record is {} MB, over the {} MB limit",
            raw.len() / 1_000_000,
            MAX_RECORD_BYTES / 1_000_000
        ));
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = match std::str::from_utf8(raw) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(ingest::decode(raw)?),
    };
    json::parse_record(text.trim()).map(Some)
}

/// Discovers files and runs a full indexing pass into `writer`, replacing
/// everything the index held, then commits.
pub(crate) fn rebuild(
    writer: &mut IndexWriter,
    fields: &Fields,
    root: &Path,
    opts: &IndexOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<IndexReport> {
    let start = Instant::now();
    let mut skipped = Vec::new();
    let mut files = ingest::discover(root, &mut skipped)?;
    if !opts.mtime_dates {
        files.iter_mut().for_each(|f| f.mtime = None);
    }
    for s in &skipped {
        progress(&Progress::Skipped(s));
    }
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    progress(&Progress::Started {
        files: files.len(),
        bytes,
    });
    writer.delete_all_documents()?;
    let (indexed, more) = feed(writer, fields, root, &files, opts, progress)?;
    skipped.extend(more);
    progress(&Progress::Committing);
    writer.commit()?;
    Ok(IndexReport {
        files: files.len(),
        indexed,
        skipped,
        bytes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The writer thread count for these options on this machine.
pub(crate) fn writer_threads(opts: &IndexOptions) -> usize {
    if opts.writer_threads > 0 {
        return opts.writer_threads;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8)
}

/// The path of the lock file tantivy holds while a writer is open.
pub(crate) fn lock_path(dir: &Path) -> PathBuf {
    dir.join(".tantivy-writer.lock")
}
