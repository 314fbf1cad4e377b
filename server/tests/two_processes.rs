//! Two `rendezvous` processes sharing one PostgreSQL database: the double-booking guarantee must
//! hold across processes, not just inside one connection pool, and a change in a host's calendar
//! is applied once whichever process hears of it.

mod common;
mod support;

use reqwest::StatusCode;
use serde_json::json;
use services::calendars::Provider;
use services::event_types::Mode;
use services::fixtures::{self, ProviderSim};
use services::{Clock, Config, Db, Services};
use std::time::{Duration, Instant};
use support::server_process::{next_monday_ten, spawn_server};

/// Waits (up to 20 s) until `done` holds.
async fn eventually<F, Fut>(what: &str, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_book_a_slot_exactly_once() {
    let Some(admin_url) = common::postgres_admin_url() else {
        return;
    };
    let url = fixtures::postgres_database(&admin_url).await;

    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_string_lossy().into_owned();
    let config = Config::from_lookup(|var| (var == "RENDEZVOUS_DATA_DIR").then(|| data_dir.clone())).unwrap();
    let services = Services::new(Db::connect(&url).await.unwrap(), config, Clock::System);
    let ada = services.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let demo = fixtures::new_event_type("demo", 30, Mode::Single, vec![ada.id]);
    services.create_event_type(&ada, demo).await.unwrap();

    let (_first, first_base) = spawn_server(&url, dir.path(), &[]);
    let (_second, second_base) = spawn_server(&url, dir.path(), &[]);
    let start = next_monday_ten().to_rfc3339();
    let client = reqwest::Client::new();
    let requests: Vec<_> = (0..50)
        .map(|n| {
            let base = if n % 2 == 0 { &first_base } else { &second_base };
            let request = client.post(format!("{base}/api/v1/bookings")).json(&json!({
                "event_type": "acme/demo",
                "start": start,
                "attendee": {"name": "Pat", "email": format!("p{n}@example.org"), "timezone": "UTC"}
            }));
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for request in requests {
        statuses.push(request.await.unwrap());
    }
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let conflicts = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, conflicts), (1, 49), "{statuses:?}");
}

/// The booking's start and sequence.
async fn booking(services: &Services, uid: &str) -> (i64, i64) {
    sqlx::query_as("SELECT start_at, sequence FROM bookings WHERE uid = $1")
        .bind(uid)
        .fetch_one(services.db().pool())
        .await
        .unwrap()
}

async fn scalar(services: &Services, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(services.db().pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_take_calendar_notifications_in_turn_and_apply_each_change_once() {
    let Some(admin_url) = common::postgres_admin_url() else {
        return;
    };
    let url = fixtures::postgres_database(&admin_url).await;
    let sim = ProviderSim::start(Provider::Google).await;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_string_lossy().into_owned();
    let vars = sim.vars();
    let config = Config::from_lookup(|var| match var {
        "RENDEZVOUS_DATA_DIR" => Some(data_dir.clone()),
        _ => vars.iter().find(|(k, _)| *k == var).map(|(_, v)| v.clone()),
    })
    .unwrap();
    let services = Services::new(Db::connect(&url).await.unwrap(), config, Clock::System);
    let (admin, _) = fixtures::team_with_demo(&services).await;
    sim.connect(&services, &admin).await;

    let mut env = sim.vars();
    env.push(("RENDEZVOUS_CALENDAR_PUSH", "on".into()));
    let (_first, first) = spawn_server(&url, dir.path(), &env);
    let (_second, second) = spawn_server(&url, dir.path(), &env);
    eventually("a channel exists", || async { sim.channels().len() == 1 }).await;
    let (channel, secret, _) = sim.channels().remove(0);
    // From here on the test delivers the notifications, to each process in turn, as a load
    // balancer in front of them would.
    sim.stop_deliveries();
    let client = reqwest::Client::new();
    let notify = |base: &str| {
        client
            .post(format!("{base}/webhooks/google"))
            .header("X-Goog-Channel-ID", &channel)
            .header("X-Goog-Channel-Token", &secret)
            .header("X-Goog-Resource-State", "exists")
            .send()
    };
    let start = next_monday_ten().timestamp();
    let booked = client
        .post(format!("{first}/api/v1/bookings"))
        .json(&json!({
            "event_type": "acme/demo",
            "start": next_monday_ten().to_rfc3339(),
            "attendee": {"name": "Pat", "email": "pat@example.org", "timezone": "UTC"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), StatusCode::CREATED);
    let uid = booked.json::<serde_json::Value>().await.unwrap()["uid"]
        .as_str()
        .unwrap()
        .to_owned();
    eventually("the booking is in the calendar", || async {
        !sim.booking_events().is_empty()
    })
    .await;
    let event = sim.booking_events().remove(0).id;
    let calendar = sim.primary_calendar();
    let written = "SELECT COUNT(*) FROM jobs WHERE kind = 'calendar_event' AND state IN ('queued', 'running')";

    let (_, mut sequence) = booking(&services, &uid).await;
    for (round, base) in [&first, &second, &first, &second].into_iter().enumerate() {
        eventually("our own writes are done", || async {
            scalar(&services, written).await == 0
        })
        .await;
        let to = start + 3600 * (i64::try_from(round).unwrap() + 1);
        sim.move_event(&calendar, &event, (to, to + 1800));
        let listings = sim.listings();
        assert!(notify(base).await.unwrap().status().is_success());
        eventually("the booking moved", || async { booking(&services, &uid).await.0 == to }).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(sim.listings(), listings + 1, "round {round}: one sync");
        sequence += 1;
        assert_eq!(booking(&services, &uid).await.1, sequence, "round {round}: moved once");
    }

    // The same notification delivered to both at once still moves the booking once.
    eventually("our own writes are done", || async {
        scalar(&services, written).await == 0
    })
    .await;
    let to = start + 6 * 3600;
    sim.move_event(&calendar, &event, (to, to + 1800));
    let (a, b) = tokio::join!(notify(&first), notify(&second));
    assert!(a.unwrap().status().is_success() && b.unwrap().status().is_success());
    eventually("the booking moved", || async { booking(&services, &uid).await.0 == to }).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(booking(&services, &uid).await.1, sequence + 1);
    let told = format!("SELECT COUNT(*) FROM jobs WHERE dedupe_key LIKE 'mail:{uid}:rescheduled:%:attendee'");
    assert_eq!(
        scalar(&services, &told).await,
        5,
        "the attendee hears of each move once"
    );
}
