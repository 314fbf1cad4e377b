//! Asking again about a meeting the provider is still making, until it is made or refused.

use super::{Meeting, MeetingState, store};
use crate::jobs::{self, JobFailure, NewJob};
use crate::{ServiceError, Services};
use serde::{Deserialize, Serialize};

pub const POLL_JOB: &str = "conference_poll";
/// How long between questions: Google makes a Meet conference within seconds.
const POLL_EVERY_SECS: i64 = 5;
/// After this long a meeting still pending counts as refused, so the messages stop saying the
/// link follows and the host is told to send one.
const GIVE_UP_AFTER_SECS: i64 = 10 * 60;

#[derive(Debug, Serialize, Deserialize)]
struct PollJob {
    booking_id: i64,
    member_id: i64,
    label: String,
}

/// Queues the first question about `member_id`'s pending meeting on the booking.
pub(crate) async fn enqueue(
    services: &Services,
    booking_id: i64,
    member_id: i64,
    event_id: &str,
) -> Result<(), ServiceError> {
    let now = services.clock().now();
    let job = PollJob {
        booking_id,
        member_id,
        label: format!("Video meeting of calendar event {event_id}"),
    };
    let new = NewJob {
        kind: POLL_JOB,
        payload: serde_json::to_value(&job).unwrap_or_default(),
        dedupe_key: format!("conference_poll:{booking_id}:{member_id}:{event_id}"),
        booking_id: Some(booking_id),
        run_at: now + POLL_EVERY_SECS,
    };
    let mut tx = services.db().begin_write().await?;
    jobs::enqueue(&mut tx, &new, now).await?;
    tx.commit().await?;
    services.jobs_enqueued();
    Ok(())
}

impl Services {
    /// One question; a meeting still pending fails the job so the queue asks again later.
    pub(crate) async fn poll_meeting(&self, payload: &str) -> Result<(), JobFailure> {
        let job: PollJob = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        let pool = self.db().pool();
        let current = store::load(pool, job.booking_id).await.map_err(JobFailure::transient)?;
        let Some(current) = current.filter(|m| m.member_id == job.member_id && m.state == MeetingState::Pending) else {
            return Ok(()); // settled, or a later host holds the meeting now
        };
        let meeting = match self.meeting_of_copy(job.booking_id, job.member_id).await? {
            Some(Meeting::Pending) | None if self.clock().now() - current.since < GIVE_UP_AFTER_SECS => {
                return Err(JobFailure {
                    error: anyhow::anyhow!("the video meeting is still being made"),
                    permanent: false,
                    retry_after: Some(POLL_EVERY_SECS),
                });
            }
            Some(Meeting::Pending) | None => Meeting::Failed("the provider never finished making the meeting".into()),
            Some(answer) => answer,
        };
        super::record(self, job.booking_id, job.member_id, &meeting)
            .await
            .map_err(|e| JobFailure::transient(anyhow::anyhow!("{e}")))
    }
}
