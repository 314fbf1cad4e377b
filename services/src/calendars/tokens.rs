//! Access tokens for provider calls: refreshed shortly before they expire, one refresh at a time
//! per connection; a grant that is gone marks the connection "reconnect needed", tells the member
//! once, and stops every further call.

use super::settings::ProviderSettings;
use super::store::{self, TOKEN_PURPOSE};
use super::{Provider, ProviderError, oauth};
use crate::crypto::Sealer;
use crate::{ServiceError, Services};

/// Tokens this close to expiry are refreshed before use.
const REFRESH_MARGIN_SECS: i64 = 300;

impl Services {
    pub(super) fn token_sealer(&self) -> Sealer {
        Sealer::new(&self.config().secret_key, TOKEN_PURPOSE)
    }

    pub(super) fn provider_settings(&self, provider: Provider) -> Result<&ProviderSettings, ProviderError> {
        self.config()
            .calendars
            .of(provider)
            .ok_or_else(|| ProviderError::Other(format!("{} is not configured on this server", provider.label())))
    }

    /// Where the provider sends the member back after consent; must be registered with the client.
    pub fn redirect_uri(&self, provider: Provider) -> url::Url {
        let mut url = self.config().public_url.clone();
        url.set_path(&format!("/integrations/{}/callback", provider.as_str()));
        url.set_query(None);
        url
    }

    pub(super) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The client for CalDAV servers, which members name themselves: it follows no redirect and
    /// reaches no private address unless `RENDEZVOUS_CALDAV_ALLOW_PRIVATE` says so.
    pub(super) fn caldav_http(&self) -> &reqwest::Client {
        &self.inner.caldav_http
    }

    /// A usable access token for the connection, refreshed first if it expires soon.
    pub(super) async fn access_token(&self, connection_id: i64) -> Result<String, ProviderError> {
        self.token_lasting(connection_id, REFRESH_MARGIN_SECS).await
    }

    /// Refreshes unconditionally (after the provider refused a token it should have accepted).
    pub(super) async fn forced_access_token(&self, connection_id: i64) -> Result<String, ProviderError> {
        self.token_lasting(connection_id, i64::MAX).await
    }

    /// The stored access token if it lasts more than `margin` seconds, else a refreshed one. One
    /// refresh at a time per connection across every process: a lock in this process, then a
    /// lease in the database (Microsoft rotates refresh tokens, so two refreshes racing with the
    /// same one would leave one of them with a spent token). A caller that finds another
    /// process refreshing waits for it and uses the token it stored.
    async fn token_lasting(&self, connection_id: i64, margin: i64) -> Result<String, ProviderError> {
        let lock = self.inner.calendar_locks.of(connection_id);
        let _one_refresh_at_a_time = lock.lock().await;
        let pool = self.db().pool();
        let unavailable = |e: anyhow::Error| ProviderError::Other(format!("{e:#}"));
        let lease = i64::try_from(self.config().calendars.provider_timeout.as_secs()).unwrap_or(30) + 5;
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(lease.unsigned_abs());
        let mut seen: Option<String> = None;
        loop {
            let (provider, tokens) = store::tokens(pool, &self.token_sealer(), connection_id)
                .await
                .map_err(unavailable)?;
            let now = self.clock().now();
            let refreshed_elsewhere = seen.as_ref().is_some_and(|first| *first != tokens.access);
            if refreshed_elsewhere || tokens.access_expires_at.saturating_sub(now) > margin {
                return Ok(tokens.access);
            }
            seen.get_or_insert_with(|| tokens.access.clone());
            if store::claim_refresh(pool, connection_id, now, now + lease)
                .await
                .map_err(unavailable)?
            {
                // Read again under the lease: a holder that released it since our read has
                // stored a new pair, and our refresh token may be the spent one.
                let (_, current) = store::tokens(pool, &self.token_sealer(), connection_id)
                    .await
                    .map_err(unavailable)?;
                let refreshed = if current.access != tokens.access {
                    Ok(current.access)
                } else {
                    self.refresh_access_token(connection_id, provider, current.refresh)
                        .await
                };
                store::release_refresh(pool, connection_id).await.map_err(unavailable)?;
                return refreshed;
            }
            if std::time::Instant::now() >= give_up {
                return Err(ProviderError::Unreachable(
                    "another process is refreshing the access token".into(),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    async fn refresh_access_token(
        &self,
        connection_id: i64,
        provider: Provider,
        refresh_token: String,
    ) -> Result<String, ProviderError> {
        let settings = self.provider_settings(provider)?;
        let redirect = self.redirect_uri(provider);
        match oauth::refresh(self.http(), provider, settings, &redirect, refresh_token).await {
            Ok(grant) => {
                let now = self.clock().now();
                store::store_refreshed(
                    self.db().pool(),
                    &self.token_sealer(),
                    connection_id,
                    (&grant.access, grant.refresh.as_deref()),
                    now + grant.expires_in_secs,
                    now,
                )
                .await
                .map_err(|e| ProviderError::Other(format!("{e:#}")))?;
                Ok(grant.access)
            }
            Err(ProviderError::Revoked(reason)) => {
                self.connection_lost(connection_id, provider, &reason)
                    .await
                    .map_err(|e| ProviderError::Other(e.to_string()))?;
                Err(ProviderError::Revoked(reason))
            }
            Err(other) => Err(other),
        }
    }

    /// Records that the grant is gone and, the first time, emails the member.
    pub(super) async fn connection_lost(
        &self,
        connection_id: i64,
        provider: Provider,
        reason: &str,
    ) -> Result<(), ServiceError> {
        let problem = format!(
            "{} refused access ({reason}). Reconnect to keep your calendar in sync.",
            provider.company()
        );
        let now = self.clock().now();
        if store::mark_reconnect_needed(self.db().pool(), connection_id, &problem, now).await? {
            tracing::warn!(connection_id, "calendar connection needs reconnecting");
            self.busy_changed();
            self.enqueue_reconnect_notice(connection_id, now).await?;
        }
        Ok(())
    }
}

/// One async lock per connection, so its tokens are refreshed by one caller at a time.
#[derive(Default)]
pub(crate) struct ConnectionLocks(
    std::sync::Mutex<std::collections::HashMap<i64, std::sync::Arc<tokio::sync::Mutex<()>>>>,
);

impl ConnectionLocks {
    fn of(&self, connection_id: i64) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        std::sync::Arc::clone(locks.entry(connection_id).or_default())
    }
}
