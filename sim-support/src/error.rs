//! Why a control operation (test set-up through a `ControlHandle` or `/_control`) failed. Shared
//! by the simulators so a test harness driving both sees one shape: `{"error": "<message>"}` with
//! 404, 409 or 400, or the status the provider's own validation chose.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    #[error("unknown user {0}")]
    UnknownUser(String),
    #[error("unknown calendar {0}")]
    UnknownCalendar(String),
    #[error("unknown event {0}")]
    UnknownEvent(String),
    #[error("unknown subscription {0}")]
    UnknownSubscription(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("invalid: {0}")]
    Invalid(String),
    /// The operation reached the same validation as the API and was refused the way the API
    /// would refuse it (e.g. an event without an end time). `reason` is the provider's
    /// machine-readable reason (Google's `reason`, Graph's `code`).
    #[error("rejected with {status} {reason}: {message}")]
    Rejected {
        status: u16,
        reason: String,
        message: String,
    },
}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        let status = match &self {
            SimError::UnknownUser(_)
            | SimError::UnknownCalendar(_)
            | SimError::UnknownEvent(_)
            | SimError::UnknownSubscription(_) => StatusCode::NOT_FOUND,
            SimError::AlreadyExists(_) => StatusCode::CONFLICT,
            SimError::Invalid(_) => StatusCode::BAD_REQUEST,
            SimError::Rejected { status, .. } => StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST),
        };
        (status, Json(json!({"error": self.to_string()}))).into_response()
    }
}
