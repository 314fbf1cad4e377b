//! Parsing of query strings, form bodies and JSON bodies into Google-shaped errors. Parsed by hand
//! (rather than with axum's `Query`/`Form`/`Json`) because repeated keys matter
//! (`privateExtendedProperty`, granted `scope` checkboxes) and a bad value must produce Google's
//! envelope naming the parameter, not axum's plain-text rejection.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub(crate) use sim_support::params::Params;

/// Google's typed readings of query parameters, with Google's errors for bad values.
pub(crate) trait Typed {
    fn bool(&self, key: &str) -> Result<Option<bool>, ApiError>;
    /// An integer in `min..=max`.
    fn int(&self, key: &str, min: usize, max: usize) -> Result<Option<usize>, ApiError>;
    fn time(&self, key: &str) -> Result<Option<DateTime<Utc>>, ApiError>;
}

impl Typed for Params {
    fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(invalid_value(key, other)),
        }
    }

    fn int(&self, key: &str, min: usize, max: usize) -> Result<Option<usize>, ApiError> {
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

    fn time(&self, key: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
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
