//! Two-way sync: following the calendars of a connection (see ARCHITECTURE.md, "Two-way sync").
//!
//! Every followed calendar (checked for conflicts, or receiving bookings) has a `calendar_syncs`
//! row, which is its own small queue: `due_at` says when it is next synced. A push notification
//! only sets it to now; otherwise it is the next poll (every minute without push, every 15
//! minutes as a safety net with push) or the channel's renewal, whichever is sooner. Any worker
//! of any process claims a due row with a lease (`SKIP LOCKED` on PostgreSQL) and, holding it,
//! renews the push channel if needed, fetches the changes since the stored position (a full
//! listing when there is none or the provider expired it), updates the event mirror, settles
//! what the host did to booked events, refreshes busy time, and stores the new position. A
//! notification arriving meanwhile makes the row due again, so a burst of notifications costs at
//! most two syncs.

use super::api::CalendarApi;
use super::remote::Changes;
use super::{CalendarChoice, Connection, ConnectionStatus, Provider, ProviderError, store};
use crate::accounts::Member;
use crate::{Backend, ServiceError, Services};
use sqlx::Row;

const DAY: i64 = 86_400;
/// Events are followed from yesterday to this many days ahead (bookings further out are not
/// watched for the host's changes); the window moves forward with a full listing once it has
/// less than [`WINDOW_KEPT_DAYS`] left.
const WINDOW_DAYS: i64 = 400;
const WINDOW_KEPT_DAYS: i64 = 370;
/// A sync that has not finished after this long is taken over by another worker.
const LEASE_SECS: i64 = 120;
/// After a failed sync, the next attempt waits at least this long.
const RETRY_SECS: i64 = 60;
/// Busy time is read again at a sync once it is this old, changes or not, so that a member
/// without visitors never reaches the one-hour limit (and the read window moves with the days).
const BUSY_KEPT_FRESH_SECS: i64 = 1800;
/// "Sync now" is honoured once per connection in this many seconds.
pub const SYNC_NOW_EVERY_SECS: i64 = 30;

/// A followed calendar, claimed for one sync.
#[derive(Debug, Clone)]
pub(super) struct Claimed {
    pub id: i64,
    pub connection_id: i64,
    pub calendar_id: String,
    pub sync_token: Option<String>,
    pub window: Option<(i64, i64)>,
    pub channel_id: Option<String>,
    pub channel_resource: Option<String>,
    pub channel_expires_at: Option<i64>,
}

macro_rules! claim_sync {
    ($lock:literal) => {
        concat!(
            "UPDATE calendar_syncs SET lease_until = $1, lease_owner = $2, due_at = $3 WHERE id = (",
            "SELECT s.id FROM calendar_syncs s JOIN calendar_connections c ON c.id = s.connection_id ",
            "WHERE c.status = 'active' AND s.due_at <= $4 AND (s.lease_until IS NULL OR s.lease_until < $4) ",
            "ORDER BY s.due_at, s.id LIMIT 1",
            $lock,
            ") RETURNING id, connection_id, calendar_id, sync_token, window_from, window_until, channel_id, ",
            "channel_resource, channel_expires_at"
        )
    };
}
const CLAIM_POSTGRES: &str = claim_sync!(" FOR UPDATE OF s SKIP LOCKED");
const CLAIM_SQLITE: &str = claim_sync!("");

impl Services {
    /// Syncs every calendar that is due, one at a time; returns how many. The worker calls this
    /// after its jobs; tests call it directly.
    pub async fn run_due_syncs(&self) -> Result<usize, ServiceError> {
        let mut ran = 0;
        while let Some(claimed) = self.claim_sync().await? {
            if let Err(e) = self.sync_claimed(&claimed).await {
                tracing::error!(sync = claimed.id, error = ?anyhow::Error::from(e), "calendar sync");
                self.release_sync(&claimed, self.clock().now() + RETRY_SECS).await?;
            }
            ran += 1;
        }
        Ok(ran)
    }

    async fn claim_sync(&self) -> Result<Option<Claimed>, ServiceError> {
        let now = self.clock().now();
        let sql = match self.db().backend() {
            Backend::Postgres => CLAIM_POSTGRES,
            Backend::Sqlite => CLAIM_SQLITE,
        };
        let row = sqlx::query(sql)
            .bind(now + LEASE_SECS)
            .bind(self.instance_id())
            .bind(now + self.poll_secs())
            .bind(now)
            .fetch_optional(self.db().writer())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let window_from: Option<i64> = row.try_get("window_from")?;
        let window_until: Option<i64> = row.try_get("window_until")?;
        Ok(Some(Claimed {
            id: row.try_get("id")?,
            connection_id: row.try_get("connection_id")?,
            calendar_id: row.try_get("calendar_id")?,
            sync_token: row.try_get("sync_token")?,
            window: window_from.zip(window_until),
            channel_id: row.try_get("channel_id")?,
            channel_resource: row.try_get("channel_resource")?,
            channel_expires_at: row.try_get("channel_expires_at")?,
        }))
    }

    fn poll_secs(&self) -> i64 {
        self.config().calendars.sync.poll_secs
    }

    /// Ends this worker's hold on the row: due at `next`, or sooner if a notification came in
    /// meanwhile.
    async fn release_sync(&self, claimed: &Claimed, next: i64) -> Result<(), ServiceError> {
        sqlx::query(
            "UPDATE calendar_syncs SET lease_until = NULL, lease_owner = NULL, \
             due_at = CASE WHEN due_at < $1 AND due_at <= $2 THEN due_at ELSE $1 END \
             WHERE id = $3 AND lease_owner = $4",
        )
        .bind(next)
        .bind(self.clock().now())
        .bind(claimed.id)
        .bind(self.instance_id())
        .execute(self.db().pool())
        .await?;
        Ok(())
    }

    async fn sync_claimed(&self, claimed: &Claimed) -> Result<(), ServiceError> {
        let pool = self.db().pool();
        let Some(connection) = store::connection(pool, claimed.connection_id).await? else {
            return Ok(()); // disconnected meanwhile: the row went with it
        };
        let Some(calendar) = connection.calendars.iter().find(|c| c.id == claimed.calendar_id) else {
            self.unfollow(&connection, claimed).await?;
            return Ok(());
        };
        if connection.status != ConnectionStatus::Active {
            return self.release_sync(claimed, self.clock().now() + self.poll_secs()).await;
        }
        let channel = self.keep_channel(&connection, claimed).await?;
        let now = self.clock().now();
        let token = claimed.sync_token.as_deref().filter(|_| !channel.missed_changes);
        let window = match claimed.window {
            Some((from, until)) if token.is_some() && until - now >= WINDOW_KEPT_DAYS * DAY => (from, until),
            _ => (now - DAY, now + WINDOW_DAYS * DAY),
        };
        let token = token.filter(|_| claimed.window == Some(window));
        let listed = self
            .with_api(&connection, |api: CalendarApi<'_>| async move {
                api.changes(calendar, token, window).await
            })
            .await;
        match listed {
            Ok(changes) => {
                let changed = self
                    .apply_changes(&connection, calendar, claimed, &changes, window)
                    .await?;
                self.store_position(claimed, &changes, window).await?;
                let aging = connection
                    .busy_synced_at
                    .is_none_or(|at| now - at >= BUSY_KEPT_FRESH_SECS);
                if calendar.check_conflicts && (changed || aging) {
                    self.refresh_busy(connection.id).await?;
                }
            }
            Err(error) => self.store_sync_error(claimed, &error).await?,
        }
        let next = self.next_sync(now, channel.expires_at);
        self.release_sync(claimed, next).await
    }

    /// When the calendar is next synced: the next poll, or the safety-net poll and the channel's
    /// renewal while a push channel is live.
    fn next_sync(&self, now: i64, channel_expires_at: Option<i64>) -> i64 {
        let settings = &self.config().calendars.sync;
        match channel_expires_at {
            Some(expires) => (now + settings.safety_poll_secs)
                .min(expires - settings.renew_margin())
                .max(now + 1),
            None => now + self.poll_secs(),
        }
    }

    async fn store_position(
        &self,
        claimed: &Claimed,
        changes: &Changes,
        window: (i64, i64),
    ) -> Result<(), ServiceError> {
        sqlx::query(
            "UPDATE calendar_syncs SET sync_token = $1, window_from = $2, window_until = $3, last_synced_at = $4, \
             last_error = NULL, last_error_at = NULL WHERE id = $5",
        )
        .bind(changes.next_token.as_deref())
        .bind(window.0)
        .bind(window.1)
        .bind(self.clock().now())
        .bind(claimed.id)
        .execute(self.db().pool())
        .await?;
        Ok(())
    }

    async fn store_sync_error(&self, claimed: &Claimed, error: &ProviderError) -> Result<(), ServiceError> {
        tracing::warn!(sync = claimed.id, error = %error, "calendar sync failed");
        sqlx::query("UPDATE calendar_syncs SET last_error = $1, last_error_at = $2 WHERE id = $3")
            .bind(error.to_string())
            .bind(self.clock().now())
            .bind(claimed.id)
            .execute(self.db().pool())
            .await?;
        Ok(())
    }

    /// Makes the connection's `calendar_syncs` rows match what it follows: each checked calendar
    /// and the destination. New ones are due at once (a full listing); ones no longer followed
    /// stop their channel (best effort) and go.
    pub(super) async fn follow_calendars(&self, connection_id: i64) -> Result<(), ServiceError> {
        let pool = self.db().pool();
        let Some(connection) = store::connection(pool, connection_id).await? else {
            return Ok(());
        };
        let wanted: Vec<&CalendarChoice> = connection
            .calendars
            .iter()
            .filter(|c| c.check_conflicts || connection.destination.as_deref() == Some(c.id.as_str()))
            .collect();
        let now = self.clock().now();
        for calendar in &wanted {
            sqlx::query(
                "INSERT INTO calendar_syncs (connection_id, calendar_id, due_at, created_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (connection_id, calendar_id) DO NOTHING",
            )
            .bind(connection_id)
            .bind(&calendar.id)
            .bind(now)
            .execute(pool)
            .await?;
        }
        for claimed in self.followed(connection_id).await? {
            if !wanted.iter().any(|c| c.id == claimed.calendar_id) {
                self.unfollow(&connection, &claimed).await?;
            }
        }
        self.syncs_due();
        Ok(())
    }

    /// Stops following every calendar of the connection (before disconnecting it).
    pub(super) async fn unfollow_all(&self, connection: &Connection) -> Result<(), ServiceError> {
        for claimed in self.followed(connection.id).await? {
            self.unfollow(connection, &claimed).await?;
        }
        Ok(())
    }

    async fn unfollow(&self, connection: &Connection, claimed: &Claimed) -> Result<(), ServiceError> {
        self.close_channel(connection, claimed).await;
        sqlx::query("DELETE FROM calendar_syncs WHERE id = $1")
            .bind(claimed.id)
            .execute(self.db().pool())
            .await?;
        Ok(())
    }

    async fn followed(&self, connection_id: i64) -> Result<Vec<Claimed>, ServiceError> {
        type Row = (i64, String, Option<String>, Option<String>, Option<i64>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, calendar_id, channel_id, channel_resource, channel_expires_at FROM calendar_syncs \
             WHERE connection_id = $1",
        )
        .bind(connection_id)
        .fetch_all(self.db().pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, calendar_id, channel_id, channel_resource, channel_expires_at)| Claimed {
                    id,
                    connection_id,
                    calendar_id,
                    sync_token: None,
                    window: None,
                    channel_id,
                    channel_resource,
                    channel_expires_at,
                },
            )
            .collect())
    }

    /// "Sync now": busy time is read at once and every followed calendar of the connection is
    /// synced by the next worker; at most once every [`SYNC_NOW_EVERY_SECS`] per connection.
    pub async fn sync_now(&self, actor: &Member, member_id: i64, provider: Provider) -> Result<(), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let pool = self.db().pool();
        let connection = store::connection_of(pool, member.id, provider)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let now = self.clock().now();
        let allowed = sqlx::query(
            "UPDATE calendar_connections SET sync_requested_at = $1 WHERE id = $2 \
             AND (sync_requested_at IS NULL OR sync_requested_at <= $3)",
        )
        .bind(now)
        .bind(connection.id)
        .bind(now - SYNC_NOW_EVERY_SECS)
        .execute(pool)
        .await?;
        if allowed.rows_affected() == 0 {
            return Err(ServiceError::RateLimited {
                retry_after_secs: SYNC_NOW_EVERY_SECS.unsigned_abs(),
            });
        }
        sqlx::query("UPDATE calendar_syncs SET due_at = $1 WHERE connection_id = $2 AND due_at > $1")
            .bind(now)
            .bind(connection.id)
            .execute(pool)
            .await?;
        self.syncs_due();
        self.refresh_busy(connection.id).await
    }
}
