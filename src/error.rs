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
    /// Writing an export (`search --csv`, an HTTP response) failed: most
    /// often the reader went away (a closed pipe).
    #[error("writing the output failed: {0}")]
    Output(#[source] std::io::Error),
    /// The query string could not be understood.
    #[error("invalid query: {0}")]
    Query(String),
    /// A Quickwit node refused a request, could not be reached, or was
    /// asked for what it cannot do as byline does (`byline quickwit`,
    /// `search --quickwit`).
    #[error("quickwit: {0}")]
    Quickwit(String),
    /// No article answers to the id or path asked for (`byline show`); the
    /// message says what was looked for and what to try.
    #[error("{0}")]
    NotFound(String),
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
    #[error("index error: {}", describe(.0))]
    Index(tantivy::TantivyError),
    /// The index on disk cannot be read: a file is damaged or missing, or
    /// it was written by an incompatible version.
    #[error("the index at {} is damaged; rebuild it with `byline index` ({reason})", path.display())]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// What was found wrong, in words.
        reason: String,
    },
    /// The disk filled up while the index was being written. The run was
    /// rolled back and what it wrote removed: the index is as its last
    /// commit left it.
    #[error("no space left on device while writing the index at {}; free some space and run again (the index is as its last commit left it, and what this run wrote was removed)", path.display())]
    NoSpace {
        /// The index folder.
        path: PathBuf,
    },
    /// A writer run was stopped (SIGINT, SIGTERM, or the
    /// [`crate::IndexOptions::stop`] flag) before it finished; it committed
    /// nothing more and removed what it wrote.
    #[error("the run on the index at {} was stopped before it finished; the index is as its last commit left it", path.display())]
    Stopped {
        /// The index folder.
        path: PathBuf,
    },
    /// The run could not read what it must to replace what the index holds
    /// (its folder vanished, or a folder with indexed articles could not be
    /// read), so it committed nothing.
    #[error("{}: {reason}", path.display())]
    Incomplete {
        /// The folder or file that vanished or could not be read.
        path: PathBuf,
        /// What happened, and what to do.
        reason: String,
    },
    /// The index can be searched but not written: a read-only mount, or a
    /// folder this user may not write to.
    #[error("the index at {} is read-only (byline can search it, but indexing needs a folder it may write to): {source}", path.display())]
    ReadOnly {
        /// The index folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

// Not `#[from]`, which would make tantivy's error the `source`: its text
// (`IoError(Os { .. })`) would then be printed after byline's.
impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e)
    }
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

/// tantivy's error in words: its own `Display` prints nested `Debug`
/// output (`IoError(Os { code: 30, .. })`) that means nothing to a reader.
pub(crate) fn describe(e: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::{LockError, OpenReadError};
    use tantivy::TantivyError as T;
    match e {
        T::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
            format!("{} is missing", p.display())
        }
        T::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("{}: {}", filepath.display(), io_words(io_error))
        }
        T::OpenReadError(OpenReadError::IncompatibleIndex(i)) | T::IncompatibleIndex(i) => {
            format!("written by an incompatible version of tantivy: {i:?}")
        }
        T::IoError(io) => io_words(io),
        T::LockFailure(LockError::IoError(io), _) => format!("cannot take a lock: {io}"),
        T::LockFailure(LockError::LockBusy, _) => "a lock is held by another process".into(),
        // tantivy's comment is for its developers (and some advise an old
        // tantivy version); the file, when it names one, is what helps.
        T::DataCorruption(d) => {
            let debug = format!("{d:?}");
            match debug
                .split_once("(in file `")
                .and_then(|(_, r)| r.split_once('`'))
            {
                Some((file, _)) => format!("{} is damaged", file.trim_matches('"')),
                None => "a file is damaged".into(),
            }
        }
        // byline reads only the fast fields its schema declares (checked
        // when the index opens), so a column that cannot be found means
        // the segment's `.fast` file is damaged.
        T::SchemaError(m) if is_missing_column(m) => "a fast-field (.fast) file is damaged".into(),
        other => other.to_string(),
    }
}

/// tantivy's message when a fast-field column is not in its file.
fn is_missing_column(message: &str) -> bool {
    message.starts_with("Fast field not available")
}

/// An I/O error in words. Data that is not what tantivy wrote comes back as
/// `InvalidData` with tantivy's own comment ("Footer magic byte mismatch ...
/// Please use tantivy 0.15"), which misleads: it is a damaged file.
fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::InvalidData => "the file is damaged".into(),
        std::io::ErrorKind::UnexpectedEof => "the file is cut short".into(),
        _ => e.to_string(),
    }
}

/// The file a permission error names: a file the user may not read is not
/// a damaged one, and rebuilding would not help.
fn denied(e: &tantivy::TantivyError) -> Option<String> {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError as T;
    match e {
        T::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if io_error.kind() == std::io::ErrorKind::PermissionDenied =>
        {
            Some(filepath.display().to_string())
        }
        T::IoError(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            Some("a file".into())
        }
        _ => None,
    }
}

/// True when `e` means the index files themselves cannot be read as an
/// index, as opposed to a mistake in what was asked of them.
fn is_damage(e: &tantivy::TantivyError) -> bool {
    use tantivy::TantivyError as T;
    matches!(
        e,
        T::OpenReadError(_)
            | T::IoError(_)
            | T::DataCorruption(_)
            | T::IncompatibleIndex(_)
            | T::DeserializeError(_)
            | T::OpenDirectoryError(_)
    ) || matches!(e, T::SchemaError(m) if is_missing_column(m))
}

impl Error {
    /// This error, said of the index at `dir`: tantivy's damage and
    /// I/O errors become [`Error::Damaged`], with advice.
    pub(crate) fn at_index(self, dir: &std::path::Path) -> Self {
        match self {
            Error::Index(e) if denied(&e).is_some() => Error::BadInput {
                path: dir.to_path_buf(),
                reason: format!(
                    "this user may not read the index ({} is not readable); ask its owner for read access",
                    denied(&e).unwrap_or_default()
                ),
            },
            Error::Index(e) if is_damage(&e) => Error::Damaged {
                path: dir.to_path_buf(),
                reason: describe(&e),
            },
            other => other,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
