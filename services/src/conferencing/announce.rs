//! Messages that wait for a meeting link. A change that needs a new meeting queues one
//! `conference_announce` job, due when the wait is over, in place of its emails and webhook
//! deliveries; the link's arrival (or a final failure) makes it due at once. When it runs it
//! enqueues what `notify` would have enqueued at the change, now with the link if there is one.

use super::{MeetingKind, MeetingState, store};
use crate::jobs::{self, JobFailure, NewJob};
use crate::notify::{self, Change, Facts};
use crate::{ServiceError, Services};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

pub const ANNOUNCE_JOB: &str = "conference_announce";

#[derive(Debug, Serialize, Deserialize)]
struct AnnounceJob {
    booking_id: i64,
    sequence: i64,
    change: Change,
    label: String,
}

fn key(uid: &str, sequence: i64) -> String {
    format!("announce:{uid}:{sequence}")
}

/// Starts a new meeting when `change` needs one and returns the meeting the messages should wait
/// for; `None`: announce now (no meeting, or its link is known or failed).
pub(crate) async fn needs_wait(
    tx: &mut Transaction<'static, Any>,
    facts: &Facts,
    change: &Change,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Some(kind) = facts.conferencing.as_deref().and_then(MeetingKind::parse) else {
        return Ok(false);
    };
    if matches!(change, Change::Cancelled | Change::VideoLinkReady) {
        return Ok(false);
    }
    let Some(organizer) = facts.hosts.first().map(|h| h.id) else {
        return Ok(false);
    };
    let booking_id = facts.booking_id;
    let current = store::load(&mut **tx, booking_id).await?;
    match current {
        Some(meeting) if meeting.member_id == organizer => Ok(meeting.state == MeetingState::Pending),
        _ => {
            store::start(tx, booking_id, kind, organizer, now).await?;
            Ok(true)
        }
    }
}

/// Queues the announcement of `change`, due when the wait for the link is over.
pub(crate) async fn enqueue(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    facts: &Facts,
    change: Change,
    now: i64,
) -> Result<(), ServiceError> {
    let (booking_id, uid, sequence) = (facts.booking_id, &facts.uid, facts.sequence);
    let wait = i64::try_from(services.config().calendars.video_link_wait.as_secs()).unwrap_or(i64::MAX);
    let job = AnnounceJob {
        booking_id,
        sequence,
        change,
        label: format!("Messages of booking {uid}, waiting for its video link"),
    };
    let new = NewJob {
        kind: ANNOUNCE_JOB,
        payload: serde_json::to_value(&job).unwrap_or_default(),
        dedupe_key: key(uid, sequence),
        booking_id: Some(booking_id),
        run_at: now.saturating_add(wait),
    };
    Ok(jobs::enqueue(tx, &new, now).await?)
}

/// Makes the booking's waiting announcement due now: its link (or failure) is known.
pub(super) async fn release(tx: &mut Transaction<'static, Any>, booking_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET run_at = $1, updated_at = $1 \
         WHERE booking_id = $2 AND kind = $3 AND state = 'queued' AND run_at > $1",
    )
    .bind(now)
    .bind(booking_id)
    .bind(ANNOUNCE_JOB)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Services {
    /// Runs an announcement: the change's messages and deliveries, saying the link follows when
    /// it is still being made. One superseded by a later change sends nothing (that change has
    /// its own).
    pub(crate) async fn announce_with_meeting(&self, payload: &str) -> Result<(), JobFailure> {
        let job: AnnounceJob = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await.map_err(JobFailure::transient)?;
        let sequence: Option<i64> = sqlx::query_scalar("SELECT sequence FROM bookings WHERE id = $1")
            .bind(job.booking_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(JobFailure::transient)?;
        if sequence != Some(job.sequence) {
            tracing::info!(
                booking = job.booking_id,
                "announcement superseded by a later change; skipped"
            );
            return Ok(());
        }
        store::announce_without_link(&mut tx, job.booking_id)
            .await
            .map_err(JobFailure::transient)?;
        notify::announce(self, &mut tx, job.booking_id, job.change, now)
            .await
            .map_err(|e| JobFailure::transient(anyhow::anyhow!("{e}")))?;
        tx.commit().await.map_err(JobFailure::transient)?;
        self.jobs_enqueued();
        Ok(())
    }
}
