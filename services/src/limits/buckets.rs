//! Token buckets for the public booking endpoints, in memory. Several server processes each keep
//! their own, which at worst multiplies the allowance by the process count; that is fine for a
//! limit against floods (sign-in guessing, which must be exact, is counted in the database).

use super::{ClientAddr, Rate, Rates};
use std::collections::HashMap;
use std::sync::Mutex;

/// What an anonymous client is about to do.
#[derive(Clone, Copy, Debug)]
pub enum PublicAction<'a> {
    /// Read free times.
    Slots,
    /// Book, for this attendee email.
    Book { email: &'a str },
    /// Reschedule or cancel through a manage link; the booking's attendee email when known.
    Manage { email: Option<&'a str> },
    /// Try to connect a CalDAV account (a signed-in member, counted by member).
    CaldavConnect { member_id: i64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Slots,
    Booking,
    BookingEmail,
    Manage,
    ManageEmail,
    CaldavConnect,
}

impl Kind {
    fn rate(self, rates: &Rates) -> Option<Rate> {
        match self {
            Self::Slots => rates.slots,
            Self::Booking => rates.booking,
            Self::BookingEmail => rates.booking_email,
            Self::Manage => rates.manage,
            Self::ManageEmail => rates.manage_email,
            Self::CaldavConnect => rates.caldav_connect,
        }
    }
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: i64,
}

impl Bucket {
    fn refilled(self, rate: Rate, now: i64) -> f64 {
        let elapsed = now.saturating_sub(self.at).max(0) as f64;
        let burst = f64::from(rate.burst);
        (self.tokens + elapsed * burst / rate.per_secs as f64).min(burst)
    }
}

/// Past this many buckets, full ones are forgotten (a full bucket and no bucket are the same).
const PRUNE_ABOVE: usize = 50_000;

#[derive(Default)]
pub(crate) struct PublicBuckets {
    buckets: Mutex<HashMap<(Kind, String), Bucket>>,
}

impl PublicBuckets {
    /// Takes a token from every bucket `action` draws on, or from none when one is empty:
    /// `Err(seconds until all of them hold a token again)`.
    pub fn take(
        &self,
        rates: &Rates,
        action: PublicAction<'_>,
        client: Option<ClientAddr>,
        now: i64,
    ) -> Result<(), u64> {
        let address = client.map(ClientAddr::limit_key);
        let email = |e: &str| Some(e.to_ascii_lowercase());
        let keys = match action {
            PublicAction::Slots => vec![(Kind::Slots, address)],
            PublicAction::Book { email: e } => vec![(Kind::Booking, address), (Kind::BookingEmail, email(e))],
            PublicAction::Manage { email: e } => vec![(Kind::Manage, address), (Kind::ManageEmail, e.and_then(email))],
            PublicAction::CaldavConnect { member_id } => vec![(Kind::CaldavConnect, Some(member_id.to_string()))],
        };
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        // Each bucket drawn on, with the tokens it holds now.
        let drawn: Vec<((Kind, String), Rate, f64)> = keys
            .into_iter()
            .filter_map(|(kind, key)| {
                let (key, rate) = ((kind, key?), kind.rate(rates)?);
                let tokens = buckets
                    .get(&key)
                    .map_or(f64::from(rate.burst), |b| b.refilled(rate, now));
                Some((key, rate, tokens))
            })
            .collect();
        let wait = drawn
            .iter()
            .filter(|(_, _, tokens)| *tokens < 1.0)
            .map(|(_, rate, tokens)| ((1.0 - tokens) * rate.per_secs as f64 / f64::from(rate.burst)).ceil() as u64)
            .max();
        if let Some(wait) = wait {
            return Err(wait.max(1));
        }
        for (key, _, tokens) in drawn {
            buckets.insert(
                key,
                Bucket {
                    tokens: tokens - 1.0,
                    at: now,
                },
            );
        }
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|(kind, _), bucket| {
                kind.rate(rates)
                    .is_some_and(|rate| bucket.refilled(rate, now) < f64::from(rate.burst))
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(s: &str) -> Option<ClientAddr> {
        Some(ClientAddr(s.parse().unwrap()))
    }

    fn rates() -> Rates {
        Rates::parse("booking=3/h, booking-email=2/h").unwrap()
    }

    #[test]
    fn a_burst_is_allowed_then_refused_until_a_token_refills() {
        let buckets = PublicBuckets::default();
        for i in 0..3 {
            let email = format!("p{i}@example.com");
            assert!(
                buckets
                    .take(&rates(), PublicAction::Book { email: &email }, client("1.2.3.4"), 0)
                    .is_ok()
            );
        }
        let refused = buckets.take(
            &rates(),
            PublicAction::Book { email: "q@example.com" },
            client("1.2.3.4"),
            0,
        );
        assert_eq!(refused, Err(1200), "a token per 20 minutes");
        assert!(
            buckets
                .take(
                    &rates(),
                    PublicAction::Book { email: "q@example.com" },
                    client("1.2.3.4"),
                    1200
                )
                .is_ok()
        );
        assert!(
            buckets
                .take(
                    &rates(),
                    PublicAction::Book { email: "r@example.com" },
                    client("5.6.7.8"),
                    0
                )
                .is_ok()
        );
    }

    #[test]
    fn one_attendee_email_is_limited_across_addresses_without_draining_them() {
        let buckets = PublicBuckets::default();
        let book = |ip: &str| {
            buckets.take(
                &rates(),
                PublicAction::Book {
                    email: "Victim@example.com",
                },
                client(ip),
                0,
            )
        };
        assert!(book("1.1.1.1").is_ok());
        assert!(book("2.2.2.2").is_ok());
        assert!(book("3.3.3.3").is_err());
        let other = buckets.take(
            &rates(),
            PublicAction::Book { email: "x@example.com" },
            client("3.3.3.3"),
            0,
        );
        assert!(other.is_ok(), "the refused attempt took nothing from the address");
    }

    #[test]
    fn off_limits_never_refuse() {
        let buckets = PublicBuckets::default();
        let off = Rates::parse("off").unwrap();
        for _ in 0..1000 {
            assert!(buckets.take(&off, PublicAction::Slots, client("1.2.3.4"), 0).is_ok());
        }
    }
}
