//! `GET /v1.0/me/calendarView`, `/me/calendar/calendarView` and `/me/calendars/{id}/calendarView`:
//! the live events of a calendar that overlap the window `startDateTime`..`endDateTime` (both
//! required; an offset-less value is UTC, and `Prefer: outlook.timezone` changes only how times
//! are shown), by start time, each as the event GET returns it (`$select` and extended-property
//! `$expand` included). Pages hold 10 events unless `$top` or `Prefer: odata.maxpagesize` says
//! otherwise; `@odata.nextLink` repeats the request's query with a `$skip`, so pages are positions
//! in the live list, not a snapshot (as in Graph).
//!
//! Limits: recurring events are not expanded into occurrences (the stored event is listed as is);
//! `$filter`, `$orderby` and `$search` are refused rather than ignored.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Value, json};
use sim_support::params::Params;

use crate::auth::Caller;
use crate::error::GraphError;
use crate::event::StoredEvent;
use crate::events::{shape, shaped};
use crate::me::{context, paging};
use crate::prefer::Prefer;
use crate::scopes::Permission;
use crate::state::{Sim, State as World};

/// The `startDateTime`..`endDateTime` window of calendarView and calendarView delta.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

fn parse_bound(params: &Params, key: &str) -> Result<DateTime<Utc>, GraphError> {
    let raw = params.get(key).ok_or_else(|| {
        GraphError::bad_request(
            "ErrorInvalidParameter",
            format!("This request requires a time window specified by the query string parameters StartDateTime and EndDateTime. Missing: {key}."),
        )
    })?;
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc()))
        .map_err(|_| GraphError::bad_request("ErrorInvalidParameter", format!("Invalid {key} '{raw}'.")))
}

impl Window {
    /// The window a request names; 400 `ErrorInvalidParameter` if a bound is missing or unreadable.
    pub fn from_params(params: &Params) -> Result<Self, GraphError> {
        Ok(Window {
            start: parse_bound(params, "startDateTime")?,
            end: parse_bound(params, "endDateTime")?,
        })
    }

    /// The calendar's live events that overlap the window, by start time.
    pub fn events<'a>(&self, state: &'a World, calendar_id: &str) -> Vec<&'a StoredEvent> {
        let mut events: Vec<_> = state
            .events
            .values()
            .filter(|e| !e.deleted && e.calendar_id == calendar_id && e.overlaps(self.start, self.end))
            .collect();
        events.sort_by_key(|e| (e.times.start, e.id.clone()));
        events
    }
}

const UNSUPPORTED: &[&str] = &["$filter", "$orderby", "$search"];

/// The query options of a calendarView (or delta) request, refusing with Graph's 400 any in
/// `unsupported`; `why` completes "The query parameter '…' ".
pub(crate) fn query_options(query: Option<&str>, unsupported: &[&str], why: &str) -> Result<Params, GraphError> {
    let params = Params::from_query(query);
    if let Some(option) = params.keys().find(|k| unsupported.contains(k)) {
        return Err(GraphError::bad_request(
            "BadRequest",
            format!("The query parameter '{option}' {why} the 'CalendarView' resource."),
        ));
    }
    Ok(params)
}

/// The request's own URL with its query, `$skip` replaced (how Graph links Outlook pages).
fn next_link(state: &World, uri: &Uri, skip: usize) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        if key != "$skip" {
            query.append_pair(&key, &value);
        }
    }
    query.append_pair("$skip", &skip.to_string());
    format!("{}{}?{}", state.plumbing.base_url, uri.path(), query.finish())
}

pub(crate) async fn calendar_view(
    State(sim): State<Sim>,
    caller: Caller,
    calendar: Option<Path<String>>,
    prefer: Prefer,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Result<Response, GraphError> {
    let params = query_options(query.as_deref(), UNSUPPORTED, "is not simulated on")?;
    let shape = shape(query.as_deref())?;
    let state = sim.lock();
    let requested = calendar.as_deref().map(String::as_str);
    let calendar = caller.calendar(&state, requested, Permission::ReadCalendars)?;
    let window = Window::from_params(&params)?;
    let default_size = prefer.max_page_size.unwrap_or(state.config.calendar_view_page_size);
    let (skip, size) = paging(&params, default_size)?;
    let events = window.events(&state, &calendar.id);
    let value = events
        .iter()
        .skip(skip)
        .take(size)
        .map(|e| shaped(&state, &e.id, &prefer, &shape).map(|(body, _)| body))
        .collect::<Result<Vec<Value>, GraphError>>()?;
    let user_id = state.users.get(&caller.user).map(|u| u.id.clone()).unwrap_or_default();
    let resource = match requested {
        Some(id) => format!("users('{user_id}')/calendars('{id}')/calendarView"),
        None => format!("users('{user_id}')/calendarView"),
    };
    let mut body = json!({"@odata.context": context(&state, &resource), "value": value});
    let next = skip.saturating_add(size);
    if next < events.len() {
        body["@odata.nextLink"] = json!(next_link(&state, &uri, next));
    }
    let page_size = params.get("$top").is_none().then_some(size);
    Ok(prefer.applied(Json(body).into_response(), page_size))
}
