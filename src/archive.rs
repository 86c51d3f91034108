//! [`Archive`]: an index folder opened for searching and indexing; the
//! library's front door.

use std::path::{Path, PathBuf};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, ExistsQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, Term};

use crate::article::{DateSource, Format};
use crate::error::{Error, Result};
use crate::indexer::{self, IndexOptions, IndexReport, Progress};
use crate::schema::{self, Fields};
use crate::search::timeline::{Granularity, Timeline};
use crate::search::{self, SearchRequest, SearchResults};

/// A byline index on disk.
pub struct Archive {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
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
    /// Index segments.
    pub segments: usize,
}

impl Archive {
    /// Opens an existing index.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        if !Self::exists(&dir) {
            return Err(Error::NoIndex(dir));
        }
        let index = Index::open_in_dir(&dir)?;
        let fields = Fields::from_schema(&index.schema())?;
        Self::wrap(dir, index, fields)
    }

    /// Creates an empty index in `dir` (the folder is created if needed), or
    /// opens the one that is there.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        if Self::exists(&dir) {
            return Self::open(dir);
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let fields = Fields::build();
        let index = Index::create_in_dir(&dir, fields.schema.clone())?;
        Self::wrap(dir, index, fields)
    }

    /// True when `dir` holds an index.
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    fn wrap(dir: PathBuf, index: Index, fields: Fields) -> Result<Self> {
        schema::register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Archive {
            dir,
            index,
            reader,
            fields,
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

    pub(crate) fn writer(&self, opts: &IndexOptions) -> Result<IndexWriter> {
        let threads = indexer::writer_threads(opts);
        // tantivy needs at least 15 MB per indexing thread.
        let budget = opts.memory_budget.max(threads * 16_000_000);
        self.index
            .writer_with_num_threads(threads, budget)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Locked {
                    path: self.dir.clone(),
                    lock: indexer::lock_path(&self.dir),
                    holder: String::new(),
                },
                other => Error::Index(other),
            })
    }

    /// Indexes every article under `root` (a folder or one file), replacing
    /// what the index held, and commits. Searches see the old content until
    /// the commit. `progress` is called from worker threads.
    pub fn index_folder(
        &self,
        root: impl AsRef<Path>,
        opts: &IndexOptions,
        progress: &(dyn Fn(&Progress) + Sync),
    ) -> Result<IndexReport> {
        let mut writer = self.writer(opts)?;
        let report = indexer::rebuild(&mut writer, &self.fields, root.as_ref(), opts, progress)?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(report)
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        self.reader.reload()?;
        search::run(&self.index, &self.reader.searcher(), &self.fields, req)
    }

    /// Counts the articles matching `req` (its query and date bounds; limit,
    /// offset and sort do not apply) per day, week, month or year. An empty
    /// query covers the whole archive.
    pub fn timeline(&self, req: &SearchRequest, by: Granularity) -> Result<Timeline> {
        self.reader.reload()?;
        search::timeline(&self.index, &self.reader.searcher(), &self.fields, req, by)
    }

    /// Counts the articles in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when the index holds no articles.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Numbers about the archive.
    pub fn stats(&self) -> Result<Stats> {
        self.reader.reload()?;
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
        let dated =
            searcher.search(&ExistsQuery::new("published".to_string(), false), &Count)? as u64;
        let edge = |order: Order| -> Result<Option<jiff::Timestamp>> {
            let top =
                TopDocs::with_limit(1).order_by_fast_field::<tantivy::DateTime>("published", order);
            let docs = searcher.search(&ExistsQuery::new("published".into(), false), &top)?;
            Ok(docs
                .into_iter()
                .next()
                .and_then(|(d, _)| d)
                .map(schema::from_tantivy))
        };
        let documents = searcher.search(&AllQuery, &Count)? as u64;
        Ok(Stats {
            index: self.dir.display().to_string(),
            documents,
            size_bytes: dir_size(&self.dir),
            earliest: edge(Order::Asc)?,
            latest: edge(Order::Desc)?,
            undated: documents.saturating_sub(dated),
            formats,
            date_sources,
            segments: searcher.segment_readers().len(),
        })
    }
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
