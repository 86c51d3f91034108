//! [`Archive`]: an index folder opened for searching and indexing; the
//! library's front door.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{ExistsQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Directory, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Term};

use crate::article::{Article, DateSource, Format};
use crate::dump::Articles;
use crate::error::{Error, Result};
use crate::indexer::swap;
use crate::indexer::{self, IndexOptions, IndexReport, Progress, ReindexReport, WriterLock};
use crate::readonly::{self, FirstWriteError, ReadableDirectory};
use crate::schema::{self, field, Fields};
use crate::search::facets::TopEntities;
use crate::search::published::Published;
use crate::search::storymap::StoryMap;
use crate::search::timeline::{Granularity, Timeline};
use crate::search::{self, HitPages, SearchRequest, SearchResults};

/// A byline index on disk.
pub struct Archive {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// The first error of a file written to the index (see
    /// [`FirstWriteError`]).
    first_write_error: FirstWriteError,
    /// The newest commit with its story map ready (see [`Published`]).
    published: Published,
    /// A fingerprint of the `meta.json` the reader last opened (0: none yet).
    loaded_meta: AtomicU64,
}

/// Numbers about an archive, for `byline stats`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    /// The index folder.
    pub index: String,
    /// Articles in the index.
    pub documents: u64,
    /// Size of the index folder in bytes.
    pub size_bytes: u64,
    /// Earliest published date.
    pub earliest: Option<jiff::Timestamp>,
    /// Latest published date.
    pub latest: Option<jiff::Timestamp>,
    /// Articles without a published date.
    pub undated: u64,
    /// Articles per input format.
    pub formats: Vec<(String, u64)>,
    /// Articles per date source.
    pub date_sources: Vec<(String, u64)>,
    /// Articles per language (ISO 639-1 code), most first; articles whose
    /// language is not known are `documents` less their sum.
    pub languages: Vec<(String, u64)>,
    /// Index segments.
    pub segments: usize,
}

/// The settings of a new index: article text stored as it is. tantivy's
/// default compresses the document store with lz4 in 16 KB blocks, on a
/// thread of its own; on news text that shrinks the store by only a quarter
/// (478 MB to 347 MB for the 200k benchmark corpus) for 4–5% of all
/// indexing CPU, and every hit's snippet pays a decompression. Stored as it
/// is, and written by the indexing threads themselves (with nothing to
/// compress, the hand-off to another thread costs more than it saves),
/// indexing took 7% less CPU and ran 7% faster, and searches answered 6% faster at the
/// median; the index is 25% larger (646 MB against 515 MB, still two
/// thirds of SQLite FTS5's 944 MB). The settings are saved in the index, so
/// an index made with other settings keeps them.
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_compress_dedicated_thread: false,
        ..Default::default()
    }
}

impl Archive {
    /// Opens an existing index. Searching needs no write access: an index
    /// on a read-only mount, or owned by another user, can be searched.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        refuse_a_file(&dir)?;
        if !Self::exists(&dir) {
            return Err(Error::NoIndex(dir));
        }
        let opened = ReadableDirectory::open(&dir)
            .and_then(|d| {
                let first_write_error = d.first_write_error();
                Index::open(d).map(|index| (index, first_write_error))
            })
            .map_err(Error::from)
            .and_then(|(index, first_write_error)| {
                // An index of another version is rebuilt as a damaged one
                // is (`byline index`, `reindex --full`): it cannot be read.
                let fields = Fields::from_schema(&index.schema()).map_err(|e| Error::Damaged {
                    path: dir.clone(),
                    reason: match e {
                        tantivy::TantivyError::SchemaError(why) => why,
                        other => other.to_string(),
                    },
                })?;
                Self::wrap(dir.clone(), index, fields, first_write_error)
            });
        opened.map_err(|e| e.at_index(&dir))
    }

    /// Creates an empty index in `dir` (the folder is created if needed), or
    /// opens the one that is there.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        if Self::exists(&dir) {
            return Self::open(dir);
        }
        refuse_a_file(&dir)?;
        // An index written among other files (`--index corpus` by mistake)
        // would mix its segments with articles, and be read as articles.
        // Hidden entries (a `.gitignore`) are no content.
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let content = entries
                .flatten()
                .find(|e| !e.file_name().to_string_lossy().starts_with('.'));
            if let Some(e) = content {
                return Err(Error::bad(
                    &dir,
                    format!(
                        "is not a byline index and not empty (it holds {}); \
                         give a new or empty folder for the index",
                        e.file_name().to_string_lossy()
                    ),
                ));
            }
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let fields = Fields::build();
        let index = Index::builder()
            .schema(fields.schema.clone())
            .settings(index_settings())
            .create_in_dir(&dir)?;
        // Opened again through byline's directory, so that every commit of
        // this run keeps the index readable to others (see `readonly.rs`).
        drop(index);
        readonly::share_metadata(&dir);
        Self::open(dir)
    }

    /// True when `dir` holds an index, or is a file. A file can hold no
    /// index, but neither may one be built there: a caller that builds an
    /// index when none exists opens this one instead, and
    /// [`Archive::open`] says that the path is a file.
    /// A folder this user may not enter counts as holding one: opening it
    /// then says so, where "no index" would start building one.
    pub fn exists(dir: &Path) -> bool {
        let meta = dir.join("meta.json");
        match meta.try_exists() {
            Ok(_) => meta.is_file() || is_file(dir),
            Err(e) => e.kind() == std::io::ErrorKind::PermissionDenied || is_file(dir),
        }
    }

    fn wrap(
        dir: PathBuf,
        index: Index,
        fields: Fields,
        first_write_error: FirstWriteError,
    ) -> Result<Self> {
        schema::register_tokenizers(&index);
        let reader = readonly::retry_vanished(|| {
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
        })?;
        Ok(Archive {
            dir,
            index,
            reader,
            fields,
            first_write_error,
            published: Published::default(),
            loaded_meta: AtomicU64::new(0),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The underlying tantivy index, for callers who need more than byline offers.
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }

    /// The map of the stories with copies in the index as `searcher` sees
    /// it: the one saved beside the index, else worked out afresh (a
    /// commit or merge since the last writer run finished, or an index from
    /// before byline saved one) and saved.
    fn make_story_map(&self, searcher: &tantivy::Searcher) -> Result<StoryMap> {
        if let Some(map) = StoryMap::load(&self.dir, searcher) {
            return Ok(map);
        }
        let map = StoryMap::compute(&self.index, searcher, &self.fields)?;
        // Saved for the next search where the folder can be written (an
        // index of an earlier byline, a writer killed before it saved): the
        // map names the segments it fits, so one saved while a writer
        // commits is refused later, never misread.
        let _ = map.save(&self.dir);
        Ok(map)
    }

    /// The searcher a request answers from, and the story map it folds
    /// copies with (none when it asks for every copy): the newest commit,
    /// or while its map is being made by [`Archive::warm`], the last one
    /// with a map (see [`Published`]).
    fn snapshot(&self, req: &SearchRequest) -> Result<(tantivy::Searcher, Option<Arc<StoryMap>>)> {
        self.reload()?;
        let newest = self.reader.searcher();
        if req.all_copies {
            return Ok((newest, None));
        }
        let (searcher, map) = self
            .published
            .for_search(newest, |s| self.make_story_map(s))
            .map_err(|e| e.at_index(&self.dir))?;
        Ok((searcher, Some(map)))
    }

    /// Keeps the story map of the newest commit ready, for a long-running
    /// program that searches while other processes write (`byline serve`
    /// calls it from a thread of its own a few times a second): after a
    /// commit, it loads or works out the new map (about two seconds for
    /// 200,000 articles) while searches go on answering from the last
    /// commit with a map, instead of the first search after the commit
    /// working it out while the others wait. Once it has been called,
    /// searches no longer make maps themselves. True when it made one.
    pub fn warm(&self) -> Result<bool> {
        self.reload()?;
        self.published
            .warm(self.reader.searcher(), |s| self.make_story_map(s))
            .map_err(|e| e.at_index(&self.dir))
    }

    /// Works out the stories of the index as just written and saves them
    /// beside it, unless the saved ones still fit. Failing to save costs
    /// only speed: readers work a missing map out for themselves.
    fn save_stories(&self) -> Result<()> {
        let searcher = self.reader.searcher();
        if StoryMap::load(&self.dir, &searcher).is_some() {
            return Ok(());
        }
        let map = StoryMap::compute(&self.index, &searcher, &self.fields)?;
        let _ = map.save(&self.dir);
        self.published.publish(searcher, map);
        Ok(())
    }

    /// Opens the segments of the newest commit, unless the reader has them
    /// open already. Every search starts here, so that it sees the last
    /// commit of a writer in another process. Opening every segment again
    /// for each search is work a long-running server (`byline serve`)
    /// would repeat thousands of times a second for nothing; a look at
    /// `meta.json`, which names the commit, tells whether there is a new
    /// one. A search answers from the commit it opened,
    /// whatever a writer commits meanwhile.
    fn reload(&self) -> Result<()> {
        let meta = self.meta_fingerprint();
        if meta != 0 && meta == self.loaded_meta.load(Ordering::Acquire) {
            return Ok(());
        }
        readonly::retry_vanished(|| self.reader.reload())
            .map_err(|e| Error::from(e).at_index(&self.dir))?;
        // Read before the reload, so a commit in between is reloaded on the
        // next search rather than missed.
        self.loaded_meta.store(meta, Ordering::Release);
        Ok(())
    }

    /// What `meta.json`, which every commit replaces, is now (0 when it
    /// cannot be read). On Unix its file's identity, size and time: tantivy
    /// writes a new file and renames it over the old, so a commit changes
    /// the inode and the time, and a stat costs less than reading and
    /// hashing the file on every search (1.4% of a loaded server's time).
    fn meta_fingerprint(&self) -> u64 {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(m) = std::fs::metadata(self.dir.join("meta.json")) {
                let parts = [
                    m.dev(),
                    m.ino(),
                    m.size(),
                    m.mtime() as u64,
                    m.mtime_nsec() as u64,
                    m.ctime() as u64,
                    m.ctime_nsec() as u64,
                ];
                let bytes: Vec<u8> = parts.iter().flat_map(|p| p.to_le_bytes()).collect();
                return xxhash_rust::xxh3::xxh3_64(&bytes).max(1);
            }
        }
        self.index
            .directory()
            .atomic_read(std::path::Path::new("meta.json"))
            .map(|bytes| xxhash_rust::xxh3::xxh3_64(&bytes).max(1))
            .unwrap_or(0)
    }

    fn writer(&self, opts: &IndexOptions, what: &str) -> Result<(WriterLock, IndexWriter)> {
        let lock = writer_lock(&self.dir, what)?;
        let threads = indexer::writer_threads(opts);
        // tantivy needs at least 15 MB per indexing thread, and takes at
        // most about 4 GB per thread.
        let budget = opts
            .memory_budget
            .clamp(threads * 16_000_000, threads * 4_000_000_000);
        let writer = self
            .index
            .writer_with_num_threads(threads, budget)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::IoError(io),
                    _,
                ) if readonly::is_unwritable(&io) => Error::ReadOnly {
                    path: self.dir.clone(),
                    source: std::io::Error::new(io.kind(), io.to_string()),
                },
                tantivy::TantivyError::LockFailure(..) => Error::Locked {
                    path: self.dir.clone(),
                    lock: self.dir.join(".tantivy-writer.lock"),
                    holder: " (a tantivy writer in another program)".into(),
                },
                other => Error::Index(other),
            })?;
        // No merges while a job writes: a merge still running when a failed
        // job is rolled back goes on in tantivy's merge threads and leaves
        // its segment behind, after the cleanup (on a full disk, the space
        // the cleanup was meant to free). The job's last commit turns merging
        // back on (`indexer::execute`), and `write` waits for those merges.
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        // A run killed before its commit leaves files tantivy registered and
        // no commit names (segments, `.del` files); this run's deletes, at
        // the same opstamp, would write a `.del` of the same name and fail
        // on it ("FileAlreadyExists"). They are removed before writing: the
        // writer lock says no other writer is running. Best effort: a file
        // that cannot be removed now is tried again after the commit.
        let _ = writer.garbage_collect_files().wait();
        Ok((lock, writer))
    }

    /// Indexes every article under `root` (a folder or one file), replacing
    /// what the index held, and commits. Searches see the old content until
    /// the commit. `progress` is called from worker threads. A folder with
    /// no article files is refused while the index holds articles (most
    /// often a share that failed to mount); delete the index to empty it.
    ///
    /// Since it replaces the whole index, the run commits nothing, and fails
    /// with [`Error::Incomplete`], when a folder or file the index holds
    /// articles from cannot be read (permissions: [`Archive::reindex`] keeps
    /// those articles), when the folder vanishes during the run, or when
    /// more than one in ten of its files (and more than one) vanish while it
    /// reads them: most often a share unmounted mid-run. A full disk fails
    /// with [`Error::NoSpace`], and [`IndexOptions::stop`] with
    /// [`Error::Stopped`]; in every failure what the run wrote is removed,
    /// and the index is as its last commit left it.
    pub fn index_folder(
        &self,
        root: impl AsRef<Path>,
        opts: &IndexOptions,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<IndexReport> {
        self.index_replacing(root.as_ref(), None, opts, progress)
    }

    /// [`Archive::index_folder`], replacing what `previous` holds (the live
    /// index of `reindex --full`), or this index's own articles.
    fn index_replacing(
        &self,
        root: &Path,
        previous: Option<&tantivy::Searcher>,
        opts: &IndexOptions,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<IndexReport> {
        // Timed from here, not inside the job: the merges and the story map
        // after its commit are part of the wait (a fifth of it at 2M articles).
        let start = std::time::Instant::now();
        let mut report = self.write(opts, "byline index", |w, fields, searcher| {
            let previous = previous.unwrap_or(searcher);
            indexer::rebuild(w, fields, searcher, previous, root, opts, progress)
        })?;
        report.seconds = start.elapsed().as_secs_f64();
        report.undated = self.undated().map_err(|e| e.at_index(&self.dir))?;
        Ok(report)
    }

    /// Articles in the index with no published date.
    fn undated(&self) -> Result<u64> {
        let searcher = self.reader.searcher();
        let dated = searcher.search(
            &ExistsQuery::new(field::PUBLISHED.to_string(), false),
            &Count,
        )? as u64;
        let documents = searcher.search(&self.fields.articles(), &Count)? as u64;
        Ok(documents.saturating_sub(dated))
    }

    /// The folder (or file) this index was last built or reindexed from,
    /// absolute, as the index recorded it: what `byline reindex` reads when
    /// given no folder. `None` for an index written before byline recorded
    /// it.
    pub fn built_from(&self) -> Option<PathBuf> {
        indexer::recorded_folder(&self.index)
    }

    /// Whether the index dates articles by their files' modification times
    /// (built with [`IndexOptions::mtime_dates`]), where it recorded that.
    pub fn dates_by_mtime(&self) -> Option<bool> {
        indexer::recorded_mtime_dates(&self.index)
    }

    /// Runs `job` with the writer lock held, a writer, and a searcher on the
    /// index as it was; then waits for merges and reloads. Leftovers of dead
    /// `reindex --full` runs beside the index are removed first. When `job`
    /// fails, what it wrote since its last commit is rolled back and its
    /// files removed: a failure on a full disk must not leave the disk full.
    fn write<T>(
        &self,
        opts: &IndexOptions,
        what: &str,
        job: impl FnOnce(&mut IndexWriter, &Fields, &tantivy::Searcher) -> Result<T>,
    ) -> Result<T> {
        let (lock, mut writer) = self.writer(opts, what)?;
        remove_leftovers(&self.dir, &lock);
        self.reload()?;
        self.first_write_error.take();
        let searcher = self.reader.searcher();
        let out = match job(&mut writer, &self.fields, &searcher) {
            Ok(out) => out,
            Err(e) => {
                let e = match (e, self.first_write_error.take()) {
                    // A killed indexing thread: its cause.
                    (Error::Index(tantivy::TantivyError::ErrorInThread(_)), Some(io)) => {
                        Error::Index(io.into())
                    }
                    (e, _) => e,
                };
                // Said before the cleanup, which frees the space.
                let full = is_disk_full(&e, &self.dir);
                // Rolling back joins every indexing thread, so the garbage
                // collection after it sees every file the run wrote.
                let _ = writer.rollback();
                let _ = writer.garbage_collect_files().wait();
                drop(writer);
                return Err(said_of(e, full, &self.dir));
            }
        };
        writer.wait_merging_threads()?;
        self.reload()?;
        self.save_stories()?;
        readonly::share_metadata(&self.dir);
        Ok(out)
    }

    /// Brings the index in step with the folder `root`: new files are
    /// indexed, changed ones re-indexed (a JSON Lines file record by record),
    /// removed ones deleted, and unchanged ones (same size and mtime, or same
    /// content hash) not parsed at all. Long runs commit as they go; killed at
    /// any point, the index stays searchable and the next run finishes.
    /// Articles are read with the entity and mtime-date settings the index
    /// was built with (recorded in it), not those of `opts`, so that the
    /// index stays as one build would make it; `opts` decides them only for
    /// an index that recorded none.
    pub fn reindex(
        &self,
        root: impl AsRef<Path>,
        opts: &IndexOptions,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<ReindexReport> {
        let opts = &indexer::recorded_options(&self.index, opts);
        let start = std::time::Instant::now();
        let mut report = self.write(opts, "byline reindex", |w, fields, searcher| {
            indexer::reindex(w, fields, searcher, root.as_ref(), opts, progress)
        })?;
        report.seconds = start.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Rebuilds the index at `dir` from `root` into a fresh index beside it,
    /// then swaps the two folders in one atomic step (`renameat2`
    /// `RENAME_EXCHANGE`): searches running meanwhile keep answering from the
    /// old index, and a new search finds either the old or the new one, never
    /// neither. The old index is then deleted. The new index keeps the entity
    /// and mtime-date settings the old one recorded (see [`Archive::reindex`]),
    /// except that [`IndexOptions::mtime_dates`] set turns mtime dates on.
    pub fn rebuild_into_place(
        dir: impl AsRef<Path>,
        root: impl AsRef<Path>,
        opts: &IndexOptions,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<IndexReport> {
        let dir = dir.as_ref();
        let asked_mtime_dates = opts.mtime_dates;
        refuse_a_file(dir)?;
        if !Self::exists(dir) {
            let archive = Self::open_or_create(dir)?;
            return archive.index_folder(root, opts, progress);
        }
        // Hold the live index's lock for the whole run: no other writer
        // may change what is about to be replaced.
        let lock = writer_lock(dir, "byline reindex --full")?;
        // A damaged index is what a full rebuild is for: it is replaced
        // with nothing read from it (its articles' settings and its record
        // of unreadable folders are lost with it).
        let live = match Self::open(dir).and_then(|live| live.reload().map(|()| live)) {
            Ok(live) => Some(live),
            Err(Error::Damaged { .. }) => None,
            Err(e) => return Err(e),
        };
        if live.is_none() {
            // What the damaged index held is unknown, so a folder with no
            // article files (a share that failed to mount) must not replace
            // it with an empty one.
            let found = crate::ingest::discover(root.as_ref(), &mut Vec::new())?;
            if found.is_empty() {
                return Err(Error::bad(
                    root.as_ref(),
                    format!(
                        "no article files found; the damaged index at {} is left as it is \
                         (is the folder mounted?)",
                        dir.display()
                    ),
                ));
            }
        }
        let previous = live.as_ref().map(|live| live.reader.searcher());
        let mut opts = match &live {
            Some(live) => indexer::recorded_options(&live.index, opts),
            None => opts.clone(),
        };
        // A rebuild reads every file again, so it may start dating by file
        // times without making a mix of the two.
        opts.mtime_dates |= asked_mtime_dates;
        let opts = &opts;
        // `--index .` has no name or parent to build the fresh folder beside.
        let dir = &std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "index".into());
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // A fresh folder, and the leftovers of a run that was killed removed.
        swap::remove_stale(parent, &name, &lock);
        let fresh = parent.join(format!(".{name}.new-{}", std::process::id()));
        let built = Self::open_or_create(&fresh).and_then(|archive| {
            archive.index_replacing(root.as_ref(), previous.as_ref(), opts, progress)
        });
        let report = match built {
            Ok(report) => report,
            Err(e) => {
                let full = is_disk_full(&e, parent);
                let _ = std::fs::remove_dir_all(&fresh);
                return Err(said_of(e, full, dir));
            }
        };
        for keep in [".gitignore"] {
            if dir.join(keep).exists() {
                let _ = std::fs::copy(dir.join(keep), fresh.join(keep));
            }
        }
        swap::exchange(&fresh, dir)?;
        // `fresh` now holds the old index.
        let _ = std::fs::remove_dir_all(&fresh);
        Ok(report)
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let (searcher, stories) = self.snapshot(req)?;
        search::execute(&self.index, &searcher, &self.fields, req, stories)
            .map_err(|e| e.at_index(&self.dir))
    }

    /// Runs a search as [`Archive::search`] does, but reads the hits back
    /// `page_size` at a time as the returned iterator is advanced: an export
    /// of many hits holds one page of articles in memory, not all of them.
    /// The total and the notes are there before the first page.
    pub fn search_pages(&self, req: &SearchRequest, page_size: usize) -> Result<HitPages<'_>> {
        let (searcher, stories) = self.snapshot(req)?;
        let ranked = search::rank(&self.index, &searcher, &self.fields, req, stories)
            .map_err(|e| e.at_index(&self.dir))?;
        Ok(HitPages::new(ranked, page_size).at_index(&self.dir))
    }

    /// Counts the articles matching `req` (its query and date bounds; limit,
    /// offset and sort do not apply) per day, week, month or year. An empty
    /// query covers the whole archive.
    pub fn timeline(&self, req: &SearchRequest, by: Granularity) -> Result<Timeline> {
        let (searcher, stories) = self.snapshot(req)?;
        search::timeline(&self.index, &searcher, &self.fields, req, by, stories)
            .map_err(|e| e.at_index(&self.dir))
    }

    /// The entities named in most of the articles matching `req` (its query
    /// and date bounds; an empty query covers the whole archive), up to
    /// `limit` of each kind.
    pub fn top_entities(&self, req: &SearchRequest, limit: usize) -> Result<TopEntities> {
        let (searcher, stories) = self.snapshot(req)?;
        search::top_entities(&self.index, &searcher, &self.fields, req, limit, stories)
            .map_err(|e| e.at_index(&self.dir))
    }

    /// The stories that have copies (the same text republished, trimmed,
    /// extended or corrected, within `window_days` of each other), largest
    /// first, of which at least one copy matches `req` (its query and date
    /// bounds; an empty query covers the whole archive).
    pub fn duplicates(
        &self,
        req: &SearchRequest,
        window_days: u32,
    ) -> Result<crate::search::stories::Duplicates> {
        self.reload()?;
        crate::search::stories::duplicates(
            &self.index,
            &self.reader.searcher(),
            &self.fields,
            req,
            window_days,
        )
        .map_err(|e| e.at_index(&self.dir))
    }

    /// The article with this id, as indexed: its stored text and metadata,
    /// with its entities (people, organisations, places with their mention
    /// counts) found again as a hit's are, or none when the index was built
    /// without entities. [`Error::NotFound`] when no article has the id, or
    /// several do (ids are unique within a file, not across an archive).
    pub fn article(&self, id: &str) -> Result<Article> {
        self.reload()?;
        let searcher = self.reader.searcher();
        let found = crate::lookup::by_id(&searcher, &self.fields, id)
            .and_then(|addr| addr.map(|a| self.read_back(&searcher, a)).transpose())
            .map_err(|e| e.at_index(&self.dir))?;
        found.ok_or_else(|| {
            Error::NotFound(format!(
                "no article with the id `{id}` in the index at {}; `byline search` finds \
                 articles by their words",
                self.dir.display()
            ))
        })
    }

    /// The article at `path`, as indexed (see [`Archive::article`]): the
    /// path of a file of one article, or `FILE#KEY`, the path byline prints
    /// for a record of a file of several ([`crate::ingest::RecordKey`]).
    /// A relative path is read from the current folder, else from the
    /// folder the index was built from ([`Archive::built_from`]) or one of
    /// its ancestors, so a path as `byline search` printed it names its
    /// article from any folder.
    /// [`Error::NotFound`] says whether the file is not in the index, holds
    /// no such record, or holds several articles and needs a key.
    pub fn article_at(&self, path: &str) -> Result<Article> {
        self.reload()?;
        let searcher = self.reader.searcher();
        crate::lookup::by_path(
            &searcher,
            &self.fields,
            &self.dir,
            self.built_from().as_deref(),
            path,
        )
        .and_then(|addr| self.read_back(&searcher, addr))
        .map_err(|e| e.at_index(&self.dir))
    }

    /// What `byline show` shows: the article with the id `reference`, else
    /// the one at the path `reference` ([`Archive::article_at`]).
    pub fn show(&self, reference: &str) -> Result<Article> {
        match self.article(reference) {
            Err(Error::NotFound(no_id)) if !no_id.contains("names") => {
                self.article_at(reference).map_err(|e| match e {
                    // Neither: said of both, when it looks like an id.
                    Error::NotFound(no_path)
                        if no_path.contains("not in the index")
                            && !reference.contains(['/', '#']) =>
                    {
                        Error::NotFound(format!(
                            "no article with the id `{reference}`, and no file of that name, \
                             in the index at {}; `byline search` finds \
                 articles by their words",
                            self.dir.display()
                        ))
                    }
                    e => e,
                })
            }
            found => found,
        }
    }

    /// The article at `addr` as the index holds it, with the entities it
    /// was indexed with (none for an index built without them).
    fn read_back(
        &self,
        searcher: &tantivy::Searcher,
        addr: tantivy::DocAddress,
    ) -> Result<Article> {
        crate::lookup::read(searcher, &self.fields, addr)
    }

    /// Every article of the index as of its newest commit, read back one
    /// at a time, in the index's order: what `byline export` writes. With
    /// `since` and `until`, only the articles published in
    /// `[since, until)`. A commit made while the articles are read is not
    /// seen by them.
    pub fn articles(
        &self,
        since: Option<jiff::Timestamp>,
        until: Option<jiff::Timestamp>,
    ) -> Result<Articles<'_>> {
        self.reload()?;
        Ok(Articles::new(
            self.reader.searcher(),
            &self.fields,
            (since, until),
        ))
    }

    /// Every article as [`Archive::articles`] gives them, each with the id
    /// of its story (copies of one text within a few days, as searches
    /// fold them: the representative's id, or the article's own when it
    /// has no copies): what `byline quickwit push` sends, so that another
    /// engine can show a story once.
    pub fn feed(
        &self,
        since: Option<jiff::Timestamp>,
        until: Option<jiff::Timestamp>,
    ) -> Result<crate::dump::Feed<'_>> {
        self.reload()?;
        let searcher = self.reader.searcher();
        let map = self.make_story_map(&searcher)?;
        Ok(crate::dump::Feed::new(
            Articles::new(searcher, &self.fields, (since, until)),
            map,
        ))
    }

    /// Counts the articles in the index, as of its newest commit.
    pub fn len(&self) -> u64 {
        // A count from before the newest commit would tell a monitor that
        // polls it (`/api/health`) nothing of a `reindex`. If the reload
        // fails, the count is of the commit last opened.
        let _ = self.reload();
        let searcher = self.reader.searcher();
        searcher
            .search(&self.fields.articles(), &Count)
            .map(|n| n as u64)
            .unwrap_or(0)
    }

    /// True when the index holds no articles.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Numbers about the archive.
    pub fn stats(&self) -> Result<Stats> {
        self.reload()?;
        self.count_stats().map_err(|e| e.at_index(&self.dir))
    }

    fn count_stats(&self) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let count_term = |field, value: &str| -> Result<u64> {
            let q = TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            );
            Ok(searcher.search(&q, &Count)? as u64)
        };
        let mut formats = Vec::new();
        for f in Format::ALL {
            let n = count_term(self.fields.format, f.as_str())?;
            if n > 0 {
                formats.push((f.as_str().to_string(), n));
            }
        }
        let mut date_sources = Vec::new();
        for s in [
            DateSource::Metadata,
            DateSource::Path,
            DateSource::Text,
            DateSource::FileMtime,
        ] {
            let n = count_term(self.fields.date_source, s.as_str())?;
            if n > 0 {
                date_sources.push((s.as_str().to_string(), n));
            }
        }
        let mut codes = std::collections::BTreeSet::new();
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(self.fields.language)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                codes.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        let mut languages = Vec::new();
        for code in codes {
            let n = count_term(self.fields.language, &code)?;
            if n > 0 {
                languages.push((code, n));
            }
        }
        languages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let dated = searcher.search(
            &ExistsQuery::new(field::PUBLISHED.to_string(), false),
            &Count,
        )? as u64;
        let edge = |order: Order| -> Result<Option<jiff::Timestamp>> {
            let top = TopDocs::with_limit(1)
                .order_by_fast_field::<tantivy::DateTime>(field::PUBLISHED, order);
            let docs = searcher.search(&ExistsQuery::new(field::PUBLISHED.into(), false), &top)?;
            Ok(docs
                .into_iter()
                .next()
                .and_then(|(d, _)| d)
                .map(schema::from_tantivy))
        };
        let documents = searcher.search(&self.fields.articles(), &Count)? as u64;
        Ok(Stats {
            index: self.dir.display().to_string(),
            documents,
            size_bytes: dir_size(&self.dir),
            earliest: edge(Order::Asc)?,
            latest: edge(Order::Desc)?,
            undated: documents.saturating_sub(dated),
            formats,
            date_sources,
            languages,
            segments: searcher.segment_readers().len(),
        })
    }
}

/// True when `path` is there and is not a folder (a symlink to a folder is one).
fn is_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_dir())
}

/// An error when the index path is a file (`--index notes.txt`).
fn refuse_a_file(dir: &Path) -> Result<()> {
    if is_file(dir) {
        return Err(Error::bad(
            dir,
            "is a file, not an index folder; the index path must name a folder",
        ));
    }
    Ok(())
}

/// Removes the leftovers of dead `reindex --full` runs beside the index in
/// `dir`. Holding the writer lock (`_held`) proves no other writer run is
/// going on; `swap::remove_stale` still keeps a folder whose process is
/// alive.
fn remove_leftovers(dir: &Path, held: &WriterLock) {
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return;
    };
    if let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) {
        swap::remove_stale(parent, &name.to_string_lossy(), held);
    }
}

/// True when `e` (or, for tantivy's worker failures, which hide their
/// cause, the free space left at `dir`) says the disk is full.
fn is_disk_full(e: &Error, dir: &Path) -> bool {
    let full = |io: &std::io::Error| {
        io.raw_os_error() == Some(libc::ENOSPC) || io.kind() == std::io::ErrorKind::StorageFull
    };
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>().is_some_and(full) {
            return true;
        }
        if let Some(tantivy::TantivyError::IoError(io)) = c.downcast_ref::<tantivy::TantivyError>()
        {
            if full(io) {
                return true;
            }
        }
        cause = c.source();
    }
    if let Error::Index(t) = e {
        // The text of an io error tantivy wrapped where `source` misses it.
        let text = format!("{t:?}");
        if text.contains("StorageFull") || text.contains("os error 28") {
            return true;
        }
        return free_bytes(dir).is_some_and(|free| free < 1024 * 1024);
    }
    false
}

/// Bytes free to this user on the file system of `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path and `st` a writable
    // statvfs that the call fills in.
    unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c.as_ptr(), &mut st) != 0 {
            return None;
        }
        Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
    }
}

/// A failed write's error, said of the index at `dir`.
fn said_of(e: Error, disk_full: bool, dir: &Path) -> Error {
    match e {
        // The fresh folder of `reindex --full` is the live index's business.
        Error::NoSpace { .. } => Error::NoSpace {
            path: dir.to_path_buf(),
        },
        _ if disk_full => Error::NoSpace {
            path: dir.to_path_buf(),
        },
        Error::Stopped { .. } => Error::Stopped {
            path: dir.to_path_buf(),
        },
        other => other,
    }
}

/// The writer lock, or [`Error::ReadOnly`] when the folder cannot be written.
fn writer_lock(dir: &Path, what: &str) -> Result<WriterLock> {
    WriterLock::acquire(dir, what).map_err(|e| match e {
        Error::Io { source, .. } if readonly::is_unwritable(&source) => Error::ReadOnly {
            path: dir.to_path_buf(),
            source,
        },
        other => other,
    })
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
