//! Connecting, configuring and disconnecting a member's calendar account.
//!
//! The OAuth `state` is stored hashed beside the digest of the session that asked for it, with
//! the PKCE verifier sealed: a callback counts only in that same session, once, within ten
//! minutes, so a link from someone else can never attach their account to this member.

use super::api::CalendarApi;
use super::oauth;
use super::store::{self, NewConnection, TokenPair};
use super::{ConnectionStatus, Integrations, Provider, ProviderError, ProviderSetup, RemoteCalendar};
use crate::accounts::Member;
use crate::{ServiceError, Services, tokens};

const ATTEMPT_TTL_SECS: i64 = 600;

/// Why connecting did not work, as a code the Integrations page explains.
#[derive(Debug, thiserror::Error)]
pub enum ConnectFailure {
    #[error("the member declined access")]
    Declined,
    #[error("the attempt expired or belongs to another session")]
    Expired,
    #[error("not every permission was granted")]
    MissingPermission,
    #[error("the provider could not be reached")]
    Unreachable,
    #[error("the provider refused: {0}")]
    Refused(String),
    /// A CalDAV server refused the username or password.
    #[error("the server refused the username or password")]
    WrongPassword,
    /// A CalDAV server was reached but holds no calendars for events.
    #[error("no calendars were found")]
    NoCalendars,
    /// The CalDAV address cannot be used (not https, or inside a private network).
    #[error("the server address cannot be used: {0}")]
    Address(crate::outbound::Refused),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl ConnectFailure {
    /// A stable word for the page's address (`?microsoft=declined`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::MissingPermission => "permissions",
            Self::Unreachable => "unreachable",
            Self::WrongPassword => "password",
            Self::NoCalendars => "no_calendars",
            Self::Address(crate::outbound::Refused::NotHttps) => "not_https",
            Self::Address(crate::outbound::Refused::PrivateAddress) => "private_address",
            Self::Address(crate::outbound::Refused::Malformed) => "address",
            Self::Refused(_) | Self::Service(_) => "failed",
        }
    }
}

impl From<sqlx::Error> for ConnectFailure {
    fn from(e: sqlx::Error) -> Self {
        Self::Service(e.into())
    }
}

/// What the provider sent back to the callback.
#[derive(Debug, Clone)]
pub enum CallbackOutcome {
    Code(String),
    /// The member declined (`access_denied`) or the provider reported another error.
    Refused(String),
}

impl Services {
    /// The Integrations page of `member_id` (themself, or any member for an admin).
    pub async fn integrations(&self, actor: &Member, member_id: i64) -> Result<Integrations, ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let oauth = Provider::OAUTH.into_iter().map(|provider| ProviderSetup {
            provider,
            configured: self.config().calendars.of(provider).is_some(),
            redirect_uri: self.redirect_uri(provider).to_string(),
        });
        // CalDAV needs no set-up by an admin: members sign in to their own server.
        let caldav = ProviderSetup {
            provider: Provider::Caldav,
            configured: true,
            redirect_uri: String::new(),
        };
        let providers = oauth.chain(std::iter::once(caldav)).collect();
        Ok(Integrations {
            providers,
            connections: store::connections_of(self.db().pool(), member.id).await?,
        })
    }

    /// Starts connecting the signed-in member's account at `provider`: returns where to send the
    /// browser.
    pub async fn start_connect(
        &self,
        member: &Member,
        provider: Provider,
        session_secret: &str,
    ) -> Result<url::Url, ServiceError> {
        let settings =
            self.config().calendars.of(provider).ok_or_else(|| {
                ServiceError::Conflict(format!("{} is not configured on this server.", provider.label()))
            })?;
        let hint = store::connection_of(self.db().pool(), member.id, provider)
            .await?
            .map(|c| c.account);
        let authorization = oauth::authorize(provider, settings, &self.redirect_uri(provider), hint.as_deref());
        let now = self.clock().now();
        sqlx::query("DELETE FROM oauth_attempts WHERE expires_at <= $1")
            .bind(now)
            .execute(self.db().pool())
            .await?;
        sqlx::query(
            "INSERT INTO oauth_attempts (state_hash, session_hash, member_id, provider, verifier_sealed, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tokens::digest(&authorization.state))
        .bind(tokens::digest(session_secret))
        .bind(member.id)
        .bind(provider.as_str())
        .bind(self.token_sealer().seal(authorization.verifier.as_bytes())?)
        .bind(now + ATTEMPT_TTL_SECS)
        .execute(self.db().pool())
        .await?;
        Ok(authorization.url)
    }

    /// Finishes connecting after the provider's redirect: exchanges the code (with the PKCE
    /// verifier), stores the tokens sealed, lists the calendars and reads busy time once.
    pub async fn finish_connect(
        &self,
        member: &Member,
        provider: Provider,
        session_secret: &str,
        state: &str,
        outcome: CallbackOutcome,
    ) -> Result<(), ConnectFailure> {
        let verifier = self.take_attempt(member, provider, session_secret, state).await?;
        let code = match outcome {
            CallbackOutcome::Code(code) => code,
            CallbackOutcome::Refused(reason) if reason == "access_denied" => return Err(ConnectFailure::Declined),
            CallbackOutcome::Refused(reason) => return Err(ConnectFailure::Refused(reason)),
        };
        let settings = self.provider_settings(provider).map_err(connect_failed)?;
        let grant = oauth::exchange(self.http(), settings, &self.redirect_uri(provider), code, verifier)
            .await
            .map_err(connect_failed)?;
        if !oauth::grants_everything(provider, &grant.scopes) {
            return Err(ConnectFailure::MissingPermission);
        }
        let refresh = grant
            .refresh
            .ok_or_else(|| ConnectFailure::Refused("no refresh token (offline access)".into()))?;
        let api = CalendarApi {
            provider,
            http: self.http(),
            root: &settings.endpoints.api,
            access_token: grant.access.clone(),
        };
        let (account, calendars) = api.account_and_calendars().await.map_err(connect_failed)?;
        let now = self.clock().now();
        let pair = TokenPair {
            access: grant.access,
            refresh,
            access_expires_at: now + grant.expires_in_secs,
        };
        let granted = grant.scopes.join(" ");
        let connection_id = self
            .save_connection(member, provider, (&account, &calendars), &pair, &granted, None)
            .await?;
        tracing::info!(
            member = member.id,
            connection_id,
            provider = provider.as_str(),
            "calendar connected"
        );
        self.refresh_busy(connection_id).await?;
        Ok(self.follow_calendars(connection_id).await?)
    }

    pub(super) async fn save_connection(
        &self,
        member: &Member,
        provider: Provider,
        (account, calendars): (&str, &[RemoteCalendar]),
        tokens: &TokenPair,
        scopes: &str,
        server: Option<&str>,
    ) -> Result<i64, ServiceError> {
        let mut tx = self.db().pool().begin().await?;
        let new = NewConnection {
            member_id: member.id,
            provider,
            account,
            server,
            tokens,
            scopes,
            now: self.clock().now(),
        };
        let id = store::upsert_connection(&mut *tx, &self.token_sealer(), &new).await?;
        store::replace_calendars(&mut tx, id, calendars).await?;
        tx.commit().await?;
        self.busy_changed();
        Ok(id)
    }

    /// The attempt's PKCE verifier, consuming the attempt; it must belong to this session.
    async fn take_attempt(
        &self,
        member: &Member,
        provider: Provider,
        session_secret: &str,
        state: &str,
    ) -> Result<String, ConnectFailure> {
        let row: Option<(String,)> = sqlx::query_as(
            "DELETE FROM oauth_attempts WHERE state_hash = $1 AND session_hash = $2 AND member_id = $3 \
             AND provider = $4 AND expires_at > $5 RETURNING verifier_sealed",
        )
        .bind(tokens::digest(state))
        .bind(tokens::digest(session_secret))
        .bind(member.id)
        .bind(provider.as_str())
        .bind(self.clock().now())
        .fetch_optional(self.db().pool())
        .await?;
        let (sealed,) = row.ok_or(ConnectFailure::Expired)?;
        let verifier = self.token_sealer().open(&sealed).map_err(ServiceError::internal)?;
        Ok(String::from_utf8(verifier).map_err(ServiceError::internal)?)
    }

    /// Saves which calendars count as busy and which one receives new bookings.
    pub async fn choose_calendars(
        &self,
        actor: &Member,
        member_id: i64,
        provider: Provider,
        conflicts: &[String],
        destination: Option<&str>,
    ) -> Result<(), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let connection = store::connection_of(self.db().pool(), member.id, provider)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let known = |id: &str| connection.calendars.iter().find(|c| c.id == id);
        if let Some(unknown) = conflicts.iter().find(|id| known(id).is_none()) {
            return Err(ServiceError::Conflict(format!(
                "{unknown} is not one of your calendars."
            )));
        }
        if let Some(id) = destination
            && !known(id).is_some_and(|c| c.writable)
        {
            return Err(ServiceError::Conflict(
                "Bookings can only go to a calendar you can write to.".into(),
            ));
        }
        let mut tx = self.db().pool().begin().await?;
        store::choose(&mut tx, connection.id, conflicts, destination).await?;
        tx.commit().await?;
        self.refresh_busy(connection.id).await?;
        self.follow_calendars(connection.id).await
    }

    /// Revokes access at the provider where it has a revocation endpoint (Google; best effort,
    /// the member may have revoked it already; a Microsoft grant is removed by the member under
    /// their account's app permissions), deletes the stored tokens and busy time, and forgets
    /// which events were written; bookings themselves stay as they are.
    pub async fn disconnect(&self, actor: &Member, member_id: i64, provider: Provider) -> Result<(), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let Some(connection) = store::connection_of(self.db().pool(), member.id, provider).await? else {
            return Ok(());
        };
        self.unfollow_all(&connection).await?;
        let (_, pair) = store::tokens(self.db().pool(), &self.token_sealer(), connection.id).await?;
        let revoke = self
            .config()
            .calendars
            .of(provider)
            .and_then(|s| s.endpoints.revoke.as_ref());
        if let Some(revoke) = revoke
            && let Err(e) = oauth::revoke(self.http(), revoke, &pair.refresh).await
        {
            tracing::warn!(connection_id = connection.id, error = %e, "revoking at the provider failed");
        }
        let mut tx = self.db().pool().begin().await?;
        sqlx::query("DELETE FROM booking_calendar_events WHERE member_id = $1 AND provider = $2")
            .bind(member.id)
            .bind(provider.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM calendar_connections WHERE id = $1")
            .bind(connection.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.busy_changed();
        tracing::info!(
            member = member.id,
            provider = provider.as_str(),
            "calendar disconnected"
        );
        Ok(())
    }
}

/// A provider failure while connecting, sorted for the member.
fn connect_failed(error: ProviderError) -> ConnectFailure {
    match error {
        ProviderError::Unreachable(_) | ProviderError::Throttled { .. } => ConnectFailure::Unreachable,
        other => ConnectFailure::Refused(other.to_string()),
    }
}

/// One member's connection as admins see it in the team's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamCalendar {
    pub member_id: i64,
    pub member_name: String,
    pub provider: Provider,
    pub health: CalendarHealth,
    /// Syncing one of its calendars has failed since it last worked.
    pub sync_failing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarHealth {
    Healthy,
    /// Access was revoked or expired: bookings are not written, and once the last busy time is
    /// too old the member is not offered either.
    ReconnectNeeded,
    /// Busy time could not be read for too long to trust: the member is not offered.
    Stale,
}

impl CalendarHealth {
    pub fn of(status: ConnectionStatus, busy_synced_at: Option<i64>, now: i64) -> Self {
        match (status, super::busy_is_stale(busy_synced_at, now)) {
            (ConnectionStatus::ReconnectNeeded, _) => Self::ReconnectNeeded,
            (ConnectionStatus::Active, true) => Self::Stale,
            (ConnectionStatus::Active, false) => Self::Healthy,
        }
    }
}

impl Services {
    /// Every connection of the team, with whether it needs attention: members whose connection
    /// needs a reconnect or whose busy time is too old are not offered for booking meanwhile.
    /// Admins only.
    pub async fn team_calendars(&self, actor: &Member) -> Result<Vec<TeamCalendar>, ServiceError> {
        crate::accounts::require_admin(actor)?;
        let now = self.clock().now();
        let rows: Vec<(i64, String, String, String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT m.id, m.name, c.provider, c.status, c.busy_synced_at, (SELECT COUNT(*) FROM calendar_syncs s \
             WHERE s.connection_id = c.id AND s.last_error_at IS NOT NULL \
             AND (s.last_synced_at IS NULL OR s.last_synced_at < s.last_error_at)) FROM calendar_connections c \
             JOIN members m ON m.id = c.member_id WHERE m.team_id = $1 AND m.removed_at IS NULL ORDER BY m.name",
        )
        .bind(actor.team_id)
        .fetch_all(self.db().pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(member_id, member_name, provider, status, synced_at, failing)| {
                Some(TeamCalendar {
                    member_id,
                    member_name,
                    provider: Provider::parse(&provider)?,
                    health: CalendarHealth::of(ConnectionStatus::from_column(&status), synced_at, now),
                    sync_failing: failing > 0,
                })
            })
            .collect())
    }
}
