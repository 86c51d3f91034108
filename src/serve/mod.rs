//! `byline serve`: the HTTP API and the search page, in one process.
//!
//! The API answers with the library's own serializable types, so each
//! endpoint's JSON is what the matching command prints with `--json`
//! (`/api/search` as `byline search --json`, and so on), and its CSV what
//! it prints with `--csv` ([`crate::export`]). The page's files are
//! compiled into the binary.
//!
//! Safe by default: [`Config::bind`] is loopback unless the caller says
//! otherwise; every endpoint reads, none writes; static files come from the
//! binary, never from disk, so no path can escape; queries, pages and
//! request times are bounded ([`Limits`]), with the refusal said as JSON;
//! every response carries a Content-Security-Policy that allows nothing
//! from other origins; and an internal error reaches the client as "internal
//! error", its details only in the server's log.
//!
//! Searches run on a pool of blocking threads, at most
//! [`Limits::concurrent`] at once: tantivy's work is CPU-bound, and many
//! more at once than the machine has cores only makes each slower. Each
//! opens the newest commit when it starts ([`Archive`] does), so a `byline
//! reindex` is seen without a restart, and a search in flight answers from
//! the commit it started on. A thread keeps the story map of the newest
//! commit ready ([`Archive::warm`]), so that no search waits for it.

mod api;
mod assets;
mod params;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::Semaphore;

use crate::{Archive, Error, Result};

/// What `byline serve` serves, and where.
#[derive(Debug, Clone)]
pub struct Config {
    /// The index folder.
    pub index: PathBuf,
    /// The address to listen on; loopback (`127.0.0.1:7700`) by default.
    pub bind: SocketAddr,
    /// Bounds on what one request may ask.
    pub limits: Limits,
}

/// Bounds on requests. A request past one is refused with a 4xx status and
/// a JSON error that says which bound; one that waits or runs too long
/// gets 503 or 504.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest query, in bytes.
    pub max_query_bytes: usize,
    /// Most hits in one page of JSON results (`n`).
    pub max_hits: usize,
    /// Most hits in one CSV download.
    pub max_export: usize,
    /// Deepest page: the most hits skipped (`offset`).
    pub max_offset: usize,
    /// Longest a request may wait and run before it is answered 504.
    pub timeout: Duration,
    /// Searches run at once; more wait their turn. Twice the cores by
    /// default: with one per core, a core idled while a finished search
    /// handed its turn on (447 against 810 searches a second on the 200k
    /// benchmark, `benches/serve-load.sh`).
    pub concurrent: usize,
    /// Requests waiting for their turn beyond which more are refused (503).
    pub queued: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_query_bytes: 2_000,
            max_hits: 100,
            max_export: 10_000,
            max_offset: 10_000,
            timeout: Duration::from_secs(10),
            concurrent: 2 * cores,
            queued: 1_024,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            index: PathBuf::from("index"),
            bind: SocketAddr::from(([127, 0, 0, 1], 7700)),
            limits: Limits::default(),
        }
    }
}

/// What every request shares.
struct Shared {
    archive: Archive,
    limits: Limits,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
}

/// The routes of `byline serve` over `archive`: the API under `/api/`, the
/// page at `/` and its files under `/assets/`. For a program that runs its
/// own server (tests, or an embedding with its own routes).
pub fn router(archive: Archive, limits: Limits) -> Router {
    let shared = Arc::new(Shared {
        archive,
        permits: Arc::new(Semaphore::new(limits.concurrent.max(1))),
        limits,
        waiting: AtomicUsize::new(0),
    });
    keep_warm(Arc::downgrade(&shared));
    api::routes()
        .merge(assets::routes())
        .fallback(|uri: axum::http::Uri| async move {
            // Echoed short: a 20,000-character path need not come back whole.
            let path: String = uri.path().chars().take(200).collect();
            Refusal::new(StatusCode::NOT_FOUND, format!("no such page: {path}"))
        })
        .method_not_allowed_fallback(|| async {
            Refusal::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "byline serve only reads: use GET".into(),
            )
        })
        .layer(axum::middleware::map_response(secure))
        .with_state(shared)
}

/// How often the story map is checked against the newest commit.
const WARM_EVERY: Duration = Duration::from_millis(250);

/// Keeps the story map of the newest commit ready on a thread of its own
/// ([`Archive::warm`]), so that after a `reindex` commits, searches answer
/// from the commit before until the new map is made, instead of waiting
/// for it. Ends when the routes are dropped.
fn keep_warm(shared: std::sync::Weak<Shared>) {
    let warm = move || {
        let mut said = String::new();
        while let Some(shared) = shared.upgrade() {
            // An error is said once, not four times a second.
            match shared.archive.warm() {
                Err(e) if e.to_string() != said => {
                    said = e.to_string();
                    eprintln!("byline serve: error: {said}");
                }
                Err(_) => {}
                Ok(_) => said.clear(),
            }
            drop(shared);
            std::thread::sleep(WARM_EVERY);
        }
    };
    if let Err(e) = std::thread::Builder::new()
        .name("byline-warm".into())
        .spawn(warm)
    {
        eprintln!("byline serve: warning: no thread to keep the story map ready: {e}");
    }
}

/// Opens the index, listens on [`Config::bind`] and serves until Ctrl-C or
/// SIGTERM; `ready` is called with the address once it listens (the port
/// the system chose, for port 0).
pub fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let archive = Archive::open(&config.index)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max_blocking_threads(config.limits.concurrent.max(1) + 4)
        .thread_name("byline-serve")
        .build()
        .map_err(|e| Error::Output(std::io::Error::new(e.kind(), e.to_string())))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| Error::Io {
                path: PathBuf::from(config.bind.to_string()),
                source: e,
            })?;
        let at = listener.local_addr().map_err(Error::Output)?;
        ready(at);
        let app = router(archive, config.limits);
        axum::serve(listener, app)
            .with_graceful_shutdown(stop_signal())
            .await
            .map_err(Error::Output)
    })
}

/// Ctrl-C or SIGTERM.
async fn stop_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

/// The headers every response carries: nothing from other origins, no
/// framing, no guessing of content types, no referrer to the sites an
/// article links to.
async fn secure(mut response: Response) -> Response {
    const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
        img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; \
        form-action 'self'; frame-ancestors 'none'";
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// A request refused or failed, answered as `{"error": "..."}`.
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: String) -> Self {
        Refusal { status, message }
    }

    /// 400: the request asked for something that cannot be given.
    fn bad(message: String) -> Self {
        Refusal::new(StatusCode::BAD_REQUEST, message)
    }

    /// The client's share of a library error: the query's fault and a
    /// missing article are said as they are; anything else is logged here
    /// and said as an internal error, since its text names files and
    /// internals of the server.
    fn from_error(e: Error, what: &str) -> Self {
        match e {
            Error::Query(_) => Refusal::bad(e.to_string()),
            Error::NotFound(why) => Refusal::new(StatusCode::NOT_FOUND, why),
            other => {
                eprintln!("byline serve: error: {what}: {other}");
                Refusal::internal()
            }
        }
    }

    fn internal() -> Self {
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error: the server could not answer; its log says why".into(),
        )
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, axum::Json(body)).into_response()
    }
}

/// One waiting request, counted while it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How a request waits for a thread: a search (and every request that
/// searches) takes its turn among [`Limits::concurrent`]; reading one
/// article, the stats or the health does not wait behind searches, so a
/// few slow queries do not hold up a monitor or a reader opening a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Search,
    Quick,
}

impl Shared {
    /// Runs `work` on the archive on a blocking thread when its turn comes,
    /// within [`Limits::timeout`]: a request still waiting for its turn
    /// then is answered 503 (busy), one whose search has started 504. A
    /// search that outlives the timeout runs on to its end (tantivy cannot
    /// be interrupted), holding its turn.
    async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        (what, lane): (&str, Lane),
        work: impl FnOnce(&Archive) -> Result<T> + Send + 'static,
    ) -> std::result::Result<T, Refusal> {
        let started = Arc::new(std::sync::atomic::AtomicBool::new(lane == Lane::Quick));
        let shared = self.clone();
        let running = started.clone();
        let turn = async move {
            let permit = match lane {
                Lane::Quick => None,
                Lane::Search => Some(shared.turn().await?),
            };
            running.store(true, Ordering::Release);
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                work(&shared.archive)
            })
            .await
            .map_err(|_| Refusal::internal())
        };
        match tokio::time::timeout(self.limits.timeout, turn).await {
            Err(_) if !started.load(Ordering::Acquire) => Err(busy()),
            Err(_) => Err(Refusal::new(
                StatusCode::GATEWAY_TIMEOUT,
                format!(
                    "the search took longer than {} s; narrow the query",
                    self.limits.timeout.as_secs_f64()
                ),
            )),
            Ok(Err(refused)) => Err(refused),
            Ok(Ok(result)) => result.map_err(|e| Refusal::from_error(e, what)),
        }
    }

    /// A turn among the searches, or 503 at once when too many wait.
    async fn turn(&self) -> std::result::Result<tokio::sync::OwnedSemaphorePermit, Refusal> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limits.queued {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(busy());
        }
        let _waiting = Waiting(&self.waiting);
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| busy())
    }
}

fn busy() -> Refusal {
    Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "the server is busy with other searches; try again in a moment".into(),
    )
}
