//! Server functions of the public booking pages. Anyone may call them; they only read active
//! event types and free times, and book through the same service as the JSON API.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the page shows about the event type before any time is picked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetails {
    pub team_name: String,
    pub title: String,
    pub description: String,
    pub duration: i64,
    pub location: String,
    pub hosts: Vec<String>,
    /// Asked beyond name and email, in order (hidden ones too: they may be prefilled).
    pub questions: Vec<AskedQuestion>,
    pub allow_guests: bool,
}

/// A booking question as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedQuestion {
    pub key: String,
    /// `short_text`, `long_text`, `phone`, `single_choice`, `dropdown`, `multiple_choice`,
    /// `checkbox` or `number`.
    pub kind: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub hidden: bool,
    pub options: Vec<String>,
}

/// One free time; both ends RFC 3339 with the viewer's offset, so the browser can show the
/// local wall clock without a time zone database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeTime {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayTimes {
    /// `YYYY-MM-DD` in the viewer's zone.
    pub date: String,
    pub times: Vec<FreeTime>,
}

/// The free times of one month in one zone; days without any are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeMonth {
    pub zone: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The current month in `zone`: the calendar does not go back past it.
    pub this_month: String,
    pub days: Vec<DayTimes>,
}

/// A confirmed booking as the attendee sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub uid: String,
    pub title: String,
    pub start: String,
    pub end: String,
    pub zone: String,
    pub hosts: Vec<String>,
    /// Where to meet, as a label ("Google Meet"); the link is `join_url`.
    pub location: String,
    /// The link that opens the meeting, once there is one.
    pub join_url: Option<String>,
    pub reschedule_url: String,
    pub cancel_url: String,
    /// The booking's `.ics` file (the same invitation the emails carry).
    pub ics_url: String,
    pub google_url: String,
    pub outlook_url: String,
    /// Set while the booking's own video meeting is being made: the confirmation asks for the
    /// booking again until `location` carries the link.
    pub awaiting_link: Option<Moving>,
}

/// The event type's details, its place worded in `lang`.
#[server]
pub async fn event_info(team: String, event: String, lang: String) -> Result<EventDetails, AppError> {
    let lang = crate::lang::Lang::from_code(&lang).unwrap_or_default();
    let services = crate::ssr::services()?;
    crate::ssr::answer(async move {
        let event_type = services.cached_event_type(&team, &event).await?;
        let hosts = services.host_rules(&event_type).await?;
        let team_name = services.team().await?.name;
        let questions = services.event_type_questions(event_type.id).await?;
        Ok(EventDetails {
            questions: questions
                .into_iter()
                .map(|q| AskedQuestion {
                    key: q.key.to_string(),
                    kind: q.kind.to_string(),
                    label: q.label,
                    help: q.help,
                    required: q.required,
                    hidden: q.hidden,
                    options: q.options,
                })
                .collect(),
            allow_guests: event_type.allow_guests,
            team_name,
            title: event_type.title.clone(),
            description: event_type.description.clone(),
            duration: event_type.duration_minutes,
            location: services::event_types::location_label_in(
                lang,
                &event_type.location_kind,
                &event_type.location_detail,
            ),
            hosts: hosts.iter().map(|h| h.member.name.clone()).collect(),
        })
    })
    .await
}

/// A booking being moved to another time, by whoever holds its manage link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moving {
    pub uid: String,
    pub token: String,
}

/// Free times in `month` (`YYYY-MM`; empty: the first month from now with any, looking up to
/// two months ahead) in `zone` (empty: the first host's). While `moving` a booking, its own
/// time counts as free.
#[server]
pub async fn month_times(
    team: String,
    event: String,
    month: String,
    zone: String,
    moving: Option<Moving>,
) -> Result<FreeMonth, AppError> {
    crate::ssr::admit(services::limits::PublicAction::Slots)?;
    let services = crate::ssr::services()?;
    crate::ssr::answer(async move {
        let place = super::month_times::Place {
            team: &team,
            event: &event,
            moving: moving.as_ref(),
        };
        super::month_times::load(&services, place, &month, &zone).await
    })
    .await
}

/// The booking form as sent: `start` is RFC 3339; `attempt` is the page's idempotency key for
/// this choice of time, so a double click or a retry after a lost answer returns the same booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingForm {
    pub team: String,
    pub event: String,
    pub start: String,
    pub name: String,
    pub email: String,
    /// Answers by question key; a multiple choice sends several values. (Defaults, since the
    /// URL encoding leaves an empty map or text out altogether.)
    #[serde(default)]
    pub answers: std::collections::BTreeMap<String, Vec<String>>,
    /// Guests' addresses, separated by commas, spaces or lines.
    #[serde(default)]
    pub guests: String,
    pub zone: String,
    pub attempt: String,
    /// The page's language: the booking's emails and reminders are written in it.
    #[serde(default)]
    pub language: String,
}

#[server]
pub async fn book_time(form: BookingForm) -> Result<Confirmation, AppError> {
    crate::ssr::admit(services::limits::PublicAction::Book {
        email: form.email.trim(),
    })?;
    let services = crate::ssr::services()?;
    crate::ssr::answer(async move {
        let request = super::booking_request::parse(&form, services.clock().now())?;
        let event_type = services.public_event_type(&form.team, &form.event).await?;
        let booked = services
            .book(
                &event_type,
                request.start,
                &request.attendee,
                Some(&request.idempotency),
            )
            .await?;
        let location = services::event_types::location_label_in(
            request.attendee.language,
            &event_type.location_kind,
            &event_type.location_detail,
        );
        let place = match services::conferencing::MeetingKind::parse(&event_type.location_kind) {
            Some(_) => Place::Awaiting(location),
            None => Place::Known(
                location,
                services::event_types::fixed_meeting_url(&event_type.location_detail).map(str::to_owned),
            ),
        };
        Ok(confirmation(
            &services,
            booked,
            event_type.title,
            place,
            (request.attendee.timezone.tz(), request.attendee.language),
        ))
    })
    .await
}

/// Where a confirmed booking meets: a label and its link if known, or a label while the
/// booking's own meeting is being made.
#[cfg(feature = "ssr")]
pub(crate) enum Place {
    Known(String, Option<String>),
    Awaiting(String),
}

/// What the attendee sees once a time is theirs (booked or moved), in their zone.
#[cfg(feature = "ssr")]
pub(crate) fn confirmation(
    services: &services::Services,
    booked: services::bookings::Booked,
    title: String,
    place: Place,
    (tz, lang): (chrono_tz::Tz, crate::lang::Lang),
) -> Confirmation {
    let (location, join_url, awaiting_link) = match place {
        Place::Known(location, join_url) => (location, join_url, None),
        Place::Awaiting(location) => {
            let moving = Moving {
                uid: booked.uid.clone(),
                token: booked.manage_token.clone(),
            };
            (location, None, Some(moving))
        }
    };
    let links = services.manage_links(&booked.uid, &booked.manage_token, lang);
    let description = links.description();
    let entry = services::calendar_links::CalendarEntry {
        title: &title,
        start: booked.start,
        end: booked.end,
        details: &description,
        location: &location,
    };
    Confirmation {
        google_url: entry.google(),
        outlook_url: entry.outlook(),
        uid: booked.uid,
        start: crate::ssr::rfc3339(booked.start, tz),
        end: crate::ssr::rfc3339(booked.end, tz),
        zone: tz.name().to_owned(),
        hosts: booked.hosts.into_iter().map(|(_, name)| name).collect(),
        title,
        location,
        join_url,
        reschedule_url: links.reschedule,
        cancel_url: links.cancel,
        ics_url: links.ics,
        awaiting_link,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamListing {
    pub slug: String,
    pub name: String,
    pub event_types: Vec<ListedEventType>,
    pub empty: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedEventType {
    pub slug: String,
    pub title: String,
    pub duration: i64,
    pub location: String,
}

/// The team's active event types, places worded in `lang`.
#[server]
pub async fn team_event_types(team: String, lang: String) -> Result<TeamListing, AppError> {
    let lang = crate::lang::Lang::from_code(&lang).unwrap_or_default();
    let services = crate::ssr::services()?;
    crate::ssr::answer(async move {
        let found = services.public_event_types(&team).await?;
        let name = services.team().await?.name;
        Ok(TeamListing {
            empty: found.is_empty(),
            event_types: found
                .into_iter()
                .map(|e| ListedEventType {
                    location: services::event_types::location_label_in(lang, &e.location_kind, &e.location_detail),
                    slug: e.slug,
                    title: e.title,
                    duration: e.duration_minutes,
                })
                .collect(),
            slug: team,
            name,
        })
    })
    .await
}
