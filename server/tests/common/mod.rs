//! Starts the real server on port 0 with a fresh SQLite database in a temp dir.
#![allow(dead_code)]

use services::{Clock, Config, Services};

pub struct Running {
    pub base: String,
    pub client: reqwest::Client,
    pub services: Services,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub serving: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

pub async fn start() -> Running {
    start_with(Clock::System).await
}

pub async fn start_with(clock: Clock) -> Running {
    start_configured(clock, &[]).await
}

/// As [`start_with`], with configuration variables (`RENDEZVOUS_…`) set.
pub async fn start_configured(clock: Clock, vars: &[(&str, String)]) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_string_lossy().into_owned();
    let config = Config::from_lookup(|name| match name {
        "RENDEZVOUS_DATA_DIR" => Some(data_dir.clone()),
        "RENDEZVOUS_BIND" => Some("127.0.0.1:0".into()),
        _ => vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()),
    })
    .unwrap();
    let (listener, router, services) = server::prepare(config, clock).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server::serve(listener, router, services.clone(), async {
        let _ = stopped.await;
    }));
    // A response that never ends fails its test within a minute instead of stalling the suite.
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Running {
        base,
        client,
        services,
        stop,
        serving,
        _dir: dir,
    }
}

/// The test cluster's admin URL, or `None` (skipped) without one unless PostgreSQL is required.
pub fn postgres_admin_url() -> Option<String> {
    let Ok(admin_url) = std::env::var("RENDEZVOUS_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("RENDEZVOUS_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL is required but not configured"
        );
        eprintln!("skipped: RENDEZVOUS_TEST_POSTGRES_URL is not set");
        return None;
    };
    Some(admin_url)
}

/// A server on `clock` with team `acme`, its admin Ada and a 30-minute single-host event type
/// `acme/demo`, with configuration variables (`RENDEZVOUS_…`) set.
pub async fn start_with_demo(clock: Clock, vars: &[(&str, String)]) -> Running {
    use services::event_types::Mode;
    use services::fixtures;
    let server = start_configured(clock, vars).await;
    let s = &server.services;
    let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    s.create_event_type(
        &admin,
        fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]),
    )
    .await
    .unwrap();
    server
}

impl Running {
    /// How many bookings the database holds, cancelled ones included.
    pub async fn stored_bookings(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM bookings")
            .fetch_one(self.services.db().pool())
            .await
            .unwrap()
    }
}
