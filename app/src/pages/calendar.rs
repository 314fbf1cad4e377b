//! The Calendar page: a member's week (one day at a time on phones) with their bookings and the
//! events of their connected calendars, asked for again every few seconds so a meeting added in
//! the calendar shows up without a reload.
//!
//! The grid is drawn from the resource inside a `Transition` through keyed lists, so a refresh
//! leaves the page's elements (and the keyboard focus) where they are: only entries that changed
//! are drawn again.

use crate::api::{CalendarDay, CalendarMembers, CalendarView, WeekEntry, load_calendar_members, load_calendar_week};
use crate::error::AppError;
use crate::lang::{Dash, d, df};
use chrono::{Days, NaiveDate};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

/// Timed entries shorter than this (in minutes) have room for one line, which title and time share.
const ONE_LINE_BELOW: u32 = 50;

type Week = Resource<Result<CalendarView, AppError>>;

/// How often the open page asks for the week again: the sync brings a calendar change in within
/// seconds of its notification, and this is the rest of the way to the screen.
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Whose week is shown, kept in the URL (`?member=3&week=2027-01-18`) so a reload, a shared link
/// or the back button brings back the same week. No week means this week.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct WeekQuery {
    member: Option<i64>,
    week: String,
}

impl WeekQuery {
    fn from_query(query: &ParamsMap) -> Self {
        Self {
            member: query.get("member").and_then(|m| m.parse().ok()),
            week: query.get("week").unwrap_or_default(),
        }
    }

    fn href(&self) -> String {
        let mut query = ParamsMap::new();
        if let Some(member) = self.member {
            query.insert("member", member.to_string());
        }
        if !self.week.is_empty() {
            query.insert("week", self.week.clone());
        }
        format!("/dashboard/calendar{}", query.to_query_string())
    }

    fn at_week(&self, week: String) -> Self {
        Self {
            week,
            member: self.member,
        }
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let state = Memo::new(move |_| WeekQuery::from_query(&query.read()));
    let ticks = refresh_ticks();
    let week: Week = Resource::new(
        move || (state.get(), ticks.get()),
        |(q, _)| load_calendar_week(q.member, q.week),
    );
    let members = Resource::new(|| (), |_| load_calendar_members());
    // The day shown on narrow screens; `None`: today if it is in the week, else its first day.
    let chosen = RwSignal::new(None::<String>);
    view! {
        <Title text=d(Dash::CalendarTitle)/>
        <header class="page-header">
            <div>
                <h1>{d(Dash::CalendarTitle)}</h1>
                <p class="muted">
                    <Transition fallback=|| ()>{move || loaded(week).map(|w| whose(&w))}</Transition>
                </p>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    members.await.ok().map(|members| view! { <MemberPicker members state/> })
                })}
            </Transition>
        </header>
        <Transition fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            <Show when=move || week.with(|w| matches!(w, Some(Err(_))))>
                <div class="banner banner-error" role="alert">
                    {move || week.with(|w| w.as_ref().and_then(|r| r.as_ref().err()).map(ToString::to_string))}
                </div>
            </Show>
            <Show when=move || loaded(week).is_some()>
                <NotConnected week/>
                <WeekView week state chosen/>
            </Show>
        </Transition>
    }
}

/// A counter bumped every [`REFRESH_EVERY`] while the page is open and its tab visible. The
/// timer exists only in the browser, so the server and hydration both see 0.
fn refresh_ticks() -> ReadSignal<u32> {
    let (ticks, set_ticks) = signal(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let bump = move || {
            if !document().hidden() {
                set_ticks.update(|t| *t = t.wrapping_add(1));
            }
        };
        if let Ok(timer) = set_interval_with_handle(bump, REFRESH_EVERY) {
            on_cleanup(move || timer.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_ticks, REFRESH_EVERY);
    ticks
}

/// The week once loaded without error.
fn loaded(week: Week) -> Option<CalendarView> {
    week.get().and_then(Result::ok)
}

fn whose(week: &CalendarView) -> String {
    if week.own {
        d(Dash::CalendarOwnWeek).to_owned()
    } else {
        df(Dash::CalendarMemberWeek, &[("name", &week.member_name)])
    }
}

/// Admins switch between members; members see only themselves, so no picker.
#[component]
fn MemberPicker(members: CalendarMembers, state: Memo<WeekQuery>) -> impl IntoView {
    if members.choices.len() < 2 {
        return None;
    }
    let navigate = use_navigate();
    let viewer = members.viewer_id;
    let current = move || state.get().member.unwrap_or(viewer).to_string();
    let initial = current();
    let options = members
        .choices
        .into_iter()
        .map(|c| {
            let selected = c.value == initial;
            view! { <option value=c.value selected=selected>{c.label}</option> }
        })
        .collect_view();
    let pick = move |ev| {
        let next = WeekQuery {
            member: event_target_value(&ev).parse().ok(),
            ..state.get_untracked()
        };
        navigate(&next.href(), Default::default());
    };
    Some(view! {
        <div class="field field-compact">
            <label for="calendar-member">{d(Dash::CalendarMember)}</label>
            <select id="calendar-member" prop:value=current on:change=pick>{options}</select>
        </div>
    })
}

/// Said when the member has no calendar connected: the week then holds only their bookings.
#[component]
fn NotConnected(week: Week) -> impl IntoView {
    let missing = move |own: bool| loaded(week).is_some_and(|w| !w.connected && w.own == own);
    view! {
        <Show when=move || missing(true)>
            <div class="card empty-state week-empty">
                <p class="empty-title">{d(Dash::CalendarNotConnected)}</p>
                <p class="muted">
                    {d(Dash::CalendarConnectBefore)}" "
                    <a href="/dashboard/integrations">{d(Dash::CalendarIntegrationsPage)}</a>
                    " "{d(Dash::CalendarConnectAfter)}
                </p>
            </div>
        </Show>
        <Show when=move || missing(false)>
            <p class="banner week-note">
                {move || loaded(week).map(|w| df(Dash::CalendarMemberNotConnected, &[("name", &w.member_name)]))}
            </p>
        </Show>
    }
}

/// Returns an erased view (as does [`DayColumn`]): the nested view types otherwise grow past the
/// compiler's recursion limit in the server crate.
#[component]
fn WeekView(week: Week, state: Memo<WeekQuery>, chosen: RwSignal<Option<String>>) -> impl IntoView {
    let shown = Signal::derive(move || loaded(week).and_then(|w| shown_day(&w, chosen.get())));
    let link =
        move |pick: fn(&CalendarView) -> String| move || loaded(week).map(|w| state.get().at_week(pick(&w)).href());
    let today = move || {
        WeekQuery {
            week: String::new(),
            ..state.get()
        }
        .href()
    };
    let navigate = use_navigate();
    let step = move |forward: bool| {
        let (Some(w), Some(current)) = (loaded(week), shown.get_untracked()) else {
            return;
        };
        match next_day(&w, &current, forward) {
            DayStep::Within(date) => chosen.set(Some(date)),
            DayStep::OtherWeek { week: monday, day } => {
                chosen.set(Some(day));
                navigate(&state.get_untracked().at_week(monday).href(), Default::default());
            }
        }
    };
    let step_back = step.clone();
    let label = move || {
        loaded(week).and_then(|w| {
            let date = shown.get()?;
            w.days.into_iter().find(|day| day.date == date).map(|day| day.label)
        })
    };
    let days = move || loaded(week).map(|w| w.days).unwrap_or_default();
    let layout =
        move || loaded(week).map(|w| format!("--hours: {}; --all-day-rows: {}", w.hours.len(), w.all_day_rows));
    view! {
        <div class="week-toolbar">
            <nav class="week-nav" aria-label=d(Dash::CalendarWeeks)>
                <a class="button week-arrow" href=link(|w| w.previous_week.clone()) aria-label=d(Dash::CalendarPreviousWeek)>"‹"</a>
                <a class="button" href=today on:click=move |_| chosen.set(None)>{d(Dash::CalendarToday)}</a>
                <a class="button week-arrow" href=link(|w| w.next_week.clone()) aria-label=d(Dash::CalendarNextWeek)>"›"</a>
            </nav>
            <h2 class="week-range">{move || loaded(week).map(|w| w.heading)}</h2>
            <p class="bookings-zone">{d(Dash::CalendarTimesIn)}" "<strong>{move || loaded(week).map(|w| w.timezone)}</strong></p>
        </div>
        <div class="week-day-nav">
            <button type="button" class="button week-arrow" aria-label=d(Dash::CalendarPreviousDay) on:click=move |_| step_back(false)>
                "‹"
            </button>
            <p class="week-day-nav-label" aria-live="polite">{label}</p>
            <button type="button" class="button week-arrow" aria-label=d(Dash::CalendarNextDay) on:click=move |_| step(true)>
                "›"
            </button>
        </div>
        <div class="card week" style=layout>
            <ol class="week-hours" aria-hidden="true">
                <For each=move || loaded(week).map(|w| w.hours).unwrap_or_default() key=|hour| hour.clone() let:hour>
                    <li>{hour}</li>
                </For>
            </ol>
            <For each=days key=|day| (day.date.clone(), day.today) let:day>
                <DayColumn shown=Signal::derive({
                    let date = day.date.clone();
                    move || shown.get().as_deref() == Some(date.as_str())
                }) day week/>
            </For>
        </div>
        <ul class="week-legend" aria-hidden="true">
            <li class="week-legend-booking">{d(Dash::CalendarLegendBookings)}</li>
            <li class="week-legend-event">{d(Dash::CalendarLegendEvents)}</li>
        </ul>
    }
    .into_any()
}

/// The day a phone shows: the one chosen if it is in this week, else today, else Monday.
fn shown_day(week: &CalendarView, chosen: Option<String>) -> Option<String> {
    let in_week = |date: &String| week.days.iter().any(|day| &day.date == date);
    chosen
        .filter(in_week)
        .or_else(|| week.days.iter().find(|day| day.today).map(|day| day.date.clone()))
        .or_else(|| week.days.first().map(|day| day.date.clone()))
}

enum DayStep {
    Within(String),
    OtherWeek { week: String, day: String },
}

/// The day before or after `current`, across into the neighbouring week at either end.
fn next_day(week: &CalendarView, current: &str, forward: bool) -> DayStep {
    let index = week.days.iter().position(|day| day.date == current).unwrap_or(0);
    let neighbour = if forward {
        index.checked_add(1)
    } else {
        index.checked_sub(1)
    };
    match neighbour.and_then(|i| week.days.get(i)) {
        Some(day) => DayStep::Within(day.date.clone()),
        None if forward => DayStep::OtherWeek {
            week: week.next_week.clone(),
            day: week.next_week.clone(),
        },
        None => {
            let sunday = NaiveDate::parse_from_str(&week.previous_week, "%Y-%m-%d")
                .ok()
                .and_then(|monday| monday.checked_add_days(Days::new(6)))
                .map(|sunday| sunday.to_string())
                .unwrap_or_default();
            DayStep::OtherWeek {
                week: week.previous_week.clone(),
                day: sunday,
            }
        }
    }
}

/// One day: its heading, then one list (all-day entries on top, the rest placed by time), so a
/// screen reader reads each day as a list of "what, when". The heading comes from `day`; the
/// entries follow the refreshes one by one, so a new meeting adds one item and leaves the
/// others, and the focus, alone.
#[component]
fn DayColumn(day: CalendarDay, week: Week, shown: Signal<bool>) -> impl IntoView {
    let heading = format!("week-day-{}", day.date);
    let labelled_by = heading.clone();
    let date = day.date.clone();
    let entries = Signal::derive(move || {
        loaded(week)
            .and_then(|w| w.days.into_iter().find(|day| day.date == date))
            .map(|day| day.entries)
            .unwrap_or_default()
    });
    view! {
        <section class="week-day" class:week-day-shown=shown aria-labelledby=labelled_by>
            <h3 class="week-day-head" id=heading aria-current=day.today.then_some("date")>
                <span class="week-weekday" aria-hidden="true">{day.weekday}</span>
                <span class="week-date" aria-hidden="true">{day.day_of_month}</span>
                <span class="visually-hidden">{day.label}</span>
            </h3>
            <ul class="week-entries">
                <For each=move || with_repeats(entries.get()) key=|entry| entry.clone() let:((_, entry))>
                    <Entry entry/>
                </For>
                <Show when=move || entries.with(Vec::is_empty)>
                    <li class="visually-hidden">{d(Dash::CalendarNothingScheduled)}</li>
                </Show>
            </ul>
        </section>
    }
    .into_any()
}

/// Each entry with the number of identical ones before it, so two alike (the same meeting in
/// two calendars of different accounts) still have keys of their own.
fn with_repeats(entries: Vec<WeekEntry>) -> Vec<(usize, WeekEntry)> {
    let mut keyed: Vec<(usize, WeekEntry)> = Vec::with_capacity(entries.len());
    for entry in entries {
        let before = keyed.iter().filter(|(_, e)| *e == entry).count();
        keyed.push((before, entry));
    }
    keyed
}

#[component]
fn Entry(entry: WeekEntry) -> impl IntoView {
    let layout = match entry.place {
        None => "week-all-day",
        Some(p) if p.length < ONE_LINE_BELOW => "week-timed week-one-line",
        Some(_) => "week-timed",
    };
    let class = format!(
        "week-entry {} {layout}{}",
        if entry.booking { "week-booking" } else { "week-event" },
        if entry.free { " week-free" } else { "" },
    );
    let style = entry.place.map(|p| {
        format!(
            "--start: {}; --length: {}; --lane: {}; --lanes: {}",
            p.start, p.length, p.lane, p.lanes
        )
    });
    let tooltip = format!("{}, {}", entry.title, entry.time);
    // "All day" is said, not shown: the row on top already shows it.
    let time_class = if entry.place.is_some() {
        "week-entry-time"
    } else {
        "visually-hidden"
    };
    let free = entry.free.then(|| format!(" ({})", d(Dash::CalendarFree)));
    let text = view! {
        <span class="visually-hidden">{entry.source}{free}": "</span>
        <span class="week-entry-title">{entry.title}</span>
        <span class="visually-hidden">", "</span>
        <span class=time_class>{entry.time}</span>
    };
    let body = match entry.href {
        Some(href) => Either::Left(view! { <a class="week-entry-body" href=href>{text}</a> }),
        None => Either::Right(view! { <div class="week-entry-body">{text}</div> }),
    };
    view! { <li class=class style=style title=tooltip>{body}</li> }
}
