//! Push notifications: `events/watch` registers a channel, `channels/stop` removes it, and every
//! change to the watched calendar's events POSTs an empty-bodied notification to the channel's
//! address with Google's `X-Goog-*` headers (`sync` first, then `exists`).
//!
//! Each channel has its own delivery task fed by a queue, so its messages arrive in order even
//! while one is being retried. Tasks hold only a weak reference to the simulator: stopping a
//! channel or shutting the simulator down drops the queue and the task ends.

use std::sync::Weak;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sim_support::webhook::{self, RetryPolicy};
use tokio::sync::mpsc;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids;
use crate::query::parse_json;
use crate::scopes::Access;
use crate::state::{Shared, Sim, State as World};

/// A registered channel as tests see it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ChannelInfo {
    pub id: String,
    pub resource_id: String,
    pub resource_uri: String,
    pub calendar_id: String,
    pub address: String,
    pub token: Option<String>,
    pub expiration: DateTime<Utc>,
}

/// One notification the simulator tried to deliver, with the outcome.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DeliveredNotification {
    pub channel_id: String,
    pub resource_id: String,
    pub message_number: i64,
    /// `sync` or `exists`.
    pub resource_state: String,
    pub address: String,
    /// The receiver's final HTTP status, if it answered at all.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub attempts: u32,
}

pub(crate) struct Channel {
    pub info: ChannelInfo,
    pub client_id: String,
    pub next_number: i64,
    sender: mpsc::UnboundedSender<Message>,
}

struct Message {
    number: i64,
    state: &'static str,
}

/// Everything a delivery task needs, fixed when the channel is created.
struct Target {
    info: ChannelInfo,
    http: reqwest::Client,
    retry: RetryPolicy,
    timeout: Duration,
}

/// Stable per watched resource, like Google's `X-Goog-Resource-ID`.
fn resource_id(calendar_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(format!("events:{calendar_id}").as_bytes())[..18])
}

/// Queues an `exists` message on every live channel watching `calendar_id`; drops expired ones.
pub(crate) fn notify_changed(state: &mut World, calendar_id: &str) {
    let now = state.now();
    state.channels.retain(|_, c| c.info.expiration > now);
    let sparse = state.config.sparse_message_numbers;
    for channel in state
        .channels
        .values_mut()
        .filter(|c| c.info.calendar_id == calendar_id)
    {
        channel.next_number += if sparse { ids::small_step() } else { 1 };
        let _ = channel.sender.send(Message {
            number: channel.next_number,
            state: "exists",
        });
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WatchRequest {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    address: Option<String>,
    token: Option<String>,
    expiration: Option<Value>,
    #[serde(default)]
    params: Option<serde_json::Map<String, Value>>,
}

/// Channel fields that Google types as int64 arrive as JSON strings or numbers; accept both.
fn int64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn expiration(state: &World, request: &WatchRequest, now: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    let ttl = match request.params.as_ref().and_then(|p| p.get("ttl")) {
        None => state.config.channel_default_ttl,
        Some(v) => Duration::from_secs(
            int64(v)
                .filter(|t| *t > 0)
                .ok_or_else(|| ApiError::invalid("Invalid ttl value."))? as u64,
        ),
    };
    let limit = |d: Duration| now + TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
    let mut expires = limit(ttl);
    if let Some(max) = state.config.channel_max_ttl {
        expires = expires.min(limit(max));
    }
    if let Some(raw) = &request.expiration {
        let millis = int64(raw).ok_or_else(|| ApiError::invalid("Invalid expiration value."))?;
        let requested =
            DateTime::from_timestamp_millis(millis).ok_or_else(|| ApiError::invalid("Invalid expiration value."))?;
        expires = expires.min(requested.max(now));
    }
    Ok(expires)
}

pub(crate) async fn watch(
    State(sim): State<Sim>,
    caller: Caller,
    Path(calendar_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: WatchRequest = parse_json(&body)?;
    let mut state = sim.lock();
    let (calendar_id, _) = caller.calendar(&state, &calendar_id, Access::EventsRead)?;
    let id = request
        .id
        .clone()
        .ok_or_else(|| ApiError::required("Required").at("parameter", "id"))?;
    if id.is_empty() || id.len() > 64 {
        return Err(ApiError::invalid("Invalid channel id.").at("parameter", "id"));
    }
    match request.kind.as_deref() {
        Some("web_hook" | "webhook") => {}
        None => return Err(ApiError::required("Required").at("parameter", "type")),
        Some(other) => return Err(ApiError::invalid(format!("Unknown channel type: {other}")).at("parameter", "type")),
    }
    let address = request
        .address
        .clone()
        .ok_or_else(|| ApiError::required("Required").at("parameter", "address"))?;
    if !url::Url::parse(&address).is_ok_and(|u| u.scheme() == "https" || u.scheme() == "http") {
        return Err(ApiError::invalid(format!("Invalid address: {address}")).at("parameter", "address"));
    }
    if request.token.as_ref().is_some_and(|t| t.len() > 256) {
        return Err(ApiError::invalid("Channel token too long.").at("parameter", "token"));
    }
    if state.channels.contains_key(&id) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "global",
            "channelIdNotUnique",
            "Channel id not unique",
        ));
    }
    let now = state.now();
    let expires = expiration(&state, &request, now)?;
    let encoded = url::form_urlencoded::byte_serialize(calendar_id.as_bytes()).collect::<String>();
    let info = ChannelInfo {
        id: id.clone(),
        resource_id: resource_id(&calendar_id),
        resource_uri: format!(
            "{}/calendar/v3/calendars/{encoded}/events?alt=json",
            state.plumbing.base_url
        ),
        calendar_id,
        address,
        token: request.token.clone(),
        expiration: expires,
    };
    let (sender, receiver) = mpsc::unbounded_channel();
    let target = Target {
        info: info.clone(),
        http: sim.http.clone(),
        retry: state.config.notifications.policy(retryable),
        timeout: state.config.notifications.timeout,
    };
    // The `sync` message is queued before the response is sent, so it may well arrive first.
    let _ = sender.send(Message {
        number: 1,
        state: "sync",
    });
    sim.runtime
        .spawn(deliver(std::sync::Arc::downgrade(&sim), receiver, target));
    state.channels.insert(
        id,
        Channel {
            info: info.clone(),
            client_id: caller.client_id.clone(),
            next_number: 1,
            sender,
        },
    );
    let millis = expires.timestamp_millis();
    let expiration = if state.config.channel_expiration_as_number {
        json!(millis)
    } else {
        json!(millis.to_string())
    };
    let mut body = json!({
        "kind": "api#channel",
        "id": info.id,
        "resourceId": info.resource_id,
        "resourceUri": info.resource_uri,
        "expiration": expiration,
    });
    if let Some(token) = &info.token {
        body["token"] = json!(token);
    }
    Ok(Json(body))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StopRequest {
    id: Option<String>,
    resource_id: Option<String>,
}

pub(crate) async fn stop(State(sim): State<Sim>, caller: Caller, body: Bytes) -> Result<StatusCode, ApiError> {
    caller.require(Access::Channels)?;
    let request: StopRequest = parse_json(&body)?;
    let id = request.id.unwrap_or_default();
    let mut state = sim.lock();
    let matches = state
        .channels
        .get(&id)
        .is_some_and(|c| Some(&c.info.resource_id) == request.resource_id.as_ref() && c.client_id == caller.client_id);
    if !matches {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "global",
            "notFound",
            format!("Channel '{id}' not found for project"),
        ));
    }
    state.channels.remove(&id);
    Ok(StatusCode::NO_CONTENT)
}

fn is_live(sim: &Shared, info: &ChannelInfo) -> bool {
    sim.lock()
        .channels
        .get(&info.id)
        .is_some_and(|c| c.info.resource_id == info.resource_id)
}

/// Google retries 500/502/503/504 with backoff; any other status is final.
fn retryable(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504)
}

async fn post(target: &Target, message: &Message) -> Result<u16, String> {
    let info = &target.info;
    let mut request = target
        .http
        .post(&info.address)
        .timeout(target.timeout)
        .header(
            "User-Agent",
            "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)",
        )
        .header("X-Goog-Channel-ID", &info.id)
        .header(
            "X-Goog-Channel-Expiration",
            info.expiration.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        )
        .header("X-Goog-Message-Number", message.number.to_string())
        .header("X-Goog-Resource-ID", &info.resource_id)
        .header("X-Goog-Resource-State", message.state)
        .header("X-Goog-Resource-URI", &info.resource_uri)
        .body(Vec::new());
    if let Some(token) = &info.token {
        request = request.header("X-Goog-Channel-Token", token);
    }
    request
        .send()
        .await
        .map(|r| r.status().as_u16())
        .map_err(|e| e.to_string())
}

async fn deliver(sim: Weak<Shared>, mut queue: mpsc::UnboundedReceiver<Message>, target: Target) {
    while let Some(message) = queue.recv().await {
        let still_wanted = || sim.upgrade().is_some_and(|shared| is_live(&shared, &target.info));
        let Some(outcome) = webhook::deliver(target.retry, still_wanted, || post(&target, &message)).await else {
            return;
        };
        let Some(shared) = sim.upgrade() else { return };
        let record = DeliveredNotification {
            channel_id: target.info.id.clone(),
            resource_id: target.info.resource_id.clone(),
            message_number: message.number,
            resource_state: message.state.to_owned(),
            address: target.info.address.clone(),
            status: outcome.status,
            error: outcome.error,
            attempts: outcome.attempts,
        };
        shared.lock().notifications.push(record);
    }
}
