//! One function per command: read the arguments, call the library, hand the
//! result to `output` (or print the library's JSON), return the exit code.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use byline::search::query::period;
use byline::{Archive, Granularity, IndexOptions, IndexReport, SearchRequest, Sort};

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
    /// `--json`.
    pub json: bool,
    /// `--body`: each hit's full text in its JSON.
    pub body: bool,
    /// The folder to index when there is no index yet.
    pub corpus: PathBuf,
}

/// `byline search`: builds the index from the corpus on first use.
pub fn search(index_dir: &Path, args: SearchArgs, style: &Style) -> Result<i32> {
    if !Archive::exists(index_dir) {
        eprintln!(
            "byline: no index at {}; building it from {} (once)",
            index_dir.display(),
            args.corpus.display()
        );
        let watch = Watch::start();
        let opts = IndexOptions {
            stop: Some(watch.flag()),
            ..IndexOptions::default()
        };
        let report = match build_index(index_dir, &args.corpus, &opts) {
            Ok(report) => report,
            Err(e) => return watch.stopped(&e).ok_or(e),
        };
        eprintln!(
            "byline: indexed {} articles in {:.2} s",
            report.indexed, report.seconds
        );
    }
    let archive = Archive::open(index_dir)?;
    let mut req = SearchRequest::new(join_query(&args.query));
    req.limit = args.limit;
    req.offset = args.offset;
    req.sort = args.sort;
    req.half_life_days = args.half_life;
    req.text = args.body;
    (req.since, req.until) = date_flags(&args.dates)?;
    let results = archive.search(&req)?;
    let mut out = io::stdout().lock();
    if args.json {
        for hit in &results.hits {
            writeln!(out, "{}", serde_json::to_string(hit)?)?;
        }
        // Standard output stays one hit per line for scripts; the
        // reader still learns of the articles the filter left out.
        for note in output::surname_notes(&results)
            .into_iter()
            .chain(output::earlier_name_notes(&results))
        {
            eprintln!("{note}");
        }
    } else {
        output::hits(&mut out, &results, args.offset, args.limit, style)?;
    }
    out.flush()?;
    Ok(if results.total == 0 { 1 } else { 0 })
}

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
    dates: &DateArgs,
    how: TimelineOutput,
    style: &Style,
) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let mut req = SearchRequest::new(join_query(query));
    (req.since, req.until) = date_flags(dates)?;
    let t = archive.timeline(&req, by)?;
    let mut out = io::stdout().lock();
    match how {
        TimelineOutput::Json => writeln!(out, "{}", serde_json::to_string(&t)?)?,
        TimelineOutput::Csv => {
            writeln!(out, "start,count")?;
            for b in &t.buckets {
                writeln!(out, "{},{}", b.start, b.count)?;
            }
        }
        TimelineOutput::Chart => output::draw_timeline(&mut out, &t, style)?,
    }
    Ok(if t.dated + t.undated == 0 { 1 } else { 0 })
}

/// `byline entities`.
pub fn entities(
    index_dir: &Path,
    query: &[String],
    limit: usize,
    dates: &DateArgs,
    json: bool,
    style: &Style,
) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let mut req = SearchRequest::new(join_query(query));
    (req.since, req.until) = date_flags(dates)?;
    let top = archive.top_entities(&req, limit)?;
    if json {
        output::print_json(&top)?;
    } else {
        output::entities_table(&mut io::stdout().lock(), &top, style)?;
    }
    Ok(if top.articles == 0 { 1 } else { 0 })
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
fn join_query(args: &[String]) -> String {
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

fn date_flags(dates: &DateArgs) -> Result<Range> {
    Ok((
        dates
            .since
            .as_deref()
            .map(|s| period("--since", s).map(|p| p.0))
            .transpose()?,
        dates
            .until
            .as_deref()
            .map(|s| period("--until", s).map(|p| p.1))
            .transpose()?
            .flatten(),
    ))
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
