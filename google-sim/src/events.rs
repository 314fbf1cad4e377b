//! `/calendar/v3/calendars/{calendarId}/events`: insert, get, patch, update, delete and list.
//! Listing (filters, paging, incremental sync) lives in [`crate::listing`].

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use serde_json::Value;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::query::{Params, Typed, invalid_value, parse_json};
use crate::scopes::Access;
use crate::state::Sim;
use crate::store::{self, Change, WriteOptions};

fn write_options(query: Option<&str>) -> Result<WriteOptions, ApiError> {
    let params = Params::from_query(query);
    if let Some(value) = params.get("sendUpdates")
        && !["all", "externalOnly", "none"].contains(&value)
    {
        return Err(invalid_value("sendUpdates", value));
    }
    params.int("maxAttendees", 1, usize::MAX)?;
    let version = params.int("conferenceDataVersion", 0, 1)?;
    Ok(WriteOptions {
        conference_data: version == Some(1),
    })
}

fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

pub(crate) async fn insert(
    State(sim): State<Sim>,
    caller: Caller,
    Path(calendar_id): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let options = write_options(query.as_deref())?;
    let input: Value = parse_json(&body)?;
    let mut state = sim.lock();
    let (calendar_id, _) = caller.calendar(&state, &calendar_id, Access::EventsWrite)?;
    store::insert_event(&mut state, &calendar_id, &caller.user, input, options).map(Json)
}

pub(crate) async fn get(
    State(sim): State<Sim>,
    caller: Caller,
    Path((calendar_id, event_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let mut state = sim.lock();
    let (calendar_id, _) = caller.calendar(&state, &calendar_id, Access::EventsRead)?;
    store::read_event(&mut state, &calendar_id, &event_id).map(Json)
}

/// `PATCH` merges the body into the event; `PUT` replaces it.
pub(crate) async fn modify(
    State(sim): State<Sim>,
    caller: Caller,
    method: Method,
    Path((calendar_id, event_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let options = write_options(query.as_deref())?;
    let input: Value = parse_json(&body)?;
    let change = if method == Method::PUT {
        Change::Replace(input)
    } else {
        Change::Patch(input)
    };
    let mut state = sim.lock();
    let (calendar_id, _) = caller.calendar(&state, &calendar_id, Access::EventsWrite)?;
    store::modify_event(
        &mut state,
        &calendar_id,
        &event_id,
        change,
        if_match(&headers).as_deref(),
        options,
    )
    .map(Json)
}

pub(crate) async fn delete(
    State(sim): State<Sim>,
    caller: Caller,
    Path((calendar_id, event_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    write_options(query.as_deref())?;
    let mut state = sim.lock();
    let (calendar_id, _) = caller.calendar(&state, &calendar_id, Access::EventsWrite)?;
    store::delete_event(&mut state, &calendar_id, &event_id, if_match(&headers).as_deref())?;
    Ok(StatusCode::NO_CONTENT)
}
