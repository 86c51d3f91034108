//! Index the sample archive and run a few searches.
//!
//! ```text
//! cargo run --example basic_search
//! ```
//!
//! This is the library's tutorial: open (or create) an index, index a folder,
//! then search with a [`SearchRequest`] and read the [`byline::Hit`]s.

use byline::{Archive, IndexOptions, SearchRequest, Sort};

fn main() -> byline::Result<()> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    // An index in a temporary folder, so the example leaves nothing behind.
    let dir = std::env::temp_dir().join(format!("byline-example-{}", std::process::id()));
    let archive = Archive::open_or_create(&dir)?;

    // Index the folder. The callback receives progress events from the
    // worker threads; here we only count skipped files.
    let report = archive.index_folder(&corpus, &IndexOptions::default(), &|p| {
        if let byline::Progress::Skipped(s) = p {
            eprintln!("skipped {}: {}", s.path, s.reason);
        }
    })?;
    println!(
        "indexed {} articles from {} files in {:.2} s",
        report.indexed, report.files, report.seconds
    );

    // Keyword search, best match first.
    let results = archive.search(&SearchRequest::new("\"Baltic Link\" cable").limit(3))?;
    println!(
        "\n{} articles mention the Baltic Link cable; top 3:",
        results.total
    );
    for hit in &results.hits {
        println!("  {:.2}  {}", hit.score, hit.title);
        println!("        {}", hit.snippet.marked("[", "]"));
    }

    // A date filter and newest-first ordering.
    let req = SearchRequest::new("dockers after:2025-01-01").sort(Sort::Date);
    let results = archive.search(&req)?;
    println!("\ndockers since 2025, newest first:");
    for hit in &results.hits {
        let day = hit.published.map(|t| t.strftime("%Y-%m-%d").to_string());
        println!("  {}  {}", day.unwrap_or_default(), hit.title);
    }

    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
