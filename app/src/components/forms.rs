use crate::error::AppError;
use leptos::prelude::*;

/// The error of a server action's last result, if it failed.
pub fn failure<T, S>(outcome: S) -> Signal<Option<AppError>>
where
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).cloned()))
}

/// The message for one field from a failed submission.
pub fn field_error(failure: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || failure.with(|e| e.as_ref().and_then(|e| e.field(name))))
}

/// The form-level message from a failed submission (field errors are shown by their fields).
pub fn form_error(failure: Signal<Option<AppError>>) -> Signal<Option<String>> {
    Signal::derive(move || {
        failure.with(|e| match e {
            Some(AppError::Validation(_)) | None => None,
            Some(e) => Some(e.to_string()),
        })
    })
}

/// Whether the action's last submission worked and no other is on its way ("Saved.").
pub fn succeeded<T, S, P>(outcome: S, pending: P) -> Signal<bool>
where
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
    P: Get<Value = bool> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || outcome.with(|o| matches!(o, Some(Ok(_)))) && !pending.get())
}

/// Counts the action's successes into `changed`, for resources that reload only then (so a
/// refused submission keeps its form as typed).
pub fn count_successes<T, S>(outcome: S, changed: RwSignal<u32>)
where
    T: 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if outcome.with(|o| matches!(o, Some(Ok(_)))) {
            changed.update(|n| *n += 1);
        }
    });
}
