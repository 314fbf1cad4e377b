//! HTTP plumbing both calendar APIs share: sending with errors sorted into what the caller can do
//! about them (see `ProviderError`), reading JSON, and the formats both use on the wire.

use super::ProviderError;
use chrono::{DateTime, Utc};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::Value;
use std::time::Duration;

/// A failed call as the provider answered it.
pub(super) struct Failure {
    pub status: StatusCode,
    pub retry_after: Option<Duration>,
    /// The answer read as JSON (`Null` when it is not).
    pub body: Value,
    /// The answer as sent (CalDAV's errors are XML).
    pub text: String,
}

impl Failure {
    /// Throttling and server trouble are retried later (after `Retry-After` when sent); a
    /// refused token asks for a refresh. `None`: the provider's own rules decide.
    pub fn common(&self) -> Option<ProviderError> {
        if self.status == StatusCode::TOO_MANY_REQUESTS || self.status.is_server_error() {
            Some(ProviderError::Throttled {
                retry_after: self.retry_after,
            })
        } else if self.status == StatusCode::UNAUTHORIZED {
            Some(ProviderError::Unauthorized)
        } else {
            None
        }
    }

    pub fn rejected(&self, reason: String) -> ProviderError {
        ProviderError::Rejected {
            status: self.status.as_u16(),
            reason,
        }
    }
}

/// Sends the request; a non-2xx answer becomes the error `classify` makes of it.
pub(super) async fn send(
    request: RequestBuilder,
    classify: fn(Failure) -> ProviderError,
) -> Result<Response, ProviderError> {
    let response = request
        .send()
        .await
        .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let text = response.text().await.unwrap_or_default();
    Err(classify(Failure {
        status,
        retry_after,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }))
}

pub(super) async fn json_of<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ProviderError> {
    response
        .json()
        .await
        .map_err(|e| ProviderError::Other(format!("unexpected answer from the calendar provider: {e}")))
}

pub(super) fn rfc3339(instant: i64) -> String {
    DateTime::<Utc>::from_timestamp(instant, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A path segment (calendar and event ids contain `@`, `#` and `=`).
pub(super) fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}
