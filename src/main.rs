//! The `byline` command: parse the arguments, run, map errors to exit codes
//! (0 found, 1 nothing found, 2 error).

mod cli;

/// See `Cargo.toml`: the library leaves the allocator to its embedder.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
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
