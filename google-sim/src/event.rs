//! The event resource: validation of what clients write, patch semantics, and the JSON Google
//! returns. Client-writable fields are kept as JSON (so fields the simulator does not interpret,
//! like `reminders` or `recurrence`, round-trip untouched); the fields it does interpret (times,
//! status, attendees, extended properties) are validated and normalized on every write.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use crate::conference::Conference;
use crate::error::ApiError;
use crate::state::Calendar;

/// Fields the server owns; values sent by clients are ignored, as Google ignores them.
const READ_ONLY: &[&str] = &[
    "kind",
    "etag",
    "id",
    "htmlLink",
    "created",
    "updated",
    "creator",
    "organizer",
    "iCalUID",
    "sequence",
    "hangoutLink",
];

/// Start and end as instants (all-day dates at midnight in the calendar's zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

pub(crate) struct StoredEvent {
    pub id: String,
    pub body: Map<String, Value>,
    pub ical_uid: String,
    pub creator: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub sequence: i64,
    /// Position in the global change sequence of the latest write (what sync tokens compare).
    pub change_seq: u64,
    /// Creation order, the default list order.
    pub order: u64,
    pub span: Span,
    /// Kept apart from `body`: only writes with `conferenceDataVersion=1` change it.
    pub conference: Option<Conference>,
}

pub(crate) fn timestamp(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// RFC 3339 in `zone`, with `Z` for UTC as Google writes it.
pub(crate) fn format_in(instant: DateTime<Utc>, zone: Tz) -> String {
    if zone == Tz::UTC || zone == Tz::Etc__UTC {
        instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        instant.with_timezone(&zone).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

enum When {
    Instant(DateTime<Utc>),
    Date(NaiveDate),
}

fn zone_of(obj: &Map<String, Value>, which: &str) -> Result<Option<Tz>, ApiError> {
    match obj.get("timeZone") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(name)) => name
            .parse::<Tz>()
            .map(Some)
            .map_err(|_| ApiError::invalid(format!("Invalid time zone definition for {which} time."))),
        Some(_) => Err(ApiError::invalid(format!(
            "Invalid time zone definition for {which} time."
        ))),
    }
}

/// Parses and normalizes `start`/`end`: `dateTime` is rewritten with an explicit offset (in the
/// event's `timeZone`, else the calendar's), so stored values are always unambiguous.
fn parse_when(body: &mut Map<String, Value>, which: &str, calendar_zone: Tz) -> Result<When, ApiError> {
    let missing = || ApiError::required(format!("Missing {which} time.")).at("parameter", which);
    let obj = match body.get_mut(which) {
        None | Some(Value::Null) => return Err(missing()),
        Some(Value::Object(obj)) => obj,
        Some(_) => return Err(ApiError::invalid(format!("Invalid {which} time."))),
    };
    let zone = zone_of(obj, which)?;
    let text = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_owned);
    let when = match (text("dateTime"), text("date")) {
        (Some(raw), None) => {
            let instant = match DateTime::parse_from_rfc3339(&raw) {
                Ok(t) => t.with_timezone(&Utc),
                Err(_) => {
                    let naive = NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M:%S%.f")
                        .map_err(|_| ApiError::invalid(format!("Invalid {which} time.")))?;
                    let zone = zone
                        .ok_or_else(|| ApiError::required(format!("Missing time zone definition for {which} time.")))?;
                    zone.from_local_datetime(&naive)
                        .earliest()
                        .ok_or_else(|| ApiError::invalid(format!("Invalid {which} time.")))?
                        .with_timezone(&Utc)
                }
            };
            obj.remove("date");
            obj.insert(
                "dateTime".into(),
                Value::String(format_in(instant, zone.unwrap_or(calendar_zone))),
            );
            When::Instant(instant)
        }
        (None, Some(raw)) => {
            let date = NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid(format!("Invalid {which} time.")))?;
            obj.remove("dateTime");
            When::Date(date)
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(format!(
                "Invalid {which} time: both date and dateTime are set."
            )));
        }
        (None, None) => return Err(missing()),
    };
    Ok(when)
}

fn midnight(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    zone.from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

fn one_of(body: &Map<String, Value>, key: &str, allowed: &[&str]) -> Result<(), ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(v)) if allowed.contains(&v.as_str()) => Ok(()),
        Some(_) => Err(ApiError::invalid(format!("Invalid value for: {key}"))),
    }
}

fn string_field(body: &Map<String, Value>, key: &str) -> Result<(), ApiError> {
    match body.get(key) {
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
        Some(_) => Err(ApiError::invalid(format!("Invalid value for: {key}"))),
    }
}

fn normalize_attendees(body: &mut Map<String, Value>, calendar: &Calendar) -> Result<(), ApiError> {
    let Some(attendees) = body.get_mut("attendees") else {
        return Ok(());
    };
    let Value::Array(list) = attendees else {
        return Err(ApiError::invalid("Invalid value for: attendees"));
    };
    for attendee in list {
        let Value::Object(a) = attendee else {
            return Err(ApiError::invalid("Invalid attendee."));
        };
        let email = match a.get("email") {
            Some(Value::String(e)) if e.contains('@') => e.clone(),
            Some(Value::String(_)) => return Err(ApiError::invalid("Invalid attendee email.")),
            _ => return Err(ApiError::required("Missing attendee email.")),
        };
        one_of(
            a,
            "responseStatus",
            &["needsAction", "declined", "tentative", "accepted"],
        )?;
        a.entry("responseStatus").or_insert_with(|| json!("needsAction"));
        a.remove("self");
        a.remove("organizer");
        if email.eq_ignore_ascii_case(&calendar.owner) {
            a.insert("self".into(), json!(true));
        }
        if email.eq_ignore_ascii_case(&calendar.id) {
            a.insert("organizer".into(), json!(true));
        }
    }
    Ok(())
}

fn validate_extended_properties(body: &Map<String, Value>) -> Result<(), ApiError> {
    let Some(props) = body.get("extendedProperties") else {
        return Ok(());
    };
    let Value::Object(props) = props else {
        return Err(ApiError::invalid("Invalid value for: extendedProperties"));
    };
    for (kind, map) in props {
        match (kind.as_str(), map) {
            ("private" | "shared", Value::Object(entries)) => {
                if entries.values().any(|v| !v.is_string()) {
                    return Err(ApiError::invalid(format!(
                        "Invalid value for: extendedProperties.{kind}: values must be strings"
                    )));
                }
            }
            ("private" | "shared", Value::Null) => {}
            _ => {
                return Err(ApiError::invalid(format!(
                    "Invalid value for: extendedProperties.{kind}"
                )));
            }
        }
    }
    Ok(())
}

/// Drops server-owned fields from client input.
pub(crate) fn strip_read_only(body: &mut Map<String, Value>) {
    for key in READ_ONLY {
        body.remove(*key);
    }
}

/// Validates and normalizes a complete event body for `calendar`; returns its span.
pub(crate) fn normalize(body: &mut Map<String, Value>, calendar: &Calendar) -> Result<Span, ApiError> {
    one_of(body, "status", &["confirmed", "tentative", "cancelled"])?;
    one_of(body, "transparency", &["opaque", "transparent"])?;
    one_of(body, "visibility", &["default", "public", "private", "confidential"])?;
    for key in ["summary", "description", "location"] {
        string_field(body, key)?;
    }
    remove_nulls(body);
    let start = parse_when(body, "start", calendar.time_zone)?;
    let end = parse_when(body, "end", calendar.time_zone)?;
    let span = match (start, end) {
        (When::Instant(start), When::Instant(end)) if end >= start => Span { start, end },
        (When::Date(start), When::Date(end)) if end > start => Span {
            start: midnight(start, calendar.time_zone),
            end: midnight(end, calendar.time_zone),
        },
        (When::Instant(_), When::Instant(_)) | (When::Date(_), When::Date(_)) => {
            return Err(ApiError::time_range_empty("end"));
        }
        _ => {
            return Err(ApiError::invalid(
                "Start and end times must either both be date or both be dateTime.",
            ));
        }
    };
    normalize_attendees(body, calendar)?;
    validate_extended_properties(body)?;
    Ok(span)
}

/// Patch semantics: objects merge key by key (`null` deletes a key), arrays and scalars replace.
/// `start`/`end` are replaced whole, since `date` and `dateTime` exclude each other.
pub(crate) fn merge_patch(target: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        match (target.get_mut(&key), value) {
            (_, Value::Null) => {
                target.remove(&key);
            }
            (Some(Value::Object(existing)), Value::Object(incoming)) if key != "start" && key != "end" => {
                merge_patch(existing, incoming);
            }
            (_, value) => {
                target.insert(key, value);
            }
        }
    }
}

fn remove_nulls(map: &mut Map<String, Value>) {
    map.retain(|_, v| !v.is_null());
    for value in map.values_mut() {
        if let Value::Object(inner) = value {
            remove_nulls(inner);
        }
    }
}

impl StoredEvent {
    pub fn status(&self) -> &str {
        self.body.get("status").and_then(Value::as_str).unwrap_or("confirmed")
    }

    pub fn is_cancelled(&self) -> bool {
        self.status() == "cancelled"
    }

    pub fn etag(&self) -> String {
        format!("\"{}\"", 3_181_161_784_712_000u64 + self.change_seq)
    }

    /// Whether the event makes `owner` busy: not cancelled, opaque, and not declined by them.
    pub fn is_busy(&self, owner: &str) -> bool {
        let transparent = self.body.get("transparency").and_then(Value::as_str) == Some("transparent");
        let declined = self
            .body
            .get("attendees")
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter().any(|a| {
                    a.get("email")
                        .and_then(Value::as_str)
                        .is_some_and(|e| e.eq_ignore_ascii_case(owner))
                        && a.get("responseStatus").and_then(Value::as_str) == Some("declined")
                })
            });
        !self.is_cancelled() && !transparent && !declined
    }

    pub fn extended_property(&self, kind: &str, key: &str) -> Option<&str> {
        self.body.get("extendedProperties")?.get(kind)?.get(key)?.as_str()
    }

    /// The simple `q` search: case-insensitive substring of summary, description or location.
    pub fn matches_text(&self, needle: &str) -> bool {
        let needle = needle.to_lowercase();
        ["summary", "description", "location"]
            .iter()
            .filter_map(|k| self.body.get(*k).and_then(Value::as_str))
            .any(|text| text.to_lowercase().contains(&needle))
    }

    /// The full resource, as `get`, `insert` and `patch` return it.
    pub fn render(&self, calendar: &Calendar) -> Value {
        let mut out = Map::new();
        out.insert("kind".into(), json!("calendar#event"));
        out.insert("etag".into(), json!(self.etag()));
        out.insert("id".into(), json!(self.id));
        out.insert("status".into(), json!(self.status()));
        let eid = STANDARD.encode(format!("{} {}", self.id, calendar.id));
        out.insert(
            "htmlLink".into(),
            json!(format!("https://www.google.com/calendar/event?eid={eid}")),
        );
        out.insert("created".into(), json!(timestamp(self.created)));
        out.insert("updated".into(), json!(timestamp(self.updated)));
        for (key, value) in &self.body {
            out.entry(key.clone()).or_insert_with(|| value.clone());
        }
        if let Some(conference) = &self.conference {
            out.insert("conferenceData".into(), conference.render());
            if let Some(link) = conference.hangout_link() {
                out.insert("hangoutLink".into(), json!(link));
            }
        }
        out.insert("creator".into(), json!({"email": self.creator}));
        let mut organizer = json!({"email": calendar.id, "self": true});
        if calendar.id != calendar.owner {
            organizer["displayName"] = json!(calendar.summary);
        }
        out.insert("organizer".into(), organizer);
        out.insert("iCalUID".into(), json!(self.ical_uid));
        out.insert("sequence".into(), json!(self.sequence));
        out.entry("reminders").or_insert_with(|| json!({"useDefault": true}));
        out.entry("eventType").or_insert_with(|| json!("default"));
        Value::Object(out)
    }

    /// A deleted event in a list or sync: Google guarantees only `id` (and the status).
    pub fn render_deleted(&self) -> Value {
        json!({"kind": "calendar#event", "etag": self.etag(), "id": self.id, "status": "cancelled"})
    }

    pub fn render_listed(&self, calendar: &Calendar) -> Value {
        if self.is_cancelled() {
            self.render_deleted()
        } else {
            self.render(calendar)
        }
    }
}
