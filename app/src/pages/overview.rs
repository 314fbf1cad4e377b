//! `/dashboard`: what needs the viewer now. Calendar problems first, then a new team's first
//! steps (gone once all are done), the next meetings and the booking links to share.

use super::dashboard::{CalendarAlerts, with_viewer};
use crate::api::{BookingLink, FirstStepRow, Me, NextMeeting, OverviewData, overview};
use crate::components::CopyField;
use crate::error::AppError;
use crate::lang::{Dash, d, df};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OverviewPage() -> impl IntoView {
    // Created here, outside the viewer's Suspense: a resource created inside a Suspense's
    // children is created again on every check and the page would never finish rendering.
    let alerts = Resource::new(|| (), |_| crate::api::calendar_alerts());
    let data = Resource::new(|| (), |_| overview());
    with_viewer(move |me| view! { <Overview me alerts data/> })
}

#[component]
fn Overview(
    me: Me,
    alerts: Resource<Result<Vec<String>, AppError>>,
    data: Resource<Result<OverviewData, AppError>>,
) -> impl IntoView {
    let first_name = me.name.split(' ').next().unwrap_or_default().to_owned();
    view! {
        <Title text=d(Dash::NavOverview)/>
        <header class="page-header">
            <h1>{df(Dash::Welcome, &[("name", &first_name)])}</h1>
        </header>
        <CalendarAlerts alerts/>
        <Suspense fallback=|| view! { <section class="card" aria-busy="true"></section> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! {
                        <FirstSteps steps=data.first_steps/>
                        <div class="overview-grid">
                            <NextMeetings meetings=data.next_meetings team_wide=data.team_wide/>
                            <BookingLinks links=data.booking_links team_page=data.team_page/>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">{d(Dash::Account)}</h2>
            <dl class="facts">
                <dt>{d(Dash::AccountTeam)}</dt><dd>{me.team_name}</dd>
                <dt>{d(Dash::AccountEmail)}</dt><dd>{me.email}</dd>
                <dt>{d(Dash::AccountRole)}</dt><dd>{me.role.as_str()}</dd>
                <dt>{d(Dash::AccountZone)}</dt><dd>{me.timezone}</dd>
            </dl>
        </section>
    }
}

#[component]
fn FirstSteps(steps: Vec<FirstStepRow>) -> impl IntoView {
    if steps.is_empty() {
        return None;
    }
    let done = steps.iter().filter(|s| s.done).count();
    let total = steps.len();
    let items = steps
        .into_iter()
        .map(|step| {
            let state = d(if step.done { Dash::StepDone } else { Dash::StepToDo });
            view! {
                <li class="step" class:step-done=step.done>
                    <span class="step-mark" aria-hidden="true">{if step.done { "✓" } else { "" }}</span>
                    <div>
                        <a href=step.href>{step.label}</a>
                        <span class="visually-hidden">{format!(" ({state})")}</span>
                        <p class="muted">{step.hint}</p>
                    </div>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="card" aria-labelledby="first-steps-title">
            <div class="card-head">
                <h2 id="first-steps-title">{d(Dash::FirstSteps)}</h2>
                <p class="muted">{df(Dash::StepsDone, &[("done", &done.to_string()), ("total", &total.to_string())])}</p>
            </div>
            <progress class="steps-progress" max=total value=done aria-label=d(Dash::StepsProgress)></progress>
            <ol class="steps plain">{items}</ol>
        </section>
    })
}

#[component]
fn NextMeetings(meetings: Vec<NextMeeting>, team_wide: bool) -> impl IntoView {
    let title = d(if team_wide {
        Dash::TeamMeetings
    } else {
        Dash::MyMeetings
    });
    let list = if meetings.is_empty() {
        view! { <p class="muted">{d(Dash::NoMeetings)}</p> }.into_any()
    } else {
        let rows = meetings
            .into_iter()
            .map(|m| view! {
                <li>
                    <a href=format!("/dashboard/bookings/{}", m.uid)>
                        <span class="meeting-when">{m.when}</span>
                        <span class="meeting-what">{df(Dash::MeetingWith, &[("title", &m.title), ("attendee", &m.attendee)])}</span>
                    </a>
                    {team_wide.then(|| view! { <span class="muted meeting-hosts">{df(Dash::MeetingHost, &[("hosts", &m.hosts)])}</span> })}
                </li>
            })
            .collect_view();
        view! { <ul class="meetings plain">{rows}</ul> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="next-meetings-title">
            <div class="card-head">
                <h2 id="next-meetings-title">{title}</h2>
                <a href="/dashboard/bookings">{d(Dash::AllBookings)}</a>
            </div>
            {list}
        </section>
    }
}

#[component]
fn BookingLinks(links: Vec<BookingLink>, team_page: String) -> impl IntoView {
    let body = if links.is_empty() {
        view! {
            <p class="muted">{d(Dash::NoEventTypes)}</p>
            <a class="button button-primary" href="/dashboard/event-types/new">{d(Dash::CreateEventType)}</a>
        }
        .into_any()
    } else {
        let rows = links
            .into_iter()
            .map(|link| view! {
                <li>
                    <p class="link-title">{df(Dash::LinkTitle, &[("title", &link.title), ("minutes", &link.duration.to_string())])}</p>
                    <CopyField id=format!("link-{}", link.slug) label=df(Dash::LinkLabel, &[("title", &link.title)])
                        value=link.url button=d(Dash::CopyLink)/>
                </li>
            })
            .collect_view();
        view! {
            <ul class="booking-links plain">{rows}</ul>
            <p class="muted">{d(Dash::TeamPage)}" "<a href=team_page.clone()>{team_page.clone()}</a></p>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="booking-links-title">
            <div class="card-head">
                <h2 id="booking-links-title">{d(Dash::BookingLinks)}</h2>
                <a href="/dashboard/event-types">{d(Dash::AllEventTypes)}</a>
            </div>
            {body}
        </section>
    }
}
