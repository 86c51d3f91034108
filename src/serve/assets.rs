//! The search page's files, compiled into the binary: the server never
//! reads a file from disk on a client's behalf, so no path can reach one,
//! and the page a binary serves is the one it was built with.

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::Shared;

/// One file of the page.
struct Asset {
    body: &'static [u8],
    content_type: &'static str,
}

const PAGE: Asset = Asset {
    body: include_bytes!("assets/index.html"),
    content_type: "text/html; charset=utf-8",
};
const SCRIPT: Asset = Asset {
    body: include_bytes!("assets/app.js"),
    content_type: "text/javascript; charset=utf-8",
};
const STYLE: Asset = Asset {
    body: include_bytes!("assets/style.css"),
    content_type: "text/css; charset=utf-8",
};
const ICON: Asset = Asset {
    body: include_bytes!("assets/favicon.svg"),
    content_type: "image/svg+xml",
};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(|h: HeaderMap| async move { PAGE.answer(&h) }))
        .route(
            "/assets/app.js",
            get(|h: HeaderMap| async move { SCRIPT.answer(&h) }),
        )
        .route(
            "/assets/style.css",
            get(|h: HeaderMap| async move { STYLE.answer(&h) }),
        )
        .route(
            "/assets/favicon.svg",
            get(|h: HeaderMap| async move { ICON.answer(&h) }),
        )
        .route(
            "/favicon.ico",
            get(|h: HeaderMap| async move { ICON.answer(&h) }),
        )
}

impl Asset {
    /// The file, or 304 when the browser holds this very version: it asks
    /// again each time (`no-cache`), so a new binary's page is never mixed
    /// with an old one's script.
    fn answer(&self, request: &HeaderMap) -> Response {
        let tag = format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(self.body));
        let cached = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
        let etag = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\""));
        let headers = [
            (header::ETAG, etag),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ];
        if cached {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let content_type = (
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        (headers, [content_type], self.body).into_response()
    }
}
