//! What one incremental sync costs (issue 15: "cost of one incremental sync with 1 change
//! against a mirror of 5,000 events"): for each provider, a calendar of 5,000 meetings is listed
//! once, then every iteration adds one meeting "in the calendar app" and runs the sync that a
//! notification or poll would: the changes since the last position, the mirror updated, booked
//! events judged, and busy time read again. In-process simulators and a SQLite file
//! (`cargo bench -p services --bench incremental_sync`).

#[allow(dead_code)] // the benchmark uses only the SQLite half of the tests' set-up
#[path = "../tests/common/mod.rs"]
mod common;

use common::NOW;
use criterion::{Criterion, criterion_group, criterion_main};
use services::calendars::Provider;
use services::fixtures::{self, ProviderSim};
use std::time::Duration;

const MINUTE: i64 = 60;
const MIRRORED: i64 = 5_000;

fn one_change_against_five_thousand_events(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for provider in Provider::OAUTH {
        let sim = runtime.block_on(ProviderSim::start(provider));
        sim.set_clock(NOW);
        let s = runtime.block_on(common::sqlite_with(&sim.vars()));
        let calendar = sim.primary_calendar();
        // 5,000 half-hour meetings over the next 300 days, the followed window.
        for n in 0..MIRRORED {
            let start = NOW + 86_400 + n * (300 * 86_400 / MIRRORED);
            sim.add_meeting(&calendar, (start, start + 30 * MINUTE), "busy");
        }
        runtime.block_on(async {
            let (admin, _) = fixtures::team_with_demo(&s).await;
            sim.connect(&s, &admin).await;
            assert_eq!(s.run_due_syncs().await.unwrap(), 1, "the first, full listing");
        });
        let mut added = 0;
        let mut group = c.benchmark_group(format!("incremental sync, {}", provider.label()));
        group.sample_size(20).measurement_time(Duration::from_secs(10));
        group.bench_function("one change, 5,000 events mirrored", |b| {
            b.iter(|| {
                added += 1;
                let start = NOW + 2 * 86_400 + added * 7 * MINUTE;
                sim.add_meeting(&calendar, (start, start + 5 * MINUTE), "busy");
                s.clock().advance(MINUTE + 1);
                assert_eq!(runtime.block_on(s.run_due_syncs()).unwrap(), 1);
            })
        });
        group.finish();
    }
}

criterion_group!(benches, one_change_against_five_thousand_events);
criterion_main!(benches);
