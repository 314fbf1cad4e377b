//! Asking a provider again about a meeting it was still making (Google's `pending`).

use super::{Connection, ConnectionStatus, Provider, store};
use crate::conferencing::{Meeting, MeetingKind};
use crate::jobs::JobFailure;
use crate::{ServiceError, Services};

impl Services {
    /// The meeting on `member_id`'s copy of the booking as the provider reports it now; `None`
    /// when there is no copy or no working connection to ask through.
    pub(crate) async fn meeting_of_copy(&self, booking_id: i64, member_id: i64) -> Result<Option<Meeting>, JobFailure> {
        let pool = self.db().pool();
        let copy: Option<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT provider, calendar_id, event_id FROM booking_calendar_events \
             WHERE booking_id = $1 AND member_id = $2 AND state = 'synced'",
        )
        .bind(booking_id)
        .bind(member_id)
        .fetch_optional(pool)
        .await
        .map_err(JobFailure::transient)?;
        let Some((provider, calendar, Some(event_id))) = copy else {
            return Ok(None);
        };
        let connections = store::connections_of(pool, member_id)
            .await
            .map_err(JobFailure::transient)?;
        let connection = connections
            .iter()
            .find(|c| Some(c.provider) == Provider::parse(&provider) && c.status == ConnectionStatus::Active);
        let Some(connection) = connection else {
            return Ok(None);
        };
        let (calendar, event_id) = (&calendar, &event_id);
        self.with_api(
            connection,
            |api| async move { api.meeting_of(calendar, event_id).await },
        )
        .await
        .map(Some)
        .map_err(super::events::provider_failure)
    }
}

impl Services {
    /// Each kind of meeting `member_id` cannot have made in the calendar they book into, with
    /// why; their connections are read once for every kind.
    pub(crate) async fn meeting_obstacles_of(
        &self,
        member_id: i64,
    ) -> Result<Vec<(MeetingKind, String)>, ServiceError> {
        let connections = store::connections_of(self.db().pool(), member_id)
            .await
            .map_err(ServiceError::internal)?;
        Ok(MeetingKind::ALL
            .into_iter()
            .filter_map(|kind| obstacle(&connections, kind).map(|why| (kind, why)))
            .collect())
    }
}

/// Why these connections cannot make a `kind` meeting in the calendar bookings go to; `None`
/// when they can.
fn obstacle(connections: &[Connection], kind: MeetingKind) -> Option<String> {
    let booking_calendar = connections.iter().find_map(|c| {
        c.destination
            .as_deref()
            .map(|id| (c, c.calendars.iter().find(|cal| cal.id == id)))
    });
    let provider = kind.provider();
    match booking_calendar {
        None => Some(format!("has no {} connected for bookings", provider.label())),
        Some((c, _)) if c.provider != provider => {
            Some(format!("books into {}, not {}", c.provider.label(), provider.label()))
        }
        Some((c, _)) if c.status != ConnectionStatus::Active => {
            Some(format!("needs to reconnect {}", provider.label()))
        }
        Some((_, Some(calendar))) if calendar.meetings.contains(&kind) => None,
        Some((_, calendar)) => Some(format!(
            "books into \"{}\", which does not allow {} meetings",
            calendar.map_or("a calendar", |c| c.name.as_str()),
            kind.label()
        )),
    }
}
