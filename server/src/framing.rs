//! Who may show our pages in a frame. Booking pages: the websites the team allows (any by
//! default), so customers can embed them. Everything else (dashboard, sign-in): nobody, against
//! clickjacking.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
use axum::middleware::Next;
use axum::response::Response;
use services::Services;
use tower_http::set_header::SetResponseHeaderLayer;

/// For every response that did not set its own policy.
pub fn deny_by_default() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    )
}

/// Middleware for the booking pages.
pub async fn team_embedding(State(services): State<Services>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
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
        response.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
    }
    response
}
