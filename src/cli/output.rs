//! Text output of the commands: the terminal's style, hits, reports,
//! tables and the timeline chart. The `--json` forms are the library's
//! types serialized, so they are not built here.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;

use byline::{
    Duplicates, IndexReport, Progress, ReindexReport, SearchResults, Stats, Timeline, TopEntities,
};

use crate::cli::args::ColorChoice;

/// Output styling decided once from the flags and the terminal.
pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(choice: ColorChoice) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Style { color }
    }

    pub fn paint(&self, code: &str, s: &str) -> String {
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

/// The notes on articles a person filter left out because they name only
/// the surname (see `SearchResults::surname_only`), one line each.
pub fn surname_notes(results: &SearchResults) -> Vec<String> {
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

/// The notes on articles an organisation or place filter left out because
/// they name the entity by the name of their time, before a rename (see
/// `SearchResults::earlier_names`), one line each.
pub fn earlier_name_notes(results: &SearchResults) -> Vec<String> {
    results
        .earlier_names
        .iter()
        .map(|e| {
            let (more, name, them) = match e.articles {
                1 => ("1 more article, from".to_string(), "names", "it"),
                n => (format!("{n} more articles, from"), "name", "them"),
            };
            let finds = if e.finds_both {
                format!("{} finds {them} and those naming {}", e.filter, e.current)
            } else {
                format!("{} finds {them}", e.filter)
            };
            format!(
                "{more} before {}, {name} {} \"{}\", as it was then named. {finds}.",
                e.until, e.current, e.earlier
            )
        })
        .collect()
}

/// The notes on prefix and fuzzy terms that matched more index words than
/// were searched, one line each.
pub fn expansion_notes(results: &SearchResults) -> Vec<String> {
    results
        .expansions
        .iter()
        .filter(|e| e.truncated())
        .map(|e| {
            let narrower = if e.pattern.ends_with('*') {
                "a longer prefix"
            } else {
                "~1"
            };
            format!(
                "{} matches {} words; searched the {} most frequent ({narrower} narrows it)",
                e.pattern,
                e.matched,
                e.words.len()
            )
        })
        .collect()
}

/// "Did you mean": the respelt query and what it finds, when the query
/// found little.
pub fn suggestion_note(results: &SearchResults) -> Option<String> {
    let s = results.suggestion.as_ref()?;
    let from: Vec<&str> = s.changes.iter().map(|c| c.from.as_str()).collect();
    let found = match results.total {
        0 => format!("no matches for {}", from.join(" ")),
        n => format!("only {}", matching(n)),
    };
    Some(format!(
        "{found}; did you mean: {} ({})",
        s.query,
        counted(s.total as u64, "article")
    ))
}

/// "1 matching article", "2 matching articles".
fn matching(n: usize) -> String {
    counted(n as u64, "matching article")
}

/// `n` and the noun, in the plural unless `n` is 1: "1 file", "2 files".
fn counted(n: u64, noun: &str) -> String {
    let consonant_y =
        noun.ends_with('y') && !noun[..noun.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    match n {
        1 => format!("1 {noun}"),
        n if consonant_y => format!("{n} {}ies", &noun[..noun.len() - 1]),
        n => format!("{n} {noun}s"),
    }
}

/// Draws a timeline as horizontal bars that fit the terminal, the peak marked.
pub fn draw_timeline(out: &mut impl Write, t: &Timeline, style: &Style) -> Result<()> {
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
    match t.folded {
        0 => write!(out, "{}", counted(t.dated, "dated article"))?,
        n => write!(
            out,
            "{} ({} not counted again; --all-copies counts each)",
            counted(t.dated, "dated story"),
            counted(n, "copy")
        )?,
    }
    if let Some(p) = t.peak() {
        write!(out, "; peak {} with {}", t.by.label(p.start), p.count)?;
    }
    if t.undated > 0 {
        write!(out, "; {} undated not shown", t.undated)?;
    }
    writeln!(out)?;
    undated_note(out, t.undated)
}

/// How many articles have no date, and how to date them; nothing when all
/// are dated. Said by `index`, `stats` and `timeline`.
fn undated_note(out: &mut impl Write, undated: u64) -> Result<()> {
    if undated > 0 {
        let n = match undated {
            1 => "1 article has".to_string(),
            n => format!("{n} articles have"),
        };
        writeln!(
            out,
            "{n} no date; to date them, put the date in their path\n\
             (.../2025/12/04/... or 2025-12-04-slug.txt) or in a JSON `published` or\n\
             `date` field, or index with `--mtime-dates` to use file modification times"
        )?;
    }
    Ok(())
}

/// A progress bar on a terminal; hidden when standard error is not one.
pub fn progress_bar() -> indicatif::ProgressBar {
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
/// Only the first [`LISTED_SKIPS`] skipped files are said as warnings: a
/// folder of 2,000 unreadable files would bury the summary.
pub fn progress_fn(bar: &indicatif::ProgressBar) -> impl Fn(&Progress) + Sync + '_ {
    let said = std::sync::atomic::AtomicUsize::new(0);
    move |p: &Progress| match p {
        Progress::Started { bytes, .. } => bar.set_length(*bytes),
        Progress::Advanced(n) => bar.inc(*n),
        Progress::Skipped(s)
            if said.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < LISTED_SKIPS =>
        {
            bar.suspend(|| eprintln!("byline: warning: {}: {}", s.path, s.reason));
        }
        Progress::Committing => bar.set_message("committing"),
        _ => {}
    }
}

/// A value as one line of JSON: the library type's own form, which is
/// the contract for scripts.
pub fn print_json(value: &impl serde::Serialize) -> Result<()> {
    writeln!(io::stdout().lock(), "{}", serde_json::to_string(value)?)?;
    Ok(())
}

/// `byline index`'s summary.
pub fn index_report(r: &IndexReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "indexed {} from {} ({:.1} MB) in {:.2} s, {:.1} MB/s",
        counted(r.indexed, "article"),
        counted(r.files as u64, "file"),
        r.bytes as f64 / 1e6,
        r.seconds,
        r.mb_per_sec()
    )?;
    undated_note(&mut out, r.undated)?;
    skipped(&r.skipped)
}

/// `byline reindex --full`'s summary: a full build's, or as `reindex` gives
/// it in JSON (every article added, every one it replaced removed), so
/// that scripts read one shape.
pub fn full_reindex_report(r: &IndexReport, replaced: u64, json: bool) -> Result<()> {
    if json {
        let mut as_reindex = ReindexReport::from(r.clone());
        as_reindex.removed = replaced;
        print_json(&as_reindex)
    } else {
        index_report(r, false)
    }
}

/// `byline reindex`'s summary.
pub fn reindex_report(r: &ReindexReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let mut out = io::stdout().lock();
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
    skipped(&r.skipped)
}

/// How many skipped files a run lists as warnings.
const LISTED_SKIPS: usize = 20;

/// The count of skipped files and records, on standard error after the
/// warnings that listed them ([`progress_fn`]: the first
/// [`LISTED_SKIPS`]); `--json` lists them all.
fn skipped(skipped: &[byline::ingest::Skipped]) -> Result<()> {
    let n = skipped.len();
    if n > LISTED_SKIPS {
        eprintln!(
            "byline: skipped {n} files and records: the first {LISTED_SKIPS} are listed above, \
             {} more are not (`--json` lists them all)",
            n - LISTED_SKIPS
        );
    } else if n > 0 {
        let what = match n {
            1 => "1 file or record",
            _ => &format!("{n} files and records"),
        };
        eprintln!("byline: skipped {what} (listed above)");
    }
    Ok(())
}

/// A page of hits: title, date and its source, byline, path, the main
/// entities, the snippet; then the count, the surname and earlier-name
/// notes.
pub fn hits(
    out: &mut impl Write,
    results: &SearchResults,
    (offset, limit, all_copies): (usize, usize, bool),
    style: &Style,
) -> Result<()> {
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
        if !hit.copies.is_empty() {
            writeln!(out, "   {}", style.paint("2", &copies_line(&hit.copies)))?;
        }
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
    // Said in stories only when copies were folded into them.
    let of = match results.stories {
        n if n < total && !all_copies => format!(
            "{} ({total} articles; copies of one story shown once, --all-copies lists each)",
            counted(n as u64, "matching story")
        ),
        _ => matching(total),
    };
    if shown > 0 {
        writeln!(out, "{shown} of {of} (from {})", offset + 1)?;
    } else if total == 0 {
        writeln!(out, "no matching articles")?;
    } else if limit == 0 {
        writeln!(out, "{of}")?;
    } else {
        writeln!(out, "{of}; --offset {offset} is past the last")?;
    }
    for note in expansion_notes(results)
        .into_iter()
        .chain(suggestion_note(results))
        .chain(surname_notes(results))
        .chain(earlier_name_notes(results))
    {
        writeln!(out, "{note}")?;
    }
    Ok(())
}

/// Where else a hit's story was published: up to three copies, then how
/// many more.
fn copies_line(copies: &[byline::StoryCopy]) -> String {
    const SHOWN: usize = 3;
    let listed: Vec<String> = copies
        .iter()
        .take(SHOWN)
        .map(|c| match c.published {
            Some(t) => format!("{} ({})", c.path, t.strftime("%Y-%m-%d")),
            None => format!("{} (undated)", c.path),
        })
        .collect();
    let more = match copies.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more (`byline duplicates` or --json lists them)"),
    };
    format!(
        "also published as {}: {}{more}",
        counted(copies.len() as u64, "copy"),
        listed.join(", ")
    )
}

/// `byline entities` as three lists with article counts.
pub fn entities_table(out: &mut impl Write, top: &TopEntities, style: &Style) -> Result<()> {
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
    // An archive in one language needs no line to say so.
    if top.languages.len() > 1 {
        let langs: Vec<String> = top
            .languages
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        writeln!(out, "{}", style.paint("1", "languages"))?;
        writeln!(out, "  {}", langs.join(", "))?;
    }
    match top.counts {
        byline::Counting::Stories if top.stories < top.articles => writeln!(
            out,
            "in {} ({} articles; copies of one story count once, --all-copies counts each)",
            counted(top.stories, "matching story"),
            top.articles
        )?,
        _ => writeln!(out, "in {}", matching(top.articles as usize))?,
    }
    Ok(())
}

/// `byline duplicates`: each story's headline and copy count, then its
/// copies by date, the representative first; then the totals.
pub fn duplicates_table(out: &mut impl Write, found: &Duplicates, style: &Style) -> Result<()> {
    let day = |t: Option<jiff::Timestamp>| {
        t.map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "undated   ".into())
    };
    for story in &found.stories {
        let first = &story.copies[0];
        writeln!(
            out,
            "{} {}",
            style.paint("1", &format!("{} copies", story.copies.len())),
            first.title
        )?;
        for c in &story.copies {
            match &c.url {
                Some(url) => writeln!(out, "  {}  {}  {url}", day(c.published), c.path)?,
                None => writeln!(out, "  {}  {}", day(c.published), c.path)?,
            }
        }
    }
    let shown = match found.stories.len() {
        n if n < found.total => format!("; {n} shown (-n 0 for all)"),
        _ => String::new(),
    };
    let window = match found.window_days {
        0 => "on the same day".to_string(),
        n => format!("within {} of its first", plural(n as usize, "day", "days")),
    };
    writeln!(
        out,
        "{} with copies ({} articles) in an index of {} articles; a story's dated copies {window}{shown}",
        plural(found.total, "story", "stories"),
        found.in_stories,
        found.articles,
    )?;
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `byline stats` as aligned lines.
pub fn stats_table(out: &mut impl Write, s: &Stats) -> Result<()> {
    writeln!(out, "index       {}", s.index)?;
    writeln!(out, "documents   {}", s.documents)?;
    writeln!(out, "size        {:.1} MB", s.size_bytes as f64 / 1e6)?;
    let day = |t: Option<jiff::Timestamp>| {
        t.map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "-".into())
    };
    match (s.earliest, s.latest) {
        (Some(_), _) | (_, Some(_)) => {
            writeln!(out, "dates       {} .. {}", day(s.earliest), day(s.latest))?
        }
        // "- .. -" read as a broken range: say there are none.
        _ => writeln!(out, "dates       none ({} undated)", s.undated)?,
    }
    writeln!(out, "undated     {}", s.undated)?;
    let list = |v: &[(String, u64)]| {
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "formats     {}", list(&s.formats))?;
    if s.date_sources.is_empty() {
        writeln!(out, "date source none")?;
    } else {
        writeln!(out, "date source {}", list(&s.date_sources))?;
    }
    let known: u64 = s.languages.iter().map(|(_, n)| n).sum();
    let mut languages = list(&s.languages);
    if known < s.documents {
        let sep = if languages.is_empty() { "" } else { ", " };
        languages.push_str(&format!("{sep}unknown {}", s.documents - known));
    }
    writeln!(out, "languages   {languages}")?;
    writeln!(out, "segments    {}", s.segments)?;
    undated_note(out, s.undated)
}
