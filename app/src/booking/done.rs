//! "You are scheduled": the booking in the attendee's zone, add-to-calendar links and the
//! reschedule / cancel links.

use super::api::Confirmation;
use super::clock::{self, HourStyle};
use crate::lang::{Key, t};
use leptos::prelude::*;

#[component]
pub fn DoneView(confirmation: Confirmation, hours: HourStyle, heading: &'static str) -> impl IntoView {
    let when = format!(
        "{}, {}",
        clock::span(&confirmation.start, &confirmation.end, hours),
        confirmation.zone
    );
    let join_url = follow_meeting_link(&confirmation);
    view! {
        <section class="bk-done" aria-labelledby="bk-done-title">
            <div class="bk-check" aria-hidden="true">"✓"</div>
            <h2 id="bk-done-title" tabindex="-1">{heading}</h2>
            <dl class="bk-done-facts">
                <dt>{t(Key::PageWhat)}</dt><dd>{confirmation.title.clone()}</dd>
                <dt>{t(Key::PageWhen)}</dt><dd>{when}</dd>
                <dt>{t(Key::PageWith)}</dt><dd>{confirmation.hosts.join(", ")}</dd>
                <dt>{t(Key::PageWhere)}</dt>
                <dd aria-live="polite">
                    {confirmation.location.clone()}" "
                    {move || join_url.get().map(|url| view! { <JoinLink url/> })}
                </dd>
            </dl>
            <p class="bk-muted">{t(Key::PageInvitationSent)}</p>
            <div class="bk-add" role="group" aria-label=t(Key::PageAddToCalendar)>
                <a class="bk-button" href=confirmation.google_url.clone() target="_blank" rel="noopener">{t(Key::PageGoogleCalendar)}</a>
                <a class="bk-button" href=confirmation.outlook_url.clone() target="_blank" rel="noopener">{t(Key::PageOutlook)}</a>
                <a class="bk-button" href=confirmation.ics_url.clone() download="invite.ics">{t(Key::PageDownloadIcs)}</a>
            </div>
            <p class="bk-manage">
                {t(Key::PageNeedChange)}" "
                <a href=confirmation.reschedule_url.clone() target="_top">{t(Key::PageRescheduleLink)}</a>
                " "{t(Key::PageOr)}" "
                <a href=confirmation.cancel_url.clone() target="_top">{t(Key::PageCancelLink)}</a>
            </p>
        </section>
    }
}

/// How often, and how many times, the confirmation asks whether the video link exists yet: the
/// server waits up to 30 s for it before the emails go.
const LINK_CHECK_MS: u64 = 1000;
const LINK_CHECKS: u32 = 35;

/// The meeting's link, asked for again while the booking's own meeting is being made, until
/// there is one (in the browser only; leaving the page stops it).
fn follow_meeting_link(confirmation: &Confirmation) -> RwSignal<Option<String>> {
    let join_url = RwSignal::new(confirmation.join_url.clone());
    let Some(moving) = confirmation.awaiting_link.clone() else {
        return join_url;
    };
    let checks = RwSignal::new(0u32);
    Effect::new(move |_| {
        if join_url.with(Option::is_some) || checks.get() >= LINK_CHECKS {
            return;
        }
        let moving = moving.clone();
        let ask = move || {
            leptos::task::spawn_local(async move {
                let lang = crate::lang::page_lang().code().to_owned();
                if let Ok(booking) = super::manage_api::booking_view(moving, lang).await {
                    join_url.set(booking.join_url);
                }
                checks.update(|n| *n += 1);
            })
        };
        if let Ok(handle) = set_timeout_with_handle(ask, std::time::Duration::from_millis(LINK_CHECK_MS)) {
            on_cleanup(move || handle.clear());
        }
    });
    join_url
}

/// The link that opens the meeting, named for what it does (a Teams link is a long line of
/// percent-encoded noise).
#[component]
pub fn JoinLink(url: String) -> impl IntoView {
    view! { <a class="bk-join" href=url target="_blank" rel="noopener noreferrer">{t(Key::PageJoinMeeting)}</a> }
}
