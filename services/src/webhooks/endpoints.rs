//! Webhook endpoints, managed by admins: where to send which events, and the signing secret (shown
//! once, sealed at rest, rotatable with an overlap during which both secrets sign).

use super::WebhookEvent;
use crate::accounts::{Member, require_admin};
use crate::crypto::Sealer;
use crate::outbound::{self, Refused};
use crate::{ServiceError, Services, tokens};
use domain::FieldErrors;

/// Bounds the deliveries one booking change can cause.
pub const MAX_ENDPOINTS: usize = 20;
/// The longest a rotated-out secret keeps signing.
pub const MAX_OVERLAP_SECS: i64 = 7 * 86_400;
const SECRET_PREFIX: &str = "whsec_";

/// An endpoint as admins see it (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
    /// Empty: every event type.
    pub event_type_ids: Vec<i64>,
    pub enabled: bool,
    /// Why the server disabled it ("Failing for 3 days"), when it did.
    pub disabled_reason: Option<String>,
    /// The first failure since the last success.
    pub failing_since: Option<i64>,
    /// Until when the previous secret still signs, after a rotation.
    pub previous_secret_until: Option<i64>,
    pub created_at: i64,
}

impl Endpoint {
    pub(crate) fn wants(&self, event: WebhookEvent, event_type_id: i64) -> bool {
        self.enabled
            && self.events.contains(&event)
            && (self.event_type_ids.is_empty() || self.event_type_ids.contains(&event_type_id))
    }

    /// The endpoint's settings as an admin would submit them, to change some and keep the rest.
    pub fn input(&self) -> EndpointInput {
        EndpointInput {
            url: self.url.clone(),
            description: self.description.clone(),
            events: self.events.iter().map(|e| e.as_str().to_owned()).collect(),
            event_type_ids: self.event_type_ids.clone(),
            enabled: self.enabled,
        }
    }
}

/// What an admin submits to create or change an endpoint.
#[derive(Debug, Clone, Default)]
pub struct EndpointInput {
    pub url: String,
    pub description: String,
    /// Event names, e.g. `booking.created`.
    pub events: Vec<String>,
    /// Empty: every event type.
    pub event_type_ids: Vec<i64>,
    pub enabled: bool,
}

/// A signing secret, shown once: when the endpoint is created and after each rotation.
#[derive(Debug, Clone)]
pub struct IssuedSecret {
    pub endpoint: Endpoint,
    pub secret: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct EndpointRow {
    id: i64,
    url: String,
    description: String,
    events: String,
    event_type_ids: String,
    #[sqlx(try_from = "crate::db::IntBool")]
    enabled: bool,
    disabled_reason: Option<String>,
    failing_since: Option<i64>,
    previous_secret_until: Option<i64>,
    created_at: i64,
}

impl From<EndpointRow> for Endpoint {
    fn from(row: EndpointRow) -> Self {
        let names: Vec<String> = serde_json::from_str(&row.events).unwrap_or_default();
        Self {
            id: row.id,
            url: row.url,
            description: row.description,
            events: names.iter().filter_map(|n| WebhookEvent::parse(n)).collect(),
            event_type_ids: serde_json::from_str(&row.event_type_ids).unwrap_or_default(),
            enabled: row.enabled,
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since,
            previous_secret_until: row.previous_secret_until,
            created_at: row.created_at,
        }
    }
}

/// The columns an [`EndpointRow`] reads, for `SELECT … FROM webhook_endpoints e`.
macro_rules! endpoint_columns {
    () => {
        "e.id, e.url, e.description, e.events, e.event_type_ids, e.enabled, e.disabled_reason, e.failing_since, \
         e.previous_secret_until, e.created_at"
    };
}
pub(super) use endpoint_columns;

/// The endpoint input checked, every problem named at once.
struct Checked {
    url: String,
    description: String,
    events: String,
    event_type_ids: String,
}

pub(crate) fn sealer(services: &Services) -> Sealer {
    Sealer::new(&services.config().secret_key, "webhook-signing-secret")
}

impl Services {
    /// The team's endpoints, oldest first (admins).
    pub async fn webhook_endpoints(&self, actor: &Member) -> Result<Vec<Endpoint>, ServiceError> {
        require_admin(actor)?;
        let rows: Vec<EndpointRow> = sqlx::query_as(concat!(
            "SELECT ",
            endpoint_columns!(),
            " FROM webhook_endpoints e WHERE e.team_id = $1 ORDER BY e.id"
        ))
        .bind(actor.team_id)
        .fetch_all(self.db().pool())
        .await?;
        Ok(rows.into_iter().map(Endpoint::from).collect())
    }

    pub async fn webhook_endpoint(&self, actor: &Member, id: i64) -> Result<Endpoint, ServiceError> {
        self.webhook_endpoints(actor)
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or(ServiceError::NotFound)
    }

    /// Adds an endpoint; its secret is in the answer and never shown again.
    pub async fn create_webhook_endpoint(
        &self,
        actor: &Member,
        input: &EndpointInput,
    ) -> Result<IssuedSecret, ServiceError> {
        require_admin(actor)?;
        let checked = self.check_endpoint(actor, input).await?;
        let mut tx = self.db().begin_write().await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_endpoints WHERE team_id = $1")
            .bind(actor.team_id)
            .fetch_one(&mut *tx)
            .await?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_ENDPOINTS {
            return Err(
                FieldErrors::single("url", format!("A team can have at most {MAX_ENDPOINTS} endpoints.")).into(),
            );
        }
        let secret = new_secret();
        let now = self.clock().now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_endpoints (team_id, url, description, events, event_type_ids, secret_sealed, enabled, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(actor.team_id)
        .bind(&checked.url)
        .bind(&checked.description)
        .bind(&checked.events)
        .bind(&checked.event_type_ids)
        .bind(sealer(self).seal(secret.as_bytes()).map_err(ServiceError::internal)?)
        .bind(i64::from(input.enabled))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(endpoint = id, by = actor.id, "webhook endpoint added");
        Ok(IssuedSecret {
            endpoint: self.webhook_endpoint(actor, id).await?,
            secret,
        })
    }

    /// Changes an endpoint. Enabling one clears its failure record, so it gets three more days.
    pub async fn update_webhook_endpoint(
        &self,
        actor: &Member,
        id: i64,
        input: &EndpointInput,
    ) -> Result<Endpoint, ServiceError> {
        let before = self.webhook_endpoint(actor, id).await?;
        let checked = self.check_endpoint(actor, input).await?;
        let (failing_since, reason) = if input.enabled && !before.enabled {
            (None, None)
        } else {
            (before.failing_since, before.disabled_reason.clone())
        };
        sqlx::query(
            "UPDATE webhook_endpoints SET url = $1, description = $2, events = $3, event_type_ids = $4, enabled = $5, \
             failing_since = $6, disabled_reason = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(&checked.url)
        .bind(&checked.description)
        .bind(&checked.events)
        .bind(&checked.event_type_ids)
        .bind(i64::from(input.enabled))
        .bind(failing_since)
        .bind(reason.filter(|_| !input.enabled))
        .bind(self.clock().now())
        .bind(id)
        .execute(self.db().pool())
        .await?;
        tracing::info!(
            endpoint = id,
            by = actor.id,
            enabled = input.enabled,
            "webhook endpoint changed"
        );
        self.webhook_endpoint(actor, id).await
    }

    /// Turns an endpoint off or on again, keeping its other settings (as [`Self::update_webhook_endpoint`]).
    pub async fn set_webhook_endpoint_enabled(
        &self,
        actor: &Member,
        id: i64,
        enabled: bool,
    ) -> Result<Endpoint, ServiceError> {
        let input = EndpointInput {
            enabled,
            ..self.webhook_endpoint(actor, id).await?.input()
        };
        self.update_webhook_endpoint(actor, id, &input).await
    }

    /// Removes an endpoint with its delivery log; queued deliveries find nothing to send.
    pub async fn delete_webhook_endpoint(&self, actor: &Member, id: i64) -> Result<(), ServiceError> {
        self.webhook_endpoint(actor, id).await?;
        sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
            .bind(id)
            .execute(self.db().pool())
            .await?;
        tracing::info!(endpoint = id, by = actor.id, "webhook endpoint removed");
        Ok(())
    }

    /// A new secret for the endpoint; the old one keeps signing beside it for `overlap_secs`
    /// (at most 7 days) so receivers can switch without missing a delivery.
    pub async fn rotate_webhook_secret(
        &self,
        actor: &Member,
        id: i64,
        overlap_secs: i64,
    ) -> Result<IssuedSecret, ServiceError> {
        self.webhook_endpoint(actor, id).await?;
        if !(0..=MAX_OVERLAP_SECS).contains(&overlap_secs) {
            return Err(FieldErrors::single("overlap_hours", "Keep the old secret for 0 to 168 hours.").into());
        }
        let now = self.clock().now();
        let secret = new_secret();
        sqlx::query(
            "UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_until = $1, \
             secret_sealed = $2, updated_at = $3 WHERE id = $4",
        )
        .bind((overlap_secs > 0).then_some(now + overlap_secs))
        .bind(sealer(self).seal(secret.as_bytes()).map_err(ServiceError::internal)?)
        .bind(now)
        .bind(id)
        .execute(self.db().pool())
        .await?;
        tracing::info!(endpoint = id, by = actor.id, overlap_secs, "webhook secret rotated");
        Ok(IssuedSecret {
            endpoint: self.webhook_endpoint(actor, id).await?,
            secret,
        })
    }

    async fn check_endpoint(&self, actor: &Member, input: &EndpointInput) -> Result<Checked, ServiceError> {
        let mut errors = FieldErrors::new();
        let url = match outbound::check_url(&input.url, self.config().webhooks.allow_private) {
            Ok(url) => Some(url.to_string()),
            Err(refused) => {
                errors.add("url", refusal(&refused));
                None
            }
        };
        let description = input.description.trim();
        if description.chars().count() > 200 {
            errors.add("description", "Describe the endpoint in at most 200 characters.");
        }
        let mut events: Vec<&'static str> = Vec::new();
        for name in &input.events {
            match WebhookEvent::parse(name) {
                Some(event) if !events.contains(&event.as_str()) => events.push(event.as_str()),
                Some(_) => {}
                None => errors.add("events", format!("{name:?} is not an event you can subscribe to.")),
            }
        }
        if input.events.is_empty() {
            errors.add("events", "Choose at least one event.");
        }
        let known: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM event_types WHERE team_id = $1 AND deleted_at IS NULL")
                .bind(actor.team_id)
                .fetch_all(self.db().pool())
                .await?;
        if input.event_type_ids.iter().any(|id| !known.contains(id)) {
            errors.add("event_type_ids", "Choose event types of this team.");
        }
        let mut event_type_ids = input.event_type_ids.clone();
        event_type_ids.sort_unstable();
        event_type_ids.dedup();
        errors.into_result()?;
        Ok(Checked {
            url: url.unwrap_or_default(),
            description: description.to_owned(),
            events: serde_json::to_string(&events).map_err(ServiceError::internal)?,
            event_type_ids: serde_json::to_string(&event_type_ids).map_err(ServiceError::internal)?,
        })
    }
}

fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", tokens::issue().secret)
}

fn refusal(refused: &Refused) -> String {
    match refused {
        Refused::NotHttps => "Use an https:// address.".to_owned(),
        Refused::PrivateAddress => {
            "This address is inside a private network; Rendezvous only sends to public addresses.".to_owned()
        }
        Refused::Malformed => "Enter a web address such as https://crm.example.com/hooks/rendezvous.".to_owned(),
    }
}
