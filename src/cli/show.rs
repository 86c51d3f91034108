//! `byline show`: one article, whole, as the index holds it.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use byline::{Archive, Article, EntityCount};

use crate::cli::output::{print_json, Style};

/// `byline show ID|PATH [--json]`. An article that is not there is said on
/// standard error, exit code 1, as a search that finds nothing.
pub fn show(index_dir: &Path, reference: &str, json: bool, style: &Style) -> Result<i32> {
    let archive = Archive::open(index_dir)?;
    let article = match archive.show(reference) {
        Ok(a) => a,
        Err(byline::Error::NotFound(why)) => {
            eprintln!("byline: {why}");
            return Ok(1);
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        print_json(&article)?;
    } else {
        let mut out = io::stdout().lock();
        write_article(&mut out, &article, style)?;
        out.flush()?;
    }
    Ok(0)
}

/// The article for a reader: headline, date and where it came from, byline
/// and language, the references (id, path, url), the entities with their
/// mentions, then the text.
fn write_article(out: &mut impl Write, a: &Article, style: &Style) -> Result<()> {
    writeln!(out, "{}", style.paint("1", &a.title))?;
    let date = match (a.published, a.date_source) {
        (Some(t), Some(src)) => format!(
            "{} (from the {})",
            t.strftime("%Y-%m-%d %H:%M UTC"),
            source(src)
        ),
        (Some(t), None) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        (None, _) => "undated".into(),
    };
    let mut meta = vec![date];
    meta.extend(a.byline.as_ref().map(|b| format!("by {b}")));
    meta.extend(a.language.clone());
    writeln!(out, "{}", style.paint("2", &meta.join(" · ")))?;
    writeln!(out)?;
    let refs = [
        ("id", Some(&a.id)),
        ("path", Some(&a.path)),
        ("url", a.url.as_ref()),
    ];
    for (label, value) in refs {
        if let Some(v) = value {
            writeln!(out, "{} {v}", style.paint("2", &format!("{label:<14}")))?;
        }
    }
    for (label, list) in [
        ("people", &a.people),
        ("organisations", &a.organizations),
        ("places", &a.places),
    ] {
        if !list.is_empty() {
            writeln!(
                out,
                "{} {}",
                style.paint("2", &format!("{label:<14}")),
                counted(list)
            )?;
        }
    }
    if !a.standfirst.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.paint("1", &a.standfirst))?;
    }
    if !a.body.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", a.body)?;
    }
    Ok(())
}

/// Where a date came from, in words.
fn source(s: byline::DateSource) -> &'static str {
    match s {
        byline::DateSource::Metadata => "metadata",
        byline::DateSource::Path => "path",
        byline::DateSource::Text => "text",
        byline::DateSource::FileMtime => "file's modification time",
    }
}

/// `Tomasz Wierzba (2), Gdańsk (1)`.
fn counted(list: &[EntityCount]) -> String {
    list.iter()
        .map(|e| format!("{} ({})", e.name, e.mentions))
        .collect::<Vec<_>>()
        .join(", ")
}
