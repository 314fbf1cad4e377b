//! Where a booking stands in each host's calendar, for the booking's page in the dashboard. Read
//! from three places because no single one knows: the last outcome of the event job, whether a
//! job is still queued (a retry after a failure, or a change not yet written), and the host's
//! connection (a host who must reconnect gets no job at all).

use super::events::EventJob;
use super::{CALENDAR_JOB, ConnectionStatus, Provider};
use crate::{ServiceError, Services};
use serde::{Deserialize, Serialize};

/// One host's calendar copy of a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSync {
    pub member_id: i64,
    pub member_name: String,
    /// The provider holding (or meant to hold) the event; `None` with no connection at all.
    pub provider: Option<Provider>,
    pub state: SyncState,
    /// The provider's last complaint, kept while a retry is queued and after giving up.
    pub error: Option<String>,
    /// What the host did to the event in their calendar, when it matters for the booking.
    pub host_change: Option<HostChange>,
}

/// The host moved or deleted the booked event in their own calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostChange {
    /// Deleted; the booking is cancelled at `cancels_at` unless kept (`None`: only flagged, or
    /// the booking was cancelled already).
    Deleted { cancels_at: Option<i64> },
    /// Moved to another time; flagged for the host to apply or undo.
    Moved { start: i64, end: i64 },
    /// Moved, and the booking followed (at this instant).
    Followed { at: i64 },
}

impl HostChange {
    fn of(row: &Outcome) -> Option<Self> {
        match (row.4.as_deref(), row.5.zip(row.6)) {
            (Some("deleted"), _) => Some(Self::Deleted { cancels_at: row.7 }),
            (Some("moved"), Some((start, end))) => Some(Self::Moved { start, end }),
            _ => row.8.map(|at| Self::Followed { at }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncState {
    /// A job will write the current version of the booking (first try or retry).
    Waiting,
    /// The event matches the booking.
    Synced,
    /// The booking was cancelled or moved to another host and its event deleted.
    Removed,
    /// Writing failed for good (the provider refused the request).
    Failed,
    /// The host's connection lost its grant: nothing is written until they reconnect.
    ReconnectNeeded,
    /// Nothing was written: the host connected no calendar, chose none for bookings, or
    /// connected only after this booking was made.
    NotWritten,
}

/// What the job outcome, a queued job and the connection say together.
fn sync_state(outcome: Option<&str>, queued: bool, connection: Option<ConnectionStatus>) -> SyncState {
    match (outcome, queued, connection) {
        (_, _, Some(ConnectionStatus::ReconnectNeeded)) => SyncState::ReconnectNeeded,
        (_, true, _) | (Some("pending"), _, _) => SyncState::Waiting,
        (Some("synced"), ..) => SyncState::Synced,
        (Some("removed"), ..) => SyncState::Removed,
        (Some("failed"), ..) => SyncState::Failed,
        _ => SyncState::NotWritten,
    }
}

/// member, provider, state, last error, host change, its start and end, when a deletion
/// cancels, when a move was followed.
type Outcome = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

impl Services {
    /// Each current and former host's calendar copy of the booking, by host name.
    pub async fn calendar_sync(&self, booking_id: i64) -> Result<Vec<CalendarSync>, ServiceError> {
        let pool = self.db().pool();
        let members: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM members WHERE id IN (SELECT member_id FROM booking_hosts WHERE booking_id = $1 \
             UNION SELECT member_id FROM booking_calendar_events WHERE booking_id = $1) ORDER BY name, id",
        )
        .bind(booking_id)
        .fetch_all(pool)
        .await?;
        let outcomes: Vec<Outcome> = sqlx::query_as(
            "SELECT member_id, provider, state, last_error, host_change, host_start, host_end, acts_at, last_moved_at \
             FROM booking_calendar_events WHERE booking_id = $1",
        )
        .bind(booking_id)
        .fetch_all(pool)
        .await?;
        let queued = self.queued_calendar_jobs(booking_id).await?;
        let mut sync = Vec::with_capacity(members.len());
        for (member_id, member_name) in members {
            let outcome = outcomes.iter().find(|o| o.0 == member_id);
            let connections = super::store::connections_of(pool, member_id).await?;
            let receiving = connections.iter().find(|c| c.destination.is_some());
            let provider = outcome
                .and_then(|o| Provider::parse(&o.1))
                .or(receiving.or(connections.first()).map(|c| c.provider));
            let connection = connections.iter().find(|c| Some(c.provider) == provider);
            sync.push(CalendarSync {
                member_id,
                member_name,
                provider,
                state: sync_state(
                    outcome.map(|o| o.2.as_str()),
                    queued.contains(&member_id),
                    connection.map(|c| c.status),
                ),
                error: outcome.and_then(|o| o.3.clone()),
                host_change: outcome.and_then(HostChange::of),
            });
        }
        Ok(sync)
    }

    /// Members with an event job of the booking still to run.
    pub(super) async fn queued_calendar_jobs(&self, booking_id: i64) -> Result<Vec<i64>, ServiceError> {
        let payloads: Vec<(String,)> = sqlx::query_as(
            "SELECT payload FROM jobs WHERE booking_id = $1 AND kind = $2 AND state IN ('queued', 'running')",
        )
        .bind(booking_id)
        .bind(CALENDAR_JOB)
        .fetch_all(self.db().pool())
        .await?;
        Ok(payloads
            .iter()
            .filter_map(|(payload,)| serde_json::from_str::<EventJob>(payload).ok())
            .map(|job| job.member_id)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queued_job_means_waiting_whatever_the_last_outcome_was() {
        assert_eq!(
            sync_state(Some("failed"), true, Some(ConnectionStatus::Active)),
            SyncState::Waiting
        );
        assert_eq!(
            sync_state(None, true, Some(ConnectionStatus::Active)),
            SyncState::Waiting
        );
        assert_eq!(
            sync_state(Some("pending"), false, Some(ConnectionStatus::Active)),
            SyncState::Waiting
        );
    }

    #[test]
    fn a_lost_grant_outranks_every_outcome() {
        assert_eq!(
            sync_state(Some("synced"), true, Some(ConnectionStatus::ReconnectNeeded)),
            SyncState::ReconnectNeeded
        );
    }

    #[test]
    fn finished_jobs_report_their_outcome() {
        let active = Some(ConnectionStatus::Active);
        assert_eq!(sync_state(Some("synced"), false, active), SyncState::Synced);
        assert_eq!(sync_state(Some("removed"), false, active), SyncState::Removed);
        assert_eq!(sync_state(Some("failed"), false, active), SyncState::Failed);
        assert_eq!(sync_state(Some("synced"), false, None), SyncState::Synced);
    }

    #[test]
    fn no_outcome_and_no_job_means_nothing_was_written() {
        assert_eq!(sync_state(None, false, None), SyncState::NotWritten);
        assert_eq!(
            sync_state(None, false, Some(ConnectionStatus::Active)),
            SyncState::NotWritten
        );
    }
}
