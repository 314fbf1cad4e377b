//! Event writes shared by the API and the control surface. Every successful write advances the
//! change sequence (what sync tokens compare against) and notifies the calendar's channels, so a
//! change "made by the user in Google Calendar" looks exactly like one made through the API.
//! Reading an event through `events.get` is here too, because it can finish creating the event's
//! conference.

use serde_json::{Map, Value};

use crate::conference::{self, Asked, Conference, ConferenceMode};
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

/// Drops server-owned fields from client input and takes its `conferenceData` out: the event's
/// conference is kept apart from its body. Without `conferenceDataVersion=1` Google ignores
/// conference data in the body (and keeps whatever the event already had). `replace` is a full
/// update; `current` the event's conference.
fn prepare_input(
    input: &mut Map<String, Value>,
    options: WriteOptions,
    replace: bool,
    current: Option<&Conference>,
) -> Result<Asked, ApiError> {
    event::strip_read_only(input);
    let sent = input.remove("conferenceData");
    if options.conference_data {
        conference::asked(sent, replace, current)
    } else {
        Ok(Asked::Keep)
    }
}

/// How the calendar's organizer (its owner) gets conferences made.
fn conference_mode(state: &State, calendar_id: &str) -> ConferenceMode {
    state
        .calendars
        .get(calendar_id)
        .map(|c| state.conferencing.mode(&c.owner))
        .unwrap_or_default()
}

/// Notes a conference a write made, for `ControlHandle::conferences`.
fn record_conference(state: &mut State, calendar_id: &str, event_id: &str, made: Option<String>) {
    let (Some(join_url), Some(calendar)) = (made, state.calendars.get(calendar_id)) else {
        return;
    };
    let account = calendar.owner.clone();
    state.conferencing.record(sim_support::Conference {
        account,
        calendar_id: calendar_id.to_owned(),
        event_id: event_id.to_owned(),
        join_url,
    });
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
    let asked = prepare_input(&mut body, options, true, None)?;
    let mode = conference_mode(state, calendar_id);
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
    let settled = asked.settle(None, &calendar.conference_types, mode)?;
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
        conference: settled.conference,
    };
    let rendered = stored.render(calendar);
    calendar.events.insert(id.clone(), stored);
    state.change_seq = change_seq;
    state.order_seq = order;
    record_conference(state, calendar_id, &id, settled.made);
    watch::notify_changed(state, calendar_id);
    Ok(rendered)
}

/// How a write replaces the stored body.
pub(crate) enum Change {
    /// `PATCH`: merge into the stored body.
    Patch(Value),
    /// `PUT`: replace the body (the conference survives unless the request may change it).
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
    let mode = conference_mode(state, calendar_id);
    let calendar = calendar_mut(state, calendar_id)?;
    let existing = calendar.events.get(event_id).ok_or_else(ApiError::not_found)?;
    check_if_match(existing, if_match)?;
    let current = existing.conference.as_ref();
    let (mut body, asked) = match change {
        Change::Patch(patch) => {
            let mut patch = object(patch)?;
            let asked = prepare_input(&mut patch, options, false, current)?;
            let mut body = existing.body.clone();
            event::merge_patch(&mut body, patch);
            (body, asked)
        }
        Change::Replace(replacement) => {
            let mut body = object(replacement)?;
            let asked = prepare_input(&mut body, options, true, current)?;
            (body, asked)
        }
    };
    let span = event::normalize(&mut body, calendar)?;
    let settled = asked.settle(existing.conference.clone(), &calendar.conference_types, mode)?;
    let event = calendar.events.get_mut(event_id).expect("event looked up above");
    if span != event.span {
        event.sequence += 1;
    }
    event.body = body;
    event.span = span;
    event.conference = settled.conference;
    event.updated = now;
    event.change_seq = change_seq;
    let rendered = calendar.events[event_id].render(calendar);
    state.change_seq = change_seq;
    record_conference(state, calendar_id, event_id, settled.made);
    watch::notify_changed(state, calendar_id);
    Ok(rendered)
}

/// `events.get`: the event as Google shows it. Reading is what moves a pending conference along
/// (see [`ConferenceMode::Pending`]); the read that makes it ready changes the event as any
/// write does (new etag, in the next incremental sync, channels notified).
pub(crate) fn read_event(state: &mut State, calendar_id: &str, event_id: &str) -> Result<Value, ApiError> {
    let now = state.now();
    let change_seq = state.change_seq + 1;
    let calendar = calendar_mut(state, calendar_id)?;
    let event = calendar.events.get_mut(event_id).ok_or_else(ApiError::not_found)?;
    let ready = event.conference.as_mut().is_some_and(Conference::read);
    if ready {
        event.updated = now;
        event.change_seq = change_seq;
    }
    let rendered = calendar.events[event_id].render(calendar);
    if ready {
        state.change_seq = change_seq;
        watch::notify_changed(state, calendar_id);
    }
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
