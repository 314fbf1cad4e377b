//! Times worded for a reader in their own zone, as the dashboard shows them.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The viewer's zone; an unknown stored name falls back to UTC (and says so).
pub struct Zone(Tz);

impl Zone {
    pub fn new(name: &str) -> Self {
        Self(name.parse().unwrap_or(chrono_tz::UTC))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn local(&self, unix_seconds: i64) -> DateTime<Tz> {
        DateTime::<Utc>::from_timestamp(unix_seconds, 0)
            .unwrap_or_default()
            .with_timezone(&self.0)
    }

    pub fn format(&self, unix_seconds: i64, pattern: &str) -> String {
        self.local(unix_seconds).format(pattern).to_string()
    }

    /// "Tue 19 Jan 2027, 10:00": a moment something happened, as logs and lists show it.
    pub fn moment(&self, unix_seconds: i64) -> String {
        self.format(unix_seconds, "%a %-d %b %Y, %H:%M")
    }

    /// "10:00–10:30", or "23:30–Wed 20 Jan, 00:30" when the end falls on a later date.
    pub fn times(&self, start: i64, end: i64) -> String {
        let (from, to) = (self.local(start), self.local(end));
        let end_pattern = if from.date_naive() == to.date_naive() {
            "%H:%M"
        } else {
            "%a %-d %b, %H:%M"
        };
        format!("{}–{}", from.format("%H:%M"), to.format(end_pattern))
    }

    /// "Tue 19 Jan 2027, 10:00–10:30".
    pub fn span(&self, start: i64, end: i64) -> String {
        format!("{}, {}", self.format(start, "%a %-d %b %Y"), self.times(start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tuesday 2027-01-19 09:00 UTC, 10:00 in Berlin.
    const TUESDAY_NINE_UTC: i64 = 1_800_349_200;

    #[test]
    fn times_are_written_in_the_viewers_zone_with_its_name() {
        let berlin = Zone::new("Europe/Berlin");
        assert_eq!(
            berlin.span(TUESDAY_NINE_UTC, TUESDAY_NINE_UTC + 1800),
            "Tue 19 Jan 2027, 10:00–10:30"
        );
        assert_eq!(berlin.moment(TUESDAY_NINE_UTC), "Tue 19 Jan 2027, 10:00");
        assert_eq!(Zone::new("Mars/Olympus").name(), "UTC");
    }

    #[test]
    fn a_meeting_across_midnight_names_the_end_date() {
        let tokyo = Zone::new("Asia/Tokyo");
        let start = TUESDAY_NINE_UTC + 5 * 3600 + 1800; // 23:30 in Tokyo
        assert_eq!(tokyo.times(start, start + 3600), "23:30–Wed 20 Jan, 00:30");
    }
}
