//! `byline quickwit config|push`, and `search`, `entities` and `timeline`
//! with `--quickwit URL`: the same views, answered by a Quickwit index.

#[cfg(feature = "quickwit")]
use std::io::{self, Write};
use std::path::Path;

use anyhow::{bail, Result};

use byline::{Granularity, SearchRequest};

use crate::cli::args::DateArgs;
use crate::cli::commands::{self, SearchArgs, TimelineOutput};
#[cfg(feature = "quickwit")]
use crate::cli::output;
use crate::cli::output::Style;

/// The most hits one Quickwit search returns (its `max_hits` limit).
const MAX_HITS: usize = 10_000;

#[cfg(feature = "quickwit")]
fn remote(url: &str, index: &str) -> Result<byline::quickwit::Remote> {
    let client = byline::quickwit::Client::new(url)?;
    Ok(byline::quickwit::Remote::new(client, index))
}

#[cfg(not(feature = "quickwit"))]
fn remote(_: &str, _: &str) -> Result<std::convert::Infallible> {
    bail!("this byline was built without the `quickwit` feature")
}

/// `byline quickwit config`.
pub fn config(index: &str) -> Result<i32> {
    #[cfg(feature = "quickwit")]
    {
        let mut out = io::stdout().lock();
        out.write_all(byline::quickwit::index_config(index).as_bytes())?;
        out.flush()?;
        Ok(0)
    }
    #[cfg(not(feature = "quickwit"))]
    {
        let _ = index;
        remote("", "").map(|_| 0)
    }
}

/// `byline quickwit push`.
pub fn push(
    index_dir: &Path,
    url: &str,
    index: &str,
    since: Option<&str>,
    json: bool,
) -> Result<i32> {
    #[cfg(feature = "quickwit")]
    {
        use byline::quickwit::{push, Client, PushOptions};
        let archive = byline::Archive::open(index_dir)?;
        let mut opts = PushOptions::new(index);
        let dates = DateArgs {
            since: since.map(String::from),
            until: None,
        };
        opts.since = commands::date_flags(&dates)?.0;
        let watch = crate::cli::signals::Watch::start();
        opts.stop = Some(watch.flag());
        let client = Client::new(url)?;
        let r = push(&archive, &client, &opts)?;
        for (id, why) in &r.rejected {
            eprintln!("byline: quickwit refused article {id}: {why}");
        }
        if json {
            output::print_json(&r)?;
        } else {
            let mb = r.bytes as f64 / 1e6;
            println!(
                "{}{} at {url}: {} new, {} changed (sent again), {} removed, {} unchanged; {} refused",
                if r.created { "created " } else { "" },
                r.index_uid,
                r.added,
                r.updated,
                r.removed,
                r.unchanged,
                r.rejected.len(),
            );
            println!(
                "{mb:.1} MB in {} request{}, {} delete task{}, {:.1} s ({:.1} MB/s)",
                r.requests,
                if r.requests == 1 { "" } else { "s" },
                r.delete_tasks,
                if r.delete_tasks == 1 { "" } else { "s" },
                r.seconds,
                mb / r.seconds.max(1e-9)
            );
        }
        if r.stopped {
            let (name, code) = watch.signal();
            eprintln!(
                "byline: interrupted by {name}: stopped after the request in flight, with {} articles sent this run; run the push again to go on from there",
                r.added
            );
            return Ok(code);
        }
        Ok(if r.rejected.is_empty() { 0 } else { 1 })
    }
    #[cfg(not(feature = "quickwit"))]
    {
        let _ = (index_dir, url, index, since, json);
        remote("", "").map(|_| 0)
    }
}

/// `byline search --quickwit URL`.
pub fn search(url: &str, index: &str, args: SearchArgs, style: &Style) -> Result<i32> {
    if args.csv {
        bail!("--csv is not available with --quickwit; --json gives the same hits");
    }
    if args.limit.saturating_add(args.offset) > MAX_HITS {
        bail!(
            "--all and an --offset past {MAX_HITS} are for the local index: a Quickwit search returns at most {MAX_HITS} hits (`byline export` writes every article)"
        );
    }
    let req = commands::search_request(&args)?;
    let remote = remote(url, index)?;
    #[cfg(feature = "quickwit")]
    {
        let results = remote.search(&req)?;
        let mut out = io::BufWriter::new(io::stdout().lock());
        if args.json {
            serde_json::to_writer(&mut out, &results)?;
            writeln!(out)?;
        } else {
            let paging = (args.offset, args.limit, args.all_copies);
            output::hits(&mut out, &results, paging, style)?;
        }
        out.flush()?;
        Ok(if results.total == 0 { 1 } else { 0 })
    }
    #[cfg(not(feature = "quickwit"))]
    {
        let _ = (req, style);
        match remote {}
    }
}

/// The request of `entities` and `timeline`, which count articles in a
/// Quickwit index: copies of one story each.
fn count_request(query: &[String], dates: &DateArgs, all_copies: bool) -> Result<SearchRequest> {
    let mut req = SearchRequest::new(commands::join_query(query));
    (req.since, req.until) = commands::date_flags(dates)?;
    req.all_copies = true;
    if !all_copies {
        eprintln!(
            "byline: a Quickwit index counts every copy of a story: the counts are of articles, as with --all-copies"
        );
    }
    Ok(req)
}

/// `byline entities --quickwit URL`.
pub fn entities(
    url: &str,
    index: &str,
    query: &[String],
    limit: usize,
    (dates, all_copies): (&DateArgs, bool),
    (json, csv): (bool, bool),
    style: &Style,
) -> Result<i32> {
    let req = count_request(query, dates, all_copies)?;
    let remote = remote(url, index)?;
    #[cfg(feature = "quickwit")]
    {
        commands::print_entities(&remote.top_entities(&req, limit)?, (json, csv), style)
    }
    #[cfg(not(feature = "quickwit"))]
    {
        let _ = (req, limit, json, csv, style);
        match remote {}
    }
}

/// `byline timeline --quickwit URL`.
pub fn timeline(
    url: &str,
    index: &str,
    query: &[String],
    by: Granularity,
    (dates, all_copies): (&DateArgs, bool),
    how: TimelineOutput,
    style: &Style,
) -> Result<i32> {
    let req = count_request(query, dates, all_copies)?;
    let remote = remote(url, index)?;
    #[cfg(feature = "quickwit")]
    {
        commands::print_timeline(&remote.timeline(&req, by)?, how, style)
    }
    #[cfg(not(feature = "quickwit"))]
    {
        let _ = (req, by, how, style);
        match remote {}
    }
}
