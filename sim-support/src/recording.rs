//! The request log: every provider request (not control calls) with its headers, body and the
//! status it got, so tests can assert on what a client actually sent — query encoding,
//! `Authorization`, `If-Match`, `Prefer`, retry counts.

use std::collections::BTreeMap;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::world::{Sim, World};

/// Bodies above this are refused rather than recorded (the providers' own limits are far lower).
const BODY_LIMIT: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// 1-based position in the log since it was last cleared.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Lowercase names; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    /// The body as UTF-8 (lossy).
    pub body: String,
    pub status: u16,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The first decoded value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<String> {
        first_pair(self.query.as_deref().unwrap_or(""), name)
    }

    /// The first decoded value of a form-body parameter (token and consent requests).
    pub fn form_param(&self, name: &str) -> Option<String> {
        first_pair(&self.body, name)
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }
}

fn first_pair(encoded: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(encoded.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Middleware around every provider route.
pub async fn record<S: World>(State(sim): State<Sim<S>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|v| *v = format!("{v}, {value}"))
            .or_insert(value);
    }
    let mut entry = RecordedRequest {
        seq: 0,
        at: sim.lock().plumbing().now(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: 0,
    };
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    entry.status = response.status().as_u16();
    sim.lock().plumbing_mut().log(entry);
    response
}
