//! The free times of the month, the chosen day's shown. Choosing one reveals "Next" beside it, so
//! a mis-click is harmless.
//!
//! Every time is a link to this page with `?time=` (and the zone), so choosing one works before
//! the WASM has arrived; once interactive, a click just chooses. The whole month's times are in
//! the document, other days' hidden, so the document's early script can regroup them by the
//! visitor's days without changing the page's structure.

use super::api::{FreeMonth, FreeTime};
use super::clock::{self, HourStyle};
use super::state::{BookingState, Step, focus_soon};
use crate::lang::{Key, t, tf};
use leptos::prelude::*;

#[component]
pub fn TimesColumn(state: BookingState, month: FreeMonth) -> impl IntoView {
    let first_day = month.days.first().map(|d| d.date.clone());
    let day = Memo::new(move |_| state.day.get().or_else(|| first_day.clone()));
    let heading = move || {
        day.get()
            .and_then(|d| clock::date(&d))
            .map_or_else(|| t(Key::PageNoFreeTimes).to_owned(), clock::long_date)
    };
    let link = time_link(&month.zone);
    let list = month
        .days
        .into_iter()
        .flat_map(|d| d.times.into_iter().map(move |time| (d.date.clone(), time)))
        .map(|(date, time)| {
            let href = link(&time.start);
            view! { <TimeOption state time href shown=Signal::derive(move || day.get().as_deref() == Some(&date))/> }
        })
        .collect_view();
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

/// This page with `time` chosen: the page's own query (embed, theme, prefill) kept.
fn time_link(zone: &str) -> impl Fn(&str) -> String + use<> {
    let kept: Vec<(String, String)> = super::url::page_url()
        .query_pairs()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "time" | "zone"))
        .cloned()
        .collect();
    let zone = zone.to_owned();
    move |start: &str| {
        let mut query: Vec<String> = kept.iter().map(|(n, v)| format!("{n}={}", encode(v))).collect();
        query.push(format!("zone={}", encode(&zone)));
        query.push(format!("time={}", encode(start)));
        format!("?{}", query.join("&"))
    }
}

/// Percent-encodes all but unreserved characters (RFC 3986), so `+` in an offset survives.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn TimeOption(state: BookingState, time: FreeTime, href: String, shown: Signal<bool>) -> impl IntoView {
    let chosen = {
        let start = time.start.clone();
        Memo::new(move |_| state.time.with(|t| t.as_ref().is_some_and(|t| t.start == start)))
    };
    let at = time.start.clone();
    let when = StoredValue::new(time);
    let label = move || {
        when.with_value(|t| {
            let day = clock::wall_clock(&t.start)
                .map(|w| clock::long_date(w.date()))
                .unwrap_or_default();
            tf(
                Key::PageTimeOnDay,
                &[("time", &clock::time(&t.start, state.hours.get())), ("date", &day)],
            )
        })
    };
    let next = move |_| {
        state.step.set(Step::Details);
        when.with_value(|t| super::embed::post_time_selected(state.embedded, t));
        let moving = state.moving.with_value(Option::is_some);
        focus_soon(if moving { "bk-move-confirm" } else { "bk-name" }.into());
    };
    let choose = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        state.choose_time(when.get_value());
    };
    // A link acting as a toggle button: Space chooses too, as on a button.
    let space = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == " " {
            ev.prevent_default();
            state.choose_time(when.get_value());
        }
    };
    view! {
        <li class="bk-time-row" hidden=move || !shown.get()>
            <a class="bk-time" class:bk-time-chosen=move || chosen.get() href=href data-at=at role="button"
                aria-label=label aria-pressed=move || if chosen.get() { "true" } else { "false" }
                on:click=choose on:keydown=space>
                {move || clock::time(&when.with_value(|t| t.start.clone()), state.hours.get())}
            </a>
            {move || chosen.get().then(|| view! {
                <button type="button" class="bk-next" on:click=next>{t(Key::PageNext)}</button>
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
        <div class="bk-hours" role="group" aria-label=t(Key::PageClockFormat)>
            {option(HourStyle::H12, t(Key::PageHours12))}
            {option(HourStyle::H24, t(Key::PageHours24))}
        </div>
    }
}
