//! Event writes shared by the API and the control surface. Every successful write advances the
//! change sequence (what delta tokens compare against) and notifies subscriptions, so a change
//! "made by the user in Outlook" looks exactly like one made through Graph.

use axum::http::StatusCode;
use chrono::TimeDelta;
use serde_json::{Map, Value};

use crate::error::GraphError;
use crate::event::{self, StoredEvent};
use crate::ids;
use crate::online_meeting::{self, Organizer};
use crate::state::State;
use crate::subscriptions::{self, ChangeType};

fn object(value: Value) -> Result<Map<String, Value>, GraphError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(GraphError::unreadable_body("an event must be a JSON object")),
    }
}

fn check_if_match(state: &State, event: &StoredEvent, if_match: Option<&str>) -> Result<(), GraphError> {
    let Some(tag) = if_match.map(str::trim).filter(|t| *t != "*") else {
        return Ok(());
    };
    if tag.trim_start_matches("W/").trim_matches('"') == event.change_key {
        return Ok(());
    }
    let status = StatusCode::from_u16(state.config.if_match_conflict_status).unwrap_or(StatusCode::PRECONDITION_FAILED);
    Err(GraphError::new(
        status,
        "ErrorIrresolvableConflict",
        "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
    ))
}

/// The live event created in `owner`'s mailbox with `transaction_id`, within the retention window.
fn earlier_create(state: &State, owner: &str, transaction_id: &str) -> Option<String> {
    let now = state.now();
    let retained = |e: &StoredEvent| {
        state
            .config
            .transaction_id_retention
            .is_none_or(|keep| now < e.created + TimeDelta::from_std(keep).unwrap_or(TimeDelta::MAX))
    };
    state
        .events
        .values()
        .filter(|e| !e.deleted && e.transaction_id() == Some(transaction_id) && retained(e))
        .find(|e| {
            state
                .calendar(&e.calendar_id)
                .is_some_and(|c| c.owner.eq_ignore_ascii_case(owner))
        })
        .map(|e| e.id.clone())
}

/// The organizer of events in `owner`'s mailbox, for their online meetings.
fn organizer(state: &State, owner: &str) -> Organizer {
    Organizer {
        tenant_id: state.config.tenant_id.clone(),
        user_id: state.users.get(owner).map(|u| u.id.clone()).unwrap_or_default(),
        mode: state.conferencing.mode(owner),
    }
}

/// Notes an online meeting a write made, for `ControlHandle::conferences`.
fn record_meeting(state: &mut State, event_id: &str, made: Option<String>) {
    let Some(join_url) = made else { return };
    let Some(calendar) = state.event(event_id).and_then(|e| state.calendar(&e.calendar_id)) else {
        return;
    };
    let conference = sim_support::Conference {
        account: calendar.owner.clone(),
        calendar_id: calendar.id.clone(),
        event_id: event_id.to_owned(),
        join_url,
    };
    state.conferencing.record(conference);
}

/// Creates an event and returns its id — or the id of the event an earlier create with the same
/// `transactionId` made, so a retried create does not duplicate it.
pub(crate) fn insert_event(state: &mut State, calendar_id: &str, input: Value) -> Result<String, GraphError> {
    let mut body = object(input)?;
    event::check_properties(&mut body)?;
    let asked = online_meeting::take(&mut body)?;
    let times = event::normalize(&mut body)?;
    let owner = state
        .calendar(calendar_id)
        .ok_or_else(GraphError::not_found)?
        .owner
        .clone();
    let transaction_id = body.get("transactionId").and_then(Value::as_str);
    if let Some(existing) = transaction_id.and_then(|t| earlier_create(state, &owner, t)) {
        return Ok(existing);
    }
    let settled = asked.settle(None, &organizer(state, &owner));
    let now = state.now();
    state.change_seq += 1;
    let stored = StoredEvent {
        id: ids::item_id(),
        calendar_id: calendar_id.to_owned(),
        body,
        times,
        ical_uid: ids::ical_uid(),
        created: now,
        modified: now,
        change_key: ids::change_key(),
        change_seq: state.change_seq,
        order: state.change_seq,
        deleted: false,
        online_meeting: settled.meeting,
    };
    let id = stored.id.clone();
    state.events.insert(id.clone(), stored);
    record_meeting(state, &id, settled.made);
    subscriptions::notify(state, &id, ChangeType::Created);
    Ok(id)
}

/// Graph's PATCH on an event.
pub(crate) fn update_event(
    state: &mut State,
    event_id: &str,
    patch: Value,
    if_match: Option<&str>,
) -> Result<(), GraphError> {
    let existing = state.event(event_id).ok_or_else(GraphError::not_found)?;
    check_if_match(state, existing, if_match)?;
    let mut patch = object(patch)?;
    event::check_properties(&mut patch)?;
    let asked = online_meeting::take(&mut patch)?;
    let mut body = existing.body.clone();
    event::apply_patch(&mut body, patch)?;
    let times = event::normalize(&mut body)?;
    let owner = state
        .calendar(&existing.calendar_id)
        .map(|c| c.owner.clone())
        .unwrap_or_default();
    let settled = asked.settle(existing.online_meeting.clone(), &organizer(state, &owner));
    commit(state, event_id, ChangeType::Updated, |event| {
        event.body = body;
        event.times = times;
        event.online_meeting = settled.meeting;
    });
    record_meeting(state, event_id, settled.made);
    Ok(())
}

/// Deleting leaves a tombstone: 404 for the API, `@removed` for delta queries.
pub(crate) fn delete_event(state: &mut State, event_id: &str, if_match: Option<&str>) -> Result<(), GraphError> {
    let existing = state.event(event_id).ok_or_else(GraphError::not_found)?;
    check_if_match(state, existing, if_match)?;
    commit(state, event_id, ChangeType::Deleted, |event| event.deleted = true);
    Ok(())
}

/// Records a write to an existing event — its place in the change sequence, modification time
/// and change key — and notifies subscriptions.
fn commit(state: &mut State, event_id: &str, change: ChangeType, write: impl FnOnce(&mut StoredEvent)) {
    let now = state.now();
    state.change_seq += 1;
    let seq = state.change_seq;
    let event = state
        .events
        .get_mut(event_id)
        .expect("event looked up before the write");
    write(event);
    event.modified = now;
    event.change_key = ids::change_key();
    event.change_seq = seq;
    subscriptions::notify(state, event_id, change);
}
