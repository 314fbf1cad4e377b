//! What the public booking pages read: a team's active event types, and free slots grouped by
//! the viewer's local dates.

use crate::event_types::EventType;
use crate::{ServiceError, Services};
use chrono::NaiveDate;
use chrono_tz::Tz;
use engine::{Boundary, Slot, group_by_local_date, resolve_local};

/// An instant as RFC 3339 with `zone`'s offset and whole seconds, e.g. `2026-12-01T09:00:00+01:00`.
pub fn rfc3339(instant: i64, zone: Tz) -> String {
    use chrono::TimeZone;
    zone.timestamp_opt(instant, 0)
        .single()
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

/// Free slots starting on local dates `first..=last` in `zone`, grouped by those dates (days
/// without a slot are left out); `moving` as for [`Services::slots`].
pub type DaySlots = Vec<(NaiveDate, Vec<Slot>)>;

impl Services {
    pub async fn slots_by_day(
        &self,
        event_type: &EventType,
        (first, last): (NaiveDate, NaiveDate),
        zone: Tz,
        moving: Option<i64>,
    ) -> Result<DaySlots, ServiceError> {
        let from = resolve_local(zone, first, 0, Boundary::Start);
        let until = last
            .succ_opt()
            .map_or(i64::MAX, |day| resolve_local(zone, day, 0, Boundary::Start));
        let found = self.slots(event_type, (from, until), moving).await?;
        Ok(group_by_local_date(&found, zone))
    }

    /// The active event types at `/{team}`, by title; `NotFound` for an unknown team.
    pub async fn public_event_types(&self, team_slug: &str) -> Result<Vec<EventType>, ServiceError> {
        let team = self.team().await?;
        if team.slug != team_slug {
            return Err(ServiceError::NotFound);
        }
        Ok(sqlx::query_as(crate::event_types::select_event_type!(
            "FROM event_types e WHERE e.team_id = $1 AND e.active = 1 AND e.deleted_at IS NULL ORDER BY e.title, e.id"
        ))
        .bind(team.id)
        .fetch_all(self.db().pool())
        .await?)
    }
}
