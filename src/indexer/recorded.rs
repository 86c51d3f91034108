//! The settings an index was built with, recorded in tantivy's commit
//! payload with every commit, so that a later run adds articles as the
//! index's build did, and reads the folder it was built from.

use std::path::{Path, PathBuf};

use tantivy::IndexWriter;

use super::IndexOptions;
use crate::error::Result;

/// What an index holds whichever run wrote it last, saved with every
/// commit (tantivy's commit payload): `byline reindex` adds articles as the
/// index's build did, so that an index built without entities or mtime
/// dates does not become a mix of both.
#[derive(serde::Serialize, serde::Deserialize)]
struct Recorded {
    entities: bool,
    mtime_dates: bool,
    /// The folder (or file) the run read, absolute: what `byline reindex`
    /// reads when it is given none. Indexes committed before byline
    /// recorded it have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    folder: Option<PathBuf>,
}

/// Commits what `writer` holds, with the settings of `opts` and the folder
/// `root` (absolute) as the payload.
pub(super) fn commit(writer: &mut IndexWriter, opts: &IndexOptions, root: &Path) -> Result<()> {
    let recorded = Recorded {
        entities: opts.entities,
        mtime_dates: opts.mtime_dates,
        folder: Some(root.to_path_buf()),
    };
    let mut prepared = writer.prepare_commit()?;
    if let Ok(payload) = serde_json::to_string(&recorded) {
        prepared.set_payload(&payload);
    }
    prepared.commit()?;
    Ok(())
}

/// `opts` with the content settings (`entities`, `mtime_dates`) that
/// `index` recorded, where it recorded any (indexes built before byline
/// recorded them have none).
pub(crate) fn recorded_options(index: &tantivy::Index, opts: &IndexOptions) -> IndexOptions {
    let mut out = opts.clone();
    if let Some(r) = recorded(index) {
        out.entities = r.entities;
        out.mtime_dates = r.mtime_dates;
    }
    out
}

/// The folder the index's last run read, where it recorded one.
pub(crate) fn recorded_folder(index: &tantivy::Index) -> Option<PathBuf> {
    recorded(index).and_then(|r| r.folder)
}

/// Whether the index's articles were dated by file times, where it
/// recorded that.
pub(crate) fn recorded_mtime_dates(index: &tantivy::Index) -> Option<bool> {
    recorded(index).map(|r| r.mtime_dates)
}

fn recorded(index: &tantivy::Index) -> Option<Recorded> {
    index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str::<Recorded>(&p).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Fields;

    /// An index whose last commit was made with `opts`.
    fn committed_with(opts: &IndexOptions) -> tantivy::Index {
        let index = tantivy::Index::create_in_ram(Fields::build().schema);
        let mut writer: IndexWriter = index.writer(15_000_000).expect("writer");
        commit(&mut writer, opts, Path::new("/archive/news")).expect("commit");
        index
    }

    #[test]
    fn recorded_settings_survive_a_commit_and_win_over_the_options_given() {
        for (entities, mtime_dates) in [(false, true), (true, false), (false, false)] {
            let built = IndexOptions {
                entities,
                mtime_dates,
                ..IndexOptions::default()
            };
            let index = committed_with(&built);
            let asked = IndexOptions {
                memory_budget: 123_000_000,
                ..IndexOptions::default()
            };
            let got = recorded_options(&index, &asked);
            assert_eq!((got.entities, got.mtime_dates), (entities, mtime_dates));
            assert_eq!(
                recorded_folder(&index),
                Some(PathBuf::from("/archive/news"))
            );
            // Only the recorded settings are taken from the index.
            assert_eq!(got.memory_budget, 123_000_000);
        }
    }

    #[test]
    fn an_index_with_no_payload_keeps_the_options_given() {
        let index = tantivy::Index::create_in_ram(Fields::build().schema);
        let asked = IndexOptions {
            entities: false,
            mtime_dates: true,
            ..IndexOptions::default()
        };
        let got = recorded_options(&index, &asked);
        assert!(!got.entities && got.mtime_dates);
        assert_eq!(recorded_folder(&index), None);
    }

    #[test]
    fn a_payload_written_before_the_folder_was_recorded_still_reads() {
        let index = tantivy::Index::create_in_ram(Fields::build().schema);
        let mut writer: IndexWriter = index.writer(15_000_000).expect("writer");
        let mut prepared = writer.prepare_commit().expect("prepare");
        prepared.set_payload(r#"{"entities":false,"mtime_dates":true}"#);
        prepared.commit().expect("commit");
        assert_eq!(recorded_mtime_dates(&index), Some(true));
        assert_eq!(recorded_folder(&index), None);
    }
}
