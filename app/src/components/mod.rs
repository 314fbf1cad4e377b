//! Presentational building blocks: labelled fields, error banners, the time zone picker.
//! They render what they are given; no rules live here.

mod account;
mod confirm;
mod copy;
mod fields;
mod forms;
mod interactive;
mod loading;
mod time_zone;
mod title;

pub use account::{Brand, NewAccountFields};
pub use confirm::Confirm;
pub use copy::CopyField;
pub use fields::{ErrorBanner, Field, PageError, SubmitButton};
pub use forms::{count_successes, failure, field_error, form_error, succeeded};
pub use interactive::use_interactive;
pub use loading::loaded_or;
pub use time_zone::{TimeZoneField, ZoneMiss, ZoneSuggestions, load_time_zones, resolve_zone};
pub use title::title_formatter;
