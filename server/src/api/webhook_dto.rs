//! Wire types of the webhook endpoints (an admin's API key required).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An endpoint; to create one, `url` and `events` are required (`enabled` defaults to true); an
/// update changes only the fields present.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WebhookIn {
    /// https, to a public address (unless the server allows private ones).
    #[schema(example = "https://crm.example.com/hooks/rendezvous")]
    pub url: Option<String>,
    #[schema(example = "Pipedrive sync")]
    pub description: Option<String>,
    /// Any of `booking.created`, `booking.rescheduled`, `booking.cancelled`,
    /// `booking.host_changed`, `booking.host_calendar_changed`.
    #[schema(example = json!(["booking.created", "booking.cancelled"]))]
    pub events: Option<Vec<String>>,
    /// Only these event types (`team/slug`); empty or absent on creation: every event type.
    #[schema(example = json!(["acme/demo"]))]
    pub event_types: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookOut {
    #[schema(example = 1)]
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    /// Empty: every event type.
    pub event_types: Vec<String>,
    pub enabled: bool,
    /// Why the server disabled it (three days of failures), if it did.
    pub disabled_reason: Option<String>,
    /// The first failed delivery since the last success (RFC 3339).
    pub failing_since: Option<String>,
    /// After a rotation, until when the previous secret still signs (RFC 3339).
    pub previous_secret_until: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookOut>,
}

/// An endpoint with its signing secret, shown only here (creation and rotation).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    pub webhook: WebhookOut,
    /// The HMAC-SHA256 key of `Rendezvous-Signature`.
    #[schema(example = "whsec_5Jz…")]
    pub secret: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RotateIn {
    /// How long the previous secret keeps signing beside the new one (0 to 168; default 24).
    #[schema(example = 24)]
    pub overlap_hours: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    #[schema(example = 7)]
    pub id: i64,
    /// The `Rendezvous-Delivery` header.
    #[schema(example = "dlv_0f1e2d3c4b5a69788796")]
    pub delivery_id: String,
    #[schema(example = "booking.created")]
    pub event: String,
    /// `pending` (being tried), `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    /// The first bytes of the last response.
    pub response_excerpt: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first, at most 50.
    pub deliveries: Vec<DeliveryOut>,
}
