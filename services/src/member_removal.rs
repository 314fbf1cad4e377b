//! Removing a member from the team. Their row stays (past bookings name their hosts) but their
//! access ends at once, and each of their upcoming bookings either moves to another free host of
//! a round-robin event type or is cancelled. The dashboard shows the same plan before the admin
//! confirms: the preview runs the removal in a transaction and rolls it back, so it cannot
//! disagree with what confirming does (short of bookings changing in between).

use crate::accounts::{Member, lock_team_as_admin, require_admin};
use crate::bookings::{Around, host_loads, hosts_around};
use crate::event_types::Mode;
use crate::manage::{Managed, mark_cancelled, record};
use crate::{ServiceError, Services};
use engine::{BookingWindow, Minutes, Request, Rules};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// What happens to one upcoming booking of the removed member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Moved to this member (round-robin event types with another free host).
    Reassigned { to: String },
    /// Cancelled, with [`CANCEL_REASON`] shown to the attendee.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedBooking {
    pub uid: String,
    pub event_type_title: String,
    pub start: i64,
    pub end: i64,
    pub attendee_name: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub member_name: String,
    /// Upcoming bookings, earliest first.
    pub bookings: Vec<AffectedBooking>,
}

/// Told to attendees whose booking could not move to another host.
pub const CANCEL_REASON: &str = "Your host is no longer available. Please book another time.";

#[derive(sqlx::FromRow)]
struct Upcoming {
    #[sqlx(flatten)]
    booking: Managed,
    uid: String,
    blocked_from: i64,
    blocked_until: i64,
    attendee_name: String,
}

impl Services {
    /// What removing `member_id` would do, without doing it.
    pub async fn preview_removal(&self, actor: &Member, member_id: i64) -> Result<Removal, ServiceError> {
        self.run_removal(actor, member_id, false).await
    }

    /// Removes `member_id` from the team. Admins only, and never themself.
    pub async fn remove_member(&self, actor: &Member, member_id: i64) -> Result<Removal, ServiceError> {
        let removal = self.run_removal(actor, member_id, true).await?;
        tracing::info!(
            member_id,
            by = actor.id,
            bookings = removal.bookings.len(),
            "member removed"
        );
        Ok(removal)
    }

    async fn run_removal(&self, actor: &Member, member_id: i64, commit: bool) -> Result<Removal, ServiceError> {
        require_admin(actor)?;
        let member = self.manageable_member(actor, member_id).await?;
        if member.id == actor.id {
            return Err(ServiceError::Conflict(
                "You cannot remove yourself. Ask another admin to do it.".into(),
            ));
        }
        let mut team = self.members(actor).await?;
        // The team is locked in ascending id order, as bookings lock hosts, or the two can deadlock.
        team.sort_by_key(|m| m.id);
        let mut availabilities = HashMap::with_capacity(team.len());
        for someone in team.iter().filter(|m| m.id != member.id) {
            availabilities.insert(someone.id, self.availability(someone).await?);
        }
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        lock_team_as_admin(&mut tx, self.db().backend(), &team, actor).await?;
        end_access(&mut tx, &member, now).await?;
        let mut affected = Vec::new();
        for upcoming in upcoming_bookings(&mut tx, member.id, now).await? {
            let event_type = self.event_type_by_id(upcoming.booking.event_type_id).await?;
            let successor = match event_type.mode()? {
                Mode::RoundRobin => {
                    let limit = event_type.daily_limit;
                    successor(self, &mut tx, &team, &availabilities, &upcoming, limit, now).await?
                }
                Mode::Single | Mode::Collective => None,
            };
            let outcome = match successor {
                Some(to) => {
                    reassign(self, &mut tx, &upcoming, &member, to, now).await?;
                    Outcome::Reassigned { to: to.name.clone() }
                }
                None => {
                    mark_cancelled(self, &mut tx, &upcoming.booking, Some(CANCEL_REASON), now).await?;
                    Outcome::Cancelled
                }
            };
            affected.push(AffectedBooking {
                uid: upcoming.uid,
                event_type_title: event_type.title,
                start: upcoming.booking.start_at,
                end: upcoming.booking.end_at,
                attendee_name: upcoming.attendee_name,
                outcome,
            });
        }
        if commit {
            self.commit_booking_change(tx).await?;
            self.availability_changed();
        } else {
            tx.rollback().await?;
        }
        Ok(Removal {
            member_name: member.name,
            bookings: affected,
        })
    }
}

/// Signs the member out everywhere, revokes their API keys, takes them off every event type and
/// frees their email address.
async fn end_access(tx: &mut Transaction<'static, Any>, member: &Member, now: i64) -> Result<(), ServiceError> {
    let updated = sqlx::query(
        "UPDATE members SET removed_at = $1, accepts_bookings = 0, email = $2 WHERE id = $3 AND removed_at IS NULL",
    )
    .bind(now)
    .bind(format!("removed-{}-{}", member.id, member.email))
    .bind(member.id)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(ServiceError::NotFound);
    }
    for statement in [
        "DELETE FROM sessions WHERE member_id = $1",
        "DELETE FROM event_type_hosts WHERE member_id = $1",
        "UPDATE api_keys SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL",
    ] {
        sqlx::query(statement)
            .bind(member.id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn upcoming_bookings(
    tx: &mut Transaction<'static, Any>,
    member_id: i64,
    now: i64,
) -> Result<Vec<Upcoming>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id, b.event_type_id, b.start_at, b.end_at, b.status, b.uid, b.blocked_from, b.blocked_until, \
         b.attendee_name FROM bookings b JOIN booking_hosts h ON h.booking_id = b.id \
         WHERE h.member_id = $1 AND b.status = 'confirmed' AND b.start_at > $2 ORDER BY b.start_at, b.id",
    )
    .bind(member_id)
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}

/// The remaining host of the booking's event type who is free for exactly its time (with its own
/// buffers and the event type's daily limit), chosen as round robin would. Notice and booking
/// window do not apply: the attendee booked long ago.
async fn successor<'t>(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    team: &'t [Member],
    availabilities: &HashMap<i64, engine::Availability>,
    upcoming: &Upcoming,
    daily_limit: Option<i64>,
    now: i64,
) -> Result<Option<&'t Member>, ServiceError> {
    let booking = &upcoming.booking;
    let host_ids: Vec<i64> =
        sqlx::query_scalar("SELECT member_id FROM event_type_hosts WHERE event_type_id = $1 ORDER BY member_id")
            .bind(booking.event_type_id)
            .fetch_all(&mut **tx)
            .await?;
    let (candidates, known): (Vec<Member>, Vec<engine::Availability>) = team
        .iter()
        .filter(|m| m.accepts_bookings && host_ids.contains(&m.id))
        .filter_map(|m| Some((m.clone(), availabilities.get(&m.id)?.clone())))
        .unzip();
    let rules = exact_rules(upcoming, daily_limit)?;
    let around = Around::new(booking.event_type_id, &rules, booking.start_at);
    let hosts = hosts_around(services, tx, &candidates, known, around, None).await?;
    let request = Request {
        now,
        from: booking.start_at,
        until: booking.start_at + 1,
    };
    let Some(slot) = engine::round_robin_slots(&hosts, &rules, &request).into_iter().next() else {
        return Ok(None);
    };
    let loads = host_loads(tx, booking.event_type_id, &slot.hosts, now).await?;
    let chosen = engine::pick_round_robin_host(&slot.hosts, &loads);
    Ok(chosen.and_then(|id| team.iter().find(|m| m.id == id.0)))
}

/// Rules that offer exactly the booking's own time: its length and buffers, a one-minute grid so
/// any host's working hours line up with it, and no notice or window.
fn exact_rules(upcoming: &Upcoming, daily_limit: Option<i64>) -> Result<Rules, ServiceError> {
    let booking = &upcoming.booking;
    let minutes = |secs: i64| Minutes(u32::try_from(secs / 60).unwrap_or(0));
    let broken = |e: engine::RangeError| ServiceError::internal(anyhow::anyhow!("booking {}: {e}", booking.id));
    let mut rules = Rules::new(minutes(booking.end_at - booking.start_at))
        .and_then(|r| r.with_interval(Minutes(1)))
        .map_err(broken)?;
    rules.buffer_before = minutes(booking.start_at - upcoming.blocked_from);
    rules.buffer_after = minutes(upcoming.blocked_until - booking.end_at);
    rules.window = BookingWindow::Unlimited;
    rules.daily_limit = daily_limit.and_then(|l| u32::try_from(l).ok());
    Ok(rules)
}

async fn reassign(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    upcoming: &Upcoming,
    from: &Member,
    to: &Member,
    now: i64,
) -> Result<(), ServiceError> {
    let booking = &upcoming.booking;
    sqlx::query("UPDATE booking_hosts SET member_id = $1 WHERE booking_id = $2 AND member_id = $3")
        .bind(to.id)
        .bind(booking.id)
        .bind(from.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE bookings SET sequence = sequence + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(booking.id)
        .execute(&mut **tx)
        .await?;
    let times = (Some(booking.start_at), Some(booking.end_at));
    let reason = format!("{} was removed from the team; {} hosts it now", from.name, to.name);
    record(tx, booking.id, "reassigned", times, times, Some(&reason), now).await?;
    let change = crate::notify::Change::HostChanged {
        previous_hosts: vec![from.id],
    };
    crate::notify::booking_changed(services, tx, booking.id, change, now).await?;
    Ok(())
}
