//! Webhook settings from the environment (README, "Webhooks").

use anyhow::Context;

#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// `RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE=1`: plain http and private, loopback and link-local
    /// addresses are allowed (tests, CRMs on the same network). Off by default.
    pub allow_private: bool,
    /// An endpoint failing for this long is disabled and the admins are told (3 days).
    pub disable_after_secs: i64,
    /// Deliveries sent at once by one process.
    pub concurrency: usize,
}

impl WebhookSettings {
    pub fn from_lookup(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let allow_private = crate::outbound::allow_private_setting(var, "RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE")?;
        let concurrency = match var("RENDEZVOUS_WEBHOOK_CONCURRENCY") {
            Some(raw) => raw
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .context("RENDEZVOUS_WEBHOOK_CONCURRENCY must be a number from 1 to 64")?,
            None => 8,
        };
        Ok(Self {
            allow_private,
            disable_after_secs: 3 * 86_400,
            concurrency,
        })
    }
}
