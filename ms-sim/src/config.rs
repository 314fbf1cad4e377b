//! Simulator configuration. Behaviour Microsoft leaves undocumented, documents inconsistently, or
//! that practitioners only observed (`provider-apis.md`: "[obs]" and "Where sources disagree")
//! is a field here, so a test can choose it.

use std::time::Duration;

use serde::{Deserialize, Serialize};
pub use sim_support::{OAuthClient, UserSpec};

/// The app registration every fresh simulator knows (application ids are GUIDs).
pub const DEFAULT_CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
/// Secret of [`DEFAULT_CLIENT_ID`], shaped like an Entra client secret value.
pub const DEFAULT_CLIENT_SECRET: &str = "Rdv8Q~simulator.client-secret_0123456789";
/// The work account every fresh simulator knows; it has a default calendar named "Calendar".
pub const DEFAULT_USER: &str = "host@example.com";
/// The directory (tenant) every account belongs to.
pub const DEFAULT_TENANT_ID: &str = "2f0a7c4e-9b3d-4e1f-a5c6-7d8e9f0a1b2c";

/// Everything configurable. `Default` is Microsoft's documented (or, where the docs are silent,
/// commonly observed) behaviour.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub tenant_id: String,
    pub clients: Vec<OAuthClient>,
    /// The first user is the one signed in at the consent page unless `login_hint` names another.
    pub users: Vec<UserSpec>,
    /// `expires_in` (and `ext_expires_in`) of access tokens; Microsoft answers 3599 or a little more.
    pub access_token_lifetime: Duration,
    /// How long an authorization code can be redeemed (~10 minutes).
    pub code_lifetime: Duration,
    /// Refresh tokens unused for this long die with AADSTS700082 (90 days; `None`: never).
    pub refresh_token_idle_lifetime: Option<Duration>,
    /// How long a refresh token keeps working after it was redeemed and replaced by a new one.
    /// Zero (the default) forces clients to store every rotated token; `None` keeps replaced
    /// tokens valid until they idle out, which is what Entra is observed to do for web apps.
    pub replaced_refresh_token_grace: Option<Duration>,
    /// A repeat authorization whose scopes are already consented redirects without a consent
    /// page (unless `prompt=consent`), as Entra does.
    pub skip_consent_when_granted: bool,
    /// Whether revoking sessions or consent also kills live access tokens. Entra access tokens are
    /// self-contained and keep working until they expire unless the client is CAE-capable, so the
    /// default is false.
    pub revocation_kills_access_tokens: bool,
    /// The token response's `scope` names Graph scopes as `https://graph.microsoft.com/X` (the
    /// documentation's samples) instead of `X` (what the service is observed to return).
    pub qualified_scopes_in_token_response: bool,
    /// `GET /me/calendars` page size (Graph pages calendars by 10 unless `$top` says otherwise).
    pub calendars_page_size: usize,
    /// `GET /me/calendarView` page size without `$top` or `Prefer: odata.maxpagesize` (10, as
    /// Graph pages events).
    pub calendar_view_page_size: usize,
    /// Longest getSchedule window in days (62 in practice; once documented as 42).
    pub schedule_max_days: i64,
    /// Most schedules per getSchedule call (the service accepts 100; docs say 20).
    pub schedule_max_entities: usize,
    /// Status for an `If-Match` that no longer matches: usually 412, sometimes 409 (observed, not documented).
    pub if_match_conflict_status: u16,
    /// How long a `transactionId` deduplicates creates (no window is documented; `None`: forever).
    pub transaction_id_retention: Option<Duration>,
    /// Delta page size when the request has no `Prefer: odata.maxpagesize`.
    pub delta_page_size: usize,
    /// Upper bound on any delta page; a small cap proves the client follows `@odata.nextLink`.
    pub delta_max_page_size: usize,
    /// Delta tokens older than this answer 410 (the lifetime is not fixed; `None`: never).
    pub delta_token_lifetime: Option<Duration>,
    /// `error.code` of that 410: `syncStateNotFound` or `resyncRequired`.
    pub delta_reset_code: String,
    /// Longest subscription for Outlook events: 10,080 minutes per current docs, 4,230 in older ones.
    pub subscription_max_lifetime: Duration,
    /// Graph demands `https` notification URLs; tests have no TLS receivers, so `http` is allowed
    /// unless this is set.
    pub require_https_notification_url: bool,
    /// How long the receiver has to answer the validation handshake (10 s).
    pub validation_timeout: Duration,
    /// Retries after a 5xx (or no) reply to a change notification.
    pub notification_retries: u32,
    /// First retry delay; doubles each attempt.
    pub notification_retry_base: Duration,
    /// Per-attempt timeout for notification POSTs (newer docs: 10 s; older: 3 s).
    pub notification_timeout: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            tenant_id: DEFAULT_TENANT_ID.to_owned(),
            clients: vec![OAuthClient::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "Rendezvous")],
            users: vec![UserSpec::new(DEFAULT_USER)],
            access_token_lifetime: Duration::from_secs(3599),
            code_lifetime: Duration::from_secs(600),
            refresh_token_idle_lifetime: Some(Duration::from_secs(90 * 24 * 3600)),
            replaced_refresh_token_grace: Some(Duration::ZERO),
            skip_consent_when_granted: true,
            revocation_kills_access_tokens: false,
            qualified_scopes_in_token_response: false,
            calendars_page_size: 10,
            calendar_view_page_size: 10,
            schedule_max_days: 62,
            schedule_max_entities: 100,
            if_match_conflict_status: 412,
            transaction_id_retention: None,
            delta_page_size: 10,
            delta_max_page_size: 1000,
            delta_token_lifetime: None,
            delta_reset_code: "syncStateNotFound".to_owned(),
            subscription_max_lifetime: Duration::from_secs(10_080 * 60),
            require_https_notification_url: false,
            validation_timeout: Duration::from_secs(10),
            notification_retries: 3,
            notification_retry_base: Duration::from_millis(100),
            notification_timeout: Duration::from_secs(10),
        }
    }
}

/// The runtime-adjustable subset of [`SimConfig`], as accepted by `PATCH /_control/config`
/// (durations in seconds; `replaced_refresh_token_grace_secs: null` is not expressible, use the
/// library). Absent fields stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigPatch {
    pub access_token_lifetime_secs: Option<u64>,
    pub code_lifetime_secs: Option<u64>,
    pub replaced_refresh_token_grace_secs: Option<u64>,
    pub skip_consent_when_granted: Option<bool>,
    pub revocation_kills_access_tokens: Option<bool>,
    pub calendars_page_size: Option<usize>,
    pub calendar_view_page_size: Option<usize>,
    pub if_match_conflict_status: Option<u16>,
    pub delta_page_size: Option<usize>,
    pub delta_max_page_size: Option<usize>,
    pub delta_reset_code: Option<String>,
    pub subscription_max_lifetime_minutes: Option<u64>,
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
        if let Some(v) = self.replaced_refresh_token_grace_secs {
            config.replaced_refresh_token_grace = Some(secs(v));
        }
        if let Some(v) = self.skip_consent_when_granted {
            config.skip_consent_when_granted = v;
        }
        if let Some(v) = self.revocation_kills_access_tokens {
            config.revocation_kills_access_tokens = v;
        }
        if let Some(v) = self.calendars_page_size {
            config.calendars_page_size = v.max(1);
        }
        if let Some(v) = self.calendar_view_page_size {
            config.calendar_view_page_size = v.max(1);
        }
        if let Some(v) = self.if_match_conflict_status {
            config.if_match_conflict_status = v;
        }
        if let Some(v) = self.delta_page_size {
            config.delta_page_size = v.max(1);
        }
        if let Some(v) = self.delta_max_page_size {
            config.delta_max_page_size = v.max(1);
        }
        if let Some(v) = &self.delta_reset_code {
            config.delta_reset_code = v.clone();
        }
        if let Some(v) = self.subscription_max_lifetime_minutes {
            config.subscription_max_lifetime = secs(v * 60);
        }
    }
}
