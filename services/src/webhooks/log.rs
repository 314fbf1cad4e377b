//! An endpoint's recent deliveries as admins see them, with Resend and Send test event.

use super::endpoints::Endpoint;
use super::enqueue::{Delivery as NewDelivery, queue_attempt};
use super::{WebhookEvent, payload};
use crate::accounts::Member;
use crate::{ServiceError, Services, tokens};

/// How many deliveries the log shows.
pub const LOG_LENGTH: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    /// The `Rendezvous-Delivery` id.
    pub uid: String,
    pub event: String,
    /// `pending` (being tried), `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    /// The first bytes of the last response.
    pub response_excerpt: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Services {
    /// The endpoint's newest deliveries first (admins).
    pub async fn webhook_deliveries(&self, actor: &Member, endpoint_id: i64) -> Result<Vec<Delivery>, ServiceError> {
        self.webhook_endpoint(actor, endpoint_id).await?;
        Ok(sqlx::query_as(
            "SELECT id, uid, event, state, attempts, response_status, response_excerpt, last_error, created_at, \
             updated_at FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(endpoint_id)
        .bind(LOG_LENGTH)
        .fetch_all(self.db().pool())
        .await?)
    }

    /// Sends a delivery again, with the same id and body (receivers that saw it drop it).
    pub async fn resend_webhook_delivery(
        &self,
        actor: &Member,
        endpoint_id: i64,
        delivery_id: i64,
    ) -> Result<(), ServiceError> {
        let endpoint = self.webhook_endpoint(actor, endpoint_id).await?;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let delivery: Option<(String, String)> = sqlx::query_as(
            "UPDATE webhook_deliveries SET state = 'pending', created_at = $1, updated_at = $1 \
             WHERE id = $2 AND endpoint_id = $3 AND state <> 'pending' RETURNING uid, event",
        )
        .bind(now)
        .bind(delivery_id)
        .bind(endpoint_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((uid, event)) = delivery else {
            return Err(ServiceError::NotFound);
        };
        let key = format!("{uid}:resend:{}", tokens::uid());
        self.webhooks_queued();
        queue_attempt(&mut tx, delivery_id, &label(&event, &uid, &endpoint), &key, now).await?;
        tx.commit().await?;
        self.jobs_enqueued();
        tracing::info!(endpoint = endpoint_id, delivery = %uid, by = actor.id, "webhook delivery resent");
        Ok(())
    }

    /// Sends a made-up booking to the endpoint (even a disabled one, to check it works again); it
    /// shows in the log like any delivery, tried once.
    pub async fn send_test_webhook(&self, actor: &Member, endpoint_id: i64) -> Result<i64, ServiceError> {
        let endpoint = self.webhook_endpoint(actor, endpoint_id).await?;
        let now = self.clock().now();
        let mut tx = self.db().begin_write().await?;
        let delivery = NewDelivery {
            endpoint: &endpoint,
            event: WebhookEvent::Test,
            booking_id: None,
            booking: payload::sample(now, &self.config().public_origin()),
            calendar_change: None,
        };
        self.webhooks_queued();
        let id = delivery.insert(&mut tx, now).await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(id)
    }
}

/// "booking.created dlv_… to https://crm.example.com/…", for admins looking at failed jobs.
pub(super) fn label(event: &str, uid: &str, endpoint: &Endpoint) -> String {
    format!("{event} {uid} to {}", endpoint.url)
}
