//! Which hosts can have a kind of meeting made in their calendar: an event type offers Meet or
//! Teams only when every host can, and the editor names those who cannot and why.

use super::MeetingKind;
use crate::accounts::Member;
use crate::{ServiceError, Services};
use domain::FieldErrors;

/// A host who cannot have a kind of meeting made, and why ("has no Google Calendar connected for
/// bookings").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostObstacle {
    pub member_id: i64,
    pub name: String,
    pub kind: MeetingKind,
    pub why: String,
}

impl Services {
    /// For the hosts among `host_ids` (members of the actor's team), every kind of meeting they
    /// cannot host.
    pub async fn meeting_obstacles(&self, actor: &Member, host_ids: &[i64]) -> Result<Vec<HostObstacle>, ServiceError> {
        let mut obstacles = Vec::new();
        for &member_id in host_ids {
            let name: Option<String> =
                sqlx::query_scalar("SELECT name FROM members WHERE id = $1 AND team_id = $2 AND removed_at IS NULL")
                    .bind(member_id)
                    .bind(actor.team_id)
                    .fetch_optional(self.db().pool())
                    .await?;
            let Some(name) = name else { continue };
            obstacles.extend(
                self.meeting_obstacles_of(member_id)
                    .await?
                    .into_iter()
                    .map(|(kind, why)| HostObstacle {
                        member_id,
                        name: name.clone(),
                        kind,
                        why,
                    }),
            );
        }
        Ok(obstacles)
    }

    /// Refuses a Meet or Teams location that some host cannot provide, naming each.
    pub(crate) async fn check_meeting_hosts(
        &self,
        actor: &Member,
        location_kind: &str,
        host_ids: &[i64],
    ) -> Result<(), ServiceError> {
        let Some(kind) = MeetingKind::parse(location_kind) else {
            return Ok(());
        };
        let who: Vec<String> = self
            .meeting_obstacles(actor, host_ids)
            .await?
            .into_iter()
            .filter(|o| o.kind == kind)
            .map(|o| format!("{} {}", o.name, o.why))
            .collect();
        if who.is_empty() {
            return Ok(());
        }
        Err(FieldErrors::single(
            "location_kind",
            format!(
                "Every host needs {} to use {}: {}.",
                kind.provider().label(),
                kind.label(),
                who.join("; ")
            ),
        )
        .into())
    }
}
