//! Teams, members and invites: first-run setup, password sign-in, and joining by invite link.

use crate::error::is_unique_violation;
use crate::limits::{ClientAddr, throttle};
use crate::{ServiceError, Services, tokens};
use domain::{DisplayName, Email, EmbedOrigins, FieldErrors, Password, Role, TeamName, TeamSlug, TimeZoneName};
use sqlx::{Any, Transaction};
use std::sync::atomic::Ordering;

pub const INVITE_VALID_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub slug: String,
    /// Websites allowed to frame the booking pages, as stored (see [`domain::EmbedOrigins`]).
    pub embed_origins: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub team_id: i64,
    pub email: String,
    pub name: String,
    pub timezone: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "crate::db::IntBool")]
    pub accepts_bookings: bool,
}

/// `SELECT`s a [`Member`] from `members m` plus the rest of the query; a macro because sqlx only
/// accepts static SQL text.
macro_rules! select_member {
    ($($rest:literal),+) => {
        concat!("SELECT m.id, m.team_id, m.email, m.name, m.timezone, m.role, m.accepts_bookings ", $($rest),+)
    };
}
pub(crate) use select_member;

/// Settings a member (or an admin) may change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct MemberChanges {
    pub timezone: Option<TimeZoneName>,
    pub accepts_bookings: Option<bool>,
}

/// A person about to get an account: the team's first admin, or someone accepting an invite.
#[derive(Debug)]
pub struct NewMember {
    pub name: DisplayName,
    pub email: Email,
    pub password: Password,
    pub timezone: TimeZoneName,
}

#[derive(Debug)]
pub struct NewTeam {
    pub name: TeamName,
    pub slug: TeamSlug,
    pub admin: NewMember,
}

/// What an admin gets back after inviting: the link to pass on, shown once.
#[derive(Debug, Clone)]
pub struct IssuedInvite {
    pub email: String,
    pub role: Role,
    pub url: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingInvite {
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub team_name: String,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct InviteState {
    team_id: i64,
    email: String,
    role: String,
    expires_at: i64,
    accepted_at: Option<i64>,
}

/// The invitee's own details; the email comes from the invite.
#[derive(Debug)]
pub struct InviteAcceptance {
    pub name: DisplayName,
    pub password: Password,
    pub timezone: TimeZoneName,
}

impl Services {
    pub async fn is_set_up(&self) -> Result<bool, ServiceError> {
        if self.inner.set_up.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM instance")
            .fetch_one(self.db().pool())
            .await?;
        if count > 0 {
            self.inner.set_up.store(true, Ordering::Relaxed);
        }
        Ok(count > 0)
    }

    /// Creates the installation's team and its first admin. The `instance` row's primary key makes
    /// a second setup (even a concurrent one) fail instead of creating a second team.
    pub async fn set_up(&self, input: NewTeam) -> Result<Member, ServiceError> {
        if self.is_set_up().await? {
            return Err(already_set_up());
        }
        let password_hash = self.inner.passwords.hash(&input.admin.password).await?;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let team_id: i64 =
            sqlx::query_scalar("INSERT INTO teams (name, slug, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(input.name.as_str())
                .bind(input.slug.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    unique_or(e, || {
                        ServiceError::Validation(FieldErrors::single("team_slug", "That URL name is taken."))
                    })
                })?;
        sqlx::query("INSERT INTO instance (id, team_id, set_up_at) VALUES (1, $1, $2)")
            .bind(team_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_or(e, already_set_up))?;
        let member = insert_member(&mut tx, team_id, &input.admin, &password_hash, Role::Admin, now).await?;
        tx.commit().await?;
        self.inner.set_up.store(true, Ordering::Relaxed);
        tracing::info!(team_id, member_id = member.id, "team set up");
        Ok(member)
    }

    /// The installation's team, once set up.
    pub async fn team(&self) -> Result<Team, ServiceError> {
        sqlx::query_as("SELECT t.id, t.name, t.slug, t.embed_origins FROM teams t JOIN instance i ON i.team_id = t.id")
            .fetch_optional(self.db().pool())
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// The websites allowed to frame the team's booking pages.
    pub async fn embed_origins(&self) -> Result<EmbedOrigins, ServiceError> {
        let stored = self.team().await?.embed_origins;
        EmbedOrigins::parse(&stored).map_err(|e| ServiceError::internal(anyhow::anyhow!("stored embed origins: {e}")))
    }

    /// Admins choose which websites may frame the booking pages (empty: any).
    pub async fn set_embed_origins(&self, actor: &Member, origins: &EmbedOrigins) -> Result<(), ServiceError> {
        require_admin(actor)?;
        sqlx::query("UPDATE teams SET embed_origins = $1 WHERE id = $2")
            .bind(origins.as_stored())
            .bind(actor.team_id)
            .execute(self.db().pool())
            .await?;
        tracing::info!(by = actor.id, any = origins.is_any(), "embedding websites changed");
        Ok(())
    }

    /// Checks a password. The attempt is counted (per email, per client address, and per both)
    /// before the check runs, and waits grow with failures (see [`crate::limits`]).
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
        client: Option<ClientAddr>,
    ) -> Result<Member, ServiceError> {
        let email = Email::parse(email).map_err(|e| FieldErrors::single("email", e.0))?;
        let pool = self.db().pool();
        throttle::claim_attempt(pool, email.as_str(), client, self.clock().now())
            .await?
            .map_err(|retry_after_secs| ServiceError::RateLimited { retry_after_secs })?;
        let found: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM members WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
        let (id, hash) = found.map_or((None, None), |(id, hash)| (Some(id), Some(hash)));
        if !self.inner.passwords.verify(hash, password).await? {
            return Err(ServiceError::InvalidCredentials);
        }
        throttle::attempt_succeeded(pool, email.as_str(), client).await?;
        let id = id.ok_or(ServiceError::InvalidCredentials)?;
        self.member(id).await
    }

    pub async fn member(&self, id: i64) -> Result<Member, ServiceError> {
        sqlx::query_as(select_member!(
            "FROM members m WHERE m.id = $1 AND m.removed_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(self.db().pool())
        .await?
        .ok_or(ServiceError::NotFound)
    }

    pub async fn members(&self, actor: &Member) -> Result<Vec<Member>, ServiceError> {
        Ok(sqlx::query_as(select_member!(
            "FROM members m WHERE m.team_id = $1 AND m.removed_at IS NULL ORDER BY m.name, m.id"
        ))
        .bind(actor.team_id)
        .fetch_all(self.db().pool())
        .await?)
    }

    /// The member `member_id` if `actor` may manage them: themself, or anyone in the team for an
    /// admin. Members of other teams are `NotFound`, so ids reveal nothing across teams.
    pub async fn manageable_member(&self, actor: &Member, member_id: i64) -> Result<Member, ServiceError> {
        let member = self.member(member_id).await?;
        if member.team_id != actor.team_id {
            return Err(ServiceError::NotFound);
        }
        if member.id != actor.id {
            require_admin(actor)?;
        }
        Ok(member)
    }

    /// Changes a member's time zone and whether they take bookings (themself, or an admin).
    pub async fn update_member(
        &self,
        actor: &Member,
        member_id: i64,
        changes: MemberChanges,
    ) -> Result<Member, ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let timezone = changes
            .timezone
            .map_or(member.timezone.clone(), |z| z.as_str().to_owned());
        let accepts = changes.accepts_bookings.unwrap_or(member.accepts_bookings);
        sqlx::query("UPDATE members SET timezone = $1, accepts_bookings = $2 WHERE id = $3")
            .bind(timezone)
            .bind(i64::from(accepts))
            .bind(member.id)
            .execute(self.db().pool())
            .await?;
        self.availability_changed();
        tracing::info!(member_id = member.id, by = actor.id, "member settings changed");
        self.member(member.id).await
    }

    /// Makes a member an admin or a member. Admins only; the team always keeps one admin.
    pub async fn change_role(&self, actor: &Member, member_id: i64, role: Role) -> Result<Member, ServiceError> {
        require_admin(actor)?;
        let member = self.manageable_member(actor, member_id).await?;
        let mut team = self.members(actor).await?;
        team.sort_by_key(|m| m.id);
        let mut tx = self.db().begin_write().await?;
        lock_team_as_admin(&mut tx, self.db().backend(), &team, actor).await?;
        if role != Role::Admin {
            let other_admins: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE team_id = $1 AND role = 'admin' AND id <> $2 AND removed_at IS NULL")
                    .bind(member.team_id)
                    .bind(member.id)
                    .fetch_one(&mut *tx)
                    .await?;
            if other_admins == 0 {
                return Err(ServiceError::Conflict(
                    "A team needs at least one admin. Make someone else admin first.".into(),
                ));
            }
        }
        sqlx::query("UPDATE members SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(member.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(
            member_id = member.id,
            by = actor.id,
            role = role.as_str(),
            "role changed"
        );
        self.member(member.id).await
    }

    /// Issues a single-use invite link valid for seven days. Admins only.
    pub async fn invite(&self, actor: &Member, email: Email, role: Role) -> Result<IssuedInvite, ServiceError> {
        require_admin(actor)?;
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE email = $1")
            .bind(email.as_str())
            .fetch_one(self.db().pool())
            .await?;
        if taken > 0 {
            return Err(ServiceError::Validation(FieldErrors::single(
                "email",
                format!("{email} already has an account."),
            )));
        }
        let now = self.clock().now();
        let expires_at = now + INVITE_VALID_SECS;
        let token = tokens::issue();
        sqlx::query(
            "INSERT INTO invites (team_id, email, role, token_hash, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(actor.team_id)
        .bind(email.as_str())
        .bind(role.as_str())
        .bind(&token.digest)
        .bind(actor.id)
        .bind(now)
        .bind(expires_at)
        .execute(self.db().pool())
        .await?;
        tracing::info!(team_id = actor.team_id, by = actor.id, "invite issued");
        let url = self.config().link(&format!("/invite/{}", token.secret));
        Ok(IssuedInvite {
            email: email.to_string(),
            role,
            url,
            expires_at,
        })
    }

    /// Invites that were issued and are neither used nor expired, newest first.
    pub async fn pending_invites(&self, actor: &Member) -> Result<Vec<PendingInvite>, ServiceError> {
        require_admin(actor)?;
        Ok(sqlx::query_as(
            "SELECT i.email, i.role, t.name AS team_name, i.expires_at FROM invites i JOIN teams t ON t.id = i.team_id \
             WHERE i.team_id = $1 AND i.accepted_at IS NULL AND i.expires_at > $2 ORDER BY i.created_at DESC, i.id DESC",
        )
        .bind(actor.team_id)
        .bind(self.clock().now())
        .fetch_all(self.db().pool())
        .await?)
    }

    /// What an invite link is for, or why it no longer works.
    pub async fn invite_for_token(&self, secret: &str) -> Result<PendingInvite, ServiceError> {
        let state = self.invite_state(secret).await?;
        check_invite_usable(&state, self.clock().now())?;
        let team_name: String = sqlx::query_scalar("SELECT name FROM teams WHERE id = $1")
            .bind(state.team_id)
            .fetch_one(self.db().pool())
            .await?;
        let role = Role::parse(&state.role).map_err(ServiceError::internal)?;
        Ok(PendingInvite {
            email: state.email,
            role,
            team_name,
            expires_at: state.expires_at,
        })
    }

    /// Uses an invite exactly once: the conditional UPDATE claims it, so two tabs submitting the
    /// same link create one account.
    pub async fn accept_invite(&self, secret: &str, input: InviteAcceptance) -> Result<Member, ServiceError> {
        let state = self.invite_state(secret).await?;
        let now = self.clock().now();
        check_invite_usable(&state, now)?;
        let password_hash = self.inner.passwords.hash(&input.password).await?;
        let mut tx = self.db().begin_write().await?;
        let claimed = sqlx::query(
            "UPDATE invites SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(tokens::digest(secret))
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            return Err(ServiceError::Gone(
                "This invite has already been used. Sign in instead.".into(),
            ));
        }
        let email = Email::parse(&state.email).map_err(ServiceError::internal)?;
        let role = Role::parse(&state.role).map_err(ServiceError::internal)?;
        let new_member = NewMember {
            name: input.name,
            email,
            password: input.password,
            timezone: input.timezone,
        };
        let member = insert_member(&mut tx, state.team_id, &new_member, &password_hash, role, now).await?;
        tx.commit().await?;
        tracing::info!(team_id = member.team_id, member_id = member.id, "invite accepted");
        Ok(member)
    }

    async fn invite_state(&self, secret: &str) -> Result<InviteState, ServiceError> {
        sqlx::query_as("SELECT team_id, email, role, expires_at, accepted_at FROM invites WHERE token_hash = $1")
            .bind(tokens::digest(secret))
            .fetch_optional(self.db().pool())
            .await?
            .ok_or(ServiceError::NotFound)
    }
}

fn check_invite_usable(state: &InviteState, now: i64) -> Result<(), ServiceError> {
    if state.accepted_at.is_some() {
        return Err(ServiceError::Gone(
            "This invite has already been used. Sign in instead.".into(),
        ));
    }
    if state.expires_at <= now {
        return Err(ServiceError::Gone(
            "This invite has expired. Ask your team admin for a new one.".into(),
        ));
    }
    Ok(())
}

/// Locks the `team`'s member rows (sorted by id: on PostgreSQL they are locked in that order, as
/// bookings lock hosts, so the two cannot deadlock), then checks that `actor` is still an active
/// admin. A concurrent change may have demoted or removed them since the request began; without
/// this, two admins demoting or removing each other at once could leave the team with none.
pub(crate) async fn lock_team_as_admin(
    tx: &mut Transaction<'static, Any>,
    backend: crate::Backend,
    team: &[Member],
    actor: &Member,
) -> Result<(), ServiceError> {
    crate::bookings::lock_hosts(tx, backend, team).await?;
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM members WHERE id = $1 AND removed_at IS NULL")
        .bind(actor.id)
        .fetch_optional(&mut **tx)
        .await?;
    match role.as_deref() {
        Some("admin") => Ok(()),
        _ => Err(ServiceError::Forbidden),
    }
}

pub(crate) fn require_admin(actor: &Member) -> Result<(), ServiceError> {
    if actor.role.is_admin() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

fn already_set_up() -> ServiceError {
    ServiceError::Conflict("Rendezvous is already set up. Sign in instead.".into())
}

fn unique_or(e: sqlx::Error, conflict: impl FnOnce() -> ServiceError) -> ServiceError {
    if is_unique_violation(&e) { conflict() } else { e.into() }
}

async fn insert_member(
    tx: &mut Transaction<'static, Any>,
    team_id: i64,
    member: &NewMember,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<Member, ServiceError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO members (team_id, email, name, password_hash, timezone, role, accepts_bookings, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
    )
    .bind(team_id)
    .bind(member.email.as_str())
    .bind(member.name.as_str())
    .bind(password_hash)
    .bind(member.timezone.as_str())
    .bind(role.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        unique_or(e, || {
            ServiceError::Validation(FieldErrors::single(
                "email",
                "An account with this email already exists.",
            ))
        })
    })?;
    crate::schedules::insert_default_hours(tx, id).await?;
    Ok(Member {
        id,
        team_id,
        email: member.email.to_string(),
        name: member.name.as_str().to_owned(),
        timezone: member.timezone.as_str().to_owned(),
        role,
        accepts_bookings: true,
    })
}
