//! The month grid: days with free times are buttons, the rest are shown but disabled. Arrow keys
//! move by day and week, Home / End to the ends of the week (the WAI-ARIA grid pattern).

use super::api::FreeMonth;
use super::clock;
use super::month::Month;
use super::state::{BookingState, focus_soon};
use crate::lang::{Key, t, tf};
use chrono::{Datelike, Days, NaiveDate};
use leptos::prelude::*;

/// Column headings, Monday first.
const WEEKDAYS: [Key; 7] = [
    Key::PageWeekdayMon,
    Key::PageWeekdayTue,
    Key::PageWeekdayWed,
    Key::PageWeekdayThu,
    Key::PageWeekdayFri,
    Key::PageWeekdaySat,
    Key::PageWeekdaySun,
];

#[component]
pub fn Calendar(state: BookingState, month: FreeMonth) -> impl IntoView {
    let shown = Month::parse(&month.month).unwrap_or(Month::of(NaiveDate::default()));
    let earliest = Month::parse(&month.this_month).unwrap_or(shown);
    let open: Vec<String> = month.days.iter().map(|d| d.date.clone()).collect();
    let first_open = open.first().cloned();
    let selected = Memo::new(move |_| state.day.get().or_else(|| first_open.clone()));
    let focused = RwSignal::new(selected.get_untracked().unwrap_or_else(|| shown.first().to_string()));
    // Steps from the month last asked for, not the one on screen, so quick clicks add up while
    // the previous month is still loading.
    let requested = move || Month::parse(&state.month.get_untracked()).unwrap_or(shown);
    let go = move |to: Month| {
        state.day.set(None);
        state.month.set(to.max(earliest).to_string());
    };
    let open = StoredValue::new(open);
    let rows = weeks(shown)
        .into_iter()
        .map(|week| {
            let cells = week
                .into_iter()
                .map(|day| view! { <DayCell day shown state open selected focused/> })
                .collect_view();
            view! { <div role="row" class="bk-week">{cells}</div> }
        })
        .collect_view();
    view! {
        <div class="bk-calendar">
            <div class="bk-month">
                <button type="button" class="bk-nav" aria-label=t(Key::PagePreviousMonth) disabled=shown <= earliest
                    on:click=move |_| go(requested().previous())>"‹"</button>
                <h3 id="bk-month-label" aria-live="polite">{clock::month(shown.first())}</h3>
                <button type="button" class="bk-nav" aria-label=t(Key::PageNextMonth) on:click=move |_| go(requested().next())>"›"</button>
            </div>
            <div role="grid" aria-labelledby="bk-month-label" class="bk-grid"
                on:keydown=move |ev| move_focus(&ev, focused, shown)>
                <div role="row" class="bk-week">
                    {weekday_headings()}
                </div>
                {rows}
            </div>
            {month.days.is_empty().then(|| view! {
                <p class="bk-empty">{t(Key::PageNoTimesThisMonth)}" "
                    <button type="button" class="bk-link" on:click=move |_| go(requested().next())>{t(Key::PageTryNextMonth)}</button>
                </p>
            })}
        </div>
    }
}

#[component]
fn DayCell(
    day: Option<NaiveDate>,
    shown: Month,
    state: BookingState,
    open: StoredValue<Vec<String>>,
    selected: Memo<Option<String>>,
    focused: RwSignal<String>,
) -> impl IntoView {
    let Some(day) = day.filter(|d| Month::of(*d) == shown) else {
        return view! { <span role="gridcell" class="bk-day-blank"></span> }.into_any();
    };
    let iso = day.to_string();
    let has_times = open.with_value(|o| o.contains(&iso));
    let label = if has_times {
        clock::long_date(day)
    } else {
        tf(Key::PageDayWithoutTimes, &[("date", &clock::long_date(day))])
    };
    let (id, key, pick) = (format!("bk-day-{iso}"), iso.clone(), iso.clone());
    let is_selected = move || selected.get().as_deref() == Some(key.as_str());
    let choose = move |_| {
        if has_times {
            state.day.set(Some(pick.clone()));
            focused.set(pick.clone());
            super::embed::post_date_selected(state.embedded, &pick);
            focus_soon("bk-times-title".into());
        }
    };
    let tab_key = iso.clone();
    view! {
        <span role="gridcell" aria-selected=move || if is_selected() { "true" } else { "false" }>
            <button type="button" id=id data-day=iso class="bk-day" class:bk-day-open=has_times class:bk-day-selected=is_selected.clone()
                aria-label=label aria-disabled=(!has_times).then_some("true")
                tabindex=move || if focused.get() == tab_key { "0" } else { "-1" }
                on:click=choose>
                {day.day()}
            </button>
        </span>
    }
    .into_any()
}

/// "Mo" … "Su", each named in full for screen readers (2024-01-01 was a Monday).
fn weekday_headings() -> impl IntoView {
    let monday = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    WEEKDAYS
        .iter()
        .zip(monday.iter_days())
        .map(|(short, day)| {
            let long = clock::weekday(day);
            view! { <span role="columnheader" class="bk-weekday" title=long.clone() aria-label=long>{t(*short)}</span> }
        })
        .collect_view()
}

/// The month's weeks, Monday first, with `None` padding.
fn weeks(month: Month) -> Vec<[Option<NaiveDate>; 7]> {
    let (first, last) = month.days();
    let mut cursor = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    while cursor <= last {
        let mut week = [None; 7];
        for slot in &mut week {
            *slot = Some(cursor);
            cursor = cursor + Days::new(1);
        }
        weeks.push(week);
    }
    weeks
}

fn move_focus(ev: &leptos::ev::KeyboardEvent, focused: RwSignal<String>, shown: Month) {
    let Some(current) = clock::date(&focused.get_untracked()) else {
        return;
    };
    let weekday = i64::from(current.weekday().num_days_from_monday());
    let step = match ev.key().as_str() {
        "ArrowLeft" => -1,
        "ArrowRight" => 1,
        "ArrowUp" => -7,
        "ArrowDown" => 7,
        "Home" => -weekday,
        "End" => 6 - weekday,
        _ => return,
    };
    ev.prevent_default();
    let (first, last) = shown.days();
    let target = current
        .checked_add_signed(chrono::TimeDelta::days(step))
        .unwrap_or(current)
        .clamp(first, last);
    focused.set(target.to_string());
    focus_soon(format!("bk-day-{target}"));
}
