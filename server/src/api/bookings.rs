//! The team's bookings: filtered lists and one booking with its history. Members see what they
//! host; admins see the whole team's.

use super::ApiError;
use super::auth::ApiActor;
use super::error::ErrorBody;
use super::manage_dto::*;
use super::parse::{utc, within_reach};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::{FieldErrors, Invalid};
use services::Services;
use services::team_bookings::{BookingChange, BookingFilter, BookingRecord, BookingStatus};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

fn booking_out(record: BookingRecord) -> BookingOut {
    BookingOut {
        uid: record.uid,
        event_type: record.event_type,
        title: record.event_type_title,
        status: record.status,
        start: utc(record.start_at),
        end: utc(record.end_at),
        hosts: record
            .hosts
            .into_iter()
            .map(|(id, name)| HostOut { id, name })
            .collect(),
        attendee: AttendeeOut {
            name: record.attendee_name,
            email: record.attendee_email,
            timezone: record.attendee_timezone,
        },
        notes: record
            .answers
            .iter()
            .find(|a| a.key.as_str() == "notes")
            .map(|a| a.value.display())
            .unwrap_or_default(),
        answers: record
            .answers
            .into_iter()
            .map(|a| AnswerOut {
                key: a.key.to_string(),
                label: a.label,
                kind: a.kind.to_string(),
                value: a.value,
            })
            .collect(),
        guests: record.guests,
        video_meeting: record.meeting.map(|m| VideoMeetingOut {
            provider: m.kind.as_str().to_owned(),
            state: m.state.as_str().to_owned(),
            join_url: m.join_url,
            failure: m.failure,
        }),
        cancel_reason: record.cancel_reason,
        created_at: utc(record.created_at),
    }
}

fn change_out(change: BookingChange) -> ChangeOut {
    ChangeOut {
        kind: change.kind,
        old_start: change.old_start.map(utc),
        old_end: change.old_end.map(utc),
        new_start: change.new_start.map(utc),
        new_end: change.new_end.map(utc),
        reason: change.reason,
        at: utc(change.changed_at),
    }
}

/// An RFC 3339 instant, or a date meaning 00:00 UTC of it (or of the next day, for an end).
fn bound(raw: &str, end: bool, now: i64) -> Result<i64, Invalid> {
    let raw = raw.trim();
    let instant = match chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) => {
            let day = if end { day.succ_opt().unwrap_or(day) } else { day };
            day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp()
        }
        Err(_) => chrono::DateTime::parse_from_rfc3339(raw)
            .map_err(|_| Invalid::new("Use a date like 2026-12-01 or an RFC 3339 time."))?
            .timestamp(),
    };
    within_reach(instant, now)
}

fn number(raw: &str, max: u32) -> Result<u32, Invalid> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| Invalid::new(format!("Use a whole number from 0 to {max}.")))
}

fn filter(query: BookingsQuery, now: i64) -> Result<BookingFilter, FieldErrors> {
    let mut errors = FieldErrors::new();
    let member_id = query.member.and_then(|raw| {
        errors.check(
            "member",
            raw.trim().parse().map_err(|_| Invalid::new("Use a member id.")),
        )
    });
    let status = query.status.and_then(|raw| {
        let parsed = match raw.as_str() {
            "confirmed" => Ok(BookingStatus::Confirmed),
            "cancelled" => Ok(BookingStatus::Cancelled),
            _ => Err(Invalid::new("Use confirmed or cancelled.")),
        };
        errors.check("status", parsed)
    });
    let from = query.from.and_then(|raw| errors.check("from", bound(&raw, false, now)));
    let until = query.to.and_then(|raw| errors.check("to", bound(&raw, true, now)));
    let limit = query
        .limit
        .and_then(|raw| errors.check("limit", number(&raw, MAX_PAGE).and_then(positive)));
    let offset = query
        .offset
        .and_then(|raw| errors.check("offset", number(&raw, 1_000_000)));
    errors.into_result()?;
    Ok(BookingFilter {
        member_id,
        event_type_slug: query
            .event_type
            .map(|s| s.rsplit('/').next().unwrap_or_default().to_owned()),
        status,
        from,
        until,
        newest_first: false,
        limit: limit.unwrap_or(DEFAULT_PAGE),
        offset: offset.unwrap_or(0),
    })
}

fn positive(n: u32) -> Result<u32, Invalid> {
    if n == 0 {
        Err(Invalid::new("Use at least 1."))
    } else {
        Ok(n)
    }
}

#[utoipa::path(get, path = "/api/v1/bookings", tag = "bookings", security(("api_key" = [])), params(BookingsQuery),
    responses((status = 200, body = BookingPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    query: Result<Query<BookingsQuery>, QueryRejection>,
) -> Result<Json<BookingPage>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", e.body_text()))?;
    let filter = filter(query, services.clock().now())?;
    let found = services
        .team_bookings(&actor, &filter)
        .await
        .map_err(ApiError::missing("This member"))?;
    let full = u32::try_from(found.len()).unwrap_or(u32::MAX) >= filter.limit;
    Ok(Json(BookingPage {
        next_offset: full.then(|| filter.offset.saturating_add(filter.limit)),
        bookings: found.into_iter().map(booking_out).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/bookings/{uid}", tag = "bookings", security(("api_key" = [])),
    params(("uid" = String, Path)),
    responses((status = 200, body = BookingDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(uid): Path<String>,
) -> Result<Json<BookingDetail>, ApiError> {
    let (record, history) = services
        .team_booking(&actor, &uid)
        .await
        .map_err(ApiError::missing("This booking"))?;
    Ok(Json(BookingDetail {
        booking: booking_out(record),
        history: history.into_iter().map(change_out).collect(),
    }))
}
