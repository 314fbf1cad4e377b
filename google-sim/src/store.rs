//! Event writes shared by the API and the control surface. Every successful write advances the
//! change sequence (what sync tokens compare against) and notifies the calendar's channels, so a
//! change "made by the user in Google Calendar" looks exactly like one made through the API.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::event::{self, StoredEvent};
use crate::ids;
use crate::state::{Calendar, State};
use crate::watch;

/// Per-request write options from the query string.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WriteOptions {
    /// `conferenceDataVersion=1` is needed to create or change `conferenceData`.
    pub conference_data: bool,
}

fn calendar_mut<'a>(state: &'a mut State, calendar_id: &str) -> Result<&'a mut Calendar, ApiError> {
    state.calendars.get_mut(calendar_id).ok_or_else(ApiError::not_found)
}

fn object(value: Value) -> Result<Map<String, Value>, ApiError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::parse_error()),
    }
}

/// Without `conferenceDataVersion=1` Google ignores conference data in the body (and keeps
/// whatever the event already had).
fn prepare_input(input: &mut Map<String, Value>, options: WriteOptions) {
    event::strip_read_only(input);
    if !options.conference_data {
        input.remove("conferenceData");
    }
}

fn check_if_match(event: &StoredEvent, if_match: Option<&str>) -> Result<(), ApiError> {
    match if_match {
        Some(tag) if tag != "*" && tag.trim_start_matches("W/") != event.etag() => Err(ApiError::condition_not_met()),
        _ => Ok(()),
    }
}

pub(crate) fn insert_event(
    state: &mut State,
    calendar_id: &str,
    actor: &str,
    input: Value,
    options: WriteOptions,
) -> Result<Value, ApiError> {
    let mut body = object(input)?;
    let requested_id = body.get("id").cloned();
    let requested_uid = body.get("iCalUID").cloned();
    prepare_input(&mut body, options);
    let now = state.now();
    let change_seq = state.change_seq + 1;
    let order = state.order_seq + 1;
    let calendar = calendar_mut(state, calendar_id)?;
    let id = match requested_id {
        None | Some(Value::Null) => ids::event_id(),
        Some(Value::String(id)) if ids::is_valid_event_id(&id) => id,
        Some(_) => return Err(ApiError::invalid("Invalid resource id value.")),
    };
    if calendar.events.contains_key(&id) {
        return Err(ApiError::duplicate());
    }
    let ical_uid = match requested_uid {
        None | Some(Value::Null) => format!("{id}@google.com"),
        Some(Value::String(uid)) if !uid.is_empty() => uid,
        Some(_) => return Err(ApiError::invalid("Invalid iCalUID value.")),
    };
    if calendar
        .events
        .values()
        .any(|e| !e.is_cancelled() && e.ical_uid == ical_uid)
    {
        return Err(ApiError::duplicate());
    }
    let span = event::normalize(&mut body, calendar)?;
    if options.conference_data {
        event::create_conference(&mut body);
    }
    let stored = StoredEvent {
        id: id.clone(),
        body,
        ical_uid,
        creator: actor.to_owned(),
        created: now,
        updated: now,
        sequence: 0,
        change_seq,
        order,
        span,
    };
    let rendered = stored.render(calendar);
    calendar.events.insert(id, stored);
    state.change_seq = change_seq;
    state.order_seq = order;
    watch::notify_changed(state, calendar_id);
    Ok(rendered)
}

/// How a write replaces the stored body.
pub(crate) enum Change {
    /// `PATCH`: merge into the stored body.
    Patch(Value),
    /// `PUT`: replace the body (conference data survives unless the request may change it).
    Replace(Value),
}

pub(crate) fn modify_event(
    state: &mut State,
    calendar_id: &str,
    event_id: &str,
    change: Change,
    if_match: Option<&str>,
    options: WriteOptions,
) -> Result<Value, ApiError> {
    let now = state.now();
    let change_seq = state.change_seq + 1;
    let calendar = calendar_mut(state, calendar_id)?;
    let existing = calendar.events.get(event_id).ok_or_else(ApiError::not_found)?;
    check_if_match(existing, if_match)?;
    let mut body = match change {
        Change::Patch(patch) => {
            let mut patch = object(patch)?;
            prepare_input(&mut patch, options);
            let mut body = existing.body.clone();
            event::merge_patch(&mut body, patch);
            body
        }
        Change::Replace(replacement) => {
            let mut body = object(replacement)?;
            prepare_input(&mut body, options);
            if !options.conference_data {
                for key in ["conferenceData", "hangoutLink"] {
                    if let Some(value) = existing.body.get(key) {
                        body.insert(key.to_owned(), value.clone());
                    }
                }
            }
            body
        }
    };
    let span = event::normalize(&mut body, calendar)?;
    if options.conference_data {
        event::create_conference(&mut body);
    }
    let event = calendar.events.get_mut(event_id).expect("event looked up above");
    if span != event.span {
        event.sequence += 1;
    }
    event.body = body;
    event.span = span;
    event.updated = now;
    event.change_seq = change_seq;
    let rendered = calendar.events[event_id].render(calendar);
    state.change_seq = change_seq;
    watch::notify_changed(state, calendar_id);
    Ok(rendered)
}

/// Deleting marks the event cancelled (it stays visible to `get`, `showDeleted` and sync).
pub(crate) fn delete_event(
    state: &mut State,
    calendar_id: &str,
    event_id: &str,
    if_match: Option<&str>,
) -> Result<(), ApiError> {
    let now = state.now();
    let change_seq = state.change_seq + 1;
    let calendar = calendar_mut(state, calendar_id)?;
    let event = calendar.events.get_mut(event_id).ok_or_else(ApiError::not_found)?;
    if event.is_cancelled() {
        return Err(ApiError::deleted());
    }
    check_if_match(event, if_match)?;
    event.body.insert("status".into(), Value::String("cancelled".into()));
    event.updated = now;
    event.change_seq = change_seq;
    state.change_seq = change_seq;
    watch::notify_changed(state, calendar_id);
    Ok(())
}
