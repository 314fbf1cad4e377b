use crate::api::{
    ApplyCalendarMove, BookingDetails, CalendarCopy, CancelTeamBooking, HistoryEntry, KeepCalendarCopy, load_booking,
};
use crate::components::{ErrorBanner, failure, field_error, form_error};
use crate::lang::{Dash, d, df};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// One booking: who, when, notes, hosts, status and history, and cancelling it with a reason.
#[component]
pub fn BookingDetailsPage() -> impl IntoView {
    let params = use_params_map();
    let uid = move || params.read().get("uid").unwrap_or_default();
    let cancel = ServerAction::<CancelTeamBooking>::new();
    let copies = CopyActions {
        keep: ServerAction::new(),
        apply: ServerAction::new(),
    };
    let versions = move || cancel.version().get() + copies.keep.version().get() + copies.apply.version().get();
    let booking = Resource::new(move || (uid(), versions()), |(uid, _)| load_booking(uid));
    let cancelled_now = move || cancel.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Title text=d(Dash::BookingDetailsHeading)/>
        <div class="banner banner-success booking-cancelled" role="status" hidden=move || !cancelled_now()>
            {d(Dash::BookingDetailsCancelled)}
        </div>
        <Transition fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match booking.await {
                    Ok(booking) => Either::Left(view! { <Details booking cancel copies/> }),
                    Err(error) => Either::Right(view! {
                        <a class="back-link" href="/dashboard/bookings">{d(Dash::BookingDetailsAllBookings)}</a>
                        <div class="card empty-state"><p class="empty-title">{error.to_string()}</p></div>
                    }),
                }
            })}
        </Transition>
    }
}

/// What a host can do about a change they made to the booked event in their own calendar; kept
/// by the page so the outcome survives the reload it causes.
#[derive(Clone, Copy)]
struct CopyActions {
    keep: ServerAction<KeepCalendarCopy>,
    apply: ServerAction<ApplyCalendarMove>,
}

#[component]
fn Details(booking: BookingDetails, cancel: ServerAction<CancelTeamBooking>, copies: CopyActions) -> impl IntoView {
    let back = format!("/dashboard/bookings?tab={}", booking.tab.as_str());
    let (status, status_class) = if booking.cancelled {
        (d(Dash::BookingDetailsStatusCancelled), "pill pill-cancelled")
    } else {
        (d(Dash::BookingDetailsStatusConfirmed), "pill pill-confirmed")
    };
    let mailto = format!("mailto:{}", booking.attendee_email);
    view! {
        <a class="back-link" href=back>{df(Dash::BookingDetailsBack, &[("tab", booking.tab.label())])}</a>
        <header class="page-header booking-header">
            <div>
                <h1>{booking.event_title}</h1>
                <p class="booking-when">{booking.when}</p>
            </div>
            <span class=status_class>{status}</span>
        </header>
        <section class="card" aria-labelledby="booking-facts">
            <h2 id="booking-facts">{d(Dash::BookingDetailsDetails)}</h2>
            <dl class="facts booking-facts">
                <dt>{d(Dash::BookingDetailsAttendee)}</dt><dd>{booking.attendee_name}</dd>
                <dt>{d(Dash::BookingDetailsEmail)}</dt><dd><a href=mailto>{booking.attendee_email}</a></dd>
                <dt>{d(Dash::BookingDetailsAttendeeZone)}</dt><dd>{booking.attendee_timezone}</dd>
                <dt>{d(Dash::BookingDetailsHosts)}</dt><dd>{booking.hosts}</dd>
                <dt>{d(Dash::BookingDetailsStatus)}</dt><dd>{status}</dd>
                {booking.cancel_reason.map(|reason| view! { <dt>{d(Dash::BookingDetailsCancelReason)}</dt><dd class="pre-line">{reason}</dd> })}
                {(!booking.guests.is_empty()).then(|| view! { <dt>{d(Dash::BookingDetailsGuests)}</dt><dd>{booking.guests.join(", ")}</dd> })}
                {booking.video.map(|video| view! {
                    <dt>{video.label}</dt>
                    <dd>
                        {video.link.map(|link| view! { <a href=link.clone() rel="noopener noreferrer" target="_blank">{link.clone()}</a> })}
                        {video.note}
                    </dd>
                })}
                {booking.answers.into_iter().map(|(question, answer)| view! {
                    <dt>{question}</dt><dd class="pre-line">{answer}</dd>
                }).collect_view()}
            </dl>
        </section>
        <Calendars uid=booking.uid.clone() copies=booking.calendars actions=copies/>
        <History entries=booking.history/>
        {booking.can_cancel.then(|| view! { <CancelPanel uid=booking.uid cancel/> })}
    }
}

/// Each host's calendar copy, so a host can tell whether the booking reached their calendar,
/// and what they did to it there: a deletion about to cancel the booking, or a move it did not
/// follow, with Keep booking (and Apply for a move).
#[component]
fn Calendars(uid: String, copies: Vec<CalendarCopy>, actions: CopyActions) -> impl IntoView {
    let error = form_error(failure(actions.keep.value()));
    let apply_error = form_error(failure(actions.apply.value()));
    let items = copies
        .into_iter()
        .map(|copy| {
            let class = format!("sync sync-{}", copy.tone);
            let member = copy.member_id.to_string();
            let apply = copy.can_apply.then(|| {
                let (uid, member) = (uid.clone(), member.clone());
                view! {
                    <ActionForm action=actions.apply attr:class="sync-action">
                        <input type="hidden" name="uid" value=uid/>
                        <input type="hidden" name="member_id" value=member/>
                        <button type="submit" class="button button-primary">{d(Dash::BookingDetailsMoveThere)}</button>
                    </ActionForm>
                }
            });
            let keep = copy.can_keep.then(|| {
                let uid = uid.clone();
                view! {
                    <ActionForm action=actions.keep attr:class="sync-action">
                        <input type="hidden" name="uid" value=uid/>
                        <input type="hidden" name="member_id" value=member/>
                        <button type="submit" class="button">{d(Dash::BookingDetailsKeepBooking)}</button>
                    </ActionForm>
                }
            });
            view! {
                <li class=class>
                    <span class="sync-host">{copy.host}</span>
                    <span class="sync-status">{copy.status}</span>
                    {copy.change.map(|c| view! { <strong class="sync-change">{c}</strong> })}
                    {copy.detail.map(|d| view! { <span class="muted sync-detail">{d}</span> })}
                    {(copy.can_keep || copy.can_apply).then(|| view! { <div class="sync-actions">{apply}{keep}</div> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="booking-calendars">
            <h2 id="booking-calendars">{d(Dash::BookingDetailsCalendars)}</h2>
            <ErrorBanner message=error/>
            <ErrorBanner message=apply_error/>
            <ul class="sync-list">{items}</ul>
        </section>
    }
}

#[component]
fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    let items = entries
        .into_iter()
        .map(|entry| {
            view! {
                <li>
                    <span class="history-summary">{entry.summary}</span>
                    <span class="muted">{entry.at}</span>
                    {entry.reason.map(|r| view! { <span class="pre-line">{df(Dash::BookingDetailsReason, &[("reason", &r)])}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="booking-history">
            <h2 id="booking-history">{d(Dash::BookingDetailsHistory)}</h2>
            <ol class="history">{items}</ol>
        </section>
    }
}

/// "Cancel booking" opens a short form asking for an optional reason; nothing happens until the
/// host confirms, so a stray click is harmless.
#[component]
fn CancelPanel(uid: String, cancel: ServerAction<CancelTeamBooking>) -> impl IntoView {
    let open = RwSignal::new(false);
    let uid = StoredValue::new(uid);
    let reason_field = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move || {
        if let Some(field) = reason_field.get() {
            let _ = field.focus();
        }
    });
    let outcome = failure(cancel.value());
    let reason_error = field_error(outcome, "reason");
    view! {
        <section class="card cancel-panel" aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">{d(Dash::BookingDetailsCancelHeading)}</h2>
            <p class="muted">{d(Dash::BookingDetailsCancelText)}</p>
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class="button button-danger" on:click=move |_| open.set(true)>
                        {d(Dash::BookingDetailsCancelButton)}
                    </button>
                }
            >
                <ActionForm action=cancel attr:class="form">
                    <ErrorBanner message=form_error(outcome)/>
                    <input type="hidden" name="uid" value=uid.get_value()/>
                    <div class="field" class:field-invalid=move || reason_error.get().is_some()>
                        <label for="field-reason">{d(Dash::BookingDetailsReasonLabel)}</label>
                        <textarea id="field-reason" name="reason" rows="3" maxlength="1000" node_ref=reason_field
                            aria-describedby="field-reason-hint field-reason-error"></textarea>
                        <p class="field-hint" id="field-reason-hint">{d(Dash::BookingDetailsReasonHint)}</p>
                        <p class="field-error" id="field-reason-error" role="alert" hidden=move || reason_error.get().is_none()>
                            {move || reason_error.get()}
                        </p>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-danger-solid" disabled=move || cancel.pending().get()>
                            {move || d(if cancel.pending().get() { Dash::BookingDetailsCancelling } else { Dash::BookingDetailsConfirmCancel })}
                        </button>
                        <button type="button" class="button" on:click=move |_| open.set(false)>{d(Dash::BookingDetailsCancelKeep)}</button>
                    </div>
                </ActionForm>
            </Show>
        </section>
    }
}
