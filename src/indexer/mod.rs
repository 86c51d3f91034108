//! Indexing a folder: the options and reports of a run, and its progress
//! events. The work is in the modules below: `pipeline` (the rayon workers
//! that read, clean and enrich articles and hand them straight to tantivy's
//! writer), `reindex` (the incremental reindex that brings an index in step
//! with its folder, and the full rebuild), `recorded` (the settings saved
//! with each commit), `lock` and `swap`.
//!
//! Every source file also gets a small *file record* in the index (its size,
//! mtime and hash), so reindexing needs no second store: the index itself says
//! what it was built from.

mod lock;
mod pipeline;
mod recorded;
mod records;
mod reindex;
pub(crate) mod swap;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use serde::ser::{Serialize, SerializeStruct, Serializer};

pub use lock::WriterLock;
pub(crate) use pipeline::writer_threads;
pub(crate) use recorded::{recorded_folder, recorded_mtime_dates, recorded_options};
pub(crate) use reindex::{rebuild, reindex};

use crate::ingest::{self, Skipped};

/// Knobs for an indexing run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The tantivy writer's memory budget in bytes, shared by its threads.
    pub memory_budget: usize,
    /// tantivy indexing threads, and threads that read and enrich articles
    /// for them (0: one of each per core, at most 8 writers).
    pub writer_threads: usize,
    /// Files larger than this are skipped (JSON Lines is streamed instead).
    pub max_file_bytes: u64,
    /// Date an article by its file's modification time when nothing better
    /// is known (off by default: an unpacked or copied archive's file times
    /// are the copy's, not the publication's). Off, such articles stay
    /// undated, and are still indexed and searched.
    pub mtime_dates: bool,
    /// Find people, organisations and places while indexing (on by default).
    /// Off, indexing is faster, but entity queries and `entities` find nothing.
    pub entities: bool,
    /// Set from another thread (a signal handler: `byline` sets it on
    /// SIGINT and SIGTERM) to stop a run: it commits nothing more, rolls
    /// back what it wrote since its last commit, and returns
    /// [`crate::Error::Stopped`].
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            memory_budget: 256 * 1024 * 1024,
            writer_threads: 0,
            max_file_bytes: ingest::DEFAULT_MAX_FILE_BYTES,
            mtime_dates: false,
            entities: true,
            stop: None,
        }
    }
}

/// What a full indexing run did.
///
/// Its JSON form is what `byline index --json` prints: `skipped` is the
/// count and `skipped_files` the list, with `mb_per_sec`, keys in
/// alphabetical order.
#[derive(Debug, Clone, Default)]
pub struct IndexReport {
    /// Article files found.
    pub files: usize,
    /// Articles written to the index.
    pub indexed: u64,
    /// Files and records that could not be used, with the reason.
    pub skipped: Vec<Skipped>,
    /// Bytes of input read.
    pub bytes: u64,
    /// Wall-clock seconds, until the index is searchable: merges and the
    /// story map after the last commit included.
    pub seconds: f64,
    /// Articles in the index with no published date: none in their
    /// metadata, path or text, and no `mtime_dates`.
    pub undated: u64,
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
///
/// Its JSON form is what `byline reindex --json` prints: `skipped` is the
/// count and `skipped_files` the list, keys in alphabetical order; after
/// `reindex --full` (see the `From<IndexReport>` impl), with `"full": true`.
#[derive(Debug, Clone, Default)]
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
    /// Wall-clock seconds, until the index is searchable (merges and the
    /// story map included).
    pub seconds: f64,
    /// Whether this was a full rebuild (`reindex --full`), which counts
    /// every article as added.
    pub full: bool,
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

// The JSON forms below are the `--json` output of `byline index` and
// `byline reindex`, which scripts read: keys in alphabetical order, as
// serde_json printed them when the command built them (its maps are sorted
// without the `preserve_order` feature), and `skipped` a count.

impl Serialize for IndexReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("IndexReport", 8)?;
        m.serialize_field("bytes", &self.bytes)?;
        m.serialize_field("files", &self.files)?;
        m.serialize_field("indexed", &self.indexed)?;
        m.serialize_field("mb_per_sec", &self.mb_per_sec())?;
        m.serialize_field("seconds", &self.seconds)?;
        m.serialize_field("skipped", &self.skipped.len())?;
        m.serialize_field("skipped_files", &self.skipped)?;
        m.serialize_field("undated", &self.undated)?;
        m.end()
    }
}

impl Serialize for ReindexReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("ReindexReport", 10)?;
        m.serialize_field("added", &self.added)?;
        m.serialize_field("bytes_read", &self.bytes_read)?;
        m.serialize_field("files", &self.files)?;
        if self.full {
            m.serialize_field("full", &true)?;
        } else {
            m.skip_field("full")?;
        }
        m.serialize_field("removed", &self.removed)?;
        m.serialize_field("seconds", &self.seconds)?;
        m.serialize_field("skipped", &self.skipped.len())?;
        m.serialize_field("skipped_files", &self.skipped)?;
        m.serialize_field("unchanged", &self.unchanged)?;
        m.serialize_field("updated", &self.updated)?;
        m.end()
    }
}

/// A full rebuild (`reindex --full`) said as a reindex: every article added,
/// nothing updated, removed or left unchanged.
impl From<IndexReport> for ReindexReport {
    fn from(r: IndexReport) -> Self {
        ReindexReport {
            added: r.indexed,
            updated: 0,
            removed: 0,
            unchanged: 0,
            skipped: r.skipped,
            files: r.files,
            bytes_read: r.bytes,
            seconds: r.seconds,
            full: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skipped() -> Vec<Skipped> {
        vec![Skipped {
            path: "a/b.jsonl:3".into(),
            reason: "invalid JSON: x".into(),
        }]
    }

    #[test]
    fn index_report_json_is_what_index_json_prints() {
        let r = IndexReport {
            files: 53,
            indexed: 76,
            skipped: skipped(),
            bytes: 2_000_000,
            seconds: 0.5,
            undated: 3,
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"bytes":2000000,"files":53,"indexed":76,"mb_per_sec":4.0,"seconds":0.5,"skipped":1,"skipped_files":[{"path":"a/b.jsonl:3","reason":"invalid JSON: x"}],"undated":3}"#
        );
    }

    #[test]
    fn reindex_report_json_is_what_reindex_json_prints() {
        let r = ReindexReport {
            added: 1,
            updated: 2,
            removed: 3,
            unchanged: 4,
            skipped: skipped(),
            files: 5,
            bytes_read: 6,
            seconds: 0.25,
            full: false,
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"added":1,"bytes_read":6,"files":5,"removed":3,"seconds":0.25,"skipped":1,"skipped_files":[{"path":"a/b.jsonl:3","reason":"invalid JSON: x"}],"unchanged":4,"updated":2}"#
        );
    }

    #[test]
    fn full_rebuild_json_is_what_reindex_full_json_prints() {
        let r = ReindexReport::from(IndexReport {
            files: 7,
            indexed: 9,
            skipped: Vec::new(),
            bytes: 100,
            seconds: 1.5,
            undated: 0,
        });
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"added":9,"bytes_read":100,"files":7,"full":true,"removed":0,"seconds":1.5,"skipped":0,"skipped_files":[],"unchanged":0,"updated":0}"#
        );
    }
}
