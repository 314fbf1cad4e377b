//! Free slots of one host, in two steps a team can share: the grid of start times an availability
//! offers ([`grid`]), then which of them the host's own busy time leaves free ([`Freedom`]).

use crate::intervals::{gallop, merge, merge_pair};
use crate::local::{Boundary, FIRST_INSTANT, LAST_INSTANT};
use crate::zone::{Wall, ZoneWindow, local_seconds};
use crate::{Availability, BookingWindow, Host, Interval, LocalRange, Request, Rules};
use chrono::{Datelike, NaiveDate};
use std::ops::Range;

/// A bookable time, UTC unix seconds, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: i64,
    pub end: i64,
}

/// One working range of a local date, with the instants it covers.
struct DayRange {
    date: NaiveDate,
    local: LocalRange,
    span: Interval,
}

/// How much of a request is computed, from its earliest start: a year, far more than callers ask
/// for, so that no request can demand unbounded work or memory.
const MAX_SPAN: i64 = 366 * 86_400;

const DAY: i64 = 86_400;

/// Every free slot of `host` starting in the request's window, ascending; of a longer window,
/// only the first year (366 days) of starts.
pub fn host_slots(host: &Host, rules: &Rules, request: &Request) -> Vec<Slot> {
    let Some(window) = Window::of(&host.availability, rules, request) else {
        return Vec::new();
    };
    let grid = grid(&host.availability, rules, &window);
    let freedom = Freedom::new(host, rules, &window);
    if freedom.is_always_free() {
        return grid;
    }
    let mut slots = Vec::with_capacity(grid.len());
    freedom.for_each_free_run(&grid, |run| slots.extend_from_slice(&grid[run]));
    slots
}

/// The instants a request lets one availability's starts take, and its zone's offsets around them.
pub(crate) struct Window {
    earliest: i64,
    latest: i64,
    zone: ZoneWindow,
}

impl Window {
    /// `None` when nothing can be offered (the window is empty, or the interval zero).
    pub(crate) fn of(availability: &Availability, rules: &Rules, request: &Request) -> Option<Self> {
        if rules.interval.secs() == 0 {
            // Only reachable by setting the field directly: `Rules::with_interval` refuses it.
            return None;
        }
        let notice_end = request.now.saturating_add(rules.minimum_notice.secs());
        let earliest = request.from.max(notice_end).max(FIRST_INSTANT);
        let latest = request
            .until
            .min(window_end(availability, rules, request.now))
            .min(LAST_INSTANT)
            .min(earliest.saturating_add(MAX_SPAN));
        (earliest < latest).then(|| Self {
            earliest,
            latest,
            // Working ranges of the dates around the window lie within a day and a half of it.
            zone: ZoneWindow::new(availability.zone, earliest - 3 * DAY, latest + 3 * DAY),
        })
    }
}

/// The start times `availability` offers in `window` before anyone's busy time: ascending and
/// distinct, each on its working range's wall-clock grid, with the whole meeting in working time.
pub(crate) fn grid(availability: &Availability, rules: &Rules, window: &Window) -> Vec<Slot> {
    let zone = &window.zone;
    let first = zone.local_date(window.earliest);
    let last = zone.local_date(window.latest - 1);
    let ranges = working_ranges(availability, zone, first, last);
    let coverage = merge(ranges.iter().map(|r| r.span).collect());
    let (step, length) = (rules.interval.secs(), rules.duration.secs());
    let estimate: i64 = ranges.iter().map(|r| (r.span.end - r.span.start) / step + 1).sum();
    let mut slots: Vec<Slot> = Vec::with_capacity(usize::try_from(estimate).unwrap_or(0));
    let slot = |start| Slot {
        start,
        end: start + length,
    };

    // Plain arithmetic from here on cannot overflow: the window and the ranges lie in the
    // supported years (about ±4·10¹¹ s) and every `Minutes` is below 2³² minutes (3·10¹¹ s).
    let mut ordered = true;
    for range in &ranges {
        let covered = coverage[coverage.partition_point(|c| c.end <= range.span.start)];
        // Starts in [range start, stop) leave the meeting inside working time and the window.
        let stop = range.span.end.min(window.latest).min(covered.end - length + 1);
        let before = slots.len();
        if zone.is_steady(range.span.start - 1, range.span.end + 1) {
            // One offset all through, the range's ends included (so neither lies in a gap or a
            // fold): wall-clock and elapsed time agree, and the grid is plain steps from the start.
            let skipped = (window.earliest - range.span.start).max(0);
            let first = range.span.start + (skipped + step - 1) / step * step;
            let count = if first < stop { (stop - first - 1) / step + 1 } else { 0 };
            slots.extend((0..count).map(|k| slot(first + k * step)));
        } else {
            let starts = wall_clock_grid(zone, range, rules);
            slots.extend(
                starts
                    .into_iter()
                    .filter(|&start| window.earliest <= start && start < stop)
                    .map(slot),
            );
        }
        if before > 0 && slots.len() > before && slots[before] <= slots[before - 1] {
            ordered = false; // only when a date's ranges overlap
        }
    }
    if !ordered {
        slots.sort_unstable();
        slots.dedup();
    }
    slots
}

/// The grid of a range with a DST change inside: each wall-clock time on it resolved alone,
/// ascending. A time in a spring-forward gap does not exist and is skipped; one in a fall-back
/// fold happens twice and is offered twice.
fn wall_clock_grid(zone: &ZoneWindow, range: &DayRange, rules: &Rules) -> Vec<i64> {
    let midnight = local_seconds(range.date, 0);
    let minutes = (range.local.start_minute()..range.local.end_minute()).step_by(rules.interval.0 as usize);
    let mut starts = Vec::with_capacity(minutes.len() + 2);
    for minute in minutes {
        match zone.wall(midnight + i64::from(minute) * 60) {
            Some(Wall::One(start)) => starts.push(start),
            Some(Wall::Twice(early, late)) => starts.extend([early, late]),
            Some(Wall::Gap(_)) => {}
            // Outside the sampled window: only near the supported years' ends, where nothing
            // is offered anyway.
            None => {}
        }
    }
    starts.sort_unstable();
    starts
}

/// The host's working ranges on local dates `first..=last`, plus the day after so that a meeting
/// may run past midnight into the next day's hours; ascending by instants.
fn working_ranges(availability: &Availability, zone: &ZoneWindow, first: NaiveDate, last: NaiveDate) -> Vec<DayRange> {
    let mut ranges = Vec::new();
    let (mut date, mut midnight) = (first, local_seconds(first, 0));
    let mut weekday = first.weekday();
    while date <= last.succ_opt().unwrap_or(last) {
        let day = if availability.overrides.is_empty() {
            availability.weekly.on(weekday)
        } else {
            availability.ranges_on(date)
        };
        for &local in day {
            let start = zone.resolve(midnight + i64::from(local.start_minute()) * 60, Boundary::Start);
            let end = zone.resolve(midnight + i64::from(local.end_minute()) * 60, Boundary::End);
            if start < end {
                ranges.push(DayRange {
                    date,
                    local,
                    span: Interval::new(start, end),
                });
            }
        }
        match date.succ_opt() {
            Some(next) => (date, midnight, weekday) = (next, midnight + DAY, weekday.succ()),
            None => break,
        }
    }
    if !ranges.is_sorted_by_key(|r| r.span) {
        ranges.sort_unstable_by_key(|r| r.span);
    }
    ranges
}

/// The first instant after the booking window: local midnight after today + N days.
fn window_end(availability: &Availability, rules: &Rules, now: i64) -> i64 {
    match rules.window {
        BookingWindow::Unlimited => i64::MAX,
        BookingWindow::Days(days) => {
            let zone = availability.zone;
            let today = crate::local::local_date(zone, now);
            match today.checked_add_days(chrono::Days::new(u64::from(days) + 1)) {
                Some(after_last) => crate::resolve_local(zone, after_last, 0, Boundary::Start),
                None => i64::MAX,
            }
        }
    }
}

/// Which grid slots one host's own time leaves free: its bookings (with their buffers and the
/// candidate's), its calendars' busy time, and dates already at the daily limit.
pub(crate) struct Freedom<'w> {
    blocked: Vec<Interval>,
    full_days: Vec<NaiveDate>,
    before: i64,
    after: i64,
    zone: &'w ZoneWindow,
}

impl<'w> Freedom<'w> {
    pub(crate) fn new(host: &Host, rules: &Rules, window: &'w Window) -> Self {
        Self {
            blocked: merge_pair(host.bookings.iter().map(|b| b.blocked()).collect(), &host.busy),
            full_days: days_at_limit(host, rules, &window.zone),
            before: rules.buffer_before.secs(),
            after: rules.buffer_after.secs(),
            zone: &window.zone,
        }
    }

    /// Nothing of the host's blocks anything.
    pub(crate) fn is_always_free(&self) -> bool {
        self.blocked.is_empty() && self.full_days.is_empty()
    }

    /// Calls `free` with each run of indices of `grid` (ascending slots of one length) that the
    /// host is free for, in order. Each blocked interval knocks out one contiguous run of the
    /// grid, found by galloping, so the cost follows the blocks rather than the grid's length.
    pub(crate) fn for_each_free_run(&self, grid: &[Slot], mut free: impl FnMut(Range<usize>)) {
        let mut next = 0;
        for block in &self.blocked {
            // A slot is hit when its buffered span `[start - before, end + after)` overlaps.
            let first_hit = next + gallop(&grid[next..], |s| s.end + self.after <= block.start);
            if first_hit == grid.len() {
                break;
            }
            let past_hits = first_hit + gallop(&grid[first_hit..], |s| s.start - self.before < block.end);
            self.pass_on_free_days(grid, next..first_hit, &mut free);
            next = past_hits;
        }
        self.pass_on_free_days(grid, next..grid.len(), &mut free);
    }

    /// Passes `run` on, without the slots on dates at the daily limit.
    #[inline]
    fn pass_on_free_days(&self, grid: &[Slot], run: Range<usize>, free: &mut impl FnMut(Range<usize>)) {
        if run.is_empty() {
            return;
        }
        if self.full_days.is_empty() {
            return free(run);
        }
        let mut open: Option<usize> = None;
        for i in run.clone() {
            let is_full = self
                .full_days
                .binary_search(&self.zone.local_date(grid[i].start))
                .is_ok();
            match (is_full, open) {
                (true, Some(from)) => {
                    free(from..i);
                    open = None;
                }
                (false, None) => open = Some(i),
                _ => {}
            }
        }
        if let Some(from) = open {
            free(from..run.end);
        }
    }
}

/// Local dates on which the host already has `daily_limit` counted bookings, ascending.
fn days_at_limit(host: &Host, rules: &Rules, zone: &ZoneWindow) -> Vec<NaiveDate> {
    let Some(limit) = rules.daily_limit else {
        return Vec::new();
    };
    let mut dates: Vec<NaiveDate> = host
        .bookings
        .iter()
        .filter(|b| b.counts_toward_limit)
        .map(|b| zone.local_date(b.start))
        .collect();
    dates.sort_unstable();
    let mut full = Vec::new();
    for run in dates.chunk_by(|a, b| a == b) {
        if run.len() >= limit as usize {
            full.push(run[0]);
        }
    }
    full
}
