//! Bounds on what anonymous clients can make the server do: password checks, sign-in guesses,
//! and public booking traffic. Each is configurable (README, "Limits"); the defaults suit one
//! team on one small server.

mod buckets;
mod client;
mod rates;
pub(crate) mod throttle;

pub use buckets::PublicAction;
pub(crate) use buckets::PublicBuckets;
pub use client::{ClientAddr, TrustedProxies};
pub use rates::{Rate, Rates};

use anyhow::Context;

#[derive(Clone, Debug)]
pub struct LimitSettings {
    /// Password hashes computed at once; each Argon2 check holds about 19 MiB while it runs.
    pub password_workers: usize,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` headers name the real client.
    pub trusted_proxies: TrustedProxies,
    /// Token buckets of the public booking endpoints.
    pub rates: Rates,
}

impl LimitSettings {
    pub fn from_lookup(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let password_workers = match var("RENDEZVOUS_PASSWORD_WORKERS") {
            Some(raw) => raw
                .parse()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .context("RENDEZVOUS_PASSWORD_WORKERS must be a number from 1 to 64")?,
            None => std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
        };
        let trusted_proxies =
            TrustedProxies::parse(&var("RENDEZVOUS_TRUSTED_PROXIES").unwrap_or_default()).map_err(|e| {
                anyhow::anyhow!("RENDEZVOUS_TRUSTED_PROXIES: {e}; use addresses or CIDRs separated by commas")
            })?;
        let rates = Rates::parse(&var("RENDEZVOUS_RATE_LIMITS").unwrap_or_default())
            .map_err(|e| anyhow::anyhow!("RENDEZVOUS_RATE_LIMITS: {e}; use `off` or entries like `booking=30/h`"))?;
        Ok(Self {
            password_workers,
            trusted_proxies,
            rates,
        })
    }
}

impl crate::Services {
    /// Lets an anonymous client do `action`, or refuses it with [`crate::ServiceError::RateLimited`].
    pub fn admit(&self, action: PublicAction<'_>, client: Option<ClientAddr>) -> Result<(), crate::ServiceError> {
        let rates = &self.config().limits.rates;
        self.inner
            .public_buckets
            .take(rates, action, client, self.clock().now())
            .map_err(|retry_after_secs| crate::ServiceError::RateLimited { retry_after_secs })
    }

    /// [`Self::admit`] for a change through the manage link of booking `uid`: the booking's
    /// attendee email is counted as well as the client (an unknown booking counts the client only
    /// and is refused later).
    pub async fn admit_manage(&self, uid: &str, client: Option<ClientAddr>) -> Result<(), crate::ServiceError> {
        let email: Option<String> = sqlx::query_scalar("SELECT attendee_email FROM bookings WHERE uid = $1")
            .bind(uid)
            .fetch_optional(self.db().pool())
            .await?;
        self.admit(
            PublicAction::Manage {
                email: email.as_deref(),
            },
            client,
        )
    }
}
