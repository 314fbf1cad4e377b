//! The `rendezvous` binary as a child process, for tests about several processes or crashes.

use chrono::{DateTime, Datelike, Duration, TimeZone, Weekday};
use chrono_tz::Tz;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Kills the server process when dropped (as a crash would: no graceful shutdown), even when
/// the test fails.
pub struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server on port 0 over `database_url` with `env` on top; returns it and its base URL.
pub fn spawn_server(database_url: &str, data_dir: &std::path::Path, env: &[(&str, String)]) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rendezvous"))
        .env("RENDEZVOUS_DATABASE_URL", database_url)
        .env("RENDEZVOUS_DATA_DIR", data_dir)
        .env("RENDEZVOUS_BIND", "127.0.0.1:0")
        .env("RENDEZVOUS_LOG", "warn")
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the rendezvous binary");
    let stdout = child.stdout.take().unwrap();
    let process = Process(child);
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
    (process, format!("http://{address}"))
}

/// The next Monday at least two days ahead, 10:00 in Berlin.
pub fn next_monday_ten() -> DateTime<Tz> {
    let zone = chrono_tz::Europe::Berlin;
    let mut day = chrono::Utc::now().with_timezone(&zone).date_naive() + Duration::days(2);
    while day.weekday() != Weekday::Mon {
        day += Duration::days(1);
    }
    zone.from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap()).unwrap()
}
