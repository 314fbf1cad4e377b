//! The two error shapes Google uses: the API envelope
//! `{"error":{"code","message","errors":[{domain,reason,message,locationType?,location?}]}}` for
//! Calendar calls, and the flat `{"error","error_description"}` of the OAuth endpoints. Clients
//! branch on `reason`/`error`, so those strings are the contract; messages are informative only.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
pub use sim_support::SimError;
use sim_support::oauth::api_error;

/// One entry of `error.errors[]`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ErrorItem {
    pub domain: String,
    pub reason: String,
    pub message: String,
    #[serde(rename = "locationType", skip_serializing_if = "Option::is_none")]
    pub location_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A Calendar API error response.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub errors: Vec<ErrorItem>,
    /// Seconds for a `Retry-After` header (only injected faults set it; Calendar does not document one).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, domain: &str, reason: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let item = ErrorItem {
            domain: domain.to_owned(),
            reason: reason.to_owned(),
            message: message.clone(),
            location_type: None,
            location: None,
        };
        Self {
            status,
            message,
            errors: vec![item],
            retry_after: None,
        }
    }

    /// Names the offending parameter, as Google does (`locationType: "parameter"`, `location: "timeMax"`).
    pub fn at(mut self, location_type: &str, location: &str) -> Self {
        for item in &mut self.errors {
            item.location_type = Some(location_type.to_owned());
            item.location = Some(location.to_owned());
        }
        self
    }

    pub fn reason(&self) -> &str {
        self.errors.first().map_or("", |e| e.reason.as_str())
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "global", "invalid", message)
    }

    pub fn required(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "global", "required", message)
    }

    pub fn parse_error() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "global", "parseError", "Parse Error")
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "global", "notFound", "Not Found")
    }

    pub fn deleted() -> Self {
        Self::new(StatusCode::GONE, "global", "deleted", "Resource has been deleted")
    }

    pub fn duplicate() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "global",
            "duplicate",
            "The requested identifier already exists.",
        )
    }

    /// No `Authorization` header at all.
    pub fn login_required() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "global", "required", "Login Required").at("header", "Authorization")
    }

    /// Unknown, expired or revoked bearer token.
    pub fn invalid_credentials() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "global", "authError", "Invalid Credentials").at("header", "Authorization")
    }

    pub fn insufficient_permissions() -> Self {
        let mut error = Self::new(
            StatusCode::FORBIDDEN,
            "global",
            "insufficientPermissions",
            "Insufficient Permission",
        );
        error.message = "Request had insufficient authentication scopes.".to_owned();
        error
    }

    pub fn required_access_level() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "calendar",
            "requiredAccessLevel",
            "You need to have writer access to this calendar.",
        )
    }

    pub fn full_sync_required() -> Self {
        Self::new(
            StatusCode::GONE,
            "calendar",
            "fullSyncRequired",
            "Sync token is no longer valid, a full sync is required.",
        )
        .at("parameter", "syncToken")
    }

    pub fn condition_not_met() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "global",
            "conditionNotMet",
            "Precondition Failed",
        )
        .at("header", "If-Match")
    }

    pub fn time_range_empty(location: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "calendar",
            "timeRangeEmpty",
            "The specified time range is empty.",
        )
        .at("parameter", location)
    }

    pub fn body(&self) -> serde_json::Value {
        json!({"error": {"code": self.status.as_u16(), "message": self.message, "errors": self.errors}})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let challenge = "Bearer realm=\"https://accounts.google.com/\"";
        api_error(self.status, self.body(), challenge, self.retry_after)
    }
}

/// An OAuth endpoint error (`/token`, `/revoke`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: Option<String>,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: &str) -> Self {
        Self {
            status,
            error,
            description: Some(description.to_owned()),
        }
    }

    pub fn invalid_request(description: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn invalid_grant(description: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    pub fn expired_or_revoked() -> Self {
        Self::invalid_grant("Token has been expired or revoked.")
    }

    pub fn invalid_client(description: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    pub fn unsupported_grant_type(grant_type: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Invalid grant_type: {grant_type}"),
        )
    }

    pub fn invalid_token() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_token", "Token expired or revoked")
    }

    pub fn other(status: StatusCode, error: &'static str, description: &str) -> Self {
        Self::new(status, error, description)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.error});
        if let Some(description) = &self.description {
            body["error_description"] = json!(description);
        }
        (self.status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
    }
}

impl From<ApiError> for SimError {
    fn from(error: ApiError) -> Self {
        SimError::Rejected {
            status: error.status.as_u16(),
            reason: error.reason().to_owned(),
            message: error.message,
        }
    }
}
