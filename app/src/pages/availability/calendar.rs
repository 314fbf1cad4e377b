//! A month grid for picking one or more dates (Monday first). Past dates are disabled; dates that
//! already have an override carry a dot.

use crate::lang::{Dash, d};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use std::collections::BTreeSet;

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn next_month(first: NaiveDate) -> NaiveDate {
    first_of_month(first + Duration::days(32))
}

fn previous_month(first: NaiveDate) -> NaiveDate {
    first_of_month(first - Duration::days(1))
}

/// The dates shown for a month: from the Monday on or before the 1st, whole weeks.
fn grid(first: NaiveDate) -> Vec<Option<NaiveDate>> {
    let lead = first.weekday().num_days_from_monday() as usize;
    let mut cells = vec![None; lead];
    let mut day = first;
    while day.month() == first.month() {
        cells.push(Some(day));
        day += Duration::days(1);
    }
    while cells.len() % 7 != 0 {
        cells.push(None);
    }
    cells
}

#[component]
pub fn MonthPicker(
    today: NaiveDate,
    selected: RwSignal<BTreeSet<NaiveDate>>,
    #[prop(into)] marked: Signal<BTreeSet<NaiveDate>>,
) -> impl IntoView {
    let month = RwSignal::new(first_of_month(today));
    let cells = move || {
        grid(month.get())
            .into_iter()
            .map(|cell| match cell {
                None => view! { <span class="calendar-blank"></span> }.into_any(),
                Some(date) => view! { <DayButton date today selected marked/> }.into_any(),
            })
            .collect_view()
    };
    view! {
        <div class="calendar">
            <div class="calendar-header">
                <button
                    type="button"
                    class="icon-button"
                    aria-label=d(Dash::AvailabilityPreviousMonth)
                    disabled=move || month.get() <= first_of_month(today)
                    on:click=move |_| month.update(|m| *m = previous_month(*m))
                >
                    "‹"
                </button>
                <h3 aria-live="polite">{move || month.get().format("%B %Y").to_string()}</h3>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=d(Dash::AvailabilityNextMonth)
                    on:click=move |_| month.update(|m| *m = next_month(*m))
                >
                    "›"
                </button>
            </div>
            <div class="calendar-grid" role="group" aria-label=d(Dash::AvailabilityDates)>
                {[
                    Dash::AvailabilityWeekdayMo,
                    Dash::AvailabilityWeekdayTu,
                    Dash::AvailabilityWeekdayWe,
                    Dash::AvailabilityWeekdayTh,
                    Dash::AvailabilityWeekdayFr,
                    Dash::AvailabilityWeekdaySa,
                    Dash::AvailabilityWeekdaySu,
                ]
                    .map(|weekday| view! { <span class="calendar-weekday" aria-hidden="true">{d(weekday)}</span> })}
                {cells}
            </div>
        </div>
    }
}

#[component]
fn DayButton(
    date: NaiveDate,
    today: NaiveDate,
    selected: RwSignal<BTreeSet<NaiveDate>>,
    marked: Signal<BTreeSet<NaiveDate>>,
) -> impl IntoView {
    let is_selected = move || selected.with(|s| s.contains(&date));
    let toggle = move |_| {
        selected.update(|s| {
            if !s.remove(&date) {
                s.insert(date);
            }
        })
    };
    view! {
        <button
            type="button"
            class="calendar-day"
            class:calendar-today=date == today
            class:calendar-marked=move || marked.with(|m| m.contains(&date))
            aria-pressed=move || if is_selected() { "true" } else { "false" }
            aria-label=date.format("%A %-d %B %Y").to_string()
            disabled=date < today
            on:click=toggle
        >
            {date.day()}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_grid_starts_on_monday_and_fills_whole_weeks() {
        let december = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(); // a Tuesday
        let cells = grid(december);
        assert_eq!((cells[0], cells[1]), (None, Some(december)));
        assert_eq!(cells.len() % 7, 0);
        assert_eq!(cells.iter().flatten().count(), 31);
        assert_eq!(next_month(december), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(previous_month(december), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    }
}
