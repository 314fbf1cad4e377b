//! Table tests: one rule per test, with local wall-clock expectations.

use chrono::{NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use chrono_tz::{America, Asia, Australia, Europe, Pacific};
use engine::*;

const DAY: i64 = 86_400;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn range(a: u16, b: u16, c: u16, d: u16) -> LocalRange {
    LocalRange::hm(a, b, c, d).unwrap()
}

/// Local midnight of a date, in zone (unambiguous in every case used here).
fn midnight(zone: Tz, day: NaiveDate) -> i64 {
    zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .timestamp()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    chrono::Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().timestamp()
}

fn host_every_day(zone: Tz, ranges: &[LocalRange]) -> Host {
    let weekly = WeeklyHours::new(std::array::from_fn(|_| ranges.to_vec()));
    Host {
        id: HostId(1),
        availability: Availability::new(zone, weekly),
        bookings: vec![],
        busy: vec![],
    }
}

/// Slots of `host` on one local date (judged long before, so notice never interferes).
fn on_day(host: &Host, rules: &Rules, day: NaiveDate) -> Vec<Slot> {
    let zone = host.availability.zone;
    let from = midnight(zone, day);
    let until = midnight(zone, day.succ_opt().unwrap());
    host_slots(
        host,
        rules,
        &Request {
            now: from - 30 * DAY,
            from,
            until,
        },
    )
}

/// Slot starts as local "HH:MM" in `zone`, with the UTC offset where it helps to tell folds apart.
fn starts(slots: &[Slot], zone: Tz) -> Vec<String> {
    slots
        .iter()
        .map(|s| zone.timestamp_opt(s.start, 0).unwrap().format("%H:%M").to_string())
        .collect()
}

fn starts_with_offset(slots: &[Slot], zone: Tz) -> Vec<String> {
    slots
        .iter()
        .map(|s| zone.timestamp_opt(s.start, 0).unwrap().format("%H:%M%:z").to_string())
        .collect()
}

/// Team slots as local start time and free host ids.
fn team_view(team: &[TeamSlot], zone: Tz) -> Vec<(String, Vec<i64>)> {
    team.iter()
        .map(|s| {
            (
                starts(
                    &[Slot {
                        start: s.start,
                        end: s.end,
                    }],
                    zone,
                )[0]
                .clone(),
                s.hosts.iter().map(|h| h.0).collect(),
            )
        })
        .collect()
}

fn minutes(duration: u32, interval: u32) -> Rules {
    Rules::new(Minutes(duration))
        .unwrap()
        .with_interval(Minutes(interval))
        .unwrap()
}

#[test]
fn a_split_day_offers_slots_in_both_ranges_only() {
    let host = host_every_day(Europe::Berlin, &[range(9, 0, 12, 0), range(13, 0, 17, 0)]);
    let slots = on_day(&host, &Rules::new(Minutes(60)).unwrap(), date(2026, 12, 1));
    assert_eq!(
        starts(&slots, Europe::Berlin),
        ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]
    );
    assert!(slots.iter().all(|s| s.end - s.start == 3600));
}

#[test]
fn the_interval_defaults_to_the_duration_and_can_be_shorter() {
    let host = host_every_day(Europe::Berlin, &[range(9, 0, 11, 0)]);
    let day = date(2026, 12, 1);
    assert_eq!(
        starts(&on_day(&host, &Rules::new(Minutes(30)).unwrap(), day), Europe::Berlin),
        ["09:00", "09:30", "10:00", "10:30"]
    );
    assert_eq!(
        starts(&on_day(&host, &minutes(45, 20), day), Europe::Berlin),
        ["09:00", "09:20", "09:40", "10:00"]
    );
}

#[test]
fn the_grid_is_counted_from_each_range_start() {
    let host = host_every_day(Europe::Berlin, &[range(9, 10, 10, 30), range(14, 45, 15, 45)]);
    let slots = on_day(&host, &minutes(30, 30), date(2026, 12, 1));
    assert_eq!(starts(&slots, Europe::Berlin), ["09:10", "09:40", "14:45", "15:15"]);
}

#[test]
fn ranges_touching_at_midnight_join_so_a_meeting_can_cross_it() {
    let mut weekly = WeeklyHours::default();
    weekly.set(Weekday::Mon, vec![range(22, 0, 24, 0)]);
    weekly.set(Weekday::Tue, vec![range(0, 0, 2, 0)]);
    let host = Host {
        id: HostId(1),
        availability: Availability::new(Europe::Berlin, weekly),
        bookings: vec![],
        busy: vec![],
    };
    let rules = minutes(90, 30);
    let from = midnight(Europe::Berlin, date(2026, 11, 30));
    let slots = host_slots(
        &host,
        &rules,
        &Request {
            now: from - DAY,
            from,
            until: from + 2 * DAY,
        },
    );
    assert_eq!(
        starts(&slots, Europe::Berlin),
        ["22:00", "22:30", "23:00", "23:30", "00:00", "00:30"]
    );
    let lone = host_every_day(Europe::Berlin, &[range(22, 0, 24, 0)]);
    let without_next_day = on_day(&lone, &rules, date(2026, 12, 2));
    assert_eq!(starts(&without_next_day, Europe::Berlin), ["22:00", "22:30"]);
}

#[test]
fn an_unavailable_override_empties_its_date_and_custom_hours_replace_the_week() {
    let mut host = host_every_day(Europe::Berlin, &[range(9, 0, 17, 0)]);
    host.availability
        .overrides
        .insert(date(2026, 12, 24), DayOverride::Unavailable);
    host.availability.overrides.insert(
        date(2026, 12, 23),
        DayOverride::Hours(vec![range(8, 0, 9, 0), range(18, 0, 19, 0)]),
    );
    let rules = Rules::new(Minutes(60)).unwrap();
    assert!(on_day(&host, &rules, date(2026, 12, 24)).is_empty());
    assert_eq!(
        starts(&on_day(&host, &rules, date(2026, 12, 23)), Europe::Berlin),
        ["08:00", "18:00"]
    );
    assert_eq!(on_day(&host, &rules, date(2026, 12, 22)).len(), 8);
}

#[test]
fn a_booking_blocks_with_its_own_buffers_and_the_candidates_buffers() {
    let zone = Europe::Berlin;
    let mut host = host_every_day(zone, &[range(9, 0, 13, 0)]);
    let day = date(2026, 12, 1);
    let at = |h: u32, m: u32| zone.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap().timestamp();
    host.bookings.push(Booking {
        start: at(10, 0),
        end: at(10, 30),
        buffer_before: Minutes(0),
        buffer_after: Minutes(15),
        counts_toward_limit: false,
    });
    let mut rules = minutes(30, 15);
    assert_eq!(
        starts(&on_day(&host, &rules, day), zone),
        [
            "09:00", "09:15", "09:30", "10:45", "11:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30"
        ]
    );
    rules.buffer_before = Minutes(10);
    rules.buffer_after = Minutes(5);
    assert_eq!(
        starts(&on_day(&host, &rules, day), zone),
        [
            "09:00", "09:15", "11:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30"
        ]
    );
}

#[test]
fn external_busy_time_blocks_without_buffers_and_back_to_back_is_allowed() {
    let zone = Europe::Berlin;
    let mut host = host_every_day(zone, &[range(9, 0, 12, 0)]);
    let at = |h: u32| zone.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap().timestamp();
    host.busy.push(Interval::new(at(10), at(11)));
    let slots = on_day(&host, &Rules::new(Minutes(60)).unwrap(), date(2026, 12, 1));
    assert_eq!(starts(&slots, zone), ["09:00", "11:00"]);
}

#[test]
fn minimum_notice_moves_the_first_slot_to_the_next_grid_point() {
    let zone = Europe::Berlin;
    let host = host_every_day(zone, &[range(9, 0, 12, 0)]);
    let mut rules = Rules::new(Minutes(30)).unwrap();
    rules.minimum_notice = Minutes(60);
    let now = zone.with_ymd_and_hms(2026, 12, 1, 9, 10, 0).unwrap().timestamp();
    let from = midnight(zone, date(2026, 12, 1));
    let slots = host_slots(
        &host,
        &rules,
        &Request {
            now,
            from,
            until: from + DAY,
        },
    );
    assert_eq!(starts(&slots, zone), ["10:30", "11:00", "11:30"]);
}

#[test]
fn the_booking_window_counts_calendar_days_in_the_hosts_zone() {
    // 2026-12-01 20:00 UTC is already 10:00 on Dec 2 in Kiritimati (+14).
    let zone = Pacific::Kiritimati;
    let host = host_every_day(zone, &[range(9, 0, 10, 0)]);
    let now = utc(2026, 12, 1, 20, 0);
    let mut rules = Rules::new(Minutes(60)).unwrap();
    let request = Request {
        now,
        from: now,
        until: now + 10 * DAY,
    };
    rules.window = BookingWindow::Days(0);
    assert!(
        host_slots(&host, &rules, &request).is_empty(),
        "today's 09:00 has passed"
    );
    rules.window = BookingWindow::Days(2);
    let days: Vec<String> = host_slots(&host, &rules, &request)
        .iter()
        .map(|s| {
            zone.timestamp_opt(s.start, 0)
                .unwrap()
                .format("%m-%d %H:%M")
                .to_string()
        })
        .collect();
    assert_eq!(days, ["12-03 09:00", "12-04 09:00"]);
    rules.window = BookingWindow::Unlimited;
    assert_eq!(host_slots(&host, &rules, &request).len(), 10);
}

#[test]
fn the_daily_limit_closes_a_day_once_reached() {
    let zone = America::New_York;
    let mut host = host_every_day(zone, &[range(9, 0, 17, 0)]);
    let at = |d: u32, h: u32| zone.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap().timestamp();
    let booking = |d, h, counts| Booking {
        start: at(d, h),
        end: at(d, h) + 1800,
        buffer_before: Minutes(0),
        buffer_after: Minutes(0),
        counts_toward_limit: counts,
    };
    host.bookings = vec![
        booking(1, 9, true),
        booking(1, 11, true),
        booking(2, 9, true),
        booking(2, 13, false),
    ];
    let mut rules = Rules::new(Minutes(60)).unwrap();
    rules.daily_limit = Some(2);
    assert!(on_day(&host, &rules, date(2026, 12, 1)).is_empty());
    assert_eq!(
        on_day(&host, &rules, date(2026, 12, 2)).len(),
        6,
        "one counted booking, one other"
    );
    assert_eq!(on_day(&host, &rules, date(2026, 12, 3)).len(), 8);
}

#[test]
fn spring_forward_shrinks_ranges_to_real_time_in_new_york() {
    let zone = America::New_York;
    let day = date(2026, 3, 8);
    let hourly = Rules::new(Minutes(60)).unwrap();
    let whole = host_every_day(zone, &[range(0, 0, 5, 0)]);
    assert_eq!(
        starts(&on_day(&whole, &hourly, day), zone),
        ["00:00", "01:00", "03:00", "04:00"]
    );
    let inside_gap = host_every_day(zone, &[range(2, 0, 3, 0)]);
    assert!(on_day(&inside_gap, &hourly, day).is_empty());
    // The range is 03:00–04:00 in real time, but its grid is counted from 02:30 on the wall
    // clock: 02:30 never happens and 03:30 would end after 04:00.
    let starts_in_gap = host_every_day(zone, &[range(2, 30, 4, 0)]);
    assert!(on_day(&starts_in_gap, &hourly, day).is_empty());
    let half_hourly = minutes(30, 30);
    assert_eq!(
        starts(&on_day(&starts_in_gap, &half_hourly, day), zone),
        ["03:00", "03:30"]
    );
    assert_eq!(resolve_local(zone, day, 150, Boundary::Start), utc(2026, 3, 8, 7, 0));
}

#[test]
fn start_times_keep_to_the_wall_clock_grid_across_spring_forward() {
    let zone = America::New_York;
    let host = host_every_day(zone, &[range(1, 0, 5, 0)]);
    let slots = on_day(&host, &minutes(30, 45), date(2027, 3, 14));
    // 02:30 does not exist that night; elapsed time would have given 01:00, 01:45, 03:30, 04:15.
    assert_eq!(starts(&slots, zone), ["01:00", "01:45", "03:15", "04:00"]);
    assert!(
        slots.iter().all(|s| s.end - s.start == 30 * 60),
        "meetings last real time"
    );
    // The same hours on an ordinary day.
    let plain = on_day(&host, &minutes(30, 45), date(2027, 3, 21));
    assert_eq!(starts(&plain, zone), ["01:00", "01:45", "02:30", "03:15", "04:00"]);
}

#[test]
fn start_times_keep_to_the_wall_clock_grid_across_fall_back() {
    let zone = America::New_York;
    let host = host_every_day(zone, &[range(0, 0, 4, 0)]);
    let slots = on_day(&host, &minutes(30, 45), date(2027, 11, 7));
    // Grid 00:00, 00:45, 01:30 (twice: the hour repeats), 02:15, 03:00; elapsed time would have
    // stepped 45 real minutes on from 00:00 through both 01:00 hours.
    assert_eq!(
        starts_with_offset(&slots, zone),
        [
            "00:00-04:00",
            "00:45-04:00",
            "01:30-04:00",
            "01:30-05:00",
            "02:15-05:00",
            "03:00-05:00"
        ]
    );
}

#[test]
fn a_range_ending_where_the_clocks_go_back_offers_no_time_past_its_end() {
    // Chatham, 2026-04-05: at 03:45 (+13:45) the clocks go back to 02:45 (+12:45). Hours until
    // 02:45 end at the second 02:45, so the first pass of 02:45–03:45 is working time, but 03:00
    // is not on a grid of times before 02:45.
    let zone = Pacific::Chatham;
    let host = host_every_day(zone, &[range(1, 0, 2, 45)]);
    assert_eq!(
        starts(&on_day(&host, &minutes(15, 15), date(2026, 4, 5)), zone),
        ["01:00", "01:15", "01:30", "01:45", "02:00", "02:15", "02:30"]
    );
}

#[test]
fn start_times_keep_to_the_wall_clock_grid_across_a_southern_spring_forward() {
    // Sydney, 2027-10-03: 02:00 jumps to 03:00 (+10 → +11). 02:20 does not exist; elapsed time
    // would have gone on 03:20, 04:00, 04:40.
    let zone = Australia::Sydney;
    let host = host_every_day(zone, &[range(0, 20, 6, 0)]);
    assert_eq!(
        starts(&on_day(&host, &minutes(60, 40), date(2027, 10, 3)), zone),
        ["00:20", "01:00", "01:40", "03:00", "03:40", "04:20", "05:00"]
    );
}

#[test]
fn fall_back_makes_the_repeated_hour_real_working_time_in_new_york() {
    let zone = America::New_York;
    let host = host_every_day(zone, &[range(0, 0, 3, 0)]);
    let slots = on_day(&host, &Rules::new(Minutes(60)).unwrap(), date(2026, 11, 1));
    assert_eq!(
        starts_with_offset(&slots, zone),
        ["00:00-04:00", "01:00-04:00", "01:00-05:00", "02:00-05:00"]
    );
    let day = date(2026, 11, 1);
    assert_eq!(resolve_local(zone, day, 90, Boundary::Start), utc(2026, 11, 1, 5, 30));
    assert_eq!(resolve_local(zone, day, 90, Boundary::End), utc(2026, 11, 1, 6, 30));
}

#[test]
fn berlin_switch_days_resolve_gap_and_fold() {
    let zone = Europe::Berlin;
    let hourly = Rules::new(Minutes(60)).unwrap();
    let host = host_every_day(zone, &[range(1, 0, 5, 0)]);
    assert_eq!(
        starts(&on_day(&host, &hourly, date(2026, 3, 29)), zone),
        ["01:00", "03:00", "04:00"]
    );
    assert_eq!(
        starts_with_offset(&on_day(&host, &hourly, date(2026, 10, 25)), zone),
        [
            "01:00+02:00",
            "02:00+02:00",
            "02:00+01:00",
            "03:00+01:00",
            "04:00+01:00"
        ]
    );
}

#[test]
fn lord_howe_half_hour_dst_is_handled() {
    let zone = Australia::Lord_Howe;
    let half_hourly = Rules::new(Minutes(30)).unwrap();
    let host = host_every_day(zone, &[range(1, 0, 4, 0)]);
    // 2026-10-04: 02:00 jumps to 02:30 (+10:30 → +11).
    assert_eq!(
        starts(&on_day(&host, &half_hourly, date(2026, 10, 4)), zone),
        ["01:00", "01:30", "02:30", "03:00", "03:30"]
    );
    // 2026-04-05: 02:00 falls back to 01:30 (+11 → +10:30); 01:30–02:00 happens twice.
    assert_eq!(
        starts_with_offset(&on_day(&host, &half_hourly, date(2026, 4, 5)), zone),
        [
            "01:00+11:00",
            "01:30+11:00",
            "01:30+10:30",
            "02:00+10:30",
            "02:30+10:30",
            "03:00+10:30",
            "03:30+10:30"
        ]
    );
}

#[test]
fn odd_offsets_place_slots_at_the_right_instants() {
    let nine_to_ten = [range(9, 0, 10, 0)];
    let hourly = Rules::new(Minutes(60)).unwrap();
    let cases: [(Tz, i64); 4] = [
        (Asia::Kathmandu, utc(2026, 12, 1, 3, 15)),
        (Pacific::Chatham, utc(2026, 11, 30, 19, 15)),
        (Pacific::Kiritimati, utc(2026, 11, 30, 19, 0)),
        (America::Sao_Paulo, utc(2026, 12, 1, 12, 0)),
    ];
    for (zone, expected) in cases {
        let slots = on_day(&host_every_day(zone, &nine_to_ten), &hourly, date(2026, 12, 1));
        assert_eq!(
            slots,
            [Slot {
                start: expected,
                end: expected + 3600
            }],
            "{zone}"
        );
    }
}

#[test]
fn sao_paulo_no_longer_observes_dst() {
    let zone = America::Sao_Paulo;
    let host = host_every_day(zone, &[range(0, 0, 1, 0)]);
    let hourly = Rules::new(Minutes(60)).unwrap();
    // The first Sunday of November used to spring forward at midnight until 2019.
    assert_eq!(
        on_day(&host, &hourly, date(2026, 11, 1)),
        [Slot {
            start: utc(2026, 11, 1, 3, 0),
            end: utc(2026, 11, 1, 4, 0)
        }]
    );
}

#[test]
fn a_viewers_day_boundary_can_cut_a_hosts_working_range() {
    let host = host_every_day(America::New_York, &[range(9, 0, 12, 0)]);
    let slots = on_day(&host, &Rules::new(Minutes(60)).unwrap(), date(2026, 12, 1));
    let days = group_by_local_date(&slots, Asia::Tokyo);
    let shown: Vec<(String, Vec<String>)> = days
        .iter()
        .map(|(day, list)| (day.to_string(), starts(list, Asia::Tokyo)))
        .collect();
    assert_eq!(
        shown,
        [
            ("2026-12-01".to_owned(), vec!["23:00".to_owned()]),
            ("2026-12-02".to_owned(), vec!["00:00".to_owned(), "01:00".to_owned()])
        ]
    );
}

#[test]
fn collective_needs_everyone_and_round_robin_anyone() {
    let zone = Europe::Berlin;
    let mut ada = host_every_day(zone, &[range(9, 0, 12, 0)]);
    let mut bob = host_every_day(zone, &[range(10, 0, 13, 0)]);
    bob.id = HostId(2);
    ada.busy.push(Interval::new(
        zone.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap().timestamp(),
        zone.with_ymd_and_hms(2026, 12, 1, 11, 0, 0).unwrap().timestamp(),
    ));
    let from = midnight(zone, date(2026, 12, 1));
    let request = Request {
        now: from - DAY,
        from,
        until: from + DAY,
    };
    let rules = Rules::new(Minutes(60)).unwrap();
    let hosts = [ada, bob];
    let both = team_view(&collective_slots(&hosts, &rules, &request), zone);
    assert_eq!(both, [("11:00".to_owned(), vec![1, 2])]);
    let any = team_view(&round_robin_slots(&hosts, &rules, &request), zone);
    assert_eq!(
        any,
        [
            ("09:00".to_owned(), vec![1]),
            ("10:00".to_owned(), vec![2]),
            ("11:00".to_owned(), vec![1, 2]),
            ("12:00".to_owned(), vec![2])
        ]
    );
}

#[test]
fn invalid_rules_are_refused_at_construction() {
    assert_eq!(LocalRange::hm(17, 0, 9, 0), Err(RangeError::Empty));
    assert_eq!(LocalRange::hm(9, 0, 24, 30), Err(RangeError::OutOfDay));
    assert_eq!(LocalRange::hm(9, 60, 10, 0), Err(RangeError::OutOfDay));
    assert!(LocalRange::hm(0, 0, 24, 0).is_ok());
    assert_eq!(Rules::new(Minutes(0)), Err(RangeError::BadLength));
    assert_eq!(
        Rules::new(Minutes(30)).unwrap().with_interval(Minutes(0)),
        Err(RangeError::BadLength)
    );
}
