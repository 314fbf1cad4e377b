//! Validated value types. Each is parsed once where data enters the system (a form, a JSON body,
//! a configuration value) and trusted everywhere after, so no inner layer re-checks strings.
#![forbid(unsafe_code)]

mod email;
mod embed;
mod errors;
mod hours;
mod names;
mod offset_time;
mod password;
mod questions;
mod reach;
mod role;
mod timezone;

pub use email::Email;
pub use embed::EmbedOrigins;
pub use errors::{FieldErrors, Invalid};
pub use hours::{ClockTime, DayHours, TimeRange, WeeklySchedule};
pub use names::{CancelReason, DisplayName, EventTitle, Notes, TeamName, TeamSlug};
pub use offset_time::OffsetTime;
pub use password::Password;
pub use questions::{
    Answer, AnswerValue, MAX_QUESTIONS, Question, QuestionDraft, QuestionKey, QuestionKind, RawAnswer, answers,
    default_questions, e164, questions,
};
pub use reach::{REACH_DAYS, date_within_reach, instant_within_reach};
pub use role::Role;
pub use timezone::{Place, TimeZoneName};
