//! Members, their weekly schedules and date overrides. A key manages its own member; an admin's
//! key manages anyone in the team.

use super::ApiError;
use super::auth::ApiActor;
use super::error::ErrorBody;
use super::manage_dto::*;
use super::parse::{date, json_body, path_id};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::{DayHours, FieldErrors, Invalid, TimeZoneName, WeeklySchedule};
use services::Services;
use services::accounts::{Member, MemberChanges};
use services::schedules::DateOverride;
use std::collections::BTreeMap;

pub fn member_out(m: Member) -> MemberOut {
    MemberOut {
        id: m.id,
        name: m.name,
        email: m.email,
        role: if m.role.is_admin() { "admin" } else { "member" },
        timezone: m.timezone,
        accepts_bookings: m.accepts_bookings,
    }
}

/// A member id from the path; anything else names no member.
#[utoipa::path(get, path = "/api/v1/me", tag = "members", security(("api_key" = [])),
    responses((status = 200, body = MemberOut), (status = 401, body = ErrorBody)))]
pub async fn me(ApiActor(actor): ApiActor) -> Json<MemberOut> {
    Json(member_out(actor))
}

#[utoipa::path(get, path = "/api/v1/members", tag = "members", security(("api_key" = [])),
    responses((status = 200, body = MemberList), (status = 401, body = ErrorBody)))]
pub async fn list(State(services): State<Services>, ApiActor(actor): ApiActor) -> Result<Json<MemberList>, ApiError> {
    let members = services.members(&actor).await?;
    Ok(Json(MemberList {
        members: members.into_iter().map(member_out).collect(),
    }))
}

#[utoipa::path(patch, path = "/api/v1/members/{member}", tag = "members", security(("api_key" = [])),
    params(("member" = String, Path, description = "Member id")), request_body = MemberPatch,
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(member): Path<String>,
    body: Bytes,
) -> Result<Json<MemberOut>, ApiError> {
    let member = path_id(&member, "This member")?;
    let input: MemberPatch = json_body(&body)?;
    let mut errors = FieldErrors::new();
    let timezone = input
        .timezone
        .and_then(|raw| errors.check("timezone", TimeZoneName::parse(&raw)));
    errors.into_result()?;
    let changes = MemberChanges {
        timezone,
        accepts_bookings: input.accepts_bookings,
    };
    let updated = services
        .update_member(&actor, member, changes)
        .await
        .map_err(ApiError::missing("This member"))?;
    Ok(Json(member_out(updated)))
}

fn ranges_out(day: &DayHours) -> Vec<TimeRangeDto> {
    day.ranges()
        .iter()
        .map(|r| TimeRangeDto {
            start: r.start.to_string(),
            end: r.end.to_string(),
        })
        .collect()
}

fn schedule_out(member: &Member, schedule: &WeeklySchedule) -> ScheduleOut {
    let weekly = WeeklySchedule::DAY_NAMES
        .iter()
        .enumerate()
        .map(|(index, name)| ((*name).to_owned(), ranges_out(schedule.day(index))))
        .collect();
    ScheduleOut {
        member_id: member.id,
        timezone: member.timezone.clone(),
        weekly,
    }
}

fn day_hours(ranges: &[TimeRangeDto]) -> Result<DayHours, Invalid> {
    DayHours::parse(ranges.iter().map(|r| (r.start.as_str(), r.end.as_str())))
}

fn weekly(input: BTreeMap<String, Vec<TimeRangeDto>>, errors: &mut FieldErrors) -> WeeklySchedule {
    let mut schedule = WeeklySchedule::default();
    for (name, ranges) in input {
        let field = format!("weekly.{name}");
        match WeeklySchedule::DAY_NAMES.iter().position(|d| *d == name) {
            Some(index) => {
                if let Some(day) = errors.check(&field, day_hours(&ranges)) {
                    schedule.0[index] = day;
                }
            }
            None => errors.add(&field, "Use the days monday to sunday."),
        }
    }
    schedule
}

#[utoipa::path(get, path = "/api/v1/members/{member}/schedule", tag = "availability", security(("api_key" = [])),
    params(("member" = String, Path, description = "Member id")),
    responses((status = 200, body = ScheduleOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn schedule(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(member): Path<String>,
) -> Result<Json<ScheduleOut>, ApiError> {
    let (member, schedule) = services
        .weekly_schedule(&actor, path_id(&member, "This member")?)
        .await
        .map_err(ApiError::missing("This member"))?;
    Ok(Json(schedule_out(&member, &schedule)))
}

#[utoipa::path(put, path = "/api/v1/members/{member}/schedule", tag = "availability", security(("api_key" = [])),
    params(("member" = String, Path, description = "Member id")), request_body = ScheduleIn,
    responses((status = 200, body = ScheduleOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace_schedule(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(member): Path<String>,
    body: Bytes,
) -> Result<Json<ScheduleOut>, ApiError> {
    let member = path_id(&member, "This member")?;
    let input: ScheduleIn = json_body(&body)?;
    let mut errors = FieldErrors::new();
    let timezone = input
        .timezone
        .and_then(|raw| errors.check("timezone", TimeZoneName::parse(&raw)));
    let Some(days) = input.weekly else {
        errors.add(
            "weekly",
            "Give the weekly hours, like {\"monday\": [{\"start\": \"09:00\", \"end\": \"17:00\"}]}.",
        );
        return Err(errors.into());
    };
    let schedule = weekly(days, &mut errors);
    errors.into_result()?;
    let (member, schedule) = services
        .set_weekly_schedule(&actor, member, &schedule, timezone)
        .await
        .map_err(ApiError::missing("This member"))?;
    Ok(Json(schedule_out(&member, &schedule)))
}

#[utoipa::path(delete, path = "/api/v1/members/{member}/schedule", tag = "availability", security(("api_key" = [])),
    params(("member" = String, Path, description = "Member id")),
    responses((status = 204, description = "Every weekly range removed; only date overrides give hours now"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn clear_schedule(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(member): Path<String>,
) -> Result<StatusCode, ApiError> {
    services
        .set_weekly_schedule(
            &actor,
            path_id(&member, "This member")?,
            &WeeklySchedule::default(),
            None,
        )
        .await
        .map_err(ApiError::missing("This member"))?;
    Ok(StatusCode::NO_CONTENT)
}

fn override_out(found: DateOverride) -> OverrideOut {
    OverrideOut {
        date: found.date.format("%Y-%m-%d").to_string(),
        unavailable: found.hours.is_off(),
        hours: ranges_out(&found.hours),
    }
}

#[utoipa::path(get, path = "/api/v1/members/{member}/overrides", tag = "availability", security(("api_key" = [])),
    params(("member" = String, Path, description = "Member id"), OverridesQuery),
    responses((status = 200, body = OverrideList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn overrides(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(member): Path<String>,
    query: Result<Query<OverridesQuery>, QueryRejection>,
) -> Result<Json<OverrideList>, ApiError> {
    let member = path_id(&member, "This member")?;
    let Query(query) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", e.body_text()))?;
    let from = match query.from {
        Some(raw) => Some(date(Some(&raw), services.clock().now()).map_err(|e| FieldErrors::single("from", e.0))?),
        None => None,
    };
    let found = services
        .date_overrides(&actor, member, from)
        .await
        .map_err(ApiError::missing("This member"))?;
    Ok(Json(OverrideList {
        overrides: found.into_iter().map(override_out).collect(),
    }))
}

#[utoipa::path(put, path = "/api/v1/members/{member}/overrides/{date}", tag = "availability",
    security(("api_key" = [])), request_body = OverrideIn,
    params(("member" = String, Path, description = "Member id"), ("date" = String, Path, example = "2026-12-24")),
    responses((status = 200, body = OverrideOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_override(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path((member, day)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<OverrideOut>, ApiError> {
    let member = path_id(&member, "This member")?;
    let input: OverrideIn = json_body(&body)?;
    let mut errors = FieldErrors::new();
    let day = errors.check("date", date(Some(&day), services.clock().now()));
    let hours = errors.check("hours", day_hours(&input.hours.unwrap_or_default()));
    let (Some(day), Some(hours)) = (day, hours) else {
        return Err(errors.into());
    };
    let saved = services
        .set_date_override(&actor, member, day, &hours)
        .await
        .map_err(ApiError::missing("This member"))?;
    Ok(Json(override_out(saved)))
}

#[utoipa::path(delete, path = "/api/v1/members/{member}/overrides/{date}", tag = "availability",
    security(("api_key" = [])),
    params(("member" = String, Path, description = "Member id"), ("date" = String, Path, example = "2026-12-24")),
    responses((status = 204, description = "Removed; the weekly hours apply to the date again"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn delete_override(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path((member, day)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let member = path_id(&member, "This member")?;
    let day = date(Some(&day), services.clock().now()).map_err(|e| FieldErrors::single("date", e.0))?;
    services
        .delete_date_override(&actor, member, day)
        .await
        .map_err(ApiError::missing("An override of this member on this date"))?;
    Ok(StatusCode::NO_CONTENT)
}
