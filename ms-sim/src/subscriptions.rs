//! `/v1.0/subscriptions`: change notifications for a mailbox's events. Creating one runs the
//! validation handshake against `notificationUrl` (and `lifecycleNotificationUrl`) first; the
//! lifetime is capped ([`SimConfig::subscription_max_lifetime`](crate::SimConfig)); `PATCH`
//! renews, `DELETE` removes. Every event change — through Graph or "by the user" through the
//! control API — queues a notification for each live subscription on that calendar.
//! `me/events` (and `users/{me}/events`, `me/calendar/events`) watches the default calendar;
//! `me/calendars/{id}/events` another one.
//!
//! Limits: no rich notifications (`includeResourceData`), no `$filter`ed resources, no cap of
//! 1,000 subscriptions per mailbox, and notifications go to `http://` URLs unless
//! `require_https_notification_url` is set (tests have no TLS receivers).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::auth::Caller;
use crate::delivery::{self, Target};
use crate::error::{GraphError, SimError};
use crate::ids;
use crate::me::context;
use crate::scopes::Permission;
use crate::state::{Sim, State as World};
use crate::zones::timestamp;

/// A live subscription as tests see it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionInfo {
    pub id: String,
    pub resource: String,
    /// Comma-separated, as sent: `created,updated,deleted`.
    pub change_type: String,
    pub notification_url: String,
    pub lifecycle_notification_url: Option<String>,
    pub client_state: Option<String>,
    pub expiration_date_time: DateTime<Utc>,
    pub application_id: String,
    /// Object id of the user who created it.
    pub creator_id: String,
    pub calendar_id: String,
}

/// One POST the simulator made to a receiver (a batch of notifications), with the outcome.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DeliveredNotification {
    pub subscription_id: String,
    pub notification_url: String,
    /// `change` or `lifecycle`.
    pub kind: String,
    /// The JSON body that was sent (`{"value": [...]}`).
    pub payload: Value,
    /// The receiver's final HTTP status, if it answered at all.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub attempts: u32,
}

/// What happened to an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChangeType {
    Created,
    Updated,
    Deleted,
}

impl ChangeType {
    fn as_str(self) -> &'static str {
        match self {
            ChangeType::Created => "created",
            ChangeType::Updated => "updated",
            ChangeType::Deleted => "deleted",
        }
    }

    fn parse(raw: &str) -> Result<Vec<Self>, GraphError> {
        let mut kinds = Vec::new();
        for word in raw.split(',').map(str::trim) {
            kinds.push(match word {
                "created" => ChangeType::Created,
                "updated" => ChangeType::Updated,
                "deleted" => ChangeType::Deleted,
                other => return Err(invalid(format!("Invalid changeType '{other}'."))),
            });
        }
        Ok(kinds)
    }
}

pub(crate) struct Subscription {
    pub info: SubscriptionInfo,
    change_types: Vec<ChangeType>,
    sender: mpsc::UnboundedSender<Value>,
}

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::bad_request("InvalidRequest", message)
}

fn not_found() -> GraphError {
    GraphError::new(StatusCode::NOT_FOUND, "ResourceNotFound", "The object was not found.")
}

/// Queues a notification on every live subscription watching the event's calendar; drops
/// expired subscriptions.
pub(crate) fn notify(state: &mut World, event_id: &str, change: ChangeType) {
    let now = state.now();
    state.subscriptions.retain(|_, s| s.info.expiration_date_time > now);
    let Some(event) = state.events.get(event_id) else {
        return;
    };
    let Some(owner) = state
        .calendar(&event.calendar_id)
        .and_then(|c| state.users.get(&c.owner))
    else {
        return;
    };
    let resource = format!("Users/{}/Events/{}", owner.id, event.id);
    for subscription in state
        .subscriptions
        .values()
        .filter(|s| s.info.calendar_id == event.calendar_id && s.change_types.contains(&change))
    {
        let mut item = json!({
            "subscriptionId": subscription.info.id,
            "subscriptionExpirationDateTime": timestamp(subscription.info.expiration_date_time),
            "changeType": change.as_str(),
            "resource": resource,
            "resourceData": {
                "@odata.type": "#Microsoft.Graph.Event",
                "@odata.id": resource,
                "@odata.etag": event.etag(),
                "id": event.id,
            },
            "tenantId": state.config.tenant_id,
        });
        if let Some(client_state) = &subscription.info.client_state {
            item["clientState"] = json!(client_state);
        }
        let _ = subscription.sender.send(item);
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateRequest {
    change_type: Option<String>,
    notification_url: Option<String>,
    lifecycle_notification_url: Option<String>,
    resource: Option<String>,
    expiration_date_time: Option<String>,
    client_state: Option<String>,
    #[serde(default)]
    include_resource_data: bool,
}

/// The calendar a `resource` path names, for the signed-in user only.
fn resolve_resource(state: &World, caller: &Caller, resource: &str) -> Result<String, GraphError> {
    let path = resource.trim_start_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    let (mailbox, rest) = match segments.as_slice() {
        [me, rest @ ..] if me.eq_ignore_ascii_case("me") => (caller.user.clone(), rest),
        [users, who, rest @ ..] if users.eq_ignore_ascii_case("users") => {
            let user = state.users.get(&caller.user).ok_or_else(GraphError::access_denied)?;
            if !who.eq_ignore_ascii_case(&user.email) && !who.eq_ignore_ascii_case(&user.id) {
                return Err(GraphError::access_denied());
            }
            (user.email.clone(), rest)
        }
        _ => return Err(invalid(format!("Resource '{resource}' is not supported."))),
    };
    let calendar = match rest {
        [events] if events.eq_ignore_ascii_case("events") => state.default_calendar(&mailbox),
        [calendar, events] if calendar.eq_ignore_ascii_case("calendar") && events.eq_ignore_ascii_case("events") => {
            state.default_calendar(&mailbox)
        }
        [calendars, id, events]
            if calendars.eq_ignore_ascii_case("calendars") && events.eq_ignore_ascii_case("events") =>
        {
            state.calendar(id).filter(|c| c.owner.eq_ignore_ascii_case(&mailbox))
        }
        _ => return Err(invalid(format!("Resource '{resource}' is not supported."))),
    };
    calendar.map(|c| c.id.clone()).ok_or_else(GraphError::not_found)
}

fn check_url(state: &World, url: &str, field: &str) -> Result<(), GraphError> {
    let parsed = url::Url::parse(url).map_err(|_| invalid(format!("Invalid {field} '{url}'.")))?;
    let https_only = state.config.require_https_notification_url;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if !https_only => Ok(()),
        _ => Err(invalid(format!("The {field} must be an https URL."))),
    }
}

/// The requested expiration, refused if past or beyond the configured maximum.
fn check_expiration(state: &World, raw: Option<&str>) -> Result<DateTime<Utc>, GraphError> {
    let raw = raw.ok_or_else(|| invalid("expirationDateTime is required."))?;
    let at = DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| invalid(format!("Invalid expirationDateTime '{raw}'.")))?;
    let now = state.now();
    let max = state.config.subscription_max_lifetime;
    if at <= now {
        return Err(invalid("Subscription expiration must be in the future."));
    }
    if at > now + TimeDelta::from_std(max).unwrap_or(TimeDelta::MAX) {
        return Err(invalid(format!(
            "Subscription expiration can only be {} minutes in the future.",
            max.as_secs() / 60
        )));
    }
    Ok(at)
}

/// Everything about a create request that can be checked before the handshake.
fn check_create(
    state: &World,
    caller: &Caller,
    request: &CreateRequest,
) -> Result<(SubscriptionInfo, Vec<ChangeType>), GraphError> {
    caller.require(Permission::ReadCalendars)?;
    let resource = request
        .resource
        .clone()
        .ok_or_else(|| invalid("resource is required."))?;
    let calendar_id = resolve_resource(state, caller, &resource)?;
    let change_type = request
        .change_type
        .clone()
        .ok_or_else(|| invalid("changeType is required."))?;
    let change_types = ChangeType::parse(&change_type)?;
    let notification_url = request
        .notification_url
        .clone()
        .ok_or_else(|| invalid("notificationUrl is required."))?;
    check_url(state, &notification_url, "notificationUrl")?;
    if let Some(url) = &request.lifecycle_notification_url {
        check_url(state, url, "lifecycleNotificationUrl")?;
    }
    if request.client_state.as_ref().is_some_and(|s| s.chars().count() > 128) {
        return Err(invalid("clientState must not be longer than 128 characters."));
    }
    if request.include_resource_data {
        return Err(invalid(
            "includeResourceData needs an encryptionCertificate; rich notifications are not simulated.",
        ));
    }
    let expiration_date_time = check_expiration(state, request.expiration_date_time.as_deref())?;
    let info = SubscriptionInfo {
        id: ids::guid(),
        resource,
        change_type,
        notification_url,
        lifecycle_notification_url: request.lifecycle_notification_url.clone(),
        client_state: request.client_state.clone(),
        expiration_date_time,
        application_id: caller.client_id.clone(),
        creator_id: state.users.get(&caller.user).map(|u| u.id.clone()).unwrap_or_default(),
        calendar_id,
    };
    Ok((info, change_types))
}

fn render(state: &World, info: &SubscriptionInfo) -> Value {
    json!({
        "@odata.context": context(state, "subscriptions/$entity"),
        "id": info.id,
        "resource": info.resource,
        "applicationId": info.application_id,
        "changeType": info.change_type,
        "clientState": info.client_state,
        "notificationUrl": info.notification_url,
        "notificationQueryOptions": null,
        "lifecycleNotificationUrl": info.lifecycle_notification_url,
        "expirationDateTime": timestamp(info.expiration_date_time),
        "creatorId": info.creator_id,
        "includeResourceData": null,
        "latestSupportedTlsVersion": "v1_2",
        "encryptionCertificate": null,
        "encryptionCertificateId": null,
        "notificationUrlAppId": null,
    })
}

pub(crate) async fn create(State(sim): State<Sim>, caller: Caller, body: Bytes) -> Result<Response, GraphError> {
    let request: CreateRequest = serde_json::from_slice(&body).map_err(GraphError::unreadable_body)?;
    let (info, change_types, timeout) = {
        let state = sim.lock();
        let (info, change_types) = check_create(&state, &caller, &request)?;
        (info, change_types, state.config.validation_timeout)
    };
    delivery::validate(&sim.http, &info.notification_url, timeout).await?;
    if let Some(url) = &info.lifecycle_notification_url {
        delivery::validate(&sim.http, url, timeout).await?;
    }
    let mut state = sim.lock();
    let (sender, receiver) = mpsc::unbounded_channel();
    let target = Target::new(&info.id, &info.notification_url, &state.config);
    sim.runtime
        .spawn(delivery::deliver_changes(Arc::downgrade(&sim), receiver, target));
    let body = render(&state, &info);
    state.subscriptions.insert(
        info.id.clone(),
        Subscription {
            info,
            change_types,
            sender,
        },
    );
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// A live subscription the calling app created.
fn own<'a>(state: &'a World, caller: &Caller, id: &str) -> Result<&'a Subscription, GraphError> {
    let now = state.now();
    state
        .subscriptions
        .get(id)
        .filter(|s| s.info.application_id == caller.client_id && s.info.expiration_date_time > now)
        .ok_or_else(not_found)
}

pub(crate) async fn list(State(sim): State<Sim>, caller: Caller) -> Json<Value> {
    let state = sim.lock();
    let now = state.now();
    let value: Vec<Value> = state
        .subscriptions
        .values()
        .filter(|s| s.info.application_id == caller.client_id && s.info.expiration_date_time > now)
        .map(|s| render(&state, &s.info))
        .collect();
    Json(json!({"@odata.context": context(&state, "subscriptions"), "value": value}))
}

pub(crate) async fn get(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, GraphError> {
    let state = sim.lock();
    let subscription = own(&state, &caller, &id)?;
    Ok(Json(render(&state, &subscription.info)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Renewal {
    expiration_date_time: Option<String>,
}

pub(crate) async fn renew(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, GraphError> {
    let renewal: Renewal = serde_json::from_slice(&body).map_err(GraphError::unreadable_body)?;
    let mut state = sim.lock();
    own(&state, &caller, &id)?;
    let at = check_expiration(&state, renewal.expiration_date_time.as_deref())?;
    let subscription = state.subscriptions.get_mut(&id).expect("subscription looked up above");
    subscription.info.expiration_date_time = at;
    let info = subscription.info.clone();
    Ok(Json(render(&state, &info)))
}

pub(crate) async fn remove(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, GraphError> {
    let mut state = sim.lock();
    own(&state, &caller, &id)?;
    state.subscriptions.remove(&id);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /subscriptions/{id}/reauthorize`, the answer to a `reauthorizationRequired` lifecycle
/// notification.
pub(crate) async fn reauthorize(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, GraphError> {
    let state = sim.lock();
    own(&state, &caller, &id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a lifecycle notification (`reauthorizationRequired`, `subscriptionRemoved`, `missed`) to
/// the subscription's `lifecycleNotificationUrl`; `subscriptionRemoved` also removes it.
pub(crate) fn lifecycle(sim: &Sim, id: &str, event: &str) -> Result<(), SimError> {
    if !["reauthorizationRequired", "subscriptionRemoved", "missed"].contains(&event) {
        return Err(SimError::Invalid(format!("unknown lifecycle event {event}")));
    }
    let mut state = sim.lock();
    let subscription = state
        .subscriptions
        .get(id)
        .ok_or_else(|| SimError::UnknownSubscription(id.to_owned()))?;
    let url = subscription
        .info
        .lifecycle_notification_url
        .clone()
        .ok_or_else(|| SimError::Invalid(format!("subscription {id} has no lifecycleNotificationUrl")))?;
    let payload = json!({"value": [{
        "subscriptionId": id,
        "subscriptionExpirationDateTime": timestamp(subscription.info.expiration_date_time),
        "tenantId": state.config.tenant_id,
        "clientState": subscription.info.client_state,
        "lifecycleEvent": event,
    }]});
    let target = Target::new(id, &url, &state.config);
    if event == "subscriptionRemoved" {
        state.subscriptions.remove(id);
    }
    drop(state);
    delivery::deliver_lifecycle(sim, target, payload);
    Ok(())
}
