//! The dashboard's overview: the next meetings, the team's booking links and, while a team is
//! new, the first steps, each ticked off by the thing itself having happened.

use crate::accounts::Member;
use crate::event_types::EventType;
use crate::team_bookings::{BookingFilter, BookingRecord, BookingStatus};
use crate::{ServiceError, Services};

/// How many upcoming meetings the overview lists.
const NEXT_MEETINGS: u32 = 5;

/// One step of a new team's setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstStep {
    SetHours,
    CreateEventType,
    ConnectCalendar,
    InviteTeam,
    EmbedWidget,
}

pub struct Overview {
    /// Confirmed, not yet ended, soonest first: the member's own, or the team's for admins.
    pub next_meetings: Vec<BookingRecord>,
    pub team_slug: String,
    /// The team's active event types, whose pages prospects book from.
    pub booking_links: Vec<EventType>,
    /// The viewer's first steps and whether each is done; empty once all are (members who are
    /// not admins only have their own two: hours and calendar).
    pub first_steps: Vec<(FirstStep, bool)>,
}

impl Services {
    pub async fn overview(&self, actor: &Member) -> Result<Overview, ServiceError> {
        let now = self.clock().now();
        let filter = BookingFilter {
            status: Some(BookingStatus::Confirmed),
            from: Some(now - MAX_MEETING_SECS),
            limit: NEXT_MEETINGS + 4,
            ..BookingFilter::default()
        };
        let mut next_meetings = self.team_bookings(actor, &filter).await?;
        next_meetings.retain(|b| b.end_at > now);
        next_meetings.truncate(NEXT_MEETINGS as usize);
        let team = self.team().await?;
        let booking_links = self.public_event_types(&team.slug).await?;
        let first_steps = self.first_steps(actor, !booking_links.is_empty()).await?;
        Ok(Overview {
            next_meetings,
            team_slug: team.slug,
            booking_links,
            first_steps,
        })
    }

    async fn first_steps(&self, actor: &Member, bookable: bool) -> Result<Vec<(FirstStep, bool)>, ServiceError> {
        let (hours_set, calendars, event_types, people, embedded): (i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM members WHERE id = $1 AND hours_set_at IS NOT NULL), \
               (SELECT COUNT(*) FROM calendar_connections WHERE member_id = $1), \
               (SELECT COUNT(*) FROM event_types WHERE team_id = $2), \
               (SELECT COUNT(*) FROM members WHERE team_id = $2 AND removed_at IS NULL) \
                 + (SELECT COUNT(*) FROM invites WHERE team_id = $2), \
               (SELECT COUNT(*) FROM teams WHERE id = $2 AND embedded_at IS NOT NULL)",
        )
        .bind(actor.id)
        .bind(actor.team_id)
        .fetch_one(self.db().pool())
        .await?;
        let mut steps = vec![(FirstStep::SetHours, hours_set > 0)];
        if actor.role.is_admin() {
            steps.push((FirstStep::CreateEventType, event_types > 0 && bookable));
        }
        steps.push((FirstStep::ConnectCalendar, calendars > 0));
        if actor.role.is_admin() {
            steps.push((FirstStep::InviteTeam, people > 1));
            steps.push((FirstStep::EmbedWidget, embedded > 0));
        }
        if steps.iter().all(|(_, done)| *done) {
            steps.clear();
        }
        Ok(steps)
    }

    /// Remembers that a booking page was shown in a frame (on the team's website): the last
    /// first step. Written once; later calls cost nothing.
    pub async fn note_embedded(&self) -> Result<(), ServiceError> {
        use std::sync::atomic::Ordering;
        if self.inner.embedded.load(Ordering::Relaxed) {
            return Ok(());
        }
        sqlx::query("UPDATE teams SET embedded_at = $1 WHERE embedded_at IS NULL")
            .bind(self.clock().now())
            .execute(self.db().pool())
            .await?;
        self.inner.embedded.store(true, Ordering::Relaxed);
        Ok(())
    }
}

/// Meetings longer than this that started before now are not looked for (a day).
const MAX_MEETING_SECS: i64 = 24 * 3600;
