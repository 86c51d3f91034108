//! The `byline` command: parse the arguments, run, map errors to exit codes
//! (0 found, 1 nothing found, 2 error).

mod cli;

/// See `Cargo.toml`: the library leaves the allocator to its embedder.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{CommandFactory, Parser};

fn main() {
    let cli = cli::Cli::try_parse().unwrap_or_else(|e| usage_error(e));
    // A panic is a bug, or an index damaged on disk (tantivy panics on some
    // corrupt files): said as an error, with what to do, and exit code 2.
    // A panic inside tantivy is most likely the index's files.
    let index = cli.index_dir();
    std::panic::set_hook(Box::new(move |info| {
        let in_tantivy = info
            .location()
            .is_some_and(|l| l.file().contains("/tantivy"));
        if in_tantivy {
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!(
                "byline: error: the index at {} is damaged; rebuild it with `byline index` (reading it failed: {what})",
                index.display()
            );
            return;
        }
        eprintln!("byline: internal error: {info}");
        eprintln!(
            "byline: if the index was damaged, rebuild it with `byline index`; otherwise this is a bug"
        );
    }));
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(cli)));
    let code = match run.unwrap_or_else(|_| Ok(2)) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`byline search x | head`) is not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                0
            } else {
                eprintln!("byline: error: {}", message(&err));
                2
            }
        }
    };
    std::process::exit(code);
}

/// The error and its causes, joined with `: `. byline's errors already end
/// with what caused them ("x.json: No such file or directory"), so a cause
/// that is the message's last part so far is not said twice.
fn message(err: &anyhow::Error) -> String {
    let mut out = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if out != cause && !out.ends_with(&format!(": {cause}")) {
            out.push_str(": ");
            out.push_str(&cause);
        }
    }
    out
}

/// Prints clap's error and exits, without clap's advice to put `--` before
/// an unknown long option (`search ferry --csvv` was told `-- --csvv`,
/// which searches for that text, and `index --csv` would index a folder of
/// that name); said instead which commands have the option, when some do.
fn usage_error(err: clap::Error) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let arg = match (err.kind(), err.get(ContextKind::InvalidArg)) {
        (ErrorKind::UnknownArgument, Some(ContextValue::String(a))) if a.starts_with("--") => {
            a.clone()
        }
        _ => err.exit(),
    };
    let long = arg[2..].split('=').next().unwrap_or_default();
    let owners: Vec<String> = cli::Cli::command()
        .get_subcommands()
        .filter(|c| c.get_arguments().any(|a| a.get_long() == Some(long)))
        .map(|c| format!("`byline {}`", c.get_name()))
        .collect();
    let dash_tip = format!("tip: to pass '{arg}' as a value");
    let mut text = String::new();
    for (i, line) in err.render().to_string().lines().enumerate() {
        if line.trim_start().starts_with(&dash_tip) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
        if i == 0 && !owners.is_empty() {
            text.push_str(&format!(
                "\n  tip: --{long} is an option of {}\n",
                owners.join(", ")
            ));
        }
    }
    // The removed tip leaves its blank lines behind.
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    eprint!("{text}");
    std::process::exit(2);
}
