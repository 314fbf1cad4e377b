//! The weekly hours editor: a row per weekday with an on/off switch, its ranges, "copy to other
//! days", and bulk on/off. Errors show while typing; saving sends nothing while any day is wrong.

use super::ranges::{RangeRow, RangesEditor, ranges_error, rows, texts};
use crate::api::{RangeText, SaveWeekly};
use crate::components::{ErrorBanner, TimeZoneField, failure, field_error, form_error};
use crate::lang::{Dash, d, df};
use leptos::prelude::*;

pub const DAY_NAMES: [Dash; 7] = [
    Dash::AvailabilityMonday,
    Dash::AvailabilityTuesday,
    Dash::AvailabilityWednesday,
    Dash::AvailabilityThursday,
    Dash::AvailabilityFriday,
    Dash::AvailabilitySaturday,
    Dash::AvailabilitySunday,
];
const DAY_FIELDS: [&str; 7] = ["day-0", "day-1", "day-2", "day-3", "day-4", "day-5", "day-6"];

#[derive(Debug, Clone, Copy)]
pub struct DayRow {
    pub on: RwSignal<bool>,
    pub ranges: RwSignal<Vec<RangeRow>>,
}

pub fn day_rows(weekly: &[Vec<RangeText>]) -> [DayRow; 7] {
    std::array::from_fn(|i| {
        let saved = weekly.get(i).cloned().unwrap_or_default();
        DayRow {
            on: RwSignal::new(!saved.is_empty()),
            ranges: RwSignal::new(rows(&saved)),
        }
    })
}

/// The week as it would be saved: days that are off have no ranges.
pub fn snapshot(days: &[DayRow; 7]) -> Vec<Vec<RangeText>> {
    days.iter()
        .map(|day| {
            if day.on.get() {
                day.ranges.with(|r| texts(r))
            } else {
                Vec::new()
            }
        })
        .collect()
}

fn day_error(day: DayRow) -> Option<String> {
    if !day.on.get() {
        return None;
    }
    day.ranges.with(|r| ranges_error(&texts(r)))
}

fn switch_on(day: DayRow) {
    day.on.set(true);
    if day.ranges.with_untracked(Vec::is_empty) {
        day.ranges.set(vec![RangeRow::new("09:00", "17:00")]);
    }
}

#[component]
pub fn WeeklyEditor(member: i64, zone: RwSignal<String>, days: [DayRow; 7]) -> impl IntoView {
    let save = ServerAction::<SaveWeekly>::new();
    let outcome = failure(save.value());
    let blocked = RwSignal::new(false);
    let saved = move || save.value().with(|v| matches!(v, Some(Ok(())))) && !blocked.get();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wrong = days.iter().any(|day| day_error(*day).is_some());
        blocked.set(wrong);
        if !wrong {
            save.dispatch(SaveWeekly {
                member,
                timezone: zone.get_untracked(),
                days: snapshot(&days),
            });
        }
    };
    let rows = (0..7)
        .map(|i| view! { <DayLine index=i days server_error=field_error(outcome, DAY_FIELDS[i])/> })
        .collect_view();
    view! {
        <form class="card weekly" on:submit=on_submit novalidate=true>
            <div class="card-header">
                <h2>{d(Dash::AvailabilityWeeklyHours)}</h2>
                <div class="button-row">
                    <button type="button" class="button button-quiet" on:click=move |_| days.iter().for_each(|day| switch_on(*day))>
                        {d(Dash::AvailabilityAllDaysOn)}
                    </button>
                    <button type="button" class="button button-quiet" on:click=move |_| days.iter().for_each(|day| day.on.set(false))>
                        {d(Dash::AvailabilityAllDaysOff)}
                    </button>
                </div>
            </div>
            <TimeZoneField value=zone error=field_error(outcome, "timezone")/>
            <ErrorBanner message=form_error(outcome)/>
            <div class="banner banner-error" role="alert" hidden=move || !blocked.get()>
                {d(Dash::AvailabilityFixDays)}
            </div>
            <div class="days">{rows}</div>
            <div class="form-footer">
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { d(Dash::AvailabilitySaving) } else { d(Dash::AvailabilitySaveWeekly) }}
                </button>
                <span class="saved" role="status">{move || saved().then_some(d(Dash::AvailabilitySaved))}</span>
            </div>
        </form>
    }
}

#[component]
fn DayLine(index: usize, days: [DayRow; 7], server_error: Signal<Option<String>>) -> impl IntoView {
    let day = days[index];
    let name = d(DAY_NAMES[index]);
    let error = move || day_error(day).or_else(|| server_error.get());
    let error_id = format!("day-{index}-error");
    view! {
        <div class="day" class:day-invalid=move || error().is_some()>
            <label class="switch">
                <input
                    type="checkbox"
                    role="switch"
                    prop:checked=move || day.on.get()
                    on:change=move |ev| if event_target_checked(&ev) { switch_on(day) } else { day.on.set(false) }
                    aria-describedby=error_id.clone()
                />
                <span class="day-name">{name}</span>
            </label>
            <div class="day-hours">
                <Show when=move || day.on.get() fallback=|| view! { <p class="muted unavailable">{d(Dash::AvailabilityUnavailable)}</p> }>
                    <RangesEditor ranges=day.ranges label=name.to_owned()/>
                </Show>
                <p class="field-error" id=error_id.clone() role="alert" hidden=move || error().is_none()>
                    {error}
                </p>
            </div>
            <CopyTo index days/>
        </div>
    }
}

/// "Copy Monday's times to…": checkboxes for the other days and Apply.
#[component]
fn CopyTo(index: usize, days: [DayRow; 7]) -> impl IntoView {
    let open = RwSignal::new(false);
    let targets: [RwSignal<bool>; 7] = std::array::from_fn(|_| RwSignal::new(false));
    let apply = move |_| {
        let source = days[index];
        let (on, ranges) = (source.on.get_untracked(), untrack(|| source.ranges.with(|r| texts(r))));
        for (i, target) in targets.iter().enumerate() {
            if i != index && target.get_untracked() {
                days[i].on.set(on);
                days[i].ranges.set(rows(&ranges));
                target.set(false);
            }
        }
        open.set(false);
    };
    let boxes = (0..7)
        .filter(|i| *i != index)
        .map(|i| {
            let target = targets[i];
            view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || target.get() on:change=move |ev| target.set(event_target_checked(&ev))/>
                    {df(Dash::AvailabilityCopyTo, &[("day", d(DAY_NAMES[i]))])}
                </label>
            }
        })
        .collect_view();
    view! {
        <details class="copy-to" prop:open=move || open.get() on:toggle=move |ev| open.set(details_open(&ev))>
            <summary aria-label=df(Dash::AvailabilityCopyTimes, &[("day", d(DAY_NAMES[index]))])>{d(Dash::AvailabilityCopy)}</summary>
            <div class="popover">
                {boxes}
                <button type="button" class="button button-primary" on:click=apply>{d(Dash::AvailabilityApply)}</button>
            </div>
        </details>
    }
}

#[cfg(feature = "hydrate")]
fn details_open(ev: &leptos::ev::Event) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .is_some_and(|details| details.open())
}

#[cfg(not(feature = "hydrate"))]
fn details_open(_: &leptos::ev::Event) -> bool {
    false
}
