//! Plumbing shared by the provider simulators (`google-sim`, `ms-sim`). Everything here is about
//! *being* a simulator — serving on a port, a simulated clock, queued faults, the request log,
//! PKCE, server-rendered pages, webhook retries, the binary's start-up — and nothing about what a
//! provider answers: wire formats, error envelopes and resource rules stay in each simulator.
//!
//! A simulator keeps its whole world in one struct behind [`Shared`]'s mutex and implements
//! [`World`] for it; the middleware ([`faults::apply`], [`recording::record`]), the control
//! routes ([`control::routes`]) and [`Controls`] (what every `ControlHandle` offers) are generic
//! over that trait.

mod accounts;
mod app;
pub mod binary;
pub mod control;
mod error;
pub mod faults;
pub mod html;
pub mod oauth;
pub mod params;
pub mod pkce;
pub mod recording;
mod running;
pub mod tokens;
pub mod webhook;
mod world;

#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::{Clients, UserSpec};
pub use app::app;
pub use control::{Control, ControlApi, Controls};
pub use error::SimError;
pub use faults::{Fault, FaultKind};
pub use oauth::{OAuthClient, TokenInfo};
pub use recording::RecordedRequest;
pub use running::{Running, serve};
pub use world::{Plumbing, Shared, Sim, World};

/// For [`control_handle!`]'s expansion in crates that name `serde_json` differently.
#[doc(hidden)]
pub use serde_json;
