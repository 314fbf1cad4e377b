//! Property tests: for random schedules, overrides, busy sets and rules, every slot obeys every
//! rule and one host's slots equal a naive candidate-by-candidate reference, team modes are
//! exactly set operations on single-host results, and the viewer's zone changes only the grouping.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use engine::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;
const ZONES: &[Tz] = &[
    chrono_tz::America::New_York,
    chrono_tz::Europe::Berlin,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Pacific::Chatham,
    chrono_tz::Pacific::Kiritimati,
    chrono_tz::America::Sao_Paulo,
    chrono_tz::UTC,
];

/// Weeks around both 2026 DST changes of most zones, so gaps and folds come up often.
const ANCHORS: &[i64] = &[
    1_772_323_200,
    1_774_137_600,
    1_775_001_600,
    1_790_812_800,
    1_792_627_200,
];

fn zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(ZONES)
}

/// Zero to two non-overlapping ranges on a 15-minute grid.
fn day_ranges() -> impl Strategy<Value = Vec<LocalRange>> {
    prop::collection::btree_set(0u16..=96, 0..=4).prop_map(|points| {
        let points: Vec<u16> = points.into_iter().collect();
        points
            .chunks_exact(2)
            .filter_map(|p| LocalRange::new(p[0] * 15, p[1] * 15).ok())
            .collect()
    })
}

fn weekly() -> impl Strategy<Value = WeeklyHours> {
    prop::array::uniform7(day_ranges()).prop_map(WeeklyHours::new)
}

fn day_override() -> impl Strategy<Value = DayOverride> {
    prop_oneof![
        Just(DayOverride::Unavailable),
        day_ranges().prop_map(DayOverride::Hours)
    ]
}

fn interval_near(base: i64) -> impl Strategy<Value = (i64, i64)> {
    (0i64..16 * 96, 1i64..=8).prop_map(move |(q, len)| (base + q * 900, base + (q + len) * 900))
}

fn host(id: i64, base: i64) -> impl Strategy<Value = Host> {
    let bookings = prop::collection::vec((interval_near(base), 0u32..=30, 0u32..=30, any::<bool>()), 0..12);
    let busy = prop::collection::vec(interval_near(base), 0..12);
    let overrides = prop::collection::btree_map(0u64..16, day_override(), 0..4);
    (zone(), weekly(), overrides, bookings, busy).prop_map(move |(zone, weekly, overrides, bookings, busy)| {
        let first = zone.timestamp_opt(base, 0).unwrap().date_naive();
        let mut availability = Availability::new(zone, weekly);
        availability.overrides = overrides
            .into_iter()
            .map(|(d, o)| (first + chrono::Days::new(d), o))
            .collect();
        Host {
            id: HostId(id),
            availability,
            bookings: bookings
                .into_iter()
                .map(|((start, end), before, after, counts)| Booking {
                    start,
                    end,
                    buffer_before: Minutes(before),
                    buffer_after: Minutes(after),
                    counts_toward_limit: counts,
                })
                .collect(),
            busy: busy.into_iter().map(|(a, b)| Interval::new(a, b)).collect(),
        }
    })
}

fn rules() -> impl Strategy<Value = Rules> {
    let lengths = prop::sample::select(vec![15u32, 20, 30, 45, 60, 90]);
    let window = prop_oneof![Just(BookingWindow::Unlimited), (0u32..14).prop_map(BookingWindow::Days)];
    (
        lengths.clone(),
        prop::option::of(lengths),
        0u32..=30,
        0u32..=30,
        0u32..=24 * 60,
        window,
        prop::option::of(1u32..4),
    )
        .prop_map(|(duration, interval, before, after, notice, window, daily_limit)| {
            let mut rules = Rules::new(Minutes(duration)).unwrap();
            if let Some(interval) = interval {
                rules = rules.with_interval(Minutes(interval)).unwrap();
            }
            rules.buffer_before = Minutes(before);
            rules.buffer_after = Minutes(after);
            rules.minimum_notice = Minutes(notice);
            rules.window = window;
            rules.daily_limit = daily_limit;
            rules
        })
}

fn scenario(hosts: usize) -> impl Strategy<Value = (Vec<Host>, Rules, Request)> {
    prop::sample::select(ANCHORS).prop_flat_map(move |base| {
        let hosts: Vec<_> = (0..hosts).map(|i| host(i as i64 + 1, base)).collect();
        let request = (0i64..3 * DAY, 0i64..2 * DAY, 1i64..14).prop_map(move |(now, from, days)| Request {
            now: base + now - DAY,
            from: base + from,
            until: base + from + days * DAY,
        });
        (hosts, rules(), request)
    })
}

fn local_date(zone: Tz, instant: i64) -> NaiveDate {
    zone.timestamp_opt(instant, 0).unwrap().date_naive()
}

/// Working time of the host around a slot, resolved independently of the engine's sweep.
fn working_time(host: &Host, around: i64) -> Vec<(NaiveDate, LocalRange, Interval)> {
    let zone = host.availability.zone;
    let day = local_date(zone, around);
    let mut ranges = Vec::new();
    for date in [
        day.pred_opt().unwrap(),
        day,
        day.succ_opt().unwrap(),
        day.succ_opt().unwrap().succ_opt().unwrap(),
    ] {
        for r in host.availability.ranges_on(date) {
            let start = resolve_local(zone, date, r.start_minute(), Boundary::Start);
            let end = resolve_local(zone, date, r.end_minute(), Boundary::End);
            ranges.push((date, *r, Interval::new(start, end)));
        }
    }
    ranges
}

fn covered(ranges: &[(NaiveDate, LocalRange, Interval)], span: Interval) -> bool {
    let mut spans: Vec<Interval> = ranges.iter().map(|(_, _, i)| *i).filter(|i| i.start < i.end).collect();
    spans.sort();
    let mut reach = span.start;
    for i in spans {
        if i.start <= reach && i.end > reach {
            reach = i.end;
        }
    }
    reach >= span.end
}

/// Minutes from local midnight of `date` to the wall-clock time of `instant` in `zone`.
fn wall_minute(zone: Tz, date: NaiveDate, instant: i64) -> i64 {
    let local = zone.timestamp_opt(instant, 0).unwrap().naive_local();
    (local - date.and_hms_opt(0, 0, 0).unwrap()).num_minutes()
}

/// The single-host rules applied one candidate at a time, straight from their statement: every
/// wall-clock grid time of every working range near the request, each instant it happens at
/// (none in a gap, two in a fold), kept when it passes every rule.
fn naive_host_slots(host: &Host, rules: &Rules, request: &Request) -> Vec<Slot> {
    let zone = host.availability.zone;
    let today = local_date(zone, request.now);
    let (length, before, after) = (
        rules.duration.secs(),
        rules.buffer_before.secs(),
        rules.buffer_after.secs(),
    );
    let mut per_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for b in host.bookings.iter().filter(|b| b.counts_toward_limit) {
        *per_day.entry(local_date(zone, b.start)).or_default() += 1;
    }
    let mut found = BTreeSet::new();
    let mut date = local_date(zone, request.from).pred_opt().unwrap();
    while date <= local_date(zone, request.until).succ_opt().unwrap() {
        for r in host.availability.ranges_on(date) {
            for minute in (r.start_minute()..r.end_minute()).step_by(rules.interval.0 as usize) {
                let local = date.and_hms_opt(0, 0, 0).unwrap() + chrono::TimeDelta::minutes(i64::from(minute));
                let instants: Vec<i64> = match zone.from_local_datetime(&local) {
                    chrono::LocalResult::Single(t) => vec![t.timestamp()],
                    chrono::LocalResult::Ambiguous(early, late) => vec![early.timestamp(), late.timestamp()],
                    chrono::LocalResult::None => vec![],
                };
                for start in instants {
                    let guarded = Interval::new(start - before, start + length + after);
                    let free = host.bookings.iter().all(|b| {
                        !guarded.overlaps(Interval::new(
                            b.start - b.buffer_before.secs(),
                            b.end + b.buffer_after.secs(),
                        ))
                    }) && host.busy.iter().all(|busy| !guarded.overlaps(*busy));
                    let in_window = match rules.window {
                        BookingWindow::Unlimited => true,
                        BookingWindow::Days(n) => local_date(zone, start) <= today + chrono::Days::new(u64::from(n)),
                    };
                    let under_limit = rules
                        .daily_limit
                        .is_none_or(|limit| per_day.get(&local_date(zone, start)).copied().unwrap_or(0) < limit);
                    if request.from <= start
                        && start < request.until
                        && start >= request.now + rules.minimum_notice.secs()
                        && in_window
                        && under_limit
                        && free
                        && covered(&working_time(host, start), Interval::new(start, start + length))
                    {
                        found.insert(Slot {
                            start,
                            end: start + length,
                        });
                    }
                }
            }
        }
        date = date.succ_opt().unwrap();
    }
    found.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_slot_obeys_every_rule((hosts, rules, request) in scenario(1)) {
        let host = &hosts[0];
        let zone = host.availability.zone;
        let slots = host_slots(host, &rules, &request);
        let today = local_date(zone, request.now);
        let mut per_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        for b in host.bookings.iter().filter(|b| b.counts_toward_limit) {
            *per_day.entry(local_date(zone, b.start)).or_default() += 1;
        }
        prop_assert!(slots.windows(2).all(|w| w[0].start < w[1].start || (w[0].start == w[1].start && w[0].end < w[1].end)));
        for slot in &slots {
            prop_assert_eq!(slot.end - slot.start, rules.duration.secs());
            prop_assert!(slot.start >= request.from && slot.start < request.until);
            prop_assert!(slot.start >= request.now + rules.minimum_notice.secs(), "notice");
            if let BookingWindow::Days(n) = rules.window {
                prop_assert!(local_date(zone, slot.start) <= today + chrono::Days::new(u64::from(n)), "window");
            }
            let guarded = Interval::new(slot.start - rules.buffer_before.secs(), slot.end + rules.buffer_after.secs());
            for b in &host.bookings {
                let blocked = Interval::new(b.start - b.buffer_before.secs(), b.end + b.buffer_after.secs());
                prop_assert!(!guarded.overlaps(blocked), "slot {:?} hits booking {:?}", slot, b);
            }
            for busy in &host.busy {
                prop_assert!(!guarded.overlaps(*busy), "slot {:?} hits busy {:?}", slot, busy);
            }
            let ranges = working_time(host, slot.start);
            prop_assert!(covered(&ranges, Interval::new(slot.start, slot.end)), "outside working hours: {:?}", slot);
            let on_grid = ranges.iter().any(|(date, local, span)| {
                let minute = wall_minute(zone, *date, slot.start) - i64::from(local.start_minute());
                span.start <= slot.start && slot.start < span.end && minute % i64::from(rules.interval.0) == 0
            });
            prop_assert!(on_grid, "start not on any range's grid: {:?}", slot);
            if let Some(limit) = rules.daily_limit {
                prop_assert!(per_day.get(&local_date(zone, slot.start)).copied().unwrap_or(0) < limit, "daily limit");
            }
        }
    }

    #[test]
    fn the_slots_of_one_host_match_a_naive_reference((hosts, rules, request) in scenario(1)) {
        prop_assert_eq!(host_slots(&hosts[0], &rules, &request), naive_host_slots(&hosts[0], &rules, &request));
    }

    #[test]
    fn team_modes_are_exactly_intersection_and_union((hosts, rules, request) in scenario(3)) {
        let singles: Vec<BTreeSet<Slot>> = hosts.iter().map(|h| host_slots(h, &rules, &request).into_iter().collect()).collect();
        let union: BTreeSet<Slot> = singles.iter().flatten().copied().collect();
        let intersection: BTreeSet<Slot> = union.iter().copied().filter(|s| singles.iter().all(|set| set.contains(s))).collect();
        let round_robin = round_robin_slots(&hosts, &rules, &request);
        let collective = collective_slots(&hosts, &rules, &request);
        let as_set = |team: &[TeamSlot]| team.iter().map(|t| Slot { start: t.start, end: t.end }).collect::<BTreeSet<_>>();
        prop_assert_eq!(as_set(&round_robin), union);
        prop_assert_eq!(as_set(&collective), intersection);
        for slot in &round_robin {
            let free: Vec<HostId> = hosts.iter().zip(&singles)
                .filter(|(_, set)| set.contains(&Slot { start: slot.start, end: slot.end }))
                .map(|(h, _)| h.id).collect();
            prop_assert_eq!(&slot.hosts, &free);
        }
    }

    #[test]
    fn the_viewer_zone_changes_only_the_grouping((hosts, rules, request) in scenario(1), viewer in zone()) {
        let slots = host_slots(&hosts[0], &rules, &request);
        let days = group_by_local_date(&slots, viewer);
        let flattened: Vec<Slot> = days.iter().flat_map(|(_, list)| list.iter().copied()).collect();
        prop_assert_eq!(&flattened, &slots);
        prop_assert!(days.windows(2).all(|w| w[0].0 < w[1].0));
        for (day, list) in &days {
            prop_assert!(list.iter().all(|s| local_date(viewer, s.start) == *day));
        }
    }
}

proptest! {
    /// The team union and intersection against a naive reference (every host's slots in one
    /// sorted set, each slot's free hosts found by looking), on one to eight hosts given in any id
    /// order, with their own availabilities or all sharing one (and so one grid).
    #[test]
    fn the_merged_team_union_matches_a_naive_reference(
        (hosts, rules, request) in (1usize..=8).prop_flat_map(scenario),
        reversed in any::<bool>(),
        shared in any::<bool>(),
    ) {
        let mut hosts = hosts;
        if reversed {
            hosts.reverse();
        }
        if shared {
            // One availability for everyone, as in most teams: they share one grid.
            let availability = hosts[0].availability.clone();
            hosts.iter_mut().for_each(|h| h.availability = availability.clone());
        }
        let mut by_id: Vec<&Host> = hosts.iter().collect();
        by_id.sort_by_key(|h| h.id);
        let singles: Vec<(HostId, BTreeSet<Slot>)> =
            by_id.iter().map(|h| (h.id, host_slots(h, &rules, &request).into_iter().collect())).collect();
        let union: BTreeSet<Slot> = singles.iter().flat_map(|(_, set)| set.iter().copied()).collect();
        let naive: Vec<TeamSlot> = union
            .iter()
            .map(|slot| TeamSlot {
                start: slot.start,
                end: slot.end,
                hosts: singles.iter().filter(|(_, set)| set.contains(slot)).map(|(id, _)| *id).collect(),
            })
            .collect();
        prop_assert_eq!(&round_robin_slots(&hosts, &rules, &request), &naive);
        let times = |team: &[TeamSlot]| team.iter().map(|t| Slot { start: t.start, end: t.end }).collect::<Vec<_>>();
        prop_assert_eq!(round_robin_times(&hosts, &rules, &request), times(&naive));
        let everyone: Vec<TeamSlot> = naive.into_iter().filter(|t| t.hosts.len() == hosts.len()).collect();
        prop_assert_eq!(collective_times(&hosts, &rules, &request), times(&everyone));
        prop_assert_eq!(collective_slots(&hosts, &rules, &request), everyone);
    }
}
