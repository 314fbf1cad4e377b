use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use serde::Serialize;
use services::ServiceError;
use utoipa::ToSchema;

/// Every API error: a stable machine code, a human message, and per-field messages for 422.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    #[schema(example = "validation")]
    pub error: &'static str,
    #[schema(example = "Please correct the fields listed.")]
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    pub fields: Option<FieldErrors>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                error,
                message: message.into(),
                fields: None,
            },
            retry_after: None,
        }
    }

    fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn validation(fields: FieldErrors) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ErrorBody {
                error: "validation",
                message: "Please correct the fields listed.".into(),
                fields: Some(fields),
            },
            retry_after: None,
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("{what} was not found."))
    }

    /// Maps a service error, naming `what` when it is `NotFound`: `.map_err(ApiError::missing("This member"))`.
    pub fn missing(what: impl Into<String>) -> impl FnOnce(ServiceError) -> Self {
        let what = what.into();
        move |e| match e {
            ServiceError::NotFound => Self::not_found(&what),
            other => other.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<FieldErrors> for ApiError {
    fn from(fields: FieldErrors) -> Self {
        Self::validation(fields)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Validation(fields) => Self::validation(fields),
            ServiceError::NotFound => Self::not_found("The resource"),
            ServiceError::SlotUnavailable => Self::new(
                StatusCode::CONFLICT,
                "slot_unavailable",
                "That time is not available (any more). Fetch fresh slots and pick another.",
            ),
            ServiceError::Conflict(m) => Self::new(StatusCode::CONFLICT, "conflict", m),
            ServiceError::Gone(m) => Self::new(StatusCode::GONE, "gone", m),
            ServiceError::Unauthenticated | ServiceError::InvalidCredentials => Self::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "A valid API key is required.",
            ),
            ServiceError::Forbidden => Self::new(StatusCode::FORBIDDEN, "forbidden", "This key may not do that."),
            ServiceError::RateLimited { retry_after_secs } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many requests; retry in {retry_after_secs} s."),
            )
            .retry_after(retry_after_secs),
            ServiceError::Busy { retry_after_secs } => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                format!("The server is busy; retry in {retry_after_secs} s."),
            )
            .retry_after(retry_after_secs),
            ServiceError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error in the JSON API");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side.",
                )
            }
        }
    }
}
