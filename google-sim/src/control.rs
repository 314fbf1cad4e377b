//! `/_control/…`: the [`ControlHandle`] over HTTP (JSON in, JSON out), for tests that run the
//! `google-sim` binary rather than the library. Not part of Google's API, never recorded in the
//! request log, and not subject to faults.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{ConfigPatch, OAuthClient, UserSpec};
use crate::error::SimError;
use crate::faults::Fault;
use crate::handle::ControlHandle;
use crate::state::{AccessRole, NewCalendar, Sim};

fn handle(sim: Sim) -> ControlHandle {
    ControlHandle::new(sim)
}

/// Bodies that may be empty (`{}` semantics), so `curl -X POST …/tokens/expire` just works.
fn optional_body<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, SimError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| SimError::Invalid(e.to_string()))
}

fn created(value: impl serde::Serialize) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

async fn add_user(State(sim): State<Sim>, Json(user): Json<UserSpec>) -> Result<Response, SimError> {
    handle(sim).add_user(user).map(created)
}

async fn add_calendar(
    State(sim): State<Sim>,
    Path(owner): Path<String>,
    Json(new): Json<NewCalendar>,
) -> Result<Response, SimError> {
    handle(sim).add_calendar(&owner, new).map(created)
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

async fn calendars(State(sim): State<Sim>) -> Response {
    Json(handle(sim).calendars()).into_response()
}

async fn events(State(sim): State<Sim>, Path(calendar): Path<String>) -> Result<Json<Vec<Value>>, SimError> {
    handle(sim).events(&calendar).map(Json)
}

async fn insert_event(
    State(sim): State<Sim>,
    Path(calendar): Path<String>,
    Json(event): Json<Value>,
) -> Result<Response, SimError> {
    handle(sim).insert_event(&calendar, event).map(created)
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

#[derive(Deserialize)]
struct Move {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

async fn move_event(
    State(sim): State<Sim>,
    Path((calendar, event)): Path<(String, String)>,
    Json(to): Json<Move>,
) -> Result<Json<Value>, SimError> {
    handle(sim).move_event(&calendar, &event, to.start, to.end).map(Json)
}

async fn add_client(State(sim): State<Sim>, Json(client): Json<OAuthClient>) -> StatusCode {
    handle(sim).add_client(client);
    StatusCode::NO_CONTENT
}

async fn tokens(State(sim): State<Sim>) -> Response {
    Json(handle(sim).tokens()).into_response()
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

#[derive(Deserialize, Default)]
struct Expire {
    user: Option<String>,
}

async fn expire(State(sim): State<Sim>, body: Bytes) -> Result<Json<Value>, SimError> {
    let body: Expire = optional_body(&body)?;
    Ok(Json(
        json!({"expired": handle(sim).expire_access_tokens(body.user.as_deref())}),
    ))
}

async fn faults(State(sim): State<Sim>) -> Json<Vec<Fault>> {
    Json(handle(sim).faults())
}

async fn add_fault(State(sim): State<Sim>, Json(fault): Json<Fault>) -> StatusCode {
    handle(sim).inject_fault(fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(sim): State<Sim>) -> StatusCode {
    handle(sim).clear_faults();
    StatusCode::NO_CONTENT
}

async fn requests(State(sim): State<Sim>) -> Response {
    Json(handle(sim).requests()).into_response()
}

async fn clear_requests(State(sim): State<Sim>) -> StatusCode {
    handle(sim).clear_requests();
    StatusCode::NO_CONTENT
}

async fn notifications(State(sim): State<Sim>) -> Response {
    Json(handle(sim).notifications()).into_response()
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

#[derive(Deserialize)]
struct Advance {
    seconds: u64,
}

async fn advance(State(sim): State<Sim>, Json(body): Json<Advance>) -> Json<Value> {
    let now = handle(sim).advance_clock(std::time::Duration::from_secs(body.seconds));
    Json(json!({"now": now}))
}

async fn config(State(sim): State<Sim>, Json(patch): Json<ConfigPatch>) -> StatusCode {
    handle(sim).apply_config(&patch);
    StatusCode::NO_CONTENT
}

pub(crate) fn router() -> Router<Sim> {
    Router::new()
        .route("/_control/users", post(add_user))
        .route("/_control/users/{email}/calendars", post(add_calendar))
        .route("/_control/calendars", get(calendars))
        .route("/_control/calendars/{calendar}/shares/{email}", put(share))
        .route("/_control/calendars/{calendar}/events", get(events).post(insert_event))
        .route(
            "/_control/calendars/{calendar}/events/{event}",
            axum::routing::patch(patch_event).delete(delete_event),
        )
        .route("/_control/calendars/{calendar}/events/{event}/move", post(move_event))
        .route("/_control/clients", post(add_client))
        .route("/_control/tokens", get(tokens))
        .route("/_control/tokens/revoke", post(revoke))
        .route("/_control/tokens/expire", post(expire))
        .route("/_control/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/_control/requests", get(requests).delete(clear_requests))
        .route("/_control/notifications", get(notifications))
        .route("/_control/channels", get(channels))
        .route("/_control/sync-tokens/invalidate", post(invalidate))
        .route("/_control/clock/advance", post(advance))
        .route("/_control/config", axum::routing::patch(config))
}
