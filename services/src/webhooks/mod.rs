//! Webhooks: bookings delivered to admins' own endpoints (CRMs), signed so receivers can trust
//! them, over a client that cannot be turned against the server's own network.

pub mod outbound;
pub mod signature;
