//! Wire types of the management endpoints (API key required).

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`) in partial updates.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    #[schema(example = 2)]
    pub id: i64,
    #[schema(example = "Bob Baker")]
    pub name: String,
    #[schema(example = "bob@example.com")]
    pub email: String,
    #[schema(example = "member")]
    pub role: &'static str,
    #[schema(example = "Europe/Berlin")]
    pub timezone: String,
    pub accepts_bookings: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub members: Vec<MemberOut>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MemberPatch {
    /// IANA zone the member's weekly hours and overrides are read in.
    #[schema(example = "America/New_York")]
    pub timezone: Option<String>,
    pub accepts_bookings: Option<bool>,
}

/// `[start, end)` in local wall-clock time, 24-hour `HH:MM`; `24:00` ends at midnight.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimeRangeDto {
    #[schema(example = "09:00")]
    pub start: String,
    #[schema(example = "17:00")]
    pub end: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleOut {
    pub member_id: i64,
    #[schema(example = "Europe/Berlin")]
    pub timezone: String,
    /// Every day from `monday` to `sunday`; an empty list is a day off.
    #[schema(example = json!({"monday": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
        "tuesday": [], "wednesday": [], "thursday": [], "friday": [], "saturday": [], "sunday": []}))]
    pub weekly: BTreeMap<String, Vec<TimeRangeDto>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ScheduleIn {
    /// Also changes the member's time zone when given.
    #[schema(example = "Europe/Berlin")]
    pub timezone: Option<String>,
    /// Days `monday` to `sunday`; a missing day is a day off. Ranges of one day must not overlap.
    #[schema(example = json!({"monday": [{"start": "09:00", "end": "17:00"}]}))]
    pub weekly: Option<BTreeMap<String, Vec<TimeRangeDto>>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverrideOut {
    #[schema(example = "2026-12-24")]
    pub date: String,
    /// True when the member is off all day (`hours` is then empty).
    pub unavailable: bool,
    pub hours: Vec<TimeRangeDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverrideList {
    pub overrides: Vec<OverrideOut>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OverrideIn {
    /// Replacement hours for the date; empty or missing means unavailable all day.
    pub hours: Option<Vec<TimeRangeDto>>,
}

impl From<domain::Question> for QuestionIn {
    fn from(q: domain::Question) -> Self {
        Self {
            key: q.key.to_string(),
            kind: q.kind.to_string(),
            label: q.label,
            help: q.help,
            required: q.required,
            hidden: q.hidden,
            options: q.options,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverridesQuery {
    /// First date listed (default: today in the member's time zone), YYYY-MM-DD.
    pub from: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocationOut {
    #[schema(example = "video")]
    pub kind: String,
    #[schema(example = "https://meet.example.com/acme")]
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeOut {
    #[schema(example = "acme/demo")]
    pub event_type: String,
    #[schema(example = "demo")]
    pub slug: String,
    #[schema(example = "Product demo")]
    pub title: String,
    pub description: String,
    /// Minutes.
    #[schema(example = 30)]
    pub duration: i64,
    /// Minutes between possible starts; null means the duration.
    pub interval: Option<i64>,
    pub buffer_before: i64,
    pub buffer_after: i64,
    /// Minutes between booking and start, at least.
    pub minimum_notice: i64,
    /// How many days ahead may be booked; null means no limit of its own (two years at most).
    pub booking_window_days: Option<i64>,
    /// Bookings per host and local day; null means no limit.
    pub daily_limit: Option<i64>,
    pub location: LocationOut,
    #[schema(example = "round_robin")]
    pub mode: String,
    /// Member ids.
    pub hosts: Vec<i64>,
    pub active: bool,
    /// Attendees are emailed a reminder 24 hours before the start.
    #[schema(example = true)]
    pub reminder_24h: bool,
    /// Attendees are emailed a reminder 1 hour before the start.
    #[schema(example = true)]
    pub reminder_1h: bool,
    /// Minutes before the start until which attendees may reschedule or cancel from their email
    /// links; 0 means until the start.
    #[schema(example = 120)]
    pub change_notice: i64,
    #[schema(example = "https://rendezvous.example.com/acme/demo")]
    pub booking_url: String,
    pub questions: Vec<QuestionIn>,
    pub allow_guests: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeList {
    pub event_types: Vec<EventTypeOut>,
}

/// Settings of an event type. Creating one needs `slug`, `title`, `duration`, `location_kind`,
/// `mode` and `hosts` (both reminders default to on, `change_notice` to 0); an update changes only
/// the fields present (`null` clears an optional limit).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EventTypeIn {
    #[schema(example = "demo")]
    pub slug: Option<String>,
    #[schema(example = "Product demo")]
    pub title: Option<String>,
    pub description: Option<String>,
    #[schema(example = 30)]
    pub duration: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub interval: Option<Option<i64>>,
    pub buffer_before: Option<i64>,
    pub buffer_after: Option<i64>,
    pub minimum_notice: Option<i64>,
    /// How many days ahead may be booked (0 to 730); null: no limit of its own, which is two
    /// years. A new event type without it gets 60.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, example = 60)]
    pub booking_window_days: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub daily_limit: Option<Option<i64>>,
    /// `video`, `phone`, `in_person` or `custom`.
    #[schema(example = "video")]
    pub location_kind: Option<String>,
    pub location_detail: Option<String>,
    /// `single`, `round_robin` or `collective`.
    #[schema(example = "single")]
    pub mode: Option<String>,
    /// Member ids; exactly one for `single`.
    #[schema(example = json!([1]))]
    pub hosts: Option<Vec<i64>>,
    pub active: Option<bool>,
    /// Email attendees a reminder 24 hours before the start (default on).
    #[schema(example = true)]
    pub reminder_24h: Option<bool>,
    /// Email attendees a reminder 1 hour before the start (default on).
    #[schema(example = true)]
    pub reminder_1h: Option<bool>,
    /// Minutes before the start until which attendees may reschedule or cancel from their email
    /// links, 0 to 525600; 0 (the default) means until the start.
    #[schema(example = 120)]
    pub change_notice: Option<i64>,
    /// Questions asked beyond name and email, in order; replaces all of them (absent: kept).
    pub questions: Option<Vec<QuestionIn>>,
    /// Whether attendees may add up to 10 guests (default true).
    pub allow_guests: Option<bool>,
}

/// A booking question. `kind`: `short_text`, `long_text`, `phone`, `single_choice`, `dropdown`,
/// `multiple_choice`, `checkbox` or `number`; `key` is its stable name for prefilling and in
/// answers (lowercase letters, digits and `_`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct QuestionIn {
    #[schema(example = "company")]
    pub key: String,
    #[schema(example = "short_text")]
    pub kind: String,
    #[schema(example = "Company")]
    pub label: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub required: bool,
    /// Not shown on the booking page; a value may still be prefilled. Never required.
    #[serde(default)]
    pub hidden: bool,
    /// The choices, for `single_choice`, `dropdown` and `multiple_choice`.
    #[serde(default)]
    pub options: Vec<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookingsQuery {
    /// Only bookings this member hosts (default for non-admin keys: the key's member).
    pub member: Option<String>,
    /// Only this event type (its slug within the team).
    pub event_type: Option<String>,
    /// `confirmed` or `cancelled`.
    pub status: Option<String>,
    /// Bookings starting at or after: an RFC 3339 time, or a date (00:00 UTC).
    pub from: Option<String>,
    /// Bookings starting before: an RFC 3339 time, or a date (inclusive, to its end in UTC).
    pub to: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// Bookings to skip, for the next page.
    pub offset: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttendeeOut {
    pub name: String,
    pub email: String,
    pub timezone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HostOut {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingOut {
    pub uid: String,
    #[schema(example = "acme/demo")]
    pub event_type: String,
    pub title: String,
    /// `confirmed` or `cancelled`.
    pub status: String,
    /// UTC, RFC 3339.
    #[schema(example = "2026-12-01T08:00:00Z")]
    pub start: String,
    #[schema(example = "2026-12-01T08:30:00Z")]
    pub end: String,
    pub hosts: Vec<HostOut>,
    pub attendee: AttendeeOut,
    /// Deprecated: the answer to the `notes` question as text (empty without one); see `answers`.
    pub notes: String,
    /// Answers to the event type's questions, with each question as it was asked.
    pub answers: Vec<AnswerOut>,
    /// Guests' addresses.
    pub guests: Vec<String>,
    /// The video meeting made for this booking, when its event type makes one.
    pub video_meeting: Option<VideoMeetingOut>,
    pub cancel_reason: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VideoMeetingOut {
    /// `google_meet` or `microsoft_teams`.
    #[schema(example = "google_meet")]
    pub provider: String,
    /// `pending` (being made; the link follows), `ready` or `failed` (the host sends a link).
    #[schema(example = "ready")]
    pub state: String,
    #[schema(example = "https://meet.google.com/abc-defg-hij")]
    pub join_url: Option<String>,
    /// Why the provider made no meeting, for `failed`.
    pub failure: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerOut {
    #[schema(example = "company")]
    pub key: String,
    #[schema(example = "Company")]
    pub label: String,
    #[schema(example = "short_text")]
    pub kind: String,
    /// Text (phone numbers in E.164, numbers as written), a list of options, or a boolean.
    #[schema(value_type = serde_json::Value, example = "Acme")]
    pub value: domain::AnswerValue,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingPage {
    pub bookings: Vec<BookingOut>,
    /// The `offset` of the next page, or null on the last page.
    pub next_offset: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeOut {
    /// `created`, `rescheduled`, `cancelled` or `reassigned` (moved to another host).
    pub kind: String,
    pub old_start: Option<String>,
    pub old_end: Option<String>,
    pub new_start: Option<String>,
    pub new_end: Option<String>,
    pub reason: Option<String>,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingDetail {
    #[serde(flatten)]
    pub booking: BookingOut,
    pub history: Vec<ChangeOut>,
}
