//! Fault injection for Calendar calls: the next N calls (or all, until cleared) answer with a rate
//! limit, quota or backend error in Google's envelope, or are delayed. Faults are checked before
//! authentication, in the order they were added; each call consumes at most one fault.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::Sim;

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

fn one() -> u32 {
    1
}

/// A queued fault. JSON: the [`FaultKind`] fields plus `count` (default 1), `forever`
/// (default false) and `path_contains` (only calls whose path contains it).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub forever: bool,
    #[serde(default)]
    pub path_contains: Option<String>,
}

impl Fault {
    /// One call gets `kind`.
    pub fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            count: 1,
            forever: false,
            path_contains: None,
        }
    }

    pub fn too_many_requests(retry_after_secs: Option<u64>) -> Self {
        Self::new(FaultKind::TooManyRequests { retry_after_secs })
    }

    pub fn rate_limit_exceeded() -> Self {
        Self::new(FaultKind::RateLimitExceeded)
    }

    pub fn backend_error() -> Self {
        Self::new(FaultKind::BackendError)
    }

    pub fn latency(delay: Duration) -> Self {
        Self::new(FaultKind::Latency {
            millis: delay.as_millis() as u64,
        })
    }

    /// The next `count` matching calls get this fault.
    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    /// Every matching call gets this fault until faults are cleared.
    pub fn forever(mut self) -> Self {
        self.forever = true;
        self
    }

    /// Only calls whose path contains `fragment` (e.g. `"freeBusy"`, `"/events"`).
    pub fn on_path(mut self, fragment: impl Into<String>) -> Self {
        self.path_contains = Some(fragment.into());
        self
    }
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
        FaultKind::Latency { .. } => unreachable!("latency is not an error"),
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

/// Takes the first fault matching `path`, consuming one of its uses.
fn take(faults: &mut Vec<Fault>, path: &str) -> Option<FaultKind> {
    let index = faults
        .iter()
        .position(|f| f.path_contains.as_ref().is_none_or(|p| path.contains(p.as_str())))?;
    let fault = &mut faults[index];
    let kind = fault.kind.clone();
    if !fault.forever {
        fault.count = fault.count.saturating_sub(1);
        if fault.count == 0 {
            faults.remove(index);
        }
    }
    Some(kind)
}

/// Middleware on the Calendar routes.
pub(crate) async fn apply(State(sim): State<Sim>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let fault = take(&mut sim.lock().faults, &path);
    match fault {
        None => next.run(request).await,
        Some(FaultKind::Latency { millis }) => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            next.run(request).await
        }
        Some(kind) => error_for(kind).into_response(),
    }
}
