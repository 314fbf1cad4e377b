//! Two `rendezvous` processes sharing one PostgreSQL database: the double-booking guarantee must
//! hold across processes, not just inside one connection pool.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use services::event_types::Mode;
use services::fixtures;
use services::{Clock, Config, Db, Services};
use support::server_process::{next_monday_ten, spawn_server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_book_a_slot_exactly_once() {
    let Ok(admin_url) = std::env::var("RENDEZVOUS_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("RENDEZVOUS_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL is required but not configured"
        );
        eprintln!("skipped: RENDEZVOUS_TEST_POSTGRES_URL is not set");
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
