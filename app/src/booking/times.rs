//! The chosen day's free times. Choosing one reveals "Next" beside it, so a mis-click is harmless.

use super::api::{FreeMonth, FreeTime};
use super::clock::{self, HourStyle};
use super::state::{BookingState, Step, focus_soon};
use leptos::prelude::*;

#[component]
pub fn TimesColumn(state: BookingState, month: FreeMonth) -> impl IntoView {
    let days = StoredValue::new(month.days);
    let day = Memo::new(move |_| {
        days.with_value(|days| {
            let wanted = state.day.get();
            days.iter()
                .find(|d| wanted.as_deref().is_none_or(|w| w == d.date))
                .cloned()
        })
    });
    let heading = move || {
        day.get()
            .and_then(|d| clock::date(&d.date))
            .map_or_else(|| "No free times".to_owned(), clock::long_date)
    };
    let list = move || {
        day.get()
            .map(|d| {
                d.times
                    .into_iter()
                    .map(|time| view! { <TimeOption state time/> })
                    .collect_view()
            })
            .unwrap_or_default()
    };
    view! {
        <div class="bk-times">
            <div class="bk-times-head">
                <h3 id="bk-times-title" tabindex="-1">{heading}</h3>
                <HourToggle hours=state.hours/>
            </div>
            <ul class="bk-time-list" aria-labelledby="bk-times-title">{list}</ul>
        </div>
    }
}

#[component]
fn TimeOption(state: BookingState, time: FreeTime) -> impl IntoView {
    let chosen = {
        let start = time.start.clone();
        Memo::new(move |_| state.time.with(|t| t.as_ref().is_some_and(|t| t.start == start)))
    };
    let when = StoredValue::new(time.clone());
    let label = move || {
        when.with_value(|t| {
            let day = clock::wall_clock(&t.start)
                .map(|w| clock::long_date(w.date()))
                .unwrap_or_default();
            format!("{}, {day}", clock::time(&t.start, state.hours.get()))
        })
    };
    let next = move |_| {
        state.step.set(Step::Details);
        when.with_value(|t| super::embed::post_time_selected(state.embedded, t));
        let moving = state.moving.with_value(Option::is_some);
        focus_soon(if moving { "bk-move-confirm" } else { "bk-name" }.into());
    };
    view! {
        <li class="bk-time-row">
            <button type="button" class="bk-time" class:bk-time-chosen=move || chosen.get()
                aria-label=label aria-pressed=move || if chosen.get() { "true" } else { "false" }
                on:click=move |_| state.choose_time(when.get_value())>
                {move || clock::time(&when.with_value(|t| t.start.clone()), state.hours.get())}
            </button>
            {move || chosen.get().then(|| view! {
                <button type="button" class="bk-next" on:click=next>"Next"</button>
            })}
        </li>
    }
}

#[component]
fn HourToggle(hours: RwSignal<HourStyle>) -> impl IntoView {
    let option = move |style: HourStyle, text: &'static str| {
        view! {
            <button type="button" aria-pressed=move || if hours.get() == style { "true" } else { "false" }
                on:click=move |_| hours.set(style)>{text}</button>
        }
    };
    view! {
        <div class="bk-hours" role="group" aria-label="Clock format">
            {option(HourStyle::H12, "12h")}
            {option(HourStyle::H24, "24h")}
        </div>
    }
}
