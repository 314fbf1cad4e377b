//! How Rendezvous learns what changes in connected calendars: push channels where providers can
//! reach us over HTTPS, a periodic poll otherwise, and how long a host's deletion waits before
//! it cancels the booking.

use anyhow::{Context, bail};

/// The longest any of these periods may be: a year, so instants computed from them cannot
/// overflow.
const MAX_SECS: i64 = 365 * 86_400;

/// Whether to ask providers for push notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushMode {
    /// When the webhook address is `https://` (providers refuse anything else).
    Auto,
    /// Always, even to an `http://` address: only local simulators deliver there.
    On,
    Off,
}

#[derive(Clone, Debug)]
pub struct SyncSettings {
    pub push: PushMode,
    /// Where providers deliver notifications (`/webhooks/…` is added); the public URL when unset,
    /// or e.g. a tunnel's address in development.
    pub webhook_url: Option<url::Url>,
    /// Seconds between syncs of a calendar without push. Periods are kept in seconds because
    /// every use adds them to a unix-seconds instant.
    pub poll_secs: i64,
    /// Seconds between syncs of a calendar with push, in case a notification was lost.
    pub safety_poll_secs: i64,
    /// How long a push channel is asked to live; it is renewed a day (or a quarter of this,
    /// when shorter) before it expires.
    pub channel_lifetime_secs: i64,
    /// How long a booking whose event the host deleted stays before it is cancelled.
    pub delete_grace_secs: i64,
}

impl SyncSettings {
    pub fn from_lookup(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let seconds = |name: &str, default: i64| -> anyhow::Result<i64> {
            let value = match var(name) {
                Some(raw) => raw
                    .parse()
                    .with_context(|| format!("{name} must be a number of seconds"))?,
                None => default,
            };
            anyhow::ensure!(
                (1..=MAX_SECS).contains(&value),
                "{name} must be between 1 and {MAX_SECS} seconds"
            );
            Ok(value)
        };
        let push = match var("RENDEZVOUS_CALENDAR_PUSH").as_deref() {
            None | Some("auto") => PushMode::Auto,
            Some("on") => PushMode::On,
            Some("off") => PushMode::Off,
            Some(other) => bail!("RENDEZVOUS_CALENDAR_PUSH must be auto, on or off (not {other:?})"),
        };
        let webhook_url = var("RENDEZVOUS_WEBHOOK_URL")
            .map(|raw| {
                let url = url::Url::parse(raw.trim_end_matches('/')).context("RENDEZVOUS_WEBHOOK_URL must be a URL")?;
                anyhow::ensure!(
                    matches!(url.scheme(), "http" | "https"),
                    "RENDEZVOUS_WEBHOOK_URL must be http or https"
                );
                Ok(url)
            })
            .transpose()?;
        Ok(Self {
            push,
            webhook_url,
            poll_secs: seconds("RENDEZVOUS_CALENDAR_POLL_SECONDS", 60)?,
            safety_poll_secs: seconds("RENDEZVOUS_CALENDAR_SAFETY_POLL_SECONDS", 900)?,
            channel_lifetime_secs: seconds("RENDEZVOUS_CALENDAR_CHANNEL_SECONDS", 7 * 86_400 - 3600)?,
            delete_grace_secs: seconds("RENDEZVOUS_HOST_DELETE_GRACE_SECONDS", 300)?,
        })
    }

    /// The webhook root providers are given, or `None` when calendars must be polled.
    pub fn push_address(&self, public_url: &url::Url) -> Option<url::Url> {
        let address = self.webhook_url.clone().unwrap_or_else(|| public_url.clone());
        match self.push {
            PushMode::Off => None,
            PushMode::On => Some(address),
            PushMode::Auto => (address.scheme() == "https").then_some(address),
        }
    }

    /// Seconds before expiry at which a channel is renewed.
    pub fn renew_margin(&self) -> i64 {
        (self.channel_lifetime_secs / 4).min(86_400)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<SyncSettings> {
        SyncSettings::from_lookup(&|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn push_is_used_only_with_an_https_address_unless_forced_or_switched_off() {
        let http = url::Url::parse("http://127.0.0.1:3000").unwrap();
        let https = url::Url::parse("https://book.example.com").unwrap();
        let auto = settings(&[]).unwrap();
        assert_eq!(auto.push_address(&http), None);
        assert_eq!(auto.push_address(&https), Some(https.clone()));
        let tunnel = settings(&[("RENDEZVOUS_WEBHOOK_URL", "https://tunnel.example.net/")]).unwrap();
        assert_eq!(
            tunnel.push_address(&http).unwrap().as_str(),
            "https://tunnel.example.net/"
        );
        assert_eq!(
            settings(&[("RENDEZVOUS_CALENDAR_PUSH", "on")])
                .unwrap()
                .push_address(&http),
            Some(http)
        );
        let off = settings(&[("RENDEZVOUS_CALENDAR_PUSH", "off")]).unwrap();
        assert_eq!(off.push_address(&https), None);
        assert!(settings(&[("RENDEZVOUS_CALENDAR_PUSH", "yes")]).is_err());
    }

    #[test]
    fn periods_are_between_a_second_and_a_year() {
        for bad in ["0", "-5", "31536001", "99999999999999999999", "soon"] {
            assert!(settings(&[("RENDEZVOUS_CALENDAR_POLL_SECONDS", bad)]).is_err(), "{bad}");
        }
        assert_eq!(
            settings(&[("RENDEZVOUS_CALENDAR_POLL_SECONDS", "30")])
                .unwrap()
                .poll_secs,
            30
        );
    }

    #[test]
    fn channels_are_renewed_a_day_before_expiry_or_sooner_when_short_lived() {
        assert_eq!(settings(&[]).unwrap().renew_margin(), 86_400);
        let short = settings(&[("RENDEZVOUS_CALENDAR_CHANNEL_SECONDS", "3600")]).unwrap();
        assert_eq!(short.renew_margin(), 900);
    }
}
