//! Parsing and formatting shared by the API handlers: every failure names the field in words a
//! client developer can act on.

use super::ApiError;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate};
use domain::Invalid;

pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("The body is not valid JSON: {e}"),
        )
    })
}

pub fn required(raw: Option<&str>) -> Result<String, Invalid> {
    raw.map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| Invalid::new("This field is required."))
}

/// `team/slug`, both parts shaped like URL names.
pub fn event_type_ref(raw: Option<&str>) -> Result<(String, String), Invalid> {
    let raw = raw.unwrap_or_default().trim();
    let (team, slug) = raw
        .split_once('/')
        .ok_or_else(|| Invalid::new("Use team/event, like acme/demo."))?;
    let part = |p: &str| {
        let ok = !p.is_empty()
            && p.len() <= 60
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(p.to_owned())
        } else {
            Err(Invalid::new("Use team/event, like acme/demo."))
        }
    };
    Ok((part(team)?, part(slug)?))
}

/// A `YYYY-MM-DD` date within ten years of `now` (see [`domain::REACH_DAYS`]).
pub fn date(raw: Option<&str>, now: i64) -> Result<NaiveDate, Invalid> {
    let date = NaiveDate::parse_from_str(raw.unwrap_or_default().trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::new("Use a date like 2026-12-01."))?;
    let today = DateTime::from_timestamp(now, 0).unwrap_or_default().date_naive();
    if domain::date_within_reach(date, today) {
        Ok(date)
    } else {
        Err(out_of_reach())
    }
}

/// An RFC 3339 time within ten years of `now`, as unix seconds.
pub fn instant(raw: Option<&str>, now: i64) -> Result<i64, Invalid> {
    let instant = DateTime::parse_from_rfc3339(raw.unwrap_or_default().trim())
        .map(|t| t.timestamp())
        .map_err(|_| Invalid::new("Use an RFC 3339 time like 2026-12-01T09:00:00+01:00."))?;
    within_reach(instant, now)
}

/// `instant` when it lies within ten years of `now`.
pub fn within_reach(instant: i64, now: i64) -> Result<i64, Invalid> {
    if domain::instant_within_reach(instant, now) {
        Ok(instant)
    } else {
        Err(out_of_reach())
    }
}

fn out_of_reach() -> Invalid {
    Invalid::new("Use a date within ten years of today.")
}

pub use services::public_pages::rfc3339;

/// An instant in UTC, `2027-01-18T09:00:00Z`.
pub fn utc(instant: i64) -> String {
    rfc3339(instant, chrono_tz::UTC).replace("+00:00", "Z")
}

/// A numeric id from the path; anything else (not a number, out of range) names nothing: 404.
pub fn path_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found(what))
}
