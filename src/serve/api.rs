//! The endpoints under `/api/`. Each answers with the JSON the matching
//! command prints with `--json`, or with `format=csv` the CSV it prints
//! with `--csv`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use super::params::Params;
use super::{Lane, Refusal, Shared};
use crate::search::timeline::Granularity;
use crate::{export, SearchRequest, Sort};

type Answer = std::result::Result<Response, Refusal>;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/search", get(search))
        .route("/api/articles/{*id}", get(article))
        .route("/api/entities", get(entities))
        .route("/api/timeline", get(timeline))
        .route("/api/duplicates", get(duplicates))
        .route("/api/stats", get(stats))
        .route("/api/health", get(health))
}

const SORTS: [(&str, Sort); 4] = [
    ("relevance", Sort::Relevance),
    ("date", Sort::Date),
    ("oldest", Sort::Oldest),
    ("recent", Sort::Recent),
];

const GRANULARITIES: [(&str, Granularity); 4] = [
    ("day", Granularity::Day),
    ("week", Granularity::Week),
    ("month", Granularity::Month),
    ("year", Granularity::Year),
];

/// `format=json` (the default) or `format=csv`.
fn wants_csv(p: &Params) -> Result<bool, Refusal> {
    Ok(p.choice("format", &[("json", false), ("csv", true)])?
        .unwrap_or(false))
}

/// The request for the query `q` (empty: every article, where allowed) and
/// `copies=all`, within the query's length bound.
fn request(shared: &Shared, p: &Params, empty_ok: bool) -> Result<SearchRequest, Refusal> {
    let q = p.text("q").trim();
    let max = shared.limits.max_query_bytes;
    if q.len() > max {
        return Err(Refusal::bad(format!(
            "the query is {} bytes long; the most is {max}",
            q.len()
        )));
    }
    if q.is_empty() && !empty_ok {
        return Err(Refusal::bad(
            "the query is empty: give q (`*` lists every article)".into(),
        ));
    }
    let mut req = SearchRequest::new(q);
    req.all_copies = p
        .choice("copies", &[("all", true), ("stories", false)])?
        .unwrap_or(false);
    Ok(req)
}

fn json(value: &impl Serialize) -> Answer {
    let body = serde_json::to_vec(value).map_err(|_| Refusal::internal())?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// A CSV body, offered as a download named `name`.
fn csv(name: &'static str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

/// `/api/search?q=&n=&offset=&sort=&copies=&format=`: as `byline search
/// --json`, or `--csv` (then `n` up to [`super::Limits::max_export`]).
async fn search(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(
        raw.as_deref(),
        &["q", "n", "offset", "sort", "copies", "format"],
    )?;
    let mut req = request(&shared, &p, false)?;
    let as_csv = wants_csv(&p)?;
    let limits = &shared.limits;
    req.limit = match as_csv {
        true => p.number("n", 1_000.min(limits.max_export), limits.max_export)?,
        false => p.number("n", 10, limits.max_hits)?,
    };
    req.offset = p.number("offset", 0, limits.max_offset)?;
    req.sort = p.choice("sort", &SORTS)?.unwrap_or_default();
    if as_csv {
        let body = shared
            .run(("search", Lane::Search), move |archive| {
                let mut pages = archive.search_pages(&req, 1_000)?.without_entities();
                let mut out = Vec::new();
                export::search_csv(&mut out, &mut pages, req.offset + 1, false)?;
                Ok(out)
            })
            .await?;
        return Ok(csv("byline-hits.csv", body));
    }
    let results = shared
        .run(("search", Lane::Search), move |archive| {
            archive.search(&req)
        })
        .await?;
    json(&results)
}

/// `/api/articles/{id}`: as `byline show ID --json`; the path a search
/// gives is taken too, as `show` takes it.
async fn article(
    State(shared): State<Arc<Shared>>,
    Path(reference): Path<String>,
    RawQuery(raw): RawQuery,
) -> Answer {
    Params::parse(raw.as_deref(), &[])?;
    if reference.len() > shared.limits.max_query_bytes {
        return Err(Refusal::bad("the article id is too long".into()));
    }
    let article = shared
        .run(("article", Lane::Quick), move |archive| {
            // Said without the index's folder, which is the server's
            // business, nor the advice to run a command, which a reader of
            // the page cannot.
            let folder = format!("the index at {}", archive.dir().display());
            archive.show(&reference).map_err(|e| match e {
                crate::Error::NotFound(why) => {
                    let why = why.replace(&folder, "the archive");
                    let why = why.split("; `byline").next().unwrap_or_default();
                    crate::Error::NotFound(why.to_string())
                }
                other => other,
            })
        })
        .await?;
    json(&article)
}

/// `/api/entities?q=&n=&copies=&format=`: as `byline entities --json`
/// (empty `q`: the whole archive).
async fn entities(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["q", "n", "copies", "format"])?;
    let req = request(&shared, &p, true)?;
    let n = p.number("n", 10, shared.limits.max_hits)?;
    let top = shared
        .run(("entities", Lane::Search), move |archive| {
            archive.top_entities(&req, n)
        })
        .await?;
    match wants_csv(&p)? {
        true => Ok(csv(
            "byline-entities.csv",
            written(|out| export::entities_csv(out, &top))?,
        )),
        false => json(&top),
    }
}

/// Most bars a timeline gets when the client leaves the bucket size to the
/// server: as many as a phone shows side by side, readably.
const BARS: i64 = 60;

/// `/api/timeline?q=&by=&copies=&format=`: as `byline timeline --json`.
/// Without `by`, the smallest bucket that keeps the timeline within
/// [`BARS`] bars.
async fn timeline(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["q", "by", "copies", "format"])?;
    let req = request(&shared, &p, true)?;
    let by = p.choice("by", &GRANULARITIES)?;
    let t = shared
        .run(("timeline", Lane::Search), move |archive| {
            let t = archive.timeline(&req, by.unwrap_or(Granularity::Day))?;
            if by.is_some() {
                return Ok(t);
            }
            let (Some(first), Some(last)) = (t.buckets.first(), t.buckets.last()) else {
                return Ok(t);
            };
            let days = first.start.until(last.start).map_or(0, |s| s.get_days()) as i64;
            let fitting = [
                (Granularity::Day, 1),
                (Granularity::Week, 7),
                (Granularity::Month, 31),
            ]
            .into_iter()
            .find(|&(_, per)| days / per < BARS)
            .map_or(Granularity::Year, |(g, _)| g);
            match fitting {
                Granularity::Day => Ok(t),
                g => archive.timeline(&req, g),
            }
        })
        .await?;
    match wants_csv(&p)? {
        true => Ok(csv(
            "byline-timeline.csv",
            written(|out| export::timeline_csv(out, &t))?,
        )),
        false => json(&t),
    }
}

/// `/api/duplicates?q=&n=&window=&format=`: as `byline duplicates --json`.
async fn duplicates(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["q", "n", "window", "format"])?;
    let req = request(&shared, &p, true)?;
    let n = p.number("n", 20, shared.limits.max_hits)?;
    let window = p.number("window", 3, 365)? as u32;
    let found = shared
        .run(("duplicates", Lane::Search), move |archive| {
            let mut found = archive.duplicates(&req, window)?;
            found.stories.truncate(n);
            Ok(found)
        })
        .await?;
    match wants_csv(&p)? {
        true => Ok(csv(
            "byline-duplicates.csv",
            written(|out| export::duplicates_csv(out, &found))?,
        )),
        false => json(&found),
    }
}

/// `/api/stats`: as `byline stats --json`.
async fn stats(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Answer {
    Params::parse(raw.as_deref(), &[])?;
    let s = shared
        .run(("stats", Lane::Quick), |archive| archive.stats())
        .await?;
    json(&s)
}

/// `/api/health`: whether the index can be read, and how many articles it
/// holds, for a load balancer or a monitor.
async fn health(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Answer {
    Params::parse(raw.as_deref(), &[])?;
    let documents = shared
        .run(("health", Lane::Quick), |archive| Ok(archive.len()))
        .await?;
    json(&serde_json::json!({ "ok": true, "documents": documents }))
}

/// The bytes an export writes.
fn written(write: impl FnOnce(&mut Vec<u8>) -> crate::Result<()>) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    write(&mut out).map_err(|_| Refusal::internal())?;
    Ok(out)
}
