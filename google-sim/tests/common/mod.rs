//! Test helpers: the OAuth flow against this simulator (driven like a browser, see
//! `sim_support::testing::OAuthFlow`) and Calendar calls.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code, unused_imports)]

use google_sim::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Endpoints, Running, SimConfig, Simulator, scope};
use reqwest::{Method, StatusCode};
use serde_json::Value;
pub use sim_support::testing::{OAuthFlow, http, location_params, param, pkce};

pub const REDIRECT_URI: &str = "http://127.0.0.1:9/oauth/google/callback";

pub async fn start() -> Running {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Running {
    Simulator::start(config).await.expect("simulator starts")
}

pub fn all_scopes() -> Vec<&'static str> {
    vec![scope::EVENTS, scope::CALENDARLIST_READONLY, scope::FREEBUSY]
}

/// The default client's flow: offline access, granular consent ticking every requested scope.
pub fn flow(sim: &Running) -> OAuthFlow {
    let Endpoints { authorize, token, .. } = sim.endpoints();
    let client = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    let decision_url = sim.url("/o/oauth2/v2/auth/decision");
    OAuthFlow::new(&authorize, &token, &decision_url, client, REDIRECT_URI)
        .with_param("access_type", "offline")
        .ticking("scope")
}

/// The value of the hidden `request` input on the consent page.
pub fn consent_request_id(html: &str) -> String {
    sim_support::testing::input_value(html, "request")
}

/// An access token with the least-privilege scope set.
pub async fn access_token(sim: &Running) -> String {
    flow(sim).access_token(&all_scopes()).await
}

/// A fresh simulator and an access token for the default account.
pub async fn connected() -> (Running, String) {
    let sim = start().await;
    let token = access_token(&sim).await;
    (sim, token)
}

/// Calls the Calendar API; returns status, headers and JSON body (Null when empty).
pub async fn api(
    sim: &Running,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = http()
        .request(method, sim.url(&format!("/calendar/v3{path}")))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    sim_support::testing::send(request).await
}

/// Inserts `event` into the primary calendar through the API.
pub async fn insert(sim: &Running, token: &str, event: Value) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    api(sim, token, Method::POST, "/calendars/primary/events", Some(event)).await
}

/// Lists the primary calendar's events with the raw `query`.
pub async fn list(sim: &Running, token: &str, query: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    api(
        sim,
        token,
        Method::GET,
        &format!("/calendars/primary/events?{query}"),
        None,
    )
    .await
}

/// Deletes an event of the primary calendar through the API.
pub async fn delete(sim: &Running, token: &str, id: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    api(
        sim,
        token,
        Method::DELETE,
        &format!("/calendars/primary/events/{id}"),
        None,
    )
    .await
}

pub fn reason(body: &Value) -> &str {
    body["error"]["errors"][0]["reason"].as_str().unwrap_or("")
}
