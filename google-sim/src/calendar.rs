//! `GET /calendar/v3/users/me/calendarList`: the calendars on the caller's list, with paging and
//! `minAccessRole`. Calendar lists change rarely in tests, so a `syncToken` here simply returns
//! the whole list again (a superset of the changes, which a correct client handles).

use axum::Json;
use axum::extract::{RawQuery, State};
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids;
use crate::query::{Params, Typed, invalid_value};
use crate::scopes::Access;
use crate::state::{AccessRole, Sim};

pub(crate) async fn calendar_list(
    State(sim): State<Sim>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    caller.require(Access::CalendarListRead)?;
    let params = Params::from_query(query.as_deref());
    let max_results = params.int("maxResults", 1, 250)?.unwrap_or(100);
    let min_role = match params.get("minAccessRole") {
        None => AccessRole::FreeBusyReader,
        Some(raw) => AccessRole::parse(raw).ok_or_else(|| invalid_value("minAccessRole", raw))?,
    };
    if params.get("syncToken").is_some() && params.get("minAccessRole").is_some() {
        return Err(
            ApiError::invalid("The 'minAccessRole' parameter cannot be used together with syncToken.")
                .at("parameter", "minAccessRole"),
        );
    }
    params.bool("showDeleted")?;
    params.bool("showHidden")?;
    let offset = match params.get("pageToken") {
        None => 0,
        Some(token) => token
            .strip_prefix("offset:")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::invalid("Invalid page token value.").at("parameter", "pageToken"))?,
    };
    let state = sim.lock();
    let user = state
        .users
        .get(&caller.user)
        .ok_or_else(ApiError::invalid_credentials)?;
    let entries: Vec<Value> = user
        .entries
        .iter()
        .filter(|e| e.access_role >= min_role)
        .filter_map(|entry| {
            let calendar = state.calendars.get(&entry.calendar_id)?;
            let mut item = json!({
                "kind": "calendar#calendarListEntry",
                "etag": format!("\"{}\"", 1_700_000_000_000_000u64 + calendar.id.len() as u64),
                "id": calendar.id,
                "summary": calendar.summary,
                "timeZone": calendar.time_zone.name(),
                "colorId": "14",
                "backgroundColor": "#9fe1e7",
                "foregroundColor": "#000000",
                "selected": true,
                "accessRole": entry.access_role.as_str(),
                "defaultReminders": [],
                "conferenceProperties": {"allowedConferenceSolutionTypes": calendar.conference_types},
            });
            if entry.primary {
                item["primary"] = json!(true);
            }
            Some(item)
        })
        .collect();
    let end = (offset + max_results).min(entries.len());
    let page = entries[offset.min(end)..end].to_vec();
    let mut body = json!({"kind": "calendar#calendarList", "etag": format!("\"p{}\"", entries.len()), "items": page});
    if end < entries.len() {
        body["nextPageToken"] = json!(format!("offset:{end}"));
    } else {
        body["nextSyncToken"] = json!(ids::opaque_token());
    }
    Ok(Json(body))
}
