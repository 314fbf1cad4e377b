//! Push channels of followed calendars, kept by the sync that holds the calendar's lease, so two
//! processes never renew one twice. Google channels cannot be extended: a new one is made and
//! then the old one stopped (notifications overlap briefly, which costs at most one more sync).
//! Graph subscriptions are extended with a PATCH; one that is gone is made again, followed by a
//! full listing, since changes may have been missed meanwhile. A channel that cannot be made
//! leaves the calendar polled, and the reason on the Integrations page.

use super::remote::ChannelRequest;
use super::sync::Claimed;
use super::{Connection, Provider};
use crate::{ServiceError, Services, tokens};

/// A calendar's channel after [`Services::keep_channel`].
pub(super) struct KeptChannel {
    /// `None`: the calendar is polled.
    pub expires_at: Option<i64>,
    /// The channel was gone: changes may have been missed, so list the calendar whole.
    pub missed_changes: bool,
}

impl KeptChannel {
    fn live(expires_at: Option<i64>) -> Self {
        Self {
            expires_at,
            missed_changes: false,
        }
    }
}

impl Services {
    /// Makes sure the calendar has a live channel when push is possible.
    pub(super) async fn keep_channel(
        &self,
        connection: &Connection,
        claimed: &Claimed,
    ) -> Result<KeptChannel, ServiceError> {
        let settings = &self.config().calendars.sync;
        let now = self.clock().now();
        if !connection.provider.has_push() {
            return Ok(KeptChannel::live(None));
        }
        let Some(root) = settings.push_address(&self.config().public_url) else {
            if claimed.channel_id.is_some() {
                self.close_channel(connection, claimed).await;
                self.store_channel(claimed.id, None, None).await?;
            }
            return Ok(KeptChannel::live(None));
        };
        let live = claimed
            .channel_expires_at
            .filter(|at| *at > now && claimed.channel_id.is_some());
        if let Some(expires) = live
            && expires - now > settings.renew_margin()
        {
            return Ok(KeptChannel::live(Some(expires)));
        }
        let mut missed_changes = false;
        let wanted_until = now + settings.channel_lifetime_secs;
        if let (Some(id), Some(_), Provider::Microsoft) = (&claimed.channel_id, live, connection.provider) {
            let renewed = self
                .with_api(
                    connection,
                    |api| async move { api.renew_channel(id, wanted_until).await },
                )
                .await;
            match renewed {
                Ok(Some(at)) => {
                    self.store_renewal(claimed.id, at).await?;
                    return Ok(KeptChannel::live(Some(at)));
                }
                Ok(None) => missed_changes = true, // gone: made again below
                Err(e) => {
                    self.store_push_error(claimed.id, &e.to_string()).await?;
                    return Ok(KeptChannel::live(live));
                }
            }
        }
        let secret = tokens::issue();
        let id = format!("rdv-{}-{}", claimed.id, &tokens::uid()[..12]);
        let path = |suffix: &str| format!("{}/webhooks/{suffix}", root.as_str().trim_end_matches('/'));
        let (address, lifecycle) = (path(connection.provider.as_str()), path("microsoft/lifecycle"));
        let request = ChannelRequest {
            calendar: &claimed.calendar_id,
            id: &id,
            address: &address,
            lifecycle_address: &lifecycle,
            secret: &secret.secret,
            expires_at: wanted_until,
        };
        let request = &request;
        let opened = self
            .with_api(connection, |api| async move { api.open_channel(request, now).await })
            .await;
        match opened {
            Ok(opened) => {
                self.store_channel(claimed.id, Some(&opened), Some(&secret.digest))
                    .await?;
                if live.is_some() && connection.provider == Provider::Google {
                    self.close_channel(connection, claimed).await;
                }
                tracing::info!(sync = claimed.id, expires_at = opened.expires_at, "push channel opened");
                Ok(KeptChannel {
                    expires_at: Some(opened.expires_at),
                    missed_changes,
                })
            }
            Err(e) => {
                tracing::warn!(sync = claimed.id, error = %e, "no push channel: the calendar is polled");
                self.store_push_error(claimed.id, &e.to_string()).await?;
                Ok(KeptChannel {
                    expires_at: live,
                    missed_changes,
                })
            }
        }
    }

    /// Stops the claimed row's channel at the provider; best effort (an expired or already
    /// stopped channel only costs a notification we refuse).
    pub(super) async fn close_channel(&self, connection: &Connection, claimed: &Claimed) {
        let Some(id) = &claimed.channel_id else { return };
        let resource = claimed.channel_resource.as_deref();
        let closed = self
            .with_api(connection, |api| async move { api.close_channel(id, resource).await })
            .await;
        if let Err(e) = closed {
            tracing::warn!(sync = claimed.id, error = %e, "stopping a push channel failed");
        }
    }

    async fn store_channel(
        &self,
        sync_id: i64,
        channel: Option<&super::remote::OpenedChannel>,
        secret_digest: Option<&str>,
    ) -> Result<(), ServiceError> {
        sqlx::query(
            "UPDATE calendar_syncs SET channel_id = $1, channel_resource = $2, channel_token_hash = $3, \
             channel_expires_at = $4, push_error = NULL WHERE id = $5",
        )
        .bind(channel.map(|c| c.id.as_str()))
        .bind(channel.and_then(|c| c.resource.as_deref()))
        .bind(secret_digest)
        .bind(channel.map(|c| c.expires_at))
        .bind(sync_id)
        .execute(self.db().pool())
        .await?;
        Ok(())
    }

    async fn store_renewal(&self, sync_id: i64, expires_at: i64) -> Result<(), ServiceError> {
        sqlx::query("UPDATE calendar_syncs SET channel_expires_at = $1, push_error = NULL WHERE id = $2")
            .bind(expires_at)
            .bind(sync_id)
            .execute(self.db().pool())
            .await?;
        Ok(())
    }

    async fn store_push_error(&self, sync_id: i64, error: &str) -> Result<(), ServiceError> {
        sqlx::query("UPDATE calendar_syncs SET push_error = $1 WHERE id = $2")
            .bind(error)
            .bind(sync_id)
            .execute(self.db().pool())
            .await?;
        Ok(())
    }
}
