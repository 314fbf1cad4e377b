//! The error every server function returns: safe to show, serializable to the browser.
//! Internal failures arrive here already logged and carry no detail.

use domain::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("This page does not exist.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(String),
    /// The chosen time was booked meanwhile (booking pages word it in the visitor's language).
    #[error("That time is no longer available. Please pick another.")]
    Taken,
    #[error("Wrong email or password.")]
    InvalidCredentials,
    /// Seconds until the next attempt is allowed.
    #[error("Too many attempts. Please try again {}.", in_about(*.0))]
    RateLimited(u64),
    /// Seconds to wait; the server is short of some bounded resource.
    #[error("We are busy right now. Please try again in a moment.")]
    Busy(u64),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    #[error("The server could not be reached. Check your connection and try again.")]
    Transport(String),
    /// The server could not read the call's arguments: not something a page of ours sends.
    #[error("The request was not understood. Reload the page and try again.")]
    Malformed,
}

/// "in 30 seconds", "in 2 minutes", "in about 3 hours".
fn in_about(seconds: u64) -> String {
    match seconds {
        0..=1 => "in a second".to_owned(),
        2..=59 => format!("in {seconds} seconds"),
        60..=119 => "in a minute".to_owned(),
        120..=3599 => format!("in {} minutes", seconds.div_ceil(60)),
        _ => format!("in about {} hours", seconds.div_ceil(3600)),
    }
}

impl AppError {
    /// For a `Retry-After` header.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited(secs) | Self::Busy(secs) => Some(*secs),
            _ => None,
        }
    }

    /// The message for one form field, if this error rejected it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Validation(fields) => fields.get(name).map(str::to_owned),
            _ => None,
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        Self::Validation(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server this sees arguments that failed to decode: the caller's fault, so a 400.
    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        match e {
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                crate::ssr::set_status(400);
                Self::Malformed
            }
            e => Self::Transport(e.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<services::ServiceError> for AppError {
    fn from(e: services::ServiceError) -> Self {
        crate::ssr::failure_setter()(e)
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status and the user-facing error for a service error (internal causes are logged
    /// here and never shown).
    pub fn classify(e: services::ServiceError) -> (u16, Self) {
        use services::ServiceError as S;
        match e {
            S::Validation(fields) => (422, Self::Validation(fields)),
            S::NotFound => (404, Self::NotFound),
            S::Conflict(m) => (409, Self::Conflict(m)),
            S::Gone(m) => (410, Self::Gone(m)),
            S::SlotUnavailable => (409, Self::Taken),
            S::Unauthenticated => (401, Self::Unauthenticated),
            S::InvalidCredentials => (401, Self::InvalidCredentials),
            S::Forbidden => (403, Self::Forbidden),
            S::RateLimited { retry_after_secs } => (429, Self::RateLimited(retry_after_secs)),
            S::Busy { retry_after_secs } => (503, Self::Busy(retry_after_secs)),
            S::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error in a server function");
                (500, Self::Internal)
            }
        }
    }
}
