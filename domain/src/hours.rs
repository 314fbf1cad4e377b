use crate::Invalid;
use std::fmt;

/// Minutes in a day; `24:00` is a valid end of a range that runs to midnight.
const DAY: u16 = 24 * 60;

/// A local wall-clock time `HH:MM`, as minutes after midnight (0 to 1440 inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// Parses `HH:MM` (24-hour). `24:00` is accepted so a range can end at midnight.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("Use a 24-hour time like 09:00 or 17:30.");
        let (hours, minutes) = raw.trim().split_once(':').ok_or_else(invalid)?;
        let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(hours) || !digits(minutes) {
            return Err(invalid());
        }
        let (hours, minutes): (u16, u16) = (
            hours.parse().map_err(|_| invalid())?,
            minutes.parse().map_err(|_| invalid())?,
        );
        let total = hours * 60 + minutes;
        if minutes >= 60 || total > DAY {
            return Err(invalid());
        }
        Ok(Self(total))
    }

    pub fn from_minutes(minutes: u16) -> Option<Self> {
        (minutes <= DAY).then_some(Self(minutes))
    }

    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// One working range `[start, end)` of a day; the end is after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRange {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl TimeRange {
    pub fn new(start: ClockTime, end: ClockTime) -> Result<Self, Invalid> {
        if end <= start {
            return Err(Invalid::new("The end must be after the start."));
        }
        if start.0 == DAY {
            return Err(Invalid::new("A range cannot start at 24:00."));
        }
        Ok(Self { start, end })
    }

    pub fn parse(start: &str, end: &str) -> Result<Self, Invalid> {
        Self::new(ClockTime::parse(start)?, ClockTime::parse(end)?)
    }
}

/// The working ranges of one day, sorted by start and not overlapping (touching is fine: 09:00–12:00
/// and 12:00–13:00 together mean 09:00–13:00). Empty means the day is off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DayHours(Vec<TimeRange>);

impl DayHours {
    pub fn new(mut ranges: Vec<TimeRange>) -> Result<Self, Invalid> {
        ranges.sort();
        if let Some(pair) = ranges.windows(2).find(|pair| pair[1].start < pair[0].end) {
            return Err(Invalid::new(format!(
                "{}–{} overlaps {}–{}.",
                pair[0].start, pair[0].end, pair[1].start, pair[1].end
            )));
        }
        Ok(Self(ranges))
    }

    /// Parses `(start, end)` pairs of `HH:MM` strings, as they come from forms and JSON bodies.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Invalid> {
        let ranges = pairs
            .into_iter()
            .map(|(start, end)| TimeRange::parse(start, end))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(ranges)
    }

    pub fn ranges(&self) -> &[TimeRange] {
        &self.0
    }

    pub fn is_off(&self) -> bool {
        self.0.is_empty()
    }
}

/// The seven days of a weekly schedule, Monday first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklySchedule(pub [DayHours; 7]);

impl WeeklySchedule {
    /// Lower-case English day names, Monday first, as used in the JSON API.
    pub const DAY_NAMES: [&'static str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];

    pub fn day(&self, index: usize) -> &DayHours {
        &self.0[index % 7]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: &str, end: &str) -> TimeRange {
        TimeRange::parse(start, end).unwrap()
    }

    #[test]
    fn clock_times_parse_from_midnight_to_midnight() {
        assert_eq!(ClockTime::parse("00:00").unwrap().minutes(), 0);
        assert_eq!(ClockTime::parse("09:30").unwrap().minutes(), 570);
        assert_eq!(ClockTime::parse("24:00").unwrap().minutes(), 1440);
        assert_eq!(ClockTime::parse("17:05").unwrap().to_string(), "17:05");
    }

    #[test]
    fn malformed_clock_times_are_rejected() {
        for raw in [
            "", "9:00", "09:60", "24:01", "25:00", "0900", "09:0", "ab:cd", "+9:00", "09:00:00",
        ] {
            assert!(ClockTime::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }

    #[test]
    fn a_range_must_end_after_it_starts() {
        assert!(TimeRange::parse("10:00", "09:00").is_err());
        assert!(TimeRange::parse("10:00", "10:00").is_err());
        assert!(TimeRange::parse("24:00", "24:00").is_err());
        assert!(TimeRange::parse("22:00", "24:00").is_ok());
    }

    #[test]
    fn day_hours_are_sorted_and_may_touch_but_not_overlap() {
        let day = DayHours::new(vec![range("13:00", "17:00"), range("09:00", "13:00")]).unwrap();
        assert_eq!(day.ranges()[0], range("09:00", "13:00"));
        let overlap = DayHours::new(vec![range("09:00", "12:00"), range("11:00", "13:00")]).unwrap_err();
        assert_eq!(overlap.0, "09:00–12:00 overlaps 11:00–13:00.");
    }
}
