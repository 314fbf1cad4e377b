//! Presentational building blocks: labelled fields, error banners, the time zone picker.
//! They render what they are given; no rules live here.

mod fields;
mod forms;
mod time_zone;

pub use fields::{ErrorBanner, Field, SubmitButton};
pub use forms::{field_error, form_error};
pub use time_zone::TimeZoneField;
