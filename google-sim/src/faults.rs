//! Google's faults for Calendar calls: rate limits, quota and backend errors in Google's envelope,
//! or latency. Queueing, counting and path
//! matching live in [`sim_support::faults`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// A queued fault. JSON: the [`FaultKind`] fields plus `count` (default 1), `forever`
/// (default false) and `path_contains` (only calls whose path contains it).
pub type Fault = sim_support::Fault<FaultKind>;

/// What a fault does. JSON: `{"kind": "too_many_requests", "retry_after_secs": 2}` etc.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 `usageLimits`/`rateLimitExceeded`, optionally with `Retry-After`.
    TooManyRequests {
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// 403 `usageLimits`/`rateLimitExceeded` (Google's "functionally similar" twin of the 429).
    RateLimitExceeded,
    /// 403 `usageLimits`/`userRateLimitExceeded` (the per-user quota).
    UserRateLimitExceeded,
    /// 403 `usageLimits`/`quotaExceeded` (Calendar usage limits).
    QuotaExceeded,
    /// 500 `global`/`backendError`.
    BackendError,
    /// Delay the call, then answer it normally.
    Latency { millis: u64 },
    /// Carry the call out, then delay its answer.
    SlowAnswer { millis: u64 },
    /// Any other status and reason.
    Error {
        status: u16,
        reason: String,
        #[serde(default = "global")]
        domain: String,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
}

fn global() -> String {
    "global".to_owned()
}

fn usage_limits(status: StatusCode, reason: &str, message: &str) -> ApiError {
    ApiError::new(status, "usageLimits", reason, message)
}

fn error_for(kind: FaultKind) -> ApiError {
    match kind {
        FaultKind::TooManyRequests { retry_after_secs } => {
            let mut error = usage_limits(
                StatusCode::TOO_MANY_REQUESTS,
                "rateLimitExceeded",
                "Rate Limit Exceeded",
            );
            error.retry_after = retry_after_secs;
            error
        }
        FaultKind::RateLimitExceeded => usage_limits(StatusCode::FORBIDDEN, "rateLimitExceeded", "Rate Limit Exceeded"),
        FaultKind::UserRateLimitExceeded => usage_limits(
            StatusCode::FORBIDDEN,
            "userRateLimitExceeded",
            "User Rate Limit Exceeded",
        ),
        FaultKind::QuotaExceeded => usage_limits(
            StatusCode::FORBIDDEN,
            "quotaExceeded",
            "Calendar usage limits exceeded.",
        ),
        FaultKind::BackendError => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "global",
            "backendError",
            "Backend Error",
        ),
        FaultKind::Latency { millis } | FaultKind::SlowAnswer { millis } => {
            unreachable!("a {millis} ms delay is not an error")
        }
        FaultKind::Error {
            status,
            reason,
            domain,
            message,
            retry_after_secs,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = message.unwrap_or_else(|| status.canonical_reason().unwrap_or("Error").to_owned());
            let mut error = ApiError::new(status, &domain, &reason, message);
            error.retry_after = retry_after_secs;
            error
        }
    }
}

impl sim_support::FaultKind for FaultKind {
    fn respond(self) -> Response {
        error_for(self).into_response()
    }
}

impl sim_support::faults::ForbiddenRateLimit for FaultKind {
    fn rate_limit_exceeded() -> Self {
        FaultKind::RateLimitExceeded
    }
}
