//! A faithful local simulator of the Microsoft identity platform v2.0 (authorization-code flow
//! with PKCE, rotating refresh tokens) and the Microsoft Graph calendar subset Rendezvous uses,
//! for tests and local development without Microsoft.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use ms_sim::{DEFAULT_USER, SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default()).await?;
//! let endpoints = sim.endpoints(); // authority / authorize / token / graph URLs
//! let calendar = sim.control.default_calendar(DEFAULT_USER).expect("the default user's calendar");
//! sim.control.insert_event(&calendar.id, serde_json::json!({
//!     "subject": "Dentist",
//!     "start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "W. Europe Standard Time"},
//!     "end": {"dateTime": "2026-03-02T10:00:00", "timeZone": "W. Europe Standard Time"},
//! }))?;
//! # let _ = endpoints; Ok(()) }
//! ```
//!
//! The Graph surface: `/me`; `/me/calendars` and `/me/calendar(s/{id})`; events created, read,
//! patched and deleted under `/me/events`, `/me/calendar/events` and `/me/calendars/{id}/events`;
//! `/me/calendarView` and `/me/calendars/{id}/calendarView` (the events overlapping a
//! `startDateTime`..`endDateTime` window, paged by `@odata.nextLink`); `/me/calendarView/delta`;
//! `/me/calendar/getSchedule`; and `/subscriptions` for change notifications. Events become
//! online meetings with `isOnlineMeeting: true` (and `onlineMeetingProvider`) on a create or an
//! update; they carry `onlineMeeting.joinUrl` from then on, in every read, calendarView and delta
//! alike, and calendars report `allowedOnlineMeetingProviders`/`defaultOnlineMeetingProvider`.
//!
//! Wire behaviour follows `shared/reference/provider-apis.md` (paths, field names, status codes,
//! error envelopes, AADSTS codes). Where Microsoft's sources disagree or are silent, the choice
//! is a field of [`SimConfig`]. Tests drive the simulated world through [`ControlHandle`] (or
//! `/_control/…` over HTTP): accounts and calendars, changes made "by the user", revocation and
//! expiry of tokens, injected faults, the request log, delivered notifications and the clock,
//! and each account's Teams ([`TeamsMode`]: available, unavailable — a Skype link instead — or
//! failing — no link).
//!
//! Deliberate limits: one tenant of work accounts (no personal Microsoft accounts, no guests);
//! one app registration model (client secret, no certificates, no `.default` scope, no other
//! resources than Graph); tokens are not signed (access tokens have a random signature, ID
//! tokens use `alg: none`); a user sees only the calendars of their own mailbox (no sharing or
//! delegation); recurring events are stored but not expanded into occurrences (calendarView
//! lists a series as one event); invitations are not sent to attendees; open extensions are
//! refused; throttling happens only when a fault is injected (no request quotas).

mod auth;
mod authorize;
mod config;
mod consent;
mod control;
mod delivery;
mod delta;
mod error;
mod event;
mod events;
mod faults;
mod handle;
mod identity;
mod ids;
mod jwt;
mod me;
mod online_meeting;
mod prefer;
mod routing;
mod schedule;
mod scopes;
mod server;
mod state;
mod store;
mod subscriptions;
mod token;
mod view;
mod zones;

pub use config::{
    ConfigPatch, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, DEFAULT_USER, Delivery, OAuthClient,
    OAuthConfig, ProviderPatch, SimConfig, UserSpec,
};
pub use error::{GraphError, IdentityError, SimError};
pub use faults::{Fault, FaultKind};
pub use handle::ControlHandle;
pub use online_meeting::TeamsMode;
pub use server::{Endpoints, Running, Simulator};
pub use sim_support::{RecordedRequest, TokenInfo};
pub use state::{CalendarInfo, NewCalendar, UserInfo};
pub use subscriptions::{DeliveredNotification, SubscriptionInfo};

/// Scope names, for building authorization requests in tests.
pub mod scope {
    pub use crate::scopes::{
        CALENDARS_READ, CALENDARS_READ_WRITE, EMAIL, GRAPH_RESOURCE, OFFLINE_ACCESS, OPENID, PROFILE, USER_READ,
    };
}
