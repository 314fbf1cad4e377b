//! The attendee's details and "Schedule". A time taken meanwhile sends the prospect back to the
//! refreshed times with a message, keeping what they typed.

use super::api::{BookingForm, book_time};
use super::questions::Questions;
use super::state::{BookingState, Step, focus_soon};
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn DetailsForm(state: BookingState, zone: String) -> impl IntoView {
    let book = Action::new(move |form: &BookingForm| book_time(form.clone()));
    let zone = StoredValue::new(zone);
    let summary = move || state.chosen_summary(&zone.get_value());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(time) = state.time.get_untracked() else {
            return;
        };
        book.dispatch(BookingForm {
            team: state.team.get_untracked(),
            event: state.event.get_untracked(),
            start: time.start,
            name: state.attendee.name.get_untracked(),
            email: state.attendee.email.get_untracked(),
            answers: state.attendee.answers.get_untracked(),
            guests: state.attendee.guests.get_untracked(),
            zone: zone.get_value(),
            attempt: state.attempt.get_untracked(),
        });
    };
    Effect::new(move |_| match book.value().get() {
        Some(Ok(confirmation)) => {
            super::embed::post_booking_changed(state.embedded, "booking_created", &confirmation, &state);
            state.step.set(Step::Done(Box::new(confirmation)));
            focus_soon("bk-done-title".into());
        }
        Some(Err(AppError::Conflict(message))) => state.back_to_times(message),
        _ => {}
    });
    let error = move |field: &'static str| {
        move || {
            book.value()
                .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(field)))
        }
    };
    let field_error = move |field: String| {
        book.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(&field)))
    };
    let general = move || {
        book.value().with(|v| match v {
            // Field problems show beside their fields, a taken time back on the times.
            Some(Err(e)) if !matches!(e, AppError::Validation(_) | AppError::Conflict(_)) => Some(e.to_string()),
            _ => None,
        })
    };
    view! {
        <section class="bk-form-step" aria-labelledby="bk-form-title">
            <BackToTimes state/>
            <h2 id="bk-form-title">"Enter your details"</h2>
            <p class="bk-summary">{summary}</p>
            <form class="bk-form" on:submit=submit novalidate=true>
                <p class="bk-error" role="alert" hidden=move || general().is_none()>{general}</p>
                <TextField id="bk-name" label="Name" kind="text" autocomplete="name" value=state.attendee.name error=error("name")/>
                <TextField id="bk-email" label="Email" kind="email" autocomplete="email" value=state.attendee.email error=error("email")/>
                {move || view! {
                    <Questions questions=state.questions.get() attendee=state.attendee error=field_error/>
                }}
                <div class="bk-field" hidden=move || !state.allow_guests.get()>
                    <label for="bk-guests">"Add guests (optional)"</label>
                    <textarea id="bk-guests" rows="2" aria-describedby="bk-guests-help bk-guests-error"
                        prop:value=move || state.attendee.guests.get()
                        on:input=move |ev| state.attendee.guests.set(event_target_value(&ev))></textarea>
                    <p class="bk-help" id="bk-guests-help">"Up to 10 email addresses; they get the invitation too."</p>
                    <p class="bk-field-error" id="bk-guests-error" hidden=move || error("guests")().is_none()>{error("guests")}</p>
                </div>
                <button type="submit" class="bk-primary" disabled=move || book.pending().get()>
                    {move || if book.pending().get() { "Scheduling…" } else { "Schedule event" }}
                </button>
            </form>
        </section>
    }
}

/// Returns to the times, keeping the chosen one highlighted.
#[component]
pub fn BackToTimes(state: BookingState) -> impl IntoView {
    let back = move |_| {
        state.step.set(Step::Pick);
        focus_soon("bk-times-title".into());
    };
    view! { <button type="button" class="bk-back" on:click=back>"← Back"</button> }
}

#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="bk-field" class:bk-field-invalid=move || error().is_some()>
            <label for=id>{label}</label>
            <input id=id type=kind autocomplete=autocomplete required=true prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error().is_some().then_some("true") aria-describedby=error_id.clone()/>
            <p class="bk-field-error" id=error_id hidden=move || error().is_none()>{error}</p>
        </div>
    }
}
