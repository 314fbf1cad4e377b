use super::Choice;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// One range as the editor holds it: `HH:MM` strings straight from `<input type="time">`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeText {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideText {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The date ready to show, like "Thu 24 Dec 2026".
    pub label: String,
    /// Empty: unavailable all day.
    pub ranges: Vec<RangeText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityData {
    pub member_id: i64,
    pub member_name: String,
    /// Whose availability the viewer may open: everyone for an admin, else nobody else.
    pub members: Vec<Choice>,
    pub timezone: String,
    /// Monday first; an empty day is off.
    pub weekly: Vec<Vec<RangeText>>,
    pub overrides: Vec<OverrideText>,
    /// Preview inputs for the first event type in `event_types`, if any.
    pub preview: Option<PreviewData>,
    /// Event types this member hosts, for the live preview.
    pub event_types: Vec<Choice>,
    /// The member's local today, `YYYY-MM-DD`: the first date an override may be set for.
    pub today: String,
}

/// What the browser needs to preview slots from unsaved edits with the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewData {
    pub now: i64,
    pub duration: u32,
    pub interval: u32,
    pub buffer_before: u32,
    pub buffer_after: u32,
    pub minimum_notice: u32,
    pub window_days: Option<u32>,
    pub daily_limit: Option<u32>,
    pub bookings: Vec<PreviewBooking>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewBooking {
    pub start: i64,
    pub end: i64,
    pub buffer_before: u32,
    pub buffer_after: u32,
    pub counts_toward_limit: bool,
}

#[server]
pub async fn load_availability(member: Option<i64>) -> Result<AvailabilityData, AppError> {
    crate::ssr::availability::load(member).await
}

#[server(input = Json)]
pub async fn save_weekly(member: i64, timezone: String, days: Vec<Vec<RangeText>>) -> Result<(), AppError> {
    crate::ssr::availability::save_weekly(member, &timezone, &days).await
}

/// Saves the override on every date and answers the member's upcoming overrides.
#[server(input = Json)]
pub async fn save_override(
    member: i64,
    dates: Vec<String>,
    ranges: Vec<RangeText>,
) -> Result<Vec<OverrideText>, AppError> {
    crate::ssr::availability::save_override(member, &dates, &ranges).await
}

/// Deletes the override and answers the member's upcoming overrides.
#[server]
pub async fn delete_override(member: i64, date: String) -> Result<Vec<OverrideText>, AppError> {
    crate::ssr::availability::delete_override(member, &date).await
}

/// Preview inputs for another event type the member hosts.
#[server]
pub async fn load_preview(member: i64, event_type: String) -> Result<PreviewData, AppError> {
    crate::ssr::availability::preview_inputs(member, event_type)
        .await?
        .ok_or(AppError::NotFound)
}
