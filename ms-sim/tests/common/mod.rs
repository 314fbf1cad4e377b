//! Test helpers: the OAuth flow against this simulator (driven like a browser, see
//! `sim_support::testing::OAuthFlow`), Graph calls, and events to write.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code, unused_imports)]

use ms_sim::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER, Running, SimConfig, Simulator, scope};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
pub use sim_support::testing::{OAuthFlow, eventually, http, input_value, location_params, param, pkce, send};

pub const REDIRECT_URI: &str = "http://127.0.0.1:9/oauth/microsoft/callback";

pub async fn start() -> Running {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Running {
    Simulator::start(config).await.expect("simulator starts")
}

/// What Rendezvous asks for: a refresh token, the profile, and calendar write access.
pub fn all_scopes() -> Vec<&'static str> {
    vec![scope::OFFLINE_ACCESS, scope::USER_READ, scope::CALENDARS_READ_WRITE]
}

/// The default app registration's flow, accepting the consent prompt.
pub fn flow(sim: &Running) -> OAuthFlow {
    let endpoints = sim.endpoints();
    OAuthFlow::new(
        &endpoints.authorize,
        &endpoints.token,
        &sim.url("/common/Consent/Set"),
        (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        REDIRECT_URI,
    )
    .decisions("accept", "cancel")
}

/// A fresh simulator and an access token for the default account.
pub async fn connected() -> (Running, String) {
    start_connected(SimConfig::default()).await
}

/// A simulator started with `config` and an access token with what Rendezvous asks for.
pub async fn start_connected(config: SimConfig) -> (Running, String) {
    let sim = start_with(config).await;
    let token = flow(&sim).access_token(&all_scopes()).await;
    (sim, token)
}

/// A Graph request under `/v1.0`, authorized with `token`.
pub fn graph_request(sim: &Running, token: &str, method: Method, path: &str) -> RequestBuilder {
    http()
        .request(method, sim.url(&format!("/v1.0{path}")))
        .bearer_auth(token)
}

/// Calls Graph; returns status, headers and JSON body (Null when empty).
pub async fn graph(
    sim: &Running,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = graph_request(sim, token, method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    send(request).await
}

/// Creates `event` in the default calendar through Graph; returns it (asserting 201).
pub async fn create(sim: &Running, token: &str, event: Value) -> Value {
    let (status, _, body) = graph(sim, token, Method::POST, "/me/events", Some(event)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// A meeting on 2026-03-15 from `start` to `end` (wall clock `HH:MM`) in `zone`.
pub fn meeting(subject: &str, start: &str, end: &str, zone: &str) -> Value {
    json!({
        "subject": subject,
        "start": {"dateTime": format!("2026-03-15T{start}:00"), "timeZone": zone},
        "end": {"dateTime": format!("2026-03-15T{end}:00"), "timeZone": zone},
    })
}

/// Graph's `error.code`.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

pub fn default_calendar(sim: &Running) -> String {
    sim.control.default_calendar(DEFAULT_USER).unwrap().id
}
