//! How far from now a request may name a date or time. Ten years either way covers any real
//! calendar, and keeps every date computed from a request (local midnights, month grids, booking
//! windows) far from chrono's limits: the slots API once accepted year +262142 and panicked.

use chrono::NaiveDate;

/// About ten years, in days.
pub const REACH_DAYS: i64 = 3653;

/// Whether `instant` (unix seconds) lies within reach of `now`.
pub fn instant_within_reach(instant: i64, now: i64) -> bool {
    instant.abs_diff(now) <= (REACH_DAYS * 86_400) as u64
}

/// Whether `date` lies within reach of `today`.
pub fn date_within_reach(date: NaiveDate, today: NaiveDate) -> bool {
    (date - today).num_days().abs() <= REACH_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_years_either_way_are_within_reach_and_no_more() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert!(date_within_reach(NaiveDate::from_ymd_opt(2036, 12, 3).unwrap(), today));
        assert!(date_within_reach(NaiveDate::from_ymd_opt(2016, 12, 3).unwrap(), today));
        assert!(!date_within_reach(NaiveDate::from_ymd_opt(2036, 12, 5).unwrap(), today));
        assert!(!date_within_reach(NaiveDate::MAX, today));
        assert!(!date_within_reach(NaiveDate::MIN, today));
        assert!(instant_within_reach(1_800_000_000, 1_800_000_000 - 86_400));
        assert!(!instant_within_reach(253_402_300_799, 1_800_000_000), "9999-12-31");
        assert!(!instant_within_reach(i64::MIN, i64::MAX));
    }
}
