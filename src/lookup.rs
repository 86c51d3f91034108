//! One article out of the index, by the references byline prints: its id,
//! or its path (a file of one article, or `FILE#KEY` for a record of a file
//! of several; see [`crate::ingest::RecordKey`]). What `byline show` reads.

use std::path::{Path, PathBuf};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::article::Article;
use crate::enrich;
use crate::error::{Error, Result};
use crate::schema::Fields;

/// How many articles one id names at most in an error's list.
const LISTED: usize = 5;

/// The article with this id. Ids are unique within a file, not across an
/// archive: an id that names several articles is an error that lists their
/// paths.
pub(crate) fn by_id(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Option<DocAddress>> {
    let q = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let (top, n) = searcher.search(&q, &(TopDocs::with_limit(LISTED).order_by_score(), Count))?;
    match n {
        0 => Ok(None),
        1 => Ok(Some(top[0].1)),
        n => {
            let mut paths = Vec::new();
            for (_, addr) in top {
                paths.push(read_path(searcher, fields, addr)?);
            }
            let more = match n.saturating_sub(LISTED) {
                0 => String::new(),
                m => format!(" and {m} more"),
            };
            Err(Error::NotFound(format!(
                "the id `{id}` names {n} articles: {}{more}; show one by its path",
                paths.join(", ")
            )))
        }
    }
}

/// The article at `path` as byline prints it: a file of one article, or
/// `FILE#KEY`. The file is looked for in the index by its absolute path,
/// so it may be given relative to the current folder; a file name holding
/// `#` is read whole before any `#` is taken for a key's.
///
/// A relative path that names nothing from the current folder is tried
/// against `built_from` (the folder the index was built from) and each of
/// its ancestors: byline prints paths relative to the folder `index` ran
/// in, which is one of those, so a path copied from `search` is found
/// from any folder.
pub(crate) fn by_path(
    searcher: &Searcher,
    fields: &Fields,
    index_dir: &Path,
    built_from: Option<&Path>,
    path: &str,
) -> Result<DocAddress> {
    let mut known = None;
    'splits: for (file, key) in splits(path) {
        for abs in candidates(Path::new(file), built_from) {
            let n = count(searcher, &Term::from_field_text(fields.file, &abs))?;
            if n > 0 {
                known = Some((file, key, abs, n));
                break 'splits;
            }
        }
    }
    let Some((file, key, abs, n)) = known else {
        let file = splits(path).last().map_or(path, |(f, _)| f);
        return Err(Error::NotFound(format!(
            "{file}: not in the index at {}; `byline reindex FOLDER` adds the folder that \
             holds it, and `byline search` finds an article by its words",
            index_dir.display()
        )));
    };
    // The file record is one of the `n` documents of the file.
    let articles = n - 1;
    let doc_key = match key {
        Some(k) => format!("{abs}#{k}"),
        None => abs.clone(),
    };
    let q = TermQuery::new(
        Term::from_field_text(fields.key, &doc_key),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    if let Some((_, addr)) = top.first() {
        return Ok(*addr);
    }
    Err(Error::NotFound(match key {
        Some(k) => format!(
            "{file}: no record `{k}` in the index; a record is keyed by its id, else its \
             URL, else a hash of its content (`byline extract {file}` prints each record's \
             path)"
        ),
        None => format!(
            "{file}: holds {articles} articles; name one as {file}#KEY (`byline extract {file}` \
             prints each record's path)"
        ),
    }))
}

/// The ways to read `path` as a file and a key, the whole path first, then
/// split at each `#` from the left.
fn splits(path: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    std::iter::once((path, None)).chain(
        path.match_indices('#')
            .map(move |(i, _)| (&path[..i], Some(&path[i + 1..]))),
    )
}

/// The absolute paths `file` may name, most likely first: from the current
/// folder, then (a relative `file` only) from `built_from` and each of its
/// ancestors, nearest first.
fn candidates(file: &Path, built_from: Option<&Path>) -> Vec<String> {
    let mut out = vec![absolute(file)];
    if file.is_relative() {
        for base in built_from.into_iter().flat_map(Path::ancestors) {
            let abs = absolute(&base.join(file));
            if !out.contains(&abs) {
                out.push(abs);
            }
        }
    }
    out
}

/// `file` as the index names it: absolute, links resolved where it exists
/// (the index names files below the folder's canonical path).
fn absolute(file: &Path) -> String {
    let abs: PathBuf = std::fs::canonicalize(file).unwrap_or_else(|_| {
        let joined = std::env::current_dir().unwrap_or_default().join(file);
        // `.` and `..` taken away as the file system would.
        let mut out = PathBuf::new();
        for c in joined.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    });
    abs.display().to_string()
}

fn count(searcher: &Searcher, term: &Term) -> Result<usize> {
    let q = TermQuery::new(term.clone(), IndexRecordOption::Basic);
    Ok(searcher.search(&q, &Count)?)
}

/// The article at `addr`; with `entities`, its entities found again as a
/// hit's are. Without, nothing is extracted: the word lists extraction
/// reads are most of the time `byline show` takes.
pub(crate) fn read(searcher: &Searcher, fields: &Fields, addr: DocAddress) -> Result<Article> {
    enrich::stored_article(searcher, fields, addr)
}

fn read_path(searcher: &Searcher, fields: &Fields, addr: DocAddress) -> Result<String> {
    let doc: tantivy::TantivyDocument = searcher.doc(addr)?;
    Ok(fields.to_article(&doc).path)
}
