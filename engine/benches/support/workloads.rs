//! Workloads shared by the criterion benches (`cargo bench -p engine`) and the instruction counts
//! that `scripts/bench.sh engine` takes with callgrind (`examples/instructions.rs`).

use chrono::TimeZone;
use engine::*;

pub const DAY: i64 = 86_400;

/// 2026-12-01T00:00:00 in Berlin.
pub fn month_start() -> i64 {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
        .unwrap()
        .timestamp()
}

/// A small deterministic generator, so every run measures the same busy sets.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as i64
    }
}

/// A host in Berlin with `weekly` hours and `busy_count` random blocks over the month, half
/// bookings (5-minute buffers), half calendar busy time.
pub fn host(id: i64, weekly: WeeklyHours, busy_count: usize, seed: u64) -> Host {
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
    bookings.sort_by_key(|b| b.start);
    busy.sort();
    Host {
        id: HostId(id),
        availability: Availability::new(chrono_tz::Europe::Berlin, weekly),
        bookings,
        busy,
    }
}

/// Monday to Friday, 09:00–17:00.
pub fn office_hours() -> WeeklyHours {
    WeeklyHours::weekdays(&[LocalRange::hm(9, 0, 17, 0).unwrap()])
}

/// Every day, 08:00–20:00: the hours `scripts/bench.sh` seeds.
pub fn long_days() -> WeeklyHours {
    WeeklyHours::new(std::array::from_fn(|_| vec![LocalRange::hm(8, 0, 20, 0).unwrap()]))
}

/// The month of December 2026, judged the day before.
pub fn month() -> Request {
    let from = month_start();
    Request {
        now: from - DAY,
        from,
        until: from + 31 * DAY,
    }
}

#[derive(Clone, Copy)]
pub enum Mode {
    Single,
    RoundRobin,
    Collective,
}

pub struct Workload {
    pub name: &'static str,
    pub mode: Mode,
    pub hosts: Vec<Host>,
    pub rules: Rules,
    pub request: Request,
}

impl Workload {
    /// What a slot listing computes (team modes without per-slot host lists); the slot count.
    pub fn run(&self) -> usize {
        match self.mode {
            Mode::Single => host_slots(&self.hosts[0], &self.rules, &self.request).len(),
            Mode::RoundRobin => round_robin_times(&self.hosts, &self.rules, &self.request).len(),
            Mode::Collective => collective_times(&self.hosts, &self.rules, &self.request).len(),
        }
    }
}

/// The server-shaped workloads: a month of 30-minute slots, 08:00–20:00 every day.
pub fn server_shaped() -> Vec<Workload> {
    let rules = Rules::new(Minutes(30)).unwrap();
    let team = |busy| {
        (0..20)
            .map(|i| host(i, long_days(), busy, 300 + i as u64))
            .collect::<Vec<_>>()
    };
    let workload = |name, mode, hosts| Workload {
        name,
        mode,
        hosts,
        rules,
        request: month(),
    };
    vec![
        workload("one host, 0 busy", Mode::Single, vec![host(1, long_days(), 0, 1)]),
        workload("one host, 300 busy", Mode::Single, vec![host(1, long_days(), 300, 1)]),
        workload("round robin, 20 hosts, 0 busy", Mode::RoundRobin, team(0)),
        workload("round robin, 20 hosts, 30 busy each", Mode::RoundRobin, team(30)),
        workload("round robin, 20 hosts, 300 busy each", Mode::RoundRobin, team(300)),
        workload("collective, 20 hosts, 0 busy", Mode::Collective, team(0)),
        workload("collective, 20 hosts, 30 busy each", Mode::Collective, team(30)),
    ]
}
