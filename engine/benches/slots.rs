//! Slot computation cost for the reference workloads (`cargo bench -p engine`).

#[path = "support/workloads.rs"]
mod workloads;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use engine::*;
use std::hint::black_box;
use workloads::{host, month, office_hours};

fn rules() -> Rules {
    let mut rules = Rules::new(Minutes(30)).unwrap().with_interval(Minutes(15)).unwrap();
    rules.buffer_before = Minutes(10);
    rules.buffer_after = Minutes(10);
    rules
}

fn benches(c: &mut Criterion) {
    let (rules, request) = (rules(), month());
    let single = host(1, office_hours(), 300, 7);
    assert!(
        host_slots(&single, &rules, &request).len() > 300,
        "the workload must offer real slots"
    );
    c.bench_function("single host, 31 days, 300 busy", |b| {
        b.iter(|| host_slots(black_box(&single), &rules, &request))
    });

    let fifty: Vec<Host> = (0..50).map(|i| host(i, office_hours(), 500, 100 + i as u64)).collect();
    c.bench_function("round-robin, 50 hosts x 500 busy, 31 days", |b| {
        b.iter(|| round_robin_slots(black_box(&fifty), &rules, &request))
    });

    let ten: Vec<Host> = (0..10).map(|i| host(i, office_hours(), 500, 200 + i as u64)).collect();
    c.bench_function("collective, 10 hosts x 500 busy, 31 days", |b| {
        b.iter(|| collective_slots(black_box(&ten), &rules, &request))
    });

    let mut curve = c.benchmark_group("single host by busy intervals");
    for count in [250, 500, 1000, 2000] {
        let host = host(1, office_hours(), count, 42);
        curve.bench_with_input(BenchmarkId::from_parameter(count), &host, |b, host| {
            b.iter(|| host_slots(black_box(host), &rules, &request))
        });
    }
    curve.finish();

    for workload in workloads::server_shaped() {
        assert!(workload.run() > 0, "{}: the workload must offer slots", workload.name);
        c.bench_function(workload.name, |b| b.iter(|| black_box(&workload).run()));
    }
}

criterion_group!(slot_benches, benches);
criterion_main!(slot_benches);
