//! `byline quickwit push`: the archive's articles into a Quickwit index,
//! only what changed since the last push, resumable.
//!
//! Quickwit has no update: a document sent twice is there twice. So byline
//! keeps, beside its own index, what it has sent to each Quickwit index (a
//! file named by the index's uid, which a deleted and recreated index does
//! not share): each article's id, a hash of the document sent and its date.
//! A push compares the archive with it: new articles are sent; a changed
//! one (its text, entities or story) is deleted and sent again; one gone
//! from the archive is deleted. The file grows by a line per batch the node
//! has acknowledged, so a push stopped half way goes on where it stopped.
//!
//! Deleting costs: Quickwit deletes by query, through a delete task that its
//! janitor applies by rewriting every split that holds a match. A push
//! therefore asks for as few tasks as it can, [`DELETE_CHUNK`] ids each,
//! sorted by date and each bounded to the dates of its ids, so that a task
//! touches only the splits of that period.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::client::{expect_ok, message, Client};
use super::{index_config, Document};
use crate::error::{Error, Result};
use crate::Archive;

/// The largest request body: Quickwit refuses requests over 10 MB.
const BATCH_BYTES: usize = 8 << 20;

/// Ids per delete task.
pub const DELETE_CHUNK: usize = 500;

/// What to push where.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The Quickwit index id; created with [`index_config`] when missing.
    pub index: String,
    /// Only the articles published from this instant (and the deletions
    /// among those pushed from it): undated articles are left alone.
    pub since: Option<jiff::Timestamp>,
    /// The most bytes of documents in one ingest request.
    pub batch_bytes: usize,
    /// Checked between requests: once set, the push ends after the request
    /// in flight, with what the node acknowledged in the ledger
    /// ([`PushReport::stopped`]); the next push goes on from there.
    pub stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl PushOptions {
    /// Push everything to the index `index`.
    pub fn new(index: impl Into<String>) -> Self {
        PushOptions {
            index: index.into(),
            since: None,
            batch_bytes: BATCH_BYTES,
            stop: None,
        }
    }
}

/// What a push did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PushReport {
    /// The Quickwit index's uid.
    pub index_uid: String,
    /// Whether the push created the index.
    pub created: bool,
    /// Articles sent for the first time.
    pub added: u64,
    /// Articles changed since they were sent: deleted and sent again.
    pub updated: u64,
    /// Articles sent before and gone from the archive: deleted.
    pub removed: u64,
    /// Articles already there as they are.
    pub unchanged: u64,
    /// Articles the node refused, with its reason (by id).
    pub rejected: Vec<(String, String)>,
    /// Delete tasks asked for.
    pub delete_tasks: u64,
    /// Ingest requests sent.
    pub requests: u64,
    /// Bytes of documents sent.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Whether [`PushOptions::stop`] ended the push early.
    pub stopped: bool,
}

/// What was sent of one article: a hash of its document, its date.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sent {
    hash: u64,
    published: Option<i64>,
}

/// Pushes the archive's articles to the index, creating it when missing.
pub fn push(archive: &Archive, client: &Client, opts: &PushOptions) -> Result<PushReport> {
    let started = Instant::now();
    let mut report = PushReport::default();
    let (uid, created) = ensure_index(client, &opts.index)?;
    report.index_uid = uid.clone();
    report.created = created;
    let mut ledger = Ledger::open(archive.dir(), &uid)?;
    let since = opts.since.map(|t| t.as_second());
    let in_scope = |s: &Sent| match since {
        None => true,
        Some(from) => s.published.is_some_and(|p| p >= from),
    };
    let mut batch = Batch::new(client, &opts.index, opts.batch_bytes);
    batch.stop = opts.stop.clone();
    let mut seen = HashSet::new();
    let mut changed: HashSet<String> = HashSet::new();
    for item in archive.feed(opts.since, None)? {
        if batch.stopping() {
            return Ok(stopped(report, &mut ledger, started, batch.acked));
        }
        let (article, story) = item?;
        let (doc, sent) = document(&article, &story)?;
        seen.insert(article.id.clone());
        match ledger.sent.get(&article.id) {
            Some(s) if s.hash == sent.hash => report.unchanged += 1,
            Some(_) => {
                changed.insert(article.id.clone());
            }
            None => {
                report.added += 1;
                batch.add(&article.id, sent, doc, &mut ledger, &mut report)?;
            }
        }
    }
    // Gone from the archive (within the period pushed), and changed: the
    // sent copies of both are deleted.
    let mut gone: Vec<(String, Option<i64>)> = ledger
        .sent
        .iter()
        .filter(|(id, s)| (in_scope(s) && !seen.contains(*id)) || changed.contains(*id))
        .map(|(id, s)| (id.clone(), s.published))
        .collect();
    report.updated = changed.len() as u64;
    report.removed = gone.len() as u64 - report.updated;
    if batch.stopping() {
        return Ok(stopped(report, &mut ledger, started, batch.acked));
    }
    delete(client, &opts.index, &mut gone, &mut ledger, &mut report)?;
    if !changed.is_empty() {
        // Sent after their old copies' delete tasks: a task deletes only
        // what the index held when it was asked for.
        for item in archive.feed(opts.since, None)? {
            if batch.stopping() {
                return Ok(stopped(report, &mut ledger, started, batch.acked));
            }
            let (article, story) = item?;
            if !changed.contains(&article.id) {
                continue;
            }
            let (doc, sent) = document(&article, &story)?;
            batch.add(&article.id, sent, doc, &mut ledger, &mut report)?;
        }
    }
    if batch.stopping() {
        return Ok(stopped(report, &mut ledger, started, batch.acked));
    }
    batch.flush(true, &mut ledger, &mut report)?;
    // Refused ones were counted as sent; they are not there.
    report.added = report.added.saturating_sub(report.rejected.len() as u64);
    ledger.compact()?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The report of a push stopped early: `added` is what the node
/// acknowledged, `acked`.
fn stopped(
    mut report: PushReport,
    ledger: &mut Ledger,
    started: Instant,
    acked: u64,
) -> PushReport {
    let _ = ledger.compact();
    report.stopped = true;
    report.added = acked;
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// An article's document as sent, and what the ledger keeps of it.
fn document(article: &crate::Article, story: &str) -> Result<(Vec<u8>, Sent)> {
    let doc = serde_json::to_vec(&Document::new(article, story))
        .map_err(|e| Error::Quickwit(format!("{}: {e}", article.id)))?;
    let sent = Sent {
        hash: xxhash_rust::xxh3::xxh3_64(&doc),
        published: article.published.map(|t| t.as_second()),
    };
    Ok((doc, sent))
}

/// The index's uid, creating the index when it is missing (and whether it
/// did).
fn ensure_index(client: &Client, index: &str) -> Result<(String, bool)> {
    let uid_of = |body: &str| -> Result<String> {
        serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("index_uid").and_then(|u| u.as_str()).map(String::from))
            .ok_or_else(|| {
                Error::Quickwit(format!(
                    "the node's description of index `{index}` has no index_uid; is {} a Quickwit node?",
                    client.url()
                ))
            })
    };
    let reply = client.get(&format!("/api/v1/indexes/{}", encode(index)))?;
    if reply.status == 200 {
        return Ok((uid_of(&reply.body)?, false));
    }
    if reply.status != 404 {
        return Err(Error::Quickwit(format!(
            "looking up index `{index}` at {}: {} {}",
            client.url(),
            reply.status,
            message(&reply.body)
        )));
    }
    let body = expect_ok(
        &format!("creating index `{index}`"),
        client.post(
            "/api/v1/indexes",
            "application/yaml",
            index_config(index).as_bytes(),
        )?,
    )?;
    Ok((uid_of(&body)?, true))
}

/// Path-segment encoding for an index id.
fn encode(s: &str) -> String {
    form_encode(s).replace('+', "%20")
}

/// Percent-encoding of everything but unreserved characters.
pub(crate) fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Documents gathered for one ingest request.
struct Batch<'c> {
    client: &'c Client,
    /// Documents the node acknowledged.
    acked: u64,
    stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    path: String,
    limit: usize,
    body: Vec<u8>,
    entries: Vec<(String, Sent)>,
}

impl<'c> Batch<'c> {
    fn new(client: &'c Client, index: &str, limit: usize) -> Self {
        Batch {
            client,
            acked: 0,
            stop: None,
            path: format!("/api/v1/{}/ingest", encode(index)),
            limit,
            body: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// Whether the push was asked to stop.
    fn stopping(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    }

    fn add(
        &mut self,
        id: &str,
        sent: Sent,
        doc: Vec<u8>,
        ledger: &mut Ledger,
        report: &mut PushReport,
    ) -> Result<()> {
        if !self.body.is_empty() && self.body.len() + doc.len() + 1 > self.limit {
            if self.stopping() {
                // What is gathered is not sent: the next push sends it.
                self.clear();
                return Ok(());
            }
            self.flush(false, ledger, report)?;
        }
        self.body.extend_from_slice(&doc);
        self.body.push(b'\n');
        self.entries.push((id.to_string(), sent));
        Ok(())
    }

    /// Sends what is gathered; `last` commits at once, so that the push
    /// ends with everything searchable.
    fn flush(&mut self, last: bool, ledger: &mut Ledger, report: &mut PushReport) -> Result<()> {
        if self.body.is_empty() {
            return Ok(());
        }
        let commit = if last { "wait_for" } else { "auto" };
        let path = format!("{}?commit={commit}&detailed_response=true", self.path);
        let reply = self
            .client
            .post(&path, "application/x-ndjson", &self.body)?;
        let first = &self.entries[0].0;
        if reply.status == 413 && self.entries.len() == 1 {
            report.rejected.push((
                first.clone(),
                "larger than the node accepts in one request".into(),
            ));
            self.clear();
            return Ok(());
        }
        let body = expect_ok(
            &format!("sending {} articles (from id {first})", self.entries.len()),
            reply,
        )?;
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let mut refused: HashMap<String, String> = HashMap::new();
        for f in answer
            .get("parse_failures")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let doc = f.get("document").and_then(|d| d.as_str()).unwrap_or("");
            let id = serde_json::from_str::<serde_json::Value>(doc)
                .ok()
                .and_then(|d| d.get("id").and_then(|i| i.as_str()).map(String::from))
                .unwrap_or_default();
            let why = f
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or("refused");
            refused.insert(id, why.to_string());
        }
        let rejected = answer
            .get("num_rejected_docs")
            .and_then(|n| n.as_u64())
            .unwrap_or(0);
        if rejected as usize > refused.len() {
            return Err(Error::Quickwit(format!(
                "the node refused {rejected} of {} articles (from id {first}) without saying which",
                self.entries.len()
            )));
        }
        report.requests += 1;
        report.bytes += self.body.len() as u64;
        let entries = std::mem::take(&mut self.entries);
        for (id, why) in refused {
            report.rejected.push((id, why));
        }
        let kept: Vec<(&str, Option<Sent>)> = entries
            .iter()
            .filter(|(id, _)| !report.rejected.iter().any(|(r, _)| r == id))
            .map(|(id, s)| (id.as_str(), Some(*s)))
            .collect();
        self.acked += kept.len() as u64;
        ledger.record(kept.into_iter())?;
        self.clear();
        Ok(())
    }

    fn clear(&mut self) {
        self.body.clear();
        self.entries.clear();
    }
}

/// Asks for the delete tasks of `gone` (ids and dates), [`DELETE_CHUNK`]
/// at a time, each bounded to its ids' dates.
fn delete(
    client: &Client,
    index: &str,
    gone: &mut [(String, Option<i64>)],
    ledger: &mut Ledger,
    report: &mut PushReport,
) -> Result<()> {
    // By date, so that each task's period is short; undated articles
    // carry the earliest timestamp, so their tasks are bounded too.
    gone.sort_by_key(|(_, p)| p.unwrap_or(super::UNDATED_SECS));
    let path = format!("/api/v1/{}/delete-tasks", encode(index));
    for chunk in gone.chunks(DELETE_CHUNK) {
        let query = chunk
            .iter()
            .map(|(id, _)| format!("id:{}", quote(id)))
            .collect::<Vec<_>>()
            .join(" OR ");
        let dates = chunk.iter().map(|(_, p)| p.unwrap_or(super::UNDATED_SECS));
        // Quickwit misreads a bound before April 1972: such a bound is
        // left open (see `search::SAFE_BOUND`).
        let bound = |t: Option<i64>| t.filter(|s| *s >= super::search::SAFE_BOUND);
        let task = serde_json::json!({
            "query": query,
            "start_timestamp": bound(dates.clone().min()),
            "end_timestamp": bound(dates.max().map(|d| d + 1)),
        });
        expect_ok(
            &format!("asking to delete {} articles", chunk.len()),
            client.post(&path, "application/json", task.to_string().as_bytes())?,
        )?;
        report.delete_tasks += 1;
        ledger.record(chunk.iter().map(|(id, _)| (id.as_str(), None)))?;
    }
    Ok(())
}

/// A term in double quotes for Quickwit's query language.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// What was sent to one Quickwit index, kept beside byline's index.
struct Ledger {
    path: PathBuf,
    sent: HashMap<String, Sent>,
    log: Option<BufWriter<File>>,
}

impl Ledger {
    /// The folder beside the index's files.
    const DIR: &'static str = ".byline-quickwit";

    fn open(index_dir: &Path, uid: &str) -> Result<Self> {
        let dir = index_dir.join(Self::DIR);
        let name: String = uid
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{name}.tsv"));
        let mut sent = HashMap::new();
        match File::open(&path) {
            Ok(f) => {
                for line in BufReader::new(f).lines() {
                    let line = line.map_err(|e| io_error(&path, e))?;
                    let mut parts = line.split('\t');
                    let (Some(id), Some(hash)) = (parts.next(), parts.next()) else {
                        continue;
                    };
                    let id = unescape(id);
                    if hash == "-" {
                        sent.remove(&id);
                        continue;
                    }
                    let Ok(hash) = u64::from_str_radix(hash, 16) else {
                        continue;
                    };
                    let published = parts.next().and_then(|p| p.parse().ok());
                    sent.insert(id, Sent { hash, published });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&path, e)),
        }
        Ok(Ledger {
            path,
            sent,
            log: None,
        })
    }

    /// Records what the node acknowledged: sent (`Some`) or deleted.
    fn record<'a>(&mut self, entries: impl Iterator<Item = (&'a str, Option<Sent>)>) -> Result<()> {
        if self.log.is_none() {
            let dir = self.path.parent().unwrap_or(Path::new("."));
            fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|e| io_error(&self.path, e))?;
            self.log = Some(BufWriter::new(f));
        }
        let Some(log) = self.log.as_mut() else {
            return Ok(());
        };
        let mut write = |line: String| log.write_all(line.as_bytes());
        for (id, s) in entries {
            let line = match s {
                Some(s) => {
                    self.sent.insert(id.to_string(), s);
                    let date = s.published.map(|p| p.to_string()).unwrap_or_default();
                    format!("{}\t{:016x}\t{date}\n", escape(id), s.hash)
                }
                None => {
                    self.sent.remove(id);
                    format!("{}\t-\n", escape(id))
                }
            };
            write(line).map_err(|e| io_error(&self.path, e))?;
        }
        // On disk before the next request: a push stopped after it goes on
        // from here.
        log.flush().map_err(|e| io_error(&self.path, e))?;
        log.get_ref()
            .sync_data()
            .map_err(|e| io_error(&self.path, e))?;
        Ok(())
    }

    /// Rewrites the file as one line per article sent.
    fn compact(&mut self) -> Result<()> {
        self.log = None;
        if self.sent.is_empty() && !self.path.exists() {
            return Ok(());
        }
        let tmp = self.path.with_extension("tsv.tmp");
        let mut out = BufWriter::new(File::create(&tmp).map_err(|e| io_error(&tmp, e))?);
        let mut ids: Vec<&String> = self.sent.keys().collect();
        ids.sort();
        for id in ids {
            let s = self.sent[id];
            let date = s.published.map(|p| p.to_string()).unwrap_or_default();
            writeln!(out, "{}\t{:016x}\t{date}", escape(id), s.hash)
                .map_err(|e| io_error(&tmp, e))?;
        }
        out.flush().map_err(|e| io_error(&tmp, e))?;
        drop(out);
        fs::rename(&tmp, &self.path).map_err(|e| io_error(&self.path, e))
    }
}

/// An id on one line of the ledger: tabs, line breaks and `\` escaped.
fn escape(id: &str) -> String {
    id.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Quickwit(format!("{}: {source}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_tabs_and_breaks_read_back_from_the_ledger() {
        for id in ["plain", "a\tb", "line\nbreak", "back\\slash\\t", "", "é\r"] {
            assert_eq!(unescape(&escape(id)), id);
            assert!(!escape(id).contains(['\t', '\n']));
        }
    }

    #[test]
    fn a_ledger_replays_sends_and_deletes_and_compacts_to_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let uid = "news:01HZZZ";
        let mut l = Ledger::open(dir.path(), uid).unwrap();
        let s = |hash| Sent {
            hash,
            published: Some(86_400),
        };
        l.record([("a", Some(s(1))), ("b\tc", Some(s(2)))].into_iter())
            .unwrap();
        l.record([("a", None)].into_iter()).unwrap();
        l.record([("d", Some(s(4)))].into_iter()).unwrap();
        drop(l);
        let again = Ledger::open(dir.path(), uid).unwrap();
        let mut ids: Vec<_> = again.sent.keys().cloned().collect();
        ids.sort();
        assert_eq!(ids, ["b\tc", "d"]);
        assert_eq!(again.sent["d"], s(4));
        let mut again = again;
        again.compact().unwrap();
        let text = fs::read_to_string(&again.path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        // Another index's uid starts from nothing.
        assert!(Ledger::open(dir.path(), "news:01HZZY")
            .unwrap()
            .sent
            .is_empty());
    }

    #[test]
    fn quoted_terms_escape_quotes_and_backslashes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
