//! `byline extract`: what the index gets from a file or standard input, and
//! `extract --plain`, the entities of a text with spans into it.

use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

use byline::ingest;
use byline::Format;

/// `byline extract FILE|-`: the article(s) the file turns into, one JSON
/// object per line, as the index gets them.
pub fn articles(file: &Path, format: Option<Format>) -> Result<i32> {
    let (articles, bad_records, name) = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        let (articles, bad) = ingest::read_stdin(&bytes, format)?;
        (articles, bad, "standard input".to_string())
    } else {
        let (articles, bad) = ingest::read_path(file)?;
        (articles, bad, file.display().to_string())
    };
    for reason in bad_records {
        eprintln!("byline: {name}: {reason} (skipped)");
    }
    let mut out = io::stdout().lock();
    for a in &articles {
        writeln!(out, "{}", serde_json::to_string(a)?)?;
    }
    Ok(0)
}

/// `extract --plain`: the entities of a plain text, spans into it as given.
pub fn plain(file: &Path) -> Result<i32> {
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
