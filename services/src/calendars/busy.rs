//! Busy time from connected calendars, as slots see it. Slot pages never wait on a provider in
//! the common case: they read what the last refresh stored (kept in memory, re-read from the
//! database every few seconds so refreshes by other processes show), and busy time older than
//! the refresh interval starts a refresh in the background. Busy time older than an hour, or a
//! part of the range it was never read for, makes the member unavailable there: a time that may
//! conflict is never offered.

use super::api::CalendarApi;
use super::store::{self, StoredBusy};
use super::{CalendarChoice, Connection, ConnectionStatus, ProviderError};
use crate::{ServiceError, Services};
use engine::Interval;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Busy time older than this no longer vouches for the member's free time.
const BUSY_STALE_AFTER_SECS: i64 = 3600;

/// Whether busy time read at `synced_at` (never: `None`) is too old to offer the member's times.
pub fn busy_is_stale(synced_at: Option<i64>, now: i64) -> bool {
    synced_at.is_none_or(|at| now - at > BUSY_STALE_AFTER_SECS)
}
const DAY: i64 = 86_400;
/// How many days of busy time are read, from yesterday on; Google refuses free/busy ranges of
/// more than about 90 days (Graph's getSchedule is read in parts), and times beyond the window
/// are simply not offered.
const WINDOW_DAYS: i64 = 85;
/// How long this process trusts its memory of the stored busy time.
const MEMORY_TTL: Duration = Duration::from_secs(5);

type Stored = Arc<Vec<StoredBusy>>;

#[derive(Default)]
pub(crate) struct BusyCache {
    generation: AtomicU64,
    members: Mutex<HashMap<i64, Remembered>>,
    refreshing: Mutex<HashSet<i64>>,
}

/// One member's stored busy time as this process last read it.
struct Remembered {
    loaded: Instant,
    generation: u64,
    stored: Stored,
    /// When a request began reloading it after [`MEMORY_TTL`] ran out.
    reloading_since: Option<Instant>,
}

impl Services {
    /// Makes every member's remembered busy time stale (after a connect, choice or refresh).
    pub(crate) fn busy_changed(&self) {
        self.inner.busy.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The member's busy time in `[from, until)` for the engine; see the module documentation.
    /// Inside a transaction, pass its connection: a second one from the pool could wait forever
    /// when every connection is held by a transaction doing the same.
    pub(crate) async fn external_busy(
        &self,
        member_id: i64,
        (from, until): (i64, i64),
        tx: Option<&mut sqlx::AnyConnection>,
    ) -> Result<Vec<Interval>, ServiceError> {
        let stored = self.stored_busy(member_id, tx).await?;
        let now = self.clock().now();
        let refresh_after = i64::try_from(self.config().calendars.busy_refresh.as_secs()).unwrap_or(i64::MAX);
        let mut busy = Vec::new();
        for connection in stored.iter() {
            let age = connection.synced_at.map(|at| now - at);
            if connection.active && age.is_none_or(|age| age >= refresh_after) {
                self.spawn_busy_refresh(connection.connection_id);
            }
            let Some((read_from, read_until)) = connection.window.filter(|_| !busy_is_stale(connection.synced_at, now))
            else {
                busy.push(Interval::new(from, until));
                continue;
            };
            busy.extend(
                connection
                    .busy
                    .iter()
                    .filter(|b| b.start < until && from < b.end)
                    .copied(),
            );
            if from < read_from {
                busy.push(Interval::new(from, read_from.min(until)));
            }
            if read_until < until {
                busy.push(Interval::new(read_until.max(from), until));
            }
        }
        Ok(busy)
    }

    async fn stored_busy(&self, member_id: i64, tx: Option<&mut sqlx::AnyConnection>) -> Result<Stored, ServiceError> {
        let cache = &self.inner.busy;
        let generation = cache.generation.load(Ordering::Acquire);
        {
            // As in the slot cache: past its TTL, one request reloads while the rest keep the
            // entry meanwhile; a newer generation is never served.
            let mut members = cache.members.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(entry) = members.get_mut(&member_id)
                && entry.generation == generation
            {
                let reloading = entry.reloading_since.is_some_and(|since| since.elapsed() < MEMORY_TTL);
                if entry.loaded.elapsed() < MEMORY_TTL || reloading {
                    return Ok(Arc::clone(&entry.stored));
                }
                entry.reloading_since = Some(Instant::now());
            }
        }
        let stored = Arc::new(match tx {
            Some(connection) => store::busy_of(connection, member_id).await?,
            None => store::busy_of(&mut *self.db().pool().acquire().await?, member_id).await?,
        });
        cache.members.lock().unwrap_or_else(PoisonError::into_inner).insert(
            member_id,
            Remembered {
                loaded: Instant::now(),
                generation,
                stored: Arc::clone(&stored),
                reloading_since: None,
            },
        );
        Ok(stored)
    }

    /// Starts a refresh of the connection's busy time unless one is already running here.
    fn spawn_busy_refresh(&self, connection_id: i64) {
        if !self
            .inner
            .busy
            .refreshing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(connection_id)
        {
            return;
        }
        let services = self.clone();
        tokio::spawn(async move {
            if let Err(e) = services.refresh_busy(connection_id).await {
                tracing::warn!(connection_id, error = %e, "refreshing busy time failed");
            }
            services
                .inner
                .busy
                .refreshing
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&connection_id);
        });
    }

    /// Reads the checked calendars' busy time from the provider and stores it; a failure is kept
    /// for the member to see, and the busy time read before stays until it is too old.
    pub async fn refresh_busy(&self, connection_id: i64) -> Result<(), ServiceError> {
        let Some(connection) = store::connection(self.db().pool(), connection_id).await? else {
            return Ok(());
        };
        if connection.status != ConnectionStatus::Active {
            return Ok(());
        }
        let now = self.clock().now();
        let from = now - now.rem_euclid(DAY) - DAY;
        let window = (from, from + WINDOW_DAYS * DAY);
        let outcome = self.read_busy(&connection, window).await;
        match outcome {
            Ok(busy) => {
                let busy = self.without_own_events(&connection, busy).await?;
                store::store_busy(self.db().pool(), connection_id, window, &busy, now).await?;
            }
            Err(e) => store::store_busy_error(self.db().pool(), connection_id, &e.to_string()).await?,
        }
        self.busy_changed();
        Ok(())
    }

    async fn read_busy(&self, connection: &Connection, window: (i64, i64)) -> Result<Vec<Interval>, ProviderError> {
        let checked: Vec<&CalendarChoice> = connection.calendars.iter().filter(|c| c.check_conflicts).collect();
        if checked.is_empty() {
            return Ok(Vec::new());
        }
        let checked = &checked;
        self.with_api(connection, |api| async move {
            api.busy(&connection.account, checked, window).await
        })
        .await
    }

    /// Runs `call` against the connection's provider with a valid access token, refreshing it
    /// once if the provider refuses it. A CalDAV server refusing the password ends the
    /// connection as a revoked grant does: "reconnect needed", and the member is told once.
    pub(super) async fn with_api<'s, T, F, Fut>(
        &'s self,
        connection: &'s Connection,
        call: F,
    ) -> Result<T, ProviderError>
    where
        F: Fn(CalendarApi<'s>) -> Fut,
        Fut: std::future::Future<Output = Result<T, ProviderError>>,
    {
        let (root, http) = match (&connection.server, connection.provider) {
            (Some(home), super::Provider::Caldav) => (home, self.caldav_http()),
            (_, provider) => (&self.provider_settings(provider)?.endpoints.api, self.http()),
        };
        let api = |access_token| CalendarApi {
            provider: connection.provider,
            http,
            root,
            access_token,
        };
        match call(api(self.access_token(connection.id).await?)).await {
            Err(ProviderError::Unauthorized) => call(api(self.forced_access_token(connection.id).await?)).await,
            Err(ProviderError::Revoked(reason)) => {
                self.connection_lost(connection.id, connection.provider, &reason)
                    .await
                    .map_err(|e| ProviderError::Other(e.to_string()))?;
                Err(ProviderError::Revoked(reason))
            }
            other => other,
        }
    }
}
