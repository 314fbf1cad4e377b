//! Hostile inputs: instants anywhere in `i64`, dates anywhere in chrono's range, every zone and
//! arbitrary rules. No public function may panic, and slot lists still obey the request.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::{TZ_VARIANTS, Tz};
use engine::*;
use proptest::prelude::*;

const DAY: i64 = 86_400;
/// Mid 2026.
const NOW: i64 = 1_782_000_000;

/// The last instant chrono can represent (the end of year 262142).
fn chrono_end() -> i64 {
    NaiveDateTime::MAX.and_utc().timestamp()
}

fn instant() -> impl Strategy<Value = i64> {
    let (chrono_start, chrono_end) = (NaiveDateTime::MIN.and_utc().timestamp(), chrono_end());
    prop_oneof![
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
        1 => any::<i64>(),
        1 => i64::MIN..i64::MIN + 1_000_000,
        1 => i64::MAX - 1_000_000..=i64::MAX,
        1 => chrono_start - 3 * DAY..chrono_start + 3 * DAY,
        1 => chrono_end - 3 * DAY..chrono_end + 3 * DAY,
        // Ordinary instants, often enough that ordinary requests meet extreme rules and data.
        6 => NOW - 30 * DAY..NOW + 30 * DAY,
    ]
}

fn minutes() -> impl Strategy<Value = Minutes> {
    prop_oneof![
        1 => Just(0),
        1 => Just(u32::MAX),
        1 => any::<u32>(),
        12 => 0u32..=24 * 60,
    ]
    .prop_map(Minutes)
}

fn date() -> impl Strategy<Value = NaiveDate> {
    let (first, last) = (NaiveDate::MIN.num_days_from_ce(), NaiveDate::MAX.num_days_from_ce());
    let today = chrono::DateTime::from_timestamp(NOW, 0).unwrap().num_days_from_ce();
    prop_oneof![
        Just(first),
        Just(last),
        first..=last,
        first..first + 3,
        last - 3..=last,
        today - 30..today + 30,
    ]
    .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
}

fn zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(&TZ_VARIANTS[..])
}

fn day_ranges() -> impl Strategy<Value = Vec<LocalRange>> {
    prop::collection::vec(
        (0u16..=LocalRange::DAY_MINUTES, 0u16..=LocalRange::DAY_MINUTES)
            .prop_filter_map("empty", |(a, b)| LocalRange::new(a.min(b), a.max(b)).ok()),
        0..3,
    )
}

fn host(id: i64) -> impl Strategy<Value = Host> {
    let day_override = prop_oneof![
        Just(DayOverride::Unavailable),
        day_ranges().prop_map(DayOverride::Hours)
    ];
    let booking = (instant(), instant(), minutes(), minutes(), any::<bool>()).prop_map(
        |(start, end, buffer_before, buffer_after, counts_toward_limit)| Booking {
            start,
            end,
            buffer_before,
            buffer_after,
            counts_toward_limit,
        },
    );
    (
        zone(),
        prop::array::uniform7(day_ranges()),
        prop::collection::btree_map(date(), day_override, 0..4),
        prop::collection::vec(booking, 0..4),
        prop::collection::vec((instant(), instant()).prop_map(|(a, b)| Interval::new(a, b)), 0..4),
    )
        .prop_map(move |(zone, weekly, overrides, bookings, busy)| Host {
            id: HostId(id),
            availability: Availability {
                zone,
                weekly: WeeklyHours::new(weekly),
                overrides,
            },
            bookings,
            busy,
        })
}

/// Any field values, including ones the constructors refuse.
fn rules() -> impl Strategy<Value = Rules> {
    let window = prop_oneof![
        Just(BookingWindow::Unlimited),
        Just(BookingWindow::Days(u32::MAX)),
        any::<u32>().prop_map(BookingWindow::Days),
        (0u32..30).prop_map(BookingWindow::Days),
    ];
    let limit = prop::option::of(prop_oneof![Just(0), Just(u32::MAX), 0u32..3]);
    (minutes(), minutes(), minutes(), minutes(), minutes(), window, limit).prop_map(
        |(duration, interval, buffer_before, buffer_after, minimum_notice, window, daily_limit)| Rules {
            duration,
            interval,
            buffer_before,
            buffer_after,
            minimum_notice,
            window,
            daily_limit,
        },
    )
}

/// Any three instants, or an ordinary request of up to a month (to meet extreme rules and data).
fn request() -> impl Strategy<Value = Request> {
    let ordinary = (NOW - DAY..NOW + DAY, 0..30 * DAY).prop_map(|(from, days)| Request {
        now: NOW,
        from,
        until: from + days,
    });
    prop_oneof![
        (instant(), instant(), instant()).prop_map(|(now, from, until)| Request { now, from, until }),
        ordinary,
    ]
}

fn weekday() -> impl Strategy<Value = Weekday> {
    (0u8..7).prop_map(|d| Weekday::try_from(d).unwrap())
}

fn load() -> impl Strategy<Value = HostLoad> {
    (any::<i64>(), any::<u32>(), prop::option::of(instant())).prop_map(|(id, count, last)| HostLoad {
        host: HostId(id),
        bookings_last_30_days: count,
        last_booked_at: last,
    })
}

/// Slots are ascending, as long as the rules say, and start inside the request and after notice.
fn assert_obeys_request(slots: &[Slot], rules: &Rules, request: &Request) {
    assert!(slots.windows(2).all(|w| w[0] < w[1]));
    for slot in slots {
        assert_eq!(slot.end - slot.start, rules.duration.secs());
        assert!(request.from <= slot.start && slot.start < request.until);
        assert!(slot.start >= request.now.saturating_add(rules.minimum_notice.secs()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn no_input_makes_the_engine_panic(
        hosts in prop::collection::vec((1i64..4).prop_flat_map(host), 1..3),
        rules in rules(),
        request in request(),
        viewer in zone(),
        (day, minute, zone) in (date(), any::<u16>(), zone()),
        (weekday, ranges) in (weekday(), day_ranges()),
        raw in (any::<u16>(), any::<u16>(), any::<u16>(), any::<u16>(), any::<u32>(), any::<u32>()),
        loads in prop::collection::vec(load(), 0..4),
        (a, b, c, d) in (instant(), instant(), instant(), instant()),
    ) {
        let slots = host_slots(&hosts[0], &rules, &request);
        assert_obeys_request(&slots, &rules, &request);
        group_by_local_date(&slots, viewer);

        let round_robin = round_robin_slots(&hosts, &rules, &request);
        let collective = collective_slots(&hosts, &rules, &request);
        prop_assert!(collective.len() <= round_robin.len());
        group_by_local_date(&round_robin, viewer);
        let free: Vec<HostId> = loads.iter().map(|l| l.host).chain(hosts.iter().map(|h| h.id)).collect();
        prop_assert!(pick_round_robin_host(&free, &loads).is_some());

        let start = resolve_local(zone, day, minute, Boundary::Start);
        let end = resolve_local(zone, day, minute, Boundary::End);
        prop_assert!(start <= end);
        hosts[0].availability.ranges_on(day);
        let mut weekly = hosts[0].availability.weekly.clone();
        weekly.set(weekday, ranges);
        weekly.on(weekday);
        WeeklyHours::weekdays(weekly.on(weekday));

        let (h1, m1, h2, m2, duration, interval) = raw;
        let _ = LocalRange::new(h1, m1);
        let _ = LocalRange::hm(h1, m1, h2, m2);
        let _ = Rules::new(Minutes(duration)).and_then(|r| r.with_interval(Minutes(interval)));
        Interval::new(a, b).overlaps(Interval::new(c, d));
        let far = [Slot { start: a, end: b }, Slot { start: c, end: d }];
        group_by_local_date(&far, viewer);
    }
}

/// A host working every day 09:00–17:00 in a zone far east of UTC, where local time runs out first.
fn kiritimati_host() -> Host {
    let nine_to_five = vec![LocalRange::hm(9, 0, 17, 0).unwrap()];
    Host {
        id: HostId(1),
        availability: Availability::new(
            chrono_tz::Pacific::Kiritimati,
            WeeklyHours::new(std::array::from_fn(|_| nine_to_five.clone())),
        ),
        bookings: vec![],
        busy: vec![],
    }
}

#[test]
fn a_far_future_range_with_an_unlimited_window_offers_nothing() {
    let rules = Rules::new(Minutes(30)).unwrap();
    for (from, until) in [
        (chrono_end() - 30 * DAY, chrono_end()),
        (chrono_end() - 30 * DAY, i64::MAX),
        (i64::MAX - DAY, i64::MAX),
    ] {
        let request = Request { now: NOW, from, until };
        assert_eq!(host_slots(&kiritimati_host(), &rules, &request), vec![]);
        assert_eq!(round_robin_slots(&[kiritimati_host()], &rules, &request), vec![]);
    }
}

#[test]
fn the_last_supported_year_still_has_slots() {
    let end_of_9999 = 253_402_300_800;
    let request = Request {
        now: NOW,
        from: end_of_9999 - 31 * DAY,
        until: i64::MAX,
    };
    let slots = host_slots(&kiritimati_host(), &Rules::new(Minutes(60)).unwrap(), &request);
    assert!(slots.len() > 30 * 8);
    assert!(slots.iter().all(|s| s.start < end_of_9999));
}

#[test]
fn the_largest_booking_window_is_as_good_as_unlimited_for_any_now() {
    let mut rules = Rules::new(Minutes(30)).unwrap();
    rules.window = BookingWindow::Days(u32::MAX);
    let request = |now| Request {
        now,
        from: NOW,
        until: NOW + 7 * DAY,
    };
    assert_eq!(host_slots(&kiritimati_host(), &rules, &request(NOW)).len(), 7 * 16);
    assert_eq!(host_slots(&kiritimati_host(), &rules, &request(i64::MIN)).len(), 7 * 16);
    // Judged at the end of time, every start is in the past.
    assert_eq!(host_slots(&kiritimati_host(), &rules, &request(i64::MAX)), vec![]);
}

#[test]
fn instants_near_the_year_262142_have_a_local_date() {
    let zone = chrono_tz::Pacific::Kiritimati;
    let slots = [chrono_end() - DAY, chrono_end(), i64::MAX].map(|start| Slot { start, end: start });
    let days = group_by_local_date(&slots, zone);
    assert!(days.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(days.iter().map(|(_, list)| list.len()).sum::<usize>(), 3);
}

#[test]
fn dates_at_the_ends_of_the_calendar_resolve_in_order() {
    for zone in [
        chrono_tz::Pacific::Kiritimati,
        chrono_tz::Etc::GMTPlus12,
        chrono_tz::UTC,
    ] {
        let resolve = |date, minute| resolve_local(zone, date, minute, Boundary::End);
        assert!(resolve(NaiveDate::MIN, 0) <= resolve(NaiveDate::MIN, u16::MAX));
        assert!(resolve(NaiveDate::MAX, 0) <= resolve(NaiveDate::MAX, u16::MAX));
        let today = zone.timestamp_opt(NOW, 0).unwrap().date_naive();
        assert!(resolve(NaiveDate::MIN, u16::MAX) < resolve(today, 0));
        assert!(resolve(today, 0) < resolve(NaiveDate::MAX, 0));
    }
}

#[test]
fn extreme_bookings_and_buffers_block_everything_they_cover() {
    let host = Host {
        bookings: vec![Booking {
            start: i64::MIN,
            end: i64::MAX,
            buffer_before: Minutes(u32::MAX),
            buffer_after: Minutes(u32::MAX),
            counts_toward_limit: true,
        }],
        ..kiritimati_host()
    };
    let mut rules = Rules::new(Minutes(30)).unwrap();
    rules.buffer_before = Minutes(u32::MAX);
    rules.buffer_after = Minutes(u32::MAX);
    rules.minimum_notice = Minutes(u32::MAX);
    rules.daily_limit = Some(1);
    let request = Request {
        now: i64::MIN,
        from: i64::MIN,
        until: i64::MAX,
    };
    assert_eq!(host_slots(&host, &rules, &request), vec![]);
}

#[test]
fn a_zero_interval_offers_nothing_instead_of_dividing_by_zero() {
    let mut rules = Rules::new(Minutes(30)).unwrap();
    rules.interval = Minutes(0);
    let request = Request {
        now: NOW,
        from: NOW,
        until: NOW + 7 * DAY,
    };
    assert_eq!(host_slots(&kiritimati_host(), &rules, &request), vec![]);
}

#[test]
fn an_endless_request_computes_one_year_of_slots() {
    let rules = Rules::new(Minutes(60)).unwrap();
    let request = Request {
        now: NOW,
        from: NOW,
        until: i64::MAX,
    };
    let slots = host_slots(&kiritimati_host(), &rules, &request);
    assert_eq!(slots.len(), 366 * 8);
    assert!(slots.last().unwrap().start < NOW + 366 * DAY);
}

#[test]
fn hours_past_the_end_of_the_day_are_refused_not_overflowed() {
    assert_eq!(LocalRange::hm(u16::MAX, 0, u16::MAX, 0), Err(RangeError::OutOfDay));
    assert_eq!(LocalRange::hm(0, 0, 1200, 0), Err(RangeError::OutOfDay));
}
