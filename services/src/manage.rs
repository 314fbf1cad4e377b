//! What attendees do from the links in their emails: cancel, or move the booking to another free
//! time. Both are authorized by the booking's manage token alone and stop working once cancelled.

use crate::booking_record::{self, BookingRecord, HostRecord};
use crate::bookings::{Around, Booked, compute, host_loads, hosts_around, lock_hosts};
use crate::notify::{self, Change};
use crate::{ServiceError, Services, tokens};
use engine::HostId;
use sqlx::{Any, Transaction};

#[derive(sqlx::FromRow)]
pub(crate) struct Managed {
    pub(crate) id: i64,
    pub(crate) event_type_id: i64,
    pub(crate) start_at: i64,
    pub(crate) end_at: i64,
    pub(crate) status: String,
}

impl Services {
    pub async fn cancel_booking(&self, uid: &str, token: &str, reason: Option<&str>) -> Result<(), ServiceError> {
        let mut tx = self.db().begin_write().await?;
        let booking = managed(&mut *tx, uid, token).await?;
        if booking.status != "confirmed" {
            return Err(already_cancelled());
        }
        ensure_changeable(&mut *tx, &booking, self.clock().now()).await?;
        self.cancel_in(tx, &booking, reason).await?;
        tracing::info!(uid, "booking cancelled by the attendee");
        Ok(())
    }

    /// Cancels a booking found (and authorized) inside `tx`, and commits.
    pub(crate) async fn cancel_in(
        &self,
        mut tx: Transaction<'static, Any>,
        booking: &Managed,
        reason: Option<&str>,
    ) -> Result<(), ServiceError> {
        mark_cancelled(self, &mut tx, booking, reason, self.clock().now()).await?;
        self.commit_booking_change(tx).await
    }

    /// Commits a change of bookings and lets the slot cache and the worker know (the change
    /// enqueued its emails and calendar writes).
    pub(crate) async fn commit_booking_change(&self, tx: Transaction<'static, Any>) -> Result<(), ServiceError> {
        tx.commit().await?;
        self.bookings_changed();
        self.jobs_enqueued();
        Ok(())
    }

    /// Moves a booking to `start` in one transaction: the old time is released and the new one
    /// taken together, or nothing changes.
    pub async fn reschedule_booking(&self, uid: &str, token: &str, start: i64) -> Result<Booked, ServiceError> {
        let peek = managed(self.db().pool(), uid, token).await?;
        let event_type = self.event_type_by_id(peek.event_type_id).await?;
        if !event_type.active {
            // Deactivated or deleted: its times are offered to nobody, a reschedule included.
            return Err(ServiceError::Conflict(NO_LONGER_OFFERED.into()));
        }
        let (members, availabilities) = self.hosts_and_availabilities(&event_type).await?;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        lock_hosts(&mut tx, self.db().backend(), &members).await?;
        let booking = managed(&mut *tx, uid, token).await?;
        if booking.status != "confirmed" {
            return Err(already_cancelled());
        }
        ensure_changeable(&mut *tx, &booking, now).await?;
        let around = Around::new(event_type.id, &event_type.rules()?, start);
        let hosts = hosts_around(self, &mut tx, &members, availabilities, around, Some(booking.id)).await?;
        let request = engine::Request {
            now,
            from: start,
            until: start + 1,
        };
        let slot = compute(&event_type, &hosts, &request)?
            .into_iter()
            .find(|s| s.start == start)
            .ok_or(ServiceError::SlotUnavailable)?;
        let current = booked_hosts(&mut tx, booking.id).await?;
        let chosen = if current.iter().all(|h| slot.hosts.contains(h)) {
            current.clone()
        } else if event_type.mode()? == crate::event_types::Mode::RoundRobin {
            let loads = host_loads(&mut tx, event_type.id, &slot.hosts, now).await?;
            engine::pick_round_robin_host(&slot.hosts, &loads).into_iter().collect()
        } else {
            return Err(ServiceError::SlotUnavailable);
        };
        let buffers = (event_type.buffer_before_minutes, event_type.buffer_after_minutes);
        move_booking(&mut tx, booking.id, (slot.start, slot.end), buffers, now).await?;
        if chosen != current {
            sqlx::query("DELETE FROM booking_hosts WHERE booking_id = $1")
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
            for host in &chosen {
                sqlx::query("INSERT INTO booking_hosts (booking_id, member_id) VALUES ($1, $2)")
                    .bind(booking.id)
                    .bind(host.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let (old, new) = (
            (Some(booking.start_at), Some(booking.end_at)),
            (Some(slot.start), Some(slot.end)),
        );
        record(&mut tx, booking.id, "rescheduled", old, new, None, now).await?;
        let change = Change::Rescheduled {
            previous_start: booking.start_at,
            previous_hosts: current.iter().map(|h| h.0).collect(),
        };
        notify::booking_changed(self, &mut tx, booking.id, change, now).await?;
        self.commit_booking_change(tx).await?;
        tracing::info!(uid, "booking rescheduled");
        let hosts = chosen
            .iter()
            .filter_map(|id| members.iter().find(|m| m.id == id.0).map(|m| (m.id, m.name.clone())))
            .collect();
        Ok(Booked {
            uid: uid.to_owned(),
            start: slot.start,
            end: slot.end,
            hosts,
            manage_token: token.to_owned(),
        })
    }
}

/// Why a booking of an event type that is no longer offered cannot move; it can still be cancelled.
pub const NO_LONGER_OFFERED: &str =
    "This event is no longer offered, so the booking cannot be moved online. Please contact your host.";

/// A booking as its attendee sees it from the links in their emails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeBooking {
    pub record: BookingRecord,
    /// Its hosts still on the team, organizer first.
    pub hosts: Vec<HostRecord>,
    /// Whether the change notice still allows rescheduling or cancelling online.
    pub changeable: bool,
    /// Whether it may also move: changeable, and its event type still offered.
    pub movable: bool,
}

impl Services {
    /// The booking behind a manage link; `Gone` once cancelled, since its links stop working.
    pub async fn attendee_booking(&self, uid: &str, token: &str) -> Result<AttendeeBooking, ServiceError> {
        let pool = self.db().pool();
        let mut record = booking_record::by_manage_token(pool, uid, &tokens::digest(token))
            .await?
            .ok_or(ServiceError::NotFound)?;
        record.meeting = crate::conferencing::load(pool, record.id).await?;
        if record.cancelled() {
            return Err(already_cancelled());
        }
        let hosts = booking_record::hosts(pool, record.id).await?;
        let changeable = self.clock().now() <= record.changes_until();
        let offered = self.event_type_by_id(record.event_type_id).await?.active;
        Ok(AttendeeBooking {
            changeable,
            movable: changeable && offered,
            record,
            hosts,
        })
    }
}

/// What a reply about a booking needs besides its times.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BookingContext {
    /// `team/slug` of its event type.
    pub event_type: String,
    pub attendee_timezone: String,
    /// The attendee's language tag.
    pub language: String,
}

impl Services {
    pub async fn booking_context(&self, uid: &str) -> Result<BookingContext, ServiceError> {
        sqlx::query_as(
            "SELECT t.slug || '/' || e.slug AS event_type, b.attendee_timezone, b.language FROM bookings b \
             JOIN event_types e ON e.id = b.event_type_id JOIN teams t ON t.id = e.team_id WHERE b.uid = $1",
        )
        .bind(uid)
        .fetch_optional(self.db().pool())
        .await?
        .ok_or(ServiceError::NotFound)
    }
}

/// Cancels a confirmed booking inside `tx`, records why and enqueues the cancellation emails;
/// the caller commits and wakes the worker.
pub(crate) async fn mark_cancelled(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    booking: &Managed,
    reason: Option<&str>,
    now: i64,
) -> Result<(), ServiceError> {
    let updated = sqlx::query(
        "UPDATE bookings SET status = 'cancelled', cancel_reason = $1, sequence = sequence + 1, updated_at = $2 \
         WHERE id = $3 AND status = 'confirmed'",
    )
    .bind(reason)
    .bind(now)
    .bind(booking.id)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(already_cancelled());
    }
    let old = (Some(booking.start_at), Some(booking.end_at));
    record(tx, booking.id, "cancelled", old, (None, None), reason, now).await?;
    notify::booking_changed(services, tx, booking.id, Change::Cancelled, now).await?;
    Ok(())
}

/// Attendees may change a booking from its links until the event type's change notice before
/// the start (and never once it has started).
async fn ensure_changeable<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    booking: &Managed,
    now: i64,
) -> Result<(), ServiceError> {
    let notice: i64 = sqlx::query_scalar("SELECT change_notice_minutes FROM event_types WHERE id = $1")
        .bind(booking.event_type_id)
        .fetch_one(executor)
        .await?;
    if now > booking.start_at - notice * 60 {
        return Err(ServiceError::Conflict(too_late_message(notice)));
    }
    Ok(())
}

/// "Changes are possible online until 2 hours before the start. Please contact your host."
pub fn too_late_message(notice_minutes: i64) -> String {
    let until = match notice_minutes {
        0 => "the start".to_owned(),
        m if m % 1440 == 0 => plural(m / 1440, "day") + " before the start",
        m if m % 60 == 0 => plural(m / 60, "hour") + " before the start",
        m => plural(m, "minute") + " before the start",
    };
    format!("Changes are possible online until {until}. Please contact your host.")
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn already_cancelled() -> ServiceError {
    ServiceError::Gone("This booking was cancelled; its links no longer work.".into())
}

const MANAGED: &str =
    "SELECT id, event_type_id, start_at, end_at, status FROM bookings WHERE uid = $1 AND manage_token_hash = $2";

/// The booking for a uid and its manage token; an unknown uid and a wrong token look the same.
async fn managed<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    uid: &str,
    token: &str,
) -> Result<Managed, ServiceError> {
    sqlx::query_as(MANAGED)
        .bind(uid)
        .bind(tokens::digest(token))
        .fetch_optional(executor)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Gives the booking new times, blocking them widened by the event type's buffers (in minutes),
/// under a new sequence; the caller records and announces the change.
pub(crate) async fn move_booking(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    (start, end): (i64, i64),
    (before, after): (i64, i64),
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE bookings SET start_at = $1, end_at = $2, blocked_from = $3, blocked_until = $4, \
         sequence = sequence + 1, updated_at = $5 WHERE id = $6",
    )
    .bind(start)
    .bind(end)
    .bind(start - before * 60)
    .bind(end + after * 60)
    .bind(now)
    .bind(booking_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn booked_hosts(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
) -> Result<Vec<HostId>, sqlx::Error> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT member_id FROM booking_hosts WHERE booking_id = $1 ORDER BY member_id")
            .bind(booking_id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(ids.into_iter().map(HostId).collect())
}

pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    kind: &str,
    (old_start, old_end): (Option<i64>, Option<i64>),
    (new_start, new_end): (Option<i64>, Option<i64>),
    reason: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO booking_changes (booking_id, kind, old_start, old_end, new_start, new_end, reason, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(booking_id)
    .bind(kind)
    .bind(old_start)
    .bind(old_end)
    .bind(new_start)
    .bind(new_end)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
