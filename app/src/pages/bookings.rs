use crate::api::{
    BookingList, BookingRow, BookingTab, Choice, FilterChoices, Me, booking_filter_choices, list_bookings,
};
use crate::lang::{Dash, d, df};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

/// What the Bookings page shows, kept in the URL (`?tab=past&member=3&event_type=demo`) so a
/// reload, a shared link or the back button brings back the same list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ListState {
    tab: BookingTab,
    member: Option<i64>,
    event_type: Option<String>,
}

impl ListState {
    fn from_query(query: &ParamsMap) -> Self {
        Self {
            tab: BookingTab::parse(&query.get("tab").unwrap_or_default()),
            member: query.get("member").and_then(|m| m.parse().ok()),
            event_type: query.get("event_type").filter(|e| !e.is_empty()),
        }
    }

    fn href(&self) -> String {
        let mut query = ParamsMap::new();
        query.insert("tab", self.tab.as_str().to_owned());
        if let Some(member) = self.member {
            query.insert("member", member.to_string());
        }
        if let Some(event_type) = &self.event_type {
            query.insert("event_type", event_type.clone());
        }
        format!("/dashboard/bookings{}", query.to_query_string())
    }

    fn filtered(&self) -> bool {
        self.member.is_some() || self.event_type.is_some()
    }
}

/// Upcoming, past and cancelled bookings, filtered by member and event type; members see the
/// bookings they host, admins the whole team's.
#[component]
pub fn BookingsPage() -> impl IntoView {
    let query = use_query_map();
    let state = Memo::new(move |_| ListState::from_query(&query.read()));
    let list = Resource::new(move || state.get(), |s| list_bookings(s.tab, s.member, s.event_type));
    // A keyed Resource, not a OnceResource: its load starts at once, while the page's owner (and so
    // the request context the server function reads) still exists.
    let choices = Resource::new(|| (), |_| booking_filter_choices());
    let scope = |me: Me| {
        d(if me.role.is_admin() {
            Dash::BookingsScopeTeam
        } else {
            Dash::BookingsScopeOwn
        })
    };
    view! {
        <Title text=d(Dash::BookingsHeading)/>
        <header class="page-header">
            <div>
                <h1>{d(Dash::BookingsHeading)}</h1>
                <p class="muted">{super::with_viewer(scope)}</p>
            </div>
        </header>
        <Tabs state/>
        <div class="bookings-toolbar">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move { choices.await.map(|choices| view! { <Filters choices state/> }) })}
            </Transition>
            {super::with_viewer(|me| view! { <p class="bookings-zone">{d(Dash::BookingsTimesIn)}" "<strong>{me.timezone}</strong></p> })}
        </div>
        <Transition fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                list.await.map(|list| view! { <BookingListView list state=state.get_untracked()/> })
            })}
        </Transition>
    }
}

#[component]
fn Tabs(state: Memo<ListState>) -> impl IntoView {
    let links = BookingTab::ALL
        .into_iter()
        .map(|tab| {
            let href = move || ListState { tab, ..state.get() }.href();
            let current = move || (state.get().tab == tab).then_some("page");
            view! { <a href=href aria-current=current>{tab.label()}</a> }
        })
        .collect_view();
    view! { <nav class="tabs" aria-label=d(Dash::BookingsTabsLabel)>{links}</nav> }
}

/// The member and event type selects; choosing applies at once by navigating to the new URL.
#[component]
fn Filters(choices: FilterChoices, state: Memo<ListState>) -> impl IntoView {
    let navigate = use_navigate();
    let go = move |next: ListState| navigate(&next.href(), Default::default());
    let member = {
        let go = go.clone();
        move |value: String| {
            go(ListState {
                member: value.parse().ok(),
                ..state.get_untracked()
            })
        }
    };
    let event_type = move |value: String| {
        go(ListState {
            event_type: Some(value).filter(|v| !v.is_empty()),
            ..state.get_untracked()
        })
    };
    let current_member = Signal::derive(move || state.get().member.map(|m| m.to_string()).unwrap_or_default());
    let current_type = Signal::derive(move || state.get().event_type.unwrap_or_default());
    view! {
        <div class="bookings-filters">
            {(!choices.members.is_empty()).then(|| view! {
                <FilterSelect id="filter-member" label=d(Dash::BookingsMember) all=d(Dash::BookingsEveryone) choices=choices.members
                    current=current_member on_pick=member/>
            })}
            <FilterSelect id="filter-event-type" label=d(Dash::BookingsEventType) all=d(Dash::BookingsAllEventTypes) choices=choices.event_types
                current=current_type on_pick=event_type/>
        </div>
    }
}

/// A labelled select whose first option ("all") is the empty value.
#[component]
fn FilterSelect(
    id: &'static str,
    label: &'static str,
    all: &'static str,
    choices: Vec<Choice>,
    current: Signal<String>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    let initial = current.get_untracked();
    let options = choices
        .into_iter()
        .map(|c| {
            let selected = c.value == initial;
            view! { <option value=c.value selected=selected>{c.label}</option> }
        })
        .collect_view();
    view! {
        <div class="field field-compact">
            <label for=id>{label}</label>
            <select id=id prop:value=move || current.get() on:change=move |ev| on_pick(event_target_value(&ev))>
                <option value="" selected=initial.is_empty()>{all}</option>
                {options}
            </select>
        </div>
    }
}

#[component]
fn BookingListView(list: BookingList, state: ListState) -> impl IntoView {
    if list.days.is_empty() {
        return view! { <EmptyList state/> }.into_any();
    }
    let days = list
        .days
        .into_iter()
        .map(|day| {
            let rows = day
                .bookings
                .into_iter()
                .map(|row| view! { <BookingRowView row/> })
                .collect_view();
            view! {
                <section class="booking-day">
                    <h2>{day.date}</h2>
                    <ul class="booking-rows">{rows}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="card booking-list">{days}</div>
        {list.truncated.then(|| view! {
            <p class="muted">{d(Dash::BookingsTruncated)}</p>
        })}
    }
    .into_any()
}

#[component]
fn BookingRowView(row: BookingRow) -> impl IntoView {
    let href = format!("/dashboard/bookings/{}", row.uid);
    view! {
        <li class="booking-row">
            <span class="booking-times">{row.times}</span>
            <span class="booking-who">
                <a class="booking-link" href=href>{row.attendee_name}</a>
                <span class="muted">{row.attendee_email}</span>
            </span>
            <span class="booking-what">
                <span class="booking-event">{row.event_title}</span>
                <span class="muted">{df(Dash::BookingsHostedBy, &[("hosts", &row.hosts)])}</span>
                {row.cancel_reason.map(|reason| view! { <span class="booking-reason">{df(Dash::BookingsReason, &[("reason", &reason)])}</span> })}
            </span>
        </li>
    }
}

#[component]
fn EmptyList(state: ListState) -> impl IntoView {
    let message = df(Dash::BookingsEmpty, &[("tab", &state.tab.label().to_lowercase())]);
    let clear = ListState {
        tab: state.tab,
        ..ListState::default()
    };
    let hint = if state.filtered() {
        view! { <p class="muted">{d(Dash::BookingsNoMatch)}" "<a href=clear.href()>{d(Dash::BookingsShowAll)}</a></p> }
            .into_any()
    } else {
        let text = d(match state.tab {
            BookingTab::Upcoming => Dash::BookingsEmptyUpcoming,
            BookingTab::Past => Dash::BookingsEmptyPast,
            BookingTab::Cancelled => Dash::BookingsEmptyCancelled,
        });
        view! { <p class="muted">{text}</p> }.into_any()
    };
    view! {
        <div class="card empty-state">
            <p class="empty-title">{message}</p>
            {hint}
        </div>
    }
}
