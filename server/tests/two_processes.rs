//! Two `rendezvous` processes sharing one PostgreSQL database: the double-booking guarantee must
//! hold across processes, not just inside one connection pool.

use chrono::{Datelike, Duration, TimeZone, Weekday};
use reqwest::StatusCode;
use serde_json::json;
use services::event_types::Mode;
use services::fixtures;
use services::{Clock, Config, Db, Services};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Kills the server process when the test ends, even on failure.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_server(database_url: &str, data_dir: &std::path::Path) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rendezvous"))
        .env("RENDEZVOUS_DATABASE_URL", database_url)
        .env("RENDEZVOUS_DATA_DIR", data_dir)
        .env("RENDEZVOUS_BIND", "127.0.0.1:0")
        .env("RENDEZVOUS_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the rendezvous binary");
    let stdout = child.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("listening on"))
        .unwrap();
    let address = line
        .rsplit("listening on ")
        .next()
        .unwrap()
        .trim_end_matches(')')
        .to_owned();
    (Process(child), format!("http://{address}"))
}

/// The next Monday at least two days ahead, 10:00 in Berlin, as RFC 3339.
fn next_monday_ten() -> String {
    let zone = chrono_tz::Europe::Berlin;
    let mut day = chrono::Utc::now().with_timezone(&zone).date_naive() + Duration::days(2);
    while day.weekday() != Weekday::Mon {
        day += Duration::days(1);
    }
    zone.from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
        .unwrap()
        .to_rfc3339()
}

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

    let (_first, first_base) = spawn_server(&url, dir.path());
    let (_second, second_base) = spawn_server(&url, dir.path());
    let start = next_monday_ten();
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
