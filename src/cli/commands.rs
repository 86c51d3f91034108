//! One function per command: read the arguments, call the library, hand the
//! result to `output` (or print the library's JSON), return the exit code.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use byline::search::query::period;
use byline::{Archive, Granularity, IndexOptions, IndexReport, SearchRequest, Sort};

use byline::export;

use crate::cli::args::DateArgs;
use crate::cli::output::{self, Style};
use crate::cli::signals::Watch;

/// `byline index`.
pub fn index(index_dir: &Path, corpus: &Path, opts: &IndexOptions, json: bool) -> Result<i32> {
    let watch = Watch::start();
    let opts = &IndexOptions {
        stop: Some(watch.flag()),
        ..opts.clone()
    };
    let report = match build_index(index_dir, corpus, opts) {
        Ok(report) => report,
        Err(e) => return watch.stopped(&e).ok_or(e),
    };
    output::index_report(&report, json)?;
    Ok(0)
}

/// What `byline search` asks for, besides the index.
pub struct SearchArgs {
    /// The query's words as the shell passed them.
    pub query: Vec<String>,
    /// Hits per page.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Ordering.
    pub sort: Sort,
    /// Recency half-life in days.
    pub half_life: f64,
    /// `--since` and `--until`.
    pub dates: DateArgs,
    /// The day `--sort recent` counts back from.
    pub as_of: Option<String>,
    /// `--json`.
    pub json: bool,
    /// `--csv`.
    pub csv: bool,
    /// `--body`: each hit's full text in its JSON or CSV.
    pub body: bool,
    /// `--all-copies`: every copy of a story a hit of its own.
    pub all_copies: bool,
    /// The folder to index when there is no index yet.
    pub corpus: PathBuf,
}

/// `byline search`: builds the index from the corpus on first use.
pub fn search(index_dir: &Path, args: SearchArgs, style: &Style) -> Result<i32> {
    if let Some(code) = build_on_first_use(index_dir, &args.corpus)? {
        return Ok(code);
    }
    let archive = Archive::open(index_dir)?;
    let req = search_request(&args)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let total = if args.csv || args.json {
        let mut pages = archive.search_pages(&req, EXPORT_PAGE)?;
        if args.csv {
            pages = pages.without_entities();
            export::search_csv(&mut out, &mut pages, args.offset + 1, args.body)?;
        } else {
            export::search_json(&mut out, &mut pages)?;
        }
        // The reader still learns of the articles a filter left out
        // (`--json` has them in its object too).
        let notes = byline::SearchResults {
            total: pages.total,
            stories: pages.stories,
            hits: Vec::new(),
            surname_only: std::mem::take(&mut pages.surname_only),
            earlier_names: std::mem::take(&mut pages.earlier_names),
            expansions: std::mem::take(&mut pages.expansions),
            suggestion: pages.suggestion.take(),
        };
        for note in output::expansion_notes(&notes)
            .into_iter()
            .chain(output::suggestion_note(&notes))
            .chain(output::surname_notes(&notes))
            .chain(output::earlier_name_notes(&notes))
        {
            eprintln!("{note}");
        }
        pages.total
    } else {
        let results = archive.search(&req)?;
        let paging = (args.offset, args.limit, args.all_copies);
        output::hits(&mut out, &results, paging, style)?;
        results.total
    };
    out.flush()?;
    Ok(if total == 0 { 1 } else { 0 })
}

/// Builds the index from `corpus` when there is none yet (`search` and
/// `serve` on a fresh clone); `Some(code)` when Ctrl-C stopped the build.
fn build_on_first_use(index_dir: &Path, corpus: &Path) -> Result<Option<i32>> {
    if Archive::exists(index_dir) {
        return Ok(None);
    }
    eprintln!(
        "byline: no index at {}; building it from {} (once)",
        index_dir.display(),
        corpus.display()
    );
    let watch = Watch::start();
    let opts = IndexOptions {
        stop: Some(watch.flag()),
        ..IndexOptions::default()
    };
    let report = match build_index(index_dir, corpus, &opts) {
        Ok(report) => report,
        Err(e) => return watch.stopped(&e).map(Some).ok_or(e),
    };
    eprintln!(
        "byline: indexed {} articles in {:.2} s",
        report.indexed, report.seconds
    );
    Ok(None)
}

/// `byline serve`: says where it listens, and warns when that is not
/// loopback, since the API has no authentication of its own.
#[cfg(feature = "serve")]
pub fn serve(
    index_dir: &Path,
    (bind, threads): (std::net::SocketAddr, usize),
    corpus: &Path,
) -> Result<i32> {
    if let Some(code) = build_on_first_use(index_dir, corpus)? {
        return Ok(code);
    }
    let mut config = byline::serve::Config {
        index: index_dir.to_path_buf(),
        bind,
        ..Default::default()
    };
    if threads > 0 {
        config.limits.concurrent = threads;
    }
    byline::serve::run(config, |at| {
        eprintln!(
            "byline: serving {} on http://{at}/ (the API under /api/); Ctrl-C stops it",
            index_dir.display()
        );
        if !at.ip().is_loopback() {
            eprintln!(
                "byline: warning: {} is reachable from other machines, and byline \
                 has no authentication: anyone who can reach it can read the \
                 archive. Put a reverse proxy with authentication in front (see the \
                 README), or bind to 127.0.0.1",
                at
            );
        }
    })?;
    Ok(0)
}

/// Hits read and written at a time by `--csv` and `--json`: the memory an
/// export holds, whatever the number of hits.
const EXPORT_PAGE: usize = 1_000;

/// `byline reindex` and `byline reindex --full`.
pub fn reindex(
    index_dir: &Path,
    corpus: &Path,
    full: bool,
    opts: &IndexOptions,
    json: bool,
) -> Result<i32> {
    if !corpus.exists() {
        bail!("{}: no such file or folder", corpus.display());
    }
    let watch = Watch::start();
    let opts = &IndexOptions {
        stop: Some(watch.flag()),
        ..opts.clone()
    };
    let bar = output::progress_bar();
    let progress = output::progress_fn(&bar);
    let run = || -> Result<()> {
        if full {
            // A full rebuild removes every article the index held and adds
            // what the folder holds: said so, so that a log shows a loss.
            let replaced = Archive::open(index_dir).map(|a| a.len()).unwrap_or(0);
            let r = Archive::rebuild_into_place(index_dir, corpus, opts, &progress)?;
            bar.finish_and_clear();
            return output::full_reindex_report(&r, replaced, json);
        }
        let archive = Archive::open_or_create(index_dir)?;
        let r = archive.reindex(corpus, opts, &progress)?;
        bar.finish_and_clear();
        output::reindex_report(&r, json)
    };
    match run() {
        Ok(()) => Ok(0),
        Err(e) => {
            bar.finish_and_clear();
            watch.stopped(&e).ok_or(e)
        }
    }
}

/// An index folder named with `--index` (or `BYLINE_INDEX`) must hold an
/// index: a mistyped name would otherwise build a new index from
/// `./corpus` (`search`) or an empty one (`reindex`). Only the default
/// `index/` is built on first use, and `byline index` (or `reindex
/// --full`, a build from scratch) builds any.
pub fn require_index(index_dir: &Path, given: bool) -> Result<()> {
    if !given || Archive::exists(index_dir) {
        return Ok(());
    }
    // Said as "no index" either way: scripts (the fault campaign) look
    // for those words before an index's first commit.
    let what = match index_dir.exists() {
        true => "holds no index",
        false => "no such folder, so no index",
    };
    bail!(
        "{dir}: {what} (named by --index or BYLINE_INDEX); check the name, \
         or build an index there with `byline --index {dir} index FOLDER`",
        dir = index_dir.display()
    )
}

/// The folder `byline reindex` reads: the one given, else the one the
/// index recorded it was built from (`corpus` for an index not yet built).
/// An index that recorded none (built by an older byline) is refused rather
/// than read against `./corpus`, which would remove every article that is
/// not there. Also refuses `--mtime-dates` on a plain reindex of an index
/// built without it, whose articles would become a mix of both.
pub fn reindex_folder(
    index_dir: &Path,
    given: Option<PathBuf>,
    full: bool,
    mtime_dates: bool,
) -> Result<PathBuf> {
    if !Archive::exists(index_dir) {
        return Ok(given.unwrap_or_else(|| PathBuf::from("corpus")));
    }
    // A damaged index says nothing: `reindex --full` rebuilds it all the
    // same, from the folder given, else `corpus` as before byline recorded
    // one.
    let archive = match Archive::open(index_dir) {
        Ok(archive) => Some(archive),
        Err(byline::Error::Damaged { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let recorded = archive.as_ref().and_then(Archive::dates_by_mtime);
    if mtime_dates && !full && archive.is_some() && recorded != Some(true) {
        bail!(
            "{}: this index was built without --mtime-dates; `byline reindex --full \
             --mtime-dates` rebuilds it with them (a plain reindex would date only the \
             files it reads)",
            index_dir.display()
        );
    }
    if let Some(folder) = given {
        return Ok(folder);
    }
    let Some(archive) = archive else {
        eprintln!(
            "byline: the index at {} is damaged and does not say which folder it was \
             built from; reading corpus",
            index_dir.display()
        );
        return Ok(PathBuf::from("corpus"));
    };
    match archive.built_from() {
        Some(folder) => {
            let folder = relative_to_cwd(folder);
            eprintln!(
                "byline: reindexing {} (the folder the index was built from)",
                folder.display()
            );
            Ok(folder)
        }
        None => bail!(
            "{}: the index does not say which folder it was built from (indexes built \
             before byline recorded it do not); name it: `byline reindex FOLDER`",
            index_dir.display()
        ),
    }
}

/// `folder` (absolute, as the index recorded it) relative to the current
/// folder when it is below it, else as it is. Articles' paths are the
/// paths walked, so a plain `reindex` of the recorded absolute folder gave
/// the files it added absolute paths beside the `data/...` of the rest;
/// read by its relative path, the folder yields the form it was most
/// likely given in (`.` for the current folder itself).
fn relative_to_cwd(folder: PathBuf) -> PathBuf {
    let Some(cwd) = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok())
    else {
        return folder;
    };
    match folder.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => folder,
    }
}

/// How `timeline` prints.
pub enum TimelineOutput {
    /// The chart.
    Chart,
    /// One JSON object.
    Json,
    /// `start,count` lines.
    Csv,
}

/// `byline timeline`.
pub fn timeline(
    index_dir: &Path,
    query: &[String],
    by: Granularity,
    (dates, all_copies): (&DateArgs, bool),
    how: TimelineOutput,
    style: &Style,
) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let mut req = SearchRequest::new(join_query(query));
    (req.since, req.until) = date_flags(dates)?;
    req.all_copies = all_copies;
    let t = archive.timeline(&req, by)?;
    print_timeline(&t, how, style)
}

/// Prints a timeline as asked; exit code 1 when nothing matched.
pub(super) fn print_timeline(
    t: &byline::Timeline,
    how: TimelineOutput,
    style: &Style,
) -> Result<i32> {
    let mut out = io::stdout().lock();
    match how {
        TimelineOutput::Json => writeln!(out, "{}", serde_json::to_string(t)?)?,
        TimelineOutput::Csv => export::timeline_csv(&mut out, t)?,
        TimelineOutput::Chart => output::draw_timeline(&mut out, t, style)?,
    }
    Ok(if t.dated + t.undated == 0 { 1 } else { 0 })
}

/// `byline entities`.
pub fn entities(
    index_dir: &Path,
    query: &[String],
    limit: usize,
    (dates, all_copies): (&DateArgs, bool),
    (json, csv): (bool, bool),
    style: &Style,
) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let mut req = SearchRequest::new(join_query(query));
    (req.since, req.until) = date_flags(dates)?;
    req.all_copies = all_copies;
    let top = archive.top_entities(&req, limit)?;
    print_entities(&top, (json, csv), style)
}

/// Prints the top entities as asked; exit code 1 when nothing matched.
pub(super) fn print_entities(
    top: &byline::TopEntities,
    (json, csv): (bool, bool),
    style: &Style,
) -> Result<i32> {
    if json {
        output::print_json(top)?;
    } else if csv {
        export::entities_csv(io::stdout().lock(), top)?;
    } else {
        output::entities_table(&mut io::stdout().lock(), top, style)?;
    }
    Ok(if top.articles == 0 { 1 } else { 0 })
}

/// `byline duplicates`.
pub fn duplicates(
    index_dir: &Path,
    query: &[String],
    (limit, window): (usize, u32),
    dates: &DateArgs,
    (json, csv): (bool, bool),
    style: &Style,
) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let mut req = SearchRequest::new(join_query(query));
    (req.since, req.until) = date_flags(dates)?;
    let mut found = archive.duplicates(&req, window)?;
    if limit > 0 {
        found.stories.truncate(limit);
    }
    if json {
        output::print_json(&found)?;
    } else if csv {
        export::duplicates_csv(io::stdout().lock(), &found)?;
    } else {
        output::duplicates_table(&mut io::stdout().lock(), &found, style)?;
    }
    Ok(if found.total == 0 { 1 } else { 0 })
}

/// `byline export`: every article as a line of JSON, written as it is
/// read. Exit code 1 when there were none.
pub fn export(index_dir: &Path, dates: &DateArgs) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let (since, until) = date_flags(dates)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut written = 0u64;
    for article in archive.articles(since, until)? {
        serde_json::to_writer(&mut out, &article?).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        written += 1;
    }
    out.flush()?;
    Ok(if written == 0 { 1 } else { 0 })
}

/// The request `byline search` makes of its arguments.
pub(super) fn search_request(args: &SearchArgs) -> Result<SearchRequest> {
    let mut req = SearchRequest::new(join_query(&args.query));
    req.limit = args.limit;
    req.offset = args.offset;
    req.sort = args.sort;
    req.half_life_days = args.half_life;
    req.text = args.body;
    req.all_copies = args.all_copies;
    (req.since, req.until) = date_flags(&args.dates)?;
    if args.as_of.is_some() && args.sort != Sort::Recent {
        bail!("--as-of is the day --sort recent counts ages from; add --sort recent");
    }
    // The end of the day named, as `--until` reads it: an article of that
    // day is no older than the day.
    req.as_of = match args.as_of.as_deref().map(|s| period("--as-of", s)) {
        Some(p) => {
            let (start, end) = p?;
            Some(end.unwrap_or(start))
        }
        None => None,
    };
    Ok(req)
}

/// `byline stats`.
pub fn stats(index_dir: &Path, json: bool) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let s = archive.stats()?;
    if json {
        output::print_json(&s)?;
    } else {
        output::stats_table(&mut io::stdout().lock(), &s)?;
    }
    Ok(0)
}

/// Joins the query words from the command line. An argument the shell kept
/// whole, like `person:Tomasz Wierzba` from `person:"Tomasz Wierzba"`, gets
/// its quotes back, so the name stays one name; only when the words after
/// the colon all look like a name, since a whole query can be one argument
/// too (`"place:Valletta ferry"`).
pub(super) fn join_query(args: &[String]) -> String {
    args.iter()
        .map(|a| match a.split_once(':') {
            Some((op, value))
                if value.contains(' ')
                    && !value.contains(['"', ':'])
                    && !op.contains(' ')
                    && op
                        .trim_start_matches('-')
                        .chars()
                        .all(|c| c.is_ascii_alphabetic()) =>
            {
                // The name runs to an operator: `person:Tomasz Wierzba OR
                // Benali` is the name, then OR, which the query refuses
                // beside a filter (rather than finding nothing).
                let words: Vec<&str> = value.split_whitespace().collect();
                let end = words
                    .iter()
                    .position(|w| matches!(*w, "OR" | "AND" | "NOT"))
                    .unwrap_or(words.len());
                let name = &words[..end];
                let capitalised = name
                    .iter()
                    .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()));
                if name.len() < 2 || !capitalised {
                    return a.clone();
                }
                let rest = words[end..].join(" ");
                format!("{op}:\"{}\" {rest}", name.join(" "))
                    .trim_end()
                    .to_string()
            }
            _ => a.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `--since` / `--until` as a half-open range: `--until` includes its day.
type Range = (Option<jiff::Timestamp>, Option<jiff::Timestamp>);

/// A range that ends before it starts is refused: it matches nothing, and
/// "no matching articles" would hide the swapped flags.
pub(super) fn date_flags(dates: &DateArgs) -> Result<Range> {
    // A flag is no query: its error is said without "invalid query".
    let flag = |name: &str, value: &str| {
        period(name, value).map_err(|e| match e {
            byline::Error::Query(why) => anyhow::anyhow!("{why}"),
            other => other.into(),
        })
    };
    let range: Range = (
        dates
            .since
            .as_deref()
            .map(|s| flag("--since", s).map(|p| p.0))
            .transpose()?,
        dates
            .until
            .as_deref()
            .map(|s| flag("--until", s).map(|p| p.1))
            .transpose()?
            .flatten(),
    );
    if let (Some(since), Some(until)) = range {
        if since >= until {
            bail!(
                "the date range is empty: --since {} is after --until {}",
                dates.since.as_deref().unwrap_or_default(),
                dates.until.as_deref().unwrap_or_default()
            );
        }
    }
    Ok(range)
}

/// Indexes `corpus` into `index_dir` with a progress bar on a terminal and
/// warnings on standard error.
fn build_index(index_dir: &Path, corpus: &Path, opts: &IndexOptions) -> Result<IndexReport> {
    if !corpus.exists() {
        bail!("{}: no such file or folder", corpus.display());
    }
    let bar = output::progress_bar();
    let progress = output::progress_fn(&bar);
    let report = match Archive::open_or_create(index_dir) {
        Ok(archive) => archive.index_folder(corpus, opts, &progress),
        // What the damage message advises: a fresh index built beside the
        // damaged one and swapped in, as `reindex --full` does.
        Err(byline::Error::Damaged { .. }) => {
            eprintln!(
                "byline: the index at {} is damaged; building a new one",
                index_dir.display()
            );
            Archive::rebuild_into_place(index_dir, corpus, opts, &progress)
        }
        Err(e) => Err(e),
    }
    .with_context(|| format!("indexing {}", corpus.display()))?;
    bar.finish_and_clear();
    Ok(report)
}
