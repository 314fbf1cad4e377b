//! How soon a meeting added in a host's calendar leaves the booking page (issue 15: "a change in
//! a checked calendar reaches slots within 5 s of the notification, p95"): the real server with
//! push notifications from each provider's simulator, 40 meetings added one after another, each
//! timed from the simulator's change to the first slots answer without that time. Prints p50,
//! p95 and the slowest (`cargo bench -p server --bench push_latency`).

#[path = "../tests/common/mod.rs"]
mod common;

use services::Clock;
use services::calendars::Provider;
use services::event_types::EventType;
use services::fixtures::{self, ProviderSim};
use std::time::{Duration, Instant};

const SAMPLES: usize = 40;
const DAY: i64 = 86_400;

async fn free_starts(services: &services::Services, demo: &EventType) -> Vec<i64> {
    let now = chrono::Utc::now().timestamp();
    let slots = services.slots(demo, (now + DAY, now + 15 * DAY), None).await.unwrap();
    slots.iter().map(|s| s.start).collect()
}

async fn offered(services: &services::Services, demo: &EventType, start: i64) -> bool {
    let slots = services.slots(demo, (start, start + 1800), None).await.unwrap();
    slots.iter().any(|s| s.start == start)
}

async fn measure(provider: Provider) -> Vec<Duration> {
    let sim = ProviderSim::start(provider).await;
    let mut vars = sim.vars();
    vars.push(("RENDEZVOUS_CALENDAR_PUSH", "on".into()));
    let server = common::start_configured(Clock::System, &vars).await;
    let (admin, demo) = fixtures::team_with_demo(&server.services).await;
    sim.connect(&server.services, &admin).await;
    while sim.channels().is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let starts = free_starts(&server.services, &demo).await;
    let calendar = sim.primary_calendar();
    let mut samples = Vec::with_capacity(SAMPLES);
    for start in starts.into_iter().step_by(3).take(SAMPLES) {
        let added = Instant::now();
        sim.add_meeting(&calendar, (start, start + 1800), "busy");
        while offered(&server.services, &demo, start).await {
            assert!(
                added.elapsed() < Duration::from_secs(30),
                "the change never reached the slots"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        samples.push(added.elapsed());
    }
    samples.sort();
    samples
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for provider in Provider::OAUTH {
        let samples = runtime.block_on(measure(provider));
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "{}: change in the calendar to slots updated, {} samples: p50 {:?}, p95 {:?}, max {:?}",
            provider.label(),
            samples.len(),
            at(0.5),
            at(0.95),
            samples[samples.len() - 1]
        );
    }
}
