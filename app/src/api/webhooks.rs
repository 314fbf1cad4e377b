//! The Webhooks pages (admins): endpoints that receive bookings as they change, each with its
//! signing secret (shown once), settings, and delivery log with Resend and a test event.

#[cfg(feature = "ssr")]
mod present;

use super::Choice;
use crate::error::AppError;
use crate::lang::Dash;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How long a rotated-out secret may keep signing beside the new one, in hours, as offered:
/// long enough for a receiver to switch without missing a delivery.
pub const OVERLAPS: [(&str, Dash); 4] = [
    ("0", Dash::WebhooksOverlapNone),
    ("1", Dash::WebhooksOverlapHour),
    ("24", Dash::WebhooksOverlapDay),
    ("168", Dash::WebhooksOverlapWeek),
];
/// The overlap chosen unless the admin picks another.
pub const DEFAULT_OVERLAP: &str = "24";

/// The add and edit forms as typed. Field names match the service's field errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointForm {
    pub url: String,
    pub description: String,
    /// Event names (`booking.created`), as the checkboxes send them.
    pub events: Vec<String>,
    /// Event type ids, as the checkboxes send them; none: every event type.
    pub event_type_ids: Vec<String>,
    /// Present (`"on"`) when the checkbox is ticked.
    pub enabled: Option<String>,
}

/// How an endpoint is doing, for its badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Health {
    Active,
    Failing,
    Disabled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointStatus {
    pub health: Health,
    /// "Active", "Failing since Tue 19 Jan 2027, 10:00", "Disabled after failures"…
    pub label: String,
    /// What it means, or why the server disabled it.
    pub detail: Option<String>,
}

/// One endpoint, every label ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// The subscribed events' labels.
    pub events: Vec<String>,
    /// "All event types", or their titles.
    pub event_types: String,
    pub enabled: bool,
    pub status: EndpointStatus,
    /// While a rotated-out secret still signs: until when.
    pub rotation: Option<String>,
    /// The edit form's starting values.
    pub form: EndpointForm,
}

/// What the forms offer: the subscribable events and the team's event types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointChoices {
    pub events: Vec<Choice>,
    pub event_types: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookList {
    pub endpoints: Vec<EndpointView>,
    pub choices: EndpointChoices,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDetails {
    pub endpoint: EndpointView,
    pub choices: EndpointChoices,
}

/// A signing secret, shown once: after adding an endpoint and after a rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSecret {
    pub id: i64,
    pub url: String,
    pub secret: String,
}

/// Where a delivery stands, for its badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryState {
    Pending,
    Delivered,
    Failed,
}

/// One delivery of the log, every label ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    /// The event's name, as receivers see it (`booking.created`).
    pub event: String,
    pub state: DeliveryState,
    /// "Delivered", "Failed", "Sending…" or "Retrying".
    pub state_label: String,
    /// The last answer's status code, or "—".
    pub response: String,
    pub attempts: i64,
    /// When it was made (or resent), in the viewer's zone.
    pub when: String,
    /// The first bytes of the last answer.
    pub excerpt: Option<String>,
    pub error: Option<String>,
    pub resendable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLog {
    /// Newest first.
    pub deliveries: Vec<DeliveryRow>,
    /// Something was just queued and is about to be answered: worth checking again soon.
    pub settling: bool,
}

#[server]
pub async fn list_webhooks() -> Result<WebhookList, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let endpoints = services.webhook_endpoints(&admin).await?;
    let lookup = present::Lookup::new(&services, &admin).await?;
    Ok(WebhookList {
        endpoints: endpoints.iter().map(|e| lookup.endpoint(e)).collect(),
        choices: lookup.choices(),
    })
}

#[server]
pub async fn load_webhook(id: i64) -> Result<WebhookDetails, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let endpoint = services.webhook_endpoint(&admin, id).await?;
    let lookup = present::Lookup::new(&services, &admin).await?;
    Ok(WebhookDetails {
        endpoint: lookup.endpoint(&endpoint),
        choices: lookup.choices(),
    })
}

/// Adds an endpoint; the answer carries its signing secret, which is never shown again.
#[server]
pub async fn create_webhook(#[server(flatten)] form: EndpointForm) -> Result<NewSecret, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let input = present::input(&form).map_err(crate::ssr::invalid)?;
    Ok(present::new_secret(
        services.create_webhook_endpoint(&admin, &input).await?,
    ))
}

#[server]
pub async fn update_webhook(id: i64, #[server(flatten)] form: EndpointForm) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let input = present::input(&form).map_err(crate::ssr::invalid)?;
    services.update_webhook_endpoint(&admin, id, &input).await?;
    Ok(())
}

#[server]
pub async fn set_webhook_enabled(id: i64, enabled: bool) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    services.set_webhook_endpoint_enabled(&admin, id, enabled).await?;
    Ok(())
}

/// Removes the endpoint and its log, then returns to the list.
#[server]
pub async fn delete_webhook(id: i64) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    services.delete_webhook_endpoint(&admin, id).await?;
    leptos_axum::redirect("/dashboard/webhooks");
    Ok(())
}

/// A new signing secret (shown once); the old one keeps signing for `overlap_hours`.
#[server]
pub async fn rotate_webhook_secret(id: i64, overlap_hours: String) -> Result<NewSecret, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let overlap = present::overlap_secs(&overlap_hours).map_err(crate::ssr::invalid)?;
    Ok(present::new_secret(
        services.rotate_webhook_secret(&admin, id, overlap).await?,
    ))
}

#[server]
pub async fn send_test_webhook(id: i64) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    services.send_test_webhook(&admin, id).await?;
    Ok(())
}

#[server]
pub async fn webhook_deliveries(id: i64) -> Result<DeliveryLog, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let deliveries = services.webhook_deliveries(&admin, id).await?;
    let zone = crate::ssr::Zone::new(&admin.timezone);
    Ok(present::delivery_log(deliveries, &zone, services.clock().now()))
}

/// Sends a delivery again, with the same delivery id and body.
#[server]
pub async fn resend_webhook_delivery(endpoint: i64, delivery: i64) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    services.resend_webhook_delivery(&admin, endpoint, delivery).await?;
    Ok(())
}
