//! The command line: `args` (clap's grammar), `commands` (one function per
//! command), `output` (the text views) and `extract`. This file only
//! dispatches.

mod args;
mod commands;
mod extract;
mod output;
mod show;
mod signals;

use std::io::{self, Write};

use anyhow::Result;
use clap::CommandFactory;

pub use args::Cli;
use args::Command;
use byline::IndexOptions;
use commands::{SearchArgs, TimelineOutput};
use output::Style;

/// Runs a command; the exit code is the returned value.
pub fn run(cli: Cli) -> Result<i32> {
    let style = Style::new(cli.color);
    let index = cli.index;
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
                ..IndexOptions::default()
            };
            commands::index(&index, &corpus, &opts, json)
        }
        Command::Search {
            query,
            limit,
            offset,
            sort,
            half_life,
            dates,
            json,
            body,
            corpus,
        } => {
            let args = SearchArgs {
                query,
                limit,
                offset,
                sort: sort.into(),
                half_life,
                dates,
                json,
                body,
                corpus,
            };
            commands::search(&index, args, &style)
        }
        Command::Reindex {
            corpus,
            full,
            memory_mb,
            max_file_mb,
            json,
        } => {
            let opts = IndexOptions {
                memory_budget: memory_mb.saturating_mul(1_000_000),
                max_file_bytes: max_file_mb.saturating_mul(1_000_000),
                ..IndexOptions::default()
            };
            commands::reindex(&index, &corpus, full, &opts, json)
        }
        Command::Timeline {
            query,
            by,
            dates,
            json,
            csv,
        } => {
            let how = match (json, csv) {
                (true, _) => TimelineOutput::Json,
                (_, true) => TimelineOutput::Csv,
                _ => TimelineOutput::Chart,
            };
            commands::timeline(&index, &query, by.into(), &dates, how, &style)
        }
        Command::Show { reference, json } => show::show(&index, &reference, json, &style),
        Command::Extract {
            file,
            format,
            plain,
            max_file_mb,
        } => {
            let max_bytes = max_file_mb.saturating_mul(1_000_000);
            if plain {
                extract::plain(&file, max_bytes)
            } else {
                extract::articles(&file, format.map(Into::into), max_bytes)
            }
        }
        Command::Entities {
            query,
            limit,
            dates,
            json,
        } => commands::entities(&index, &query, limit, &dates, json, &style),
        Command::Stats { json } => commands::stats(&index, json),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when a write fails,
            // and `byline completions bash | head` closes the pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "byline", &mut script);
            let mut out = io::stdout().lock();
            out.write_all(&script)?;
            out.flush()?;
            Ok(0)
        }
        Command::Man { command } => {
            let mut cmd = Cli::command();
            // Pages for the commands, as `byline(1)` lists them: `byline-search(1)`.
            let page = match command {
                None => cmd,
                Some(name) => {
                    let Some(sub) = cmd.find_subcommand_mut(&name) else {
                        anyhow::bail!("no command `{name}`; see `byline --help`");
                    };
                    let title = format!("byline-{}", sub.get_name());
                    // clap names are `&'static`: one page per process.
                    sub.clone().name(&*Box::leak(title.into_boxed_str()))
                }
            };
            let mut roff = Vec::new();
            clap_mangen::Man::new(page).render(&mut roff)?;
            let mut out = io::stdout().lock();
            out.write_all(&roff)?;
            out.flush()?;
            Ok(0)
        }
    }
}
