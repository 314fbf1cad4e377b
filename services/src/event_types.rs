//! Event types: what prospects book (duration, buffers, limits, location, hosts and team mode).

use crate::accounts::{Member, require_admin};
use crate::error::is_unique_violation;
use crate::{ServiceError, Services};
use domain::FieldErrors;
use engine::{BookingWindow, Minutes, Rules};
use sqlx::{Any, Transaction};

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
    /// Email attendees a reminder 24 hours before the start.
    #[sqlx(try_from = "crate::db::IntBool")]
    pub reminder_24h: bool,
    /// Email attendees a reminder 1 hour before the start.
    #[sqlx(try_from = "crate::db::IntBool")]
    pub reminder_1h: bool,
    /// Until how many minutes before the start attendees may reschedule or cancel from their
    /// email links; 0 means until the start.
    pub change_notice_minutes: i64,
    /// Whether attendees may add guests to a booking.
    #[sqlx(try_from = "crate::db::IntBool")]
    pub allow_guests: bool,
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
        rules.window = BookingWindow::at_most(self.window_days.map(|d| minutes(d).0));
        rules.daily_limit = self.daily_limit.and_then(|l| u32::try_from(l).ok());
        Ok(rules)
    }
}

/// An event type's settings, already validated by the caller's boundary types; used to create
/// one and to replace all settings of an existing one.
#[derive(Debug, Clone)]
pub struct NewEventType {
    pub slug: domain::TeamSlug,
    pub title: domain::EventTitle,
    pub description: String,
    pub rules: Rules,
    pub location_kind: &'static str,
    pub location_detail: String,
    pub mode: Mode,
    pub hosts: Vec<i64>,
    pub active: bool,
    pub notifications: Notifications,
    /// Asked beyond name and email, in order; `None` keeps those it has (none for a new one).
    pub questions: Option<Vec<domain::Question>>,
    /// Whether attendees may add guests.
    pub allow_guests: bool,
}

/// What attendees are emailed before a meeting, and how late they may still change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notifications {
    /// Email a reminder 24 hours before the start.
    pub reminder_24h: bool,
    /// Email a reminder 1 hour before the start.
    pub reminder_1h: bool,
    /// Attendees may reschedule or cancel from their email links until this long before the
    /// start; zero means until the start.
    pub change_notice: Minutes,
}

/// How many days ahead a new event type may be booked, unless its admin says otherwise.
pub const DEFAULT_WINDOW_DAYS: i64 = 60;

impl Default for Notifications {
    /// Both reminders, changes allowed until the start: what a new event type gets.
    fn default() -> Self {
        Self {
            reminder_24h: true,
            reminder_1h: true,
            change_notice: Minutes(0),
        }
    }
}

impl NewEventType {
    fn check_hosts(&self) -> Result<(), ServiceError> {
        if self.hosts.is_empty() || (self.mode == Mode::Single && self.hosts.len() != 1) {
            return Err(FieldErrors::single("hosts", "Choose one host, or several for a team mode.").into());
        }
        Ok(())
    }
}

/// An event type with everyone assigned to host it (also those not taking bookings right now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedEventType {
    pub event_type: EventType,
    pub host_ids: Vec<i64>,
    pub questions: Vec<domain::Question>,
}

/// Where a meeting happens, as attendees read it: a custom location's own text, else its kind.
pub fn location_label(kind: &str, detail: &str) -> String {
    location_label_in(i18n::Lang::ENGLISH, kind, detail)
}

/// [`location_label`] in `lang` (a custom place and product names stay as written).
pub fn location_label_in(lang: i18n::Lang, kind: &str, detail: &str) -> String {
    use i18n::Key;
    let key = match kind {
        "custom" if !detail.is_empty() => return detail.to_owned(),
        "google_meet" => return "Google Meet".to_owned(),
        "microsoft_teams" => return "Microsoft Teams".to_owned(),
        "phone" => Key::PageLocationPhone,
        "in_person" => Key::PageLocationInPerson,
        "custom" => Key::PageLocationCustom,
        _ => Key::PageLocationVideo,
    };
    lang.text(key).to_owned()
}

/// The meeting link an event type's location gives every booking, when its detail is one (a
/// video call's fixed link, or a custom location that is a URL).
pub fn fixed_meeting_url(detail: &str) -> Option<&str> {
    let detail = detail.trim();
    (detail.starts_with("https://") || detail.starts_with("http://")).then_some(detail)
}

macro_rules! select_event_type {
    ($($rest:literal),+) => {
        concat!(
            "SELECT e.id, e.team_id, e.slug, e.title, e.description, e.duration_minutes, e.interval_minutes, ",
            "e.buffer_before_minutes, e.buffer_after_minutes, e.minimum_notice_minutes, e.window_days, ",
            "e.daily_limit, COALESCE(e.conferencing, e.location_kind) AS location_kind, e.location_detail, e.mode, e.active, e.reminder_24h, e.reminder_1h, ",
            "e.change_notice_minutes, e.allow_guests ",
            $($rest),+
        )
    };
}
pub(crate) use select_event_type;

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds the settings as `$1`..`$17` in the column order both the INSERT and the UPDATE use.
fn bind_settings<'q>(query: AnyQuery<'q>, input: &'q NewEventType) -> AnyQuery<'q> {
    let rules = &input.rules;
    query
        .bind(input.slug.as_str())
        .bind(input.title.as_str())
        .bind(input.description.as_str())
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
        // A meeting made per booking is a video call without a fixed link in the table: see
        // `set_asked`, which stores the provider.
        .bind(match crate::conferencing::MeetingKind::parse(input.location_kind) {
            Some(_) => "video",
            None => input.location_kind,
        })
        .bind(input.location_detail.as_str())
        .bind(input.mode.as_str())
        .bind(i64::from(input.active))
        .bind(i64::from(input.notifications.reminder_24h))
        .bind(i64::from(input.notifications.reminder_1h))
        .bind(i64::from(input.notifications.change_notice.0))
}

fn slug_taken(e: sqlx::Error) -> ServiceError {
    if is_unique_violation(&e) {
        FieldErrors::single("slug", "Another event type already uses this URL name.").into()
    } else {
        ServiceError::from(e)
    }
}

/// What the booking form asks beyond the time: the questions, and whether guests may be added.
async fn set_asked(tx: &mut Transaction<'static, Any>, id: i64, input: &NewEventType) -> Result<(), ServiceError> {
    if let Some(questions) = &input.questions {
        crate::questions::set_questions(tx, id, questions).await?;
    }
    let conferencing = crate::conferencing::MeetingKind::parse(input.location_kind).map(|kind| kind.as_str());
    sqlx::query("UPDATE event_types SET allow_guests = $1, conferencing = $2 WHERE id = $3")
        .bind(i64::from(input.allow_guests))
        .bind(conferencing)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the hosts; every one must be a member of the team.
async fn set_hosts(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    team_id: i64,
    hosts: &[i64],
) -> Result<(), ServiceError> {
    sqlx::query("DELETE FROM event_type_hosts WHERE event_type_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for host in hosts {
        let inserted = sqlx::query(
            "INSERT INTO event_type_hosts (event_type_id, member_id) \
             SELECT $1, id FROM members WHERE id = $2 AND team_id = $3 AND removed_at IS NULL",
        )
        .bind(id)
        .bind(*host)
        .bind(team_id)
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                FieldErrors::single("hosts", "List each host once.").into()
            } else {
                ServiceError::from(e)
            }
        })?;
        if inserted.rows_affected() != 1 {
            return Err(FieldErrors::single("hosts", "Every host must be a member of the team.").into());
        }
    }
    Ok(())
}

impl Services {
    /// Creates an event type with its hosts. Admins only; hosts must be members of the team.
    pub async fn create_event_type(&self, actor: &Member, input: NewEventType) -> Result<EventType, ServiceError> {
        require_admin(actor)?;
        input.check_hosts()?;
        self.check_meeting_hosts(actor, input.location_kind, &input.hosts)
            .await?;
        let mut tx = self.db().begin_write().await?;
        let query = sqlx::query(
            "INSERT INTO event_types (slug, title, description, duration_minutes, interval_minutes, \
             buffer_before_minutes, buffer_after_minutes, minimum_notice_minutes, window_days, daily_limit, \
             location_kind, location_detail, mode, active, reminder_24h, reminder_1h, change_notice_minutes, \
             team_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
             RETURNING id",
        );
        let row = bind_settings(query, &input)
            .bind(actor.team_id)
            .bind(self.clock().now())
            .fetch_one(&mut *tx)
            .await
            .map_err(slug_taken)?;
        let id: i64 = sqlx::Row::try_get(&row, 0)?;
        set_hosts(&mut tx, id, actor.team_id, &input.hosts).await?;
        if input.questions.is_none() {
            crate::questions::set_questions(&mut tx, id, &domain::default_questions()).await?;
        }
        set_asked(&mut tx, id, &input).await?;
        tx.commit().await?;
        self.availability_changed();
        tracing::info!(event_type = id, by = actor.id, "event type created");
        self.event_type_by_id(id).await
    }

    /// Replaces every setting and the hosts of the team's event type `slug`. Admins only.
    pub async fn update_event_type(
        &self,
        actor: &Member,
        slug: &str,
        input: NewEventType,
    ) -> Result<EventType, ServiceError> {
        require_admin(actor)?;
        input.check_hosts()?;
        self.check_meeting_hosts(actor, input.location_kind, &input.hosts)
            .await?;
        let current = self.team_event_type(actor, slug).await?;
        let mut tx = self.db().begin_write().await?;
        let query = sqlx::query(
            "UPDATE event_types SET slug = $1, title = $2, description = $3, duration_minutes = $4, \
             interval_minutes = $5, buffer_before_minutes = $6, buffer_after_minutes = $7, \
             minimum_notice_minutes = $8, window_days = $9, daily_limit = $10, location_kind = $11, \
             location_detail = $12, mode = $13, active = $14, reminder_24h = $15, reminder_1h = $16, \
             change_notice_minutes = $17 WHERE id = $18 AND deleted_at IS NULL",
        );
        bind_settings(query, &input)
            .bind(current.event_type.id)
            .execute(&mut *tx)
            .await
            .map_err(slug_taken)?;
        set_hosts(&mut tx, current.event_type.id, actor.team_id, &input.hosts).await?;
        set_asked(&mut tx, current.event_type.id, &input).await?;
        tx.commit().await?;
        self.availability_changed();
        tracing::info!(event_type = current.event_type.id, by = actor.id, "event type updated");
        self.event_type_by_id(current.event_type.id).await
    }

    /// Deletes the team's event type `slug`. Refused while it has upcoming bookings; one with past
    /// or cancelled bookings is kept for their history but hidden and its URL name freed.
    pub async fn delete_event_type(&self, actor: &Member, slug: &str) -> Result<(), ServiceError> {
        require_admin(actor)?;
        let id = self.team_event_type(actor, slug).await?.event_type.id;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let (upcoming, any): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' AND end_at > $2 THEN 1 ELSE 0 END), 0), COUNT(*) \
             FROM bookings WHERE event_type_id = $1",
        )
        .bind(id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if upcoming > 0 {
            return Err(ServiceError::Conflict(format!(
                "This event type has {upcoming} upcoming booking(s). Cancel them, or deactivate the event type instead."
            )));
        }
        let query = if any > 0 {
            sqlx::query(
                "UPDATE event_types SET deleted_at = $2, active = 0, slug = slug || '~' || CAST(id AS TEXT) WHERE id = $1",
            )
            .bind(id)
            .bind(now)
        } else {
            sqlx::query("DELETE FROM event_types WHERE id = $1").bind(id)
        };
        query.execute(&mut *tx).await?;
        tx.commit().await?;
        self.availability_changed();
        tracing::info!(event_type = id, by = actor.id, "event type deleted");
        Ok(())
    }

    /// Every event type of the actor's team (active or not), by title.
    pub async fn team_event_types(&self, actor: &Member) -> Result<Vec<ManagedEventType>, ServiceError> {
        let types: Vec<EventType> = sqlx::query_as(select_event_type!(
            "FROM event_types e WHERE e.team_id = $1 AND e.deleted_at IS NULL ORDER BY e.title, e.id"
        ))
        .bind(actor.team_id)
        .fetch_all(self.db().pool())
        .await?;
        let hosts: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT h.event_type_id, h.member_id FROM event_type_hosts h \
             JOIN event_types e ON e.id = h.event_type_id WHERE e.team_id = $1 ORDER BY h.member_id",
        )
        .bind(actor.team_id)
        .fetch_all(self.db().pool())
        .await?;
        let mut managed = Vec::with_capacity(types.len());
        for event_type in types {
            let host_ids = hosts
                .iter()
                .filter(|(e, _)| *e == event_type.id)
                .map(|(_, m)| *m)
                .collect();
            let questions = crate::questions::questions(self.db().pool(), event_type.id).await?;
            managed.push(ManagedEventType {
                event_type,
                host_ids,
                questions,
            });
        }
        Ok(managed)
    }

    /// The team's event type at `slug`, active or not.
    pub async fn team_event_type(&self, actor: &Member, slug: &str) -> Result<ManagedEventType, ServiceError> {
        self.team_event_types(actor)
            .await?
            .into_iter()
            .find(|e| e.event_type.slug == slug)
            .ok_or(ServiceError::NotFound)
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
