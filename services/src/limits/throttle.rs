//! Sign-in throttling in the database, so that every server process counts the same attempts.
//!
//! An attempt is counted *before* its password is checked, so a burst of concurrent guesses
//! cannot slip past the count while the checks run. Nothing locks an account: past a free
//! allowance, each failure doubles the wait before the next attempt, up to a cap. Three scopes
//! count separately:
//! - the email with the client address: the ordinary guesser, strict;
//! - the email alone: guessers spread over many addresses; its cap is short (a minute) so they
//!   cannot keep the real owner out;
//! - the client address alone: one client trying many emails.

use super::ClientAddr;
use sqlx::{Any, Pool};

struct Policy {
    /// Failures allowed without waiting.
    free: i64,
    /// Longest wait between attempts, in seconds.
    cap_secs: i64,
}

const EMAIL_AND_ADDRESS: Policy = Policy {
    free: 5,
    cap_secs: 15 * 60,
};
const EMAIL: Policy = Policy { free: 10, cap_secs: 60 };
const ADDRESS: Policy = Policy {
    free: 20,
    cap_secs: 15 * 60,
};
/// Failures older than this are forgotten.
const FORGET_AFTER_SECS: i64 = 3600;

impl Policy {
    /// Seconds to wait after the `failures`-th failure: none within the allowance, then 1, 2, 4…
    fn wait_after(&self, failures: i64) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(32) as u32;
        (1_i64 << doublings).min(self.cap_secs)
    }
}

struct Scope {
    key: String,
    policy: &'static Policy,
}

fn scopes(email: &str, client: Option<ClientAddr>) -> Vec<Scope> {
    let mut scopes = vec![Scope {
        key: format!("email:{email}"),
        policy: &EMAIL,
    }];
    if let Some(client) = client {
        let address = client.limit_key();
        scopes.push(Scope {
            key: format!("email+address:{email} {address}"),
            policy: &EMAIL_AND_ADDRESS,
        });
        scopes.push(Scope {
            key: format!("address:{address}"),
            policy: &ADDRESS,
        });
    }
    scopes
}

/// Counts an attempt for `email` from `client` as a failure in advance, or refuses it with
/// `Ok(Err(seconds to wait))` while any of its scopes is waiting.
pub(crate) async fn claim_attempt(
    pool: &Pool<Any>,
    email: &str,
    client: Option<ClientAddr>,
    now: i64,
) -> Result<Result<(), u64>, sqlx::Error> {
    let scopes = scopes(email, client);
    if let Some(wait) = waiting(pool, &scopes, now).await? {
        return Ok(Err(wait));
    }
    for scope in &scopes {
        if let Err(wait) = claim_scope(pool, scope, now).await? {
            return Ok(Err(wait));
        }
    }
    Ok(Ok(()))
}

/// A correct password: the email's counts start over, and the address gets its attempt back.
pub(crate) async fn attempt_succeeded(
    pool: &Pool<Any>,
    email: &str,
    client: Option<ClientAddr>,
) -> Result<(), sqlx::Error> {
    for scope in scopes(email, client) {
        let sql = if scope.key.starts_with("address:") {
            "UPDATE login_throttles SET failures = failures - 1 WHERE scope = $1 AND failures > 0"
        } else {
            "DELETE FROM login_throttles WHERE scope = $1"
        };
        sqlx::query(sql).bind(&scope.key).execute(pool).await?;
    }
    Ok(())
}

async fn waiting(pool: &Pool<Any>, scopes: &[Scope], now: i64) -> Result<Option<u64>, sqlx::Error> {
    let mut longest = None;
    for scope in scopes {
        let next: Option<i64> = sqlx::query_scalar("SELECT next_attempt_at FROM login_throttles WHERE scope = $1")
            .bind(&scope.key)
            .fetch_optional(pool)
            .await?;
        if let Some(next) = next.filter(|next| *next > now) {
            longest = longest.max(Some((next - now) as u64));
        }
    }
    Ok(longest)
}

#[derive(sqlx::FromRow)]
struct Count {
    failures: i64,
    last_failure_at: i64,
    next_attempt_at: i64,
}

/// Adds one failure to `scope` by compare-and-swap (portable across SQLite and PostgreSQL, and
/// exact under concurrency: a lost race reads again).
async fn claim_scope(pool: &Pool<Any>, scope: &Scope, now: i64) -> Result<Result<(), u64>, sqlx::Error> {
    for _ in 0..16 {
        let current: Option<Count> =
            sqlx::query_as("SELECT failures, last_failure_at, next_attempt_at FROM login_throttles WHERE scope = $1")
                .bind(&scope.key)
                .fetch_optional(pool)
                .await?;
        let Some(current) = current else {
            forget_old(pool, now).await?;
            let inserted = sqlx::query(
                "INSERT INTO login_throttles (scope, failures, last_failure_at, next_attempt_at) \
                 VALUES ($1, 1, $2, $3) ON CONFLICT (scope) DO NOTHING",
            )
            .bind(&scope.key)
            .bind(now)
            .bind(now + scope.policy.wait_after(1))
            .execute(pool)
            .await?;
            if inserted.rows_affected() == 1 {
                return Ok(Ok(()));
            }
            continue;
        };
        if current.next_attempt_at > now {
            return Ok(Err((current.next_attempt_at - now) as u64));
        }
        let failures = if current.last_failure_at <= now - FORGET_AFTER_SECS {
            1
        } else {
            current.failures + 1
        };
        let swapped = sqlx::query(
            "UPDATE login_throttles SET failures = $2, last_failure_at = $3, next_attempt_at = $4 \
             WHERE scope = $1 AND failures = $5 AND last_failure_at = $6 AND next_attempt_at = $7",
        )
        .bind(&scope.key)
        .bind(failures)
        .bind(now)
        .bind(now + scope.policy.wait_after(failures))
        .bind(current.failures)
        .bind(current.last_failure_at)
        .bind(current.next_attempt_at)
        .execute(pool)
        .await?;
        if swapped.rows_affected() == 1 {
            return Ok(Ok(()));
        }
    }
    // Sixteen lost races in a row: a flood on this scope; let it wait a moment.
    Ok(Err(1))
}

/// Drops counts nobody needs any more, so guesses at random emails do not pile up rows.
async fn forget_old(pool: &Pool<Any>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttles WHERE last_failure_at < $1 AND next_attempt_at <= $2")
        .bind(now - FORGET_AFTER_SECS)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_past_the_allowance_up_to_the_cap() {
        let waits: Vec<i64> = (1..=9).map(|n| EMAIL_AND_ADDRESS.wait_after(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(EMAIL_AND_ADDRESS.wait_after(40), 15 * 60);
        assert_eq!(EMAIL.wait_after(i64::MAX), 60);
    }
}
