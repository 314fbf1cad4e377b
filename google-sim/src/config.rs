//! Simulator configuration. Every behaviour that Google leaves undocumented or that practitioners
//! only observed (see `provider-apis.md`, "[obs]") is a field here, so a test can choose it.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sim_support::config::set;
pub use sim_support::webhook::Delivery;
pub use sim_support::{OAuthClient, OAuthConfig, UserSpec};

/// The OAuth client every fresh simulator knows, so a test can start without registering one.
pub const DEFAULT_CLIENT_ID: &str = "rendezvous-sim.apps.googleusercontent.com";
/// Secret of [`DEFAULT_CLIENT_ID`].
pub const DEFAULT_CLIENT_SECRET: &str = "GOCSPX-simulator-secret";
/// The Google account every fresh simulator knows; its primary calendar has this id.
pub const DEFAULT_USER: &str = sim_support::DEFAULT_USER;

/// Everything configurable. `Default` is the documented Google behaviour.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Clients, accounts, token lifetimes and consent as every simulator has them; Google lets
    /// refresh tokens unused for six months die.
    pub oauth: OAuthConfig,
    /// Absolute refresh-token lifetime: `None` in production, 7 days for apps in "Testing".
    /// When set, the token response carries `refresh_token_expires_in`.
    pub refresh_token_lifetime: Option<Duration>,
    /// Live refresh tokens per account and client; issuing one more silently drops the oldest.
    pub max_refresh_tokens_per_grant: usize,
    /// Google returns a refresh token only on first consent unless `prompt=consent`.
    pub refresh_token_only_on_first_consent: bool,
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
    /// Retries (after a 500/502/503/504 or no reply) and timeouts of webhook POSTs.
    pub notifications: Delivery,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            oauth: OAuthConfig {
                refresh_token_idle_lifetime: Some(Duration::from_secs(183 * 24 * 3600)),
                ..OAuthConfig::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            },
            refresh_token_lifetime: None,
            max_refresh_tokens_per_grant: 100,
            refresh_token_only_on_first_consent: true,
            granular_consent: true,
            events_page_size: 250,
            max_page_size: 2500,
            sync_token_lifetime: None,
            freebusy_max_range: Some(Duration::from_secs(90 * 24 * 3600)),
            channel_default_ttl: Duration::from_secs(604_800),
            channel_max_ttl: None,
            channel_expiration_as_number: false,
            sparse_message_numbers: false,
            notifications: Delivery::default(),
        }
    }
}

/// A `PATCH /_control/config` body: the shared [`sim_support::OAuthPatch`] fields and Google's
/// own [`ProviderPatch`] fields, in one JSON object.
pub type ConfigPatch = sim_support::ConfigPatch<ProviderPatch>;

/// The runtime-adjustable subset of Google's own [`SimConfig`] fields. Absent fields stay as
/// they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderPatch {
    pub events_page_size: Option<usize>,
    pub max_page_size: Option<usize>,
    pub refresh_token_only_on_first_consent: Option<bool>,
    pub granular_consent: Option<bool>,
    pub channel_expiration_as_number: Option<bool>,
    pub sparse_message_numbers: Option<bool>,
}

impl sim_support::Settings for SimConfig {
    type Patch = ProviderPatch;

    fn oauth_mut(&mut self) -> &mut OAuthConfig {
        &mut self.oauth
    }

    fn apply(&mut self, patch: &ProviderPatch) {
        let page = |size: Option<usize>| size.map(|size| size.max(1));
        set(&mut self.events_page_size, page(patch.events_page_size));
        set(&mut self.max_page_size, page(patch.max_page_size));
        set(
            &mut self.refresh_token_only_on_first_consent,
            patch.refresh_token_only_on_first_consent,
        );
        set(&mut self.granular_consent, patch.granular_consent);
        set(
            &mut self.channel_expiration_as_number,
            patch.channel_expiration_as_number,
        );
        set(&mut self.sparse_message_numbers, patch.sparse_message_numbers);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_patch_changes_googles_own_settings_and_the_shared_ones() {
        let patch: ConfigPatch =
            serde_json::from_value(json!({"events_page_size": 0, "granular_consent": false, "code_lifetime_secs": 30}))
                .unwrap();
        let mut config = SimConfig::default();
        patch.apply(&mut config);
        assert_eq!(config.events_page_size, 1, "a page holds at least one event");
        assert!(!config.granular_consent);
        assert!(config.refresh_token_only_on_first_consent, "absent fields stay");
        assert_eq!(config.oauth.code_lifetime, Duration::from_secs(30));
    }
}
