//! Members' external calendars: connecting an account (OAuth), choosing which calendars count as
//! busy and which receives bookings, reading busy time for slots, writing bookings as events, and
//! disconnecting, for Google Calendar and Outlook (Microsoft Graph); the types here are the
//! provider-neutral face the rest of Rendezvous sees.

mod api;
mod busy;
mod channels;
mod connect;
mod events;
mod follow_status;
mod google;
mod google_sync;
mod graph;
mod graph_sync;
mod host_changes;
mod meetings;
mod notice;
mod notifications;
mod oauth;
mod own_events;
mod reconcile;
mod remote;
pub mod settings;
mod store;
mod sync;
pub mod sync_settings;
mod sync_state;
mod tokens;
mod week;
mod wire;

pub(crate) use busy::BusyCache;
pub use busy::busy_is_stale;
pub use connect::{CalendarHealth, CallbackOutcome, ConnectFailure, TeamCalendar};
pub use events::CALENDAR_JOB;
pub(crate) use events::booking_changed;
pub use follow_status::{FollowStatus, PollReason, Updates};
pub use host_changes::{CANCELLED_BY_HOST, HOST_CHANGE_JOB, HostChanges};
pub use notice::NOTICE_JOB;
pub use notifications::Refused;
pub use settings::CalendarSettings;
pub use sync::SYNC_NOW_EVERY_SECS;
pub use sync_state::{CalendarSync, HostChange, SyncState};
pub(crate) use tokens::ConnectionLocks;
pub use week::{CalendarEntry, CalendarWeek, EntryKind};

/// A calendar service members can connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Google,
    /// Outlook / Microsoft 365 through Microsoft Graph.
    Microsoft,
}

impl Provider {
    pub const ALL: [Self; 2] = [Self::Google, Self::Microsoft];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Google => "google",
            Self::Microsoft => "microsoft",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Google => "Google Calendar",
            Self::Microsoft => "Outlook Calendar",
        }
    }

    /// Whose account it is, for "Google refused access".
    pub fn company(self) -> &'static str {
        match self {
            Self::Google => "Google",
            Self::Microsoft => "Microsoft",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "google" => Some(Self::Google),
            "microsoft" => Some(Self::Microsoft),
            _ => None,
        }
    }
}

/// One calendar of a connected account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCalendar {
    pub id: String,
    pub name: String,
    pub primary: bool,
    pub writable: bool,
    /// The meetings events of this calendar can carry, as the provider lists them.
    pub meetings: Vec<crate::conferencing::MeetingKind>,
}

/// What went wrong talking to a provider, sorted by what to do about it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    /// The access token was refused: refresh it and try once more.
    #[error("the provider refused the access token")]
    Unauthorized,
    /// Rate limited or a server error: try again later.
    #[error("the provider asked to slow down or failed (retry after {retry_after:?})")]
    Throttled { retry_after: Option<std::time::Duration> },
    /// The grant is gone (`invalid_grant`): only reconnecting helps.
    #[error("access was revoked or expired: {0}")]
    Revoked(String),
    /// A request the provider will never accept as sent.
    #[error("the provider refused the request ({status}): {reason}")]
    Rejected { status: u16, reason: String },
    #[error("the provider could not be reached: {0}")]
    Unreachable(String),
    #[error("{0}")]
    Other(String),
}

impl ProviderError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Throttled { .. } | Self::Unreachable(_) | Self::Unauthorized)
    }
}

/// A connection's state as the member (and admins) see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ConnectionStatus {
    Active,
    /// Access was revoked or expired: Rendezvous stopped calling the provider.
    ReconnectNeeded,
}

impl ConnectionStatus {
    /// The `status` column: `active`, or `reconnect_needed`.
    pub(crate) fn from_column(status: &str) -> Self {
        if status == "active" {
            Self::Active
        } else {
            Self::ReconnectNeeded
        }
    }
}

/// A calendar of a connection with the member's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarChoice {
    pub id: String,
    pub name: String,
    pub primary: bool,
    pub writable: bool,
    pub check_conflicts: bool,
    /// The meetings its events can carry (a destination must allow the event type's).
    pub meetings: Vec<crate::conferencing::MeetingKind>,
}

/// One connected account, for the Integrations page and admins' member list.
#[derive(Debug, Clone)]
pub struct Connection {
    pub id: i64,
    pub member_id: i64,
    pub provider: Provider,
    pub account: String,
    pub status: ConnectionStatus,
    pub problem: Option<String>,
    pub calendars: Vec<CalendarChoice>,
    pub destination: Option<String>,
    /// When busy time was last read successfully.
    pub busy_synced_at: Option<i64>,
    pub busy_error: Option<String>,
}

impl Connection {
    /// True when slots treat this member as unavailable because busy time is too old.
    pub fn busy_is_stale(&self, now: i64) -> bool {
        busy_is_stale(self.busy_synced_at, now)
    }

    pub fn health(&self, now: i64) -> CalendarHealth {
        CalendarHealth::of(self.status, self.busy_synced_at, now)
    }
}

/// Everything the Integrations page needs.
#[derive(Debug, Clone)]
pub struct Integrations {
    /// Every provider, configured or not, in a fixed order.
    pub providers: Vec<ProviderSetup>,
    pub connections: Vec<Connection>,
}

/// Whether a provider can be connected on this installation, and how an admin enables it.
#[derive(Debug, Clone)]
pub struct ProviderSetup {
    pub provider: Provider,
    pub configured: bool,
    /// The address to register with the provider as the OAuth redirect URI.
    pub redirect_uri: String,
}
