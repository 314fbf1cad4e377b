//! What connecting a calendar costs the booking page (issues 8 and 9: "slots for a connected
//! member with a warm cache cost no more than 10% over an unconnected one"): for each provider,
//! the same member, event type, bookings and month of slots, measured before and after connecting
//! an account with 120 meetings in it. Runs against the in-process simulators and a SQLite file
//! (`cargo bench -p services`).

#[allow(dead_code)] // the benchmark uses only the SQLite half of the tests' set-up
#[path = "../tests/common/mod.rs"]
mod common;

use common::NOW;
use criterion::{Criterion, criterion_group, criterion_main};
use services::Services;
use services::calendars::Provider;
use services::event_types::EventType;
use services::fixtures::{self, ProviderSim, attendee};
use std::hint::black_box;

const DAY: i64 = 86_400;
/// The month of slots the booking page asks for, starting from the fixed clock.
const WINDOW: (i64, i64) = (NOW, NOW + 31 * DAY);

/// Every fourth working-hour half hour of the month booked, as a busy member's would be.
async fn book_some(s: &Services, demo: &EventType) {
    let starts: Vec<i64> = s
        .slots(demo, WINDOW, None)
        .await
        .unwrap()
        .iter()
        .map(|slot| slot.start)
        .collect();
    for (n, start) in starts.iter().step_by(4).take(60).enumerate() {
        s.book(demo, *start, &attendee(n), None).await.unwrap();
    }
}

/// 120 meetings of 45 minutes spread over the month, in the primary calendar.
fn fill_calendar(sim: &ProviderSim) {
    let calendar = sim.primary_calendar();
    for n in 0..120 {
        let start = NOW + (n * 31 * DAY) / 120 + 3_600;
        sim.add_meeting(&calendar, (start, start + 2_700), "busy");
    }
}

fn slots_with_and_without_a_calendar(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for provider in Provider::OAUTH {
        let sim = runtime.block_on(ProviderSim::start(provider));
        let s = runtime.block_on(common::sqlite_with(&sim.vars()));
        let (admin, demo) = runtime.block_on(async {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            book_some(&s, &demo).await;
            (admin, demo)
        });
        let month = || async { black_box(s.slots(&demo, WINDOW, None).await.unwrap()) };

        let mut group = c.benchmark_group(format!("slots for a month, {}", provider.label()));
        group.bench_function("unconnected member", |b| b.iter(|| runtime.block_on(month())));
        let free_before = runtime.block_on(month()).len();
        fill_calendar(&sim);
        runtime.block_on(sim.connect(&s, &admin));
        let free_after = runtime.block_on(month()).len();
        assert!(
            free_after < free_before,
            "the calendar's meetings take slots away: {free_after} vs {free_before}"
        );
        group.bench_function("connected member, warm busy cache", |b| {
            b.iter(|| runtime.block_on(month()))
        });
        group.finish();
    }
}

criterion_group!(benches, slots_with_and_without_a_calendar);
criterion_main!(benches);
