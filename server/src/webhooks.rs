//! Receivers of calendar push notifications: `/webhooks/google`, `/webhooks/microsoft` and
//! `/webhooks/microsoft/lifecycle`. Outside the cookie guards (providers send no cookies and no
//! Origin) and the general body limit, with their own. Each request is authenticated by its
//! channel's secret in `services` and only makes the calendar due for a sync, so the answer
//! comes at once.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use services::Services;
use services::calendars::Refused;
use std::collections::HashMap;
use tower_http::limit::RequestBodyLimitLayer;

/// Graph batches the notifications of a burst into one request (about 600 bytes each); a larger
/// one is refused, and the safety-net poll catches up on what it carried.
const WEBHOOK_BODY_BYTES: usize = 256 * 1024;
/// Graph's validation tokens are short; anything longer is not a handshake.
const MAX_VALIDATION_TOKEN: usize = 1024;

pub fn routes() -> Router<Services> {
    Router::new()
        .route("/webhooks/google", post(google))
        .route("/webhooks/microsoft", post(microsoft))
        .route("/webhooks/microsoft/lifecycle", post(lifecycle))
        .layer(axum::middleware::from_fn(crate::no_nul::refuse_nul))
        .layer(RequestBodyLimitLayer::new(WEBHOOK_BODY_BYTES))
}

/// Unknown channels and wrong secrets are refused without retry (Google and Graph retry only
/// server errors); our own trouble is a 500, so the provider tries again.
fn refused(refusal: &Refused) -> Response {
    let status = match refusal {
        Refused::UnknownChannel => StatusCode::NOT_FOUND,
        Refused::WrongSecret => StatusCode::UNAUTHORIZED,
        Refused::Malformed => StatusCode::BAD_REQUEST,
        Refused::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    status.into_response()
}

async fn google(State(services): State<Services>, headers: HeaderMap) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let outcome = services
        .google_notification(
            header("x-goog-channel-id"),
            header("x-goog-channel-token"),
            header("x-goog-resource-state"),
        )
        .await;
    match outcome {
        Ok(()) => StatusCode::OK.into_response(),
        Err(refusal) => refused(&refusal),
    }
}

/// Graph's handshake: the token, URL-decoded, echoed as plain text within ten seconds.
fn validation(params: &HashMap<String, String>) -> Option<Response> {
    let token = params.get("validationToken")?;
    if token.len() > MAX_VALIDATION_TOKEN {
        return Some(StatusCode::BAD_REQUEST.into_response());
    }
    Some(
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            token.clone(),
        )
            .into_response(),
    )
}

/// A Graph request: the validation handshake, or notifications handled by `handle` (which only
/// runs when awaited, so a handshake never reaches it).
async fn graph(params: &HashMap<String, String>, handle: impl Future<Output = Result<(), Refused>>) -> Response {
    if let Some(handshake) = validation(params) {
        return handshake;
    }
    match handle.await {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(refusal) => refused(&refusal),
    }
}

async fn microsoft(
    State(services): State<Services>,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    graph(&params, services.microsoft_notifications(&body)).await
}

async fn lifecycle(
    State(services): State<Services>,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    graph(&params, services.microsoft_lifecycle(&body)).await
}
