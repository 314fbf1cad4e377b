//! Upcoming bookings whose meeting the provider would not make, for the overview: someone has to
//! send those attendees a link.

use super::MeetingKind;
use crate::accounts::Member;
use crate::{ServiceError, Services};

/// Upcoming bookings held by one host that have no `kind` meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingMeetings {
    pub kind: MeetingKind,
    pub member_id: i64,
    pub member_name: String,
    pub bookings: usize,
}

impl Services {
    /// The viewer's own, and for admins everyone's, upcoming bookings without their meeting.
    pub async fn missing_meetings(&self, viewer: &Member) -> Result<Vec<MissingMeetings>, ServiceError> {
        let rows: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT c.provider, c.member_id, m.name, COUNT(*) FROM booking_conferences c \
             JOIN bookings b ON b.id = c.booking_id JOIN members m ON m.id = c.member_id \
             WHERE c.state = 'failed' AND b.status = 'confirmed' AND b.start_at > $1 AND m.team_id = $2 \
             AND ($3 = 1 OR c.member_id = $4) \
             GROUP BY c.provider, c.member_id, m.name ORDER BY m.name",
        )
        .bind(self.clock().now())
        .bind(viewer.team_id)
        .bind(i64::from(viewer.role.is_admin()))
        .bind(viewer.id)
        .fetch_all(self.db().pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, member_id, member_name, count)| {
                Some(MissingMeetings {
                    kind: MeetingKind::parse(&kind)?,
                    member_id,
                    member_name,
                    bookings: usize::try_from(count).ok()?,
                })
            })
            .collect())
    }
}
