//! Plumbing shared by the provider simulators (`google-sim`, `ms-sim`). Everything here is about
//! *being* a simulator — serving on a port, a simulated clock, queued faults, the request log,
//! the control API, the configuration and bookkeeping every authorization server has (accounts,
//! apps, codes, consent, access tokens), PKCE, server-rendered pages, webhook retries, the
//! binary's start-up, each account's video-conference mode and the conferences made — and
//! nothing about what a provider answers: wire formats, error envelopes and resource rules stay
//! in each simulator.
//!
//! A simulator keeps its whole world in one struct behind [`Shared`]'s mutex and implements
//! [`World`] (the parts the plumbing reaches) and [`ControlApi`] (what tests set up and inspect)
//! for it; the middleware ([`faults::apply`], [`recording::record`]), the control routes
//! ([`control::routes`]) and [`Controls`] (what every `ControlHandle` offers) are generic over
//! those traits. Its `SimConfig` holds the shared [`OAuthConfig`] and implements [`Settings`].
//! A world whose events carry video conferences also implements [`Conferences`] and serves
//! [`conferencing::routes`].

mod accounts;
mod app;
pub mod binary;
pub mod conferencing;
pub mod config;
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

pub use accounts::{Account, Accounts, Clients, UserSpec};
pub use app::app;
pub use conferencing::{Conference, Conferences, Conferencing};
pub use config::{ConfigPatch, DEFAULT_USER, OAuthConfig, OAuthPatch, Settings};
pub use control::{ControlApi, Controls, Handle};
pub use error::SimError;
pub use faults::{Fault, FaultKind};
pub use oauth::{OAuthClient, TokenInfo};
pub use recording::RecordedRequest;
pub use running::{Running, serve};
pub use world::{Plumbing, Shared, Sim, World};
