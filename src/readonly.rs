//! Reading an index that cannot be written: the [`Directory`] byline opens
//! every index through, and the retry that stands in for tantivy's meta lock
//! when that lock cannot be taken.
//!
//! tantivy's reader takes `.tantivy-meta.lock` (creating the file, opened
//! for writing) each time it opens segments, so that a writer's garbage
//! collection cannot delete files while they are being opened. On a
//! read-only mount, or for a user without write permission, that open
//! fails and so did every search. Here such a failure is not fatal: the
//! lock file, when it exists, is locked through a read-only handle (the
//! advisory lock excludes a writer just the same); when it does not, the
//! lock is skipped, and [`retry_vanished`] opens the segments again should
//! a writer have removed one in between.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr, META_LOCK,
};

/// An [`MmapDirectory`] whose meta lock does not need write access, and
/// which keeps the first error of any file written through it.
#[derive(Debug, Clone)]
pub(crate) struct ReadableDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    first_write_error: FirstWriteError,
}

impl ReadableDirectory {
    /// Opens the folder `root`.
    pub(crate) fn open(root: &Path) -> tantivy::Result<Self> {
        Ok(ReadableDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            first_write_error: FirstWriteError::default(),
        })
    }

    /// Where this directory (and every clone of it) keeps its first write
    /// error.
    pub(crate) fn first_write_error(&self) -> FirstWriteError {
        self.first_write_error.clone()
    }
}

/// The first error any file written through a [`ReadableDirectory`] met.
/// When one of tantivy's indexing threads fails (a full disk, an I/O
/// error), the writer only says "An index writer was killed"; the cause is
/// in the thread's result, which tantivy hands back only by joining its
/// threads one by one and leaving the rest running when one failed, and
/// those write on after the failed run is cleaned up. The directory sees
/// the cause first.
#[derive(Debug, Clone, Default)]
pub(crate) struct FirstWriteError(Arc<Mutex<Option<io::Error>>>);

impl FirstWriteError {
    fn keep<T>(&self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            if let Ok(mut first) = self.0.lock() {
                first.get_or_insert_with(|| io::Error::new(e.kind(), e.to_string()));
            }
        }
        r
    }

    /// The error kept since the last call, if any; the next run starts
    /// with none.
    pub(crate) fn take(&self) -> Option<io::Error> {
        self.0.lock().ok().and_then(|mut f| f.take())
    }
}

/// A file being written, whose errors are kept.
struct Recording {
    inner: Box<dyn TerminatingWrite + Send + Sync>,
    errors: FirstWriteError,
}

impl Write for Recording {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.errors.keep(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.errors.keep(r)
    }
}

impl TerminatingWrite for Recording {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        let r = self.inner.terminate_ref(token);
        self.errors.keep(r)
    }
}

/// Gives `meta.json` and `.managed.json` the mode the umask gives any other
/// file of the index. tantivy writes them through a temporary file, created
/// 0600 whatever the umask, so an index one user built could not be
/// searched by another although its segments could be read. Best effort:
/// a file that cannot be changed keeps its mode.
pub(crate) fn share_metadata(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::Permissions::from_mode(0o666 & !umask());
    for name in ["meta.json", ".managed.json"] {
        let _ = std::fs::set_permissions(dir.join(name), mode.clone());
    }
}

/// The process's umask, read without changing it (`umask(2)` can only be
/// read by setting it, which races with other threads creating files).
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// True when `e` says the folder or file may not be written: a read-only
/// file system (EROFS) or missing permission (EACCES, EPERM).
pub(crate) fn is_unwritable(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

/// The meta lock taken through a read-only handle; released when dropped
/// (closing the file releases the advisory lock).
struct SharedLock(#[allow(dead_code)] File);

impl Directory for ReadableDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file = self.inner.open_write(path).inspect_err(|e| {
            if let OpenWriteError::IoError { io_error, .. } = e {
                let _ = self
                    .first_write_error
                    .keep::<()>(Err(io::Error::new(io_error.kind(), io_error.to_string())));
            }
        })?;
        // The buffer is empty: nothing was written yet.
        let inner = file.into_inner().map_err(|e| OpenWriteError::IoError {
            io_error: Arc::new(e.into_error()),
            filepath: path.to_path_buf(),
        })?;
        Ok(io::BufWriter::new(Box::new(Recording {
            inner,
            errors: self.first_write_error.clone(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let r = self.inner.atomic_write(path, data);
        self.first_write_error.keep(r)?;
        // Every commit rewrites these files 0600: readable again at once,
        // so that other users' searches never see them closed.
        share_metadata(&self.root);
        Ok(())
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            // Only the readers' lock: the writer's must stay a real one,
            // and a writer cannot work in such a folder anyway.
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath && is_unwritable(&e) =>
            {
                // A shared lock still waits for a writer's garbage
                // collection, which holds it exclusively.
                let held = File::open(self.root.join(&lock.filepath))
                    .and_then(|f| f.lock_shared().map(|()| f));
                Ok(match held {
                    Ok(file) => DirectoryLock::from(Box::new(SharedLock(file))),
                    // No lock file: no writer has ever collected garbage
                    // here; `retry_vanished` covers one that starts now.
                    Err(_) => DirectoryLock::from(Box::new(())),
                })
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// How often opening the segments is tried when a file has vanished.
const ATTEMPTS: u32 = 5;

/// Runs `open` (opening the index's segments) again, a few times, while it
/// fails because a file does not exist: without the meta lock, a writer may
/// have committed and deleted an old segment between reading `meta.json`
/// and opening the segment's files; the next try reads the new
/// `meta.json`. A file that stays missing is reported as it is.
pub(crate) fn retry_vanished<T>(
    mut open: impl FnMut() -> tantivy::Result<T>,
) -> tantivy::Result<T> {
    let mut attempt = 1;
    loop {
        match open() {
            Err(tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(_)))
                if attempt < ATTEMPTS =>
            {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(10 * u64::from(attempt)));
            }
            other => return other,
        }
    }
}
