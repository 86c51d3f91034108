//! HTTP to a Quickwit node, retried when the node says "later".

use std::time::Duration;

use crate::error::{Error, Result};

/// How a request is retried: on 429 (the node's ingest queue is full), on
/// 5xx and when the node cannot be reached, waiting `first`, then twice as
/// long each time (at most `longest`, or what a `Retry-After` asks), up to
/// `attempts` tries in all.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The first wait.
    pub first: Duration,
    /// The longest wait.
    pub longest: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 8,
            first: Duration::from_millis(500),
            longest: Duration::from_secs(30),
        }
    }
}

/// A Quickwit node's REST API at a base URL (`http://127.0.0.1:7280`).
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    agent: ureq::Agent,
    retry: Retry,
    /// Whether the node has answered a request: a refused connection
    /// before that means no node, after it a node restarting.
    answered: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// A response: status and body.
pub(crate) struct Reply {
    pub status: u16,
    pub body: String,
}

/// The largest response read: a page of hits with their whole text.
const MAX_RESPONSE: u64 = 256 << 20;

impl Client {
    /// A client for the node at `url`.
    pub fn new(url: &str) -> Result<Self> {
        let base = url.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::Quickwit(format!(
                "`{url}` is not an http:// or https:// URL (a Quickwit node listens at http://HOST:7280 by default)"
            )));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        Ok(Client {
            base,
            agent,
            retry: Retry::default(),
            answered: Default::default(),
        })
    }

    /// The same client with another retry policy.
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// The base URL.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// `GET path`, retried.
    pub(crate) fn get(&self, path: &str) -> Result<Reply> {
        self.send("GET", path, None, "")
    }

    /// `POST path` with a body of `content_type`, retried.
    pub(crate) fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Result<Reply> {
        self.send("POST", path, Some(body), content_type)
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        content_type: &str,
    ) -> Result<Reply> {
        let url = format!("{}{path}", self.base);
        let mut wait = self.retry.first;
        let mut attempt = 1;
        loop {
            let sent = match body {
                None => self.agent.get(&url).call(),
                Some(b) => self
                    .agent
                    .post(&url)
                    .header("content-type", content_type)
                    .send(b),
            };
            let (why, asked) = match sent {
                Ok(mut r) => {
                    let status = r.status().as_u16();
                    self.answered
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                    let after = r
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let text = r
                        .body_mut()
                        .with_config()
                        .limit(MAX_RESPONSE)
                        .read_to_string()
                        .map_err(|e| {
                            Error::Quickwit(format!("{method} {url}: reading the answer: {e}"))
                        })?;
                    if status != 429 && status < 500 {
                        return Ok(Reply { status, body: text });
                    }
                    (format!("{status} {}", message(&text)), after)
                }
                // Nothing listens there: said at once, not after eight
                // tries (a node that went away mid-push is waited for).
                Err(ureq::Error::Io(e))
                    if e.kind() == std::io::ErrorKind::ConnectionRefused
                        && !self.answered.load(std::sync::atomic::Ordering::Relaxed) =>
                {
                    return Err(Error::Quickwit(format!(
                        "no Quickwit node answers at {} ({e}); is it running, and is that its REST port (7280 by default)?",
                        self.base
                    )));
                }
                Err(e) => (e.to_string(), None),
            };
            if attempt >= self.retry.attempts {
                return Err(Error::Quickwit(format!(
                    "{method} {url}: {why} (gave up after {attempt} tries)"
                )));
            }
            let pause = asked.unwrap_or(wait).min(self.retry.longest);
            eprintln!(
                "byline: quickwit {method} {path}: {why}; trying again in {:.1} s",
                pause.as_secs_f64()
            );
            std::thread::sleep(pause);
            wait = (wait * 2).min(self.retry.longest);
            attempt += 1;
        }
    }
}

/// A message's first line, short, for an error.
pub(crate) fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// An answer other than 2xx as an error naming the request.
pub(crate) fn expect_ok(what: &str, reply: Reply) -> Result<String> {
    match reply.status {
        200..=299 => Ok(reply.body),
        404 if reply.body.contains("Route not found") => Err(Error::Quickwit(format!(
            "{what}: 404 {}: the URL should be the node's address alone, as http://HOST:7280",
            message(&reply.body)
        ))),
        s => Err(Error::Quickwit(format!(
            "{what}: {s} {}",
            message(&reply.body)
        ))),
    }
}

/// Quickwit's error message from an error body (`{"message": "..."}`), or
/// the body's first line.
pub(crate) fn message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(String::from))
        .unwrap_or_else(|| first_line(body))
}
