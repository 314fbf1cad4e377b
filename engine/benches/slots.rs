//! Slot computation cost for the reference workloads (`cargo bench -p engine`).

use chrono::TimeZone;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use engine::*;
use std::hint::black_box;

/// 2026-12-01T00:00:00 in Berlin.
fn month_start() -> i64 {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
        .unwrap()
        .timestamp()
}

const DAY: i64 = 86_400;

/// A small deterministic generator, so every run measures the same busy sets.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as i64
    }
}

fn host(id: i64, busy_count: usize, seed: u64) -> Host {
    let weekly = WeeklyHours::weekdays(&[LocalRange::hm(9, 0, 17, 0).unwrap()]);
    let mut rng = Lcg(seed);
    let start = month_start();
    let mut bookings = Vec::new();
    let mut busy = Vec::new();
    for i in 0..busy_count {
        let at = start + rng.next(31 * DAY / 900) * 900;
        let length = (1 + rng.next(4)) * 900;
        if i % 2 == 0 {
            bookings.push(Booking {
                start: at,
                end: at + length,
                buffer_before: Minutes(5),
                buffer_after: Minutes(5),
                counts_toward_limit: true,
            });
        } else {
            busy.push(Interval::new(at, at + length));
        }
    }
    Host {
        id: HostId(id),
        availability: Availability::new(chrono_tz::Europe::Berlin, weekly),
        bookings,
        busy,
    }
}

fn rules() -> Rules {
    let mut rules = Rules::new(Minutes(30)).unwrap().with_interval(Minutes(15)).unwrap();
    rules.buffer_before = Minutes(10);
    rules.buffer_after = Minutes(10);
    rules
}

fn request() -> Request {
    let from = month_start();
    Request {
        now: from - DAY,
        from,
        until: from + 31 * DAY,
    }
}

fn benches(c: &mut Criterion) {
    let (rules, request) = (rules(), request());
    let single = host(1, 300, 7);
    assert!(
        host_slots(&single, &rules, &request).len() > 300,
        "the workload must offer real slots"
    );
    c.bench_function("single host, 31 days, 300 busy", |b| {
        b.iter(|| host_slots(black_box(&single), &rules, &request))
    });

    let fifty: Vec<Host> = (0..50).map(|i| host(i, 500, 100 + i as u64)).collect();
    c.bench_function("round-robin, 50 hosts x 500 busy, 31 days", |b| {
        b.iter(|| round_robin_slots(black_box(&fifty), &rules, &request))
    });

    let ten: Vec<Host> = (0..10).map(|i| host(i, 500, 200 + i as u64)).collect();
    c.bench_function("collective, 10 hosts x 500 busy, 31 days", |b| {
        b.iter(|| collective_slots(black_box(&ten), &rules, &request))
    });

    let mut curve = c.benchmark_group("single host by busy intervals");
    for count in [250, 500, 1000, 2000] {
        let host = host(1, count, 42);
        curve.bench_with_input(BenchmarkId::from_parameter(count), &host, |b, host| {
            b.iter(|| host_slots(black_box(host), &rules, &request))
        });
    }
    curve.finish();
}

criterion_group!(slot_benches, benches);
criterion_main!(slot_benches);
