//! Failed-login throttling per email and per client IP, in memory.
//!
//! In memory is enough for the threat (online guessing against one process); with several server
//! processes each keeps its own window, which multiplies the allowance by the process count at worst.

use std::collections::HashMap;
use std::sync::Mutex;

const WINDOW_SECS: i64 = 15 * 60;
const MAX_FAILURES_PER_EMAIL: u32 = 5;
const MAX_FAILURES_PER_IP: u32 = 20;

#[derive(Default)]
pub struct LoginLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Clone, Copy)]
struct Window {
    started: i64,
    failures: u32,
}

impl LoginLimiter {
    /// `Err(seconds until retry)` when either the email or the IP has used up its failures.
    pub fn check(&self, email: &str, ip: Option<&str>, now: i64) -> Result<(), u64> {
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let blocked = |key: String, max: u32| {
            windows
                .get(&key)
                .filter(|w| now - w.started < WINDOW_SECS && w.failures >= max)
                .map(|w| (w.started + WINDOW_SECS - now).max(1) as u64)
        };
        let by_email = blocked(format!("email:{email}"), MAX_FAILURES_PER_EMAIL);
        let by_ip = ip.and_then(|ip| blocked(format!("ip:{ip}"), MAX_FAILURES_PER_IP));
        match by_email.max(by_ip) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, email: &str, ip: Option<&str>, now: i64) {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, w| now - w.started < WINDOW_SECS);
        }
        let keys = std::iter::once(format!("email:{email}")).chain(ip.map(|ip| format!("ip:{ip}")));
        for key in keys {
            let window = windows.entry(key).or_insert(Window {
                started: now,
                failures: 0,
            });
            if now - window.started >= WINDOW_SECS {
                *window = Window {
                    started: now,
                    failures: 0,
                };
            }
            window.failures += 1;
        }
    }

    /// A correct password clears the email's count, so a typo streak does not linger.
    pub fn record_success(&self, email: &str) {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        windows.remove(&format!("email:{email}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_blocked_after_five_failures_until_the_window_passes() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES_PER_EMAIL {
            assert!(limiter.check("a@x.io", Some("1.1.1.1"), 1000).is_ok());
            limiter.record_failure("a@x.io", Some("1.1.1.1"), 1000);
        }
        assert_eq!(limiter.check("a@x.io", Some("2.2.2.2"), 1060), Err(840));
        assert!(limiter.check("b@x.io", Some("1.1.1.1"), 1060).is_ok());
        assert!(limiter.check("a@x.io", None, 1000 + WINDOW_SECS).is_ok());
    }

    #[test]
    fn an_ip_is_blocked_after_twenty_failures_across_emails() {
        let limiter = LoginLimiter::default();
        for i in 0..MAX_FAILURES_PER_IP {
            limiter.record_failure(&format!("u{i}@x.io"), Some("9.9.9.9"), 0);
        }
        assert!(limiter.check("new@x.io", Some("9.9.9.9"), 10).is_err());
        assert!(limiter.check("new@x.io", Some("8.8.8.8"), 10).is_ok());
    }

    #[test]
    fn success_clears_the_email_count() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES_PER_EMAIL {
            limiter.record_failure("a@x.io", None, 0);
        }
        limiter.record_success("a@x.io");
        assert!(limiter.check("a@x.io", None, 1).is_ok());
    }
}
