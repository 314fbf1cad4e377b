//! Helpers for tests that drive real processes: the server binary, the SMTP sink, polling.
#![allow(dead_code)]

pub mod mail_sink;
pub mod server_process;

use std::time::{Duration, Instant};

/// Polls `check` every 100 ms until it yields a value, failing after `limit`.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
