//! Parsing of query strings, form bodies and JSON bodies into Google-shaped errors. Parsed by hand
//! (rather than with axum's `Query`/`Form`/`Json`) because repeated keys matter
//! (`privateExtendedProperty`, granted `scope` checkboxes) and a bad value must produce Google's
//! envelope naming the parameter, not axum's plain-text rejection.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Decoded `key=value` pairs in request order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &[u8]) -> Self {
        Params(url::form_urlencoded::parse(raw).into_owned().collect())
    }

    pub fn from_query(query: Option<&str>) -> Self {
        Self::parse(query.unwrap_or("").as_bytes())
    }

    /// First value of `key`, treating an empty value as absent (as Google does).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(invalid_value(key, other)),
        }
    }

    /// An integer in `min..=max`.
    pub fn int(&self, key: &str, min: usize, max: usize) -> Result<Option<usize>, ApiError> {
        let Some(raw) = self.get(key) else { return Ok(None) };
        match raw.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            Ok(_) => Err(ApiError::invalid(format!(
                "Invalid value '{raw}'. Values must be within the range: [{min}, {max}]"
            ))
            .at("parameter", key)),
            Err(_) => Err(invalid_value(key, raw)),
        }
    }

    pub fn time(&self, key: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
        self.get(key)
            .map(|raw| parse_instant(raw).ok_or_else(|| ApiError::invalid("Bad Request").at("parameter", key)))
            .transpose()
    }
}

pub(crate) fn invalid_value(key: &str, value: &str) -> ApiError {
    ApiError::invalid(format!("Invalid value for: {key} ({value})")).at("parameter", key)
}

/// RFC 3339 with a mandatory offset, as Google requires for `timeMin`/`timeMax`.
pub(crate) fn parse_instant(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc))
}

/// A JSON request body, or 400 `parseError`.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|_| ApiError::parse_error())
}
