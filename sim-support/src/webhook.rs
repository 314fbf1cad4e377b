//! Delivering to a receiver's webhook with retries, the way both providers do: a transport
//! failure or a retryable status is tried again after an exponentially growing pause; anything
//! else is final.

use std::future::Future;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a simulator delivers its notifications: configurable per simulator, with the defaults
/// both providers document (three retries, 100 ms doubling pauses, 10 s per attempt).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// Retries after a retryable (or no) reply.
    pub retries: u32,
    /// First retry delay; doubles each attempt.
    pub retry_base: Duration,
    /// Per-attempt timeout of a POST.
    pub timeout: Duration,
}

impl Default for Delivery {
    fn default() -> Self {
        Self {
            retries: 3,
            retry_base: Duration::from_millis(100),
            timeout: Duration::from_secs(10),
        }
    }
}

impl Delivery {
    /// The retry policy of these settings, for a provider that retries `retryable` statuses.
    pub fn policy(&self, retryable: fn(u16) -> bool) -> RetryPolicy {
        RetryPolicy {
            retries: self.retries,
            base: self.retry_base,
            retryable,
        }
    }
}

/// How a provider retries.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Attempts after the first.
    pub retries: u32,
    /// Pause before the first retry; doubles each time.
    pub base: Duration,
    /// Which receiver statuses are worth another attempt.
    pub retryable: fn(u16) -> bool,
}

/// How a delivery ended.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Outcome {
    /// The receiver's final HTTP status, if it answered at all.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub attempts: u32,
}

/// Runs `attempt` until it gives a final answer or the retries run out. `still_wanted` is asked
/// before every attempt (the subscription may have been removed meanwhile); `None` if it said no.
pub async fn deliver<F, Fut>(policy: RetryPolicy, still_wanted: impl Fn() -> bool, mut attempt: F) -> Option<Outcome>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<u16, String>>,
{
    let mut attempts = 0;
    loop {
        if !still_wanted() {
            return None;
        }
        attempts += 1;
        let result = attempt().await;
        let again = match &result {
            Ok(status) => (policy.retryable)(*status),
            Err(_) => true,
        };
        if !again || attempts > policy.retries {
            return Some(Outcome {
                status: result.as_ref().ok().copied(),
                error: result.err(),
                attempts,
            });
        }
        tokio::time::sleep(policy.base * 2u32.saturating_pow(attempts - 1)).await;
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn policy(retries: u32) -> RetryPolicy {
        RetryPolicy {
            retries,
            base: Duration::from_millis(1),
            retryable: |status| status >= 500,
        }
    }

    #[tokio::test]
    async fn a_retryable_status_is_tried_again_until_it_succeeds() {
        let replies = Cell::new(vec![503, 500, 200]);
        let outcome = deliver(
            policy(3),
            || true,
            || {
                let mut left = replies.take();
                let next = left.remove(0);
                replies.set(left);
                async move { Ok(next) }
            },
        )
        .await;
        assert_eq!(
            outcome,
            Some(Outcome {
                status: Some(200),
                error: None,
                attempts: 3
            })
        );
    }

    #[tokio::test]
    async fn retries_end_after_the_policy_s_count_with_the_last_failure() {
        let outcome = deliver(policy(1), || true, || async { Err::<u16, _>("refused".to_owned()) })
            .await
            .unwrap();
        assert_eq!((outcome.attempts, outcome.error.as_deref()), (2, Some("refused")));
    }

    #[tokio::test]
    async fn a_final_status_or_an_unwanted_delivery_is_not_retried() {
        let outcome = deliver(policy(3), || true, || async { Ok(404) }).await.unwrap();
        assert_eq!((outcome.status, outcome.attempts), (Some(404), 1));
        assert_eq!(deliver(policy(3), || false, || async { Ok(200) }).await, None);
    }
}
