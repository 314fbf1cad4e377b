//! Local wall-clock → UTC, with explicit rules for DST gaps and folds.

use chrono::{LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

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
/// ranges shrink to real time; an ambiguous one (fall-back fold) resolves per `boundary`.
pub fn resolve_local(zone: Tz, date: NaiveDate, minute: u16, boundary: Boundary) -> i64 {
    let local = date.and_time(chrono::NaiveTime::MIN) + chrono::Duration::minutes(i64::from(minute));
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(early, late) => match boundary {
            Boundary::Start => early.timestamp().min(late.timestamp()),
            Boundary::End => early.timestamp().max(late.timestamp()),
        },
        LocalResult::None => gap_end(zone, local),
    }
}

/// The first instant whose local time is later than `local`, which lies in a gap: found by
/// bisection, since chrono-tz exposes offsets but not transition instants.
fn gap_end(zone: Tz, local: NaiveDateTime) -> i64 {
    let as_utc = local.and_utc().timestamp();
    // Every offset in the tz database lies within ±15 hours.
    let (mut lo, mut hi) = (as_utc - 15 * 3600, as_utc + 15 * 3600);
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

fn local_of(zone: Tz, instant: i64) -> NaiveDateTime {
    zone.timestamp_opt(instant, 0)
        .single()
        .map(|t| t.naive_local())
        .unwrap_or_default()
}

/// The local calendar date of an instant in `zone`.
pub(crate) fn local_date(zone: Tz, instant: i64) -> NaiveDate {
    local_of(zone, instant).date()
}
