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
    let code = match cli::run(cli) {
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
                eprintln!("byline: error: {err:#}");
                2
            }
        }
    };
    std::process::exit(code);
}
