//! Bookings as the team sees them: filtered lists, one booking with its history, and cancelling
//! as a host or admin. Members see the bookings they host; admins see the whole team's.

use crate::accounts::Member;
use crate::manage::Managed;
use crate::{ServiceError, Services};

/// Which bookings to list. `None` means no restriction; times are UTC unix seconds.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    pub member_id: Option<i64>,
    pub event_type_slug: Option<String>,
    pub status: Option<BookingStatus>,
    /// Bookings starting at or after this instant.
    pub from: Option<i64>,
    /// Bookings starting before this instant.
    pub until: Option<i64>,
    /// Latest start first, for looking back (past and cancelled lists); otherwise soonest first.
    pub newest_first: bool,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingStatus {
    Confirmed,
    Cancelled,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BookingRecord {
    #[sqlx(skip)]
    pub hosts: Vec<(i64, String)>,
    pub id: i64,
    pub uid: String,
    /// `team/slug`.
    pub event_type: String,
    pub event_type_title: String,
    pub start_at: i64,
    pub end_at: i64,
    pub status: String,
    pub attendee_name: String,
    pub attendee_email: String,
    pub attendee_timezone: String,
    pub cancel_reason: Option<String>,
    pub created_at: i64,
    /// The answers to the event type's questions, as asked.
    #[sqlx(skip)]
    pub answers: Vec<domain::Answer>,
    #[sqlx(skip)]
    pub guests: Vec<String>,
    /// The video meeting made for it, when its event type makes one.
    #[sqlx(skip)]
    pub meeting: Option<crate::conferencing::BookingMeeting>,
}

/// One entry of a booking's history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BookingChange {
    pub kind: String,
    pub old_start: Option<i64>,
    pub old_end: Option<i64>,
    pub new_start: Option<i64>,
    pub new_end: Option<i64>,
    pub reason: Option<String>,
    pub changed_at: i64,
}

/// Sentinels instead of NULL parameters keep the SQL static and typed on both backends.
const ANY_MEMBER: i64 = -1;
const FAR_PAST: i64 = i64::MIN / 2;
const FAR_FUTURE: i64 = i64::MAX / 2;

macro_rules! select_booking {
    ($($rest:literal),+) => {
        concat!(
            "SELECT b.id, b.uid, t.slug || '/' || e.slug AS event_type, e.title AS event_type_title, b.start_at, ",
            "b.end_at, b.status, b.attendee_name, b.attendee_email, b.attendee_timezone, b.cancel_reason, ",
            "b.created_at FROM bookings b JOIN event_types e ON e.id = b.event_type_id ",
            "JOIN teams t ON t.id = e.team_id ",
            $($rest),+
        )
    };
}

/// The list query in its two orders; two static strings rather than a spliced `ORDER BY`.
macro_rules! list_bookings {
    ($order:literal) => {
        select_booking!(
            "WHERE e.team_id = $1 ",
            "AND ($2 = -1 OR EXISTS (SELECT 1 FROM booking_hosts h WHERE h.booking_id = b.id AND h.member_id = $2)) ",
            "AND ($3 = '' OR e.slug = $3) AND ($4 = '' OR b.status = $4) AND b.start_at >= $5 AND b.start_at < $6 ",
            "ORDER BY ",
            $order,
            " LIMIT $7 OFFSET $8"
        )
    };
}

const LIST_OLDEST_FIRST: &str = list_bookings!("b.start_at, b.id");
const LIST_NEWEST_FIRST: &str = list_bookings!("b.start_at DESC, b.id DESC");

impl Services {
    /// Bookings matching `filter`, by start time (see [`BookingFilter::newest_first`]). A member
    /// who is not admin sees only their own.
    pub async fn team_bookings(
        &self,
        actor: &Member,
        filter: &BookingFilter,
    ) -> Result<Vec<BookingRecord>, ServiceError> {
        let member = match filter.member_id {
            Some(id) => self.manageable_member(actor, id).await?.id,
            None if actor.role.is_admin() => ANY_MEMBER,
            None => actor.id,
        };
        let sql = if filter.newest_first {
            LIST_NEWEST_FIRST
        } else {
            LIST_OLDEST_FIRST
        };
        let mut records: Vec<BookingRecord> = sqlx::query_as(sql)
            .bind(actor.team_id)
            .bind(member)
            .bind(filter.event_type_slug.clone().unwrap_or_default())
            .bind(filter.status.map_or("", BookingStatus::as_str))
            .bind(filter.from.unwrap_or(FAR_PAST))
            .bind(filter.until.unwrap_or(FAR_FUTURE))
            .bind(i64::from(filter.limit))
            .bind(i64::from(filter.offset))
            .fetch_all(self.db().pool())
            .await?;
        for record in &mut records {
            self.complete(record).await?;
        }
        Ok(records)
    }

    /// One booking the actor hosts (or any of the team's, for an admin), with its history.
    pub async fn team_booking(
        &self,
        actor: &Member,
        uid: &str,
    ) -> Result<(BookingRecord, Vec<BookingChange>), ServiceError> {
        let mut record: BookingRecord = sqlx::query_as(select_booking!("WHERE b.uid = $1 AND e.team_id = $2"))
            .bind(uid)
            .bind(actor.team_id)
            .fetch_optional(self.db().pool())
            .await?
            .ok_or(ServiceError::NotFound)?;
        self.complete(&mut record).await?;
        if !actor.role.is_admin() && !record.hosts.iter().any(|(id, _)| *id == actor.id) {
            return Err(ServiceError::NotFound);
        }
        let history = sqlx::query_as(
            "SELECT kind, old_start, old_end, new_start, new_end, reason, changed_at FROM booking_changes \
             WHERE booking_id = $1 ORDER BY id",
        )
        .bind(record.id)
        .fetch_all(self.db().pool())
        .await?;
        Ok((record, history))
    }

    /// Adds what a booking row does not hold: hosts, answers, guests and the video meeting.
    async fn complete(&self, record: &mut BookingRecord) -> Result<(), ServiceError> {
        let pool = self.db().pool();
        record.hosts = self.booking_host_names(record.id).await?;
        record.answers = crate::questions::booking_answers(pool, record.id).await?;
        record.guests = crate::questions::booking_guests(pool, record.id).await?;
        record.meeting = crate::conferencing::load(pool, record.id).await?;
        Ok(())
    }

    /// Cancels a booking as one of its hosts or as an admin.
    pub async fn cancel_booking_as(&self, actor: &Member, uid: &str, reason: Option<&str>) -> Result<(), ServiceError> {
        let (record, _) = self.team_booking(actor, uid).await?;
        let mut tx = self.db().begin_write().await?;
        let booking: Managed =
            sqlx::query_as("SELECT id, event_type_id, start_at, end_at, status FROM bookings WHERE id = $1")
                .bind(record.id)
                .fetch_one(&mut *tx)
                .await?;
        self.cancel_in(tx, &booking, reason).await?;
        tracing::info!(uid, by = actor.id, "booking cancelled by the team");
        Ok(())
    }

    async fn booking_host_names(&self, booking_id: i64) -> Result<Vec<(i64, String)>, ServiceError> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.name FROM booking_hosts h JOIN members m ON m.id = h.member_id \
             WHERE h.booking_id = $1 ORDER BY m.id",
        )
        .bind(booking_id)
        .fetch_all(self.db().pool())
        .await?)
    }
}
