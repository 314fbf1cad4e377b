//! The engine's input types. They are plain data; constructors check what would make a rule
//! meaningless (an empty range, a zero duration) so computation never has to.

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt;

/// A whole number of minutes (durations, buffers, notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Minutes(pub u32);

impl Minutes {
    pub fn secs(self) -> i64 {
        i64::from(self.0) * 60
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeError {
    /// Start must be before end.
    Empty,
    /// Times are minutes after local midnight, at most 24:00.
    OutOfDay,
    /// A duration or interval of zero minutes, or longer than a day.
    BadLength,
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "the end must be after the start",
            Self::OutOfDay => "times must lie between 00:00 and 24:00",
            Self::BadLength => "lengths must be between 1 minute and 24 hours",
        })
    }
}

impl std::error::Error for RangeError {}

/// Local wall-clock working time within one day, `[start, end)` in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalRange {
    start: u16,
    end: u16,
}

impl LocalRange {
    pub const DAY_MINUTES: u16 = 24 * 60;

    pub fn new(start_minute: u16, end_minute: u16) -> Result<Self, RangeError> {
        if end_minute > Self::DAY_MINUTES {
            return Err(RangeError::OutOfDay);
        }
        if start_minute >= end_minute {
            return Err(RangeError::Empty);
        }
        Ok(Self {
            start: start_minute,
            end: end_minute,
        })
    }

    /// `LocalRange::hm(9, 0, 17, 0)` is 09:00–17:00; `hm(22, 0, 24, 0)` runs to midnight.
    pub fn hm(start_h: u16, start_m: u16, end_h: u16, end_m: u16) -> Result<Self, RangeError> {
        // Checking the hours first also keeps `h * 60` from overflowing.
        if start_h > 24 || end_h > 24 || start_m >= 60 || end_m >= 60 {
            return Err(RangeError::OutOfDay);
        }
        Self::new(start_h * 60 + start_m, end_h * 60 + end_m)
    }

    pub fn start_minute(self) -> u16 {
        self.start
    }

    pub fn end_minute(self) -> u16 {
        self.end
    }
}

/// Working ranges for each weekday, Monday first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours([Vec<LocalRange>; 7]);

impl WeeklyHours {
    pub fn new(days: [Vec<LocalRange>; 7]) -> Self {
        Self(days)
    }

    /// The same ranges Monday to Friday, weekends off.
    pub fn weekdays(ranges: &[LocalRange]) -> Self {
        let mut days: [Vec<LocalRange>; 7] = Default::default();
        for day in days.iter_mut().take(5) {
            *day = ranges.to_vec();
        }
        Self(days)
    }

    pub fn on(&self, day: Weekday) -> &[LocalRange] {
        &self.0[day.num_days_from_monday() as usize]
    }

    pub fn set(&mut self, day: Weekday, ranges: Vec<LocalRange>) {
        self.0[day.num_days_from_monday() as usize] = ranges;
    }

    /// The most ranges any weekday has: what a list of a month's ranges is sized by.
    pub fn most_in_a_day(&self) -> usize {
        self.0.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// What a date override says about its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOverride {
    Unavailable,
    Hours(Vec<LocalRange>),
}

/// A host's rules in their own time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    pub zone: Tz,
    pub weekly: WeeklyHours,
    pub overrides: BTreeMap<NaiveDate, DayOverride>,
}

impl Availability {
    pub fn new(zone: Tz, weekly: WeeklyHours) -> Self {
        Self {
            zone,
            weekly,
            overrides: BTreeMap::new(),
        }
    }

    /// The working ranges of one local date.
    pub fn ranges_on(&self, date: NaiveDate) -> &[LocalRange] {
        use chrono::Datelike;
        match self.overrides.get(&date) {
            Some(DayOverride::Unavailable) => &[],
            Some(DayOverride::Hours(ranges)) => ranges,
            None => self.weekly.on(date.weekday()),
        }
    }
}

/// A half-open span of UTC unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: i64,
    pub end: i64,
}

impl Interval {
    pub fn new(start: i64, end: i64) -> Self {
        Self { start, end }
    }

    pub fn overlaps(self, other: Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A confirmed booking of the host, with the buffers of its own event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    pub start: i64,
    pub end: i64,
    pub buffer_before: Minutes,
    pub buffer_after: Minutes,
    /// Whether it counts toward the daily limit of the event type being booked (normally: it is a
    /// booking of that same event type).
    pub counts_toward_limit: bool,
}

impl Booking {
    /// The booking with its buffers; saturating, since bookings are unchecked input.
    pub(crate) fn blocked(&self) -> Interval {
        Interval::new(
            self.start.saturating_sub(self.buffer_before.secs()),
            self.end.saturating_add(self.buffer_after.secs()),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostId(pub i64);

/// One host's whole input: rules, bookings and external calendar busy time.
#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    pub id: HostId,
    pub availability: Availability,
    pub bookings: Vec<Booking>,
    /// Busy time from connected calendars (no buffers of its own).
    pub busy: Vec<Interval>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingWindow {
    Unlimited,
    /// Start dates up to this many calendar days after today, in the host's time zone.
    Days(u32),
}

impl BookingWindow {
    /// How far ahead any event type may be booked, one without a limit of its own included: two
    /// years. A script must not be able to fill a calendar for decades.
    pub const MAX_DAYS: u32 = 730;

    /// An event type's window: `days` ahead (`None`: no limit of its own), never more than
    /// [`Self::MAX_DAYS`].
    pub fn at_most(days: Option<u32>) -> Self {
        Self::Days(days.map_or(Self::MAX_DAYS, |d| d.min(Self::MAX_DAYS)))
    }
}

/// The event type's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub duration: Minutes,
    /// Step between start times; defaults to the duration.
    pub interval: Minutes,
    pub buffer_before: Minutes,
    pub buffer_after: Minutes,
    pub minimum_notice: Minutes,
    pub window: BookingWindow,
    pub daily_limit: Option<u32>,
}

impl Rules {
    /// Rules with only a duration: interval equal to it, no buffers, notice, window or limit.
    pub fn new(duration: Minutes) -> Result<Self, RangeError> {
        check_length(duration)?;
        Ok(Self {
            duration,
            interval: duration,
            buffer_before: Minutes(0),
            buffer_after: Minutes(0),
            minimum_notice: Minutes(0),
            window: BookingWindow::Unlimited,
            daily_limit: None,
        })
    }

    pub fn with_interval(mut self, interval: Minutes) -> Result<Self, RangeError> {
        check_length(interval)?;
        self.interval = interval;
        Ok(self)
    }
}

fn check_length(length: Minutes) -> Result<(), RangeError> {
    if length.0 == 0 || length.0 > 24 * 60 {
        Err(RangeError::BadLength)
    } else {
        Ok(())
    }
}

/// What to compute: slots starting in `[from, until)`, judged at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub now: i64,
    pub from: i64,
    pub until: i64,
}
