//! Wire types of the JSON API. Request fields are optional strings so that every missing or
//! malformed field is reported by name in one 422, instead of the first serde error.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicEventType {
    #[schema(example = "acme/demo")]
    pub event_type: String,
    #[schema(example = "Product demo")]
    pub title: String,
    pub description: String,
    /// Minutes.
    #[schema(example = 30)]
    pub duration: i64,
    #[schema(example = "video")]
    pub location_kind: String,
    pub hosts: Vec<String>,
    /// What the booking asks beyond name and email, in order; send the answers by `key` in
    /// `answers` (hidden questions are not shown on the booking page but may be answered).
    pub questions: Vec<super::manage_dto::QuestionIn>,
    /// Whether a booking may invite `guests`.
    pub allow_guests: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// `team/slug` of the event type.
    #[param(example = "acme/demo")]
    pub event_type: Option<String>,
    /// First local date (inclusive), YYYY-MM-DD.
    #[param(example = "2026-12-01")]
    pub start: Option<String>,
    /// Last local date (inclusive), at most 62 days after `start`.
    #[param(example = "2026-12-31")]
    pub end: Option<String>,
    /// IANA zone the dates and times are expressed in.
    #[param(example = "Europe/Berlin")]
    pub timezone: Option<String>,
}

/// Written straight into the response (`OffsetTime`), not built as strings first: a month of
/// slots is two times per slot, and formatting them through chrono was half the server's CPU.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotTimes {
    #[schema(value_type = String, example = "2026-12-01T09:00:00+01:00")]
    pub start: domain::OffsetTime,
    #[schema(value_type = String, example = "2026-12-01T09:30:00+01:00")]
    pub end: domain::OffsetTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Slots {
    pub event_type: String,
    pub timezone: String,
    /// Minutes.
    pub duration: i64,
    /// Local dates with at least one free time, each with its times in ascending order.
    pub slots: BTreeMap<String, Vec<SlotTimes>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AttendeeInput {
    #[schema(example = "Pat Prospect")]
    pub name: Option<String>,
    #[schema(example = "pat@example.com")]
    pub email: Option<String>,
    /// IANA zone of the attendee; times in the response use it.
    #[schema(example = "America/New_York")]
    pub timezone: Option<String>,
    /// The language their emails, reminders and manage page are in: `en` (the default), `de`,
    /// `es`, `fr`, `ja` or `pt-BR`.
    #[schema(example = "de")]
    pub language: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewBooking {
    #[schema(example = "acme/demo")]
    pub event_type: Option<String>,
    /// A slot start as returned by `/slots` (any offset).
    #[schema(example = "2026-12-01T09:00:00+01:00")]
    pub start: Option<String>,
    pub attendee: Option<AttendeeInput>,
    /// Deprecated: the same as `answers.notes`, the optional notes question event types ask by
    /// default; ignored when `answers` has `notes`.
    #[schema(example = "Interested in the team plan.")]
    pub notes: Option<String>,
    /// Answers to the event type's questions by key: text, a number, `true`/`false` for a
    /// checkbox, or a list of options for a multiple choice.
    #[schema(value_type = Option<std::collections::BTreeMap<String, serde_json::Value>>, example = json!({"company": "Acme"}))]
    pub answers: Option<std::collections::BTreeMap<String, AnswerIn>>,
    /// Up to 10 more people to invite, when the event type allows guests.
    #[schema(example = json!(["sam@example.com"]))]
    pub guests: Option<Vec<String>>,
}

/// One answer as JSON may carry it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum AnswerIn {
    Text(String),
    Number(serde_json::Number),
    Flag(bool),
    Choices(Vec<String>),
}

impl From<AnswerIn> for domain::RawAnswer {
    fn from(answer: AnswerIn) -> Self {
        match answer {
            AnswerIn::Text(text) => Self::One(text),
            AnswerIn::Number(number) => Self::One(number.to_string()),
            AnswerIn::Flag(flag) => Self::One(flag.to_string()),
            AnswerIn::Choices(choices) => Self::Many(choices),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HostName {
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManageLinks {
    pub reschedule_url: String,
    pub cancel_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingCreated {
    #[schema(example = "b_3kq8x2m9v7")]
    pub uid: String,
    #[schema(example = "confirmed")]
    pub status: &'static str,
    #[schema(example = "2026-12-01T03:00:00-05:00")]
    pub start: String,
    #[schema(example = "2026-12-01T03:30:00-05:00")]
    pub end: String,
    #[schema(example = "acme/demo")]
    pub event_type: String,
    /// The assigned host (the first one for collective events).
    pub host: HostName,
    pub hosts: Vec<HostName>,
    pub manage: ManageLinks,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelRequest {
    /// The token from the booking's manage links.
    pub token: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RescheduleRequest {
    /// The token from the booking's manage links.
    pub token: Option<String>,
    /// The new start, a free slot as returned by `/slots`.
    #[schema(example = "2026-12-02T10:00:00+01:00")]
    pub start: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cancelled {
    pub uid: String,
    #[schema(example = "cancelled")]
    pub status: &'static str,
}
