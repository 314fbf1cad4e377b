//! Editable time ranges: each range keeps its own signals so typing never re-renders the list
//! (and never steals focus); rows are keyed by a stable id.

use crate::api::RangeText;
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
    let add_label = format!("Add a range on {label}");
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
            title="Add a range"
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
    let name = move |part: &str| format!("{label} range {} {part}", position());
    let (from, to, remove) = (name.clone(), name.clone(), name);
    view! {
        <li class="range">
            <TimeInput label=Signal::derive(move || from("from")) value=row.start/>
            <span aria-hidden="true">"–"</span>
            <TimeInput label=Signal::derive(move || to("to")) value=row.end/>
            <button
                type="button"
                class="icon-button icon-remove"
                aria-label=move || format!("Remove {}", remove("").trim_end())
                title="Remove this range"
                on:click=move |_| ranges.update(|list| list.retain(|r| r.id != row.id))
            >
                "×"
            </button>
        </li>
    }
}

/// One end of a range, in 15-minute steps.
#[component]
fn TimeInput(label: Signal<String>, value: RwSignal<String>) -> impl IntoView {
    view! {
        <input
            type="time"
            step="900"
            aria-label=move || label.get()
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
}
