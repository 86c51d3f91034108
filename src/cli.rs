//! The command line: `args` (clap's grammar), `commands` (one function per
//! command), `output` (the text views) and `extract`. This file only
//! dispatches.

mod args;
mod commands;
mod extract;
mod output;
mod quickwit;
mod show;
mod signals;

use std::io::{self, Write};

use anyhow::Result;
use clap::CommandFactory;

pub use args::Cli;
use args::{Command, QuickwitCommand};
use byline::IndexOptions;
use commands::{SearchArgs, TimelineOutput};
use output::Style;

/// Runs a command; the exit code is the returned value.
pub fn run(cli: Cli) -> Result<i32> {
    let style = Style::new(cli.color);
    let index_given = cli.index.is_some();
    let index = cli.index_dir();
    match cli.command {
        Command::Index {
            corpus,
            memory_mb,
            threads,
            max_file_mb,
            mtime_dates,
            no_mtime_dates: _,
            no_entities,
            json,
        } => {
            let opts = IndexOptions {
                memory_budget: memory_mb.saturating_mul(1_000_000),
                writer_threads: threads,
                max_file_bytes: max_file_mb.saturating_mul(1_000_000),
                mtime_dates,
                entities: !no_entities,
                ..IndexOptions::default()
            };
            commands::index(&index, &corpus, &opts, json)
        }
        Command::Search {
            query,
            limit,
            all,
            offset,
            sort,
            half_life,
            as_of,
            dates,
            json,
            csv,
            body,
            all_copies,
            corpus,
            remote,
        } => {
            let args = SearchArgs {
                all_copies,
                query,
                limit: if all { usize::MAX } else { limit },
                offset,
                sort: sort.into(),
                half_life,
                as_of,
                dates,
                json,
                csv,
                body,
                corpus,
            };
            if let Some(url) = &remote.quickwit {
                return quickwit::search(url, &remote.quickwit_index, args, &style);
            }
            commands::require_index(&index, index_given)?;
            commands::search(&index, args, &style)
        }
        Command::Reindex {
            corpus,
            full,
            mtime_dates,
            memory_mb,
            max_file_mb,
            json,
        } => {
            // `--full` builds a new index from scratch, as `index` does.
            if !full {
                commands::require_index(&index, index_given)?;
            }
            let opts = IndexOptions {
                memory_budget: memory_mb.saturating_mul(1_000_000),
                max_file_bytes: max_file_mb.saturating_mul(1_000_000),
                mtime_dates,
                ..IndexOptions::default()
            };
            let corpus = commands::reindex_folder(&index, corpus, full, mtime_dates)?;
            commands::reindex(&index, &corpus, full, &opts, json)
        }
        Command::Timeline {
            query,
            by,
            dates,
            json,
            csv,
            all_copies,
            remote,
        } => {
            let how = match (json, csv) {
                (true, _) => TimelineOutput::Json,
                (_, true) => TimelineOutput::Csv,
                _ => TimelineOutput::Chart,
            };
            if let Some(url) = &remote.quickwit {
                let args = (&dates, all_copies);
                return quickwit::timeline(
                    url,
                    &remote.quickwit_index,
                    &query,
                    by.into(),
                    args,
                    how,
                    &style,
                );
            }
            commands::require_index(&index, index_given)?;
            commands::timeline(&index, &query, by.into(), (&dates, all_copies), how, &style)
        }
        Command::Show { reference, json } => {
            // As `search` and the rest: a mistyped `--index` is said as one.
            commands::require_index(&index, index_given)?;
            show::show(&index, &reference, json, &style)
        }
        Command::Extract {
            file,
            format,
            plain,
            max_file_mb,
            mtime_dates,
        } => {
            let max_bytes = max_file_mb.saturating_mul(1_000_000);
            if plain {
                extract::plain(&file, max_bytes)
            } else {
                extract::articles(&file, format.map(Into::into), max_bytes, mtime_dates)
            }
        }
        Command::Entities {
            query,
            limit,
            dates,
            json,
            csv,
            all_copies,
            remote,
        } => {
            let scope = (&dates, all_copies);
            if let Some(url) = &remote.quickwit {
                let name = &remote.quickwit_index;
                return quickwit::entities(url, name, &query, limit, scope, (json, csv), &style);
            }
            commands::require_index(&index, index_given)?;
            commands::entities(&index, &query, limit, scope, (json, csv), &style)
        }
        Command::Duplicates {
            query,
            limit,
            window,
            dates,
            json,
            csv,
        } => {
            commands::require_index(&index, index_given)?;
            commands::duplicates(&index, &query, (limit, window), &dates, (json, csv), &style)
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            bind,
            threads,
            corpus,
        } => {
            commands::require_index(&index, index_given)?;
            commands::serve(&index, (bind, threads), &corpus)
        }
        Command::Export { dates } => {
            commands::require_index(&index, index_given)?;
            commands::export(&index, &dates)
        }
        Command::Quickwit { action } => match action {
            QuickwitCommand::Config { quickwit_index } => quickwit::config(&quickwit_index),
            QuickwitCommand::Push {
                url,
                quickwit_index,
                since,
                json,
            } => {
                commands::require_index(&index, index_given)?;
                quickwit::push(&index, &url, &quickwit_index, since.as_deref(), json)
            }
        },
        Command::Stats { json } => {
            commands::require_index(&index, index_given)?;
            commands::stats(&index, json)
        }
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
