//! Server functions: each authorizes, parses its arguments into `domain` types, calls one service
//! and maps the error. Shared view types cross the wire as plain serde structs.

mod api_keys;
mod auth;
mod availability;
mod bookings;
mod caldav;
mod calendar_week;
mod email;
mod embedding;
mod event_types;
mod integrations;
mod members;
mod overview;
mod webhooks;

pub use api_keys::*;
pub use auth::*;
pub use availability::*;
pub use bookings::*;
pub use caldav::*;
pub use calendar_week::*;
pub use email::*;
pub use embedding::*;
pub use event_types::*;
pub use integrations::*;
pub use members::*;
pub use overview::*;
pub use webhooks::*;

/// An option of a select: what is sent back, and what is shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[cfg(test)]
mod tests {
    use crate::lang::{Dash, d};
    use chrono::format::{Item, StrftimeItems};

    /// The `[dashboard.formats]` patterns live in the catalogue so a translation can change them:
    /// each must stay one chrono can write (a bad one would fail only when a page is shown).
    #[test]
    fn the_catalogues_date_patterns_are_ones_chrono_understands() {
        use Dash as D;
        let patterns = [
            D::FormatsBookingsDay,
            D::FormatsTime,
            D::FormatsErrorTime,
            D::FormatsRenews,
            D::FormatsWeekday,
            D::FormatsDayOfMonth,
            D::FormatsDayLabel,
            D::FormatsShortDay,
            D::FormatsOverrideDate,
            D::FormatsWeekFirstSameMonth,
            D::FormatsWeekFirstSameYear,
            D::FormatsWeekFirst,
            D::FormatsWeekLast,
        ];
        for pattern in patterns {
            let mut items = StrftimeItems::new(d(pattern));
            assert!(!items.any(|item| matches!(item, Item::Error)), "{pattern:?}");
        }
    }
}
