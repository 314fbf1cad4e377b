//! What happens to a booking when its host moves or deletes the event in their own calendar.
//!
//! Single-host and round-robin bookings follow the host (unless the member chose "only flag it
//! for me"): a move reschedules the booking, a deletion cancels it after a grace period
//! (`RENDEZVOUS_HOST_DELETE_GRACE_SECONDS`, default five minutes) that absorbs an undo or a move
//! to another calendar, and during which "Keep booking" writes the event back. A collective
//! booking is never moved or cancelled by one host: the change is only flagged on it. Either way
//! the attendee hears through the usual emails, and the booking's history says who did it.

use super::reconcile::BookedCopy;
use super::{Connection, Provider};
use crate::accounts::Member;
use crate::jobs::{self, JobFailure, NewJob};
use crate::manage::{Managed, booked_hosts, move_booking, record};
use crate::notify::{self, Change};
use crate::{ServiceError, Services};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

pub const HOST_CHANGE_JOB: &str = "calendar_host_deleted";

/// The attendee's cancellation reason when the host deleted the meeting.
pub const CANCELLED_BY_HOST: &str = "Cancelled by the host";

#[derive(Serialize, Deserialize)]
struct DeletionJob {
    booking_id: i64,
    member_id: i64,
    label: String,
}

/// How a booking answers its host's changes.
struct Answer {
    /// Several hosts: one host's calendar never moves or cancels it; the others are told.
    collective: bool,
    /// The booking follows the host (single host or round robin, and the member's choice).
    follows: bool,
}

async fn answer(services: &Services, copy: &BookedCopy) -> Result<Answer, ServiceError> {
    let (mode, policy): (String, String) = sqlx::query_as(
        "SELECT e.mode, m.calendar_changes FROM bookings b JOIN event_types e ON e.id = b.event_type_id \
         JOIN members m ON m.id = $2 WHERE b.id = $1",
    )
    .bind(copy.booking_id)
    .bind(copy.member_id)
    .fetch_one(services.db().pool())
    .await?;
    let collective = mode == "collective";
    Ok(Answer {
        collective,
        follows: !collective && policy == "apply",
    })
}

/// Tells a collective booking's other hosts what this one did, in `tx`.
async fn tell_co_hosts(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    copy: &BookedCopy,
    connection: &Connection,
    moved_to: Option<(i64, i64)>,
    now: i64,
) -> Result<(), ServiceError> {
    let by: String = sqlx::query_scalar("SELECT name FROM members WHERE id = $1")
        .bind(copy.member_id)
        .fetch_one(&mut **tx)
        .await?;
    let change = notify::CalendarChange {
        by,
        calendar: connection.provider.label().to_owned(),
        moved_to,
        at: now,
    };
    notify::tell_co_hosts(services, tx, copy.booking_id, copy.member_id, change, now).await?;
    Ok(())
}

/// Flags the host's copy: `deleted` or `moved` (to `span`), cancelling the booking at `acts_at`
/// when it follows the host.
async fn record_host_change(
    tx: &mut Transaction<'static, Any>,
    copy: &BookedCopy,
    (change, span, acts_at): (&str, Option<(i64, i64)>, Option<i64>),
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE booking_calendar_events SET host_change = $1, host_start = $2, host_end = $3, \
         host_change_at = $4, acts_at = $5, updated_at = $4 WHERE booking_id = $6 AND member_id = $7",
    )
    .bind(change)
    .bind(span.map(|s| s.0))
    .bind(span.map(|s| s.1))
    .bind(now)
    .bind(acts_at)
    .bind(copy.booking_id)
    .bind(copy.member_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The booking, if it is still confirmed.
async fn confirmed(tx: &mut Transaction<'static, Any>, booking_id: i64) -> Result<Option<Managed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, event_type_id, start_at, end_at, status FROM bookings WHERE id = $1 AND status = 'confirmed'",
    )
    .bind(booking_id)
    .fetch_optional(&mut **tx)
    .await
}

impl Services {
    pub(super) async fn host_deleted(&self, connection: &Connection, copy: &BookedCopy) -> Result<(), ServiceError> {
        let now = self.clock().now();
        let answer = answer(self, copy).await?;
        let follows = answer.follows;
        let acts_at = follows.then(|| now + self.config().calendars.sync.delete_grace_secs);
        let mut tx = self.db().begin_write().await?;
        if answer.collective {
            tell_co_hosts(self, &mut tx, copy, connection, None, now).await?;
        }
        record_host_change(&mut tx, copy, ("deleted", None, acts_at), now).await?;
        if let Some(acts_at) = acts_at {
            let payload = DeletionJob {
                booking_id: copy.booking_id,
                member_id: copy.member_id,
                label: format!("Cancel booking {} deleted in {}", copy.uid, connection.provider.label()),
            };
            let job = NewJob {
                kind: HOST_CHANGE_JOB,
                payload: serde_json::to_value(&payload).map_err(ServiceError::internal)?,
                dedupe_key: format!("hostdeleted:{}:{}:{now}", copy.uid, copy.member_id),
                booking_id: Some(copy.booking_id),
                run_at: acts_at,
            };
            jobs::enqueue(&mut tx, &job, now).await?;
        }
        tx.commit().await?;
        tracing::info!(
            booking = copy.uid,
            member = copy.member_id,
            follows,
            "host deleted the booked event"
        );
        Ok(())
    }

    pub(super) async fn host_moved(
        &self,
        connection: &Connection,
        copy: &BookedCopy,
        (start, end): (i64, i64),
    ) -> Result<(), ServiceError> {
        let now = self.clock().now();
        let answer = answer(self, copy).await?;
        if answer.follows && start > now && end > start {
            return self
                .move_as_host(copy.booking_id, copy.member_id, connection.provider, (start, end))
                .await;
        }
        let mut tx = self.db().begin_write().await?;
        record_host_change(&mut tx, copy, ("moved", Some((start, end)), None), now).await?;
        if answer.collective {
            tell_co_hosts(self, &mut tx, copy, connection, Some((start, end)), now).await?;
        }
        tx.commit().await?;
        self.jobs_enqueued();
        tracing::info!(
            booking = copy.uid,
            member = copy.member_id,
            "host moved the booked event: flagged"
        );
        Ok(())
    }

    /// Moves the booking where the host put its event: new times (buffers as the event type
    /// says), a new sequence, history "moved in … by the host", and the usual rescheduled emails
    /// with the updated invitation; reminders follow.
    async fn move_as_host(
        &self,
        booking_id: i64,
        member_id: i64,
        provider: Provider,
        (start, end): (i64, i64),
    ) -> Result<(), ServiceError> {
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let booking = confirmed(&mut tx, booking_id).await?;
        let Some(booking) = booking else { return Ok(()) };
        let buffers: (i64, i64) =
            sqlx::query_as("SELECT buffer_before_minutes, buffer_after_minutes FROM event_types WHERE id = $1")
                .bind(booking.event_type_id)
                .fetch_one(&mut *tx)
                .await?;
        move_booking(&mut tx, booking_id, (start, end), buffers, now).await?;
        let reason = format!("Moved in {} by the host", provider.label());
        let (old, new) = ((Some(booking.start_at), Some(booking.end_at)), (Some(start), Some(end)));
        record(&mut tx, booking_id, "rescheduled", old, new, Some(&reason), now).await?;
        let hosts = booked_hosts(&mut tx, booking_id).await?;
        let change = Change::Rescheduled {
            previous_start: booking.start_at,
            previous_hosts: hosts.iter().map(|h| h.0).collect(),
        };
        notify::booking_changed(self, &mut tx, booking_id, change, now).await?;
        sqlx::query(
            "UPDATE booking_calendar_events SET host_change = NULL, host_start = NULL, host_end = NULL, acts_at = NULL, \
             last_moved_at = $1 WHERE booking_id = $2 AND member_id = $3",
        )
        .bind(now)
        .bind(booking_id)
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        self.commit_booking_change(tx).await?;
        tracing::info!(
            booking = booking_id,
            member = member_id,
            "booking moved by its host in their calendar"
        );
        Ok(())
    }

    /// The grace period of a deletion is over: cancel, unless the host undid it, moved the event
    /// to a followed calendar, or someone chose Keep booking meanwhile.
    pub(crate) async fn cancel_deleted_booking(&self, payload: &str) -> Result<(), JobFailure> {
        let job: DeletionJob = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        self.cancel_if_still_deleted(job.booking_id, job.member_id)
            .await
            .map_err(JobFailure::transient)
    }

    async fn cancel_if_still_deleted(&self, booking_id: i64, member_id: i64) -> Result<(), ServiceError> {
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let due: Option<(i64,)> = sqlx::query_as(
            "SELECT acts_at FROM booking_calendar_events WHERE booking_id = $1 AND member_id = $2 \
             AND host_change = 'deleted' AND acts_at <= $3",
        )
        .bind(booking_id)
        .bind(member_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let booking = confirmed(&mut tx, booking_id).await?;
        let (Some(_), Some(booking)) = (due, booking) else {
            return Ok(());
        };
        // The event is gone already: nothing to delete, and the page keeps saying who deleted it.
        sqlx::query(
            "UPDATE booking_calendar_events SET state = 'removed', acts_at = NULL, updated_at = $1 \
             WHERE booking_id = $2 AND member_id = $3",
        )
        .bind(now)
        .bind(booking_id)
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        self.cancel_in(tx, &booking, Some(CANCELLED_BY_HOST)).await?;
        tracing::info!(
            booking = booking_id,
            member = member_id,
            "booking cancelled: its host deleted the event"
        );
        Ok(())
    }

    /// "Keep booking": the booking stays as it is and its event is written back to the host's
    /// calendar (at the booking's time, undoing a flagged move too).
    pub async fn keep_calendar_copy(&self, actor: &Member, uid: &str, member_id: i64) -> Result<(), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let booking_id: i64 = sqlx::query_scalar(
            "SELECT b.id FROM bookings b JOIN booking_calendar_events c ON c.booking_id = b.id \
             WHERE b.uid = $1 AND c.member_id = $2 AND c.host_change IS NOT NULL AND b.status = 'confirmed'",
        )
        .bind(uid)
        .bind(member.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
        sqlx::query(
            "UPDATE booking_calendar_events SET host_change = NULL, host_start = NULL, host_end = NULL, acts_at = NULL, \
             state = 'pending', updated_at = $1 WHERE booking_id = $2 AND member_id = $3",
        )
        .bind(now)
        .bind(booking_id)
        .bind(member.id)
        .execute(&mut *tx)
        .await?;
        super::events::rewrite(&mut tx, booking_id, member.id, now).await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Applies a flagged move: the booking goes where the host put the event.
    pub async fn apply_calendar_move(&self, actor: &Member, uid: &str, member_id: i64) -> Result<(), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT b.id, c.provider, c.host_start, c.host_end FROM bookings b \
             JOIN booking_calendar_events c ON c.booking_id = b.id WHERE b.uid = $1 AND c.member_id = $2 \
             AND c.host_change = 'moved' AND b.status = 'confirmed'",
        )
        .bind(uid)
        .bind(member.id)
        .fetch_optional(self.db().pool())
        .await?;
        let (booking_id, provider, start, end) = row.ok_or(ServiceError::NotFound)?;
        let provider = Provider::parse(&provider).ok_or(ServiceError::NotFound)?;
        if start <= self.clock().now() {
            return Err(ServiceError::Conflict("That time has passed.".into()));
        }
        self.move_as_host(booking_id, member.id, provider, (start, end)).await
    }
}

/// "When I move or delete a booked meeting in my calendar".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostChanges {
    /// Update the booking and tell the attendee (the default).
    Apply,
    /// Only flag it on the booking for me to decide.
    Flag,
}

impl HostChanges {
    fn column(self) -> &'static str {
        match self {
            Self::Apply => "apply",
            Self::Flag => "flag",
        }
    }
}

impl Services {
    pub async fn host_changes(&self, actor: &Member, member_id: i64) -> Result<HostChanges, ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let choice: String = sqlx::query_scalar("SELECT calendar_changes FROM members WHERE id = $1")
            .bind(member.id)
            .fetch_one(self.db().pool())
            .await?;
        Ok(if choice == "flag" {
            HostChanges::Flag
        } else {
            HostChanges::Apply
        })
    }

    pub async fn set_host_changes(
        &self,
        actor: &Member,
        member_id: i64,
        choice: HostChanges,
    ) -> Result<(), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        sqlx::query("UPDATE members SET calendar_changes = $1 WHERE id = $2")
            .bind(choice.column())
            .bind(member.id)
            .execute(self.db().pool())
            .await?;
        Ok(())
    }
}
