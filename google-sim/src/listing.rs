//! `events.list`: a full listing (with filters) or an incremental one (`syncToken`), paged through
//! frozen snapshots. `nextSyncToken` appears only on the last page, as Google documents.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::event::{StoredEvent, timestamp};
use crate::query::{Params, Typed, invalid_value};
use crate::scopes::Access;
use crate::state::{Calendar, Sim, State as World};
use crate::sync::PageCursor;

/// Parameters Google refuses next to `syncToken` (400), because they would change the result set.
const NOT_WITH_SYNC_TOKEN: &[&str] = &[
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum OrderBy {
    Creation,
    StartTime,
    Updated,
}

struct Filters {
    time_min: Option<DateTime<Utc>>,
    time_max: Option<DateTime<Utc>>,
    updated_min: Option<DateTime<Utc>>,
    show_deleted: bool,
    ical_uid: Option<String>,
    q: Option<String>,
    private: Vec<(String, String)>,
    shared: Vec<(String, String)>,
    order_by: OrderBy,
}

fn property_filters(params: &Params, key: &str) -> Result<Vec<(String, String)>, ApiError> {
    params
        .all(key)
        .into_iter()
        .map(|raw| {
            raw.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| invalid_value(key, raw))
        })
        .collect()
}

fn parse_filters(params: &Params, single_events: bool) -> Result<Filters, ApiError> {
    let order_by = match params.get("orderBy") {
        None => OrderBy::Creation,
        Some("startTime") if single_events => OrderBy::StartTime,
        Some("startTime") => {
            return Err(
                ApiError::invalid("The requested ordering is not available for the particular query.")
                    .at("parameter", "orderBy"),
            );
        }
        Some("updated") => OrderBy::Updated,
        Some(other) => return Err(invalid_value("orderBy", other)),
    };
    let filters = Filters {
        time_min: params.time("timeMin")?,
        time_max: params.time("timeMax")?,
        updated_min: params.time("updatedMin")?,
        show_deleted: params.bool("showDeleted")?.unwrap_or(false),
        ical_uid: params.get("iCalUID").map(str::to_owned),
        q: params.get("q").map(str::to_owned),
        private: property_filters(params, "privateExtendedProperty")?,
        shared: property_filters(params, "sharedExtendedProperty")?,
        order_by,
    };
    if let (Some(min), Some(max)) = (filters.time_min, filters.time_max)
        && max <= min
    {
        return Err(ApiError::time_range_empty("timeMax"));
    }
    Ok(filters)
}

impl Filters {
    fn admits(&self, event: &StoredEvent) -> bool {
        // Cancelled events appear only when asked for (or when listing changes since `updatedMin`).
        (!event.is_cancelled() || self.show_deleted || self.updated_min.is_some())
            && self.time_min.is_none_or(|min| event.span.end > min)
            && self.time_max.is_none_or(|max| event.span.start < max)
            && self.updated_min.is_none_or(|min| event.updated >= min)
            && self.ical_uid.as_ref().is_none_or(|uid| &event.ical_uid == uid)
            && self.q.as_ref().is_none_or(|q| event.matches_text(q))
            && self
                .private
                .iter()
                .all(|(k, v)| event.extended_property("private", k) == Some(v))
            && self
                .shared
                .iter()
                .all(|(k, v)| event.extended_property("shared", k) == Some(v))
    }
}

fn full_listing(calendar: &Calendar, filters: &Filters) -> Vec<String> {
    let mut events: Vec<&StoredEvent> = calendar.events.values().filter(|e| filters.admits(e)).collect();
    match filters.order_by {
        OrderBy::Creation => events.sort_by_key(|e| e.order),
        OrderBy::StartTime => events.sort_by_key(|e| (e.span.start, e.order)),
        OrderBy::Updated => events.sort_by_key(|e| (e.updated, e.order)),
    }
    events.into_iter().map(|e| e.id.clone()).collect()
}

/// Everything changed after the sync point, deletions included, oldest change first.
fn changes_since(calendar: &Calendar, seq: u64) -> Vec<String> {
    let mut events: Vec<&StoredEvent> = calendar.events.values().filter(|e| e.change_seq > seq).collect();
    events.sort_by_key(|e| e.change_seq);
    events.into_iter().map(|e| e.id.clone()).collect()
}

fn check_sync_params(params: &Params) -> Result<(), ApiError> {
    if let Some(name) = NOT_WITH_SYNC_TOKEN.iter().find(|name| params.get(name).is_some()) {
        return Err(ApiError::invalid(format!(
            "The '{name}' parameter cannot be used together with syncToken."
        ))
        .at("parameter", name));
    }
    if params.bool("showDeleted")? == Some(false) {
        return Err(
            ApiError::invalid("showDeleted=false cannot be used together with syncToken.")
                .at("parameter", "showDeleted"),
        );
    }
    Ok(())
}

/// Decides which snapshot this request pages through.
fn snapshot(state: &World, params: &Params, calendar_id: &str, single_events: bool) -> Result<PageCursor, ApiError> {
    let calendar = &state.calendars[calendar_id];
    let sync_token = params.get("syncToken");
    if let Some(token) = sync_token {
        check_sync_params(params)?;
        let point = state
            .sync
            .point(token, calendar_id, state.now(), state.config.sync_token_lifetime)?;
        if point.single_events != single_events {
            return Err(
                ApiError::invalid("singleEvents must match the value used for the initial synchronization.")
                    .at("parameter", "singleEvents"),
            );
        }
        if params.get("pageToken").is_none() {
            let ids = changes_since(calendar, point.seq);
            return Ok(PageCursor {
                calendar_id: calendar_id.to_owned(),
                ids,
                position: 0,
                sync_seq: state.change_seq,
                single_events,
            });
        }
    }
    if let Some(page_token) = params.get("pageToken") {
        return state.sync.cursor(page_token, calendar_id);
    }
    let filters = parse_filters(params, single_events)?;
    let ids = full_listing(calendar, &filters);
    Ok(PageCursor {
        calendar_id: calendar_id.to_owned(),
        ids,
        position: 0,
        sync_seq: state.change_seq,
        single_events,
    })
}

pub(crate) async fn list(
    State(sim): State<Sim>,
    caller: Caller,
    Path(calendar_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = Params::from_query(query.as_deref());
    let mut state = sim.lock();
    let (calendar_id, role) = caller.calendar(&state, &calendar_id, Access::EventsRead)?;
    let single_events = params.bool("singleEvents")?.unwrap_or(false);
    let max_results = params.int("maxResults", 1, 2500)?;
    let zone = match params.get("timeZone") {
        Some(name) => Some(name.parse::<Tz>().map_err(|_| invalid_value("timeZone", name))?),
        None => None,
    };
    let cursor = snapshot(&state, &params, &calendar_id, single_events)?;
    let page_size = max_results
        .unwrap_or(state.config.events_page_size)
        .min(state.config.max_page_size)
        .max(1);
    let end = (cursor.position + page_size).min(cursor.ids.len());
    let page_ids = cursor.ids[cursor.position.min(end)..end].to_vec();
    let now = state.now();
    let continuation = if end < cursor.ids.len() {
        let next = PageCursor {
            position: end,
            ..cursor.clone()
        };
        ("nextPageToken", state.sync.store_cursor(next))
    } else {
        (
            "nextSyncToken",
            state
                .sync
                .issue(&calendar_id, cursor.sync_seq, cursor.single_events, now),
        )
    };
    let calendar = &state.calendars[&calendar_id];
    let items: Vec<Value> = page_ids
        .iter()
        .filter_map(|id| calendar.events.get(id))
        .map(|e| e.render_listed(calendar))
        .collect();
    let updated = calendar.events.values().map(|e| e.updated).max().unwrap_or(now);
    let mut body = json!({
        "kind": "calendar#events",
        "etag": format!("\"p{}\"", 33_000_000_000_000u64 + state.change_seq),
        "summary": calendar.summary,
        "description": "",
        "updated": timestamp(updated),
        "timeZone": zone.unwrap_or(calendar.time_zone).name(),
        "accessRole": role.as_str(),
        "defaultReminders": [],
        "items": items,
    });
    body[continuation.0] = json!(continuation.1);
    Ok(Json(body))
}
