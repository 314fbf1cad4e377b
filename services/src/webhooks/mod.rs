//! Webhooks: bookings delivered to admins' own endpoints (CRMs), signed so receivers can trust
//! them, over a client that cannot be turned against the server's own network.
//!
//! A booking change enqueues, inside the transaction that makes it, one delivery per subscribed
//! endpoint: a row holding the exact body (so every attempt and every resend sends the same bytes
//! under the same delivery id) and a job in the durable queue. Webhook jobs run in their own lane,
//! several at once, so a slow receiver never delays an invitation email. See ARCHITECTURE.md,
//! "Webhooks".

mod deliver;
mod endpoints;
mod enqueue;
mod events;
mod log;
mod notice;
pub mod payload;
mod settings;
pub mod signature;

pub use endpoints::{Endpoint, EndpointInput, IssuedSecret};
pub(crate) use enqueue::{Owner, booking_changed, host_calendar_changed};
pub use events::WebhookEvent;
pub use log::Delivery;
pub use settings::WebhookSettings;

/// The job that sends one delivery.
pub const WEBHOOK_JOB: &str = "webhook";
/// The job that tells an admin an endpoint was disabled.
pub const DISABLED_NOTICE_JOB: &str = "webhook_disabled_notice";
