//! "You are scheduled": the booking in the attendee's zone, add-to-calendar links and the
//! reschedule / cancel links.

use super::api::Confirmation;
use super::clock::{self, HourStyle};
use leptos::prelude::*;

#[component]
pub fn DoneView(confirmation: Confirmation, hours: HourStyle, heading: &'static str) -> impl IntoView {
    let when = format!(
        "{}, {}",
        clock::span(&confirmation.start, &confirmation.end, hours),
        confirmation.zone
    );
    view! {
        <section class="bk-done" aria-labelledby="bk-done-title">
            <div class="bk-check" aria-hidden="true">"✓"</div>
            <h2 id="bk-done-title" tabindex="-1">{heading}</h2>
            <dl class="bk-done-facts">
                <dt>"What"</dt><dd>{confirmation.title.clone()}</dd>
                <dt>"When"</dt><dd>{when}</dd>
                <dt>"With"</dt><dd>{confirmation.hosts.join(", ")}</dd>
                <dt>"Where"</dt><dd>{confirmation.location.clone()}</dd>
            </dl>
            <p class="bk-muted">"The calendar invitation is on its way to your email."</p>
            <div class="bk-add" role="group" aria-label="Add to your calendar">
                <a class="bk-button" href=confirmation.google_url.clone() target="_blank" rel="noopener">"Google Calendar"</a>
                <a class="bk-button" href=confirmation.outlook_url.clone() target="_blank" rel="noopener">"Outlook"</a>
                <a class="bk-button" href=confirmation.ics_url.clone() download="invite.ics">"Download .ics"</a>
            </div>
            <p class="bk-manage">
                "Need a change? "
                <a href=confirmation.reschedule_url.clone() target="_top">"Reschedule"</a>
                " or "
                <a href=confirmation.cancel_url.clone() target="_top">"cancel"</a>
                "."
            </p>
        </section>
    }
}
