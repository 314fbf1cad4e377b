//! Which calendar providers this installation may use, and where they live. Endpoints default to
//! the real services; tests and demos point them at the local simulators.

use anyhow::{Context, bail};
use std::fmt;
use std::time::Duration;

/// Calendar settings of the whole installation.
#[derive(Clone, Debug)]
pub struct CalendarSettings {
    /// `None` until a client id and secret are configured; the Integrations page then explains
    /// how to configure them instead of offering a button that cannot work.
    pub google: Option<GoogleSettings>,
    /// Busy time younger than this is used as is; older, it is used while a refresh runs in the
    /// background.
    pub busy_refresh: Duration,
}

#[derive(Clone, Debug)]
pub struct GoogleSettings {
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub endpoints: GoogleEndpoints,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoogleEndpoints {
    pub authorize: url::Url,
    pub token: url::Url,
    pub revoke: url::Url,
    /// The Calendar API v3 root, without a trailing slash.
    pub calendar_api: url::Url,
}

/// An OAuth client secret; never printed.
#[derive(Clone)]
pub struct ClientSecret(pub String);

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

const GOOGLE_AUTHORIZE: &str = "https://accounts.google.com/o/oauth2/v2/auth";
const GOOGLE_TOKEN: &str = "https://oauth2.googleapis.com/token";
const GOOGLE_REVOKE: &str = "https://oauth2.googleapis.com/revoke";
const GOOGLE_CALENDAR_API: &str = "https://www.googleapis.com/calendar/v3";

impl CalendarSettings {
    pub fn from_lookup(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let busy_refresh = match var("RENDEZVOUS_BUSY_REFRESH_SECONDS") {
            Some(raw) => Duration::from_secs(
                raw.parse()
                    .context("RENDEZVOUS_BUSY_REFRESH_SECONDS must be a number of seconds")?,
            ),
            None => Duration::from_secs(60),
        };
        Ok(Self {
            google: GoogleSettings::from_lookup(var)?,
            busy_refresh,
        })
    }
}

impl GoogleSettings {
    fn from_lookup(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Option<Self>> {
        let (client_id, client_secret) = match (
            var("RENDEZVOUS_GOOGLE_CLIENT_ID"),
            var("RENDEZVOUS_GOOGLE_CLIENT_SECRET"),
        ) {
            (Some(id), Some(secret)) => (id, ClientSecret(secret)),
            (None, None) => return Ok(None),
            _ => bail!("set both RENDEZVOUS_GOOGLE_CLIENT_ID and RENDEZVOUS_GOOGLE_CLIENT_SECRET, or neither"),
        };
        let endpoint = |name: &str, default: &str| -> anyhow::Result<url::Url> {
            let raw = var(name).unwrap_or_else(|| default.to_owned());
            let url = url::Url::parse(raw.trim_end_matches('/')).with_context(|| format!("{name} must be a URL"))?;
            if !matches!(url.scheme(), "http" | "https") {
                bail!("{name} must be http or https");
            }
            Ok(url)
        };
        Ok(Some(Self {
            client_id,
            client_secret,
            endpoints: GoogleEndpoints {
                authorize: endpoint("RENDEZVOUS_GOOGLE_AUTHORIZE_URL", GOOGLE_AUTHORIZE)?,
                token: endpoint("RENDEZVOUS_GOOGLE_TOKEN_URL", GOOGLE_TOKEN)?,
                revoke: endpoint("RENDEZVOUS_GOOGLE_REVOKE_URL", GOOGLE_REVOKE)?,
                calendar_api: endpoint("RENDEZVOUS_GOOGLE_CALENDAR_API_URL", GOOGLE_CALENDAR_API)?,
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
        assert_eq!(google.endpoints.token.as_str(), GOOGLE_TOKEN);
        assert_eq!(google.endpoints.calendar_api.as_str(), GOOGLE_CALENDAR_API);
        assert!(!format!("{google:?}").contains("shh"));
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
