//! Members' external calendars: connecting an account (OAuth), choosing which calendars count as
//! busy and which receives bookings, reading busy time for slots, writing bookings as events, and
//! disconnecting, for Google Calendar, Outlook (Microsoft Graph) and any CalDAV server (iCloud,
//! Fastmail, Nextcloud…); the types here are the provider-neutral face the rest of Rendezvous sees.

mod api;
mod busy;
mod caldav;
mod caldav_connect;
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
pub use caldav_connect::{CaldavLogin, CaldavPreset};
pub use connect::{CalendarHealth, CallbackOutcome, ConnectFailure, TeamCalendar};
pub use events::CALENDAR_JOB;
pub(crate) use events::{booking_changed, write_to};
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
    /// Any CalDAV server: Apple iCloud, Fastmail, Nextcloud, Radicale…, with a password.
    Caldav,
}

impl Provider {
    /// The providers connected through OAuth (CalDAV takes a username and password instead).
    pub const OAUTH: [Self; 2] = [Self::Google, Self::Microsoft];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Google => "google",
            Self::Microsoft => "microsoft",
            Self::Caldav => "caldav",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Google => "Google Calendar",
            Self::Microsoft => "Outlook Calendar",
            Self::Caldav => "CalDAV calendar",
        }
    }

    /// Whose account it is, for "Google refused access".
    pub fn company(self) -> &'static str {
        match self {
            Self::Google => "Google",
            Self::Microsoft => "Microsoft",
            Self::Caldav => "The CalDAV server",
        }
    }

    /// Whether the provider can notify changes (CalDAV has no standard push: it is polled).
    pub fn has_push(self) -> bool {
        !matches!(self, Self::Caldav)
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "google" => Some(Self::Google),
            "microsoft" => Some(Self::Microsoft),
            "caldav" => Some(Self::Caldav),
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
    /// `#rrggbb`, as the member sees the calendar in their own app.
    pub color: Option<String>,
    /// The meetings events of this calendar can carry, as the provider lists them.
    pub meetings: Vec<crate::conferencing::MeetingKind>,
}

/// What the test fixtures read of CalDAV answers with the product's own parser.
#[cfg(feature = "test-support")]
pub mod test_support {
    /// Every response of a multi-status answer as (href, etag, calendar data).
    pub fn multistatus(body: &str) -> Vec<(String, Option<String>, String)> {
        super::caldav::xml::multistatus(body)
            .expect("a multi-status answer")
            .responses
            .into_iter()
            .map(|r| (r.href, r.etag, r.calendar_data.unwrap_or_default()))
            .collect()
    }
}

/// `#RRGGBB` or `#RRGGBBAA` as `#rrggbb`; anything else is dropped, since a colour reaches a
/// style attribute of the page.
pub(crate) fn plain_color(raw: &str) -> Option<String> {
    let hex = raw.trim().strip_prefix('#')?;
    let rgb = hex.get(..6).filter(|_| matches!(hex.len(), 6 | 8))?;
    rgb.chars()
        .all(|c| c.is_ascii_hexdigit())
        .then(|| format!("#{}", rgb.to_ascii_lowercase()))
}

#[cfg(test)]
#[test]
fn colours_reach_the_page_only_as_plain_hex() {
    assert_eq!(plain_color("#1BADF8FF").as_deref(), Some("#1badf8"));
    assert_eq!(plain_color("red;background:url(x)"), None);
    assert_eq!(plain_color("#12345"), None);
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
    /// `#rrggbb`, as the member sees the calendar in their own app.
    pub color: Option<String>,
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
    /// A CalDAV connection's calendar home (OAuth providers live at their configured API root).
    pub server: Option<url::Url>,
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
