//! The indexing pipeline: discovery, then rayon workers that read, clean and
//! enrich articles and hand them straight to tantivy's writer; and the
//! incremental reindex that brings an index in step with its folder.
//!
//! tantivy's `IndexWriter::add_document` takes `&self` and runs its own
//! indexing threads, so rayon's threads (a pool of half the cores, see
//! `feeder_threads`) only prepare documents. Memory stays
//! bounded whatever the corpus size: files are read one unit at a time (a
//! whole file, or a batch of JSON Lines records streamed from a large file),
//! `par_bridge` pulls only as many units as there are workers, and the writer
//! blocks `add_document` once its queue is full, which back-pressures the
//! readers. The writer's own heap is the `memory_budget`.
//!
//! Every source file also gets a small *file record* in the index (its size,
//! mtime and hash), so reindexing needs no second store: the index itself says
//! what it was built from.

mod lock;
pub(crate) mod swap;

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};
use xxhash_rust::xxh3::Xxh3;

pub use lock::WriterLock;

use crate::article::{Article, Format};
use crate::error::{Error, Result};
use crate::ingest::{self, json, Skipped, SourceFile};
use crate::schema::{field, Fields, FileState, KIND_FILE};

/// Records per work unit when streaming a JSON Lines file.
const JSONL_BATCH: usize = 256;
/// A JSON Lines record longer than this is skipped.
const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;
/// Commit after this much input, so a long run keeps its progress.
const COMMIT_EVERY_BYTES: u64 = 512 * 1024 * 1024;
/// A file modified less than this long before a run walked the folder (or
/// since) may change again without its mtime moving: file systems stamp
/// times from a clock that ticks every few milliseconds (ext4), or every one
/// or two seconds (ext3, FAT). Rewritten at the same size within the tick,
/// it would look unchanged to the next run; git calls such entries "racily
/// clean".
const RACY_NS: i64 = 2_000_000_000;

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
    /// Find people, organisations and places while indexing (on by default).
    /// Off, indexing is faster, but entity queries and `entities` find nothing.
    pub entities: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            memory_budget: 256 * 1024 * 1024,
            writer_threads: 0,
            max_file_bytes: ingest::DEFAULT_MAX_FILE_BYTES,
            mtime_dates: true,
            entities: true,
        }
    }
}

/// What a full indexing run did.
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

/// What a reindex did, in articles.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReindexReport {
    /// Articles new to the index.
    pub added: u64,
    /// Articles whose source changed and were indexed again.
    pub updated: u64,
    /// Articles whose source is gone, deleted from the index.
    pub removed: u64,
    /// Articles left as they were.
    pub unchanged: u64,
    /// Files and records that could not be used, with the reason.
    pub skipped: Vec<Skipped>,
    /// Article files found in the folder.
    pub files: usize,
    /// Bytes of input read (unchanged files are not read).
    pub bytes_read: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Progress events, sent from worker threads while indexing.
#[derive(Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// Discovery finished: this many files, this many bytes to read.
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
    /// Documents are in; tantivy is committing.
    Committing,
}

/// What to do with one source file.
#[derive(Debug, Clone, Copy)]
enum Plan<'a> {
    /// Index all of it: new to the index (or a full build).
    Add(&'a SourceFile),
    /// Known, but its size or mtime changed: compare hashes, re-index what changed.
    Check(&'a SourceFile, Known),
}

impl<'a> Plan<'a> {
    fn file(&self) -> &'a SourceFile {
        match *self {
            Plan::Add(f) | Plan::Check(f, _) => f,
        }
    }
}

/// What the index holds for one source file.
#[derive(Debug, Clone, Copy, Default)]
struct Known {
    state: FileState,
    articles: u64,
}

/// A piece of work for one rayon worker.
enum Unit<'a> {
    File(Plan<'a>),
    Lines {
        file: &'a SourceFile,
        /// (line number, bytes, whether that line was in the index before)
        lines: Vec<(usize, Vec<u8>, bool)>,
        bytes: u64,
    },
    FileDone {
        file: &'a SourceFile,
        state: FileState,
        replace: bool,
    },
    Failed(Skipped, u64),
}

/// Shared state of one run.
struct Run<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    root_abs: PathBuf,
    single_file: bool,
    opts: &'a IndexOptions,
    progress: &'a (dyn Fn(&Progress) + Sync),
    added: AtomicU64,
    updated: AtomicU64,
    removed: AtomicU64,
    unchanged: AtomicU64,
    bytes_read: AtomicU64,
    skipped: Mutex<Vec<Skipped>>,
    fatal: Mutex<Option<Error>>,
    /// When the folder was walked (ns since the epoch): a file modified
    /// since, or shortly before, may change again unseen (`RACY_NS`).
    started_ns: i64,
}

/// A run while one chunk of work is in flight: the writer is shared.
struct Ctx<'r, 'a> {
    run: &'r Run<'a>,
    writer: &'r IndexWriter,
}

impl<'a> std::ops::Deref for Ctx<'_, 'a> {
    type Target = Run<'a>;
    fn deref(&self) -> &Run<'a> {
        self.run
    }
}

impl Run<'_> {
    fn abs(&self, f: &SourceFile) -> String {
        if self.single_file {
            self.root_abs.display().to_string()
        } else {
            self.root_abs.join(&f.rel).display().to_string()
        }
    }

    fn skip(&self, s: Skipped) {
        (self.progress)(&Progress::Skipped(&s));
        if let Ok(mut v) = self.skipped.lock() {
            v.push(s);
        }
    }

    fn file_term(&self, file: &str) -> Term {
        Term::from_field_text(self.fields.file, file)
    }

    fn key_term(&self, file: &str, line: usize) -> Term {
        Term::from_field_text(self.fields.key, &format!("{file}#{line}"))
    }

    fn state_of(&self, f: &SourceFile, hash: u64) -> FileState {
        let mtime = mtime_ns(f);
        FileState {
            size: f.size,
            // A recent mtime is not remembered (0: unknown), so the next
            // run reads the file whatever its size and mtime say.
            mtime_ns: if mtime > self.started_ns.saturating_sub(RACY_NS) {
                0
            } else {
                mtime
            },
            hash,
        }
    }

    /// The line → hash map of a JSON Lines file's records in the index.
    fn old_lines(&self, file: &str) -> Result<HashMap<usize, u64>> {
        let q = TermQuery::new(self.file_term(file), IndexRecordOption::Basic);
        let docs = self.searcher.search(&q, &DocSetCollector)?;
        let mut map = HashMap::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let path = doc.get_first(self.fields.path).and_then(|v| v.as_str());
            let hash = doc
                .get_first(self.fields.content_hash)
                .and_then(|v| v.as_u64());
            let line = path
                .and_then(|p| p.rsplit_once('#'))
                .and_then(|(_, n)| n.parse::<usize>().ok());
            if let (Some(line), Some(hash)) = (line, hash) {
                map.insert(line, hash);
            }
        }
        Ok(map)
    }
}

impl Ctx<'_, '_> {
    fn failed(&self, r: tantivy::Result<u64>) {
        if let Err(e) = r {
            if let Ok(mut f) = self.fatal.lock() {
                f.get_or_insert(Error::Index(e));
            }
        }
    }

    fn add(&self, mut a: Article, file: &str, record: Option<usize>) {
        if self.opts.entities {
            crate::enrich::enrich(&mut a);
        }
        let r = self
            .writer
            .add_document(self.fields.to_document(&a, file, record));
        self.failed(r);
    }

    /// Replaces the file record (only) of `file`.
    fn put_file_record(&self, file: &str, state: &FileState, replace: bool) {
        if replace {
            let q = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        self.file_term(file),
                        IndexRecordOption::Basic,
                    )),
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.kind, KIND_FILE),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]);
            let r = self.writer.delete_query(Box::new(q));
            self.failed(r);
        }
        let r = self
            .writer
            .add_document(self.fields.file_record(file, state));
        self.failed(r);
    }

    /// Handles a whole (non-JSON-Lines) file.
    fn whole_file(&self, plan: Plan) {
        let file = plan.file();
        let key = self.abs(file);
        let old = match plan {
            Plan::Add(_) => None,
            Plan::Check(_, known) => Some(known),
        };
        self.bytes_read.fetch_add(file.size, Ordering::Relaxed);
        match ingest::read_file(file, self.opts.max_file_bytes) {
            Ok(ingest::FileRead {
                articles,
                hash,
                bad_records,
            }) => {
                let n = articles.len() as u64;
                match old {
                    Some(k) if k.state.hash == hash => {
                        // Touched, not changed: only the file record moves on.
                        self.unchanged.fetch_add(k.articles, Ordering::Relaxed);
                        self.put_file_record(&key, &self.state_of(file, hash), true);
                        return;
                    }
                    Some(k) => {
                        self.writer.delete_term(self.file_term(&key));
                        let same = n.min(k.articles);
                        self.updated.fetch_add(same, Ordering::Relaxed);
                        self.added.fetch_add(n - same, Ordering::Relaxed);
                        self.removed.fetch_add(k.articles - same, Ordering::Relaxed);
                    }
                    None => {
                        self.added.fetch_add(n, Ordering::Relaxed);
                    }
                }
                for reason in bad_records {
                    self.skip(Skipped {
                        path: file.path.display().to_string(),
                        reason,
                    });
                }
                for (record, a) in articles {
                    self.add(a, &key, record);
                }
                self.put_file_record(&key, &self.state_of(file, hash), false);
            }
            Err(e) => {
                // A file that went bad is gone from a clean build: so from here.
                if let Some(k) = old {
                    self.writer.delete_term(self.file_term(&key));
                    self.removed.fetch_add(k.articles, Ordering::Relaxed);
                }
                self.skip(Skipped::from_error(&e));
            }
        }
    }

    fn lines(&self, file: &SourceFile, lines: &[(usize, Vec<u8>, bool)]) {
        let key = self.abs(file);
        for (line_no, raw, existed) in lines {
            match parse_line(raw) {
                Ok(None) => {}
                Ok(Some(draft)) => {
                    let a = ingest::finish(draft, file, Some(*line_no), ingest::content_hash(raw));
                    self.add(a, &key, Some(*line_no));
                    let counter = if *existed { &self.updated } else { &self.added };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
                Err(reason) => {
                    if *existed {
                        self.removed.fetch_add(1, Ordering::Relaxed);
                    }
                    self.skip(Skipped {
                        path: format!("{}:{line_no}", file.path.display()),
                        reason,
                    });
                }
            }
        }
    }
}

/// A JSON Lines file being streamed.
struct OpenJsonl<'a> {
    file: &'a SourceFile,
    key: String,
    reader: Box<dyn BufRead + Send>,
    line_no: usize,
    hasher: Xxh3,
    /// For a changed file: line → hash of what the index holds.
    old: Option<HashMap<usize, u64>>,
    known: Option<Known>,
    seen: HashSet<usize>,
}

/// Turns plans into work units, streaming JSON Lines files in batches. A
/// changed JSON Lines file is compared line by line against the index as it
/// streams: only new and changed lines become work.
struct Units<'a, 'r> {
    run: &'r Ctx<'r, 'a>,
    plans: std::vec::IntoIter<Plan<'a>>,
    open: Option<OpenJsonl<'a>>,
}

impl<'a> Units<'a, '_> {
    fn next_batch(&mut self) -> Option<Unit<'a>> {
        let run = self.run;
        let open = self.open.as_mut()?;
        let mut lines = Vec::with_capacity(JSONL_BATCH);
        let mut bytes = 0u64;
        let mut failure = None;
        let mut eof = false;
        while lines.len() < JSONL_BATCH && bytes < 4 * 1024 * 1024 {
            let mut buf = Vec::new();
            let read = read_line_capped(
                &mut open.reader,
                &mut buf,
                MAX_RECORD_BYTES + 2,
                &mut open.hasher,
            );
            match read {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => {
                    open.line_no += 1;
                    bytes += n as u64;
                    if n > MAX_RECORD_BYTES + 2 {
                        // Only the first bytes were kept: the record is
                        // refused by its length, and the old one it replaced
                        // (if any) leaves the index.
                        open.seen.insert(open.line_no);
                        if open
                            .old
                            .as_ref()
                            .is_some_and(|o| o.contains_key(&open.line_no))
                        {
                            run.writer
                                .delete_term(run.key_term(&open.key, open.line_no));
                            run.removed.fetch_add(1, Ordering::Relaxed);
                        }
                        run.skip(Skipped {
                            path: format!("{}:{}", open.file.path.display(), open.line_no),
                            reason: record_too_long(n),
                        });
                        continue;
                    }
                    let trimmed = buf.strip_suffix(b"\n").unwrap_or(&buf);
                    let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
                    // A byte-order mark is no part of the first record, as
                    // `ingest::decode` has it for a whole file.
                    let trimmed = match open.line_no {
                        1 => trimmed.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(trimmed),
                        _ => trimmed,
                    };
                    if trimmed.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    open.seen.insert(open.line_no);
                    let line = open.line_no;
                    let existed = match &open.old {
                        None => false,
                        Some(old) => match old.get(&line) {
                            Some(&h) if h == ingest::content_hash(trimmed) => {
                                run.unchanged.fetch_add(1, Ordering::Relaxed);
                                continue;
                            }
                            Some(_) => {
                                run.writer.delete_term(run.key_term(&open.key, line));
                                true
                            }
                            None => false,
                        },
                    };
                    lines.push((line, trimmed.to_vec(), existed));
                }
                Err(e) => {
                    failure = Some(Skipped {
                        path: format!("{}:{}", open.file.path.display(), open.line_no + 1),
                        reason: format!("read failed, rest of file skipped: {e}"),
                    });
                    // Read no further: a second read gave the same error,
                    // reported twice.
                    open.reader = Box::new(std::io::empty());
                    break;
                }
            }
        }
        run.bytes_read.fetch_add(bytes, Ordering::Relaxed);
        if let Some(s) = failure {
            run.skip(s);
            eof = true;
        }
        if !lines.is_empty() || !eof {
            return Some(Unit::Lines {
                file: open.file,
                lines,
                bytes,
            });
        }
        // End of file: lines that are gone leave the index; the file record
        // records the new state.
        let open = self.open.take()?;
        if let Some(old) = &open.old {
            for line in old.keys().filter(|l| !open.seen.contains(l)) {
                run.writer.delete_term(run.key_term(&open.key, *line));
                run.removed.fetch_add(1, Ordering::Relaxed);
            }
        }
        let state = run.state_of(open.file, open.hasher.digest());
        Some(Unit::FileDone {
            file: open.file,
            state,
            replace: open.known.is_some(),
        })
    }
}

impl<'a> Iterator for Units<'a, '_> {
    type Item = Unit<'a>;

    fn next(&mut self) -> Option<Unit<'a>> {
        loop {
            if self.open.is_some() {
                return self.next_batch();
            }
            let plan = self.plans.next()?;
            let file = plan.file();
            if file.format != Format::Jsonl {
                return Some(Unit::File(plan));
            }
            let key = self.run.abs(file);
            let (old, known) = match plan {
                Plan::Add(_) => (None, None),
                Plan::Check(_, k) => match self.run.old_lines(&key) {
                    Ok(map) => (Some(map), Some(k)),
                    Err(e) => {
                        if let Ok(mut f) = self.run.fatal.lock() {
                            f.get_or_insert(e);
                        }
                        return None;
                    }
                },
            };
            match ingest::open(file) {
                Ok(reader) => {
                    self.open = Some(OpenJsonl {
                        file,
                        key,
                        reader,
                        line_no: 0,
                        hasher: Xxh3::new(),
                        old,
                        known,
                        seen: HashSet::new(),
                    })
                }
                Err(e) => {
                    // A file that went bad is gone from a clean build: so
                    // from here (as `Ctx::whole_file` has it).
                    if let Some(k) = known {
                        self.run.writer.delete_term(self.run.file_term(&key));
                        self.run.removed.fetch_add(k.articles, Ordering::Relaxed);
                    }
                    return Some(Unit::Failed(Skipped::from_error(&e), file.size));
                }
            }
        }
    }
}

/// Runs plans through the workers. With `commit_chunks`, commits after every
/// `COMMIT_EVERY_BYTES` of input, so a long run keeps its progress.
fn execute(
    run: &Run,
    writer: &mut IndexWriter,
    plans: Vec<Plan>,
    commit_chunks: bool,
) -> Result<()> {
    let mut chunks = vec![Vec::new()];
    let mut chunk_bytes = 0u64;
    for p in plans {
        chunk_bytes += p.file().size;
        if let Some(last) = chunks.last_mut() {
            last.push(p);
        }
        if commit_chunks && chunk_bytes >= COMMIT_EVERY_BYTES {
            chunks.push(Vec::new());
            chunk_bytes = 0;
        }
    }
    let n = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        let ctx = Ctx {
            run,
            writer: &*writer,
        };
        let units = Units {
            run: &ctx,
            plans: chunk.into_iter(),
            open: None,
        };
        let feed = || {
            units.par_bridge().for_each(|unit| {
                if ctx.fatal.lock().map(|f| f.is_some()).unwrap_or(true) {
                    return;
                }
                match unit {
                    Unit::File(plan) => {
                        ctx.whole_file(plan);
                        (ctx.progress)(&Progress::Advanced(plan.file().size));
                    }
                    Unit::Lines { file, lines, bytes } => {
                        ctx.lines(file, &lines);
                        (ctx.progress)(&Progress::Advanced(bytes));
                    }
                    Unit::FileDone {
                        file,
                        state,
                        replace,
                    } => ctx.put_file_record(&ctx.abs(file), &state, replace),
                    Unit::Failed(s, bytes) => {
                        ctx.skip(s);
                        (ctx.progress)(&Progress::Advanced(bytes));
                    }
                }
            })
        };
        match rayon::ThreadPoolBuilder::new()
            .num_threads(feeder_threads())
            .thread_name(|i| format!("byline-feed-{i}"))
            .build()
        {
            Ok(pool) => pool.install(feed),
            // No threads to spare: feed from the global pool.
            Err(_) => feed(),
        }
        if let Some(e) = run.fatal.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        (run.progress)(&Progress::Committing);
        if i + 1 < n {
            commit(writer, run.opts)?;
        }
    }
    commit(writer, run.opts)?;
    Ok(())
}

/// What an index holds whichever run wrote it last, saved with every
/// commit (tantivy's commit payload): `byline reindex` adds articles as the
/// index's build did, so that an index built without entities or mtime
/// dates does not become a mix of both.
#[derive(serde::Serialize, serde::Deserialize)]
struct Recorded {
    entities: bool,
    mtime_dates: bool,
}

fn commit(writer: &mut IndexWriter, opts: &IndexOptions) -> Result<()> {
    let recorded = Recorded {
        entities: opts.entities,
        mtime_dates: opts.mtime_dates,
    };
    let mut prepared = writer.prepare_commit()?;
    if let Ok(payload) = serde_json::to_string(&recorded) {
        prepared.set_payload(&payload);
    }
    prepared.commit()?;
    Ok(())
}

/// `opts` with the content settings (`entities`, `mtime_dates`) that
/// `index` recorded, where it recorded any (indexes built before byline
/// recorded them have none).
pub(crate) fn recorded_options(index: &tantivy::Index, opts: &IndexOptions) -> IndexOptions {
    let mut out = opts.clone();
    let recorded = index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str::<Recorded>(&p).ok());
    if let Some(r) = recorded {
        out.entities = r.entities;
        out.mtime_dates = r.mtime_dates;
    }
    out
}

fn mtime_ns(f: &SourceFile) -> i64 {
    f.mtime
        .map(|t| i64::try_from(t.as_nanosecond()).unwrap_or(0))
        .unwrap_or(0)
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
fn record_too_long(len: usize) -> String {
    format!(
        "record is {} MB, over the {} MB limit",
        len / 1_000_000,
        MAX_RECORD_BYTES / 1_000_000
    )
}

/// Parses one raw JSON Lines record; `Ok(None)` for a blank line.
fn parse_line(raw: &[u8]) -> std::result::Result<Option<ingest::Draft>, String> {
    if raw.len() > MAX_RECORD_BYTES {
        return Err(record_too_long(raw.len()));
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

/// Discovers the files under `root`, applying the options.
fn discover(
    root: &Path,
    opts: &IndexOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<(Vec<SourceFile>, Vec<Skipped>, i64)> {
    let mut skipped = Vec::new();
    let started = now_ns();
    let mut files = ingest::discover(root, &mut skipped)?;
    if !opts.mtime_dates {
        files.iter_mut().for_each(|f| f.mtime_dates = false);
    }
    for s in &skipped {
        progress(&Progress::Skipped(s));
    }
    Ok((files, skipped, started))
}

/// The wall clock, in nanoseconds since the epoch.
fn now_ns() -> i64 {
    i64::try_from(jiff::Timestamp::now().as_nanosecond()).unwrap_or(i64::MAX)
}

fn new_run<'a>(
    fields: &'a Fields,
    searcher: &'a Searcher,
    root: &Path,
    opts: &'a IndexOptions,
    progress: &'a (dyn Fn(&Progress) + Sync),
    started_ns: i64,
) -> Result<Run<'a>> {
    let root_abs = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    Ok(Run {
        fields,
        searcher,
        single_file: root_abs.is_file(),
        root_abs,
        opts,
        progress,
        added: AtomicU64::new(0),
        updated: AtomicU64::new(0),
        removed: AtomicU64::new(0),
        unchanged: AtomicU64::new(0),
        bytes_read: AtomicU64::new(0),
        skipped: Mutex::new(Vec::new()),
        fatal: Mutex::new(None),
        started_ns,
    })
}

/// A folder with no article files in it, over an index that holds articles
/// from it, is most often a share that failed to mount: a nightly job must
/// not empty the index then. `advice` says how to remove them when that is what the user wants.
pub(crate) fn refuse_to_empty(root: &Path, articles: usize, advice: &str) -> Result<()> {
    let held = match articles {
        0 => return Ok(()),
        1 => "1 article".to_string(),
        n => format!("{n} articles"),
    };
    Err(Error::bad(
        root,
        format!(
            "no article files found, and the index holds {held} from it that this run \
             would delete (is the folder mounted?); {advice}"
        ),
    ))
}

/// How to empty a whole index on purpose.
pub(crate) const EMPTY_ON_PURPOSE: &str = "to empty the index, delete its folder";

/// Discovers files and runs a full indexing pass into `writer`, replacing
/// everything the index held, then commits.
pub(crate) fn rebuild(
    writer: &mut IndexWriter,
    fields: &Fields,
    searcher: &Searcher,
    root: &Path,
    opts: &IndexOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<IndexReport> {
    let start = Instant::now();
    let (files, mut skipped, started) = discover(root, opts, progress)?;
    if files.is_empty() {
        let held = searcher.search(&fields.articles(), &tantivy::collector::Count)?;
        refuse_to_empty(root, held, EMPTY_ON_PURPOSE)?;
    }
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    progress(&Progress::Started {
        files: files.len(),
        bytes,
    });
    writer.delete_all_documents()?;
    let plans = files.iter().map(Plan::Add).collect();
    let run = new_run(fields, searcher, root, opts, progress, started)?;
    // One commit: a full rebuild replaces everything, so a partial commit
    // would expose a half-built index.
    execute(&run, writer, plans, false)?;
    let indexed = run.added.load(Ordering::Relaxed);
    skipped.extend(run.skipped.into_inner().unwrap_or_default());
    Ok(IndexReport {
        files: files.len(),
        indexed,
        skipped,
        bytes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Brings the index in step with `root`: adds new files, re-indexes changed
/// ones, deletes what is gone, and leaves the rest alone.
pub(crate) fn reindex(
    writer: &mut IndexWriter,
    fields: &Fields,
    searcher: &Searcher,
    root: &Path,
    opts: &IndexOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<ReindexReport> {
    let start = Instant::now();
    let (files, skipped, started) = discover(root, opts, progress)?;
    let root_abs = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let single = root_abs.is_file();
    let mut known = known_files(searcher)?;
    if files.is_empty() {
        let under_root = known
            .iter()
            .filter(|(file, _)| Path::new(file).starts_with(&root_abs))
            .map(|(_, k)| k.articles as usize)
            .sum();
        refuse_to_empty(
            root,
            under_root,
            "to remove them, reindex the folder that holds this one",
        )?;
    }
    let mut plans = Vec::new();
    let mut unchanged = 0;
    let root_str = root_abs.display().to_string();
    let mut key = String::new();
    for f in &files {
        key.clear();
        key.push_str(&root_str);
        if !single {
            key.push(std::path::MAIN_SEPARATOR);
            key.push_str(&f.rel);
        }
        match known.remove(key.as_str()) {
            None => plans.push(Plan::Add(f)),
            // An unknown mtime (0) proves nothing: the file is read.
            Some(k)
                if k.state.mtime_ns != 0
                    && k.state.size == f.size
                    && k.state.mtime_ns == mtime_ns(f) =>
            {
                unchanged += k.articles;
            }
            Some(k) => plans.push(Plan::Check(f, k)),
        }
    }
    let to_read: u64 = plans.iter().map(|p| p.file().size).sum();
    progress(&Progress::Started {
        files: plans.len(),
        bytes: to_read,
    });
    // What is left in `known` is gone from the folder. Only files under the
    // root being reindexed count: an index may hold other folders too.
    let mut removed = 0;
    for (file, k) in known {
        if Path::new(&file).starts_with(&root_abs) {
            writer.delete_term(Term::from_field_text(fields.file, &file));
            removed += k.articles;
        }
    }
    let run = new_run(fields, searcher, root, opts, progress, started)?;
    run.unchanged.store(unchanged, Ordering::Relaxed);
    run.removed.store(removed, Ordering::Relaxed);
    // Partial commits are safe: each file is handled whole within one chunk,
    // so every commit is a state a clean build agrees with for the files it
    // covers, and the next run finishes the job.
    execute(&run, writer, plans, true)?;
    let report = ReindexReport {
        added: run.added.load(Ordering::Relaxed),
        updated: run.updated.load(Ordering::Relaxed),
        removed: run.removed.load(Ordering::Relaxed),
        unchanged: run.unchanged.load(Ordering::Relaxed),
        skipped: run.skipped.into_inner().unwrap_or_default(),
        files: files.len(),
        bytes_read: run.bytes_read.load(Ordering::Relaxed),
        seconds: 0.0,
    };
    let mut report = report;
    report.skipped.splice(0..0, skipped);
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// Reads every file record and counts every file's articles, in one pass over
/// the fast fields.
fn known_files(searcher: &Searcher) -> Result<HashMap<String, Known>> {
    let mut out: HashMap<String, Known> = HashMap::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let Some(files) = ff.str(field::FILE)? else {
            continue;
        };
        let size = ff.u64(field::FILE_SIZE)?;
        let mtime = ff.i64(field::FILE_MTIME)?;
        let hash = ff.u64(field::FILE_HASH)?;
        let alive = seg.alive_bitset();
        let mut records: HashMap<u64, FileState> = HashMap::new();
        let mut counts: HashMap<u64, u64> = HashMap::new();
        for doc in 0..seg.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(ord) = files.term_ords(doc).next() else {
                continue;
            };
            match size.first(doc) {
                Some(s) => {
                    records.insert(
                        ord,
                        FileState {
                            size: s,
                            mtime_ns: mtime.first(doc).unwrap_or(0),
                            hash: hash.first(doc).unwrap_or(0),
                        },
                    );
                }
                None => *counts.entry(ord).or_default() += 1,
            }
        }
        // Walk the dictionary once, in order: looking ords up one by one
        // decompresses a block per lookup.
        let mut terms = files
            .dictionary()
            .stream()
            .map_err(|e| Error::Index(e.into()))?;
        while terms.advance() {
            let ord = terms.term_ord();
            let (record, count) = (records.get(&ord), counts.get(&ord));
            if record.is_none() && count.is_none() {
                continue;
            }
            let name = String::from_utf8_lossy(terms.key()).into_owned();
            let entry = out.entry(name).or_default();
            if let Some(st) = record {
                entry.state = *st;
            }
            entry.articles += count.copied().unwrap_or(0);
        }
    }
    Ok(out)
}

/// Threads that read, clean and enrich articles for the writer: half the
/// cores, at least one. tantivy's own threads do most of the work (about 60%
/// of indexing CPU with entities), and the feeders share cores with them;
/// one feeder per core oversubscribed the machine. On 2 cores, 1 feeder
/// instead of 2 cut indexing CPU by 5–10% and raised throughput by 4% on
/// the 200k corpus (interleaved runs, `benches/indexing.rs` children).
fn feeder_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get() / 2)
        .unwrap_or(1)
        .max(1)
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
