//! Everything with I/O behind one cloneable handle: storage, accounts, sessions, mail and jobs;
//! calendar providers. Callers (server functions, HTTP handlers) pass
//! validated `domain` types in and get plain data or a [`ServiceError`] out.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod api_keys;
pub mod booking_record;
pub mod bookings;
pub mod calendar_links;
pub mod calendars;
pub mod clock;
pub mod conferencing;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod event_type_actions;
pub mod event_type_draft;
pub mod event_types;
#[cfg(feature = "test-support")]
pub mod fixtures;
pub mod invitation;
pub mod jobs;
pub mod limits;
pub mod mail;
pub mod manage;
pub mod member_removal;
pub mod notify;
pub mod outbound;
pub mod overview;
mod passwords;
pub mod private_files;
pub mod public_pages;
pub mod questions;
pub mod schedules;
pub mod sessions;
pub mod slot_cache;
pub mod team_bookings;
pub mod tokens;
pub mod webhooks;
mod worker;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub use clock::Clock;
pub use config::{Config, SecretKey};
pub use db::{Backend, Db};
pub use error::ServiceError;

/// The handle every request uses. Cheap to clone; all state lives behind one `Arc`.
#[derive(Clone)]
pub struct Services {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: Config,
    clock: Clock,
    passwords: passwords::PasswordWorkers,
    public_buckets: limits::PublicBuckets,
    slot_cache: slot_cache::SlotCache,
    /// Set once setup has happened; setup never un-happens, so it is safe to cache.
    set_up: AtomicBool,
    /// Set once a booking page was seen in a frame (see [`overview`]); it stays true.
    embedded: AtomicBool,
    mailer: mail::Mailer,
    jobs_wake: tokio::sync::Notify,
    /// Wakes the webhook lane of the worker (see [`worker`]).
    webhooks_wake: tokio::sync::Notify,
    /// Set when a transaction queued webhook deliveries; the next wake takes it to the webhook lane.
    webhooks_queued: AtomicBool,
    /// Wakes the worker to sync calendars made due now (a push notification, a new connection).
    syncs_wake: tokio::sync::Notify,
    /// For webhook deliveries: never to private addresses unless configured (see [`outbound`]).
    webhook_http: reqwest::Client,
    /// For CalDAV servers members name: the same guard, with its own setting.
    caldav_http: reqwest::Client,
    /// For calendar providers: no redirects followed (an OAuth client must not be steered).
    http: reqwest::Client,
    calendar_locks: calendars::ConnectionLocks,
    busy: calendars::BusyCache,
    /// Names this process in leases it takes in the database (calendar syncs, token refreshes).
    instance_id: String,
}

impl Services {
    pub fn new(db: Db, config: Config, clock: Clock) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                mailer: mail::Mailer::new(&config.mail),
                http: provider_http_client(config.calendars.provider_timeout),
                webhook_http: outbound::client(
                    config.webhooks.allow_private,
                    concat!("Rendezvous-Webhooks/", env!("CARGO_PKG_VERSION")),
                    outbound::WEBHOOK_TIMEOUT,
                ),
                caldav_http: outbound::client(
                    config.calendars.caldav_allow_private,
                    concat!("Rendezvous/", env!("CARGO_PKG_VERSION")),
                    config.calendars.provider_timeout,
                ),
                passwords: passwords::PasswordWorkers::start(config.limits.password_workers),
                config,
                clock,
                public_buckets: limits::PublicBuckets::default(),
                slot_cache: slot_cache::SlotCache::default(),
                set_up: AtomicBool::new(false),
                embedded: AtomicBool::new(false),
                jobs_wake: tokio::sync::Notify::new(),
                webhooks_wake: tokio::sync::Notify::new(),
                webhooks_queued: AtomicBool::new(false),
                syncs_wake: tokio::sync::Notify::new(),
                calendar_locks: calendars::ConnectionLocks::default(),
                busy: calendars::BusyCache::default(),
                instance_id: tokens::uid(),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// This process's name in leases it holds.
    pub(crate) fn instance_id(&self) -> &str {
        &self.inner.instance_id
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub(crate) fn slot_cache(&self) -> &slot_cache::SlotCache {
        &self.inner.slot_cache
    }

    /// `Ok` when the database answers a trivial query; used by `/healthz`.
    pub async fn health(&self) -> Result<(), ServiceError> {
        self.inner.db.ping().await.map_err(ServiceError::internal)
    }
}

/// Calls to calendar providers give up after `timeout`: a slow provider must not hold a job (or
/// a connect) forever, and an answer lost that way is safe to retry (see `calendars::events`).
fn provider_http_client(timeout: std::time::Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
        .timeout(timeout)
        .build()
        .expect("the TLS backend is compiled in")
}
