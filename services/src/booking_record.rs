//! Everything one booking's messages and calendar file say about it, read in two queries.

use sqlx::Any;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BookingRecord {
    pub id: i64,
    pub uid: String,
    pub sequence: i64,
    pub start_at: i64,
    pub end_at: i64,
    pub status: String,
    pub cancel_reason: Option<String>,
    pub attendee_name: String,
    pub attendee_email: String,
    pub attendee_timezone: String,
    /// The attendee's language tag (see [`Self::language`]).
    pub language: String,
    pub manage_token_sealed: Option<String>,
    pub title: String,
    pub location_kind: String,
    pub location_detail: String,
    pub team_name: String,
    pub team_slug: String,
    pub event_slug: String,
    pub event_type_id: i64,
    pub change_notice_minutes: i64,
    /// The answers to the event type's questions, as asked; loaded for emails and calendar events.
    #[sqlx(skip)]
    pub answers: Vec<domain::Answer>,
    /// The guests the attendee added; loaded with the answers.
    #[sqlx(skip)]
    pub guests: Vec<String>,
    /// The video meeting made for this booking, when its event type makes one; loaded with the
    /// answers.
    #[sqlx(skip)]
    pub meeting: Option<crate::conferencing::BookingMeeting>,
    /// How many of those the booking has, read with it.
    #[sqlx(flatten)]
    pub(crate) parts: Parts,
}

/// How many answers, guests and video meetings a booking has, counted in the query that reads
/// it: a job then loads only the parts there are (most bookings have no guests and no meeting,
/// and each load is a round trip of its own).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct Parts {
    answer_count: i64,
    guest_count: i64,
    meeting_count: i64,
}

/// A member on the booking who is still on the team (removed members keep their rows for
/// history, but nobody writes to them); the booking's organizer is the first by id.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HostRecord {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub timezone: String,
}

impl HostRecord {
    /// The record of a member the caller has just read.
    pub(crate) fn of(member: &crate::accounts::Member) -> Self {
        Self {
            id: member.id,
            name: member.name.clone(),
            email: member.email.clone(),
            timezone: member.timezone.clone(),
        }
    }
}

impl BookingRecord {
    pub fn cancelled(&self) -> bool {
        self.status == "cancelled"
    }

    /// The meeting place as attendees read it.
    pub fn location(&self) -> String {
        crate::event_types::location_label(&self.location_kind, &self.location_detail)
    }

    /// The language the attendee booked in; their emails (and their guests') are in it.
    pub fn language(&self) -> i18n::Lang {
        i18n::Lang::from_code(&self.language).unwrap_or_default()
    }

    /// [`Self::location`] in `lang`.
    pub fn location_in(&self, lang: i18n::Lang) -> String {
        crate::event_types::location_label_in(lang, &self.location_kind, &self.location_detail)
    }

    /// The last instant attendees may still change the booking from their links.
    pub fn changes_until(&self) -> i64 {
        self.start_at - self.change_notice_minutes * 60
    }

    /// Where to meet, with the meeting link when there is one ("Video call: https://…"): what
    /// the attendee needs, unlike [`Self::location`], which only names the kind.
    pub fn place(&self) -> String {
        self.place_in(i18n::Lang::ENGLISH)
    }

    /// [`Self::place`] in `lang`.
    pub fn place_in(&self, lang: i18n::Lang) -> String {
        match self.meeting_url() {
            Some(url) if self.location_kind != "custom" => format!("{}: {url}", self.location_in(lang)),
            _ => self.location_in(lang),
        }
    }

    /// The meeting link, when the location is one: the booking's own meeting once it is ready,
    /// else the event type's fixed link.
    pub fn meeting_url(&self) -> Option<&str> {
        match &self.meeting {
            Some(meeting) => meeting.join_url.as_deref(),
            None => crate::event_types::fixed_meeting_url(&self.location_detail),
        }
    }
}

macro_rules! select_record {
    ($where:literal) => {
        concat!(
            "SELECT b.id, b.uid, b.sequence, b.start_at, b.end_at, b.status, b.cancel_reason, b.attendee_name, ",
            "b.attendee_email, b.attendee_timezone, b.language, b.manage_token_sealed, e.title, ",
            "COALESCE(e.conferencing, e.location_kind) AS location_kind, ",
            "e.location_detail, t.name AS team_name, t.slug AS team_slug, e.slug AS event_slug, e.id AS event_type_id, ",
            "e.change_notice_minutes, ",
            "(SELECT COUNT(*) FROM booking_answers x WHERE x.booking_id = b.id) AS answer_count, ",
            "(SELECT COUNT(*) FROM booking_guests x WHERE x.booking_id = b.id) AS guest_count, ",
            "(SELECT COUNT(*) FROM booking_conferences x WHERE x.booking_id = b.id) AS meeting_count ",
            "FROM bookings b ",
            "JOIN event_types e ON e.id = b.event_type_id JOIN teams t ON t.id = e.team_id ",
            $where
        )
    };
}

pub(crate) async fn by_id<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<BookingRecord>, sqlx::Error> {
    sqlx::query_as(select_record!("WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The booking and its current hosts as a job queued at `sequence` should see them; `None` when
/// the booking is gone or a later change superseded the job (that change queued its own jobs).
pub(crate) async fn for_job(
    pool: &sqlx::AnyPool,
    booking_id: i64,
    sequence: i64,
) -> Result<Option<(BookingRecord, Vec<HostRecord>)>, crate::ServiceError> {
    let Some(mut record) = by_id(pool, booking_id).await? else {
        return Ok(None);
    };
    if record.sequence > sequence {
        tracing::info!(uid = %record.uid, "job superseded by a later change of the booking; skipped");
        return Ok(None);
    }
    let hosts = hosts(pool, record.id).await?;
    let Parts {
        answer_count,
        guest_count,
        meeting_count,
    } = record.parts;
    if answer_count > 0 {
        record.answers = crate::questions::booking_answers(pool, record.id).await?;
    }
    if guest_count > 0 {
        record.guests = crate::questions::booking_guests(pool, record.id).await?;
    }
    if meeting_count > 0 {
        record.meeting = crate::conferencing::load(pool, record.id).await?;
    }
    Ok(Some((record, hosts)))
}

/// A booking's uid and sequence, which key the jobs a change of it queues.
pub(crate) async fn uid_and_sequence<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    booking_id: i64,
) -> Result<(String, i64), sqlx::Error> {
    sqlx::query_as("SELECT uid, sequence FROM bookings WHERE id = $1")
        .bind(booking_id)
        .fetch_one(executor)
        .await
}

/// The booking behind a uid and the digest of its manage token.
pub(crate) async fn by_manage_token<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    uid: &str,
    token_digest: &str,
) -> Result<Option<BookingRecord>, sqlx::Error> {
    sqlx::query_as(select_record!("WHERE b.uid = $1 AND b.manage_token_hash = $2"))
        .bind(uid)
        .bind(token_digest)
        .fetch_optional(executor)
        .await
}

pub(crate) async fn hosts<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    booking_id: i64,
) -> Result<Vec<HostRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.name, m.email, m.timezone FROM booking_hosts h JOIN members m ON m.id = h.member_id \
         WHERE h.booking_id = $1 AND m.removed_at IS NULL ORDER BY m.id",
    )
    .bind(booking_id)
    .fetch_all(executor)
    .await
}

/// A member still on the team, e.g. a former host of a booking that moved to someone else.
pub(crate) async fn member<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<HostRecord>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, email, timezone FROM members WHERE id = $1 AND removed_at IS NULL")
        .bind(id)
        .fetch_optional(executor)
        .await
}
