//! The error shapes Microsoft uses: Graph's envelope
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}` and the
//! identity platform's `{"error","error_description":"AADSTSnnnn: …","error_codes":[n],
//! "timestamp","trace_id","correlation_id","error_uri"}`. Clients branch on `error.code` and on
//! `error`/`error_codes`, so those are the contract; messages are informative only.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;
pub use sim_support::SimError;
use sim_support::oauth::api_error;

use crate::ids;

/// A Graph error response.
#[derive(Clone, Debug)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// Seconds for a `Retry-After` header (throttling and injected faults).
    pub retry_after: Option<u64>,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::bad_request("ErrorInvalidRequest", message)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        )
    }

    /// No, unknown, expired or (with CAE semantics) revoked bearer token.
    pub fn invalid_token(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message)
    }

    /// The token lacks a permission the call needs.
    pub fn access_denied() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        )
    }

    pub fn unreadable_body(detail: impl std::fmt::Display) -> Self {
        Self::bad_request("RequestBodyRead", format!("Unable to read the request body: {detail}"))
    }

    pub fn body(&self) -> serde_json::Value {
        let request_id = ids::guid();
        json!({"error": {
            "code": self.code,
            "message": self.message,
            "innerError": {
                "date": Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                "request-id": request_id,
                "client-request-id": request_id,
            },
        }})
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let challenge = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        api_error(self.status, self.body(), challenge, self.retry_after)
    }
}

/// An identity-platform error from the token endpoint (or redirected from authorize).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityError {
    pub status: StatusCode,
    /// The OAuth `error`: `invalid_grant`, `invalid_client`, `interaction_required`…
    pub error: &'static str,
    /// The AADSTS number clients branch on (`error_codes[0]`).
    pub code: u32,
    pub message: String,
}

impl IdentityError {
    pub fn new(error: &'static str, code: u32, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            message: message.into(),
        }
    }

    pub fn missing(parameter: &str) -> Self {
        Self::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new("invalid_request", 9002313, message)
    }

    pub fn invalid_grant(code: u32, message: impl Into<String>) -> Self {
        Self::new("invalid_grant", code, message)
    }

    pub fn invalid_client(code: u32, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            ..Self::new("invalid_client", code, message)
        }
    }

    /// `error_description` as Entra writes it: the AADSTS code first, trace details after.
    pub fn description(&self) -> String {
        format!("AADSTS{}: {}", self.code, self.message)
    }
}

impl IntoResponse for IdentityError {
    fn into_response(self) -> Response {
        let now = Utc::now();
        let (trace_id, correlation_id) = (ids::guid(), ids::guid());
        let timestamp = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
        let description = format!(
            "{} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}",
            self.description()
        );
        let body = json!({
            "error": self.error,
            "error_description": description,
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        });
        (self.status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
    }
}

impl From<GraphError> for SimError {
    fn from(error: GraphError) -> Self {
        SimError::Rejected {
            status: error.status.as_u16(),
            reason: error.code,
            message: error.message,
        }
    }
}
