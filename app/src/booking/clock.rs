//! Words for times the server sent as RFC 3339 with the viewer's offset: the wall clock is read
//! straight from the text, so the browser needs no time zone database.

use chrono::{NaiveDate, NaiveDateTime};

/// How the viewer likes hours written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HourStyle {
    H24,
    H12,
}

/// The local wall clock of an RFC 3339 time, ignoring its offset.
pub fn wall_clock(rfc3339: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(rfc3339.get(..19)?, "%Y-%m-%dT%H:%M:%S").ok()
}

pub fn date(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()
}

/// "09:30" or "9:30am".
pub fn time(rfc3339: &str, style: HourStyle) -> String {
    wall_clock(rfc3339).map_or_else(String::new, |t| match style {
        HourStyle::H24 => t.format("%H:%M").to_string(),
        HourStyle::H12 => t.format("%-I:%M%P").to_string(),
    })
}

/// "Tuesday 1 December 2026".
pub fn long_date(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// "09:30–10:00, Tuesday 1 December 2026".
pub fn span(start: &str, end: &str, style: HourStyle) -> String {
    let day = wall_clock(start).map(|t| long_date(t.date())).unwrap_or_default();
    format!("{}–{}, {day}", time(start, style), time(end, style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_from_the_text_in_either_hour_style() {
        let start = "2026-12-01T09:30:00+05:45";
        assert_eq!(time(start, HourStyle::H24), "09:30");
        assert_eq!(time(start, HourStyle::H12), "9:30am");
        assert_eq!(time("2026-12-01T00:15:00-03:00", HourStyle::H12), "12:15am");
        assert_eq!(time("2026-12-01T13:00:00Z", HourStyle::H12), "1:00pm");
        assert_eq!(
            span(start, "2026-12-01T10:00:00+05:45", HourStyle::H24),
            "09:30–10:00, Tuesday 1 December 2026"
        );
        assert_eq!(time("not a time", HourStyle::H24), "");
    }
}
