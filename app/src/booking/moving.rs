//! Rescheduling from the manage link: after a new time is chosen, one confirmation moves the
//! booking (the old time is released and the new one taken in one transaction).

use super::api::Moving;
use super::form::BackToTimes;
use super::manage_api::move_booking;
use super::state::{BookingState, Step, focus_soon};
use crate::error::AppError;
use crate::lang::{Key, t};
use leptos::prelude::*;

#[component]
pub fn MoveForm(state: BookingState, moving: Moving, zone: String) -> impl IntoView {
    let zone = StoredValue::new(zone);
    let moving = StoredValue::new(moving);
    let lang = crate::lang::page_lang().code();
    let action = Action::new(move |start: &String| {
        move_booking(moving.get_value(), start.clone(), zone.get_value(), lang.to_owned())
    });
    let confirm = move |_| {
        if let Some(time) = state.time.get_untracked() {
            action.dispatch(time.start);
        }
    };
    Effect::new(move |_| match action.value().get() {
        Some(Ok(confirmation)) => {
            super::embed::post_booking_changed(state.embedded, "booking_rescheduled", &confirmation, &state);
            state.step.set(Step::Done(Box::new(confirmation)));
            focus_soon("bk-done-title".into());
        }
        Some(Err(AppError::Taken)) => state.back_to_times(t(Key::PageTimeTaken).to_owned()),
        _ => {}
    });
    let problem = move || {
        action.value().with(|v| match v {
            Some(Err(e)) if !matches!(e, AppError::Taken) => Some(super::form::problem_text(e)),
            _ => None,
        })
    };
    view! {
        <section class="bk-form-step" aria-labelledby="bk-form-title">
            <BackToTimes state/>
            <h2 id="bk-form-title">{t(Key::PageConfirmMoveTitle)}</h2>
            <p class="bk-summary">{move || state.chosen_summary(&zone.get_value())}</p>
            <p class="bk-muted">{t(Key::PageMoveNote)}</p>
            <p class="bk-error" role="alert" hidden=move || problem().is_none()>{problem}</p>
            <button type="button" id="bk-move-confirm" class="bk-primary" disabled=move || action.pending().get()
                on:click=confirm>
                {move || if action.pending().get() { t(Key::PageMoving) } else { t(Key::PageMoveBooking) }}
            </button>
        </section>
    }
}
