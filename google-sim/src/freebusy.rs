//! `POST /calendar/v3/freeBusy`: busy intervals per requested calendar. Calendars the caller
//! cannot see are reported *inside* the 200 (`errors: [{reason: notFound}]`), as Google does, so
//! clients must check each entry rather than the status code.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::event::format_in;
use crate::query::{parse_instant, parse_json};
use crate::scopes::Access;
use crate::state::{Sim, State as World};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FreeBusyRequest {
    time_min: Option<String>,
    time_max: Option<String>,
    time_zone: Option<String>,
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    id: String,
}

fn instant(raw: Option<&str>, name: &str) -> Result<DateTime<Utc>, ApiError> {
    let raw = raw.ok_or_else(|| ApiError::required(format!("Missing {name} parameter.")).at("parameter", name))?;
    parse_instant(raw).ok_or_else(|| ApiError::invalid("Bad Request").at("parameter", name))
}

/// Busy intervals of one calendar within the window: clipped, sorted, overlapping ones merged.
fn busy(
    state: &World,
    calendar_id: &str,
    min: DateTime<Utc>,
    max: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let calendar = &state.calendars[calendar_id];
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = calendar
        .events
        .values()
        .filter(|e| e.is_busy(&calendar.owner) && e.span.end > min && e.span.start < max && e.span.end > e.span.start)
        .map(|e| (e.span.start.max(min), e.span.end.min(max)))
        .collect();
    spans.sort();
    let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn too_long(min: DateTime<Utc>, max: DateTime<Utc>, limit: Option<Duration>) -> bool {
    limit.is_some_and(|limit| max - min > TimeDelta::from_std(limit).unwrap_or(TimeDelta::MAX))
}

pub(crate) async fn query(State(sim): State<Sim>, caller: Caller, body: Bytes) -> Result<Json<Value>, ApiError> {
    caller.require(Access::FreeBusy)?;
    let request: FreeBusyRequest = parse_json(&body)?;
    let min = instant(request.time_min.as_deref(), "timeMin")?;
    let max = instant(request.time_max.as_deref(), "timeMax")?;
    let zone = match request.time_zone.as_deref() {
        None => Tz::UTC,
        Some(name) => name
            .parse::<Tz>()
            .map_err(|_| ApiError::invalid("Invalid time zone.").at("parameter", "timeZone"))?,
    };
    if max <= min {
        return Err(ApiError::time_range_empty("timeMax"));
    }
    let state = sim.lock();
    if too_long(min, max, state.config.freebusy_max_range) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "calendar",
            "timeRangeTooLong",
            "The requested time range is too long.",
        )
        .at("parameter", "timeMax"));
    }
    let mut calendars = Map::new();
    for item in &request.items {
        let entry = match state.resolve_calendar(&caller.user, &item.id) {
            Some((calendar_id, _)) => {
                let busy: Vec<Value> = busy(&state, &calendar_id, min, max)
                    .into_iter()
                    .map(|(start, end)| json!({"start": format_in(start, zone), "end": format_in(end, zone)}))
                    .collect();
                json!({"busy": busy})
            }
            None => json!({"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}),
        };
        calendars.insert(item.id.clone(), entry);
    }
    Ok(Json(json!({
        "kind": "calendar#freeBusy",
        "timeMin": format_in(min, zone),
        "timeMax": format_in(max, zone),
        "groups": {},
        "calendars": calendars,
    })))
}
