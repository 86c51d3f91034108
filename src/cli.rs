//! The command line: clap definitions, the commands, and output formatting
//! (human on a terminal, plain when piped, JSON lines on request).

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use byline::ingest::{self, SourceFile};
use byline::search::query::period;
use byline::{
    Archive, Format, Granularity, IndexOptions, IndexReport, Progress, SearchRequest, Sort,
    Timeline,
};

/// Full-text search for news archives.
#[derive(Debug, Parser)]
#[command(name = "byline", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "BYLINE_INDEX", default_value = "index")]
    pub index: PathBuf,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// byline's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index a folder of articles (replacing what the index held).
    Index {
        /// Folder (or file) of articles.
        #[arg(default_value = "corpus")]
        corpus: PathBuf,
        /// Writer memory budget in MB.
        #[arg(long, default_value_t = 256)]
        memory_mb: usize,
        /// Writer threads (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Skip files larger than this many MB (JSON Lines is streamed, record by record).
        #[arg(long, default_value_t = 64)]
        max_file_mb: u64,
        /// Leave articles undated rather than date them by file modification time.
        #[arg(long)]
        no_mtime_dates: bool,
        /// Skip entity extraction: faster, but no person:/org:/place: search.
        #[arg(long)]
        no_entities: bool,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Bring the index in step with the folder: new, changed and removed files.
    Reindex {
        /// Folder (or file) of articles.
        #[arg(default_value = "corpus")]
        corpus: PathBuf,
        /// Rebuild from scratch beside the live index, then swap it in atomically.
        #[arg(long)]
        full: bool,
        /// Writer memory budget in MB.
        #[arg(long, default_value_t = 256)]
        memory_mb: usize,
        /// Skip files larger than this many MB (JSON Lines is streamed, record by record).
        #[arg(long, default_value_t = 64)]
        max_file_mb: u64,
        /// Print `{"added","updated","removed","unchanged","skipped","seconds"}`.
        #[arg(long)]
        json: bool,
    },
    /// Search the index.
    Search {
        /// The query: words, "phrases", OR, -exclusions, after:/before:/on:/date:,
        /// person:/org:/place:/entity:. Put `--` before a query that starts with `-`.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Number of hits.
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// Hits to skip (for paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Ordering of hits.
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// Half-life of the recency decay for --sort recent (e.g. 30d, 12h, 2w).
        #[arg(long, default_value = "30d", value_parser = parse_half_life)]
        half_life: f64,
        /// Only articles published on or after this date (YYYY[-MM[-DD]]).
        #[arg(long)]
        since: Option<String>,
        /// Only articles published on or before this date (YYYY[-MM[-DD]]).
        #[arg(long)]
        until: Option<String>,
        /// One JSON object per hit.
        #[arg(long)]
        json: bool,
        /// Folder to index when there is no index yet.
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
    },
    /// Print a file's parsed article(s) as JSON, to see what the index gets.
    Extract {
        /// The file, or - for standard input.
        file: PathBuf,
        /// Format of standard input (default: guessed from its first byte).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Treat the input as plain text (no article structure) and print only
        /// its entities, with byte spans into the input as given.
        #[arg(long)]
        plain: bool,
    },
    /// The people, organisations and places most named among the hits (or the
    /// whole archive): who and what a story is about.
    Entities {
        /// The query (empty: the whole archive). Put `--` before a query that
        /// starts with `-`.
        query: Vec<String>,
        /// How many of each kind.
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// Only articles published on or after this date (YYYY[-MM[-DD]]).
        #[arg(long)]
        since: Option<String>,
        /// Only articles published on or before this date (YYYY[-MM[-DD]]).
        #[arg(long)]
        until: Option<String>,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Count matching articles per day, week, month or year, as a chart.
    Timeline {
        /// The query (empty: the whole archive). Put `--` before a query that
        /// starts with `-`.
        query: Vec<String>,
        /// Bucket size.
        #[arg(long, value_enum, default_value_t = ByArg::Month)]
        by: ByArg,
        /// Only articles published on or after this date (YYYY[-MM[-DD]]).
        #[arg(long)]
        since: Option<String>,
        /// Only articles published on or before this date (YYYY[-MM[-DD]]).
        #[arg(long)]
        until: Option<String>,
        /// Print `{"buckets":[{"start":..,"count":..}],...}`.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print `start,count` lines.
        #[arg(long)]
        csv: bool,
    },
    /// Numbers about the index.
    Stats {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Date,
    /// Best match, decayed by age.
    Recent,
}

/// `--by` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ByArg {
    /// Days (UTC).
    Day,
    /// ISO weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

impl From<ByArg> for Granularity {
    fn from(b: ByArg) -> Granularity {
        match b {
            ByArg::Day => Granularity::Day,
            ByArg::Week => Granularity::Week,
            ByArg::Month => Granularity::Month,
            ByArg::Year => Granularity::Year,
        }
    }
}

/// `--format` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Scraped plain text.
    Txt,
    /// A JSON object or array.
    Json,
    /// JSON Lines.
    Jsonl,
    /// HTML.
    Html,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
            SortArg::Recent => Sort::Recent,
        }
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Txt => Format::Txt,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Html => Format::Html,
        }
    }
}

fn parse_half_life(s: &str) -> std::result::Result<f64, String> {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_alphabetic()).unwrap_or(s.len()));
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("expected a duration like 30d, 12h or 2w, got `{s}`"))?;
    let days = match unit {
        "" | "d" => n,
        "h" => n / 24.0,
        "w" => n * 7.0,
        "m" | "mo" => n * 30.0,
        "y" => n * 365.0,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{s}`: use h, d, w, mo or y"
            ))
        }
    };
    if days <= 0.0 || !days.is_finite() {
        return Err(format!("half-life must be positive, got `{s}`"));
    }
    Ok(days)
}

/// Output styling decided once from the flags and the terminal.
struct Style {
    color: bool,
}

impl Style {
    fn new(choice: ColorChoice) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Style { color }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn marks(&self) -> (&'static str, &'static str) {
        if self.color {
            ("\x1b[1;31m", "\x1b[0m")
        } else {
            ("**", "**")
        }
    }
}

/// Runs a command; the exit code is the returned value.
pub fn run(cli: Cli) -> Result<i32> {
    let style = Style::new(cli.color);
    match cli.command {
        Command::Index {
            corpus,
            memory_mb,
            threads,
            max_file_mb,
            no_mtime_dates,
            no_entities,
            json,
        } => {
            let opts = IndexOptions {
                memory_budget: memory_mb.saturating_mul(1_000_000),
                writer_threads: threads,
                max_file_bytes: max_file_mb.saturating_mul(1_000_000),
                mtime_dates: !no_mtime_dates,
                entities: !no_entities,
            };
            let report = build_index(&cli.index, &corpus, &opts)?;
            print_report(&report, json)?;
            Ok(0)
        }
        Command::Search {
            query,
            limit,
            offset,
            sort,
            half_life,
            since,
            until,
            json,
            corpus,
        } => {
            if !Archive::exists(&cli.index) {
                eprintln!(
                    "byline: no index at {}; building it from {} (once)",
                    cli.index.display(),
                    corpus.display()
                );
                let report = build_index(&cli.index, &corpus, &IndexOptions::default())?;
                eprintln!(
                    "byline: indexed {} articles in {:.2} s",
                    report.indexed, report.seconds
                );
            }
            let archive = Archive::open(&cli.index)?;
            let mut req = SearchRequest::new(join_query(&query));
            req.limit = limit;
            req.offset = offset;
            req.sort = sort.into();
            req.half_life_days = half_life;
            (req.since, req.until) = date_flags(since, until)?;
            let results = archive.search(&req)?;
            let mut out = io::stdout().lock();
            if json {
                for hit in &results.hits {
                    let mut v = serde_json::to_value(hit)?;
                    v["snippet"] = hit.snippet.marked("**", "**").into();
                    writeln!(out, "{v}")?;
                }
                // Standard output stays one hit per line for scripts; the
                // reader still learns of the articles the filter left out.
                for note in surname_notes(&results) {
                    eprintln!("{note}");
                }
            } else {
                let (open, close) = style.marks();
                for (i, hit) in results.hits.iter().enumerate() {
                    let date = hit
                        .published
                        .map(|t| {
                            format!(
                                "{} ({})",
                                t.strftime("%Y-%m-%d"),
                                hit.date_source.map(|s| s.as_str()).unwrap_or("?")
                            )
                        })
                        .unwrap_or_else(|| "undated".into());
                    let mut meta = vec![date];
                    if let Some(b) = &hit.byline {
                        meta.push(b.clone());
                    }
                    meta.push(hit.path.clone());
                    writeln!(out, "{}. {}", offset + i + 1, style.paint("1", &hit.title))?;
                    writeln!(out, "   {}", style.paint("2", &meta.join(" · ")))?;
                    let names = |v: &[byline::EntityCount]| {
                        v.iter()
                            .take(3)
                            .map(|e| e.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let mut who = Vec::new();
                    for (label, list) in [
                        ("people", &hit.people),
                        ("orgs", &hit.organizations),
                        ("places", &hit.places),
                    ] {
                        if !list.is_empty() {
                            who.push(format!("{label}: {}", names(list)));
                        }
                    }
                    if !who.is_empty() {
                        writeln!(out, "   {}", style.paint("2", &who.join(" · ")))?;
                    }
                    writeln!(out, "   {}", hit.snippet.marked(open, close))?;
                    writeln!(out)?;
                }
                let (shown, total) = (results.hits.len(), results.total);
                if shown > 0 {
                    writeln!(out, "{shown} of {} (from {})", matching(total), offset + 1)?;
                } else if total == 0 {
                    writeln!(out, "no matching articles")?;
                } else if limit == 0 {
                    writeln!(out, "{}", matching(total))?;
                } else {
                    writeln!(
                        out,
                        "{}; --offset {offset} is past the last",
                        matching(total)
                    )?;
                }
                for note in surname_notes(&results) {
                    writeln!(out, "{note}")?;
                }
            }
            out.flush()?;
            Ok(if results.total == 0 { 1 } else { 0 })
        }
        Command::Reindex {
            corpus,
            full,
            memory_mb,
            max_file_mb,
            json,
        } => {
            if !corpus.exists() {
                bail!("{}: no such file or folder", corpus.display());
            }
            let opts = IndexOptions {
                memory_budget: memory_mb.saturating_mul(1_000_000),
                max_file_bytes: max_file_mb.saturating_mul(1_000_000),
                ..IndexOptions::default()
            };
            let bar = progress_bar();
            let progress = progress_fn(&bar);
            if full {
                let r = Archive::rebuild_into_place(&cli.index, &corpus, &opts, &progress)?;
                bar.finish_and_clear();
                if json {
                    let v = serde_json::json!({
                        "added": r.indexed, "updated": 0, "removed": 0, "unchanged": 0,
                        "skipped": r.skipped.len(), "skipped_files": r.skipped,
                        "files": r.files, "bytes_read": r.bytes,
                        "seconds": r.seconds, "full": true,
                    });
                    writeln!(io::stdout().lock(), "{v}")?;
                } else {
                    print_report(&r, false)?;
                }
                return Ok(0);
            }
            let archive = Archive::open_or_create(&cli.index)?;
            let r = archive.reindex(&corpus, &opts, &progress)?;
            bar.finish_and_clear();
            let mut out = io::stdout().lock();
            if json {
                let v = serde_json::json!({
                    "added": r.added, "updated": r.updated, "removed": r.removed,
                    "unchanged": r.unchanged, "skipped": r.skipped.len(),
                    "skipped_files": r.skipped, "files": r.files,
                    "bytes_read": r.bytes_read, "seconds": r.seconds,
                });
                writeln!(out, "{v}")?;
            } else {
                writeln!(
                    out,
                    "{} added, {} updated, {} removed, {} unchanged ({} files, {:.1} MB read) in {:.2} s",
                    r.added,
                    r.updated,
                    r.removed,
                    r.unchanged,
                    r.files,
                    r.bytes_read as f64 / 1e6,
                    r.seconds
                )?;
                if !r.skipped.is_empty() {
                    writeln!(out, "skipped {}:", r.skipped.len())?;
                    for s in &r.skipped {
                        writeln!(out, "  {}: {}", s.path, s.reason)?;
                    }
                }
            }
            Ok(0)
        }
        Command::Timeline {
            query,
            by,
            since,
            until,
            json,
            csv,
        } => {
            let archive = Archive::open(&cli.index)?;
            let mut req = SearchRequest::new(join_query(&query));
            (req.since, req.until) = date_flags(since, until)?;
            let t = archive.timeline(&req, by.into())?;
            let mut out = io::stdout().lock();
            if json {
                writeln!(out, "{}", serde_json::to_string(&t)?)?;
            } else if csv {
                writeln!(out, "start,count")?;
                for b in &t.buckets {
                    writeln!(out, "{},{}", b.start, b.count)?;
                }
            } else {
                draw_timeline(&mut out, &t, &style)?;
            }
            Ok(if t.dated + t.undated == 0 { 1 } else { 0 })
        }
        Command::Extract {
            file,
            format,
            plain,
        } => {
            if plain {
                extract_plain(&file)
            } else {
                extract(&file, format.map(Format::from))
            }
        }
        Command::Entities {
            query,
            limit,
            since,
            until,
            json,
        } => {
            let archive = Archive::open(&cli.index)?;
            let mut req = SearchRequest::new(join_query(&query));
            (req.since, req.until) = date_flags(since, until)?;
            let top = archive.top_entities(&req, limit)?;
            let mut out = io::stdout().lock();
            if json {
                let list = |v: &[(String, u64)]| {
                    v.iter()
                        .map(|(n, c)| serde_json::json!({"name": n, "articles": c}))
                        .collect::<Vec<_>>()
                };
                let v = serde_json::json!({
                    "articles": top.articles,
                    "people": list(&top.people),
                    "organizations": list(&top.organizations),
                    "places": list(&top.places),
                });
                writeln!(out, "{v}")?;
            } else {
                for (title, list) in [
                    ("people", &top.people),
                    ("organizations", &top.organizations),
                    ("places", &top.places),
                ] {
                    writeln!(out, "{}", style.paint("1", title))?;
                    let width = list
                        .iter()
                        .map(|(n, _)| n.chars().count())
                        .max()
                        .unwrap_or(0);
                    for (name, n) in list {
                        writeln!(out, "  {name:<width$}  {n:>5}")?;
                    }
                    if list.is_empty() {
                        writeln!(out, "  -")?;
                    }
                }
                writeln!(out, "in {}", matching(top.articles as usize))?;
            }
            Ok(if top.articles == 0 { 1 } else { 0 })
        }
        Command::Stats { json } => {
            let archive = Archive::open(&cli.index)?;
            let s = archive.stats()?;
            let mut out = io::stdout().lock();
            if json {
                writeln!(out, "{}", serde_json::to_string(&s)?)?;
            } else {
                writeln!(out, "index       {}", s.index)?;
                writeln!(out, "documents   {}", s.documents)?;
                writeln!(out, "size        {:.1} MB", s.size_bytes as f64 / 1e6)?;
                let day = |t: Option<jiff::Timestamp>| {
                    t.map(|t| t.strftime("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| "-".into())
                };
                writeln!(out, "dates       {} .. {}", day(s.earliest), day(s.latest))?;
                writeln!(out, "undated     {}", s.undated)?;
                let list = |v: &[(String, u64)]| {
                    v.iter()
                        .map(|(k, n)| format!("{k} {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                writeln!(out, "formats     {}", list(&s.formats))?;
                writeln!(out, "date source {}", list(&s.date_sources))?;
                writeln!(out, "segments    {}", s.segments)?;
            }
            Ok(0)
        }
    }
}

/// Joins the query words from the command line. An argument the shell kept
/// whole, like `person:Tomasz Wierzba` from `person:"Tomasz Wierzba"`, gets
/// its quotes back, so the name stays one name; only when the words after
/// the colon all look like a name, since a whole query can be one argument
/// too (`"place:Valletta ferry"`).
/// The notes on articles a person filter left out because they name only
/// the surname (see `SearchResults::surname_only`), one line each.
fn surname_notes(results: &byline::SearchResults) -> Vec<String> {
    results
        .surname_only
        .iter()
        .map(|s| {
            let (more, them) = match s.articles {
                1 => ("1 more article names".to_string(), "it"),
                n => (format!("{n} more articles name"), "them"),
            };
            // The last word: `person:Dam` finds "Van Dam" alone and every
            // full name ending in Dam.
            let last = s.surname.rsplit(' ').next().unwrap_or(&s.surname);
            let filter = format!("person:{last}");
            format!(
                "{more} only \"{}\"; of those naming a {} in full, {:.0}% name {}. \
                 {filter} includes {them}, and every other {}.",
                s.surname,
                s.surname,
                100.0 * s.share,
                s.name,
                last
            )
        })
        .collect()
}

fn join_query(args: &[String]) -> String {
    args.iter()
        .map(|a| match a.split_once(':') {
            Some((op, value))
                if value.contains(' ')
                    && !value.contains(['"', ':'])
                    && value
                        .split_whitespace()
                        .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
                    && !op.contains(' ')
                    && op
                        .trim_start_matches('-')
                        .chars()
                        .all(|c| c.is_ascii_alphabetic()) =>
            {
                format!("{op}:\"{value}\"")
            }
            _ => a.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "1 matching article", "2 matching articles".
fn matching(n: usize) -> String {
    counted(n as u64, "matching article")
}

/// `n` and the noun, in the plural unless `n` is 1: "1 file", "2 files".
fn counted(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// `--since` / `--until` as a half-open range: `--until` includes its day.
type Range = (Option<jiff::Timestamp>, Option<jiff::Timestamp>);

fn date_flags(since: Option<String>, until: Option<String>) -> Result<Range> {
    Ok((
        since
            .map(|s| period("--since", &s).map(|p| p.0))
            .transpose()?,
        until
            .map(|s| period("--until", &s).map(|p| p.1))
            .transpose()?
            .flatten(),
    ))
}

/// Draws a timeline as horizontal bars that fit the terminal, the peak marked.
fn draw_timeline(out: &mut impl Write, t: &Timeline, style: &Style) -> Result<()> {
    if t.buckets.is_empty() {
        writeln!(out, "no dated articles match")?;
    }
    let width = if io::stdout().is_terminal() {
        console::Term::stdout().size().1 as usize
    } else {
        80
    };
    let max = t.buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let label_w = t
        .buckets
        .first()
        .map(|b| t.by.label(b.start).len())
        .unwrap_or(4);
    let count_w = max.to_string().len();
    let peak = t.peak().map(|b| b.start);
    // label, space, bar, space, count, " ◀ peak"
    let bar_w = width.saturating_sub(label_w + count_w + 10).max(10);
    for b in &t.buckets {
        let eighths = (b.count as usize * bar_w * 8).div_ceil(max as usize);
        let mut bar = "█".repeat(eighths / 8);
        if !eighths.is_multiple_of(8) {
            bar.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
        }
        let mark = if Some(b.start) == peak {
            " ◀ peak"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<label_w$} {} {:>count_w$}{}",
            t.by.label(b.start),
            style.paint("36", &format!("{bar:<bar_w$}")),
            b.count,
            style.paint("1", mark),
        )?;
    }
    write!(out, "{}", counted(t.dated, "dated article"))?;
    if let Some(p) = t.peak() {
        write!(out, "; peak {} with {}", t.by.label(p.start), p.count)?;
    }
    if t.undated > 0 {
        write!(out, "; {} undated not shown", t.undated)?;
    }
    writeln!(out)?;
    Ok(())
}

/// Indexes `corpus` into `index_dir` with a progress bar on a terminal and
/// warnings on standard error.
fn build_index(index_dir: &Path, corpus: &Path, opts: &IndexOptions) -> Result<IndexReport> {
    if !corpus.exists() {
        bail!("{}: no such file or folder", corpus.display());
    }
    let archive = Archive::open_or_create(index_dir)?;
    let bar = progress_bar();
    let progress = progress_fn(&bar);
    let report = archive
        .index_folder(corpus, opts, &progress)
        .with_context(|| format!("indexing {}", corpus.display()))?;
    bar.finish_and_clear();
    Ok(report)
}

/// A progress bar on a terminal; hidden when standard error is not one.
fn progress_bar() -> indicatif::ProgressBar {
    if !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(0);
    b.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} [{bar:30}] {bytes_per_sec} eta {eta} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    b
}

/// Turns the library's progress events into the bar and warnings.
fn progress_fn(bar: &indicatif::ProgressBar) -> impl Fn(&Progress) + Sync + '_ {
    move |p: &Progress| match p {
        Progress::Started { bytes, .. } => bar.set_length(*bytes),
        Progress::Advanced(n) => bar.inc(*n),
        Progress::Skipped(s) => bar.suspend(|| {
            eprintln!("byline: warning: {}: {}", s.path, s.reason);
        }),
        Progress::Committing => bar.set_message("committing"),
        _ => {}
    }
}

fn print_report(r: &IndexReport, json: bool) -> Result<()> {
    let mut out = io::stdout().lock();
    if json {
        let v = serde_json::json!({
            "files": r.files,
            "indexed": r.indexed,
            "skipped": r.skipped.len(),
            "skipped_files": r.skipped,
            "bytes": r.bytes,
            "seconds": r.seconds,
            "mb_per_sec": r.mb_per_sec(),
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "indexed {} from {} ({:.1} MB) in {:.2} s, {:.1} MB/s",
            counted(r.indexed, "article"),
            counted(r.files as u64, "file"),
            r.bytes as f64 / 1e6,
            r.seconds,
            r.mb_per_sec()
        )?;
        if !r.skipped.is_empty() {
            writeln!(out, "skipped {}:", r.skipped.len())?;
            for s in &r.skipped {
                writeln!(out, "  {}: {}", s.path, s.reason)?;
            }
        }
    }
    Ok(())
}

fn extract(file: &Path, format: Option<Format>) -> Result<i32> {
    let articles = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        let text = ingest::decode(&bytes).map_err(|r| anyhow::anyhow!("standard input: {r}"))?;
        let format = format.unwrap_or_else(|| guess_format(&text));
        let src = SourceFile {
            path: PathBuf::from("-"),
            rel: "-".into(),
            format,
            gzip: false,
            size: bytes.len() as u64,
            mtime: None,
            mtime_dates: false,
        };
        let read =
            ingest::read_text(&src, &text, ingest::content_hash(&bytes)).map_err(|e| match e {
                byline::Error::BadInput { reason, .. } => {
                    anyhow::anyhow!("standard input: {reason}")
                }
                e => e.into(),
            })?;
        for reason in read.bad_records {
            eprintln!("byline: standard input: {reason} (skipped)");
        }
        read.articles
            .into_iter()
            .map(|(_, mut a)| {
                byline::enrich::enrich(&mut a);
                a
            })
            .collect()
    } else {
        let (articles, bad_records) = ingest::read_path(file)?;
        for reason in bad_records {
            eprintln!("byline: {}: {reason} (skipped)", file.display());
        }
        articles
    };
    let mut out = io::stdout().lock();
    for a in &articles {
        writeln!(out, "{}", serde_json::to_string(a)?)?;
    }
    Ok(0)
}

/// `extract --plain`: the entities of a plain text, spans into it as given.
fn extract_plain(file: &Path) -> Result<i32> {
    let bytes = if file.as_os_str() == "-" {
        let mut b = Vec::new();
        io::stdin()
            .read_to_end(&mut b)
            .context("reading standard input")?;
        b
    } else {
        std::fs::read(file).with_context(|| file.display().to_string())?
    };
    // Spans must index the input as given, so the text is not cleaned; bytes
    // that are not UTF-8 are an error here rather than silently re-encoded.
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text: {e}", file.display()))?;
    let entities = byline::enrich::entities::extract(&text);
    let v = serde_json::json!({ "entities": entities });
    writeln!(io::stdout().lock(), "{v}")?;
    Ok(0)
}

fn guess_format(text: &str) -> Format {
    let t = text.trim_start();
    if t.starts_with('[') {
        Format::Json
    } else if t.starts_with('{') {
        // Several lines each starting with `{` is JSON Lines.
        let objects = t
            .lines()
            .filter(|l| l.trim_start().starts_with('{'))
            .count();
        if objects > 1 && serde_json::from_str::<serde_json::Value>(t).is_err() {
            Format::Jsonl
        } else {
            Format::Json
        }
    } else if t.starts_with('<') {
        Format::Html
    } else {
        Format::Txt
    }
}
