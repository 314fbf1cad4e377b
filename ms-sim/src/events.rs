//! `/v1.0/me/events`, `/me/calendar/events` and `/me/calendars/{id}/events`: create (201, with
//! `transactionId` de-duplication), get (with `$select` and extended-property `$expand`), patch
//! (200) and delete (204). Times come back in UTC unless `Prefer: outlook.timezone` names a zone.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use sim_support::params::Params;

use crate::auth::Caller;
use crate::error::GraphError;
use crate::event::View;
use crate::me::context;
use crate::prefer::Prefer;
use crate::scopes::Permission;
use crate::state::{Sim, State as World, User};
use crate::store;

/// `{calendar}` (absent for `/me/events` and `/me/calendar/…`) and `{event}` path segments.
type Segments = Path<HashMap<String, String>>;

/// What the query string asks of a returned event.
#[derive(Default)]
pub(crate) struct Shape {
    expand: Vec<String>,
    select: Option<Vec<String>>,
}

fn bad_query(message: impl Into<String>) -> GraphError {
    GraphError::bad_request("BadRequest", message)
}

/// `$expand=singleValueExtendedProperties($filter=id eq '…' [or id eq '…'])`, the documented way
/// to read extended properties back.
fn parse_expand(raw: &str) -> Result<Vec<String>, GraphError> {
    let inner = raw
        .strip_prefix("singleValueExtendedProperties($filter=")
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or_else(|| {
            bad_query(format!(
                "Parsing OData Select and Expand failed: unsupported $expand '{raw}'."
            ))
        })?;
    inner
        .split(" or ")
        .map(|clause| {
            clause
                .trim()
                .strip_prefix("id eq '")
                .and_then(|rest| rest.strip_suffix('\''))
                .map(str::to_owned)
                .ok_or_else(|| bad_query(format!("Invalid filter clause '{clause}'.")))
        })
        .collect()
}

pub(crate) fn shape(query: Option<&str>) -> Result<Shape, GraphError> {
    let params = Params::from_query(query);
    Ok(Shape {
        expand: params.get("$expand").map(parse_expand).transpose()?.unwrap_or_default(),
        select: params
            .get("$select")
            .map(|raw| raw.split(',').map(|s| s.trim().to_owned()).collect()),
    })
}

fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok())
}

/// The event as the caller sees it, in the requested zone and shape, as collections list it (no
/// `@odata.context`); also returns its organizer.
pub(crate) fn shaped<'a>(
    state: &'a World,
    event_id: &str,
    prefer: &Prefer,
    shape: &Shape,
) -> Result<(Value, &'a User), GraphError> {
    let event = state.event(event_id).ok_or_else(GraphError::not_found)?;
    let calendar = state.calendar(&event.calendar_id).ok_or_else(GraphError::not_found)?;
    let organizer = state.users.get(&calendar.owner).ok_or_else(GraphError::not_found)?;
    let zone = prefer.zone();
    let mut body = event.render(
        organizer,
        &View {
            zone: &zone,
            expand: &shape.expand,
        },
    );
    if let (Some(fields), Value::Object(map)) = (&shape.select, &mut body) {
        let kept: Map<String, Value> = std::mem::take(map)
            .into_iter()
            .filter(|(k, _)| {
                k == "@odata.etag" || k == "id" || fields.contains(k) || (k == "singleValueExtendedProperties")
            })
            .collect();
        *map = kept;
    }
    Ok((body, organizer))
}

/// The event as a single-entity response.
fn render(state: &World, event_id: &str, prefer: &Prefer, shape: &Shape) -> Result<Value, GraphError> {
    let (mut body, organizer) = shaped(state, event_id, prefer, shape)?;
    body["@odata.context"] = Value::String(context(state, &format!("users('{}')/events/$entity", organizer.id)));
    Ok(body)
}

/// The event named by the path, if the caller owns it (and, for the calendar-scoped paths, it
/// is in that calendar).
fn locate(
    state: &World,
    caller: &Caller,
    segments: &HashMap<String, String>,
    permission: Permission,
) -> Result<String, GraphError> {
    let event_id = segments.get("event").ok_or_else(GraphError::not_found)?;
    let calendar = caller.calendar(state, segments.get("calendar").map(String::as_str), permission)?;
    let event = state.event(event_id).ok_or_else(GraphError::not_found)?;
    let owned = state
        .calendar(&event.calendar_id)
        .is_some_and(|c| c.owner.eq_ignore_ascii_case(&caller.user));
    let in_scope = !segments.contains_key("calendar") || event.calendar_id == calendar.id;
    if owned && in_scope {
        Ok(event_id.clone())
    } else {
        Err(GraphError::not_found())
    }
}

pub(crate) async fn create(
    State(sim): State<Sim>,
    caller: Caller,
    Path(segments): Segments,
    prefer: Prefer,
    body: Bytes,
) -> Result<Response, GraphError> {
    let input: Value = serde_json::from_slice(&body).map_err(GraphError::unreadable_body)?;
    let mut state = sim.lock();
    let calendar_id = caller
        .calendar(
            &state,
            segments.get("calendar").map(String::as_str),
            Permission::WriteCalendars,
        )?
        .id
        .clone();
    let id = store::insert_event(&mut state, &calendar_id, input)?;
    let body = render(&state, &id, &prefer, &Shape::default())?;
    Ok(prefer.applied((StatusCode::CREATED, Json(body)).into_response(), None))
}

pub(crate) async fn get(
    State(sim): State<Sim>,
    caller: Caller,
    Path(segments): Segments,
    RawQuery(query): RawQuery,
    prefer: Prefer,
) -> Result<Response, GraphError> {
    let shape = shape(query.as_deref())?;
    let state = sim.lock();
    let id = locate(&state, &caller, &segments, Permission::ReadCalendars)?;
    let body = render(&state, &id, &prefer, &shape)?;
    Ok(prefer.applied(Json(body).into_response(), None))
}

pub(crate) async fn update(
    State(sim): State<Sim>,
    caller: Caller,
    Path(segments): Segments,
    headers: HeaderMap,
    prefer: Prefer,
    body: Bytes,
) -> Result<Response, GraphError> {
    let patch: Value = serde_json::from_slice(&body).map_err(GraphError::unreadable_body)?;
    let mut state = sim.lock();
    let id = locate(&state, &caller, &segments, Permission::WriteCalendars)?;
    store::update_event(&mut state, &id, patch, if_match(&headers))?;
    let body = render(&state, &id, &prefer, &Shape::default())?;
    Ok(prefer.applied(Json(body).into_response(), None))
}

pub(crate) async fn delete(
    State(sim): State<Sim>,
    caller: Caller,
    Path(segments): Segments,
    headers: HeaderMap,
) -> Result<StatusCode, GraphError> {
    let mut state = sim.lock();
    let id = locate(&state, &caller, &segments, Permission::WriteCalendars)?;
    store::delete_event(&mut state, &id, if_match(&headers))?;
    Ok(StatusCode::NO_CONTENT)
}
