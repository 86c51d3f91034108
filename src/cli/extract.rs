//! `byline extract`: what the index gets from a file or standard input, and
//! `extract --plain`, the entities of a text with spans into it.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use byline::ingest;
use byline::Format;

/// `byline extract FILE|-`: the article(s) the file turns into, one JSON
/// object per line, as the index gets them. Each is printed as it is read,
/// so that a JSON Lines stream of any length goes through in little memory.
/// `FILE#KEY` prints the one record with that key (the path byline prints
/// for it), and says so when the file has none.
pub fn articles(
    file: &Path,
    format: Option<Format>,
    max_bytes: u64,
    mtime_dates: bool,
) -> Result<i32> {
    let stdin = file.as_os_str() == "-";
    let (file, key) = match stdin {
        true => (file.to_path_buf(), None),
        false => record_of(file),
    };
    let name = match stdin {
        true => "standard input".to_string(),
        false => file.display().to_string(),
    };
    let wanted = key.as_ref().map(|k| format!("{name}#{k}"));
    let mut found = false;
    let mut out = io::stdout().lock();
    let print = |r: ingest::Extracted| -> Result<()> {
        match (r, &wanted) {
            (Ok(a), Some(w)) if a.path != *w => {}
            (Ok(a), _) => {
                found = true;
                writeln!(out, "{}", serde_json::to_string(&a)?)?;
            }
            // One record asked for: the others' faults are not its.
            (Err(_), Some(_)) => {}
            (Err(reason), None) => eprintln!("byline: {name}: {reason} (skipped)"),
        }
        Ok(())
    };
    if stdin {
        ingest::extract_stdin(Box::new(io::stdin()), format, max_bytes, print)?;
    } else {
        ingest::extract_path(&file, max_bytes, mtime_dates, print)?;
    }
    if let (Some(k), false) = (&key, found) {
        eprintln!(
            "byline: {name}: no record `{k}`; a record is keyed by its id, else its URL, else \
             a hash of its content (`byline extract {name}` prints each record's path)"
        );
        return Ok(1);
    }
    Ok(0)
}

/// `FILE#KEY` as the file and the key: a file that is there is read whole,
/// whatever its name holds; else the path is cut at the first `#` after
/// which a file is there.
fn record_of(path: &Path) -> (PathBuf, Option<String>) {
    let whole = (path.to_path_buf(), None);
    if path.exists() {
        return whole;
    }
    let Some(text) = path.to_str() else {
        return whole;
    };
    text.match_indices('#')
        .map(|(i, _)| (&text[..i], &text[i + 1..]))
        .find(|(file, _)| Path::new(file).is_file())
        .map_or(whole, |(file, key)| {
            (PathBuf::from(file), Some(key.to_string()))
        })
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
