//! Editable time ranges: each range keeps its own signals so typing never re-renders the list
//! (and never steals focus); rows are keyed by a stable id.

use crate::api::RangeText;
use crate::lang::{Dash, d, df};
use domain::{ClockTime, DayHours};
use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

#[derive(Debug, Clone, Copy)]
pub struct RangeRow {
    id: u64,
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
}

impl RangeRow {
    pub fn new(start: &str, end: &str) -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            start: RwSignal::new(start.to_owned()),
            end: RwSignal::new(end.to_owned()),
        }
    }

    /// The row's current values (tracked, so previews and errors follow edits).
    pub fn text(&self) -> RangeText {
        RangeText {
            start: self.start.get(),
            end: self.end.get(),
        }
    }
}

pub fn rows(texts: &[RangeText]) -> Vec<RangeRow> {
    texts.iter().map(|r| RangeRow::new(&r.start, &r.end)).collect()
}

pub fn texts(rows: &[RangeRow]) -> Vec<RangeText> {
    rows.iter().map(RangeRow::text).collect()
}

/// A new range after the last one, an hour long (09:00–17:00 for an empty day).
pub fn next_range(rows: &[RangeRow]) -> RangeRow {
    let last_end = rows
        .last()
        .and_then(|r| ClockTime::parse(&r.end.get_untracked()).ok())
        .map(ClockTime::minutes);
    match last_end {
        Some(end) if end < 23 * 60 => {
            let text = |m: u16| ClockTime::from_minutes(m).map(|t| t.to_string()).unwrap_or_default();
            RangeRow::new(&text(end), &text(end + 60))
        }
        _ => RangeRow::new("09:00", "17:00"),
    }
}

/// What the server would say about these ranges, said while typing.
pub fn ranges_error(texts: &[RangeText]) -> Option<String> {
    DayHours::parse(texts.iter().map(|r| (r.start.as_str(), r.end.as_str())))
        .err()
        .map(|e| e.0)
}

/// The ranges of one day (or one override) with add and remove buttons; `label` names the day
/// in every control's accessible name ("Monday range 2 from").
#[component]
pub fn RangesEditor(ranges: RwSignal<Vec<RangeRow>>, label: String) -> impl IntoView {
    let add_label = df(Dash::AvailabilityAddRangeOn, &[("day", &label)]);
    let row_label = label.clone();
    view! {
        <ul class="ranges">
            <For each=move || ranges.get() key=|row| row.id let:row>
                <RangeLine row ranges label=row_label.clone()/>
            </For>
        </ul>
        <button
            type="button"
            class="icon-button"
            aria-label=add_label
            title=d(Dash::AvailabilityAddRange)
            on:click=move |_| ranges.update(|list| {
                let next = next_range(list);
                list.push(next);
            })
        >
            "+"
        </button>
    }
}

#[component]
fn RangeLine(row: RangeRow, ranges: RwSignal<Vec<RangeRow>>, label: String) -> impl IntoView {
    let position = move || ranges.with(|list| list.iter().position(|r| r.id == row.id).unwrap_or(0) + 1);
    let name = move |key: Dash| df(key, &[("day", &label), ("n", &position().to_string())]);
    let (from, to, remove) = (name.clone(), name.clone(), name);
    view! {
        <li class="range">
            <TimeInput label=Signal::derive(move || from(Dash::AvailabilityRangeFrom)) value=row.start/>
            <span aria-hidden="true">"–"</span>
            <TimeInput label=Signal::derive(move || to(Dash::AvailabilityRangeTo)) value=row.end/>
            <button
                type="button"
                class="icon-button icon-remove"
                aria-label=move || remove(Dash::AvailabilityRemoveRangeNamed)
                title=d(Dash::AvailabilityRemoveRange)
                on:click=move |_| ranges.update(|list| list.retain(|r| r.id != row.id))
            >
                "×"
            </button>
        </li>
    }
}

/// One end of a range, written as 24-hour "09:30" like every time the dashboard shows (a
/// browser's own time field would follow its 12-hour locale beside 24-hour previews). Typing
/// "9", "930", "9.30" or "9:30 pm" is tidied into that form on leaving the field.
#[component]
fn TimeInput(label: Signal<String>, value: RwSignal<String>) -> impl IntoView {
    view! {
        <input
            type="text"
            inputmode="numeric"
            autocomplete="off"
            placeholder="09:00"
            maxlength="8"
            class="clock-input"
            aria-label=move || label.get()
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
            on:change=move |ev| {
                if let Some(tidy) = tidy_clock(&event_target_value(&ev)) {
                    value.set(tidy);
                }
            }
        />
    }
}

/// "9" → "09:00", "930" → "09:30", "9.30" → "09:30", "9:30 pm" → "21:30", "12am" → "00:00";
/// `None` for anything that is not a time of day (left for the form's own message).
fn tidy_clock(typed: &str) -> Option<String> {
    let text = typed.trim().to_ascii_lowercase();
    let (text, afternoon) = match (text.strip_suffix("pm"), text.strip_suffix("am")) {
        (Some(rest), _) => (rest.trim_end(), Some(true)),
        (_, Some(rest)) => (rest.trim_end(), Some(false)),
        _ => (text.as_str(), None),
    };
    let digits: String = text.chars().filter(|c| !matches!(c, ':' | '.' | 'h')).collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<u32>().ok()?, 0),
        _ => {
            let split = digits.len() - 2;
            (digits[..split].parse().ok()?, digits[split..].parse().ok()?)
        }
    };
    let hours = match afternoon {
        Some(_) if !(1..=12).contains(&hours) => return None,
        Some(true) => hours % 12 + 12,
        Some(false) => hours % 12,
        None => hours,
    };
    (hours < 24 && minutes < 60 || hours == 24 && minutes == 0).then(|| format!("{hours:02}:{minutes:02}"))
}

#[cfg(test)]
mod tests {
    use super::tidy_clock;

    #[test]
    fn typed_times_are_tidied_into_24_hour_form() {
        for (typed, tidy) in [
            ("9", "09:00"),
            ("09:00", "09:00"),
            ("930", "09:30"),
            ("9.30", "09:30"),
            ("17h45", "17:45"),
            ("9:30 pm", "21:30"),
            ("12pm", "12:00"),
            ("12 AM", "00:00"),
            ("24:00", "24:00"),
        ] {
            assert_eq!(tidy_clock(typed).as_deref(), Some(tidy), "{typed}");
        }
        for bad in ["", "25", "9:75", "13pm", "0am", "noon", "12345", "24:30"] {
            assert_eq!(tidy_clock(bad), None, "{bad}");
        }
    }
}
