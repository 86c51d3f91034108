//! Planning and running a reindex, and the full rebuild: what the index
//! holds of each file (its file record and article count) against what the
//! folder holds now, and the refusal to empty an index from a folder that
//! looks unmounted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use tantivy::{IndexWriter, Searcher, Term};

use super::pipeline::{execute, kept, mtime_ns, Run};
use super::{IndexOptions, IndexReport, Progress, ReindexReport};
use crate::error::{Error, Result};
use crate::ingest::{self, Skipped, SourceFile};
use crate::schema::{field, Fields, FileState};

/// What to do with one source file.
#[derive(Debug, Clone, Copy)]
pub(super) enum Plan<'a> {
    /// Index all of it: new to the index (or a full build).
    Add(&'a SourceFile),
    /// Known, but its size or mtime changed: compare hashes, re-index what changed.
    Check(&'a SourceFile, Known),
}

impl<'a> Plan<'a> {
    pub(super) fn file(&self) -> &'a SourceFile {
        match *self {
            Plan::Add(f) | Plan::Check(f, _) => f,
        }
    }
}

/// What the index holds for one source file.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Known {
    pub(super) state: FileState,
    pub(super) articles: u64,
}

/// What discovery found under a root.
struct Found {
    files: Vec<SourceFile>,
    /// Reported to `progress` by the caller, once it knows what the index
    /// keeps of the unreadable ones.
    skipped: Vec<Skipped>,
    /// Folders and files that are there but could not be read, as index
    /// keys would name them (absolute), and as `skipped` names them.
    unreadable: Vec<(PathBuf, String)>,
    started: i64,
}

/// Discovers the files under `root`, applying the options.
fn discover(root: &Path, opts: &IndexOptions) -> Result<Found> {
    let mut skipped = Vec::new();
    let mut unreadable = Vec::new();
    let started = now_ns();
    let mut files = ingest::discover_noting_unreadable(root, &mut skipped, &mut unreadable)?;
    files
        .iter_mut()
        .for_each(|f| f.mtime_dates = opts.mtime_dates);
    let root_abs = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let unreadable = unreadable
        .iter()
        .map(|p| {
            let abs = match p.strip_prefix(root) {
                Ok(rel) if !rel.as_os_str().is_empty() => root_abs.join(rel),
                _ => root_abs.clone(),
            };
            (abs, p.display().to_string())
        })
        .collect();
    Ok(Found {
        files,
        skipped,
        unreadable,
        started,
    })
}

/// Articles `known` holds from each of the `unreadable` paths (a file, or
/// every file under a folder), where it holds any.
fn held_under<'u>(
    known: &HashMap<String, Known>,
    unreadable: &'u [(PathBuf, String)],
) -> Vec<(&'u (PathBuf, String), u64)> {
    unreadable
        .iter()
        .filter_map(|u| {
            let n: u64 = known
                .iter()
                .filter(|(file, _)| Path::new(file).starts_with(&u.0))
                .map(|(_, k)| k.articles)
                .sum();
            (n > 0).then_some((u, n))
        })
        .collect()
}

/// A full rebuild replaces everything the index held, so a folder or file
/// it could not read would lose its articles: the run is refused instead,
/// before it commits anything. `byline reindex` keeps them.
fn refuse_to_drop(
    previous: &Searcher,
    unreadable: &[(PathBuf, String)],
    skipped: &[Skipped],
) -> Result<()> {
    if unreadable.is_empty() {
        return Ok(());
    }
    let known = known_files(previous)?;
    let Some(((_, walked), n)) = held_under(&known, unreadable).into_iter().next() else {
        return Ok(());
    };
    let path = PathBuf::from(walked);
    let why = skipped
        .iter()
        .find(|s| &s.path == walked)
        .map(|s| s.reason.clone())
        .unwrap_or_else(|| "permission denied".into());
    Err(Error::Incomplete {
        reason: format!(
            "cannot be read ({why}), and the index holds {n} article{} from it that a full \
             rebuild would drop; nothing was committed: make it readable and run again, or \
             run `byline reindex`, which keeps them",
            if n == 1 { "" } else { "s" }
        ),
        path,
    })
}

/// The wall clock, in nanoseconds since the epoch.
fn now_ns() -> i64 {
    i64::try_from(jiff::Timestamp::now().as_nanosecond()).unwrap_or(i64::MAX)
}

/// A folder with no article files in it, over an index that holds articles
/// from it, is most often a share that failed to mount: a nightly job must
/// not empty the index then. `advice` says how to remove them when that is what the user wants.
pub(crate) fn refuse_to_empty(root: &Path, articles: usize, advice: &str) -> Result<()> {
    let held = match articles {
        0 => return Ok(()),
        1 => "1 article".to_string(),
        n => format!("{n} articles"),
    };
    Err(Error::bad(
        root,
        format!(
            "no article files found, and the index holds {held} from it that this run \
             would delete (is the folder mounted?); {advice}"
        ),
    ))
}

/// How to empty a whole index on purpose.
pub(crate) const EMPTY_ON_PURPOSE: &str = "to empty the index, delete its folder";

/// Discovers files and runs a full indexing pass into `writer`, replacing
/// everything `previous` (the index this build replaces: the one `writer`
/// writes, or the live one of `reindex --full`) held, then commits.
///
/// Nothing is committed when a folder or file that `previous` holds
/// articles from cannot be read, or when the folder vanishes during the run
/// (see `Run::check`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn rebuild(
    writer: &mut IndexWriter,
    fields: &Fields,
    searcher: &Searcher,
    previous: &Searcher,
    root: &Path,
    opts: &IndexOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<IndexReport> {
    let start = Instant::now();
    let Found {
        files,
        mut skipped,
        unreadable,
        started,
    } = discover(root, opts)?;
    for s in &skipped {
        progress(&Progress::Skipped(s));
    }
    if files.is_empty() {
        let held = previous.search(&fields.articles(), &tantivy::collector::Count)?;
        refuse_to_empty(root, held, EMPTY_ON_PURPOSE)?;
    }
    refuse_to_drop(previous, &unreadable, &skipped)?;
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    progress(&Progress::Started {
        files: files.len(),
        bytes,
    });
    writer.delete_all_documents()?;
    let plans = files.iter().map(Plan::Add).collect();
    let run = Run::new(fields, searcher, root, opts, progress, started)?;
    // One commit: a full rebuild replaces everything, so a partial commit
    // would expose a half-built index. Files the OS refused to read while
    // the run read them are checked as the folders were.
    let files_refused = |run: &Run| {
        let refused = run.unreadable.lock().map(|u| u.clone()).unwrap_or_default();
        let skipped = run.skipped.lock().map(|s| s.clone()).unwrap_or_default();
        refuse_to_drop(previous, &refused, &skipped)
    };
    execute(&run, writer, plans, false, &files_refused)?;
    let indexed = run.added.load(Ordering::Relaxed);
    skipped.extend(run.skipped.into_inner().unwrap_or_default());
    Ok(IndexReport {
        files: files.len(),
        indexed,
        skipped,
        bytes,
        seconds: start.elapsed().as_secs_f64(),
        // Counted by the archive once the run is committed.
        undated: 0,
    })
}

/// Brings the index in step with `root`: adds new files, re-indexes changed
/// ones, deletes what is gone, and leaves the rest alone.
pub(crate) fn reindex(
    writer: &mut IndexWriter,
    fields: &Fields,
    searcher: &Searcher,
    root: &Path,
    opts: &IndexOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<ReindexReport> {
    let start = Instant::now();
    let mut found = discover(root, opts)?;
    let (files, unreadable) = (&found.files, &found.unreadable);
    let root_abs = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let single = root_abs.is_file();
    let known = known_files(searcher)?;
    // What the index holds from folders and files that could not be read
    // stays: they are not gone. The warning says so.
    let kept_back = held_under(&known, unreadable);
    for ((_, walked), n) in &kept_back {
        if let Some(s) = found.skipped.iter_mut().find(|s| &s.path == walked) {
            s.reason.push_str(&kept(*n));
        }
    }
    for s in &found.skipped {
        progress(&Progress::Skipped(s));
    }
    if files.is_empty() && kept_back.is_empty() {
        let under_root = known
            .iter()
            .filter(|(file, _)| Path::new(file).starts_with(&root_abs))
            .map(|(_, k)| k.articles as usize)
            .sum();
        refuse_to_empty(
            root,
            under_root,
            "to remove them, reindex the folder that holds this one",
        )?;
    }
    let Planned {
        plans,
        mut unchanged,
        gone,
    } = plan(files, known, &root_abs, single);
    let (kept_files, gone): (Vec<_>, Vec<_>) = gone
        .into_iter()
        .partition(|(file, _)| unreadable.iter().any(|u| Path::new(file).starts_with(&u.0)));
    unchanged += kept_files.iter().map(|(_, k)| k.articles).sum::<u64>();
    let to_read: u64 = plans.iter().map(|p| p.file().size).sum();
    progress(&Progress::Started {
        files: plans.len(),
        bytes: to_read,
    });
    let mut removed = 0;
    for (file, k) in gone {
        writer.delete_term(Term::from_field_text(fields.file, &file));
        removed += k.articles;
    }
    let run = Run::new(fields, searcher, root, opts, progress, found.started)?;
    run.unchanged.store(unchanged, Ordering::Relaxed);
    run.removed.store(removed, Ordering::Relaxed);
    // Partial commits are safe: each file is handled whole within one chunk,
    // so every commit is a state a clean build agrees with for the files it
    // covers, and the next run finishes the job.
    execute(&run, writer, plans, true, &|_| Ok(()))?;
    let report = ReindexReport {
        added: run.added.load(Ordering::Relaxed),
        updated: run.updated.load(Ordering::Relaxed),
        removed: run.removed.load(Ordering::Relaxed),
        unchanged: run.unchanged.load(Ordering::Relaxed),
        skipped: run.skipped.into_inner().unwrap_or_default(),
        files: files.len(),
        bytes_read: run.bytes_read.load(Ordering::Relaxed),
        seconds: 0.0,
        full: false,
    };
    let mut report = report;
    report.skipped.splice(0..0, found.skipped);
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// What a reindex must do, from what the index knows and what the folder
/// holds.
struct Planned<'a> {
    /// Files to read: new ones, and known ones whose size or mtime moved.
    plans: Vec<Plan<'a>>,
    /// Articles of the files left alone.
    unchanged: u64,
    /// Files under the root that are gone from the folder, with what the
    /// index holds of each.
    gone: Vec<(String, Known)>,
}

/// Compares the folder's `files` (found under `root_abs`, or `root_abs`
/// itself when `single`) with what the index `known`s, keyed by absolute
/// path.
fn plan<'a>(
    files: &'a [SourceFile],
    mut known: HashMap<String, Known>,
    root_abs: &Path,
    single: bool,
) -> Planned<'a> {
    let mut plans = Vec::new();
    let mut unchanged = 0;
    let root_str = root_abs.display().to_string();
    let mut key = String::new();
    for f in files {
        key.clear();
        key.push_str(&root_str);
        if !single {
            key.push(std::path::MAIN_SEPARATOR);
            key.push_str(&f.rel);
        }
        match known.remove(key.as_str()) {
            None => plans.push(Plan::Add(f)),
            // An unknown mtime (0) proves nothing: the file is read.
            Some(k)
                if k.state.mtime_ns != 0
                    && k.state.size == f.size
                    && k.state.mtime_ns == mtime_ns(f) =>
            {
                unchanged += k.articles;
            }
            Some(k) => plans.push(Plan::Check(f, k)),
        }
    }
    // What is left in `known` is gone from the folder. Only files under the
    // root being reindexed count: an index may hold other folders too.
    let gone = known
        .into_iter()
        .filter(|(file, _)| Path::new(file).starts_with(root_abs))
        .collect();
    Planned {
        plans,
        unchanged,
        gone,
    }
}

/// Reads every file record and counts every file's articles, in one pass over
/// the fast fields.
fn known_files(searcher: &Searcher) -> Result<HashMap<String, Known>> {
    let mut out: HashMap<String, Known> = HashMap::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let Some(files) = ff.str(field::FILE)? else {
            continue;
        };
        let size = ff.u64(field::FILE_SIZE)?;
        let mtime = ff.i64(field::FILE_MTIME)?;
        let hash = ff.u64(field::FILE_HASH)?;
        let alive = seg.alive_bitset();
        let mut records: HashMap<u64, FileState> = HashMap::new();
        let mut counts: HashMap<u64, u64> = HashMap::new();
        for doc in 0..seg.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(ord) = files.term_ords(doc).next() else {
                continue;
            };
            match size.first(doc) {
                Some(s) => {
                    records.insert(
                        ord,
                        FileState {
                            size: s,
                            mtime_ns: mtime.first(doc).unwrap_or(0),
                            hash: hash.first(doc).unwrap_or(0),
                        },
                    );
                }
                None => *counts.entry(ord).or_default() += 1,
            }
        }
        // Walk the dictionary once, in order: looking ords up one by one
        // decompresses a block per lookup.
        let mut terms = files
            .dictionary()
            .stream()
            .map_err(|e| Error::Index(e.into()))?;
        while terms.advance() {
            let ord = terms.term_ord();
            let (record, count) = (records.get(&ord), counts.get(&ord));
            if record.is_none() && count.is_none() {
                continue;
            }
            let name = String::from_utf8_lossy(terms.key()).into_owned();
            let entry = out.entry(name).or_default();
            if let Some(st) = record {
                entry.state = *st;
            }
            entry.articles += count.copied().unwrap_or(0);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    const ROOT: &str = "/archive";

    fn file(rel: &str, size: u64, mtime_ns: i64) -> SourceFile {
        SourceFile {
            path: Path::new(ROOT).join(rel),
            rel: rel.into(),
            format: Format::Txt,
            gzip: false,
            size,
            mtime: Some(jiff::Timestamp::from_nanosecond(mtime_ns.into()).unwrap()),
            mtime_dates: true,
            path_date: None,
        }
    }

    fn known(size: u64, mtime_ns: i64, articles: u64) -> Known {
        Known {
            state: FileState {
                size,
                mtime_ns,
                hash: 7,
            },
            articles,
        }
    }

    fn key(rel: &str) -> String {
        format!("{ROOT}{}{rel}", std::path::MAIN_SEPARATOR)
    }

    #[test]
    fn the_plan_reads_new_and_moved_files_keeps_the_rest_and_drops_what_is_gone() {
        let files = vec![
            file("new.txt", 10, 5_000),
            file("same.txt", 20, 5_000),
            file("grown.txt", 31, 5_000),
            file("touched.txt", 40, 6_000),
            file("racy.txt", 50, 5_000),
        ];
        let index = HashMap::from([
            (key("same.txt"), known(20, 5_000, 1)),
            (key("grown.txt"), known(30, 5_000, 2)),
            (key("touched.txt"), known(40, 5_000, 3)),
            // Recorded with an unknown mtime: read whatever it says.
            (key("racy.txt"), known(50, 0, 4)),
            (key("deleted.txt"), known(60, 5_000, 5)),
            // Another folder the index holds is none of this run's business.
            ("/elsewhere/x.txt".to_string(), known(70, 5_000, 6)),
        ]);
        let p = plan(&files, index, Path::new(ROOT), false);
        let read: Vec<(&str, Option<u64>)> = p
            .plans
            .iter()
            .map(|p| match p {
                Plan::Add(f) => (f.rel.as_str(), None),
                Plan::Check(f, k) => (f.rel.as_str(), Some(k.articles)),
            })
            .collect();
        assert_eq!(
            read,
            [
                ("new.txt", None),
                ("grown.txt", Some(2)),
                ("touched.txt", Some(3)),
                ("racy.txt", Some(4)),
            ]
        );
        assert_eq!(p.unchanged, 1);
        let gone: Vec<(&str, u64)> = p
            .gone
            .iter()
            .map(|(f, k)| (f.as_str(), k.articles))
            .collect();
        assert_eq!(gone, [(key("deleted.txt").as_str(), 5)]);
    }

    #[test]
    fn a_single_file_is_known_by_the_root_itself() {
        let files = vec![file("one.txt", 20, 5_000)];
        let index = HashMap::from([(ROOT.to_string(), known(20, 5_000, 3))]);
        let p = plan(&files, index, Path::new(ROOT), true);
        assert!(p.plans.is_empty() && p.gone.is_empty());
        assert_eq!(p.unchanged, 3);
    }

    #[test]
    fn an_empty_folder_is_refused_only_over_articles() {
        assert!(refuse_to_empty(Path::new(ROOT), 0, EMPTY_ON_PURPOSE).is_ok());
        let e = refuse_to_empty(Path::new(ROOT), 1, EMPTY_ON_PURPOSE).unwrap_err();
        assert!(
            e.to_string().contains("the index holds 1 article from it"),
            "{e}"
        );
    }
}
