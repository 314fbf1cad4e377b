//! The `booking_conferences` rows: one meeting per booking, in the organizer's calendar.

use super::{Meeting, MeetingKind};
use sqlx::{Any, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingState {
    Pending,
    Ready,
    Failed,
}

impl MeetingState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Ready => "ready",
            Self::Failed => "failed",
        }
    }

    fn parse(raw: &str) -> Self {
        match raw {
            "ready" => Self::Ready,
            "failed" => Self::Failed,
            _ => Self::Pending,
        }
    }
}

/// A booking's meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingMeeting {
    pub kind: MeetingKind,
    /// The host whose calendar event holds the meeting.
    pub member_id: i64,
    pub state: MeetingState,
    pub join_url: Option<String>,
    pub failure: Option<String>,
    /// A message already said the link follows.
    pub announced_without_link: bool,
    /// When it was last asked for or settled.
    pub since: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    provider: String,
    member_id: i64,
    state: String,
    join_url: Option<String>,
    failure: Option<String>,
    announced_without_link: i64,
    updated_at: i64,
}

pub(crate) async fn load<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    booking_id: i64,
) -> Result<Option<BookingMeeting>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT provider, member_id, state, join_url, failure, announced_without_link, updated_at \
         FROM booking_conferences WHERE booking_id = $1",
    )
    .bind(booking_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.and_then(|row| {
        Some(BookingMeeting {
            kind: MeetingKind::parse(&row.provider)?,
            member_id: row.member_id,
            state: MeetingState::parse(&row.state),
            join_url: row.join_url,
            failure: row.failure,
            announced_without_link: row.announced_without_link != 0,
            since: row.updated_at,
        })
    }))
}

/// Asks for a new meeting in `member_id`'s calendar: for a new booking, or when the booking's
/// organizer changed (the old meeting goes with the old host's event).
pub(crate) async fn start(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    kind: MeetingKind,
    member_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO booking_conferences (booking_id, provider, member_id, state, announced_without_link, \
         created_at, updated_at) VALUES ($1, $2, $3, 'pending', 0, $4, $4) \
         ON CONFLICT (booking_id) DO UPDATE SET provider = $2, member_id = $3, state = 'pending', \
         join_url = NULL, conference_id = NULL, failure = NULL, announced_without_link = 0, updated_at = $4",
    )
    .bind(booking_id)
    .bind(kind.as_str())
    .bind(member_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores what the provider said about `member_id`'s meeting; false when the row is no longer
/// that host's pending meeting (a later host change took over, or it is settled already).
pub(super) async fn settle(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    member_id: i64,
    meeting: &Meeting,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (state, join_url, conference_id, failure) = match meeting {
        Meeting::Ready {
            join_url,
            conference_id,
        } => ("ready", Some(join_url.as_str()), conference_id.as_deref(), None),
        Meeting::Failed(why) => ("failed", None, None, Some(why.as_str())),
        Meeting::Pending => return Ok(false),
    };
    let done = sqlx::query(
        "UPDATE booking_conferences SET state = $1, join_url = $2, conference_id = $3, failure = $4, updated_at = $5 \
         WHERE booking_id = $6 AND member_id = $7 AND state = 'pending'",
    )
    .bind(state)
    .bind(join_url)
    .bind(conference_id)
    .bind(failure)
    .bind(now)
    .bind(booking_id)
    .bind(member_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that messages about to go out say the link follows; false when the meeting is no
/// longer pending (its link, or its failure, arrived meanwhile and the messages can say so).
pub(super) async fn announce_without_link(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE booking_conferences SET announced_without_link = 1 WHERE booking_id = $1 AND state = 'pending'",
    )
    .bind(booking_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
