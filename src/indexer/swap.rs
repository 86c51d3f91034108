//! Swapping a freshly built index folder with the live one, atomically.

use std::path::Path;

use crate::error::{Error, Result};

/// Exchanges two folders in one step where the file system can
/// (`renameat2(RENAME_EXCHANGE)`, Linux), else with two renames.
pub fn exchange(a: &Path, b: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())
            .map_err(|_| Error::bad(a, "path contains a NUL byte"))?;
        let cb = CString::new(b.as_os_str().as_bytes())
            .map_err(|_| Error::bad(b, "path contains a NUL byte"))?;
        // SAFETY: both pointers are valid NUL-terminated strings that outlive
        // the call; renameat2 does not keep them.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        // Not supported by this file system: fall back below.
        if !matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(Error::io(b, err));
        }
    }
    let aside = b.with_extension("byline-old");
    std::fs::rename(b, &aside).map_err(|e| Error::io(b, e))?;
    std::fs::rename(a, b).map_err(|e| Error::io(a, e))?;
    std::fs::rename(&aside, a).map_err(|e| Error::io(&aside, e))?;
    Ok(())
}

/// Removes fresh-index folders (`.NAME.new-PID`) beside the index `NAME`
/// in `parent` left by `reindex --full` runs that died (killed, or the
/// machine went down). The caller holds the index's writer lock (`_held`),
/// which every writer run takes before it creates such a folder, so no
/// other run is writing one; a folder whose process is still alive is kept
/// all the same, since a process that lost its lock cannot be told from one
/// that never had it.
pub fn remove_stale(parent: &Path, name: &str, _held: &super::WriterLock) {
    let prefix = format!(".{name}.new-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .ok()
            .is_some_and(|p| p != std::process::id() && is_running(p));
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Whether a process with this id is running (signal 0 checks without
/// sending; EPERM means it runs as another user).
fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 sends nothing; it only checks the pid.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
