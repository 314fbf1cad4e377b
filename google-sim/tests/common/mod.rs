//! Test helpers: a client that does not follow redirects, PKCE, and the OAuth dance driven
//! exactly as a browser would (GET the consent page, POST its form, read the redirect).
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use google_sim::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Running, SimConfig, Simulator, scope};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

pub const REDIRECT_URI: &str = "http://127.0.0.1:9/oauth/google/callback";

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn start() -> Running {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Running {
    Simulator::start(config).await.expect("simulator starts")
}

/// A fresh PKCE pair: (verifier, S256 challenge).
pub fn pkce() -> (String, String) {
    let verifier = format!("verifier-{}-abcdefghijklmnopqrstuvwxyz0123456789", rand_suffix());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

pub fn all_scopes() -> Vec<&'static str> {
    vec![scope::EVENTS, scope::CALENDARLIST_READONLY, scope::FREEBUSY]
}

/// The authorize URL a client would send the browser to.
pub fn authorize_url(sim: &Running, scopes: &[&str], challenge: &str, extra: &[(&str, &str)]) -> String {
    let mut url = Url::parse(&sim.endpoints().authorize).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", DEFAULT_CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("response_type", "code")
        .append_pair("scope", &scopes.join(" "))
        .append_pair("access_type", "offline")
        .append_pair("state", "xyz-state")
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256");
    for (k, v) in extra {
        url.query_pairs_mut().append_pair(k, v);
    }
    url.to_string()
}

/// The value of the hidden `request` input on the consent page.
pub fn consent_request_id(html: &str) -> String {
    let marker = "name=\"request\" value=\"";
    let start = html.find(marker).expect("consent page has a request field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Query parameters of a redirect's `Location`.
pub fn location_params(response: &reqwest::Response) -> Vec<(String, String)> {
    let location = response.headers()["location"].to_str().unwrap();
    Url::parse(location).unwrap().query_pairs().into_owned().collect()
}

pub fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// Posts the consent form like a browser would.
pub async fn decide(sim: &Running, request_id: &str, decision: &str, scopes: &[&str]) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("request", request_id), ("decision", decision)];
    form.extend(scopes.iter().map(|s| ("scope", *s)));
    http()
        .post(sim.url("/o/oauth2/v2/auth/decision"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// Authorizes with consent (all requested scopes checked) and returns (code, verifier).
pub async fn obtain_code(sim: &Running, scopes: &[&str], extra: &[(&str, &str)]) -> (String, String) {
    let (verifier, challenge) = pkce();
    let page = http()
        .get(authorize_url(sim, scopes, &challenge, extra))
        .send()
        .await
        .unwrap();
    let redirect = if page.status() == StatusCode::FOUND {
        page
    } else {
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        decide(sim, &consent_request_id(&html), "allow", scopes).await
    };
    assert_eq!(redirect.status(), StatusCode::FOUND);
    let params = location_params(&redirect);
    (param(&params, "code").expect("redirect carries a code"), verifier)
}

pub async fn exchange(sim: &Running, code: &str, verifier: &str) -> reqwest::Response {
    http()
        .post(sim.endpoints().token)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
}

pub async fn refresh(sim: &Running, refresh_token: &str) -> reqwest::Response {
    http()
        .post(sim.endpoints().token)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap()
}

/// The token response of a complete authorization with `scopes`.
pub async fn connect_with(sim: &Running, scopes: &[&str]) -> Value {
    let (code, verifier) = obtain_code(sim, scopes, &[]).await;
    let response = exchange(sim, &code, &verifier).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// An access token with the least-privilege scope set.
pub async fn access_token(sim: &Running) -> String {
    connect_with(sim, &all_scopes()).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
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
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    (status, headers, json)
}

pub fn reason(body: &Value) -> &str {
    body["error"]["errors"][0]["reason"].as_str().unwrap_or("")
}
