//! `POST /v1.0/me/calendar/getSchedule`: free/busy of mailboxes in the tenant for a window, as
//! `scheduleItems` and an `availabilityView` string. Only default calendars count (as in
//! Exchange); subjects and locations are shown only for the caller's own mailbox, because other
//! mailboxes share free/busy but not details by default.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::GraphError;
use crate::event::StoredEvent;
use crate::me::context;
use crate::prefer::Prefer;
use crate::scopes::Permission;
use crate::state::{Sim, State as World, User};
use crate::zones::{Zone, parse_wall};

#[derive(Deserialize)]
struct DateTimeTimeZone {
    #[serde(rename = "dateTime")]
    date_time: String,
    #[serde(rename = "timeZone")]
    time_zone: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScheduleRequest {
    schedules: Vec<String>,
    start_time: DateTimeTimeZone,
    end_time: DateTimeTimeZone,
    availability_view_interval: Option<i64>,
}

fn instant(value: &DateTimeTimeZone, which: &str) -> Result<DateTime<Utc>, GraphError> {
    let zone_name = value.time_zone.as_deref().unwrap_or("UTC");
    let zone = Zone::parse(zone_name).ok_or_else(|| {
        GraphError::bad_request(
            "TimeZoneNotSupportedException",
            format!("A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zone_name}'."),
        )
    })?;
    let wall = parse_wall(&value.date_time)
        .ok_or_else(|| GraphError::bad_request("ErrorInvalidParameter", format!("Invalid {which}.dateTime.")))?;
    Ok(zone.instant(wall))
}

/// availabilityView digit of a `showAs`, and its weight when events overlap in one slot.
fn digit(status: &str) -> Option<(char, u8)> {
    match status {
        "free" => Some(('0', 0)),
        "workingElsewhere" => Some(('4', 1)),
        "tentative" => Some(('1', 2)),
        "busy" => Some(('2', 3)),
        "oof" => Some(('3', 4)),
        _ => None,
    }
}

fn availability_view(events: &[&StoredEvent], start: DateTime<Utc>, end: DateTime<Utc>, interval: TimeDelta) -> String {
    let mut view = String::new();
    let mut slot = start;
    while slot < end {
        let slot_end = (slot + interval).min(end);
        let strongest = events
            .iter()
            .filter(|e| e.overlaps(slot, slot_end))
            .filter_map(|e| digit(e.show_as()))
            .max_by_key(|(_, weight)| *weight);
        view.push(strongest.map_or('0', |(c, _)| c));
        slot = slot_end;
    }
    view
}

fn schedule_item(event: &StoredEvent, zone: &Zone, with_details: bool) -> Value {
    let mut item = json!({
        "isPrivate": event.is_private(),
        "status": event.show_as(),
        "start": {"dateTime": zone.wall(event.times.start), "timeZone": zone.name},
        "end": {"dateTime": zone.wall(event.times.end), "timeZone": zone.name},
    });
    if with_details && !event.is_private() {
        item["subject"] = event.body.get("subject").cloned().unwrap_or(json!(""));
        item["location"] = json!(
            event
                .body
                .get("location")
                .and_then(|l| l.get("displayName"))
                .and_then(Value::as_str)
                .unwrap_or("")
        );
    }
    item
}

fn working_hours(user: &User) -> Value {
    json!({
        "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "startTime": "08:00:00.0000000",
        "endTime": "17:00:00.0000000",
        "timeZone": {"name": user.zone.windows_name()},
    })
}

struct Window {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    interval: TimeDelta,
}

fn schedule(state: &World, address: &str, caller: &str, window: &Window, zone: &Zone) -> Value {
    let Some(user) = state.users.get(address) else {
        return json!({
            "scheduleId": address,
            "availabilityView": "",
            "scheduleItems": [],
            "error": {"message": format!("The user '{address}' could not be found."), "responseCode": "ErrorMailRecipientNotFound"},
        });
    };
    let calendar = state.default_calendar(&user.email).map(|c| c.id.clone());
    let mut events: Vec<&StoredEvent> = state
        .events
        .values()
        .filter(|e| !e.deleted && Some(&e.calendar_id) == calendar.as_ref())
        .filter(|e| e.overlaps(window.start, window.end))
        .collect();
    events.sort_by_key(|e| (e.times.start, e.times.end));
    let own = user.email.eq_ignore_ascii_case(caller);
    json!({
        "scheduleId": address,
        "availabilityView": availability_view(&events, window.start, window.end, window.interval),
        "scheduleItems": events.iter().map(|e| schedule_item(e, zone, own)).collect::<Vec<_>>(),
        "workingHours": working_hours(user),
    })
}

fn window(state: &World, request: &ScheduleRequest) -> Result<Window, GraphError> {
    let start = instant(&request.start_time, "startTime")?;
    let end = instant(&request.end_time, "endTime")?;
    if end <= start {
        return Err(GraphError::bad_request(
            "ErrorInvalidTimeInterval",
            "The start time must be before the end time.",
        ));
    }
    let max_days = state.config.schedule_max_days;
    if end - start > TimeDelta::days(max_days) {
        return Err(GraphError::bad_request(
            "ErrorTimeIntervalTooBig",
            format!("The time interval specified is too large. The maximum allowed is {max_days} days."),
        ));
    }
    let minutes = request.availability_view_interval.unwrap_or(30);
    if !(5..=1440).contains(&minutes) {
        return Err(GraphError::bad_request(
            "ErrorInvalidParameter",
            "availabilityViewInterval must be between 5 and 1440 minutes.",
        ));
    }
    if request.schedules.len() > state.config.schedule_max_entities {
        return Err(GraphError::bad_request(
            "ErrorMailboxDataArrayTooBig",
            format!(
                "The number of mailboxes in the request exceeds the limit of {}.",
                state.config.schedule_max_entities
            ),
        ));
    }
    Ok(Window {
        start,
        end,
        interval: TimeDelta::minutes(minutes),
    })
}

pub(crate) async fn get_schedule(
    State(sim): State<Sim>,
    caller: Caller,
    prefer: Prefer,
    body: Bytes,
) -> Result<Response, GraphError> {
    caller.require(Permission::ReadCalendars)?;
    let request: ScheduleRequest = serde_json::from_slice(&body).map_err(GraphError::unreadable_body)?;
    let state = sim.lock();
    let window = window(&state, &request)?;
    let zone = prefer.zone();
    let value: Vec<Value> = request
        .schedules
        .iter()
        .map(|address| schedule(&state, address, &caller.user, &window, &zone))
        .collect();
    let body = json!({
        "@odata.context": context(&state, "Collection(microsoft.graph.scheduleInformation)"),
        "value": value,
    });
    Ok(prefer.applied(Json(body).into_response(), None))
}

#[cfg(test)]
mod tests {
    use super::digit;

    #[test]
    fn overlapping_statuses_show_the_strongest_in_the_availability_view() {
        let order: Vec<char> = ["free", "workingElsewhere", "tentative", "busy", "oof"]
            .iter()
            .map(|s| digit(s).unwrap())
            .scan(0, |last, (c, weight)| {
                assert!(weight >= *last);
                *last = weight;
                Some(c)
            })
            .collect();
        assert_eq!(order, ['0', '4', '1', '2', '3']);
        assert_eq!(digit("unknown"), None);
    }
}
