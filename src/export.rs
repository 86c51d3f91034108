//! The export forms of searches, entities, timelines and duplicates: CSV
//! with a header row, and a search's JSON written hit by hit. The CLI
//! (`--csv`, `--json`) and the HTTP API (`format=csv`) both write them
//! here, so the two give the same bytes. A search's export writes a page of
//! hits as it is read and drops it, so an export of every match holds one
//! page in memory.

use std::io::{self, Write};

use crate::error::{Error, Result};
use crate::search::facets::TopEntities;
use crate::search::stories::Duplicates;
use crate::search::timeline::Timeline;
use crate::search::{Hit, HitPages};

/// The columns of `search --csv`.
const SEARCH_COLUMNS: [&str; 11] = [
    "rank",
    "id",
    "score",
    "published",
    "date_source",
    "title",
    "byline",
    "url",
    "path",
    "snippet",
    "copies",
];

/// Writes the hits as CSV, ranked from `first` (1 for the first page);
/// with `body`, each hit's full text in a last column, `text` (the pages
/// must have been asked for the text).
pub fn search_csv(
    out: impl Write,
    pages: &mut HitPages<'_>,
    first: usize,
    body: bool,
) -> Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    let header = SEARCH_COLUMNS.iter().copied();
    if body {
        csv.write_record(header.chain(["text"]))
    } else {
        csv.write_record(header)
    }
    .map_err(csv_io)?;
    let mut rank = first;
    for page in pages {
        for hit in page? {
            let row = search_row(&hit, rank);
            if body {
                let text = inert(hit.text.as_deref().unwrap_or_default());
                csv.write_record(row.iter().map(String::as_str).chain([&*text]))
            } else {
                csv.write_record(&row)
            }
            .map_err(csv_io)?;
            rank += 1;
        }
        csv.flush().map_err(Error::Output)?;
    }
    csv.flush().map_err(Error::Output)?;
    Ok(())
}

/// A hit's CSV row: the snippet plain, without highlight marks; the date as
/// a day (UTC), which spreadsheets read as a date.
fn search_row(hit: &Hit, rank: usize) -> [String; 11] {
    let opt = |s: &Option<String>| inert(s.as_deref().unwrap_or_default()).into_owned();
    let text = |s: &str| inert(s).into_owned();
    [
        rank.to_string(),
        hit.id.clone(),
        score_cell(hit.score),
        hit.published
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        hit.date_source
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        text(&hit.title),
        opt(&hit.byline),
        opt(&hit.url),
        text(&hit.path),
        text(&hit.snippet.text),
        // The story's other copies, by path: one cell a spreadsheet shows.
        text(
            &hit.copies
                .iter()
                .map(|c| c.path.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ]
}

/// Text for a cell that a spreadsheet will not run. A cell starting with
/// `=`, `+`, `-` or `@` (or a tab or carriage return before one) is read
/// by Excel, LibreOffice and Google Sheets as a formula, and an archive's
/// titles and snippets are text scraped from anywhere: such a cell gets a
/// leading `'`, which spreadsheets read as "text" (the OWASP advice for CSV
/// injection). A program reading the CSV sees the `'`.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{cell}").into(),
        false => cell.into(),
    }
}

/// A score to six significant digits: `f32`'s shortest form of a recency
/// score of an old article is forty digits long (`0.0000…2253876`), which
/// spreadsheets read as text or as 0. Scores far from 1 take an exponent
/// (`2.25388e-40`), which spreadsheets read as a number.
fn score_cell(score: f32) -> String {
    let x = f64::from(score);
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if (-4..6).contains(&magnitude) {
        let decimals = (5 - magnitude).max(0) as usize;
        let fixed = format!("{x:.decimals$}");
        // Trailing zeros say nothing; "2.500000" is "2.5".
        if fixed.contains('.') {
            fixed
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        } else {
            fixed
        }
    } else {
        let sci = format!("{x:.5e}");
        let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
    }
}

/// Writes `byline search --json`: the library's `SearchResults` object, key
/// for key (`total` first, so a streaming reader has it before the hits),
/// with the hits written a page at a time.
pub fn search_json(mut out: impl Write, pages: &mut HitPages<'_>) -> Result<()> {
    write!(
        out,
        "{{\"total\":{},\"stories\":{},\"hits\":[",
        pages.total, pages.stories
    )
    .map_err(Error::Output)?;
    let mut first = true;
    for page in pages.by_ref() {
        for hit in page? {
            if !first {
                out.write_all(b",").map_err(Error::Output)?;
            }
            first = false;
            serde_json::to_writer(&mut out, &hit).map_err(json_io)?;
        }
    }
    write!(out, "],\"surname_only\":").map_err(Error::Output)?;
    serde_json::to_writer(&mut out, &pages.surname_only).map_err(json_io)?;
    write!(out, ",\"earlier_names\":").map_err(Error::Output)?;
    serde_json::to_writer(&mut out, &pages.earlier_names).map_err(json_io)?;
    write!(out, ",\"expansions\":").map_err(Error::Output)?;
    serde_json::to_writer(&mut out, &pages.expansions).map_err(json_io)?;
    write!(out, ",\"suggestion\":").map_err(Error::Output)?;
    serde_json::to_writer(&mut out, &pages.suggestion).map_err(json_io)?;
    writeln!(out, "}}").map_err(Error::Output)?;
    out.flush().map_err(Error::Output)?;
    Ok(())
}

/// A JSON writer's error: only writing can fail, the values being plain.
fn json_io(e: serde_json::Error) -> Error {
    Error::Output(e.into())
}

/// A CSV writer's error as the I/O error it wraps, so that a closed pipe
/// (`byline search --all --csv x | head`) ends the run quietly, as it does
/// for text.
fn csv_io(e: csv::Error) -> Error {
    Error::Output(match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    })
}

/// Writes `byline entities --csv`: a row per entity, people first, then
/// organisations and places, each most named first.
pub fn entities_csv(out: impl Write, top: &TopEntities) -> Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    // The last column is named for what it counts.
    csv.write_record(["kind", "name", top.counts.noun()])
        .map_err(csv_io)?;
    for (kind, list) in [
        ("person", &top.people),
        ("organization", &top.organizations),
        ("place", &top.places),
    ] {
        for (name, n) in list {
            csv.write_record([kind, &inert(name), &n.to_string()])
                .map_err(csv_io)?;
        }
    }
    csv.flush().map_err(Error::Output)?;
    Ok(())
}

/// Writes `byline timeline --csv`: a row per bucket, `start,count`.
pub fn timeline_csv(mut out: impl Write, t: &Timeline) -> Result<()> {
    writeln!(out, "start,count").map_err(Error::Output)?;
    for b in &t.buckets {
        writeln!(out, "{},{}", b.start, b.count).map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)
}

/// Writes `byline duplicates --csv`: a row per copy, each story's
/// representative first.
pub fn duplicates_csv(out: impl Write, found: &Duplicates) -> Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["story", "copies", "published", "id", "path", "url", "title"])
        .map_err(csv_io)?;
    for (n, story) in found.stories.iter().enumerate() {
        let (n, len) = ((n + 1).to_string(), story.copies.len().to_string());
        for c in &story.copies {
            let date = c
                .published
                .map(|t| t.strftime("%Y-%m-%d").to_string())
                .unwrap_or_default();
            let url = c.url.as_deref().unwrap_or("");
            let (id, path, url, title) =
                (inert(&c.id), inert(&c.path), inert(url), inert(&c.title));
            csv.write_record([&n, &len, &date, &*id, &*path, &*url, &*title])
                .map_err(csv_io)?;
        }
    }
    csv.flush().map_err(Error::Output)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::DateSource;
    use crate::search::stories::{Story, StoryCopy};
    use crate::search::Snippet;

    /// A pipe whose reader has gone (`| head`).
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_is_reported_as_one_so_the_run_ends_quietly() {
        let copy = StoryCopy {
            id: "a".into(),
            path: "a.txt".into(),
            published: None,
            title: "T".into(),
            url: None,
        };
        let found = Duplicates {
            articles: 2,
            in_stories: 2,
            stories: vec![Story {
                copies: vec![copy.clone(), copy],
                title: "T".into(),
            }],
            total: 1,
            window_days: 3,
        };
        let err = duplicates_csv(Closed, &found).unwrap_err();
        // As `main` looks for it.
        assert!(matches!(err, Error::Output(ref e) if e.kind() == io::ErrorKind::BrokenPipe));
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_as_a_formula_is_made_text() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x.example/\",\"Click\")",
                "'=HYPERLINK(",
            ),
            ("+SUM(1,2)", "'+SUM"),
            ("-2+3", "'-2+3"),
            ("@cmd", "'@cmd"),
            ("\t=1", "'\t=1"),
            ("Council tax = 3%", "Council tax = 3%"),
            ("", ""),
        ] {
            assert!(
                inert(cell).starts_with(want),
                "{cell:?} -> {:?}",
                inert(cell)
            );
        }
        let top = TopEntities {
            people: vec![("=cmd|' /C calc'!A0".into(), 1)],
            ..TopEntities::default()
        };
        let mut out = Vec::new();
        entities_csv(&mut out, &top).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("person,'=cmd|' /C calc'!A0,1"), "{out}");
    }

    #[test]
    fn scores_have_six_significant_digits() {
        let table: &[(f32, &str)] = &[
            (0.0, "0"),
            (1.5, "1.5"),
            (7.123_456_7, "7.12346"),
            (12.345_678, "12.3457"),
            (123_456.79, "123457"),
            (0.000_123_456_78, "0.000123457"),
            (2.253_876e-30, "2.25388e-30"),
            (1.0e-5, "1e-5"),
            (3.0e7, "3e7"),
        ];
        for (score, want) in table {
            let got = score_cell(*score);
            assert_eq!(got, *want, "{score:e}");
            let back: f64 = got.parse().unwrap();
            assert!((back - f64::from(*score)).abs() <= 1e-5 * f64::from(*score).abs());
        }
    }

    /// No reader leaves a line break in a title or a snippet today; a row
    /// with them, commas and quotes in every text column still reads back
    /// as it was.
    #[test]
    fn a_row_with_line_breaks_quotes_and_commas_reads_back() {
        let hit = Hit {
            text: None,
            id: "a,\"1\"".into(),
            path: "wire/a,b.jsonl#3".into(),
            url: Some("https://example.org/?q=a,b".into()),
            title: "Strike, day two:\n\"We stay\"".into(),
            published: Some("1987-03-04T10:00:00Z".parse().unwrap()),
            date_source: Some(DateSource::Text),
            byline: Some("Ewa Nowak, Jan Kos".into()),
            score: 1.5,
            snippet: Snippet {
                text: "said \"no\",\r\nagain".into(),
                highlights: vec![(0, 4)],
            },
            people: Vec::new(),
            organizations: Vec::new(),
            places: Vec::new(),
            copies: vec![StoryCopy {
                id: "b".into(),
                path: "wire/b; c.txt".into(),
                published: None,
                title: "Strike".into(),
                url: None,
            }],
        };
        let row = search_row(&hit, 7);
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(SEARCH_COLUMNS).unwrap();
        csv.write_record(&row).unwrap();
        let bytes = csv.into_inner().unwrap();
        let mut read = csv::Reader::from_reader(&bytes[..]);
        let back: Vec<csv::StringRecord> = read.records().map(|r| r.unwrap()).collect();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].iter().collect::<Vec<_>>(), row);
        assert_eq!(&back[0][3], "1987-03-04");
        assert_eq!(&back[0][9], "said \"no\",\r\nagain");
        assert_eq!(&back[0][10], "wire/b; c.txt");
    }
}
