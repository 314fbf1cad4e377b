//! `GET /v1.0/me` and the signed-in user's calendars (`/me/calendars`, `/me/calendar`,
//! `/me/calendars/{id}`). Calendars are paged by `$top`/`$skip` like Graph, 10 by default.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde_json::{Value, json};
use sim_support::params::Params;

use crate::auth::Caller;
use crate::error::GraphError;
use crate::scopes::Permission;
use crate::state::{Calendar, Sim, State as World};

/// `@odata.context` for a response, on the simulator's own base URL.
pub(crate) fn context(state: &World, fragment: &str) -> String {
    format!("{}/v1.0/$metadata#{fragment}", state.plumbing.base_url)
}

pub(crate) async fn me(State(sim): State<Sim>, caller: Caller) -> Result<Json<Value>, GraphError> {
    caller.require(Permission::ReadProfile)?;
    let state = sim.lock();
    let user = state.users.get(&caller.user).ok_or_else(GraphError::not_found)?;
    Ok(Json(json!({
        "@odata.context": context(&state, "users/$entity"),
        "businessPhones": [],
        "displayName": user.display_name,
        "givenName": null,
        "jobTitle": null,
        "mail": user.email,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "en-US",
        "surname": null,
        "userPrincipalName": user.email,
        "id": user.id,
    })))
}

/// A calendar resource. Its online-meeting providers are its owner's: what their Teams mode
/// offers.
fn render_calendar(state: &World, calendar: &Calendar) -> Value {
    let owner = state.users.get(&calendar.owner);
    let teams = state.conferencing.mode(&calendar.owner);
    json!({
        "id": calendar.id,
        "name": calendar.name,
        "color": "auto",
        "hexColor": "",
        "isDefaultCalendar": calendar.is_default,
        "changeKey": calendar.change_key,
        "canShareWithOthers": true,
        "canViewPrivateItems": true,
        "canEdit": true,
        "allowedOnlineMeetingProviders": teams.allowed_providers(),
        "defaultOnlineMeetingProvider": teams.default_provider(),
        "isTallyingResponses": true,
        "isRemovable": !calendar.is_default,
        "owner": {
            "name": owner.map(|u| u.display_name.clone()).unwrap_or_default(),
            "address": calendar.owner,
        },
    })
}

pub(crate) fn paging(params: &Params, default_size: usize) -> Result<(usize, usize), GraphError> {
    let number = |key: &str| {
        params
            .get(key)
            .map(|raw| {
                raw.parse::<usize>().map_err(|_| {
                    GraphError::bad_request("BadRequest", format!("Invalid value '{raw}' for query option '{key}'."))
                })
            })
            .transpose()
    };
    Ok((
        number("$skip")?.unwrap_or(0),
        number("$top")?.unwrap_or(default_size).max(1),
    ))
}

pub(crate) async fn calendars(
    State(sim): State<Sim>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, GraphError> {
    caller.require(Permission::ReadCalendars)?;
    let params = Params::from_query(query.as_deref());
    let state = sim.lock();
    let (skip, top) = paging(&params, state.config.calendars_page_size)?;
    let mine: Vec<&Calendar> = state
        .calendars
        .iter()
        .filter(|c| c.owner.eq_ignore_ascii_case(&caller.user))
        .collect();
    let page: Vec<Value> = mine
        .iter()
        .skip(skip)
        .take(top)
        .map(|c| render_calendar(&state, c))
        .collect();
    let user_id = state.users.get(&caller.user).map(|u| u.id.clone()).unwrap_or_default();
    let mut body = json!({
        "@odata.context": context(&state, &format!("users('{user_id}')/calendars")),
        "value": page,
    });
    if skip + top < mine.len() {
        body["@odata.nextLink"] = json!(format!(
            "{}/v1.0/me/calendars?$top={top}&$skip={}",
            state.plumbing.base_url,
            skip + top
        ));
    }
    Ok(Json(body))
}

/// `/me/calendar` (no id) or `/me/calendars/{id}`.
pub(crate) async fn calendar(
    State(sim): State<Sim>,
    caller: Caller,
    id: Option<Path<String>>,
) -> Result<Json<Value>, GraphError> {
    let state = sim.lock();
    let calendar = caller.calendar(&state, id.as_deref().map(String::as_str), Permission::ReadCalendars)?;
    let mut body = render_calendar(&state, calendar);
    body["@odata.context"] = json!(context(&state, "users('me')/calendars/$entity"));
    Ok(Json(body))
}
