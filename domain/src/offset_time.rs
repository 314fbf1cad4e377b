//! An instant as a zone shows it, written as RFC 3339 without going through the tz database or
//! allocating: a slots response writes two per slot, and chrono's path (offset lookup, a `String`
//! each) was half of the server's CPU for a month of slots.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Serialize, Serializer};
use std::fmt;

/// `instant` (UTC unix seconds) with the UTC offset it is shown at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetTime {
    pub instant: i64,
    /// Seconds east of UTC.
    pub offset: i32,
}

impl OffsetTime {
    /// `2026-12-01T09:00:00+01:00`, what chrono's `to_rfc3339_opts(SecondsFormat::Secs, false)`
    /// writes for the same time (offset seconds, only in old local mean times, rounded to the
    /// minute likewise), for the years 0000 to 9999; `None` outside them.
    fn rfc3339(&self) -> Option<[u8; 25]> {
        let local = self.instant.checked_add(i64::from(self.offset))?;
        let (days, second) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        if !(0..=9999).contains(&year) {
            return None;
        }
        let minutes = (self.offset.unsigned_abs() + 30) / 60;
        let mut out = *b"0000-00-00T00:00:00+00:00";
        let mut put = |at: usize, value: i64, width: usize| {
            let mut value = value;
            for i in (at..at + width).rev() {
                out[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, year, 4);
        put(5, month, 2);
        put(8, day, 2);
        put(11, second / 3600, 2);
        put(14, second / 60 % 60, 2);
        put(17, second % 60, 2);
        put(20, i64::from(minutes / 60), 2);
        put(23, i64::from(minutes % 60), 2);
        if self.offset < 0 {
            out[19] = b'-';
        }
        Some(out)
    }
}

/// Year, month and day of `days` after 1970-01-01 in the proleptic Gregorian calendar (Howard
/// Hinnant's `civil_from_days`: whole 400-year eras, then the day of the era).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for OffsetTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rfc3339() {
            // Only ASCII digits and punctuation are ever written.
            Some(bytes) => f.write_str(std::str::from_utf8(&bytes).map_err(|_| fmt::Error)?),
            None => {
                let shown = DateTime::from_timestamp(self.instant, 0)
                    .zip(FixedOffset::east_opt(self.offset))
                    .map(|(t, zone)| t.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false));
                f.write_str(&shown.ok_or(fmt::Error)?)
            }
        }
    }
}

impl Serialize for OffsetTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.rfc3339() {
            Some(bytes) => serializer.serialize_str(std::str::from_utf8(&bytes).map_err(serde::ser::Error::custom)?),
            None => serializer.collect_str(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn it_writes_what_chrono_writes(
            instant in -63_000_000_000_i64..253_500_000_000,
            offset in -86_399_i32..86_400,
        ) {
            let zone = FixedOffset::east_opt(offset).unwrap();
            let expected = DateTime::from_timestamp(instant, 0)
                .unwrap()
                .with_timezone(&zone)
                .to_rfc3339_opts(SecondsFormat::Secs, false);
            prop_assert_eq!(OffsetTime { instant, offset }.to_string(), expected);
        }
    }

    #[test]
    fn whole_hour_and_odd_offsets_read_as_usual() {
        let at = |offset| {
            OffsetTime {
                instant: 1_796_112_000,
                offset,
            }
            .to_string()
        };
        assert_eq!(at(3600), "2026-12-01T09:00:00+01:00");
        assert_eq!(at(0), "2026-12-01T08:00:00+00:00");
        assert_eq!(at(5 * 3600 + 45 * 60), "2026-12-01T13:45:00+05:45");
        assert_eq!(at(-(3 * 3600 + 30 * 60)), "2026-12-01T04:30:00-03:30");
    }
}
