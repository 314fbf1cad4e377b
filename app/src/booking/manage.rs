//! `/booking/{uid}?token=…[&action=reschedule|cancel]`: the page behind the links in booking
//! emails. It shows the booking, then moves it with the booking page's own calendar or cancels
//! it. Links of cancelled bookings stop working (410), unknown ones are 404.

use super::api::Moving;
use super::clock::{self, HourStyle};
use super::done::JoinLink;
use super::manage_api::{ManagedBooking, booking_view, cancel_my_booking};
use super::page::{Frame, Picker, new_state};
use super::state::{BookingState, focus_soon};
use crate::error::AppError;
use crate::lang::{Key, t, tf};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ManagePage(uid: String) -> impl IntoView {
    let url = super::url::page_url();
    let moving = Moving {
        uid,
        token: url.query("token").unwrap_or_default(),
    };
    let action = url.query("action").unwrap_or_default();
    let found = {
        let moving = moving.clone();
        let lang = crate::lang::page_lang().code();
        Resource::new(|| (), move |()| booking_view(moving.clone(), lang.to_owned()))
    };
    let moving = StoredValue::new(moving);
    let action = StoredValue::new(action);
    view! {
        <Suspense fallback=|| view! { <main class="bk"><div class="bk-card skeleton" aria-busy="true"></div></main> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(booking) => Either::Left(view! {
                        <Managed booking moving=moving.get_value() action=action.get_value()/>
                    }),
                    Err(error) => Either::Right(view! { <LinkProblem error/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Managed(booking: ManagedBooking, moving: Moving, action: String) -> impl IntoView {
    let (team, event) = (booking.team.clone(), booking.event.clone());
    let state = new_state(
        Memo::new(move |_| team.clone()),
        Memo::new(move |_| event.clone()),
        Some(moving.clone()),
    );
    let panel = match action.as_str() {
        "reschedule" if booking.movable => EitherOf3::A(view! { <Picker state/> }),
        "cancel" if booking.changeable => EitherOf3::B(view! { <CancelForm state moving booking=booking.clone()/> }),
        _ => EitherOf3::C(view! { <Choices state moving booking=booking.clone()/> }),
    };
    view! {
        <Frame state>
            <Summary booking hours=state.hours/>
            {panel}
        </Frame>
    }
}

/// The booking as it stands, in the attendee's zone.
#[component]
fn Summary(booking: ManagedBooking, hours: RwSignal<HourStyle>) -> impl IntoView {
    let ManagedBooking {
        title,
        team_name,
        start,
        end,
        zone,
        hosts,
        location,
        join_url,
        ..
    } = booking;
    let when = move || format!("{}, {zone}", clock::span(&start, &end, hours.get()));
    view! {
        <Title text=tf(Key::PageYourBooking, &[("title", &title)])/>
        <section class="bk-details" aria-labelledby="bk-title">
            <p class="bk-team">{team_name}</p>
            <h1 id="bk-title">{title}</h1>
            <dl class="bk-done-facts">
                <dt>{t(Key::PageWhen)}</dt><dd>{when}</dd>
                <dt>{t(Key::PageWith)}</dt><dd>{hosts.join(", ")}</dd>
                <dt>{t(Key::PageWhere)}</dt><dd>{location}" "{join_url.map(|url| view! { <JoinLink url/> })}</dd>
            </dl>
        </section>
    }
}

/// What the attendee may do now, or why they cannot any more.
#[component]
fn Choices(state: BookingState, moving: Moving, booking: ManagedBooking) -> impl IntoView {
    let link = move |action: &str| manage_path(&moving, Some(action), state.embedded);
    view! {
        <section class="bk-form-step" aria-labelledby="bk-choices-title">
            <h2 id="bk-choices-title">{t(Key::PageManageTitle)}</h2>
            {if booking.changeable {
                Either::Left(view! {
                    <p class="bk-info" role="status" hidden=booking.movable>{t(Key::PageNotOffered)}</p>
                    <div class="bk-add">
                        {booking.movable.then(|| view! {
                            <a class="bk-primary bk-link-button" href=link("reschedule")>{t(Key::PageReschedule)}</a>
                        })}
                        <a class="bk-button" href=link("cancel")>{t(Key::PageCancelBooking)}</a>
                    </div>
                })
            } else {
                Either::Right(view! { <p class="bk-info" role="status">{too_late(booking.notice_minutes)}</p> })
            }}
            <p class="bk-muted"><a href=booking.ics_url download="invite.ics">{t(Key::PageDownloadCalendarFile)}</a></p>
        </section>
    }
}

/// Why the booking can no longer be changed online: changes close `notice_minutes` before it.
fn too_late(notice_minutes: i64) -> String {
    if notice_minutes <= 0 {
        return t(Key::PageChangesUntilStart).to_owned();
    }
    tf(
        Key::PageChangesUntil,
        &[("notice", &crate::lang::duration_words(notice_minutes))],
    )
}

#[component]
fn CancelForm(state: BookingState, moving: Moving, booking: ManagedBooking) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let keep = manage_path(&moving, None, state.embedded);
    let moving = StoredValue::new(moving);
    let cancel = Action::new(move |reason: &String| cancel_my_booking(moving.get_value(), reason.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        cancel.dispatch(reason.get_untracked());
    };
    let event_type = format!("{}/{}", booking.team, booking.event);
    let (uid, book_again) = (booking.uid.clone(), format!("/{}/{}", booking.team, booking.event));
    Effect::new(move |_| {
        if let Some(Ok(())) = cancel.value().get() {
            super::embed::post_booking_cancelled(state.embedded, &uid, &event_type);
            focus_soon("bk-cancelled-title".into());
        }
    });
    let error = move || {
        cancel
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(super::form::problem_text))
    };
    move || match cancel.value().get() {
        Some(Ok(())) => Either::Left(view! {
            <section class="bk-done" aria-labelledby="bk-cancelled-title">
                <h2 id="bk-cancelled-title" tabindex="-1">{t(Key::PageCancelledTitle)}</h2>
                <p class="bk-muted">{t(Key::PageCancelledText)}</p>
                <p><a class="bk-button" href=book_again.clone()>{t(Key::PageBookAnother)}</a></p>
            </section>
        }),
        _ => Either::Right(view! {
            <section class="bk-form-step" aria-labelledby="bk-cancel-title">
                <h2 id="bk-cancel-title">{t(Key::PageCancelTitle)}</h2>
                <form class="bk-form" on:submit=submit novalidate=true>
                    <p class="bk-error" role="alert" hidden=move || error().is_none()>{error}</p>
                    <div class="bk-field">
                        <label for="bk-reason">{t(Key::PageCancelReason)}</label>
                        <textarea id="bk-reason" rows="3" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </div>
                    <div class="bk-add">
                        <button type="submit" class="bk-danger" disabled=move || cancel.pending().get()>
                            {move || if cancel.pending().get() { t(Key::PageCancelling) } else { t(Key::PageCancelBooking) }}
                        </button>
                        <a class="bk-button" href=keep.clone()>{t(Key::PageKeepBooking)}</a>
                    </div>
                </form>
            </section>
        }),
    }
}

/// This page again, showing `action` (or the choices), in the same language; it stays without
/// site chrome when embedded.
fn manage_path(moving: &Moving, action: Option<&str>, embedded: bool) -> String {
    let action = action.map(|a| format!("&action={a}")).unwrap_or_default();
    let embed = if embedded { "&embed=1" } else { "" };
    let lang = crate::lang::page_lang().code();
    format!(
        "/booking/{}?token={}{action}{embed}&lang={lang}",
        moving.uid, moving.token
    )
}

/// A link that does not (or no longer) work, with its status: 404 unknown, 410 cancelled.
#[component]
fn LinkProblem(error: AppError) -> impl IntoView {
    let (title, text) = match error {
        AppError::Gone(_) => (t(Key::PageLinkCancelledTitle), t(Key::PageLinkCancelledText).to_owned()),
        AppError::NotFound | AppError::Validation(_) => {
            (t(Key::PageLinkBrokenTitle), t(Key::PageLinkBrokenText).to_owned())
        }
        other => (t(Key::PageWentWrong), super::form::problem_text(&other)),
    };
    view! {
        <Title text=title/>
        <main class="bk">
            <section class="bk-missing" aria-labelledby="missing-title">
                <h1 id="missing-title">{title}</h1>
                <p>{text}</p>
            </section>
        </main>
    }
}
