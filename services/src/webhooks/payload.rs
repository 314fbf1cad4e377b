//! The body of a delivery, version 1: the booking as it stood when the change committed, read
//! inside that transaction. Documented in the OpenAPI document's `webhooks` section (the server
//! derives it from these types) and in the README.
//!
//! Deliveries to one endpoint may arrive out of order (retries), so the booking's `sequence`
//! tells receivers which state is newer.

use crate::ServiceError;
use crate::booking_record::{self, BookingRecord, HostRecord};
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sqlx::AnyConnection;

pub const VERSION: u32 = 1;

/// What every delivery's body is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Envelope {
    /// The delivery's id, also in the `Rendezvous-Delivery` header: the same on every retry and
    /// resend, so receivers can drop duplicates.
    pub id: String,
    /// `booking.created`, `booking.rescheduled`, `booking.cancelled`, `booking.host_changed`,
    /// `booking.host_calendar_changed` or `webhook.test`.
    pub event: String,
    /// The payload version, 1.
    pub version: u32,
    /// When the change happened (UTC).
    pub created_at: String,
    pub booking: BookingPayload,
    /// For `booking.host_calendar_changed`: what the co-host did to their copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_change: Option<CalendarChangePayload>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingPayload {
    pub uid: String,
    /// `confirmed` or `cancelled`.
    pub status: String,
    /// Grows with every change of the booking; the greatest one a receiver saw is the newest state.
    pub sequence: i64,
    /// UTC, e.g. `2027-01-18T09:00:00Z`.
    pub start: String,
    pub end: String,
    /// The same instants with the attendee's offset, e.g. `2027-01-18T04:00:00-05:00`.
    pub attendee_start: String,
    pub attendee_end: String,
    /// For `booking.rescheduled`: the start before the move (UTC).
    pub previous_start: Option<String>,
    /// Why it last changed, e.g. "Moved in Google Calendar by the host".
    pub change_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub location: LocationPayload,
    pub event_type: EventTypePayload,
    /// Current hosts; the first is the organizer.
    pub hosts: Vec<HostPayload>,
    pub attendee: AttendeePayload,
    pub guests: Vec<String>,
    /// The answers to the event type's questions, with each question as it was asked.
    pub answers: Vec<AnswerPayload>,
    /// Links for the team's side (never the attendee's manage links).
    pub host_urls: HostUrls,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationPayload {
    /// `video`, `phone`, `in_person`, `custom`, `google_meet` or `microsoft_teams` (the last two
    /// make a meeting for each booking).
    pub kind: String,
    /// As attendees read it, e.g. "Video call".
    pub label: String,
    /// The meeting link, when there is one.
    pub url: Option<String>,
    /// For a meeting made per booking: `pending` (the link follows, as
    /// `booking.video_link_ready`), `ready` or `failed` (the provider refused; the host sends a
    /// link).
    pub video_link: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventTypePayload {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub duration_minutes: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostPayload {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendeePayload {
    pub name: String,
    pub email: String,
    /// IANA zone, e.g. `America/New_York`.
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerPayload {
    /// The question's stable key.
    pub key: String,
    pub label: String,
    /// `short_text`, `long_text`, `phone` (E.164), `single_choice`, `dropdown`,
    /// `multiple_choice`, `checkbox` or `number`.
    pub kind: String,
    /// A string, an array of strings (multiple choice) or a boolean (checkbox).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostUrls {
    /// The booking in the dashboard.
    pub dashboard: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarChangePayload {
    /// The co-host, by name.
    pub by: String,
    /// "Google Calendar", "Outlook".
    pub calendar: String,
    /// Where they moved their copy (UTC); both absent: they deleted it.
    pub moved_to_start: Option<String>,
    pub moved_to_end: Option<String>,
}

pub(crate) fn utc(at: i64) -> String {
    DateTime::<Utc>::from_timestamp(at, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn local(at: i64, zone: &str) -> String {
    let zone: Tz = zone.parse().unwrap_or(Tz::UTC);
    DateTime::<Utc>::from_timestamp(at, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The booking as this transaction sees it; `dashboard_base` is the public URL's origin.
pub(crate) async fn booking(
    tx: &mut AnyConnection,
    booking_id: i64,
    previous_start: Option<i64>,
    dashboard_base: &str,
) -> Result<BookingPayload, ServiceError> {
    let mut record = booking_record::by_id(&mut *tx, booking_id)
        .await?
        .ok_or_else(|| ServiceError::internal(anyhow::anyhow!("booking {booking_id} vanished in its own change")))?;
    record.meeting = crate::conferencing::load(&mut *tx, booking_id).await?;
    let hosts = booking_record::hosts(&mut *tx, booking_id).await?;
    let answers = crate::questions::booking_answers(&mut *tx, booking_id).await?;
    let guests = crate::questions::booking_guests(&mut *tx, booking_id).await?;
    let change_reason: Option<Option<String>> =
        sqlx::query_scalar("SELECT reason FROM booking_changes WHERE booking_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(booking_id)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(BookingPayload {
        answers: answers
            .into_iter()
            .map(|a| AnswerPayload {
                key: a.key.to_string(),
                label: a.label,
                kind: a.kind.as_str().to_owned(),
                value: serde_json::to_value(&a.value).unwrap_or_default(),
            })
            .collect(),
        guests,
        change_reason: change_reason.flatten(),
        previous_start: previous_start.map(utc),
        host_urls: HostUrls {
            dashboard: format!("{dashboard_base}/dashboard/bookings/{}", record.uid),
        },
        ..from_record(&record, &hosts)
    })
}

/// Everything the booking's own rows say.
fn from_record(record: &BookingRecord, hosts: &[HostRecord]) -> BookingPayload {
    BookingPayload {
        uid: record.uid.clone(),
        status: record.status.clone(),
        sequence: record.sequence,
        start: utc(record.start_at),
        end: utc(record.end_at),
        attendee_start: local(record.start_at, &record.attendee_timezone),
        attendee_end: local(record.end_at, &record.attendee_timezone),
        previous_start: None,
        change_reason: None,
        cancel_reason: record.cancel_reason.clone(),
        location: LocationPayload {
            kind: record.location_kind.clone(),
            label: record.location(),
            url: record.meeting_url().map(str::to_owned),
            video_link: record.meeting.as_ref().map(|m| m.state.as_str().to_owned()),
        },
        event_type: EventTypePayload {
            id: record.event_type_id,
            slug: record.event_slug.clone(),
            title: record.title.clone(),
            duration_minutes: (record.end_at - record.start_at) / 60,
        },
        hosts: hosts
            .iter()
            .map(|h| HostPayload {
                id: h.id,
                name: h.name.clone(),
                email: h.email.clone(),
                timezone: h.timezone.clone(),
            })
            .collect(),
        attendee: AttendeePayload {
            name: record.attendee_name.clone(),
            email: record.attendee_email.clone(),
            timezone: record.attendee_timezone.clone(),
        },
        guests: Vec::new(),
        answers: Vec::new(),
        host_urls: HostUrls {
            dashboard: String::new(),
        },
    }
}

/// What "Send test event" sends: a made-up booking in the real shape.
pub(crate) fn sample(now: i64, dashboard_base: &str) -> BookingPayload {
    let start = now - now % 3600 + 86_400;
    let zone = "America/New_York";
    BookingPayload {
        uid: "test0000000000000000".into(),
        status: "confirmed".into(),
        sequence: 0,
        start: utc(start),
        end: utc(start + 1800),
        attendee_start: local(start, zone),
        attendee_end: local(start + 1800, zone),
        previous_start: None,
        change_reason: None,
        cancel_reason: None,
        location: LocationPayload {
            kind: "video".into(),
            label: "Video call".into(),
            url: None,
            video_link: None,
        },
        event_type: EventTypePayload {
            id: 0,
            slug: "test".into(),
            title: "Test event".into(),
            duration_minutes: 30,
        },
        hosts: vec![HostPayload {
            id: 0,
            name: "Test Host".into(),
            email: "host@example.com".into(),
            timezone: "Europe/Berlin".into(),
        }],
        attendee: AttendeePayload {
            name: "Test Attendee".into(),
            email: "attendee@example.com".into(),
            timezone: zone.into(),
        },
        guests: vec!["guest@example.com".into()],
        answers: vec![AnswerPayload {
            key: "company".into(),
            label: "Company".into(),
            kind: "short_text".into(),
            value: serde_json::Value::String("Acme".into()),
        }],
        host_urls: HostUrls {
            dashboard: format!("{dashboard_base}/dashboard/bookings"),
        },
    }
}
