//! Event types: what prospects book (duration, buffers, limits, location, hosts and team mode).

use crate::accounts::{Member, require_admin};
use crate::error::is_unique_violation;
use crate::{ServiceError, Services};
use domain::FieldErrors;
use engine::{BookingWindow, Minutes, Rules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Single,
    RoundRobin,
    Collective,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::RoundRobin => "round_robin",
            Self::Collective => "collective",
        }
    }

    fn parse(raw: &str) -> Result<Self, ServiceError> {
        match raw {
            "single" => Ok(Self::Single),
            "round_robin" => Ok(Self::RoundRobin),
            "collective" => Ok(Self::Collective),
            other => Err(anyhow::anyhow!("stored mode {other}").into()),
        }
    }
}

/// An event type as stored; `rules()` turns it into the engine's input.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventType {
    pub id: i64,
    pub team_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub duration_minutes: i64,
    pub interval_minutes: Option<i64>,
    pub buffer_before_minutes: i64,
    pub buffer_after_minutes: i64,
    pub minimum_notice_minutes: i64,
    pub window_days: Option<i64>,
    pub daily_limit: Option<i64>,
    pub location_kind: String,
    pub location_detail: String,
    pub mode: String,
    #[sqlx(try_from = "crate::db::IntBool")]
    pub active: bool,
}

impl EventType {
    pub fn mode(&self) -> Result<Mode, ServiceError> {
        Mode::parse(&self.mode)
    }

    /// The engine's rules; stored values were checked on the way in and by CHECK constraints.
    pub fn rules(&self) -> Result<Rules, ServiceError> {
        let minutes = |m: i64| Minutes(u32::try_from(m).unwrap_or(0));
        let broken = |e: engine::RangeError| ServiceError::internal(anyhow::anyhow!("event type {}: {e}", self.id));
        let mut rules = Rules::new(minutes(self.duration_minutes)).map_err(broken)?;
        if let Some(interval) = self.interval_minutes {
            rules = rules.with_interval(minutes(interval)).map_err(broken)?;
        }
        rules.buffer_before = minutes(self.buffer_before_minutes);
        rules.buffer_after = minutes(self.buffer_after_minutes);
        rules.minimum_notice = minutes(self.minimum_notice_minutes);
        rules.window = self
            .window_days
            .map_or(BookingWindow::Unlimited, |d| BookingWindow::Days(minutes(d).0));
        rules.daily_limit = self.daily_limit.and_then(|l| u32::try_from(l).ok());
        Ok(rules)
    }
}

/// A new event type, its values already validated by the caller's boundary types.
#[derive(Debug, Clone)]
pub struct NewEventType {
    pub slug: domain::TeamSlug,
    pub title: domain::TeamName,
    pub description: String,
    pub rules: Rules,
    pub location_kind: &'static str,
    pub location_detail: String,
    pub mode: Mode,
    pub hosts: Vec<i64>,
}

macro_rules! select_event_type {
    ($($rest:literal),+) => {
        concat!(
            "SELECT e.id, e.team_id, e.slug, e.title, e.description, e.duration_minutes, e.interval_minutes, ",
            "e.buffer_before_minutes, e.buffer_after_minutes, e.minimum_notice_minutes, e.window_days, ",
            "e.daily_limit, e.location_kind, e.location_detail, e.mode, e.active ",
            $($rest),+
        )
    };
}

impl Services {
    /// Creates an event type with its hosts. Admins only; hosts must be members of the team.
    pub async fn create_event_type(&self, actor: &Member, input: NewEventType) -> Result<EventType, ServiceError> {
        require_admin(actor)?;
        if input.hosts.is_empty() || (input.mode == Mode::Single && input.hosts.len() != 1) {
            return Err(FieldErrors::single("hosts", "Choose one host, or several for a team mode.").into());
        }
        let rules = input.rules;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO event_types (team_id, slug, title, description, duration_minutes, interval_minutes, \
             buffer_before_minutes, buffer_after_minutes, minimum_notice_minutes, window_days, daily_limit, \
             location_kind, location_detail, mode, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15) RETURNING id",
        )
        .bind(actor.team_id)
        .bind(input.slug.as_str())
        .bind(input.title.as_str())
        .bind(&input.description)
        .bind(i64::from(rules.duration.0))
        .bind((rules.interval != rules.duration).then_some(i64::from(rules.interval.0)))
        .bind(i64::from(rules.buffer_before.0))
        .bind(i64::from(rules.buffer_after.0))
        .bind(i64::from(rules.minimum_notice.0))
        .bind(match rules.window {
            BookingWindow::Unlimited => None,
            BookingWindow::Days(d) => Some(i64::from(d)),
        })
        .bind(rules.daily_limit.map(i64::from))
        .bind(input.location_kind)
        .bind(&input.location_detail)
        .bind(input.mode.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                FieldErrors::single("slug", "Another event type already uses this URL name.").into()
            } else {
                ServiceError::from(e)
            }
        })?;
        for host in &input.hosts {
            let inserted = sqlx::query(
                "INSERT INTO event_type_hosts (event_type_id, member_id) \
                 SELECT $1, id FROM members WHERE id = $2 AND team_id = $3",
            )
            .bind(id)
            .bind(*host)
            .bind(actor.team_id)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() != 1 {
                return Err(FieldErrors::single("hosts", "Every host must be a member of the team.").into());
            }
        }
        tx.commit().await?;
        self.event_type_by_id(id).await
    }

    pub async fn event_type_by_id(&self, id: i64) -> Result<EventType, ServiceError> {
        sqlx::query_as(select_event_type!("FROM event_types e WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(self.db().pool())
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// The active event type at `/{team}/{slug}`.
    pub async fn public_event_type(&self, team_slug: &str, slug: &str) -> Result<EventType, ServiceError> {
        sqlx::query_as(select_event_type!(
            "FROM event_types e JOIN teams t ON t.id = e.team_id WHERE t.slug = $1 AND e.slug = $2 AND e.active = 1"
        ))
        .bind(team_slug)
        .bind(slug)
        .fetch_optional(self.db().pool())
        .await?
        .ok_or(ServiceError::NotFound)
    }

    /// The hosts of an event type, ascending by id.
    pub async fn event_type_hosts(&self, event_type: &EventType) -> Result<Vec<Member>, ServiceError> {
        Ok(sqlx::query_as(crate::accounts::select_member!(
            "FROM members m JOIN event_type_hosts h ON h.member_id = m.id ",
            "WHERE h.event_type_id = $1 AND m.accepts_bookings = 1 ORDER BY m.id"
        ))
        .bind(event_type.id)
        .fetch_all(self.db().pool())
        .await?)
    }
}
