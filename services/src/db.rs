//! One connection pool over SQLite or PostgreSQL through `sqlx::Any`, so every query is written
//! once. The schema differs only in DDL spelling, so each backend has its own migration folder
//! with the same numbered files (see ARCHITECTURE.md, "Storage").

use anyhow::{Context, bail};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::path::Path;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// Where writes go: on SQLite a pool of the one connection that writes (see [`Db::writer`]);
    /// on PostgreSQL the same pool.
    writer: AnyPool,
    backend: Backend,
}

impl Db {
    /// Opens the pool (creating an SQLite file and its folder if missing) and applies migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        install_default_drivers();
        let backend = backend_of(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                create_sqlite_parent(url)?;
                sqlite_pool(url, 8, Duration::from_secs(10)).await
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .acquire_timeout(Duration::from_secs(10))
                    .max_connections(16)
                    .connect(url)
                    .await
            }
        }
        .with_context(|| format!("connecting to the {backend:?} database"))?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.context("applying database migrations")?;
        let writer = match backend {
            // As long as SQLite's busy timeout: a writer waits its turn as it would there.
            Backend::Sqlite if sqlite_file(url).is_some() => sqlite_pool(url, 1, Duration::from_secs(15))
                .await
                .context("connecting the SQLite writer")?,
            // An in-memory database exists once per connection; PostgreSQL has row locks.
            _ => pool.clone(),
        };
        if backend == Backend::Sqlite {
            make_sqlite_private(url)?;
        }
        Ok(Self { pool, writer, backend })
    }

    /// A database with only the migrations up to `version` applied, to test how a later one
    /// treats existing rows (the next [`Db::connect`] applies the rest).
    #[cfg(feature = "test-support")]
    pub async fn migrated_until(url: &str, version: i64) -> anyhow::Result<AnyPool> {
        install_default_drivers();
        let backend = backend_of(url)?;
        if backend == Backend::Sqlite {
            create_sqlite_parent(url)?;
        }
        let pool = AnyPoolOptions::new().max_connections(1).connect(url).await?;
        let all = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let earlier: Vec<_> = all
            .migrations
            .iter()
            .filter(|m| m.version <= version)
            .cloned()
            .collect();
        Migrator::with_migrations(earlier).run(&pool).await?;
        Ok(pool)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// For frequent writes outside a transaction (the job queue's claims and outcomes). SQLite
    /// has one writer at a time, and a connection that finds the lock taken sleeps in SQLite's
    /// busy handler (1, 2, 5, 10… up to 100 ms a try) and may lose to every writer that comes
    /// while it sleeps: with webhook deliveries writing beside a stream of bookings, the slowest
    /// 1% of bookings waited 1.5 s. Writes through this pool of the one writing connection wait
    /// their turn in order in the process instead, and its page cache stays warm. Writes from
    /// other processes still meet the busy handler.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// A transaction that already holds the right to write, on [`Db::writer`]. On SQLite this is
    /// `BEGIN IMMEDIATE`, taking the single writer lock up front so that a read-then-write
    /// decision inside it cannot race another writer; PostgreSQL callers lock the rows they
    /// decide on instead.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        self.pool.execute("SELECT 1").await.map(|_| ())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// Booleans are stored as 0/1 integers on both backends: the Any driver cannot read SQLite's
/// BOOLEAN, and one spelling keeps every query portable. Bind them with `i64::from(flag)`.
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub(crate) struct IntBool(i64);

impl From<IntBool> for bool {
    fn from(v: IntBool) -> bool {
        v.0 != 0
    }
}

/// WAL lets readers proceed during a write; the busy timeout makes concurrent writers queue
/// instead of failing; foreign keys are off by default in SQLite and the schema relies on them.
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 15000",
];

/// A pool of `connections` to the SQLite database at `url`, each set up with [`SQLITE_PRAGMAS`].
/// An idle connection is not pinged before use (sqlx's default): a local file cannot hang up,
/// and the ping was a round trip to the connection's thread before every statement outside a
/// transaction, and before every transaction.
async fn sqlite_pool(url: &str, connections: u32, acquire_timeout: Duration) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .acquire_timeout(acquire_timeout)
        .max_connections(connections)
        .test_before_acquire(false)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                for pragma in SQLITE_PRAGMAS {
                    conn.execute(*pragma).await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
}

fn backend_of(url: &str) -> anyhow::Result<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Backend::Postgres)
    } else {
        bail!("RENDEZVOUS_DATABASE_URL must start with sqlite: or postgres:")
    }
}

/// The database file a `sqlite:` URL names; `None` for an in-memory database.
fn sqlite_file(url: &str) -> Option<&str> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then_some(path)
}

fn create_sqlite_parent(url: &str) -> anyhow::Result<()> {
    let Some(path) = sqlite_file(url) else {
        return Ok(());
    };
    if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::private_files::private_dir(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    Ok(())
}

/// The SQLite file and its journals, once they exist, readable by this user only.
fn make_sqlite_private(url: &str) -> anyhow::Result<()> {
    let Some(path) = sqlite_file(url) else {
        return Ok(());
    };
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{path}{suffix}"));
        if file.exists() {
            crate::private_files::private_file(&file).with_context(|| format!("protecting {}", file.display()))?;
        }
    }
    Ok(())
}
