//! `GET /v1.0/me/calendarView/delta`: change tracking of the default calendar within a window.
//! A round starts with `startDateTime`/`endDateTime`, pages through `@odata.nextLink`
//! (`$skiptoken`) and ends with an `@odata.deltaLink` (`$deltatoken`); the window is encoded in
//! the tokens. The next round returns what changed since the round *started* (changes made while
//! paging are not lost): changed events in the window in full, deleted ones — and changed ones now
//! outside the window — as `@removed`. An expired or invalidated token answers 410.
//!
//! Limits: v1.0 only tracks the default calendar (per-calendar and unbounded delta are beta);
//! items are always complete (Graph may send only changed properties) and never replayed.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use sim_support::params::Params;

use crate::auth::Caller;
use crate::error::GraphError;
use crate::event::View;
use crate::ids;
use crate::me::context;
use crate::prefer::Prefer;
use crate::scopes::Permission;
use crate::state::{Sim, State as World};
use crate::view::{Window, query_options};

/// The frozen item list of one round, paged through by `$skiptoken`.
#[derive(Clone)]
struct Cursor {
    user: String,
    calendar_id: String,
    window: Window,
    ids: Vec<String>,
    position: usize,
    /// Change sequence when the round started; becomes the delta token's position.
    snapshot: u64,
}

#[derive(Clone)]
struct Point {
    user: String,
    calendar_id: String,
    window: Window,
    seq: u64,
    issued_at: DateTime<Utc>,
}

#[derive(Default)]
pub(crate) struct DeltaState {
    cursors: HashMap<String, Cursor>,
    points: HashMap<String, Point>,
}

impl DeltaState {
    /// Forgets every delta and skip token; returns how many delta tokens were live.
    pub fn invalidate(&mut self) -> usize {
        self.cursors.clear();
        std::mem::take(&mut self.points).len()
    }
}

const UNSUPPORTED: &[&str] = &["$select", "$filter", "$orderby", "$expand", "$search"];

/// The 410 that tells a client to start a new round.
fn reset(state: &World, window: Option<Window>) -> Response {
    let mut response = GraphError::new(
        StatusCode::GONE,
        &state.config.delta_reset_code,
        "The sync state is no longer valid. Start a full resynchronization.",
    )
    .into_response();
    if let Some(window) = window {
        let fresh = format!(
            "{}/v1.0/me/calendarView/delta?startDateTime={}&endDateTime={}",
            state.plumbing.base_url,
            window.start.format("%Y-%m-%dT%H:%M:%SZ"),
            window.end.format("%Y-%m-%dT%H:%M:%SZ")
        );
        if let Ok(value) = HeaderValue::from_str(&fresh) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

/// Starts a round: everything live in the window, by start time.
fn full_round(state: &World, user: &str, calendar_id: &str, window: Window) -> Cursor {
    Cursor {
        user: user.to_owned(),
        calendar_id: calendar_id.to_owned(),
        window,
        ids: window
            .events(state, calendar_id)
            .into_iter()
            .map(|e| e.id.clone())
            .collect(),
        position: 0,
        snapshot: state.change_seq,
    }
}

/// Continues from a delta token: every event of the calendar changed since, in change order.
fn changes_since(state: &World, point: &Point) -> Cursor {
    let mut events: Vec<_> = state
        .events
        .values()
        .filter(|e| e.calendar_id == point.calendar_id && e.change_seq > point.seq)
        .collect();
    events.sort_by_key(|e| e.change_seq);
    Cursor {
        user: point.user.clone(),
        calendar_id: point.calendar_id.clone(),
        window: point.window,
        ids: events.into_iter().map(|e| e.id.clone()).collect(),
        position: 0,
        snapshot: state.change_seq,
    }
}

fn item(state: &World, id: &str, window: Window, view: &View<'_>) -> Value {
    let live = state
        .event(id)
        .filter(|e| e.overlaps(window.start, window.end))
        .and_then(|e| {
            let owner = state.calendar(&e.calendar_id).and_then(|c| state.users.get(&c.owner))?;
            Some(e.render(owner, view))
        });
    match live {
        Some(mut event) => {
            event["@odata.type"] = json!("#microsoft.graph.event");
            event
        }
        None => json!({"@odata.type": "#microsoft.graph.event", "id": id, "@removed": {"reason": "deleted"}}),
    }
}

/// Why a request continues no round.
enum Refusal {
    /// 410: start a new round (from this window, when it is known).
    Reset(Option<Window>),
    Invalid(GraphError),
}

/// Which round a request continues.
fn cursor_for(state: &World, caller: &Caller, calendar_id: &str, params: &Params) -> Result<Cursor, Refusal> {
    if let Some(token) = params.get("$skiptoken") {
        return state
            .delta
            .cursors
            .get(token)
            .filter(|c| c.user.eq_ignore_ascii_case(&caller.user))
            .cloned()
            .ok_or(Refusal::Reset(None));
    }
    if let Some(token) = params.get("$deltatoken") {
        let point = state
            .delta
            .points
            .get(token)
            .filter(|p| p.user.eq_ignore_ascii_case(&caller.user))
            .ok_or(Refusal::Reset(None))?;
        let expired = state.config.delta_token_lifetime.is_some_and(|lifetime| {
            state.now() >= point.issued_at + TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::MAX)
        });
        if expired {
            return Err(Refusal::Reset(Some(point.window)));
        }
        return Ok(changes_since(state, point));
    }
    let window = Window::from_params(params).map_err(Refusal::Invalid)?;
    Ok(full_round(state, &caller.user, calendar_id, window))
}

pub(crate) async fn delta(
    State(sim): State<Sim>,
    caller: Caller,
    prefer: Prefer,
    RawQuery(query): RawQuery,
) -> Result<Response, GraphError> {
    let params = query_options(
        query.as_deref(),
        UNSUPPORTED,
        "is not supported with change tracking over",
    )?;
    let mut state = sim.lock();
    let calendar_id = caller.calendar(&state, None, Permission::ReadCalendars)?.id.clone();
    let mut cursor = match cursor_for(&state, &caller, &calendar_id, &params) {
        Ok(cursor) => cursor,
        Err(Refusal::Reset(window)) => return Ok(reset(&state, window)),
        Err(Refusal::Invalid(error)) => return Err(error),
    };
    let size = prefer
        .max_page_size
        .unwrap_or(state.config.delta_page_size)
        .min(state.config.delta_max_page_size)
        .max(1);
    let zone = prefer.zone();
    let view = View {
        zone: &zone,
        expand: &[],
    };
    let end = (cursor.position + size).min(cursor.ids.len());
    let value: Vec<Value> = cursor.ids[cursor.position..end]
        .iter()
        .map(|id| item(&state, id, cursor.window, &view))
        .collect();
    let link = format!("{}/v1.0/me/calendarView/delta", state.plumbing.base_url);
    let mut body = json!({"@odata.context": context(&state, "Collection(event)"), "value": value});
    let token = ids::state_token();
    if end < cursor.ids.len() {
        cursor.position = end;
        state.delta.cursors.insert(token.clone(), cursor);
        body["@odata.nextLink"] = json!(format!("{link}?$skiptoken={token}"));
    } else {
        let point = Point {
            user: cursor.user,
            calendar_id: cursor.calendar_id,
            window: cursor.window,
            seq: cursor.snapshot,
            issued_at: state.now(),
        };
        state.delta.points.insert(token.clone(), point);
        body["@odata.deltaLink"] = json!(format!("{link}?$deltatoken={token}"));
    }
    Ok(prefer.applied(Json(body).into_response(), Some(size)))
}
