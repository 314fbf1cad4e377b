//! `/_control/…`: the [`ControlHandle`] over HTTP (JSON in, JSON out), for tests that run the
//! `google-sim` binary rather than the library. Not part of Google's API, never recorded in the
//! request log, and not subject to faults. Only Google's own calls are here; the routes every
//! simulator shares (users, calendars, events, clients, tokens, faults, the request log, the
//! clock, configuration) are [`sim_support::control::routes`], and those of conferences
//! ([`sim_support::conferencing::routes`]) are merged in:
//!
//! - `PUT /_control/calendars/{calendar}/shares/{email}` `{"role"}` → 204
//! - `PATCH`/`DELETE /_control/calendars/{calendar}/events/{event}`, `POST …/{event}/move`
//!   `{"start", "end"}`
//! - `PUT /_control/calendars/{calendar}/conference-types`
//!   `{"allowedConferenceSolutionTypes": ["hangoutsMeet"]}` → 204 (an empty list: Meet off)
//! - `GET`/`PUT /_control/users/{email}/conferencing` `{"mode": "success"}`,
//!   `{"mode": "pending", "reads": 2}` or `{"mode": "failure"}` → 204 (see [`ConferenceMode`])
//! - `GET /_control/conferences` → `[{"account", "calendarId", "eventId", "joinUrl"}]`, the Meet
//!   conferences made, oldest first
//! - `POST /_control/tokens/revoke` `{"token"}` or `{"user"?, "clientId"?}` → `{"revoked": n}`
//! - `GET /_control/channels`; `POST /_control/sync-tokens/invalidate` `{"calendarId"?}` →
//!   `{"invalidated": n}`
//!
//! [`ConferenceMode`]: crate::ConferenceMode

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use sim_support::control::{Reschedule, optional_body};

use crate::error::SimError;
use crate::handle::ControlHandle;
use crate::state::{AccessRole, Sim};

fn handle(sim: Sim) -> ControlHandle {
    ControlHandle::new(sim)
}

#[derive(Deserialize)]
struct Share {
    role: AccessRole,
}

async fn share(
    State(sim): State<Sim>,
    Path((calendar, email)): Path<(String, String)>,
    Json(share): Json<Share>,
) -> Result<StatusCode, SimError> {
    handle(sim)
        .share_calendar(&calendar, &email, share.role)
        .map(|()| StatusCode::NO_CONTENT)
}

async fn patch_event(
    State(sim): State<Sim>,
    Path((calendar, event)): Path<(String, String)>,
    Json(patch): Json<Value>,
) -> Result<Json<Value>, SimError> {
    handle(sim).patch_event(&calendar, &event, patch).map(Json)
}

async fn delete_event(
    State(sim): State<Sim>,
    Path((calendar, event)): Path<(String, String)>,
) -> Result<StatusCode, SimError> {
    handle(sim)
        .delete_event(&calendar, &event)
        .map(|()| StatusCode::NO_CONTENT)
}

async fn move_event(
    State(sim): State<Sim>,
    Path((calendar, event)): Path<(String, String)>,
    Json(to): Json<Reschedule>,
) -> Result<Json<Value>, SimError> {
    handle(sim).move_event(&calendar, &event, to.start, to.end).map(Json)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConferenceTypes {
    allowed_conference_solution_types: Vec<String>,
}

async fn conference_types(
    State(sim): State<Sim>,
    Path(calendar): Path<String>,
    Json(body): Json<ConferenceTypes>,
) -> Result<StatusCode, SimError> {
    let types: Vec<&str> = body
        .allowed_conference_solution_types
        .iter()
        .map(String::as_str)
        .collect();
    handle(sim)
        .set_conference_types(&calendar, &types)
        .map(|()| StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Revoke {
    token: Option<String>,
    user: Option<String>,
    client_id: Option<String>,
}

/// `{"token": …}` revokes one token's family; otherwise `{"user"?, "clientId"?}` removes grants.
async fn revoke(State(sim): State<Sim>, body: Bytes) -> Result<Json<Value>, SimError> {
    let body: Revoke = optional_body(&body)?;
    let control = handle(sim);
    let revoked = match &body.token {
        Some(token) => usize::from(control.revoke_token(token)),
        None => control.revoke_access(body.user.as_deref(), body.client_id.as_deref()),
    };
    Ok(Json(json!({"revoked": revoked})))
}

async fn channels(State(sim): State<Sim>) -> Response {
    Json(handle(sim).channels()).into_response()
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Invalidate {
    calendar_id: Option<String>,
}

async fn invalidate(State(sim): State<Sim>, body: Bytes) -> Result<Json<Value>, SimError> {
    let body: Invalidate = optional_body(&body)?;
    Ok(Json(
        json!({"invalidated": handle(sim).invalidate_sync_tokens(body.calendar_id.as_deref())}),
    ))
}

pub(crate) fn router() -> Router<Sim> {
    Router::new()
        .route("/_control/calendars/{calendar}/shares/{email}", put(share))
        .route(
            "/_control/calendars/{calendar}/events/{event}",
            axum::routing::patch(patch_event).delete(delete_event),
        )
        .route("/_control/calendars/{calendar}/events/{event}/move", post(move_event))
        .route("/_control/calendars/{calendar}/conference-types", put(conference_types))
        .route("/_control/tokens/revoke", post(revoke))
        .route("/_control/channels", get(channels))
        .route("/_control/sync-tokens/invalidate", post(invalidate))
        .merge(sim_support::conferencing::routes::<crate::state::State>())
}
