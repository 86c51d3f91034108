//! The parallel pipeline of one run: [`Units`] turns plans into work (a
//! whole file, or a batch of JSON Lines records streamed from a file of any
//! size), rayon's feeders turn work into documents for tantivy's writer
//! ([`Feeder`]), and [`execute`] runs the chunks and commits them.
//!
//! tantivy's `IndexWriter::add_document` takes `&self` and runs its own
//! indexing threads, so rayon's threads (a pool of one per core, see
//! `feeder_threads`) only prepare documents. Memory stays bounded whatever
//! the corpus size: files are read one unit at a time, `par_bridge` pulls
//! only as many units as there are workers, and the writer blocks
//! `add_document` once its queue is full, which back-pressures the readers.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, Searcher, Term};

use super::recorded::commit;
use super::records::{rekey, OldRecords};
use super::reindex::{Known, Plan};
use super::{IndexOptions, Progress};
use crate::article::{Article, Format};
use crate::error::{Error, Result};
use crate::ingest::identity::Keys;
use crate::ingest::jsonl::{self, LineKind, LineReader};
use crate::ingest::{self, RecordKey, Skipped, SourceFile};
use crate::schema::{Fields, FileState, KIND_FILE};

/// Records per work unit when streaming a JSON Lines file.
const JSONL_BATCH: usize = 256;
/// Commit after this much input, so a long run keeps its progress.
const COMMIT_EVERY_BYTES: u64 = 512 * 1024 * 1024;
/// A file modified less than this long before a run walked the folder (or
/// since) may change again without its mtime moving: file systems stamp
/// times from a clock that ticks every few milliseconds (ext4), or every one
/// or two seconds (ext3, FAT). Rewritten at the same size within the tick,
/// it would look unchanged to the next run; git calls such entries "racily
/// clean".
const RACY_NS: i64 = 2_000_000_000;

/// A piece of work for one rayon worker.
pub(super) enum Unit<'a> {
    File(Plan<'a>),
    Lines {
        file: &'a SourceFile,
        records: Vec<Record>,
        bytes: u64,
    },
    FileDone {
        file: &'a SourceFile,
        state: FileState,
        replace: bool,
    },
    Failed(Skipped, u64),
}

/// One JSON Lines record to index.
pub(super) struct Record {
    /// Its line number (for messages: a location, not who it is).
    no: usize,
    /// Its bytes, as [`LineKind::Record`] has them.
    raw: Vec<u8>,
    hash: u64,
    /// Its key in the file; `None` when it is not a JSON object.
    key: Option<RecordKey>,
    /// Whether a record with that key was in the index before.
    existed: bool,
}

/// Shared state of one run.
pub(super) struct Run<'a> {
    pub(super) fields: &'a Fields,
    pub(super) searcher: &'a Searcher,
    /// The folder (or file) as the caller named it, for messages.
    pub(super) root: PathBuf,
    pub(super) root_abs: PathBuf,
    pub(super) single_file: bool,
    pub(super) opts: &'a IndexOptions,
    pub(super) progress: &'a (dyn Fn(&Progress) + Sync),
    pub(super) added: AtomicU64,
    pub(super) updated: AtomicU64,
    pub(super) removed: AtomicU64,
    pub(super) unchanged: AtomicU64,
    pub(super) bytes_read: AtomicU64,
    pub(super) skipped: Mutex<Vec<Skipped>>,
    pub(super) fatal: Mutex<Option<Error>>,
    /// Files the run planned to read, and how many of them vanished
    /// (`NotFound`) before they were read: see [`Run::check`].
    pub(super) planned: AtomicUsize,
    pub(super) vanished: AtomicUsize,
    /// Files that are there but the OS refused to read, by index key and
    /// as walked: what the index holds of them is kept.
    pub(super) unreadable: Mutex<Vec<(PathBuf, String)>>,
    /// When the folder was walked (ns since the epoch): a file modified
    /// since, or shortly before, may change again unseen (`RACY_NS`).
    pub(super) started_ns: i64,
}

/// A run while one chunk of work is in flight: what each feeder thread
/// works with, the writer shared.
pub(super) struct Feeder<'r, 'a> {
    run: &'r Run<'a>,
    writer: &'r IndexWriter,
}

impl<'a> std::ops::Deref for Feeder<'_, 'a> {
    type Target = Run<'a>;
    fn deref(&self) -> &Run<'a> {
        self.run
    }
}

impl<'a> Run<'a> {
    pub(super) fn new(
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
            root: root.to_path_buf(),
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
            planned: AtomicUsize::new(0),
            vanished: AtomicUsize::new(0),
            unreadable: Mutex::new(Vec::new()),
            started_ns,
        })
    }

    fn stopped(&self) -> bool {
        self.opts
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    fn set_fatal(&self, e: Error) {
        if let Ok(mut f) = self.fatal.lock() {
            f.get_or_insert(e);
        }
    }

    /// Whether what this run read can still be committed: the run was not
    /// stopped, its folder is still there, and no more than
    /// [`too_many_vanished`] of its files vanished while it ran. A share
    /// unmounted mid-run makes every file after it vanish: committing then
    /// would replace (`index`) or delete (`reindex`) the articles of files
    /// that are not gone, only out of reach.
    pub(super) fn check(&self) -> Result<()> {
        if self.stopped() {
            return Err(Error::Stopped {
                path: PathBuf::new(),
            });
        }
        if std::fs::metadata(&self.root_abs).is_err() {
            return Err(Error::Incomplete {
                path: self.root.clone(),
                reason: "disappeared during the run (an unmounted share?); the run committed \
                         nothing more, and the index is as its last commit left it: run \
                         again once the folder is back"
                    .into(),
            });
        }
        let (vanished, planned) = (
            self.vanished.load(Ordering::Relaxed),
            self.planned.load(Ordering::Relaxed),
        );
        if too_many_vanished(vanished, planned) {
            return Err(Error::Incomplete {
                path: self.root.clone(),
                reason: format!(
                    "{vanished} of the {planned} files this run was to read vanished while it \
                     ran (an unmounted share?); the run committed nothing more, and the index \
                     is as its last commit left it: run again once the folder is whole"
                ),
            });
        }
        Ok(())
    }

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

    pub(super) fn file_term(&self, file: &str) -> Term {
        Term::from_field_text(self.fields.file, file)
    }

    fn key_term(&self, file: &str, key: &str) -> Term {
        Term::from_field_text(self.fields.key, &format!("{file}#{key}"))
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
}

impl Feeder<'_, '_> {
    /// What the run does with a file it could not read, by why: one the OS
    /// refused (permissions) is not gone, so what the index holds of it
    /// stays; one that vanished counts towards [`Run::check`]; one whose
    /// content went bad is gone from a clean build, so from here.
    fn read_failed(&self, e: &Error, file: &SourceFile, key: &str, old: Option<Known>) -> Skipped {
        let mut s = Skipped::from_error(e);
        let io = match e {
            Error::Io { source, .. } => Some(source),
            _ => None,
        };
        if io.is_some_and(ingest::is_refusal) {
            if let Ok(mut u) = self.unreadable.lock() {
                u.push((PathBuf::from(key), file.path.display().to_string()));
            }
            if let Some(k) = old {
                self.unchanged.fetch_add(k.articles, Ordering::Relaxed);
                s.reason.push_str(&kept(k.articles));
            }
            return s;
        }
        if io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) {
            let vanished = self.vanished.fetch_add(1, Ordering::Relaxed) + 1;
            // Said now, not at the commit: the rest of the run is wasted.
            if too_many_vanished(vanished, self.planned.load(Ordering::Relaxed)) {
                if let Err(e) = self.check() {
                    self.set_fatal(e);
                }
            }
        }
        if let Some(k) = old {
            self.writer.delete_term(self.file_term(key));
            self.removed.fetch_add(k.articles, Ordering::Relaxed);
        }
        s
    }

    fn failed(&self, r: tantivy::Result<u64>) {
        if let Err(e) = r {
            if let Ok(mut f) = self.fatal.lock() {
                f.get_or_insert(Error::Index(e));
            }
        }
    }

    fn add(&self, mut a: Article, file: &str, record: Option<&RecordKey>) {
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
                    Some(k) if articles.iter().all(|(r, _)| r.is_some()) => {
                        // Records of an array: only those that changed.
                        for reason in bad_records {
                            self.skip(Skipped {
                                path: file.path.display().to_string(),
                                reason,
                            });
                        }
                        match self.records_again(&key, k, articles) {
                            Ok(()) => self.put_file_record(&key, &self.state_of(file, hash), true),
                            Err(e) => self.set_fatal(e),
                        }
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
                    self.add(a, &key, record.as_ref());
                }
                self.put_file_record(&key, &self.state_of(file, hash), false);
            }
            Err(e) => {
                let s = self.read_failed(&e, file, &key, old);
                self.skip(s);
            }
        }
    }

    /// Writes again the records of a file of several that changed, by key,
    /// and deletes those that are gone. An index that holds the file
    /// otherwise than by record (it was one article then) has it replaced.
    fn records_again(
        &self,
        file: &str,
        known: Known,
        articles: Vec<(Option<RecordKey>, Article)>,
    ) -> Result<()> {
        let mut old = self.old_records(file)?;
        if old.records.len() as u64 != known.articles {
            self.writer.delete_term(self.file_term(file));
            self.removed.fetch_add(known.articles, Ordering::Relaxed);
            old = OldRecords::new(Vec::new());
        }
        for (record, a) in articles {
            let Some(r) = record else { continue };
            let hash = u64::from_str_radix(&a.content_hash, 16).unwrap_or(0);
            let counter = match old.take_key_hash(&r.key, hash) {
                Some(true) => {
                    self.unchanged.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                Some(false) => {
                    self.writer.delete_term(self.key_term(file, &r.key));
                    &self.updated
                }
                None => &self.added,
            };
            counter.fetch_add(1, Ordering::Relaxed);
            self.add(a, file, Some(&r));
        }
        for key in old.untaken() {
            self.writer.delete_term(self.key_term(file, key));
            self.removed.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn lines(&self, file: &SourceFile, records: &[Record]) {
        let key = self.abs(file);
        for r in records {
            match jsonl::parse_line(&r.raw) {
                Ok(None) => {}
                Ok(Some(draft)) => {
                    let Some(record) = &r.key else {
                        continue;
                    };
                    let a = ingest::finish(draft, file, Some(record), r.hash);
                    self.add(a, &key, Some(record));
                    let counter = if r.existed {
                        &self.updated
                    } else {
                        &self.added
                    };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
                Err(reason) => {
                    if r.existed {
                        self.removed.fetch_add(1, Ordering::Relaxed);
                    }
                    self.skip(Skipped {
                        path: format!("{}:{}", file.path.display(), r.no),
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
    reader: LineReader,
    /// For a changed file: the records the index holds.
    old: Option<OldRecords>,
    known: Option<Known>,
    /// The records read so far, by key, for the duplicates' `~N`.
    keys: Keys,
    /// Whether a record (or a line too long to be one) was read.
    any: bool,
    /// The OS refused a read part-way (permissions, an I/O error): the lines
    /// not read are not gone, so they stay.
    cut_short: bool,
}

/// Turns plans into work units, streaming JSON Lines files in batches. A
/// changed JSON Lines file is compared line by line against the index as it
/// streams: only new and changed lines become work.
struct Units<'a, 'r> {
    feeder: &'r Feeder<'r, 'a>,
    plans: std::vec::IntoIter<Plan<'a>>,
    open: Option<OpenJsonl<'a>>,
}

impl<'a> Units<'a, '_> {
    fn next_batch(&mut self) -> Option<Unit<'a>> {
        let run = self.feeder;
        let open = self.open.as_mut()?;
        let mut records = Vec::with_capacity(JSONL_BATCH);
        let mut bytes = 0u64;
        let mut failure = None;
        let mut eof = false;
        while records.len() < JSONL_BATCH && bytes < 4 * 1024 * 1024 {
            let line = match open.reader.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => {
                    eof = true;
                    break;
                }
                Err(e) => {
                    open.cut_short |= ingest::is_refusal(&e);
                    failure = Some(Skipped {
                        path: format!("{}:{}", open.file.path.display(), open.reader.line_no() + 1),
                        reason: format!("read failed, rest of file skipped: {e}"),
                    });
                    // Read no further: a second read gave the same error,
                    // reported twice.
                    open.reader.stop();
                    break;
                }
            };
            bytes += line.len as u64;
            let (raw, hash) = match line.kind {
                LineKind::Blank => continue,
                LineKind::TooLong => {
                    // The record is refused by its length; the one it
                    // replaced, if any, is matched by nothing and leaves the
                    // index at the end of the file.
                    open.any = true;
                    run.skip(Skipped {
                        path: format!("{}:{}", open.file.path.display(), line.no),
                        reason: jsonl::record_too_long(line.len),
                    });
                    continue;
                }
                LineKind::Record(raw, hash) => (raw, hash),
            };
            open.any = true;
            let file_key = &open.key;
            let delete = |key: &str| {
                run.writer.delete_term(run.key_term(file_key, key));
            };
            let Some((key, existed)) = rekey(open.old.as_mut(), &mut open.keys, &raw, hash, delete)
            else {
                run.unchanged.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            records.push(Record {
                no: line.no,
                raw,
                hash,
                key,
                existed,
            });
        }
        run.bytes_read.fetch_add(bytes, Ordering::Relaxed);
        if let Some(s) = failure {
            run.skip(s);
            eof = true;
        }
        if !records.is_empty() || !eof {
            return Some(Unit::Lines {
                file: open.file,
                records,
                bytes,
            });
        }
        // End of file: lines that are gone leave the index; the file record
        // records the new state.
        let open = self.open.take()?;
        let mut state = run.state_of(open.file, open.reader.digest());
        if open.cut_short {
            // Recorded as unknown, so that the next run reads it again.
            state.mtime_ns = 0;
            return Some(Unit::FileDone {
                file: open.file,
                state,
                replace: open.known.is_some(),
            });
        }
        if !open.any {
            // As a text file of white space is: said, not silently passed.
            run.skip(Skipped {
                path: open.file.path.display().to_string(),
                reason: "empty file".into(),
            });
        }
        if let Some(old) = &open.old {
            for key in old.untaken() {
                run.writer.delete_term(run.key_term(&open.key, key));
                run.removed.fetch_add(1, Ordering::Relaxed);
            }
        }
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
            let key = self.feeder.abs(file);
            let (old, known) = match plan {
                Plan::Add(_) => (None, None),
                Plan::Check(_, k) => match self.feeder.old_records(&key) {
                    Ok(map) => (Some(map), Some(k)),
                    Err(e) => {
                        if let Ok(mut f) = self.feeder.fatal.lock() {
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
                        reader: LineReader::new(reader),
                        old,
                        known,
                        keys: Keys::default(),
                        any: false,
                        cut_short: false,
                    })
                }
                Err(e) => {
                    let s = self.feeder.read_failed(&e, file, &key, known);
                    return Some(Unit::Failed(s, file.size));
                }
            }
        }
    }
}

/// Runs plans through the workers. With `commit_chunks`, commits after every
/// `COMMIT_EVERY_BYTES` of input, so a long run keeps its progress. Before
/// each commit, [`Run::check`] and then `before_commit` may refuse it: the
/// error is returned with the writer's uncommitted work still in it, for the
/// caller to roll back.
pub(super) fn execute(
    run: &Run,
    writer: &mut IndexWriter,
    plans: Vec<Plan>,
    commit_chunks: bool,
    before_commit: &dyn Fn(&Run) -> Result<()>,
) -> Result<()> {
    run.planned.store(plans.len(), Ordering::Relaxed);
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
        let ctx = Feeder {
            run,
            writer: &*writer,
        };
        let units = Units {
            feeder: &ctx,
            plans: chunk.into_iter(),
            open: None,
        };
        let feed = || {
            units.par_bridge().for_each(|unit| {
                if ctx.fatal.lock().map(|f| f.is_some()).unwrap_or(true) {
                    return;
                }
                if ctx.stopped() {
                    ctx.set_fatal(Error::Stopped {
                        path: PathBuf::new(),
                    });
                    return;
                }
                match unit {
                    Unit::File(plan) => {
                        ctx.whole_file(plan);
                        (ctx.progress)(&Progress::Advanced(plan.file().size));
                    }
                    Unit::Lines {
                        file,
                        records,
                        bytes,
                    } => {
                        ctx.lines(file, &records);
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
            .num_threads(feeder_threads(run.opts))
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
        run.check()?;
        before_commit(run)?;
        (run.progress)(&Progress::Committing);
        if i + 1 < n {
            commit(writer, run.opts, &run.root_abs)?;
        }
    }
    // Merging was off during the run (see `Archive::writer`); the last
    // commit schedules the merges its segments need.
    writer.set_merge_policy(Box::<tantivy::merge_policy::LogMergePolicy>::default());
    commit(writer, run.opts, &run.root_abs)?;
    Ok(())
}

/// Whether so many of the `planned` files vanished that the folder is
/// most likely out of reach (an unmounted share, a disconnected disk) and
/// the run must not commit: more than one in ten, and more than one file,
/// since a file deleted while the run was reading its folder is an
/// ordinary edit.
pub(super) fn too_many_vanished(vanished: usize, planned: usize) -> bool {
    vanished > 1 && vanished * 10 > planned
}

/// What a skipped file's reason adds when the index keeps its articles.
pub(super) fn kept(articles: u64) -> String {
    match articles {
        1 => "; the article indexed from it is kept".into(),
        n => format!("; the {n} articles indexed from it are kept"),
    }
}

/// A file's modification time in nanoseconds since the epoch (0: unknown).
pub(super) fn mtime_ns(f: &SourceFile) -> i64 {
    f.mtime
        .map(|t| i64::try_from(t.as_nanosecond()).unwrap_or(0))
        .unwrap_or(0)
}

/// Threads that read, clean and enrich articles for the writer: one per
/// core. The feeders share the cores with tantivy's threads. With the rules
/// alone, tantivy did about 60% of the work and half as many feeders ran
/// best; the learned tagger made enriching the larger half, and one feeder
/// on 2 cores left the writer waiting: two raised throughput by 15–20% and
/// used 5–8% less CPU (50k articles, `eval/ab.py`, interleaved runs).
/// A thread count the user set bounds the feeders as well as the writer.
fn feeder_threads(opts: &IndexOptions) -> usize {
    if opts.writer_threads > 0 {
        return opts.writer_threads;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
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
