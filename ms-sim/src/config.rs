//! Simulator configuration. Behaviour Microsoft leaves undocumented, documents inconsistently, or
//! that practitioners only observed (`provider-apis.md`: "[obs]" and "Where sources disagree")
//! is a field here, so a test can choose it.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sim_support::config::set;
pub use sim_support::webhook::Delivery;
pub use sim_support::{OAuthClient, OAuthConfig, UserSpec};

/// The app registration every fresh simulator knows (application ids are GUIDs).
pub const DEFAULT_CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
/// Secret of [`DEFAULT_CLIENT_ID`], shaped like an Entra client secret value.
pub const DEFAULT_CLIENT_SECRET: &str = "Rdv8Q~simulator.client-secret_0123456789";
/// The work account every fresh simulator knows; it has a default calendar named "Calendar".
pub const DEFAULT_USER: &str = sim_support::DEFAULT_USER;
/// The directory (tenant) every account belongs to.
pub const DEFAULT_TENANT_ID: &str = "2f0a7c4e-9b3d-4e1f-a5c6-7d8e9f0a1b2c";

/// Everything configurable. `Default` is Microsoft's documented (or, where the docs are silent,
/// commonly observed) behaviour.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub tenant_id: String,
    /// App registrations, accounts, token lifetimes and consent as every simulator has them;
    /// refresh tokens unused for 90 days die with AADSTS700082.
    pub oauth: OAuthConfig,
    /// How long a refresh token keeps working after it was redeemed and replaced by a new one.
    /// Zero (the default) forces clients to store every rotated token; `None` keeps replaced
    /// tokens valid until they idle out, which is what Entra is observed to do for web apps.
    pub replaced_refresh_token_grace: Option<Duration>,
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
    /// Retries (after a 5xx or no reply) and timeouts of change notifications (newer docs give
    /// 10 s per attempt; older ones 3 s).
    pub notifications: Delivery,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            tenant_id: DEFAULT_TENANT_ID.to_owned(),
            oauth: OAuthConfig {
                refresh_token_idle_lifetime: Some(Duration::from_secs(90 * 24 * 3600)),
                ..OAuthConfig::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            },
            replaced_refresh_token_grace: Some(Duration::ZERO),
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
            notifications: Delivery::default(),
        }
    }
}

/// A `PATCH /_control/config` body: the shared [`sim_support::OAuthPatch`] fields and
/// Microsoft's own [`ProviderPatch`] fields, in one JSON object.
pub type ConfigPatch = sim_support::ConfigPatch<ProviderPatch>;

/// The runtime-adjustable subset of Microsoft's own [`SimConfig`] fields (durations in seconds or
/// minutes as named; `replaced_refresh_token_grace_secs: null` is not expressible, use the
/// library). Absent fields stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderPatch {
    pub replaced_refresh_token_grace_secs: Option<u64>,
    pub revocation_kills_access_tokens: Option<bool>,
    pub calendars_page_size: Option<usize>,
    pub calendar_view_page_size: Option<usize>,
    pub if_match_conflict_status: Option<u16>,
    pub delta_page_size: Option<usize>,
    pub delta_max_page_size: Option<usize>,
    pub delta_reset_code: Option<String>,
    pub subscription_max_lifetime_minutes: Option<u64>,
}

impl sim_support::Settings for SimConfig {
    type Patch = ProviderPatch;

    fn oauth_mut(&mut self) -> &mut OAuthConfig {
        &mut self.oauth
    }

    fn apply(&mut self, patch: &ProviderPatch) {
        let grace = patch.replaced_refresh_token_grace_secs.map(Duration::from_secs);
        set(&mut self.replaced_refresh_token_grace, grace.map(Some));
        set(
            &mut self.revocation_kills_access_tokens,
            patch.revocation_kills_access_tokens,
        );
        let pages = [
            (&mut self.calendars_page_size, patch.calendars_page_size),
            (&mut self.calendar_view_page_size, patch.calendar_view_page_size),
            (&mut self.delta_page_size, patch.delta_page_size),
            (&mut self.delta_max_page_size, patch.delta_max_page_size),
        ];
        for (size, change) in pages {
            set(size, change.map(|pages| pages.max(1)));
        }
        set(&mut self.if_match_conflict_status, patch.if_match_conflict_status);
        set(&mut self.delta_reset_code, patch.delta_reset_code.clone());
        let minutes = patch.subscription_max_lifetime_minutes;
        set(
            &mut self.subscription_max_lifetime,
            minutes.map(|m| Duration::from_secs(m * 60)),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_patch_changes_microsofts_own_settings_and_the_shared_ones() {
        let patch: ConfigPatch = serde_json::from_value(json!({
            "if_match_conflict_status": 409, "delta_page_size": 0,
            "subscription_max_lifetime_minutes": 4230, "access_token_lifetime_secs": 60,
        }))
        .unwrap();
        let mut config = SimConfig::default();
        patch.apply(&mut config);
        assert_eq!(config.if_match_conflict_status, 409);
        assert_eq!(config.delta_page_size, 1, "a page holds at least one event");
        assert_eq!(config.subscription_max_lifetime, Duration::from_secs(4230 * 60));
        assert_eq!(config.calendars_page_size, 10, "absent fields stay");
        assert_eq!(config.oauth.access_token_lifetime, Duration::from_secs(60));
    }
}
