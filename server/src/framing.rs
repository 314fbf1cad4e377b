//! Who may show our pages in a frame. Booking pages: the websites the team allows (any by
//! default), so customers can embed them. Everything else (dashboard, sign-in): nobody, against
//! clickjacking.
//!
//! The rule goes out as a policy of its own (a second `Content-Security-Policy` header beside
//! the page's script policy); browsers enforce every policy they receive.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header::CONTENT_SECURITY_POLICY};
use axum::middleware::Next;
use axum::response::Response;
use services::Services;

/// For every response that did not say who may frame it: nobody.
pub async fn deny_by_default(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !says_who_may_frame(response.headers()) {
        response.headers_mut().append(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        );
    }
    response
}

fn says_who_may_frame(headers: &HeaderMap) -> bool {
    headers
        .get_all(CONTENT_SECURITY_POLICY)
        .iter()
        .any(|policy| policy.to_str().is_ok_and(|p| p.contains("frame-ancestors")))
}

/// Middleware for the booking pages. A page the browser loads into a frame (`Sec-Fetch-Dest:
/// iframe`) ticks off the overview's "embed the widget" step.
pub async fn team_embedding(State(services): State<Services>, request: Request, next: Next) -> Response {
    let framed = request
        .headers()
        .get("sec-fetch-dest")
        .is_some_and(|dest| dest.as_bytes() == b"iframe");
    let mut response = next.run(request).await;
    if framed
        && response.status().is_success()
        && let Err(e) = services.note_embedded().await
    {
        tracing::warn!(
            error = format!("{:#}", anyhow::Error::new(e)),
            "could not note the embedding"
        );
    }
    let ancestors = match services.embed_origins().await {
        Ok(origins) => origins.frame_ancestors(),
        Err(e) => {
            tracing::error!(
                error = format!("{:#}", anyhow::Error::new(e)),
                "embedding websites unavailable"
            );
            "'none'".to_owned()
        }
    };
    if let Ok(value) = HeaderValue::from_str(&format!("frame-ancestors {ancestors}")) {
        response.headers_mut().append(CONTENT_SECURITY_POLICY, value);
    }
    response
}
