//! Finding article files: walking a folder (symbolic links followed with
//! care, index folders and hidden folders left out), and telling each file's
//! format from its name.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use super::{Skipped, SourceFile};
use crate::article::Format;
use crate::error::{Error, Result};

/// Tells the format of a file from its name, looking through a `.gz` suffix.
/// Returns `None` for files byline does not read.
pub fn format_of(path: &Path) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.')?.1;
    let format = match ext {
        "txt" | "text" => Format::Txt,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::Jsonl,
        "html" | "htm" | "xhtml" => Format::Html,
        _ => return None,
    };
    Some((format, gzip))
}

/// Walks `root` (a folder, or a single file) and returns the article files in
/// a stable order. Entries that cannot be read (permissions, broken links,
/// symlink loops) go to `skipped`; files of other types are ignored silently.
///
/// The walk itself reads directories only; the one `stat` per file that size
/// and mtime need runs on all cores, since on a large archive it is most of
/// the time a reindex with nothing to do takes.
pub fn discover(root: &Path, skipped: &mut Vec<Skipped>) -> Result<Vec<SourceFile>> {
    discover_noting_unreadable(root, skipped, &mut Vec::new())
}

/// [`discover`], also noting in `unreadable` each folder or file (as
/// walked) that is there but could not be read (see [`is_refusal`]): a
/// reindex must keep what the index holds from it, since it is not gone.
pub fn discover_noting_unreadable(
    root: &Path,
    skipped: &mut Vec<Skipped>,
    unreadable: &mut Vec<PathBuf>,
) -> Result<Vec<SourceFile>> {
    let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if meta.is_file() {
        let Some((format, gzip)) = format_of(root) else {
            return Err(Error::bad(
                root,
                "not a file type byline reads (.txt, .json, .jsonl, .ndjson, .html, .htm, optionally .gz)",
            ));
        };
        let rel = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(vec![source_file(
            root.to_path_buf(),
            rel,
            format,
            gzip,
            &meta,
        )]);
    }
    let root_real = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let mut found: Vec<(PathBuf, String, Format, bool)> = Vec::new();
    let mut noted = Noted {
        skipped,
        unreadable,
    };
    walk(root, root, &root_real, false, &mut found, &mut noted);
    type Stat = std::result::Result<SourceFile, (Skipped, Option<PathBuf>)>;
    let stats: Vec<Stat> = found
        .into_par_iter()
        .map(|(path, rel, format, gzip)| match std::fs::metadata(&path) {
            Ok(m) => Ok(source_file(path, rel, format, gzip, &m)),
            Err(e) => Err((
                Skipped {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                },
                is_refusal(&e).then_some(path),
            )),
        })
        .collect();
    let mut files = Vec::with_capacity(stats.len());
    for r in stats {
        match r {
            Ok(f) => files.push(f),
            Err((s, refused)) => {
                noted.skipped.push(s);
                noted.unreadable.extend(refused);
            }
        }
    }
    Ok(files)
}

/// True when the OS refused to read something that is there (permission
/// denied, an I/O error), as opposed to it being gone (`NotFound`) or its
/// content being bad (errors the OS did not raise, such as bad gzip).
pub fn is_refusal(e: &std::io::Error) -> bool {
    e.raw_os_error().is_some() && e.kind() != std::io::ErrorKind::NotFound
}

/// What the walk could not use: everything goes to `skipped`; what is there
/// but unreadable also to `unreadable`.
struct Noted<'a> {
    skipped: &'a mut Vec<Skipped>,
    unreadable: &'a mut Vec<PathBuf>,
}

impl Noted<'_> {
    fn push(&mut self, path: &Path, e: &std::io::Error, reason: String) {
        if is_refusal(e) {
            self.unreadable.push(path.to_path_buf());
        }
        self.skipped.push(Skipped {
            path: path.display().to_string(),
            reason,
        });
    }
}

/// Walks `dir` (below `root`), collecting article files. Symbolic links are
/// followed: a link to a folder or file outside the archive is walked (with
/// loop detection); one to a folder or file inside it is skipped, as it is
/// walked anyway, even when reached through a folder outside; one to an
/// ancestor is a loop. Index folders are skipped.
fn walk(
    root: &Path,
    dir: &Path,
    root_real: &Path,
    follow: bool,
    found: &mut Vec<(PathBuf, String, Format, bool)>,
    skipped: &mut Noted,
) {
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            // Hidden folders (.git) and indexes (byline's own `index/`,
            // which `byline index .` finds inside the archive) are not
            // articles.
            if e.file_name().to_string_lossy().starts_with('.') || is_index_dir(e) {
                return false;
            }
            // Out of the archive through one link, back into it through
            // another: what is there is walked anyway.
            !(follow && e.path_is_symlink() && {
                let is_file = e.file_type().is_file();
                std::fs::canonicalize(e.path())
                    .is_ok_and(|t| reached_anyway(&t, root_real, is_file))
            })
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    err.io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string())
                };
                match err.io_error() {
                    Some(io) if err.loop_ancestor().is_none() => {
                        skipped.push(Path::new(&path), io, reason)
                    }
                    _ => skipped.skipped.push(Skipped { path, reason }),
                }
                continue;
            }
        };
        // Only what byline would read is worth a word: a folder, or a file
        // of a format it reads.
        let readable = |e: &walkdir::DirEntry| {
            e.file_type().is_dir()
                || e.path_is_symlink()
                || format_of(Path::new(&*e.file_name().to_string_lossy())).is_some()
        };
        if entry.depth() > 0 && entry.file_name().to_str().is_none() && readable(&entry) {
            // Paths become keys and ids as text: two names that differ only
            // in bytes that are not UTF-8 would be one article.
            skipped.skipped.push(Skipped {
                path: entry.path().display().to_string(),
                reason: "the name is not valid UTF-8; rename it to index it".into(),
            });
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let path = entry.path();
        let mut is_file = entry.file_type().is_file();
        if entry.path_is_symlink() && !follow && entry.depth() > 0 {
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => {
                    match std::fs::canonicalize(path) {
                        Ok(target) if root_real.starts_with(&target) => {
                            skipped.skipped.push(Skipped {
                                path: path.display().to_string(),
                                reason: "symbolic link loop".into(),
                            })
                        }
                        Ok(target) if reached_anyway(&target, root_real, false) => {}
                        Ok(_) => walk(root, path, root_real, true, found, skipped),
                        Err(e) => skipped.push(path, &e, e.to_string()),
                    }
                    continue;
                }
                // A link to a file in the archive would index it twice.
                Ok(_)
                    if std::fs::canonicalize(path)
                        .is_ok_and(|t| reached_anyway(&t, root_real, true)) =>
                {
                    continue
                }
                Ok(m) => is_file = m.is_file(),
                Err(e) => {
                    skipped.push(path, &e, format!("broken link: {e}"));
                    continue;
                }
            }
        }
        let Some((format, gzip)) = format_of(path) else {
            continue;
        };
        // A pipe, socket or device named like an article: reading it could
        // block the run, so it is reported and left alone.
        if !is_file {
            if !entry.file_type().is_dir() && !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
                skipped.skipped.push(Skipped {
                    path: path.display().to_string(),
                    reason: "not a regular file (a pipe, socket or device)".into(),
                });
            }
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
        // Ids derive from `rel`: the same on every platform.
        let rel = if std::path::MAIN_SEPARATOR == '/' {
            rel.into_owned()
        } else {
            rel.replace(std::path::MAIN_SEPARATOR, "/")
        };
        found.push((path.to_path_buf(), rel, format, gzip));
    }
}

/// Whether the walk of `root_real` reaches `target` (canonical) by itself:
/// inside it, not in a hidden folder, and for a file, of a format byline
/// reads. A link to such a target would read it twice; a link to any other
/// (`.versions/x.json`) is the way to it.
fn reached_anyway(target: &Path, root_real: &Path, is_file: bool) -> bool {
    let Ok(inside) = target.strip_prefix(root_real) else {
        return false;
    };
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    !hidden && (!is_file || format_of(target).is_some())
}

/// A tantivy index folder (its `meta.json` and `.managed.json`).
fn is_index_dir(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir()
        && e.path().join(".managed.json").is_file()
        && e.path().join("meta.json").is_file()
}

fn source_file(
    path: PathBuf,
    rel: String,
    format: Format,
    gzip: bool,
    meta: &std::fs::Metadata,
) -> SourceFile {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| Timestamp::try_from(t).ok());
    let path_date = crate::enrich::dates::from_file_path(&path);
    SourceFile {
        path,
        rel,
        format,
        gzip,
        size: meta.len(),
        mtime,
        mtime_dates: false,
        path_date,
    }
}
