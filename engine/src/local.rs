//! Local wall-clock → UTC, with explicit rules for DST gaps and folds.

use chrono::{LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone};
use chrono_tz::Tz;

/// The first and last supported dates (see [`FIRST_INSTANT`]).
const FIRST_DATE: NaiveDate = NaiveDate::from_ymd_opt(-9999, 1, 1).unwrap();
const LAST_DATE: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();

/// The supported instants are UTC years -9999 to 9999: far beyond any real booking, yet far
/// inside chrono's range (±262,000 years), so converting them with any offset cannot fail, and far
/// inside `i64` seconds, so adding any [`crate::Minutes`] to them cannot overflow. Instants and
/// dates outside are clamped into it.
pub(crate) const FIRST_INSTANT: i64 = FIRST_DATE.and_time(NaiveTime::MIN).and_utc().timestamp();
pub(crate) const LAST_INSTANT: i64 = LAST_DATE.and_hms_opt(23, 59, 59).unwrap().and_utc().timestamp();

/// Which side of a range a local time bounds; it decides how a fold resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// In a fold, the earlier instant (the range takes all of the repeated time).
    Start,
    /// In a fold, the later instant.
    End,
}

/// The UTC instant of `minute` after local midnight of `date` (1440 = the next midnight).
///
/// A local time that does not exist (spring-forward gap) resolves to the instant the gap ends, so
/// ranges shrink to real time; an ambiguous one (fall-back fold) resolves per `boundary`. The
/// result is clamped to the supported years -9999 to 9999; a date outside them resolves to the
/// nearer end.
pub fn resolve_local(zone: Tz, date: NaiveDate, minute: u16, boundary: Boundary) -> i64 {
    if date < FIRST_DATE {
        return FIRST_INSTANT;
    }
    if date > LAST_DATE {
        return LAST_INSTANT;
    }
    // At most 45 days past a supported date: far inside chrono's range.
    let local = date.and_time(NaiveTime::MIN) + TimeDelta::minutes(i64::from(minute));
    let instant = match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(early, late) => match boundary {
            Boundary::Start => early.timestamp().min(late.timestamp()),
            Boundary::End => early.timestamp().max(late.timestamp()),
        },
        LocalResult::None => gap_end(zone, local),
    };
    instant.clamp(FIRST_INSTANT, LAST_INSTANT)
}

/// The first instant whose local time is later than `local`, which lies in a gap: found by
/// bisection, since chrono-tz exposes offsets but not transition instants.
fn gap_end(zone: Tz, local: NaiveDateTime) -> i64 {
    let as_utc = local.and_utc().timestamp();
    // Every offset lies within ±24 hours (chrono's `FixedOffset` cannot hold more), so the local
    // time of `lo` is before `local` and that of `hi` after it. Not ±15: Manila's LMT was −15:56.
    let (mut lo, mut hi) = (as_utc - 24 * 3600, as_utc + 24 * 3600);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if local_of(zone, mid) > local {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// The local time of an instant, clamped to the supported ones first (chrono panics on a local
/// time past its range).
fn local_of(zone: Tz, instant: i64) -> NaiveDateTime {
    zone.timestamp_opt(instant.clamp(FIRST_INSTANT, LAST_INSTANT), 0)
        .single()
        .map(|t| t.naive_local())
        .unwrap_or_default()
}

/// The local calendar date of an instant in `zone`.
pub(crate) fn local_date(zone: Tz, instant: i64) -> NaiveDate {
    local_of(zone, instant).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supported_instants_are_the_years_minus_9999_to_9999() {
        assert_eq!(FIRST_INSTANT, -377_705_116_800);
        assert_eq!(LAST_INSTANT, 253_402_300_799);
        assert_eq!(local_date(chrono_tz::UTC, i64::MIN), FIRST_DATE);
        assert_eq!(local_date(chrono_tz::UTC, i64::MAX), LAST_DATE);
    }

    #[test]
    fn a_gap_longer_than_fifteen_hours_resolves_to_its_end() {
        // Manila skipped 1844-12-31, going from LMT −15:56 straight to +08:04.
        let manila = chrono_tz::Asia::Manila;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            resolve_local(manila, day(1844, 12, 31), 0, Boundary::Start),
            resolve_local(manila, day(1845, 1, 1), 0, Boundary::Start),
        );
    }
}
