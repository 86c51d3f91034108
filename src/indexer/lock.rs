//! One writer at a time: an advisory lock on a file in the index folder,
//! holding the owner's pid and command so a second writer can say who is
//! in the way. Readers never take it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the lock file inside an index folder.
pub const LOCK_FILE: &str = ".byline-writer.lock";

/// A held writer lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    path: PathBuf,
}

impl WriterLock {
    /// Takes the lock of the index in `dir`, or fails at once with
    /// [`Error::Locked`] naming the holder.
    pub fn acquire(dir: &Path, what: &str) -> Result<WriterLock> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                // The holder writes its note just after taking the lock: a
                // writer that lost a race by microseconds reads an empty
                // file, so it waits a moment for the name to appear.
                let mut holder = String::new();
                for _ in 0..20 {
                    holder.clear();
                    let _ = file.rewind();
                    let _ = file.read_to_string(&mut holder);
                    if !holder.trim().is_empty() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                let holder = holder.trim();
                return Err(Error::Locked {
                    path: dir.to_path_buf(),
                    lock: path,
                    holder: if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" ({holder})")
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let note = format!(
            "pid {}, {what}, since {}",
            std::process::id(),
            jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M:%S UTC")
        );
        // The note is for humans; failing to write it must not stop the run.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = file.write_all(note.as_bytes());
        let _ = file.flush();
        Ok(WriterLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = self._file.set_len(0);
    }
}
