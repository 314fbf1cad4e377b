//! Free slots of one host.

use crate::intervals::{hits, merge};
use crate::local::{Boundary, FIRST_INSTANT, LAST_INSTANT, local_date, resolve_local};
use crate::{BookingWindow, Host, Interval, Request, Rules};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A bookable time, UTC unix seconds, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: i64,
    pub end: i64,
}

/// One working range resolved to UTC, remembering the local date it belongs to.
struct DayRange {
    date: NaiveDate,
    span: Interval,
}

/// How much of a request is computed, from its earliest start: a year, far more than callers ask
/// for, so that no request can demand unbounded work or memory.
const MAX_SPAN: i64 = 366 * 86_400;

/// Every free slot of `host` starting in the request's window, ascending; of a longer window,
/// only the first year (366 days) of starts.
pub fn host_slots(host: &Host, rules: &Rules, request: &Request) -> Vec<Slot> {
    let zone = host.availability.zone;
    let (step, length) = (rules.interval.secs(), rules.duration.secs());
    if step == 0 {
        // Only reachable by setting the field directly: `Rules::with_interval` refuses it.
        return Vec::new();
    }
    let notice_end = request.now.saturating_add(rules.minimum_notice.secs());
    let earliest = request.from.max(notice_end).max(FIRST_INSTANT);
    let latest = request
        .until
        .min(window_end(host, rules, request.now))
        .min(LAST_INSTANT)
        .min(earliest.saturating_add(MAX_SPAN));
    if earliest >= latest {
        return Vec::new();
    }
    let ranges = working_ranges(host, local_date(zone, earliest), local_date(zone, latest - 1));
    let coverage = merge(ranges.iter().map(|r| r.span).collect());
    let blocked = merge(
        host.bookings
            .iter()
            .map(|b| b.blocked())
            .chain(host.busy.iter().copied())
            .collect(),
    );
    let full_days = days_at_limit(host, rules);
    let (before, after) = (rules.buffer_before.secs(), rules.buffer_after.secs());

    // Plain arithmetic from here on cannot overflow: `earliest` and the ranges lie in the
    // supported years (about ±4·10¹¹ s) and every `Minutes` is below 2³² minutes (3·10¹¹ s).
    let mut slots = Vec::new();
    for range in ranges.iter().filter(|r| !full_days.contains(&r.date)) {
        let Some(covered_until) = coverage
            .iter()
            .find(|c| c.start <= range.span.start && range.span.start < c.end)
        else {
            continue;
        };
        let first = range.span.start + ceil_div((earliest - range.span.start).max(0), step) * step;
        let mut cursor = blocked.partition_point(|b| b.end <= first - before);
        let mut start = first;
        while start < range.span.end && start < latest && start + length <= covered_until.end {
            let guarded = Interval::new(start - before, start + length + after);
            if !hits(&blocked, &mut cursor, guarded) {
                slots.push(Slot {
                    start,
                    end: start + length,
                });
            }
            start += step;
        }
    }
    slots.sort_unstable();
    slots.dedup();
    slots
}

/// The host's working ranges on local dates `first..=last`, plus the day after so that a meeting
/// may run past midnight into the next day's hours.
fn working_ranges(host: &Host, first: NaiveDate, last: NaiveDate) -> Vec<DayRange> {
    let availability = &host.availability;
    let mut ranges = Vec::new();
    let mut date = first;
    while date <= last.succ_opt().unwrap_or(last) {
        for range in availability.ranges_on(date) {
            let start = resolve_local(availability.zone, date, range.start_minute(), Boundary::Start);
            let end = resolve_local(availability.zone, date, range.end_minute(), Boundary::End);
            if start < end {
                ranges.push(DayRange {
                    date,
                    span: Interval::new(start, end),
                });
            }
        }
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    ranges.sort_unstable_by_key(|r| r.span);
    ranges
}

/// The first instant after the booking window: local midnight after today + N days.
fn window_end(host: &Host, rules: &Rules, now: i64) -> i64 {
    match rules.window {
        BookingWindow::Unlimited => i64::MAX,
        BookingWindow::Days(days) => {
            let zone = host.availability.zone;
            let today = local_date(zone, now);
            match today.checked_add_days(chrono::Days::new(u64::from(days) + 1)) {
                Some(after_last) => resolve_local(zone, after_last, 0, Boundary::Start),
                None => i64::MAX,
            }
        }
    }
}

/// Local dates on which the host already has `daily_limit` counted bookings.
fn days_at_limit(host: &Host, rules: &Rules) -> Vec<NaiveDate> {
    let Some(limit) = rules.daily_limit else {
        return Vec::new();
    };
    let zone = host.availability.zone;
    let mut per_day: HashMap<NaiveDate, u32> = HashMap::new();
    for booking in host.bookings.iter().filter(|b| b.counts_toward_limit) {
        *per_day.entry(local_date(zone, booking.start)).or_default() += 1;
    }
    per_day
        .into_iter()
        .filter(|(_, count)| *count >= limit)
        .map(|(date, _)| date)
        .collect()
}

fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1) / b
}
