//! Push notifications from Google and Microsoft. A notification is authenticated by the secret
//! we gave its channel (Google's channel token, Graph's `clientState`): the channel is looked up
//! by its id, never by anything else the caller sends, and the secret's digest compared in
//! constant time. An authentic notification only makes the calendar due for a sync, so the
//! receiver answers at once and a burst of notifications collapses into one or two syncs.

use crate::{ServiceError, Services, tokens};
use serde::Deserialize;

/// A subscription Graph asks us to reauthorize is treated as expiring this soon.
const RENEW_AT_ONCE_SECS: i64 = 60;

/// Why a notification was not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("no such channel")]
    UnknownChannel,
    #[error("the channel's secret does not match")]
    WrongSecret,
    #[error("not a notification")]
    Malformed,
    #[error("internal error")]
    Internal,
}

impl From<ServiceError> for Refused {
    fn from(error: ServiceError) -> Self {
        tracing::error!(error = ?anyhow::Error::from(error), "handling a calendar notification");
        Self::Internal
    }
}

impl From<sqlx::Error> for Refused {
    fn from(error: sqlx::Error) -> Self {
        ServiceError::from(error).into()
    }
}

/// Equal digests, compared without an early exit.
fn same_digest(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[derive(Deserialize)]
struct Batch<T> {
    value: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphNotification {
    subscription_id: String,
    client_state: Option<String>,
    lifecycle_event: Option<String>,
}

impl Services {
    /// A Google push message (`X-Goog-Channel-ID`, `X-Goog-Channel-Token`,
    /// `X-Goog-Resource-State`). The first message of a channel (`sync`) says only that it works.
    pub async fn google_notification(&self, channel_id: &str, token: &str, state: &str) -> Result<(), Refused> {
        let sync_id = self.authentic_channel(channel_id, token).await?;
        if state != "sync" {
            self.mark_due(sync_id).await?;
        }
        Ok(())
    }

    /// A batch of Graph change notifications; every one must be authentic, or none is used.
    pub async fn microsoft_notifications(&self, body: &[u8]) -> Result<(), Refused> {
        for (sync_id, _) in self.authentic_graph_batch(body).await? {
            self.mark_due(sync_id).await?;
        }
        Ok(())
    }

    /// Graph lifecycle notifications: `reauthorizationRequired` renews the subscription at the
    /// next sync, `subscriptionRemoved` makes a new one and lists the calendar whole, `missed`
    /// syncs at once.
    pub async fn microsoft_lifecycle(&self, body: &[u8]) -> Result<(), Refused> {
        let pool = self.db().pool();
        for (sync_id, event) in self.authentic_graph_batch(body).await? {
            let now = self.clock().now();
            match event.as_deref() {
                Some("reauthorizationRequired") => {
                    // Still live but inside the renewal margin: the sync renews it in place.
                    sqlx::query("UPDATE calendar_syncs SET channel_expires_at = $1 WHERE id = $2")
                        .bind(now + RENEW_AT_ONCE_SECS)
                        .bind(sync_id)
                        .execute(pool)
                        .await?;
                }
                Some("subscriptionRemoved") => {
                    sqlx::query(
                        "UPDATE calendar_syncs SET channel_id = NULL, channel_token_hash = NULL, \
                         channel_expires_at = NULL, sync_token = NULL WHERE id = $1",
                    )
                    .bind(sync_id)
                    .execute(pool)
                    .await?;
                }
                _ => {}
            }
            tracing::info!(sync = sync_id, event = ?event, "Graph lifecycle notification");
            self.mark_due(sync_id).await?;
        }
        Ok(())
    }

    /// The followed calendars a Graph batch is about, with each item's lifecycle event; refused
    /// whole unless every item carries its subscription's secret.
    async fn authentic_graph_batch(&self, body: &[u8]) -> Result<Vec<(i64, Option<String>)>, Refused> {
        let batch: Batch<GraphNotification> = serde_json::from_slice(body).map_err(|_| Refused::Malformed)?;
        let mut authentic = Vec::with_capacity(batch.value.len());
        for notification in batch.value {
            let secret = notification.client_state.as_deref().unwrap_or_default();
            let sync_id = self.authentic_channel(&notification.subscription_id, secret).await?;
            authentic.push((sync_id, notification.lifecycle_event));
        }
        Ok(authentic)
    }

    /// The followed calendar whose channel this is, if `secret` is the one we gave it.
    async fn authentic_channel(&self, channel_id: &str, secret: &str) -> Result<i64, Refused> {
        let row: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, channel_token_hash FROM calendar_syncs WHERE channel_id = $1")
                .bind(channel_id)
                .fetch_optional(self.db().pool())
                .await?;
        let (sync_id, stored) = row.ok_or(Refused::UnknownChannel)?;
        let presented = tokens::digest(secret);
        if stored.is_some_and(|stored| same_digest(&stored, &presented)) {
            Ok(sync_id)
        } else {
            tracing::warn!(
                sync = sync_id,
                "a calendar notification with a wrong secret was refused"
            );
            Err(Refused::WrongSecret)
        }
    }

    /// Makes the calendar due now and wakes this process's worker.
    async fn mark_due(&self, sync_id: i64) -> Result<(), Refused> {
        let now = self.clock().now();
        sqlx::query("UPDATE calendar_syncs SET due_at = $1 WHERE id = $2 AND due_at > $1")
            .bind(now)
            .bind(sync_id)
            .execute(self.db().pool())
            .await?;
        self.syncs_due();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digests_are_equal_only_when_every_byte_is() {
        assert!(super::same_digest("abcd", "abcd"));
        assert!(!super::same_digest("abcd", "abce"));
        assert!(!super::same_digest("abcd", "abc"));
    }
}
