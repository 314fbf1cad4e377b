//! Simulator configuration. Every behaviour that Google leaves undocumented or that practitioners
//! only observed (see `provider-apis.md`, "[obs]") is a field here, so a test can choose it.

use std::time::Duration;

use serde::{Deserialize, Serialize};
pub use sim_support::{OAuthClient, UserSpec};

/// The OAuth client every fresh simulator knows, so a test can start without registering one.
pub const DEFAULT_CLIENT_ID: &str = "rendezvous-sim.apps.googleusercontent.com";
/// Secret of [`DEFAULT_CLIENT_ID`].
pub const DEFAULT_CLIENT_SECRET: &str = "GOCSPX-simulator-secret";
/// The Google account every fresh simulator knows; its primary calendar has this id.
pub const DEFAULT_USER: &str = "host@example.com";

/// Everything configurable. `Default` is the documented Google behaviour.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub clients: Vec<OAuthClient>,
    /// The first user is the one signed in at the consent page unless `login_hint` names another.
    pub users: Vec<UserSpec>,
    /// `expires_in` of access tokens; Google answers ~3599 s.
    pub access_token_lifetime: Duration,
    /// How long an authorization code can be exchanged (Google does not publish it).
    pub code_lifetime: Duration,
    /// Absolute refresh-token lifetime: `None` in production, 7 days for apps in "Testing".
    /// When set, the token response carries `refresh_token_expires_in`.
    pub refresh_token_lifetime: Option<Duration>,
    /// Refresh tokens unused for this long die (Google: six months).
    pub refresh_token_idle_lifetime: Option<Duration>,
    /// Live refresh tokens per account and client; issuing one more silently drops the oldest.
    pub max_refresh_tokens_per_grant: usize,
    /// Google returns a refresh token only on first consent unless `prompt=consent`.
    pub refresh_token_only_on_first_consent: bool,
    /// A repeat authorization whose scopes are already granted redirects without a consent page
    /// (unless `prompt` asks for consent), as Google does.
    pub skip_consent_when_granted: bool,
    /// Granular consent: the page shows a checkbox per scope and the user may grant a subset.
    pub granular_consent: bool,
    /// Page size of `events.list` when the caller sends no `maxResults` (Google: 250).
    pub events_page_size: usize,
    /// Upper bound on any page; Google may return fewer items than `maxResults`, so a small cap
    /// here proves the client follows `nextPageToken` instead of trusting page sizes.
    pub max_page_size: usize,
    /// Sync tokens older than this answer 410 `fullSyncRequired` (`None`: never).
    pub sync_token_lifetime: Option<Duration>,
    /// Longest `freeBusy` window before 400 `timeRangeTooLong` (undocumented, ~90 days observed).
    pub freebusy_max_range: Option<Duration>,
    /// Channel lifetime when the watch request has no `params.ttl` (Google: 604800 s).
    pub channel_default_ttl: Duration,
    /// Internal cap on a channel's lifetime (Google publishes none).
    pub channel_max_ttl: Option<Duration>,
    /// Watch responses carry `expiration` as a JSON string (discovery doc) or a number (guide).
    pub channel_expiration_as_number: bool,
    /// Message numbers "increase, not sequentially": skip numbers at random when true.
    pub sparse_message_numbers: bool,
    /// Retries after a 500/502/503/504 (or unreachable) webhook reply.
    pub notification_retries: u32,
    /// First retry delay; doubles each attempt.
    pub notification_retry_base: Duration,
    /// Per-attempt timeout for webhook POSTs.
    pub notification_timeout: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            clients: vec![OAuthClient::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "Rendezvous")],
            users: vec![UserSpec::new(DEFAULT_USER)],
            access_token_lifetime: Duration::from_secs(3599),
            code_lifetime: Duration::from_secs(600),
            refresh_token_lifetime: None,
            refresh_token_idle_lifetime: Some(Duration::from_secs(183 * 24 * 3600)),
            max_refresh_tokens_per_grant: 100,
            refresh_token_only_on_first_consent: true,
            skip_consent_when_granted: true,
            granular_consent: true,
            events_page_size: 250,
            max_page_size: 2500,
            sync_token_lifetime: None,
            freebusy_max_range: Some(Duration::from_secs(90 * 24 * 3600)),
            channel_default_ttl: Duration::from_secs(604_800),
            channel_max_ttl: None,
            channel_expiration_as_number: false,
            sparse_message_numbers: false,
            notification_retries: 3,
            notification_retry_base: Duration::from_millis(100),
            notification_timeout: Duration::from_secs(10),
        }
    }
}

/// The runtime-adjustable subset of [`SimConfig`], as accepted by `PATCH /_control/config`
/// (durations in seconds). Absent fields stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigPatch {
    pub access_token_lifetime_secs: Option<u64>,
    pub code_lifetime_secs: Option<u64>,
    pub events_page_size: Option<usize>,
    pub max_page_size: Option<usize>,
    pub refresh_token_only_on_first_consent: Option<bool>,
    pub skip_consent_when_granted: Option<bool>,
    pub granular_consent: Option<bool>,
    pub channel_expiration_as_number: Option<bool>,
    pub sparse_message_numbers: Option<bool>,
}

impl ConfigPatch {
    pub(crate) fn apply(&self, config: &mut SimConfig) {
        let secs = Duration::from_secs;
        if let Some(v) = self.access_token_lifetime_secs {
            config.access_token_lifetime = secs(v);
        }
        if let Some(v) = self.code_lifetime_secs {
            config.code_lifetime = secs(v);
        }
        if let Some(v) = self.events_page_size {
            config.events_page_size = v.max(1);
        }
        if let Some(v) = self.max_page_size {
            config.max_page_size = v.max(1);
        }
        if let Some(v) = self.refresh_token_only_on_first_consent {
            config.refresh_token_only_on_first_consent = v;
        }
        if let Some(v) = self.skip_consent_when_granted {
            config.skip_consent_when_granted = v;
        }
        if let Some(v) = self.granular_consent {
            config.granular_consent = v;
        }
        if let Some(v) = self.channel_expiration_as_number {
            config.channel_expiration_as_number = v;
        }
        if let Some(v) = self.sparse_message_numbers {
            config.sparse_message_numbers = v;
        }
    }
}
