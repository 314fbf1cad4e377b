//! `/_control/…`: the [`ControlHandle`] over HTTP (JSON in, JSON out), for tests that run the
//! `ms-sim` binary rather than the library. Not part of Microsoft's API, never recorded in the
//! request log, and not subject to faults. Only Microsoft's own calls are here; the routes every
//! simulator shares (users, calendars, events, clients, tokens, notifications, faults, the
//! request log, the clock, configuration) are [`sim_support::control::routes`], and those of
//! online meetings ([`sim_support::conferencing::routes`]) are merged in:
//!
//! - `GET /_control/users`; `POST /_control/users/{email}/require-interaction`;
//!   `POST /_control/users/{email}/sessions/revoke` → `{"revoked": n}`
//! - `GET`/`PATCH`/`DELETE /_control/events/{event}`, `POST …/{event}/move` `{"start", "end"}`
//! - `GET`/`PUT /_control/users/{email}/conferencing` `{"mode": "available"}`,
//!   `{"mode": "unavailable"}` or `{"mode": "failing"}` → 204 (see [`TeamsMode`])
//! - `GET /_control/conferences` → `[{"account", "calendarId", "eventId", "joinUrl"}]`, the
//!   online meetings made, oldest first
//! - `POST /_control/tokens/revoke` `{"user"?, "clientId"?}` → `{"revoked": n}`
//! - `GET /_control/subscriptions`; `POST /_control/subscriptions/{id}/lifecycle`
//!   `{"lifecycleEvent"}`; `POST /_control/delta-tokens/invalidate` → `{"invalidated": n}`
//!
//! [`TeamsMode`]: crate::TeamsMode

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use sim_support::control::{Reschedule, optional_body};

use crate::error::SimError;
use crate::handle::ControlHandle;
use crate::state::Sim;

fn handle(sim: Sim) -> ControlHandle {
    ControlHandle::new(sim)
}

fn done(result: Result<(), SimError>) -> Result<StatusCode, SimError> {
    result.map(|()| StatusCode::NO_CONTENT)
}

async fn users(State(sim): State<Sim>) -> Response {
    Json(handle(sim).users()).into_response()
}

async fn require_interaction(State(sim): State<Sim>, Path(user): Path<String>) -> Result<StatusCode, SimError> {
    done(handle(sim).require_interaction(&user))
}

async fn revoke_sessions(State(sim): State<Sim>, Path(user): Path<String>) -> Json<Value> {
    Json(json!({"revoked": handle(sim).revoke_sessions(&user)}))
}

async fn event(State(sim): State<Sim>, Path(event): Path<String>) -> Result<Json<Value>, SimError> {
    handle(sim).event(&event).map(Json).ok_or(SimError::UnknownEvent(event))
}

async fn patch_event(
    State(sim): State<Sim>,
    Path(event): Path<String>,
    Json(patch): Json<Value>,
) -> Result<Json<Value>, SimError> {
    handle(sim).patch_event(&event, patch).map(Json)
}

async fn delete_event(State(sim): State<Sim>, Path(event): Path<String>) -> Result<StatusCode, SimError> {
    done(handle(sim).delete_event(&event))
}

async fn move_event(
    State(sim): State<Sim>,
    Path(event): Path<String>,
    Json(to): Json<Reschedule>,
) -> Result<Json<Value>, SimError> {
    handle(sim).move_event(&event, to.start, to.end).map(Json)
}

/// Who a token operation applies to; absent fields match everyone.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Whose {
    user: Option<String>,
    client_id: Option<String>,
}

async fn revoke(State(sim): State<Sim>, body: Bytes) -> Result<Json<Value>, SimError> {
    let whose: Whose = optional_body(&body)?;
    let revoked = handle(sim).revoke_access(whose.user.as_deref(), whose.client_id.as_deref());
    Ok(Json(json!({"revoked": revoked})))
}

async fn subscriptions(State(sim): State<Sim>) -> Response {
    Json(handle(sim).subscriptions()).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lifecycle {
    lifecycle_event: String,
}

async fn lifecycle(
    State(sim): State<Sim>,
    Path(id): Path<String>,
    Json(body): Json<Lifecycle>,
) -> Result<StatusCode, SimError> {
    done(handle(sim).send_lifecycle_event(&id, &body.lifecycle_event))
}

async fn invalidate(State(sim): State<Sim>) -> Json<Value> {
    Json(json!({"invalidated": handle(sim).invalidate_delta_tokens()}))
}

pub(crate) fn router() -> Router<Sim> {
    Router::new()
        .route("/_control/users", get(users))
        .route("/_control/users/{email}/require-interaction", post(require_interaction))
        .route("/_control/users/{email}/sessions/revoke", post(revoke_sessions))
        .route(
            "/_control/events/{event}",
            get(event).patch(patch_event).delete(delete_event),
        )
        .route("/_control/events/{event}/move", post(move_event))
        .route("/_control/tokens/revoke", post(revoke))
        .route("/_control/subscriptions", get(subscriptions))
        .route("/_control/subscriptions/{id}/lifecycle", post(lifecycle))
        .route("/_control/delta-tokens/invalidate", post(invalidate))
        .merge(sim_support::conferencing::routes::<crate::state::State>())
}
