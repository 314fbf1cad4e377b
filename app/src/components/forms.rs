use crate::error::AppError;
use leptos::prelude::*;

/// The last result of a server action, however the action exposes it.
pub trait Outcome<T>:
    With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static
{
}
impl<T, S> Outcome<T> for S where
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static
{
}

/// The message for one field from the last submission's outcome.
pub fn field_error<T>(outcome: impl Outcome<T>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        outcome.with(|o| {
            o.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.field(name))
        })
    })
}

/// The form-level message from the last submission's outcome (field errors are shown by fields).
pub fn form_error<T>(outcome: impl Outcome<T>) -> Signal<Option<String>> {
    Signal::derive(move || {
        outcome.with(|o| match o {
            Some(Err(AppError::Validation(_))) | Some(Ok(_)) | None => None,
            Some(Err(e)) => Some(e.to_string()),
        })
    })
}
