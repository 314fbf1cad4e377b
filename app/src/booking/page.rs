//! `/{team}/{event}`: details, a month calendar and the chosen day's times; then the attendee's
//! details; then the confirmation. Server-rendered with the first free day open.

use super::api::{EventDetails, FreeMonth, Moving, event_info, month_times};
use super::calendar::Calendar;
use super::clock::{self, HourStyle};
use super::done::DoneView;
use super::form::DetailsForm;
use super::moving::MoveForm;
use super::state::{Attendee, BookingState, Step};
use super::times::TimesColumn;
use super::url::page_url;
use super::zone::ZonePicker;
use crate::lang::{Key, t, tf};
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeMap;

#[component]
pub fn BookingPage(team: String, event: String) -> impl IntoView {
    let state = new_state(
        Memo::new(move |_| team.clone()),
        Memo::new(move |_| event.clone()),
        None,
    );
    let url = StoredValue::new(page_url());
    let lang = crate::lang::page_lang().code();
    let info = Resource::new(
        move || (state.team.get(), state.event.get()),
        move |(team, event)| event_info(team, event, lang.to_owned()),
    );
    view! {
        <Frame state>
            <Suspense fallback=|| view! { <section class="bk-details" aria-busy="true"></section> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => {
                            // Untracked: typing an answer must not run this again (it would
                            // rebuild the form being typed in).
                            untrack(|| state.ask(&info, |key| url.with_value(|u| u.query_all(key))));
                            Either::Left(view! { <Details info/> <Picker state/> })
                        }
                        // Unknown or switched off: no times to ask for.
                        Err(_) => Either::Right(view! { <super::Missing/> }),
                    }
                })}
            </Suspense>
        </Frame>
    }
}

/// The page's card, themed from the query, taking on the browser's zone once interactive.
#[component]
pub fn Frame(state: BookingState, children: Children) -> impl IntoView {
    adopt_browser_preferences(state);
    let theme = Theme::from_query();
    view! {
        <main class="bk" class:bk-embedded=state.embedded class:bk-dark=theme.dark style=theme.style>
            <div class="bk-card">{children()}</div>
            <super::language::LanguagePicker/>
        </main>
    }
}

/// Month, zone and times, then the next steps; refetched when month, zone or a refresh change.
#[component]
pub fn Picker(state: BookingState) -> impl IntoView {
    let times = Resource::new(
        move || {
            let place = (state.team.get(), state.event.get(), state.moving.get_value());
            (place, state.month.get(), state.zone.get(), state.refresh.get())
        },
        |((team, event, moving), month, zone, _)| month_times(team, event, month, zone, moving),
    );
    view! {
        <Transition fallback=|| view! { <section class="bk-pick skeleton" aria-busy="true"></section> }>
            {move || Suspend::new(async move {
                times.await.ok().map(|month| {
                    state.take_linked_time(&month);
                    view! { <Steps state month/> }
                })
            })}
        </Transition>
    }
}

/// `?theme=dark` and `?primary=rrggbb` (from the embed script or a link): anything else is ignored.
struct Theme {
    dark: bool,
    style: Option<String>,
}

impl Theme {
    fn from_query() -> Self {
        let url = page_url();
        let primary = url
            .query("primary")
            .filter(|hex| hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        Self {
            dark: url.query("theme").is_some_and(|t| t == "dark"),
            style: primary.map(|hex| format!("--primary: #{hex}")),
        }
    }
}

/// A fresh state for the event type at `team`/`event`, prefilled from the query.
pub fn new_state(team: Memo<String>, event: Memo<String>, moving: Option<Moving>) -> BookingState {
    let url = page_url();
    let prefill = |name: &str| RwSignal::new(url.query(name).unwrap_or_default());
    // A time chosen by following its link (before the page was interactive) opens its month, in
    // the zone the link names.
    let linked_time = url.query("time").filter(|t| clock::wall_clock(t).is_some());
    let month = linked_time.as_deref().and_then(|t| t.get(..7)).unwrap_or_default();
    BookingState {
        team,
        event,
        moving: StoredValue::new(moving),
        month: RwSignal::new(month.to_owned()),
        zone: RwSignal::new(url.query("zone").unwrap_or_default()),
        linked_time: StoredValue::new(linked_time),
        day: RwSignal::new(None),
        time: RwSignal::new(None),
        step: RwSignal::new(Step::Pick),
        hours: RwSignal::new(HourStyle::H24),
        refresh: RwSignal::new(0),
        attempt: RwSignal::new(String::new()),
        attendee: Attendee {
            name: prefill("name"),
            email: prefill("email"),
            answers: RwSignal::new(BTreeMap::new()),
            guests: RwSignal::new(String::new()),
        },
        questions: RwSignal::new(Vec::new()),
        allow_guests: RwSignal::new(false),
        notice: RwSignal::new(None),
        zones: RwSignal::new(Vec::new()),
        embedded: url.query("embed").is_some_and(|v| v == "1"),
    }
}

/// Once interactive, show times in the browser's zone and hour style.
fn adopt_browser_preferences(state: BookingState) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some((zone, hours)) = super::state::browser_preferences() {
            state.hours.set(hours);
            // Setting the same zone would fetch the same month again.
            if state.zone.get_untracked() != zone {
                state.zone.set(zone);
            }
        }
        super::embed::install(state.embedded);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

#[component]
fn Details(info: EventDetails) -> impl IntoView {
    let hosts = info.hosts.join(", ");
    view! {
        <Title text=format!("{} · {}", info.title, info.team_name)/>
        <section class="bk-details" aria-labelledby="bk-title">
            <p class="bk-team">{info.team_name}</p>
            <h1 id="bk-title">{info.title}</h1>
            <ul class="bk-facts">
                <li>{tf(Key::PageDuration, &[("minutes", &info.duration.to_string())])}</li>
                <li>{info.location}</li>
                {(!hosts.is_empty()).then(|| view! { <li>{tf(Key::PageWithHosts, &[("hosts", &hosts)])}</li> })}
            </ul>
            {(!info.description.is_empty()).then(|| view! { <p class="bk-description">{info.description}</p> })}
        </section>
    }
}

/// The part that changes with each step.
#[component]
fn Steps(state: BookingState, month: FreeMonth) -> impl IntoView {
    let month = StoredValue::new(month);
    move || match state.step.get() {
        Step::Pick => EitherOf4::A(view! {
            <section class="bk-pick" aria-labelledby="bk-pick-title" data-zone=month.with_value(|m| m.zone.clone())>
                <h2 id="bk-pick-title" class="visually-hidden">{t(Key::PagePickTitle)}</h2>
                <p class="bk-notice" role="alert" hidden=move || state.notice.with(Option::is_none)>{move || state.notice.get()}</p>
                <div class="bk-calendar-column">
                    <Calendar state month=month.get_value()/>
                    <ZonePicker state current=month.get_value().zone/>
                </div>
                <TimesColumn state month=month.get_value()/>
            </section>
        }),
        Step::Details => match state.moving.get_value() {
            Some(moving) => EitherOf4::B(view! { <MoveForm state moving zone=month.get_value().zone/> }),
            None => EitherOf4::C(view! { <DetailsForm state zone=month.get_value().zone/> }),
        },
        Step::Done(confirmation) => {
            let heading = if state.moving.with_value(Option::is_some) {
                t(Key::PageMovedTitle)
            } else {
                t(Key::PageScheduledTitle)
            };
            EitherOf4::D(view! { <DoneView confirmation=*confirmation hours=state.hours.get_untracked() heading/> })
        }
    }
}
