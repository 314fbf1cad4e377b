//! The dashboard's bookings: lists by tab and filter, one booking with its history, cancelling.
//! Times leave the server already written in the viewer's own zone, so the browser needs no
//! time zone data and every viewer sees the same wording the server would use in emails.

#[cfg(feature = "ssr")]
mod present;

use super::Choice;
use crate::error::AppError;
use crate::lang::{Dash, d};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

// Each server function below takes `services()` before its first await: a dashboard page rendered
// on the server can be built twice, and the copy thrown away finishes its loads after its reactive
// owner is gone, when `use_context` finds nothing (the API keys page shows it on a direct load).

/// The three lists of the Bookings page, named as in its URL (`?tab=past`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BookingTab {
    #[default]
    Upcoming,
    Past,
    Cancelled,
}

impl BookingTab {
    pub const ALL: [Self; 3] = [Self::Upcoming, Self::Past, Self::Cancelled];

    /// Anything unknown (a stale or hand-edited link) falls back to the upcoming list.
    pub fn parse(raw: &str) -> Self {
        Self::ALL.into_iter().find(|t| t.as_str() == raw).unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Past => "past",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Upcoming => d(Dash::BookingsTabUpcoming),
            Self::Past => d(Dash::BookingsTabPast),
            Self::Cancelled => d(Dash::BookingsTabCancelled),
        }
    }
}

/// One booking in a list, its times already written in the viewer's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRow {
    pub uid: String,
    /// "10:00–10:30" (with the end's date when the meeting crosses midnight).
    pub times: String,
    pub event_title: String,
    pub attendee_name: String,
    pub attendee_email: String,
    pub hosts: String,
    pub cancel_reason: Option<String>,
}

/// The bookings of one calendar day in the viewer's zone, headed "Tuesday 19 January 2027".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDay {
    pub date: String,
    pub bookings: Vec<BookingRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingList {
    pub days: Vec<BookingDay>,
    /// The list stopped at [`PAGE_SIZE`] bookings; narrower filters show the rest.
    pub truncated: bool,
}

/// How many bookings one list shows at most.
pub const PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoices {
    /// Empty for a member who is not an admin: they only ever see the bookings they host.
    pub members: Vec<Choice>,
    pub event_types: Vec<Choice>,
}

/// One line of a booking's history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// "Booked for …", "Rescheduled from … to …", "Cancelled".
    pub summary: String,
    /// When it happened, in the viewer's zone.
    pub at: String,
    pub reason: Option<String>,
}

/// One host's calendar copy of the booking, worded for the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarCopy {
    pub member_id: i64,
    pub host: String,
    /// "Added to Google Calendar", "Waiting to be written to Google Calendar", …
    pub status: String,
    /// `ok`, `waiting` or `problem`, for the status dot.
    pub tone: String,
    /// The provider's last complaint, while retrying or after giving up.
    pub detail: Option<String>,
    /// What the host did to the event in their calendar: "Moved in Outlook Calendar to …".
    pub change: Option<String>,
    /// The host deleted or moved the event and the booking did not follow: "Keep booking"
    /// writes it back as booked.
    pub can_keep: bool,
    /// A flagged move the booking can follow with one click.
    pub can_apply: bool,
}

/// A booking's own video meeting, as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoMeeting {
    /// "Google Meet".
    pub label: String,
    pub link: Option<String>,
    /// Why there is no link yet, or at all.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDetails {
    pub uid: String,
    pub event_title: String,
    /// "Tue 19 Jan 2027, 10:00–10:30 (Europe/Berlin)".
    pub when: String,
    pub cancelled: bool,
    pub attendee_name: String,
    pub attendee_email: String,
    pub attendee_timezone: String,
    /// Each question as it was asked, and the answer shown as text.
    pub answers: Vec<(String, String)>,
    pub guests: Vec<String>,
    /// The video meeting made for the booking: what it is, and its link or why there is none.
    pub video: Option<VideoMeeting>,
    pub hosts: String,
    pub cancel_reason: Option<String>,
    pub history: Vec<HistoryEntry>,
    pub calendars: Vec<CalendarCopy>,
    /// Confirmed and not yet started: the only bookings the page offers to cancel.
    pub can_cancel: bool,
    /// The list this booking appears in, for the way back.
    pub tab: BookingTab,
}

#[server]
pub async fn list_bookings(
    tab: BookingTab,
    member: Option<i64>,
    event_type: Option<String>,
) -> Result<BookingList, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let filter = present::filter(tab, member, event_type, services.clock().now());
    let records = services.team_bookings(&viewer, &filter).await?;
    Ok(present::list(records, &viewer.timezone))
}

#[server]
pub async fn booking_filter_choices() -> Result<FilterChoices, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let members = if viewer.role.is_admin() {
        services.members(&viewer).await?
    } else {
        Vec::new()
    };
    let event_types = services.team_event_types(&viewer).await?;
    Ok(present::choices(members, event_types))
}

#[server]
pub async fn load_booking(uid: String) -> Result<BookingDetails, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let (record, history) = services.team_booking(&viewer, &uid).await?;
    let calendars = services.calendar_sync(record.id).await?;
    Ok(present::details(
        record,
        history,
        &calendars,
        &viewer.timezone,
        services.clock().now(),
    ))
}

/// "Keep booking": the booking stays as booked and its event is written back to the host's calendar.
#[server]
pub async fn keep_calendar_copy(uid: String, member_id: i64) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    services.keep_calendar_copy(&viewer, &uid, member_id).await?;
    Ok(())
}

/// Moves the booking where its host moved the event (a flagged move), telling the attendee.
#[server]
pub async fn apply_calendar_move(uid: String, member_id: i64) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    services.apply_calendar_move(&viewer, &uid, member_id).await?;
    Ok(())
}

/// Cancels as a host or admin; an empty reason is no reason.
#[server]
pub async fn cancel_team_booking(uid: String, reason: String) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let mut errors = domain::FieldErrors::new();
    let Some(reason) = errors.check("reason", domain::CancelReason::parse(&reason)) else {
        return Err(crate::ssr::invalid(errors));
    };
    let reason = reason.as_ref().map(domain::CancelReason::as_str);
    services.cancel_booking_as(&viewer, &uid, reason).await?;
    Ok(())
}
