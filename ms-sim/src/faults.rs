//! Microsoft Graph's faults: throttling (429 with `Retry-After`), 503/500/other errors in Graph's
//! envelope, or latency. Queueing, counting and path matching live in [`sim_support::faults`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::GraphError;

/// A queued fault. JSON: the [`FaultKind`] fields plus `count` (default 1), `forever`
/// (default false) and `path_contains` (only calls whose path contains it).
pub type Fault = sim_support::Fault<FaultKind>;

/// What a fault does. JSON: `{"kind": "too_many_requests", "retry_after_secs": 2}` etc.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 `TooManyRequests` "Please retry again later.", optionally with `Retry-After`.
    TooManyRequests {
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// 503 `serviceNotAvailable`, optionally with `Retry-After` (Graph sends it on 503s too).
    ServiceUnavailable {
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// 500 `generalException`.
    BackendError,
    /// Delay the call, then answer it normally.
    Latency { millis: u64 },
    /// Carry the call out, then delay its answer.
    SlowAnswer { millis: u64 },
    /// Any other status and error code.
    Error {
        status: u16,
        code: String,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
}

fn error_for(kind: FaultKind) -> GraphError {
    let (status, code, message, retry_after) = match kind {
        FaultKind::TooManyRequests { retry_after_secs } => (
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests".to_owned(),
            "Please retry again later.".to_owned(),
            retry_after_secs,
        ),
        FaultKind::ServiceUnavailable { retry_after_secs } => (
            StatusCode::SERVICE_UNAVAILABLE,
            "serviceNotAvailable".to_owned(),
            "The service is temporarily unavailable. Please retry again later.".to_owned(),
            retry_after_secs,
        ),
        FaultKind::BackendError => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException".to_owned(),
            "An unspecified error has occurred.".to_owned(),
            None,
        ),
        FaultKind::Latency { millis } | FaultKind::SlowAnswer { millis } => {
            unreachable!("a {millis} ms delay is not an error")
        }
        FaultKind::Error {
            status,
            code,
            message,
            retry_after_secs,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = message.unwrap_or_else(|| status.canonical_reason().unwrap_or("Error").to_owned());
            (status, code, message, retry_after_secs)
        }
    };
    GraphError {
        retry_after,
        ..GraphError::new(status, &code, message)
    }
}

impl sim_support::FaultKind for FaultKind {
    fn respond(self) -> Response {
        error_for(self).into_response()
    }
}
