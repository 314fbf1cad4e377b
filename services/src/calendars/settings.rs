//! Which calendar providers this installation may use, and where they live. Endpoints default to
//! the real services; tests and demos point them at the local simulators.

use super::Provider;
use anyhow::{Context, bail};
use std::fmt;
use std::time::Duration;

/// Calendar settings of the whole installation.
#[derive(Clone, Debug)]
pub struct CalendarSettings {
    /// `None` until a client id and secret are configured; the Integrations page then explains
    /// how to configure them instead of offering a button that cannot work.
    pub google: Option<ProviderSettings>,
    pub microsoft: Option<ProviderSettings>,
    /// Busy time younger than this is used as is; older, it is used while a refresh runs in the
    /// background.
    pub busy_refresh: Duration,
    /// How long one call to a provider may take.
    pub provider_timeout: Duration,
    /// Push channels, polling and the host's changes (two-way sync).
    pub sync: super::sync_settings::SyncSettings,
    /// How long a confirmation waits for its video meeting link before it goes without it.
    pub video_link_wait: Duration,
    /// `RENDEZVOUS_CALDAV_ALLOW_PRIVATE=1`: CalDAV servers may be on plain http and on private,
    /// loopback and link-local addresses (a company Radicale on the same network; tests).
    pub caldav_allow_private: bool,
}

/// One provider's OAuth client and endpoints.
#[derive(Clone, Debug)]
pub struct ProviderSettings {
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub endpoints: Endpoints,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    pub authorize: url::Url,
    pub token: url::Url,
    /// Google revokes grants here; Microsoft has no revocation endpoint for a single grant.
    pub revoke: Option<url::Url>,
    /// The calendar API root without a trailing slash: Calendar API v3, or Graph v1.0.
    pub api: url::Url,
}

/// An OAuth client secret; never printed.
#[derive(Clone)]
pub struct ClientSecret(pub String);

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

/// A provider's configuration variables (`RENDEZVOUS_{prefix}_…`) and real endpoints.
struct Defaults {
    prefix: &'static str,
    authorize: &'static str,
    token: &'static str,
    revoke: Option<&'static str>,
    api: (&'static str, &'static str),
}

const GOOGLE: Defaults = Defaults {
    prefix: "GOOGLE",
    authorize: "https://accounts.google.com/o/oauth2/v2/auth",
    token: "https://oauth2.googleapis.com/token",
    revoke: Some("https://oauth2.googleapis.com/revoke"),
    api: ("CALENDAR_API_URL", "https://www.googleapis.com/calendar/v3"),
};

/// Tenant `common`: work, school and personal accounts.
const MICROSOFT: Defaults = Defaults {
    prefix: "MICROSOFT",
    authorize: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    revoke: None,
    api: ("GRAPH_URL", "https://graph.microsoft.com/v1.0"),
};

impl CalendarSettings {
    pub fn from_lookup(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let seconds = |name: &str, default: u64| -> anyhow::Result<Duration> {
            match var(name) {
                Some(raw) => Ok(Duration::from_secs(
                    raw.parse()
                        .with_context(|| format!("{name} must be a number of seconds"))?,
                )),
                None => Ok(Duration::from_secs(default)),
            }
        };
        Ok(Self {
            google: ProviderSettings::from_lookup(var, &GOOGLE)?,
            microsoft: ProviderSettings::from_lookup(var, &MICROSOFT)?,
            busy_refresh: seconds("RENDEZVOUS_BUSY_REFRESH_SECONDS", 60)?,
            provider_timeout: seconds("RENDEZVOUS_PROVIDER_TIMEOUT_SECONDS", 30)?,
            sync: super::sync_settings::SyncSettings::from_lookup(var)?,
            video_link_wait: seconds("RENDEZVOUS_VIDEO_LINK_WAIT_SECONDS", 30)?,
            caldav_allow_private: crate::outbound::allow_private_setting(var, "RENDEZVOUS_CALDAV_ALLOW_PRIVATE")?,
        })
    }

    pub fn of(&self, provider: Provider) -> Option<&ProviderSettings> {
        match provider {
            Provider::Google => self.google.as_ref(),
            Provider::Microsoft => self.microsoft.as_ref(),
            Provider::Caldav => None,
        }
    }
}

impl ProviderSettings {
    fn from_lookup(var: &dyn Fn(&str) -> Option<String>, defaults: &Defaults) -> anyhow::Result<Option<Self>> {
        let name = |suffix: &str| format!("RENDEZVOUS_{}_{suffix}", defaults.prefix);
        let (client_id, client_secret) = match (var(&name("CLIENT_ID")), var(&name("CLIENT_SECRET"))) {
            (Some(id), Some(secret)) => (id, ClientSecret(secret)),
            (None, None) => return Ok(None),
            _ => bail!(
                "set both {} and {}, or neither",
                name("CLIENT_ID"),
                name("CLIENT_SECRET")
            ),
        };
        let endpoint = |suffix: &str, default: &str| -> anyhow::Result<url::Url> {
            let name = name(suffix);
            let raw = var(&name).unwrap_or_else(|| default.to_owned());
            let url = url::Url::parse(raw.trim_end_matches('/')).with_context(|| format!("{name} must be a URL"))?;
            if !matches!(url.scheme(), "http" | "https") {
                bail!("{name} must be http or https");
            }
            Ok(url)
        };
        Ok(Some(Self {
            client_id,
            client_secret,
            endpoints: Endpoints {
                authorize: endpoint("AUTHORIZE_URL", defaults.authorize)?,
                token: endpoint("TOKEN_URL", defaults.token)?,
                revoke: defaults.revoke.map(|url| endpoint("REVOKE_URL", url)).transpose()?,
                api: endpoint(defaults.api.0, defaults.api.1)?,
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<CalendarSettings> {
        CalendarSettings::from_lookup(&|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn google_is_off_without_credentials_and_uses_the_real_endpoints_by_default() {
        assert!(settings(&[]).unwrap().google.is_none());
        let google = settings(&[
            ("RENDEZVOUS_GOOGLE_CLIENT_ID", "id"),
            ("RENDEZVOUS_GOOGLE_CLIENT_SECRET", "shh"),
        ])
        .unwrap()
        .google
        .unwrap();
        assert_eq!(google.endpoints.token.as_str(), GOOGLE.token);
        assert_eq!(google.endpoints.api.as_str(), GOOGLE.api.1);
        assert!(!format!("{google:?}").contains("shh"));
    }

    #[test]
    fn microsoft_uses_the_common_tenant_and_graph_by_default_and_has_no_revocation() {
        let microsoft = settings(&[
            ("RENDEZVOUS_MICROSOFT_CLIENT_ID", "id"),
            ("RENDEZVOUS_MICROSOFT_CLIENT_SECRET", "shh"),
            ("RENDEZVOUS_MICROSOFT_GRAPH_URL", "http://127.0.0.1:9/v1.0/"),
        ])
        .unwrap()
        .microsoft
        .unwrap();
        assert_eq!(microsoft.endpoints.authorize.as_str(), MICROSOFT.authorize);
        assert_eq!(microsoft.endpoints.api.as_str(), "http://127.0.0.1:9/v1.0");
        assert_eq!(microsoft.endpoints.revoke, None);
    }

    #[test]
    fn half_configured_credentials_and_bad_endpoints_are_refused_by_name() {
        let half = settings(&[("RENDEZVOUS_GOOGLE_CLIENT_ID", "id")]).unwrap_err();
        assert!(half.to_string().contains("RENDEZVOUS_GOOGLE_CLIENT_SECRET"));
        let bad = settings(&[
            ("RENDEZVOUS_GOOGLE_CLIENT_ID", "id"),
            ("RENDEZVOUS_GOOGLE_CLIENT_SECRET", "shh"),
            ("RENDEZVOUS_GOOGLE_TOKEN_URL", "ftp://x"),
        ])
        .unwrap_err();
        assert!(bad.to_string().contains("RENDEZVOUS_GOOGLE_TOKEN_URL"));
    }
}
