//! A zone's UTC offsets over one request's window, looked up once: resolving the window's local
//! times is then arithmetic on a handful of entries instead of a tz-database search each
//! (~520 instructions, almost half of what a one-host month cost).

use crate::local::{Boundary, FIRST_INSTANT, LAST_INSTANT, local_date, resolve_local};
use chrono::{Datelike, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

/// How far apart the window is sampled. No zone in the tz database changes its offset twice
/// within a week (the least is 167 hours: Brazil 2000, Gaza's forecasts for 2040, 2054 and 2072),
/// so between two samples five days apart there is at most one change, which bisection then pins
/// down to the second: a change and its reversal can never both hide between samples. (Checked
/// over chrono-tz 0.10.4's data, 1850–2150, scanned every six hours; the window's property test
/// compares it with chrono-tz in every zone.) Five days, not three, saves a month's table five of
/// its fourteen tz-database searches (a tenth of a one-host month) and keeps two days' margin.
const SAMPLE_STEP: i64 = 5 * 86_400;

/// The longest window sampled (instants past it are looked up in the tz database one by one):
/// two years, beyond any request the engine serves, so that no input makes the table costly.
const MAX_WINDOW: i64 = 2 * 366 * 86_400;

/// Days from 0000-12-31 (chrono's day 0 of the common era) to 1970-01-01: local dates become
/// whole days since 1970, so that local wall-clock times are plain integers.
const CE_EPOCH_DAYS: i64 = 719_163;

/// Where the local time of `date` at `minute` lies: its instant(s), or the end of the gap it
/// falls into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wall {
    /// The usual case: one instant.
    One(i64),
    /// A fall-back fold: the local time happens twice, at these two instants (earlier first).
    Twice(i64, i64),
    /// A spring-forward gap: the local time never happens; the gap ends at this instant.
    Gap(i64),
}

/// The offsets of one zone over `[from, until)`, each from its instant on: what many conversions
/// in one window (a month of slots, shown or grouped by day) should look up once.
#[derive(Debug, Clone)]
pub struct ZoneWindow {
    zone: Tz,
    from: i64,
    until: i64,
    /// `(first instant, offset in seconds)`, ascending; the first entry starts at `from`.
    spans: Vec<(i64, i64)>,
    /// The least and the greatest offset of the window.
    least: i64,
    most: i64,
}

impl ZoneWindow {
    /// Samples `zone` over `[from, until)` (clamped to the supported years, and to two years).
    pub fn new(zone: Tz, from: i64, until: i64) -> Self {
        let from = from.clamp(FIRST_INSTANT, LAST_INSTANT);
        let until = until.clamp(from, LAST_INSTANT).min(from.saturating_add(MAX_WINDOW));
        let mut spans = vec![(from, offset_at(zone, from))];
        let mut at = from;
        while at < until {
            let next = at.saturating_add(SAMPLE_STEP).min(until);
            let current = spans[spans.len() - 1].1;
            if offset_at(zone, next) == current {
                at = next;
                continue;
            }
            let (mut same, mut changed) = (at, next);
            while changed - same > 1 {
                let mid = same + (changed - same) / 2;
                if offset_at(zone, mid) == current {
                    same = mid;
                } else {
                    changed = mid;
                }
            }
            spans.push((changed, offset_at(zone, changed)));
            at = changed;
        }
        let least = spans.iter().map(|&(_, o)| o).min().unwrap_or(0);
        let most = spans.iter().map(|&(_, o)| o).max().unwrap_or(0);
        Self {
            zone,
            from,
            until,
            spans,
            least,
            most,
        }
    }

    /// Whether the offset is the same all through `[start, end)`: then local and elapsed time
    /// advance together over it.
    pub(crate) fn is_steady(&self, start: i64, end: i64) -> bool {
        self.covers(start)
            && self.covers(end - 1)
            && self.spans.partition_point(|&(at, _)| at <= start) == self.spans.partition_point(|&(at, _)| at < end)
    }

    /// The local calendar date of `instant`.
    pub fn local_date(&self, instant: i64) -> NaiveDate {
        if !self.covers(instant) {
            return local_date(self.zone, instant);
        }
        let local = instant + self.offset(instant);
        date_of_day(local.div_euclid(86_400)).unwrap_or_else(|| local_date(self.zone, instant))
    }

    /// The instant of local wall-clock time `local` (seconds since 1970-01-01 00:00 on the
    /// zone's clock, see [`local_seconds`]), by the rules of [`resolve_local`] (which it equals,
    /// and falls back to outside the window).
    pub(crate) fn resolve(&self, local: i64, boundary: Boundary) -> i64 {
        match self.wall(local) {
            Some(Wall::One(instant) | Wall::Gap(instant)) => instant,
            Some(Wall::Twice(early, late)) => match boundary {
                Boundary::Start => early,
                Boundary::End => late,
            },
            None => {
                let (date, minute) = date_and_minute(local);
                resolve_local(self.zone, date, minute, boundary)
            }
        }
    }

    /// Where local wall-clock time `local` lies, or `None` when the window cannot tell (its
    /// instants could lie outside it).
    pub(crate) fn wall(&self, local: i64) -> Option<Wall> {
        if local - self.most < self.from || local - self.least >= self.until {
            return None;
        }
        if let [(_, offset)] = self.spans[..] {
            return Some(Wall::One(local - offset));
        }
        let mut found: Option<Wall> = None;
        for (i, &(start, offset)) in self.spans.iter().enumerate() {
            let end = self.spans.get(i + 1).map_or(self.until, |&(next, _)| next);
            let instant = local - offset;
            if start <= instant && instant < end {
                found = Some(match found {
                    Some(Wall::One(early)) => Wall::Twice(early, instant),
                    _ => Wall::One(instant),
                });
            } else if found.is_none() && instant < start {
                // Local times jumped past `local` when this span began: a gap ending at `start`.
                return Some(Wall::Gap(start));
            }
        }
        found
    }

    fn covers(&self, instant: i64) -> bool {
        self.from <= instant && instant < self.until
    }

    /// The zone's UTC offset at `instant`, in seconds (east positive).
    pub fn offset_at(&self, instant: i64) -> i32 {
        let offset = if self.covers(instant) {
            self.offset(instant)
        } else {
            offset_at(self.zone, instant)
        };
        i32::try_from(offset).unwrap_or(0)
    }

    fn offset(&self, instant: i64) -> i64 {
        let index = self.spans.partition_point(|&(at, _)| at <= instant);
        self.spans[index.saturating_sub(1)].1
    }
}

/// The zone's offset at `instant`, in seconds.
fn offset_at(zone: Tz, instant: i64) -> i64 {
    zone.timestamp_opt(instant.clamp(FIRST_INSTANT, LAST_INSTANT), 0)
        .single()
        .map_or(0, |t| i64::from(t.offset().fix().local_minus_utc()))
}

/// Local wall-clock time as one number: seconds from 1970-01-01 00:00 to `minute` after midnight
/// of `date`, counted as if no clock ever changed.
pub(crate) fn local_seconds(date: NaiveDate, minute: u16) -> i64 {
    (i64::from(date.num_days_from_ce()) - CE_EPOCH_DAYS) * 86_400 + i64::from(minute) * 60
}

/// The date and minute of a whole-minute [`local_seconds`] value (a date past chrono's range,
/// which the supported years never reach, reads as the last one it has).
fn date_and_minute(local: i64) -> (NaiveDate, u16) {
    let date = date_of_day(local.div_euclid(86_400)).unwrap_or(NaiveDate::MAX);
    (date, u16::try_from(local.rem_euclid(86_400) / 60).unwrap_or(0))
}

/// The date `days` after 1970-01-01.
fn date_of_day(days: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days + CE_EPOCH_DAYS).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_new_york_year_has_exactly_its_two_changes() {
        let zone = chrono_tz::America::New_York;
        let from = zone.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap().timestamp();
        let window = ZoneWindow::new(zone, from, from + 365 * 86_400);
        let changes: Vec<String> = window.spans[1..]
            .iter()
            .map(|&(at, offset)| {
                let local = zone.timestamp_opt(at, 0).unwrap();
                format!("{} {}", local.format("%F %T%:z"), offset / 3600)
            })
            .collect();
        assert_eq!(
            changes,
            ["2027-03-14 03:00:00-04:00 -4", "2027-11-07 01:00:00-05:00 -5"]
        );
    }

    #[test]
    fn gaps_folds_and_plain_times_are_told_apart() {
        let zone = chrono_tz::America::New_York;
        let window = ZoneWindow::new(zone, 1_800_000_000, 1_900_000_000);
        let at = |y, m, d, h, min| chrono::Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().timestamp();
        assert_eq!(
            window.wall(local_seconds(day(2027, 3, 14), 150)),
            Some(Wall::Gap(at(2027, 3, 14, 7, 0)))
        );
        assert_eq!(
            window.wall(local_seconds(day(2027, 11, 7), 90)),
            Some(Wall::Twice(at(2027, 11, 7, 5, 30), at(2027, 11, 7, 6, 30)))
        );
        assert_eq!(
            window.wall(local_seconds(day(2027, 6, 1), 600)),
            Some(Wall::One(at(2027, 6, 1, 14, 0)))
        );
        assert_eq!(
            window.wall(local_seconds(day(2020, 6, 1), 600)),
            None,
            "outside the window"
        );
        assert_eq!(window.local_date(at(2027, 6, 2, 3, 59)).day(), 1);
    }

    proptest::proptest! {
        /// The table against chrono-tz itself, in every zone of the database, from 1900 to 2100.
        #[test]
        fn the_window_resolves_every_local_time_as_the_tz_database_does(
            zone in proptest::sample::select(chrono_tz::TZ_VARIANTS.to_vec()),
            from in -2_208_988_800_i64..4_102_444_800,
            days in 1_i64..400,
            probes in proptest::collection::vec((0_i64..400, 0_u16..=1440), 1..40),
        ) {
            let until = from + days * 86_400;
            let window = ZoneWindow::new(zone, from - 3 * 86_400, until + 3 * 86_400);
            // Every quarter hour around each change, on either side's wall clock: gaps and folds.
            let around_changes = window.spans[1..].iter().zip(&window.spans).flat_map(|(&(at, after), &(_, before))| {
                let first_local = at + before.min(after) - 3 * 3600;
                (0..=(6 * 3600 + (before - after).abs()) / 900).map(move |q| first_local + q * 900)
            });
            for local in around_changes {
                let (days_since_epoch, second) = (local.div_euclid(86_400), local.rem_euclid(86_400));
                let date = date_of_day(days_since_epoch).unwrap();
                let minute = u16::try_from(second / 60).unwrap();
                for boundary in [Boundary::Start, Boundary::End] {
                    proptest::prop_assert_eq!(
                        window.resolve(local_seconds(date, minute), boundary),
                        resolve_local(zone, date, minute, boundary),
                        "{} {} {} {:?}", zone, date, minute, boundary
                    );
                }
            }
            for (day_offset, minute) in probes {
                let instant = from + day_offset.min(days - 1) * 86_400 + i64::from(minute) * 60;
                let date = local_date(zone, instant);
                proptest::prop_assert_eq!(window.local_date(instant), date);
                proptest::prop_assert_eq!(i64::from(window.offset_at(instant)), offset_at(zone, instant));
                for boundary in [Boundary::Start, Boundary::End] {
                    proptest::prop_assert_eq!(
                        window.resolve(local_seconds(date, minute), boundary),
                        resolve_local(zone, date, minute, boundary),
                        "{} {} {} {:?}", zone, date, minute, boundary
                    );
                }
            }
        }
    }
}
