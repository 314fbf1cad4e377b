//! Server functions behind the links in booking emails. The manage token is the only
//! authorization; it arrives in the request body, never in a URL the server logs.

use super::api::{Confirmation, Moving};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A booking as its attendee sees it, times in the attendee's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedBooking {
    pub uid: String,
    pub team: String,
    pub event: String,
    pub team_name: String,
    pub title: String,
    pub start: String,
    pub end: String,
    pub zone: String,
    pub hosts: Vec<String>,
    /// Where to meet, as a label; the link is `join_url`.
    pub location: String,
    pub join_url: Option<String>,
    /// Whether it may still be moved or cancelled online (until `notice_minutes` before it).
    pub changeable: bool,
    /// Whether it may also be moved (its event type is still offered).
    pub movable: bool,
    pub notice_minutes: i64,
    pub ics_url: String,
}

/// The booking behind a manage link; its place is worded in `lang`.
#[server]
pub async fn booking_view(moving: Moving, lang: String) -> Result<ManagedBooking, AppError> {
    let lang = crate::lang::Lang::from_code(&lang).unwrap_or_default();
    let services = crate::ssr::services()?;
    crate::ssr::answer(async move {
        let found = services.attendee_booking(&moving.uid, &moving.token).await?;
        let record = found.record;
        let tz: chrono_tz::Tz = record.attendee_timezone.parse().unwrap_or(chrono_tz::UTC);
        Ok(ManagedBooking {
            start: crate::ssr::rfc3339(record.start_at, tz),
            end: crate::ssr::rfc3339(record.end_at, tz),
            zone: tz.name().to_owned(),
            hosts: found.hosts.into_iter().map(|h| h.name).collect(),
            location: record.location_in(lang),
            join_url: record.meeting_url().map(str::to_owned),
            changeable: found.changeable,
            movable: found.movable,
            notice_minutes: record.change_notice_minutes,
            ics_url: services.manage_links(&record.uid, &moving.token, lang).ics,
            uid: record.uid,
            team: record.team_slug,
            event: record.event_slug,
            team_name: record.team_name,
            title: record.title,
        })
    })
    .await
}

/// Moves the booking to `start` (RFC 3339); the confirmation is in `zone` and `lang`.
#[server]
pub async fn move_booking(moving: Moving, start: String, zone: String, lang: String) -> Result<Confirmation, AppError> {
    let lang = crate::lang::Lang::from_code(&lang).unwrap_or_default();
    let services = crate::ssr::services()?;
    let client = crate::ssr::client_addr();
    crate::ssr::answer(async move {
        services.admit_manage(&moving.uid, client).await?;
        let mut errors = domain::FieldErrors::new();
        let start = super::booking_request::start_time(&start, services.clock().now());
        if start.is_none() {
            errors.add("start", "Pick a time.");
        }
        let zone = errors.check("zone", domain::TimeZoneName::parse(&zone));
        let (Some(start), Some(zone)) = (start, zone) else {
            return Err(errors.into());
        };
        let booked = services.reschedule_booking(&moving.uid, &moving.token, start).await?;
        let record = services.attendee_booking(&moving.uid, &moving.token).await?.record;
        // A reschedule keeps the booking's meeting, so its link is known unless still being made.
        let place = match &record.meeting {
            Some(meeting) if meeting.join_url.is_none() => super::api::Place::Awaiting(record.location_in(lang)),
            _ => super::api::Place::Known(record.location_in(lang), record.meeting_url().map(str::to_owned)),
        };
        Ok(super::api::confirmation(
            &services,
            booked,
            record.title.clone(),
            place,
            (zone.tz(), lang),
        ))
    })
    .await
}

#[server]
pub async fn cancel_my_booking(moving: Moving, reason: String) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let client = crate::ssr::client_addr();
    crate::ssr::answer(async move {
        services.admit_manage(&moving.uid, client).await?;
        let reason = domain::CancelReason::parse(&reason).map_err(|e| domain::FieldErrors::single("reason", e.0))?;
        let reason = reason.as_ref().map(domain::CancelReason::as_str);
        services.cancel_booking(&moving.uid, &moving.token, reason).await
    })
    .await
}
