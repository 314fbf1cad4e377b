//! A faithful local simulator of the Google OAuth 2.0 (web server flow with PKCE) and Calendar
//! API v3 subset Rendezvous uses, for tests and local development without Google.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use google_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default()).await?;
//! let endpoints = sim.endpoints(); // authorize / token / revoke / calendar_api URLs
//! sim.control.insert_event("host@example.com", serde_json::json!({
//!     "summary": "Dentist",
//!     "start": {"dateTime": "2026-03-02T09:00:00Z"},
//!     "end": {"dateTime": "2026-03-02T10:00:00Z"},
//! }))?;
//! # let _ = endpoints; Ok(()) }
//! ```
//!
//! Wire behaviour follows `shared/reference/provider-apis.md` (paths, field names, status codes,
//! error envelopes). Behaviour Google leaves undocumented is configurable in [`SimConfig`].
//! Tests drive the simulated world through [`ControlHandle`] (or `/_control/…` over HTTP):
//! accounts and calendars, changes made "by the user", token revocation and expiry, injected
//! faults, the request log, delivered push notifications and the clock, and how Meet answers:
//! per account ([`ConferenceMode`]: a link at once, `pending` for a few reads, or `failure`) and
//! per calendar (which conference solution types it offers).
//!
//! Events carry Meet conferences the way Google documents them: a write with
//! `conferenceDataVersion=1` and `conferenceData.createRequest` asks for one (a repeated
//! `requestId` is ignored, a new one makes a new conference), and `events.get`, `events.list` and
//! incremental sync show `conferenceData` and `hangoutLink` alike.
//!
//! Deliberate limits: one OAuth "project" (channels ids are unique across the simulator),
//! recurring events are stored but not expanded (`singleEvents` does not create instances), no
//! `openid`/`email` scopes or ID tokens, and notifications go to `http://` addresses too (tests
//! have no TLS receivers) but not to `https://` ones (no TLS client is compiled in).

mod auth;
mod calendar;
mod conference;
mod config;
mod consent;
mod control;
mod error;
mod event;
mod events;
mod faults;
mod freebusy;
mod handle;
mod ids;
mod listing;
mod oauth;
mod oauth_state;
mod query;
mod routing;
mod scopes;
mod server;
mod state;
mod store;
mod sync;
mod token;
mod watch;

pub use conference::ConferenceMode;
pub use config::{
    ConfigPatch, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER, Delivery, OAuthClient, OAuthConfig,
    ProviderPatch, SimConfig, UserSpec,
};
pub use error::{ApiError, ErrorItem, OAuthError, SimError};
pub use faults::{Fault, FaultKind};
pub use handle::ControlHandle;
pub use server::{Endpoints, Running, Simulator};
pub use sim_support::RecordedRequest;
pub use sim_support::TokenInfo;
pub use state::{AccessRole, CalendarInfo, NewCalendar};
pub use watch::{ChannelInfo, DeliveredNotification};

/// Scope URLs, for building authorization requests in tests.
pub mod scope {
    pub use crate::scopes::{
        CALENDAR, CALENDAR_READONLY, CALENDARLIST, CALENDARLIST_READONLY, EVENTS, EVENTS_FREEBUSY, EVENTS_OWNED,
        EVENTS_OWNED_READONLY, EVENTS_READONLY, FREEBUSY,
    };
}
