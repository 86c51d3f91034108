//! The library's error type: one enum, a variant per kind of failure a caller
//! may want to tell apart (a user's mistake, a bad file, an index problem).

use std::path::PathBuf;

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed; the path says which.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file could not be turned into articles (binary, truncated JSON, too large...).
    #[error("{}: {reason}", path.display())]
    BadInput {
        /// The offending file (with `:line` for a JSON Lines record).
        path: PathBuf,
        /// Why it was rejected, in words a user can act on.
        reason: String,
    },
    /// The query string could not be understood.
    #[error("invalid query: {0}")]
    Query(String),
    /// There is no index at the given location.
    #[error("no index at {} (run `byline index` first)", .0.display())]
    NoIndex(PathBuf),
    /// Another process is writing to the index.
    #[error("index {} is locked by another writer{holder}; wait for it to finish, or remove {} if no byline process is running", path.display(), lock.display())]
    Locked {
        /// The index folder.
        path: PathBuf,
        /// The lock file that is held.
        lock: PathBuf,
        /// Who holds it, when known (e.g. " (pid 1234)").
        holder: String,
    },
    /// The search engine itself failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn bad(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::BadInput {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
