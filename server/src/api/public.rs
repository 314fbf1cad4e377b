//! Unauthenticated endpoints used by booking pages, widgets and customers' own integrations.

use super::ApiError;
use super::auth::MaybeApiActor;
use super::dto::*;
use super::parse::{date, event_type_ref, instant, json_body, required, rfc3339};
use crate::client::Client;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use chrono_tz::Tz;
use domain::{CancelReason, DisplayName, Email, FieldErrors, RawAnswer, TimeZoneName};
use services::Services;
use services::bookings::{Attendee, Booked, Idempotency};
use services::event_types::EventType;
use services::limits::PublicAction;
use std::sync::Arc;

/// Longest date range one slots request may cover.
const MAX_DAYS: i64 = 62;

#[utoipa::path(
    get, path = "/api/v1/event-types/{team}/{slug}", tag = "public",
    params(("team" = String, Path, example = "acme"), ("slug" = String, Path, example = "demo")),
    responses((status = 200, body = PublicEventType), (status = 404, body = super::error::ErrorBody))
)]
pub async fn event_type(
    State(services): State<Services>,
    Path((team, slug)): Path<(String, String)>,
) -> Result<Json<PublicEventType>, ApiError> {
    let event_type = find_cached(&services, &team, &slug).await?;
    let hosts = services.host_rules(&event_type).await?;
    let questions = services.event_type_questions(event_type.id).await?;
    Ok(Json(PublicEventType {
        questions: questions.into_iter().map(Into::into).collect(),
        allow_guests: event_type.allow_guests,
        event_type: format!("{team}/{slug}"),
        title: event_type.title.clone(),
        description: event_type.description.clone(),
        duration: event_type.duration_minutes,
        location_kind: event_type.location_kind.clone(),
        hosts: hosts.iter().map(|h| h.member.name.clone()).collect(),
    }))
}

#[utoipa::path(
    get, path = "/api/v1/slots", tag = "public", params(SlotsQuery),
    responses(
        (status = 200, body = Slots),
        (status = 404, body = super::error::ErrorBody, description = "Unknown or inactive event type"),
        (status = 422, body = super::error::ErrorBody, description = "A parameter is missing or invalid"),
        (status = 429, body = super::error::ErrorBody, description = "Too many requests from this client (or for this attendee); `Retry-After` says when to try again")
    )
)]
pub async fn slots(
    State(services): State<Services>,
    Client(client): Client,
    query: Result<Query<SlotsQuery>, QueryRejection>,
) -> Result<Json<Slots>, ApiError> {
    services.admit(PublicAction::Slots, client)?;
    let Query(query) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", e.body_text()))?;
    let mut errors = FieldErrors::new();
    let reference = errors.check("event_type", event_type_ref(query.event_type.as_deref()));
    let zone = errors.check(
        "timezone",
        TimeZoneName::parse(query.timezone.as_deref().unwrap_or_default()),
    );
    let now = services.clock().now();
    let first = errors.check("start", date(query.start.as_deref(), now));
    let last = errors.check("end", date(query.end.as_deref(), now));
    if let (Some(first), Some(last)) = (first, last) {
        if last < first {
            errors.add("end", "The end date must not be before the start date.");
        } else if (last - first).num_days() + 1 > MAX_DAYS {
            errors.add("end", format!("A request covers at most {MAX_DAYS} days."));
        }
    }
    let (Some((team, slug)), Some(zone), Some(first), Some(last)) = (reference, zone, first, last) else {
        return Err(errors.into());
    };
    errors.into_result()?;
    let event_type = find_cached(&services, &team, &slug).await?;
    let tz = zone.tz();
    let found = services.slots_by_day(&event_type, (first, last), tz, None).await?;
    // One table of the zone's offsets for the whole response, not a tz-database search per time.
    let first_start = found.first().and_then(|(_, list)| list.first()).map_or(0, |s| s.start);
    let last_end = found.last().and_then(|(_, list)| list.last()).map_or(0, |s| s.end);
    let offsets = engine::ZoneWindow::new(tz, first_start, last_end.saturating_add(1));
    let at = |instant| domain::OffsetTime {
        instant,
        offset: offsets.offset_at(instant),
    };
    let shown = |list: &[engine::Slot]| {
        list.iter()
            .map(|s| SlotTimes {
                start: at(s.start),
                end: at(s.end),
            })
            .collect()
    };
    let days = found
        .into_iter()
        .map(|(day, list)| (day.to_string(), shown(&list)))
        .collect();
    Ok(Json(Slots {
        event_type: format!("{team}/{slug}"),
        timezone: zone.to_string(),
        duration: event_type.duration_minutes,
        slots: days,
    }))
}

#[utoipa::path(
    post, path = "/api/v1/bookings", tag = "public", request_body = NewBooking,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body replay the first response")),
    responses(
        (status = 201, body = BookingCreated),
        (status = 400, body = super::error::ErrorBody, description = "Malformed JSON"),
        (status = 404, body = super::error::ErrorBody, description = "Unknown or inactive event type"),
        (status = 409, body = super::error::ErrorBody, description = "The time is not (or no longer) a free slot"),
        (status = 422, body = super::error::ErrorBody, description = "A field is missing or invalid"),
        (status = 429, body = super::error::ErrorBody, description = "Too many requests from this client (or for this attendee); `Retry-After` says when to try again")
    )
)]
pub async fn create_booking(
    State(services): State<Services>,
    Client(client): Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<BookingCreated>), ApiError> {
    let input: NewBooking = json_body(&body)?;
    let (reference, start, attendee) = parse_booking(input, services.clock().now())?;
    services.admit(
        PublicAction::Book {
            email: attendee.email.as_str(),
        },
        client,
    )?;
    let idempotency = idempotency(&headers, &body)?;
    let event_type = find(&services, &reference.0, &reference.1).await?;
    let booked = services
        .book(&event_type, start, &attendee, idempotency.as_ref())
        .await?;
    let created = render(
        &services,
        &booked,
        format!("{}/{}", reference.0, reference.1),
        (attendee.timezone.tz(), attendee.language),
    );
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    post, path = "/api/v1/bookings/{uid}/cancel", tag = "public", request_body = CancelRequest,
    params(("uid" = String, Path)),
    security((), ("api_key" = [])),
    description = "Authorized by the booking's manage `token` (attendees), or by an API key of one of its hosts or an admin (then `token` is not needed).",
    responses(
        (status = 200, body = Cancelled),
        (status = 400, body = super::error::ErrorBody, description = "Malformed JSON"),
        (status = 401, body = super::error::ErrorBody, description = "An Authorization header with an unknown key"),
        (status = 404, body = super::error::ErrorBody, description = "Unknown booking or wrong token"),
        (status = 410, body = super::error::ErrorBody, description = "Already cancelled"),
        (status = 422, body = super::error::ErrorBody),
        (status = 429, body = super::error::ErrorBody, description = "Too many requests from this client (or for this attendee); `Retry-After` says when to try again")
    )
)]
pub async fn cancel_booking(
    State(services): State<Services>,
    MaybeApiActor(actor): MaybeApiActor,
    Client(client): Client,
    Path(uid): Path<String>,
    body: Bytes,
) -> Result<Json<Cancelled>, ApiError> {
    if actor.is_none() {
        services.admit_manage(&uid, client).await?;
    }
    let input: CancelRequest = json_body(&body)?;
    let mut errors = FieldErrors::new();
    let token = match actor {
        Some(_) => None,
        None => errors.check("token", required(input.token.as_deref())),
    };
    let reason = errors
        .check(
            "reason",
            CancelReason::parse(input.reason.as_deref().unwrap_or_default()),
        )
        .flatten();
    let reason = reason.as_ref().map(CancelReason::as_str);
    let cancelled = match (actor, token) {
        (Some(actor), _) if errors.is_empty() => services.cancel_booking_as(&actor, &uid, reason).await,
        (None, Some(token)) if errors.is_empty() => services.cancel_booking(&uid, &token, reason).await,
        _ => return Err(errors.into()),
    };
    cancelled.map_err(ApiError::missing("A booking with this uid and token"))?;
    Ok(Json(Cancelled {
        uid,
        status: "cancelled",
    }))
}

#[utoipa::path(
    post, path = "/api/v1/bookings/{uid}/reschedule", tag = "public", request_body = RescheduleRequest,
    params(("uid" = String, Path)),
    responses(
        (status = 200, body = BookingCreated),
        (status = 400, body = super::error::ErrorBody, description = "Malformed JSON"),
        (status = 404, body = super::error::ErrorBody, description = "Unknown booking or wrong token"),
        (status = 409, body = super::error::ErrorBody, description = "The new time is not a free slot; the booking is unchanged"),
        (status = 410, body = super::error::ErrorBody, description = "The booking was cancelled"),
        (status = 422, body = super::error::ErrorBody),
        (status = 429, body = super::error::ErrorBody, description = "Too many requests from this client (or for this attendee); `Retry-After` says when to try again")
    )
)]
pub async fn reschedule_booking(
    State(services): State<Services>,
    Client(client): Client,
    Path(uid): Path<String>,
    body: Bytes,
) -> Result<Json<BookingCreated>, ApiError> {
    services.admit_manage(&uid, client).await?;
    let input: RescheduleRequest = json_body(&body)?;
    let mut errors = FieldErrors::new();
    let token = errors.check("token", required(input.token.as_deref()));
    let start = errors.check("start", instant(input.start.as_deref(), services.clock().now()));
    let (Some(token), Some(start)) = (token, start) else {
        return Err(errors.into());
    };
    let booked = services
        .reschedule_booking(&uid, &token, start)
        .await
        .map_err(ApiError::missing("A booking with this uid and token"))?;
    let context = services.booking_context(&uid).await?;
    let zone = context.attendee_timezone.parse().unwrap_or(chrono_tz::UTC);
    let lang = i18n::Lang::from_code(&context.language).unwrap_or_default();
    Ok(Json(render(&services, &booked, context.event_type, (zone, lang))))
}

fn parse_booking(input: NewBooking, now: i64) -> Result<((String, String), i64, Attendee), ApiError> {
    let mut errors = FieldErrors::new();
    let reference = errors.check("event_type", event_type_ref(input.event_type.as_deref()));
    let start = errors.check("start", instant(input.start.as_deref(), now));
    let person = input.attendee.unwrap_or_default();
    let name = errors.check(
        "attendee.name",
        DisplayName::parse(person.name.as_deref().unwrap_or_default()),
    );
    let email = errors.check(
        "attendee.email",
        Email::parse(person.email.as_deref().unwrap_or_default()),
    );
    let zone = errors.check(
        "attendee.timezone",
        TimeZoneName::parse(person.timezone.as_deref().unwrap_or_default()),
    );
    let mut answers: std::collections::BTreeMap<String, RawAnswer> = input
        .answers
        .unwrap_or_default()
        .into_iter()
        .map(|(key, answer)| (key, answer.into()))
        .collect();
    if let Some(notes) = input.notes.filter(|n| !n.trim().is_empty()) {
        answers.entry("notes".to_owned()).or_insert(RawAnswer::One(notes));
    }
    let guests = guest_emails(input.guests.unwrap_or_default(), &mut errors);
    let language = errors.check("attendee.language", language(person.language.as_deref()));
    match (reference, start, name, email, zone, language) {
        (Some(reference), Some(start), Some(name), Some(email), Some(timezone), Some(language))
            if errors.is_empty() =>
        {
            Ok((
                reference,
                start,
                Attendee {
                    name,
                    email,
                    timezone,
                    answers,
                    guests,
                    language,
                },
            ))
        }
        _ => Err(errors.into()),
    }
}

/// A shipped language by its tag; English when none is given.
fn language(tag: Option<&str>) -> Result<i18n::Lang, domain::Invalid> {
    match tag.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(i18n::Lang::ENGLISH),
        Some(tag) => i18n::Lang::from_code(tag).ok_or_else(|| {
            let shipped: Vec<_> = i18n::Lang::all().map(i18n::Lang::code).collect();
            domain::Invalid(format!("Use one of: {}.", shipped.join(", ")))
        }),
    }
}

/// The guests' addresses; each bad one is named by its place (`guests.1`).
fn guest_emails(raw: Vec<String>, errors: &mut FieldErrors) -> Vec<Email> {
    raw.iter()
        .enumerate()
        .filter_map(|(n, email)| errors.check(&format!("guests.{n}"), Email::parse(email)))
        .collect()
}

fn idempotency(headers: &HeaderMap, body: &[u8]) -> Result<Option<Idempotency>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255);
    let key = key.ok_or_else(|| FieldErrors::single("idempotency_key", "Use 1 to 255 visible characters."))?;
    Ok(Some(Idempotency::of(key.to_owned(), body)))
}

fn render(services: &Services, booked: &Booked, event_type: String, (zone, lang): (Tz, i18n::Lang)) -> BookingCreated {
    let links = services.manage_links(&booked.uid, &booked.manage_token, lang);
    let hosts: Vec<HostName> = booked
        .hosts
        .iter()
        .map(|(_, name)| HostName { name: name.clone() })
        .collect();
    BookingCreated {
        uid: booked.uid.clone(),
        status: "confirmed",
        start: rfc3339(booked.start, zone),
        end: rfc3339(booked.end, zone),
        event_type,
        host: HostName {
            name: hosts.first().map(|h| h.name.clone()).unwrap_or_default(),
        },
        hosts,
        manage: ManageLinks {
            reschedule_url: links.reschedule,
            cancel_url: links.cancel,
        },
    }
}

/// For booking: read afresh, so a just-deactivated event type is never booked.
async fn find(services: &Services, team: &str, slug: &str) -> Result<EventType, ApiError> {
    services
        .public_event_type(team, slug)
        .await
        .map_err(ApiError::missing(format!("Event type {team}/{slug}")))
}

/// For reading: from the slot cache.
async fn find_cached(services: &Services, team: &str, slug: &str) -> Result<Arc<EventType>, ApiError> {
    services
        .cached_event_type(team, slug)
        .await
        .map_err(ApiError::missing(format!("Event type {team}/{slug}")))
}
