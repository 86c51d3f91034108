//! Matching the records of a file of several (a JSON Lines file, a JSON
//! array) with what the index holds of it, when the file changed: by content
//! first, then by key ([`crate::ingest::RecordKey`]), never by position, so
//! that inserting or deleting a record rewrites nothing else.

use std::collections::HashMap;

use crate::ingest::identity::{self, Keys};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::TantivyDocument;

use super::pipeline::Run;
use crate::error::Result;
use crate::ingest::RecordKey;

impl Run<'_> {
    /// The records the index holds of a file of several, by key.
    pub(super) fn old_records(&self, file: &str) -> Result<OldRecords> {
        let q = TermQuery::new(self.file_term(file), IndexRecordOption::Basic);
        let docs = self.searcher.search(&q, &DocSetCollector)?;
        let mut records = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let key = doc.get_first(self.fields.record).and_then(|v| v.as_str());
            let occurrence = doc
                .get_first(self.fields.occurrence)
                .and_then(|v| v.as_u64());
            let hash = doc
                .get_first(self.fields.content_hash)
                .and_then(|v| v.as_u64());
            if let (Some(key), Some(hash)) = (key, hash) {
                let key = RecordKey {
                    key: key.to_string(),
                    occurrence: occurrence.unwrap_or(1).try_into().unwrap_or(u32::MAX),
                };
                records.push((key, hash));
            }
        }
        Ok(OldRecords::new(records))
    }
}

/// The records the index holds of a file of several, matched as the file is
/// read again: by content first (a record that has not changed is not read
/// again, wherever it moved), then by key (a record that changed replaces
/// the one with its key).
pub(super) struct OldRecords {
    pub(super) records: Vec<(RecordKey, u64)>,
    /// Records by content hash, duplicates in their order in the file.
    by_hash: HashMap<u64, Vec<usize>>,
    by_key: HashMap<String, usize>,
    /// Matched by a record of the file as it is now.
    taken: Vec<bool>,
}

impl OldRecords {
    pub(super) fn new(records: Vec<(RecordKey, u64)>) -> Self {
        let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::with_capacity(records.len());
        let mut by_key = HashMap::with_capacity(records.len());
        for (i, (key, hash)) in records.iter().enumerate() {
            by_hash.entry(*hash).or_default().push(i);
            by_key.insert(key.key.clone(), i);
        }
        for same in by_hash.values_mut() {
            same.sort_by_key(|&i| records[i].0.occurrence);
        }
        let taken = vec![false; records.len()];
        OldRecords {
            records,
            by_hash,
            by_key,
            taken,
        }
    }

    /// The first record not yet matched with this content.
    fn take_hash(&mut self, hash: u64) -> Option<&RecordKey> {
        let i = *self.by_hash.get(&hash)?.iter().find(|&&i| !self.taken[i])?;
        self.taken[i] = true;
        Some(&self.records[i].0)
    }

    /// The record with this key, if not yet matched.
    fn take_key(&mut self, key: &str) -> bool {
        match self.by_key.get(key) {
            Some(&i) if !self.taken[i] => {
                self.taken[i] = true;
                true
            }
            _ => false,
        }
    }

    /// The record with this key, if not yet matched: whether its content
    /// is `hash`.
    pub(super) fn take_key_hash(&mut self, key: &str, hash: u64) -> Option<bool> {
        let &i = self.by_key.get(key)?;
        if self.taken[i] {
            return None;
        }
        self.taken[i] = true;
        Some(self.records[i].1 == hash)
    }

    /// The keys of the records no record of the file matched: gone.
    pub(super) fn untaken(&self) -> impl Iterator<Item = &str> {
        self.records
            .iter()
            .zip(&self.taken)
            .filter(|(_, t)| !**t)
            .map(|((k, _), _)| k.key.as_str())
    }
}

/// What reading a record again does to the index, decided in file order
/// (the duplicates' `~N` depend on it): `None` when it is unchanged.
pub(super) fn rekey(
    old: Option<&mut OldRecords>,
    keys: &mut Keys,
    raw: &[u8],
    hash: u64,
    mut delete: impl FnMut(&str),
) -> Option<(Option<RecordKey>, bool)> {
    let Some(old) = old else {
        let key = identity::base_of_line(raw, hash).map(|b| keys.assign(b));
        return Some((key, false));
    };
    if let Some(was) = old.take_hash(hash).cloned() {
        let now = keys.assign(was.base().to_string());
        if now == was {
            return None;
        }
        // Unchanged, but a record with its key came or went before it:
        // it is written again under its new `~N`.
        delete(&was.key);
        if old.take_key(&now.key) {
            delete(&now.key);
        }
        return Some((Some(now), true));
    }
    let key = identity::base_of_line(raw, hash).map(|b| keys.assign(b));
    let existed = key.as_ref().is_some_and(|k| old.take_key(&k.key));
    if existed {
        if let Some(k) = &key {
            delete(&k.key);
        }
    }
    Some((key, existed))
}
