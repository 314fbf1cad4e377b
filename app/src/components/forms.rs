use crate::error::AppError;
use leptos::prelude::*;

type Outcome<T> = RwSignal<Option<Result<T, AppError>>>;

/// The message for one field from the last submission's outcome.
pub fn field_error<T: Send + Sync + 'static>(outcome: Outcome<T>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(name))))
}

/// The form-level message from the last submission's outcome (field errors are shown by fields).
pub fn form_error<T: Send + Sync + 'static>(outcome: Outcome<T>) -> Signal<Option<String>> {
    Signal::derive(move || {
        outcome.with(|o| match o {
            Some(Err(AppError::Validation(_))) | Some(Ok(_)) | None => None,
            Some(Err(e)) => Some(e.to_string()),
        })
    })
}
