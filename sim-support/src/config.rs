//! What every simulator is configured with, whatever it simulates: the accounts and app
//! registrations it starts from and how its authorization server issues tokens ([`OAuthConfig`]),
//! and how `PATCH /_control/config` changes settings at run time ([`ConfigPatch`]). Each
//! simulator's `SimConfig` holds an [`OAuthConfig`] next to its own fields and implements
//! [`Settings`] for them.

use std::time::Duration;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::accounts::UserSpec;
use crate::oauth::OAuthClient;

/// The account every fresh simulator knows; its consent page signs it in.
pub const DEFAULT_USER: &str = "host@example.com";

/// The accounts, app registrations and authorization-server behaviour every simulator has.
#[derive(Clone, Debug)]
pub struct OAuthConfig {
    /// App registrations known from the start (`ControlHandle::add_client` registers more).
    pub clients: Vec<OAuthClient>,
    /// The first user is the one signed in at the consent page unless `login_hint` names another.
    pub users: Vec<UserSpec>,
    /// `expires_in` of access tokens; both providers answer 3599 s (Microsoft a little more at times).
    pub access_token_lifetime: Duration,
    /// How long an authorization code can be redeemed (about ten minutes; neither provider
    /// publishes it).
    pub code_lifetime: Duration,
    /// Refresh tokens unused for this long die (`None`: never).
    pub refresh_token_idle_lifetime: Option<Duration>,
    /// A repeat authorization whose scopes are already granted redirects without a consent page
    /// (unless `prompt` asks for consent), as both providers do.
    pub skip_consent_when_granted: bool,
}

impl OAuthConfig {
    /// One app registration named "Rendezvous", the [`DEFAULT_USER`] account, the lifetimes
    /// both providers share (access tokens 3599 s, codes 10 minutes), consent skipped once
    /// granted, and refresh tokens that never idle out.
    pub fn new(client_id: &str, client_secret: &str) -> Self {
        Self {
            clients: vec![OAuthClient::new(client_id, client_secret, "Rendezvous")],
            users: vec![UserSpec::new(DEFAULT_USER)],
            access_token_lifetime: Duration::from_secs(3599),
            code_lifetime: Duration::from_secs(600),
            refresh_token_idle_lifetime: None,
            skip_consent_when_granted: true,
        }
    }
}

/// A simulator's whole configuration (its `SimConfig`): the shared [`OAuthConfig`] and its own
/// fields, which `PATCH /_control/config` changes through [`Settings::Patch`].
pub trait Settings: Clone + Send + 'static {
    /// The simulator's own part of a [`ConfigPatch`]. It should deny unknown fields, so that a
    /// misspelt setting is refused instead of silently ignored.
    type Patch: DeserializeOwned + Send;

    fn oauth_mut(&mut self) -> &mut OAuthConfig;

    /// Applies the simulator's own part of a patch.
    fn apply(&mut self, patch: &Self::Patch);
}

/// The [`OAuthConfig`] fields `PATCH /_control/config` may change (durations in seconds).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthPatch {
    pub access_token_lifetime_secs: Option<u64>,
    pub code_lifetime_secs: Option<u64>,
    pub skip_consent_when_granted: Option<bool>,
}

impl OAuthPatch {
    /// Its JSON field names, which a [`ConfigPatch`] body routes to it.
    const FIELDS: [&str; 3] = [
        "access_token_lifetime_secs",
        "code_lifetime_secs",
        "skip_consent_when_granted",
    ];

    pub fn apply(&self, config: &mut OAuthConfig) {
        let secs = |secs: Option<u64>| secs.map(Duration::from_secs);
        set(&mut config.access_token_lifetime, secs(self.access_token_lifetime_secs));
        set(&mut config.code_lifetime, secs(self.code_lifetime_secs));
        set(&mut config.skip_consent_when_granted, self.skip_consent_when_granted);
    }
}

/// A patch's change to one setting: `Some` replaces it, `None` leaves it.
pub fn set<T>(setting: &mut T, change: Option<T>) {
    if let Some(value) = change {
        *setting = value;
    }
}

/// A `PATCH /_control/config` body: one flat JSON object holding [`OAuthPatch`]'s fields and
/// the simulator's own `P`. Absent fields stay as they are; a field neither part knows is
/// refused (as far as `P` refuses unknown fields).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigPatch<P> {
    pub oauth: OAuthPatch,
    pub own: P,
}

impl<P> ConfigPatch<P> {
    /// Changes `config` as the patch says.
    pub fn apply<C: Settings<Patch = P>>(&self, config: &mut C) {
        self.oauth.apply(config.oauth_mut());
        config.apply(&self.own);
    }
}

impl<'de, P: DeserializeOwned> Deserialize<'de> for ConfigPatch<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut own = Map::deserialize(deserializer)?;
        let oauth: Map<String, Value> = OAuthPatch::FIELDS
            .iter()
            .filter_map(|name| own.remove_entry(*name))
            .collect();
        Ok(ConfigPatch {
            oauth: serde_json::from_value(Value::Object(oauth)).map_err(D::Error::custom)?,
            own: serde_json::from_value(Value::Object(own)).map_err(D::Error::custom)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Own {
        page_size: Option<usize>,
    }

    #[test]
    fn the_shared_field_list_names_every_field_of_the_oauth_patch() {
        let all = serde_json::to_value(OAuthPatch::default()).unwrap();
        let names: Vec<&str> = all.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(names.len(), OAuthPatch::FIELDS.len());
        assert!(names.iter().all(|name| OAuthPatch::FIELDS.contains(name)));
    }

    #[test]
    fn one_flat_body_feeds_the_shared_and_the_own_part() {
        let patch: ConfigPatch<Own> = serde_json::from_value(json!({"code_lifetime_secs": 5, "page_size": 3})).unwrap();
        assert_eq!(patch.oauth.code_lifetime_secs, Some(5));
        assert_eq!(patch.own, Own { page_size: Some(3) });
        let mut config = OAuthConfig::new("id", "secret");
        patch.oauth.apply(&mut config);
        assert_eq!(config.code_lifetime, Duration::from_secs(5));
        assert_eq!(
            config.access_token_lifetime,
            Duration::from_secs(3599),
            "absent fields stay"
        );
    }

    #[test]
    fn a_field_neither_part_knows_is_refused() {
        let error = serde_json::from_value::<ConfigPatch<Own>>(json!({"page_sise": 3})).unwrap_err();
        assert!(error.to_string().contains("page_sise"), "{error}");
    }
}
