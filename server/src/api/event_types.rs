//! Managing the team's event types. Any key may list them; changing them needs an admin's key.

use super::ApiError;
use super::auth::ApiActor;
use super::error::ErrorBody;
use super::manage_dto::*;
use super::parse::json_body;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use services::Services;
use services::event_type_draft::EventTypeDraft;
use services::event_types::ManagedEventType;

fn event_type_out(services: &Services, team: &str, managed: ManagedEventType) -> EventTypeOut {
    let e = managed.event_type;
    EventTypeOut {
        event_type: format!("{team}/{}", e.slug),
        booking_url: services.config().link(&format!("/{team}/{}", e.slug)),
        slug: e.slug,
        title: e.title,
        description: e.description,
        duration: e.duration_minutes,
        interval: e.interval_minutes,
        buffer_before: e.buffer_before_minutes,
        buffer_after: e.buffer_after_minutes,
        minimum_notice: e.minimum_notice_minutes,
        booking_window_days: e.window_days,
        daily_limit: e.daily_limit,
        location: LocationOut {
            kind: e.location_kind,
            detail: e.location_detail,
        },
        mode: e.mode,
        hosts: managed.host_ids,
        active: e.active,
        reminder_24h: e.reminder_24h,
        reminder_1h: e.reminder_1h,
        change_notice: e.change_notice_minutes,
        questions: managed.questions.into_iter().map(QuestionIn::from).collect(),
        allow_guests: e.allow_guests,
    }
}

/// Lays the fields present in `input` over `draft`.
fn apply(mut draft: EventTypeDraft, input: EventTypeIn) -> EventTypeDraft {
    macro_rules! take {
        ($($field:ident => $target:ident),+) => {
            $(if let Some(value) = input.$field { draft.$target = value; })+
        };
    }
    take!(slug => slug, title => title, description => description, duration => duration,
        interval => interval, buffer_before => buffer_before, buffer_after => buffer_after,
        minimum_notice => minimum_notice, booking_window_days => window_days, daily_limit => daily_limit,
        location_kind => location_kind, location_detail => location_detail, mode => mode, hosts => hosts,
        active => active, reminder_24h => reminder_24h, reminder_1h => reminder_1h,
        change_notice => change_notice, allow_guests => allow_guests);
    if let Some(questions) = input.questions {
        draft.questions = Some(questions.into_iter().map(question_draft).collect());
    }
    draft
}

fn question_draft(q: QuestionIn) -> domain::QuestionDraft {
    domain::QuestionDraft {
        key: q.key,
        kind: q.kind,
        label: q.label,
        help: q.help,
        required: q.required,
        hidden: q.hidden,
        options: q.options,
    }
}

/// The path's team must be the key's own team.
async fn check_team(services: &Services, team: &str, slug: &str) -> Result<String, ApiError> {
    let own = services.team().await?.slug;
    if own == team {
        Ok(own)
    } else {
        Err(ApiError::not_found(&format!("Event type {team}/{slug}")))
    }
}

#[utoipa::path(get, path = "/api/v1/event-types", tag = "event types", security(("api_key" = [])),
    responses((status = 200, body = EventTypeList), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
) -> Result<Json<EventTypeList>, ApiError> {
    let team = services.team().await?.slug;
    let all = services.team_event_types(&actor).await?;
    Ok(Json(EventTypeList {
        event_types: all.into_iter().map(|e| event_type_out(&services, &team, e)).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/event-types", tag = "event types", security(("api_key" = [])),
    request_body = EventTypeIn,
    responses((status = 201, body = EventTypeOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    body: Bytes,
) -> Result<(StatusCode, Json<EventTypeOut>), ApiError> {
    let input: EventTypeIn = json_body(&body)?;
    let defaults = EventTypeDraft {
        active: true,
        reminder_24h: true,
        reminder_1h: true,
        change_notice: 0,
        duration: 30,
        location_kind: "video".into(),
        mode: "single".into(),
        hosts: vec![actor.id],
        window_days: Some(services::event_types::DEFAULT_WINDOW_DAYS),
        allow_guests: true,
        ..EventTypeDraft::default()
    };
    let valid = apply(defaults, input).validate()?;
    let created = services.create_event_type(&actor, valid).await?;
    let team = services.team().await?.slug;
    let managed = services.team_event_type(&actor, &created.slug).await?;
    Ok((StatusCode::CREATED, Json(event_type_out(&services, &team, managed))))
}

#[utoipa::path(patch, path = "/api/v1/event-types/{team}/{slug}", tag = "event types", security(("api_key" = [])),
    params(("team" = String, Path, example = "acme"), ("slug" = String, Path, example = "demo")),
    request_body = EventTypeIn,
    responses((status = 200, body = EventTypeOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path((team, slug)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<EventTypeOut>, ApiError> {
    let input: EventTypeIn = json_body(&body)?;
    let team = check_team(&services, &team, &slug).await?;
    let current = services
        .team_event_type(&actor, &slug)
        .await
        .map_err(ApiError::missing(format!("Event type {team}/{slug}")))?;
    let valid = apply(EventTypeDraft::from(&current), input).validate()?;
    let updated = services
        .update_event_type(&actor, &slug, valid)
        .await
        .map_err(ApiError::missing(format!("Event type {team}/{slug}")))?;
    let managed = services.team_event_type(&actor, &updated.slug).await?;
    Ok(Json(event_type_out(&services, &team, managed)))
}

#[utoipa::path(delete, path = "/api/v1/event-types/{team}/{slug}", tag = "event types", security(("api_key" = [])),
    params(("team" = String, Path, example = "acme"), ("slug" = String, Path, example = "demo")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "It still has upcoming bookings")))]
pub async fn delete(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path((team, slug)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let team = check_team(&services, &team, &slug).await?;
    services
        .delete_event_type(&actor, &slug)
        .await
        .map_err(ApiError::missing(format!("Event type {team}/{slug}")))?;
    Ok(StatusCode::NO_CONTENT)
}
