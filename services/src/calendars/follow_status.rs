//! How a connection's calendars are followed, as the Integrations page says it: updates by push
//! (until when), by polling (and why), or paused; the last successful sync and the last error.

use super::{Connection, ConnectionStatus};
use crate::calendars::sync_settings::PushMode;
use crate::{ServiceError, Services};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Updates {
    /// Push notifications on every followed calendar; channels are renewed around this time.
    Instant {
        renews_at: i64,
    },
    Polled {
        every_secs: i64,
        why: PollReason,
    },
    /// Reconnect needed, or no calendar followed.
    Paused,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollReason {
    /// The webhook address is not `https://`.
    NoPublicHttps,
    /// `RENDEZVOUS_CALENDAR_PUSH=off`.
    PushOff,
    /// The provider refused a channel (or one is being set up).
    NoChannel(Option<String>),
    /// The provider has no push notifications (CalDAV).
    NotOffered,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowStatus {
    pub updates: Updates,
    /// The oldest of the followed calendars' last successful syncs.
    pub last_synced_at: Option<i64>,
    /// The latest failure, with when it happened, if it is newer than the last success.
    pub last_error: Option<(String, i64)>,
}

impl FollowStatus {
    /// Whether syncing has failed since it last worked (shown to admins on the overview).
    pub fn failing(&self) -> bool {
        self.last_error.is_some()
    }
}

/// One followed calendar's columns that matter here.
type Row = (
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

impl Services {
    pub async fn follow_status(&self, connection: &Connection) -> Result<FollowStatus, ServiceError> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT last_synced_at, last_error, last_error_at, channel_id, channel_expires_at, push_error \
             FROM calendar_syncs WHERE connection_id = $1",
        )
        .bind(connection.id)
        .fetch_all(self.db().pool())
        .await?;
        let now = self.clock().now();
        let settings = &self.config().calendars.sync;
        let last_synced_at = if rows.iter().any(|r| r.0.is_none()) {
            None
        } else {
            rows.iter().filter_map(|r| r.0).min()
        };
        let last_error = rows
            .iter()
            .filter_map(|(synced, error, at, ..)| {
                let at = (*at)?;
                (synced.is_none_or(|s| s < at)).then(|| (error.clone().unwrap_or_default(), at))
            })
            .max_by_key(|(_, at)| *at);
        let live = |r: &Row| r.3.is_some() && r.4.is_some_and(|at| at > now);
        let every_secs = settings.poll_secs;
        let updates = if connection.status != ConnectionStatus::Active || rows.is_empty() {
            Updates::Paused
        } else if !connection.provider.has_push() {
            Updates::Polled {
                every_secs,
                why: PollReason::NotOffered,
            }
        } else if settings.push_address(&self.config().public_url).is_none() {
            let why = if settings.push == PushMode::Off {
                PollReason::PushOff
            } else {
                PollReason::NoPublicHttps
            };
            Updates::Polled { every_secs, why }
        } else if rows.iter().all(live) {
            let renews_at = rows.iter().filter_map(|r| r.4).min().unwrap_or(now) - settings.renew_margin();
            Updates::Instant { renews_at }
        } else {
            let refusal = rows.iter().find_map(|r| r.5.clone());
            Updates::Polled {
                every_secs,
                why: PollReason::NoChannel(refusal),
            }
        };
        Ok(FollowStatus {
            updates,
            last_synced_at,
            last_error,
        })
    }
}
