//! The event resource: what clients may write, how it is validated and normalized, and the JSON
//! Graph returns. Client-writable properties are kept as JSON (so properties the simulator does
//! not interpret, like `recurrence` or `locations`, round-trip); the ones it does interpret —
//! times, `isAllDay`, `showAs`, attendees, `transactionId`, extended properties — are checked on
//! every write. Unknown properties are refused as Graph refuses them. The online meeting lives
//! outside the body (see [`crate::online_meeting`]).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::error::GraphError;
use crate::online_meeting::{self, OnlineMeeting};
use crate::state::User;
use crate::zones::{Zone, parse_wall, timestamp};

/// Properties a client may write.
const WRITABLE: &[&str] = &[
    "subject",
    "body",
    "start",
    "end",
    "isAllDay",
    "attendees",
    "location",
    "locations",
    "showAs",
    "sensitivity",
    "importance",
    "categories",
    "transactionId",
    "singleValueExtendedProperties",
    "multiValueExtendedProperties",
    "isReminderOn",
    "reminderMinutesBeforeStart",
    "responseRequested",
    "allowNewTimeProposals",
    "isOnlineMeeting",
    "onlineMeetingProvider",
    "hideAttendees",
    "recurrence",
];

/// Server-owned properties; values sent by clients are ignored.
const READ_ONLY: &[&str] = &[
    "@odata.etag",
    "@odata.context",
    "@odata.type",
    "id",
    "createdDateTime",
    "lastModifiedDateTime",
    "changeKey",
    "iCalUId",
    "organizer",
    "isOrganizer",
    "isCancelled",
    "type",
    "seriesMasterId",
    "webLink",
    "originalStartTimeZone",
    "originalEndTimeZone",
    "responseStatus",
    "hasAttachments",
    "bodyPreview",
    "isDraft",
    "onlineMeeting",
    "onlineMeetingUrl",
];

pub const SHOW_AS: &[&str] = &["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"];

/// When an event happens, as instants, and the zones its times were written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Times {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub start_zone: Zone,
    pub end_zone: Zone,
}

pub(crate) struct StoredEvent {
    pub id: String,
    pub calendar_id: String,
    /// Client-writable properties, normalized.
    pub body: Map<String, Value>,
    pub times: Times,
    pub ical_uid: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub change_key: String,
    /// Position in the global change sequence of the latest write (what delta tokens compare).
    pub change_seq: u64,
    /// Creation order (the change sequence position of the create).
    pub order: u64,
    /// A tombstone: gone for the API, still reported by delta queries.
    pub deleted: bool,
    /// Kept apart from `body`: once made, no write changes it.
    pub online_meeting: Option<OnlineMeeting>,
}

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::invalid_request(message)
}

/// Refuses properties `microsoft.graph.event` does not have, and drops server-owned ones.
pub(crate) fn check_properties(input: &mut Map<String, Value>) -> Result<(), GraphError> {
    if input.contains_key("extensions") {
        return Err(invalid(
            "Open extensions are not simulated; use singleValueExtendedProperties.",
        ));
    }
    input.retain(|key, _| !READ_ONLY.contains(&key.as_str()));
    match input.keys().find(|key| !WRITABLE.contains(&key.as_str())) {
        Some(unknown) => Err(GraphError::bad_request(
            "RequestBodyRead",
            format!(
                "The property '{unknown}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type."
            ),
        )),
        None => Ok(()),
    }
}

/// Parses a `dateTimeTimeZone` and rewrites it in Graph's normalized form.
fn parse_time(body: &mut Map<String, Value>, which: &str) -> Result<(DateTime<Utc>, Zone), GraphError> {
    let Some(Value::Object(value)) = body.get_mut(which) else {
        return Err(invalid(format!(
            "The '{which}' property is required and must be a dateTimeTimeZone."
        )));
    };
    let zone = match value.get("timeZone") {
        None | Some(Value::Null) => Zone::utc(),
        Some(Value::String(name)) => Zone::parse(name).ok_or_else(|| {
            GraphError::bad_request(
                "TimeZoneNotSupportedException",
                format!(
                    "A valid TimeZone value must be specified. The following TimeZone value is not supported: '{name}'."
                ),
            )
        })?,
        Some(_) => return Err(invalid(format!("Invalid {which}.timeZone."))),
    };
    let raw = value.get("dateTime").and_then(Value::as_str).unwrap_or_default();
    let wall = parse_wall(raw).ok_or_else(|| {
        invalid(format!(
            "Invalid {which}.dateTime '{raw}': expected a wall-clock time like 2026-03-15T12:00:00 without an offset (the zone goes in timeZone)."
        ))
    })?;
    let instant = zone.instant(wall);
    value.insert("dateTime".into(), json!(zone.wall(instant)));
    value.insert("timeZone".into(), json!(zone.name));
    Ok((instant, zone))
}

fn one_of(body: &Map<String, Value>, key: &str, allowed: &[&str]) -> Result<(), GraphError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(v)) if allowed.contains(&v.as_str()) => Ok(()),
        Some(other) => Err(invalid(format!("Invalid value {other} for property '{key}'."))),
    }
}

fn typed(body: &Map<String, Value>, key: &str, ok: fn(&Value) -> bool) -> Result<(), GraphError> {
    match body.get(key) {
        Some(value) if !value.is_null() && !ok(value) => Err(invalid(format!("Invalid value for property '{key}'."))),
        _ => Ok(()),
    }
}

fn is_midnight(instant: DateTime<Utc>, zone: &Zone) -> bool {
    zone.wall(instant).ends_with("T00:00:00.0000000")
}

fn check_all_day(body: &Map<String, Value>, times: &Times) -> Result<(), GraphError> {
    if body.get("isAllDay") != Some(&Value::Bool(true)) {
        return Ok(());
    }
    let whole_days = (times.end - times.start).num_seconds() % 86_400 == 0 && times.end > times.start;
    if !is_midnight(times.start, &times.start_zone) || !is_midnight(times.end, &times.end_zone) || !whole_days {
        return Err(invalid(
            "Your request can't be completed. For an all-day event, start and end must be at midnight and span whole days.",
        ));
    }
    Ok(())
}

fn normalize_attendees(body: &mut Map<String, Value>) -> Result<(), GraphError> {
    let Some(Value::Array(list)) = body.get_mut("attendees") else {
        return typed(body, "attendees", Value::is_array);
    };
    for attendee in list {
        let Value::Object(a) = attendee else {
            return Err(invalid("Invalid attendee."));
        };
        let address = a
            .get("emailAddress")
            .and_then(|e| e.get("address"))
            .and_then(Value::as_str);
        if !address.is_some_and(|address| address.contains('@')) {
            return Err(GraphError::bad_request(
                "ErrorInvalidRecipients",
                "At least one recipient isn't valid.",
            ));
        }
        one_of(a, "type", &["required", "optional", "resource"])?;
        a.entry("type").or_insert_with(|| json!("required"));
        a.insert(
            "status".into(),
            json!({"response": "none", "time": "0001-01-01T00:00:00Z"}),
        );
    }
    Ok(())
}

fn check_extended_properties(body: &Map<String, Value>) -> Result<(), GraphError> {
    let Some(list) = body.get("singleValueExtendedProperties") else {
        return Ok(());
    };
    let valid = list.as_array().is_some_and(|list| {
        list.iter().all(|p| {
            p.get("id").and_then(Value::as_str).is_some_and(|id| !id.is_empty())
                && p.get("value").is_some_and(Value::is_string)
        })
    });
    if valid {
        Ok(())
    } else {
        Err(invalid(
            "singleValueExtendedProperties must be a list of {id, value} strings.",
        ))
    }
}

/// Validates and normalizes a complete event body; returns when it happens.
pub(crate) fn normalize(body: &mut Map<String, Value>) -> Result<Times, GraphError> {
    body.retain(|_, v| !v.is_null());
    one_of(body, "showAs", SHOW_AS)?;
    one_of(body, "sensitivity", &["normal", "personal", "private", "confidential"])?;
    one_of(body, "importance", &["low", "normal", "high"])?;
    typed(body, "subject", Value::is_string)?;
    typed(body, "transactionId", Value::is_string)?;
    typed(body, "isAllDay", Value::is_boolean)?;
    typed(body, "categories", |v| {
        v.as_array().is_some_and(|l| l.iter().all(Value::is_string))
    })?;
    typed(body, "body", |v| {
        ["text", "html"].contains(&v.get("contentType").and_then(Value::as_str).unwrap_or("text"))
            && v.get("content").is_none_or(Value::is_string)
    })?;
    let (start, start_zone) = parse_time(body, "start")?;
    let (end, end_zone) = parse_time(body, "end")?;
    if end < start {
        return Err(invalid("The end time of the event must not be before its start time."));
    }
    let times = Times {
        start,
        end,
        start_zone,
        end_zone,
    };
    check_all_day(body, &times)?;
    normalize_attendees(body)?;
    check_extended_properties(body)?;
    Ok(times)
}

/// Graph's PATCH: each given property replaces the stored one, except extended properties,
/// which are added or updated by id. `transactionId` cannot change.
pub(crate) fn apply_patch(target: &mut Map<String, Value>, patch: Map<String, Value>) -> Result<(), GraphError> {
    for (key, value) in patch {
        match key.as_str() {
            "transactionId" if target.get("transactionId").is_some_and(|old| *old != value) => {
                return Err(invalid("The transactionId of an event cannot be changed."));
            }
            "singleValueExtendedProperties" => merge_extended_properties(target, value),
            _ => {
                target.insert(key, value);
            }
        }
    }
    Ok(())
}

fn property_id(property: &Value) -> String {
    property
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn merge_extended_properties(target: &mut Map<String, Value>, incoming: Value) {
    let Value::Array(incoming) = incoming else {
        target.insert("singleValueExtendedProperties".into(), incoming);
        return;
    };
    let existing = target
        .entry("singleValueExtendedProperties")
        .or_insert_with(|| json!([]));
    let Value::Array(list) = existing else { return };
    for property in incoming {
        let id = property_id(&property);
        list.retain(|p| property_id(p) != id);
        list.push(property);
    }
}

/// How a response shows events: in which zone, and which extended properties were expanded.
pub(crate) struct View<'a> {
    pub zone: &'a Zone,
    /// Ids asked for with `$expand=singleValueExtendedProperties($filter=id eq '…')`.
    pub expand: &'a [String],
}

fn plain_text(body: &Map<String, Value>) -> String {
    let content = body
        .get("body")
        .and_then(|b| b.get("content"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut text = String::new();
    let mut in_tag = false;
    for c in content.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(255)
        .collect()
}

impl StoredEvent {
    pub fn etag(&self) -> String {
        format!("W/\"{}\"", self.change_key)
    }

    pub fn show_as(&self) -> &str {
        self.body.get("showAs").and_then(Value::as_str).unwrap_or("busy")
    }

    pub fn is_private(&self) -> bool {
        self.body.get("sensitivity").and_then(Value::as_str) == Some("private")
    }

    pub fn is_all_day(&self) -> bool {
        self.body.get("isAllDay") == Some(&Value::Bool(true))
    }

    pub fn transaction_id(&self) -> Option<&str> {
        self.body.get("transactionId").and_then(Value::as_str)
    }

    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.times.start < end
            && (self.times.end > start || (self.times.start == self.times.end && self.times.start >= start))
    }

    /// `start` or `end` in the response zone. All-day events are floating: their midnights are
    /// shown as midnights in whatever zone the caller asked for.
    pub fn time_in(&self, which: &str, zone: &Zone) -> Value {
        let (instant, own_zone) = match which {
            "start" => (self.times.start, &self.times.start_zone),
            _ => (self.times.end, &self.times.end_zone),
        };
        let wall = if self.is_all_day() {
            own_zone.wall(instant)
        } else {
            zone.wall(instant)
        };
        json!({"dateTime": wall, "timeZone": zone.name})
    }

    /// The full resource, as create, get, patch and delta return it.
    pub fn render(&self, organizer: &User, view: &View<'_>) -> Value {
        let mut out = Map::new();
        out.insert("@odata.etag".into(), json!(self.etag()));
        out.insert("id".into(), json!(self.id));
        out.insert("createdDateTime".into(), json!(timestamp(self.created)));
        out.insert("lastModifiedDateTime".into(), json!(timestamp(self.modified)));
        out.insert("changeKey".into(), json!(self.change_key));
        out.insert("categories".into(), json!([]));
        out.insert("originalStartTimeZone".into(), json!(self.times.start_zone.name));
        out.insert("originalEndTimeZone".into(), json!(self.times.end_zone.name));
        out.insert("iCalUId".into(), json!(self.ical_uid));
        out.insert("reminderMinutesBeforeStart".into(), json!(15));
        out.insert("isReminderOn".into(), json!(true));
        out.insert("hasAttachments".into(), json!(false));
        out.insert("subject".into(), json!(""));
        out.insert("bodyPreview".into(), json!(plain_text(&self.body)));
        out.insert("importance".into(), json!("normal"));
        out.insert("sensitivity".into(), json!("normal"));
        out.insert("isAllDay".into(), json!(false));
        out.insert("isCancelled".into(), json!(false));
        out.insert("isOrganizer".into(), json!(true));
        out.insert("responseRequested".into(), json!(true));
        out.insert("seriesMasterId".into(), Value::Null);
        out.insert("showAs".into(), json!("busy"));
        out.insert("type".into(), json!("singleInstance"));
        let encoded: String = url::form_urlencoded::byte_serialize(self.id.as_bytes()).collect();
        out.insert(
            "webLink".into(),
            json!(format!(
                "https://outlook.office365.com/owa/?itemid={encoded}&exvsurl=1&path=/calendar/item"
            )),
        );
        online_meeting::render(self.online_meeting.as_ref(), &mut out);
        out.insert("allowNewTimeProposals".into(), json!(true));
        out.insert("isDraft".into(), json!(false));
        out.insert("hideAttendees".into(), json!(false));
        out.insert(
            "responseStatus".into(),
            json!({"response": "organizer", "time": "0001-01-01T00:00:00Z"}),
        );
        out.insert("body".into(), json!({"contentType": "html", "content": ""}));
        out.insert("location".into(), json!({"displayName": "", "locationType": "default"}));
        out.insert("locations".into(), json!([]));
        out.insert("recurrence".into(), Value::Null);
        out.insert("attendees".into(), json!([]));
        for (key, value) in &self.body {
            if key != "singleValueExtendedProperties" && key != "multiValueExtendedProperties" {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("start".into(), self.time_in("start", view.zone));
        out.insert("end".into(), self.time_in("end", view.zone));
        out.insert(
            "organizer".into(),
            json!({"emailAddress": {"name": organizer.display_name, "address": organizer.email}}),
        );
        if !view.expand.is_empty() {
            out.insert("singleValueExtendedProperties".into(), self.expanded(view.expand));
        }
        Value::Object(out)
    }

    /// Ids of the event's extended properties (to expand them all for the control API).
    pub fn extended_property_ids(&self) -> Vec<String> {
        self.body
            .get("singleValueExtendedProperties")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|p| p.get("id").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn expanded(&self, ids: &[String]) -> Value {
        let wanted: Vec<String> = ids.iter().map(|id| id.to_ascii_lowercase()).collect();
        let list = self
            .body
            .get("singleValueExtendedProperties")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter(|p| wanted.contains(&property_id(p)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Value::Array(list)
    }
}
