//! Fresh databases for storage tests: a new SQLite file per test, and a new database per test in
//! the throwaway PostgreSQL cluster that `scripts/test.sh` starts (URL in RENDEZVOUS_TEST_POSTGRES_URL).

#[allow(dead_code)]
pub mod calendar;
#[allow(dead_code)]
pub mod outbox;

use services::{Clock, Config, Db, Services};
use std::path::PathBuf;

/// 2027-01-15T08:00:00Z: a fixed "now" so expiry tests are exact.
pub const NOW: i64 = 1_800_000_000;

pub struct TestServices {
    pub services: Services,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestServices {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.services
    }
}

fn config(dir: &std::path::Path, database_url: String, vars: &[(&str, String)]) -> Config {
    let data_dir = dir.to_string_lossy().into_owned();
    let mut config = Config::from_lookup(|name| match name {
        "RENDEZVOUS_DATA_DIR" => Some(data_dir.clone()),
        _ => vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()),
    })
    .expect("test configuration");
    config.database_url = database_url;
    config
}

#[allow(dead_code)]
pub async fn sqlite() -> TestServices {
    sqlite_with(&[]).await
}

/// As [`sqlite`], with configuration variables (`RENDEZVOUS_…`) set.
pub async fn sqlite_with(vars: &[(&str, String)]) -> TestServices {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("test.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    build(dir, url, vars).await
}

/// `None` (test skipped) when no PostgreSQL is configured, unless RENDEZVOUS_REQUIRE_POSTGRES=1,
/// which the project's test command sets so that CI can never skip these silently.
#[allow(dead_code)]
pub async fn postgres() -> Option<TestServices> {
    postgres_with(&[]).await
}

/// As [`postgres`], with configuration variables (`RENDEZVOUS_…`) set.
pub async fn postgres_with(vars: &[(&str, String)]) -> Option<TestServices> {
    let Ok(admin_url) = std::env::var("RENDEZVOUS_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("RENDEZVOUS_REQUIRE_POSTGRES").is_err(),
            "RENDEZVOUS_REQUIRE_POSTGRES is set but RENDEZVOUS_TEST_POSTGRES_URL is not"
        );
        eprintln!("skipped: RENDEZVOUS_TEST_POSTGRES_URL is not set");
        return None;
    };
    let url = services::fixtures::postgres_database(&admin_url).await;
    let dir = tempfile::tempdir().expect("temp dir");
    Some(build(dir, url, vars).await)
}

async fn build(dir: tempfile::TempDir, url: String, vars: &[(&str, String)]) -> TestServices {
    let db = Db::connect(&url).await.expect("connect and migrate");
    let config = config(dir.path(), url, vars);
    TestServices {
        services: Services::new(db, config, Clock::manual(NOW)),
        _dir: dir,
    }
}

/// A second process on the same database (same configuration and clock), to race the first.
#[allow(dead_code)]
pub async fn another_process(first: &Services) -> Services {
    let config = first.config().clone();
    let db = Db::connect(&config.database_url).await.expect("connect and migrate");
    Services::new(db, config, first.clock().clone())
}

/// Declares each test once and runs it on SQLite and on PostgreSQL, as `sqlite::name` and
/// `postgres::name`; `vars = …;` first sets configuration variables for every test.
#[macro_export]
macro_rules! on_both_databases {
    (vars = $vars:expr; $(async fn $name:ident($s:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let $s = common::sqlite_with(&$vars).await;
                $body
            })*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some($s) = common::postgres_with(&$vars).await else { return };
                $body
            })*
        }
    };
    ($(async fn $name:ident($s:ident) $body:block)*) => {
        on_both_databases! { vars = []; $(async fn $name($s) $body)* }
    };
}

/// Writes an `.ics` the suite produced where `scripts/test.sh` has an independent parser (the
/// Python `icalendar` package) check it after the Rust tests; nothing when run on its own.
#[allow(dead_code)]
pub fn keep_for_independent_check(name: &str, ics: &str) {
    if let Ok(dir) = std::env::var("RENDEZVOUS_ICS_CHECK_DIR") {
        std::fs::create_dir_all(&dir).expect("ics check dir");
        let file: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        std::fs::write(std::path::Path::new(&dir).join(format!("{file}.ics")), ics).expect("write ics");
    }
}

/// Declares each scenario for both providers on SQLite and PostgreSQL, each with its own
/// simulator whose clock agrees with the services' manual clock: `sqlite::google::name`,
/// `postgres::microsoft::name`, …
#[macro_export]
macro_rules! with_providers {
    ($(async fn $name:ident($s:ident, $sim:ident) $body:block)*) => {
        with_providers! { vars = []; $(async fn $name($s, $sim) $body)* }
    };
    (vars = $vars:expr; $(async fn $name:ident($s:ident, $sim:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            with_providers!(@each sqlite, google, Provider::Google, $vars, $($name $s $sim $body)*);
            with_providers!(@each sqlite, microsoft, Provider::Microsoft, $vars, $($name $s $sim $body)*);
        }
        mod postgres {
            use super::*;
            with_providers!(@each postgres, google, Provider::Google, $vars, $($name $s $sim $body)*);
            with_providers!(@each postgres, microsoft, Provider::Microsoft, $vars, $($name $s $sim $body)*);
        }
    };
    (@each $db:ident, $provider:ident, $which:expr, $vars:expr, $($name:ident $s:ident $sim:ident $body:block)*) => {
        mod $provider {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let $sim = ProviderSim::start($which).await;
                $sim.set_clock(common::NOW);
                let extra: &[(&str, String)] = &$vars;
                let vars = [$sim.vars().as_slice(), extra].concat();
                let Some($s) = with_providers!(@services $db, vars) else { return };
                $body
            })*
        }
    };
    (@services sqlite, $vars:ident) => { Some(common::sqlite_with(&$vars).await) };
    (@services postgres, $vars:ident) => { common::postgres_with(&$vars).await };
}
