//! `byline extract`: what the index gets from a file or standard input, and
//! `extract --plain`, the entities of a text with spans into it.

use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

use byline::ingest;
use byline::Format;

/// `byline extract FILE|-`: the article(s) the file turns into, one JSON
/// object per line, as the index gets them. Each is printed as it is read,
/// so that a JSON Lines stream of any length goes through in little memory.
pub fn articles(
    file: &Path,
    format: Option<Format>,
    max_bytes: u64,
    mtime_dates: bool,
) -> Result<i32> {
    let stdin = file.as_os_str() == "-";
    let name = match stdin {
        true => "standard input".to_string(),
        false => file.display().to_string(),
    };
    let mut out = io::stdout().lock();
    let print = |r: ingest::Extracted| -> Result<()> {
        match r {
            Ok(a) => writeln!(out, "{}", serde_json::to_string(&a)?)?,
            Err(reason) => eprintln!("byline: {name}: {reason} (skipped)"),
        }
        Ok(())
    };
    if stdin {
        ingest::extract_stdin(Box::new(io::stdin()), format, max_bytes, print)?;
    } else {
        ingest::extract_path(file, max_bytes, mtime_dates, print)?;
    }
    Ok(0)
}

/// `extract --plain`: the entities of a plain text, spans into it as given,
/// hard-wrapped lines read as their paragraphs. The input is read up to
/// `max_bytes`, as other files are.
pub fn plain(file: &Path, max_bytes: u64) -> Result<i32> {
    let (input, name): (Box<dyn Read>, String) = if file.as_os_str() == "-" {
        (Box::new(io::stdin()), "standard input".into())
    } else {
        let f = std::fs::File::open(file).with_context(|| file.display().to_string())?;
        (Box::new(f), file.display().to_string())
    };
    let mut bytes = Vec::new();
    input
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {name}"))?;
    if bytes.len() as u64 > max_bytes {
        anyhow::bail!(
            "{name}: more than the {} MB limit (--max-file-mb)",
            max_bytes / 1_000_000
        );
    }
    // Spans must index the input as given, so the text is not cleaned; bytes
    // that are not UTF-8 are an error here rather than silently re-encoded.
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text: {e}", file.display()))?;
    // Hard-wrapped text is read as written, as indexing reads it; the
    // unwrapped text has the input's length, so spans still index the input.
    let unwrapped = byline::ingest::unwrap::unwrap(&text);
    let entities = byline::enrich::entities::extract(unwrapped.as_deref().unwrap_or(&text));
    let v = serde_json::json!({ "entities": entities });
    writeln!(io::stdout().lock(), "{v}")?;
    Ok(0)
}
