use domain::FieldErrors;

/// The one error type of the services layer. Every variant but `Internal` is something the user
/// can act on; `Internal` keeps its cause chain for the log and is shown to nobody.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input: {0}")]
    Validation(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(String),
    /// The requested time is not (or no longer) a free slot.
    #[error("that time is not available")]
    SlotUnavailable,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Too much of some bounded work is under way (password checks); not the caller's fault.
    #[error("busy; retry in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl ServiceError {
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(e).context("database"))
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(e: FieldErrors) -> Self {
        Self::Validation(e)
    }
}

/// True when a write failed only because a UNIQUE constraint said no.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
