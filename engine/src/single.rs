//! Free slots of one host, in two steps a team can share: the grid of start times an availability
//! offers ([`grid`]), then which of them the host's own busy time leaves free ([`Freedom`]).

use crate::intervals::{gallop, merge};
use crate::local::{Boundary, FIRST_INSTANT, LAST_INSTANT};
use crate::zone::{Wall, ZoneWindow, local_seconds};
use crate::{Availability, Booking, BookingWindow, Host, Interval, LocalRange, Request, Rules};
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
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
    // Where ranges touch or overlap, a meeting may run from one into the next; usually they are
    // apart, each its own coverage, and no merged list is needed.
    let apart = ranges.windows(2).all(|w| w[0].span.end < w[1].span.start);
    let coverage = if apart {
        Vec::new()
    } else {
        merge(ranges.iter().map(|r| r.span).collect())
    };
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
        let covered_until = if apart {
            range.span.end
        } else {
            coverage[coverage.partition_point(|c| c.end <= range.span.start)].end
        };
        // Starts in [range start, stop) leave the meeting inside working time and the window.
        let stop = range.span.end.min(window.latest).min(covered_until - length + 1);
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
    // Sized once for the weekly hours (overrides may add some): growing it step by step cost a
    // tenth of a month's computation.
    let days = usize::try_from((last - first).num_days() + 2).unwrap_or(0);
    let mut ranges = Vec::with_capacity(days * availability.weekly.most_in_a_day());
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
pub(crate) struct Freedom<'a> {
    /// By start of their blocked time (buffers included), as given unless out of order.
    bookings: Cow<'a, [Booking]>,
    /// By start, as given unless out of order.
    busy: Cow<'a, [Interval]>,
    full_days: Vec<NaiveDate>,
    before: i64,
    after: i64,
    zone: &'a ZoneWindow,
}

impl<'a> Freedom<'a> {
    /// Bookings and busy time arrive in order as a rule, and are then used where they are: walked
    /// side by side rather than merged into a list of their own first (that copy and its
    /// coalescing cost a fifth of a busy host's month).
    pub(crate) fn new(host: &'a Host, rules: &Rules, window: &'a Window) -> Self {
        let mut bookings = Cow::Borrowed(host.bookings.as_slice());
        if !bookings.is_sorted_by_key(|b| b.blocked().start) {
            bookings.to_mut().sort_unstable_by_key(|b| b.blocked().start);
        }
        let mut busy = Cow::Borrowed(host.busy.as_slice());
        if !busy.is_sorted_by_key(|i| i.start) {
            busy.to_mut().sort_unstable_by_key(|i| i.start);
        }
        Self {
            bookings,
            busy,
            full_days: days_at_limit(host, rules, &window.zone),
            before: rules.buffer_before.secs(),
            after: rules.buffer_after.secs(),
            zone: &window.zone,
        }
    }

    /// The next block by start, of bookings from `*i` and busy time from `*j` on.
    #[inline]
    fn next_block(&self, i: &mut usize, j: &mut usize) -> Option<Interval> {
        let busy = self.busy.get(*j);
        match self.bookings.get(*i).map(Booking::blocked) {
            Some(booking) if busy.is_none_or(|b| booking.start <= b.start) => {
                *i += 1;
                Some(booking)
            }
            _ => {
                *j += 1;
                busy.copied()
            }
        }
    }

    /// Nothing of the host's blocks anything.
    pub(crate) fn is_always_free(&self) -> bool {
        self.bookings.is_empty() && self.busy.is_empty() && self.full_days.is_empty()
    }

    /// Calls `free` with each run of indices of `grid` (ascending slots of one length) that the
    /// host is free for, in order.
    pub(crate) fn for_each_free_run(&self, grid: &[Slot], mut free: impl FnMut(Range<usize>)) {
        if self.full_days.is_empty() {
            self.for_each_unblocked_run(grid, free);
        } else {
            self.for_each_unblocked_run(grid, |run| self.split_at_full_days(grid, run, &mut free));
        }
    }

    /// Calls `free` with each non-empty run of `grid` that no block touches. Each blocked
    /// interval knocks out one contiguous run of the grid, found by galloping, so the cost follows
    /// the blocks rather than the grid's length. Blocks come by start, overlapping or not: one
    /// inside an earlier one finds its slots already passed.
    fn for_each_unblocked_run(&self, grid: &[Slot], mut free: impl FnMut(Range<usize>)) {
        let mut next = 0;
        let (mut i, mut j) = (0, 0);
        while let Some(block) = self.next_block(&mut i, &mut j) {
            if block.start >= block.end {
                continue;
            }
            // A slot is hit when its buffered span `[start - before, end + after)` overlaps.
            let first_hit = next + gallop(&grid[next..], |s| s.end + self.after <= block.start);
            if first_hit == grid.len() {
                break;
            }
            let past_hits = first_hit + gallop(&grid[first_hit..], |s| s.start - self.before < block.end);
            if next < first_hit {
                free(next..first_hit);
            }
            next = past_hits;
        }
        if next < grid.len() {
            free(next..grid.len());
        }
    }

    /// Passes `run` on, without the slots on dates at the daily limit.
    fn split_at_full_days(&self, grid: &[Slot], run: Range<usize>, free: &mut impl FnMut(Range<usize>)) {
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
