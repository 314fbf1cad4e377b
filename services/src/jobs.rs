//! A durable job queue in the database. Work is enqueued inside the transaction that caused it
//! (a booking and its emails commit together or not at all), claimed by one worker at a time
//! with a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: its single writer), retried with
//! exponential backoff and jitter, and parked as dead after too many attempts for an admin to
//! retry. A worker that dies mid-job loses its lease and another (or the restarted process)
//! takes the job over; see ARCHITECTURE.md, "Jobs".

use crate::accounts::{Member, require_admin};
use crate::{Backend, ServiceError, Services};
use anyhow::Context;
use sqlx::{Any, Transaction};

#[derive(Clone, Debug)]
pub struct JobSettings {
    /// How long a claimed job belongs to its worker before another may take it over.
    pub lease_secs: i64,
    pub max_attempts: i64,
}

impl JobSettings {
    pub fn from_lookup(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let number = |name: &str, default: i64, min: i64| -> anyhow::Result<i64> {
            let value = var(name).map_or(Ok(default), |raw| {
                raw.parse().with_context(|| format!("{name} must be a number"))
            })?;
            anyhow::ensure!(value >= min, "{name} must be at least {min}");
            Ok(value)
        };
        Ok(Self {
            lease_secs: number("RENDEZVOUS_JOB_LEASE_SECONDS", 120, 2)?,
            max_attempts: number("RENDEZVOUS_JOB_MAX_ATTEMPTS", 10, 1)?,
        })
    }
}

/// Work to do later, identified by a key that makes enqueuing it twice a no-op.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: serde_json::Value,
    pub dedupe_key: String,
    pub booking_id: Option<i64>,
    pub run_at: i64,
}

/// A job this worker holds; `attempt` fences it: a worker whose lease was taken over can no
/// longer record an outcome.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    #[sqlx(rename = "attempts")]
    pub attempt: i64,
}

/// Why a job did not succeed, as its handler judged it.
#[derive(Debug)]
pub struct JobFailure {
    pub error: anyhow::Error,
    /// No retry can help (e.g. a recipient the server refuses for good).
    pub permanent: bool,
    /// The remote side asked to wait this long (seconds) before trying again.
    pub retry_after: Option<i64>,
}

impl JobFailure {
    pub fn transient(error: impl Into<anyhow::Error>) -> Self {
        Self {
            error: error.into(),
            permanent: false,
            retry_after: None,
        }
    }

    pub fn permanent(error: impl Into<anyhow::Error>) -> Self {
        Self {
            permanent: true,
            ..Self::transient(error)
        }
    }
}

/// A job that gave up, as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeadJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub updated_at: i64,
}

impl DeadJob {
    /// What the job was for, as its payload's `label` says ("Confirmation to pat@example.com"),
    /// else its kind.
    pub fn label(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.payload)
            .ok()
            .and_then(|p| p.get("label")?.as_str().map(str::to_owned))
            .filter(|label| !label.trim().is_empty())
            .unwrap_or_else(|| self.kind.clone())
    }
}

/// Adds a job unless one with the same key exists (whatever its state).
pub(crate) async fn enqueue(tx: &mut Transaction<'static, Any>, job: &NewJob, now: i64) -> Result<(), sqlx::Error> {
    enqueue_all(tx, std::slice::from_ref(job), now).await
}

/// Jobs one statement adds at most: far below either backend's limit on bound values.
const JOBS_PER_INSERT: usize = 100;

/// Adds jobs as [`enqueue`] does, in one statement per hundred: a change that calls for several
/// messages makes one round trip, not one per message.
pub(crate) async fn enqueue_all(
    tx: &mut Transaction<'static, Any>,
    jobs: &[NewJob],
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in jobs.chunks(JOBS_PER_INSERT) {
        // Only placeholders are spliced in; every value is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(insert_statement(chunk.len()))).bind(now);
        for job in chunk {
            query = query
                .bind(job.kind)
                .bind(job.payload.to_string())
                .bind(job.dedupe_key.as_str())
                .bind(job.booking_id)
                .bind(job.run_at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// `INSERT INTO jobs … VALUES (…), (…)` for `rows` jobs; `$1` is the time they were queued.
fn insert_statement(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let p = 2 + row * 5;
            format!(
                "(${p}, ${}, ${}, ${}, 'queued', ${}, 0, $1, $1)",
                p + 1,
                p + 2,
                p + 3,
                p + 4
            )
        })
        .collect();
    format!(
        "INSERT INTO jobs (kind, payload, dedupe_key, booking_id, state, run_at, attempts, created_at, updated_at) \
         VALUES {} ON CONFLICT (dedupe_key) DO NOTHING",
        values.join(", ")
    )
}

/// Drops a booking's queued jobs whose key starts with `prefix` (e.g. reminders of a moved booking).
pub(crate) async fn drop_queued(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    prefix: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET state = 'dropped', updated_at = $1 \
         WHERE booking_id = $2 AND state = 'queued' AND dedupe_key LIKE $3",
    )
    .bind(now)
    .bind(booking_id)
    .bind(format!("{prefix}%"))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Which jobs a worker loop takes: webhook deliveries wait on receivers for up to 10 s each, so
/// they run in their own lane, several at once, and never hold up emails and calendar writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Every kind except webhook deliveries.
    General,
    Webhooks,
    /// Everything (tests run the queue to the end this way).
    All,
}

/// The claim statement: a job whose worker's lease ran out (its worker is gone; oldest lease
/// first), else the oldest due queued job of the lane, leased in one statement. Each half reads
/// one partial index in order (`jobs_leased`, `jobs_queued`), so a claim stops at the first job it
/// can take. `$lock` is how the backend keeps two workers off one row.
macro_rules! claim {
    ($lane:literal, $lock:literal) => {
        concat!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2 ",
            "WHERE id = COALESCE(",
            "(SELECT id FROM jobs WHERE state = 'running' AND lease_until < $2",
            $lane,
            " ORDER BY lease_until LIMIT 1",
            $lock,
            "), (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $2",
            $lane,
            " ORDER BY run_at, id LIMIT 1",
            $lock,
            ")) RETURNING id, kind, payload, attempts"
        )
    };
}

/// The claim statement for a backend and lane. PostgreSQL skips rows being claimed elsewhere
/// rather than waiting for them; SQLite runs one write statement at a time, so the statement needs
/// no row locks to be atomic.
fn claim_statement(backend: Backend, lane: Lane) -> &'static str {
    match (backend, lane) {
        (Backend::Postgres, Lane::General) => claim!(" AND kind <> 'webhook'", " FOR UPDATE SKIP LOCKED"),
        (Backend::Postgres, Lane::Webhooks) => claim!(" AND kind = 'webhook'", " FOR UPDATE SKIP LOCKED"),
        (Backend::Postgres, Lane::All) => claim!("", " FOR UPDATE SKIP LOCKED"),
        (Backend::Sqlite, Lane::General) => claim!(" AND kind <> 'webhook'", ""),
        (Backend::Sqlite, Lane::Webhooks) => claim!(" AND kind = 'webhook'", ""),
        (Backend::Sqlite, Lane::All) => claim!("", ""),
    }
}

impl Services {
    /// Takes the lane's next due job (or one whose worker's lease ran out), if any.
    pub async fn claim_job(&self, lane: Lane) -> Result<Option<ClaimedJob>, ServiceError> {
        let now = self.clock().now();
        let sql = claim_statement(self.db().backend(), lane);
        Ok(sqlx::query_as(sql)
            .bind(now + self.config().jobs.lease_secs)
            .bind(now)
            .fetch_optional(self.db().writer())
            .await?)
    }

    pub async fn job_succeeded(&self, job: &ClaimedJob) -> Result<(), ServiceError> {
        sqlx::query(
            "UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = $1 \
             WHERE id = $2 AND attempts = $3 AND state = 'running'",
        )
        .bind(self.clock().now())
        .bind(job.id)
        .bind(job.attempt)
        .execute(self.db().writer())
        .await?;
        Ok(())
    }

    /// Schedules the next attempt, or parks the job as dead when attempts are used up.
    pub async fn job_failed(&self, job: &ClaimedJob, failure: &JobFailure) -> Result<(), ServiceError> {
        let now = self.clock().now();
        // Webhook deliveries give up by age (three days), not by count; see `webhooks::deliver`.
        let max_attempts = if job.kind == crate::webhooks::WEBHOOK_JOB {
            i64::MAX
        } else {
            self.config().jobs.max_attempts
        };
        let dead = failure.permanent || job.attempt >= max_attempts;
        let delay = failure
            .retry_after
            .unwrap_or_else(|| backoff_secs(job.attempt, rand::random::<f64>()));
        let error = format!("{:#}", failure.error);
        tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempt, dead, error = %error, "job failed");
        sqlx::query(
            "UPDATE jobs SET state = $1, run_at = $2, lease_until = NULL, last_error = $3, updated_at = $4 \
             WHERE id = $5 AND attempts = $6 AND state = 'running'",
        )
        .bind(if dead { "dead" } else { "queued" })
        .bind(now + delay)
        .bind(error)
        .bind(now)
        .bind(job.id)
        .bind(job.attempt)
        .execute(self.db().writer())
        .await?;
        Ok(())
    }

    /// Jobs that gave up, newest first (admins).
    pub async fn dead_jobs(&self, actor: &Member) -> Result<Vec<DeadJob>, ServiceError> {
        require_admin(actor)?;
        Ok(sqlx::query_as(
            "SELECT id, kind, payload, attempts, last_error, updated_at FROM jobs WHERE state = 'dead' \
             ORDER BY updated_at DESC, id DESC LIMIT 200",
        )
        .fetch_all(self.db().pool())
        .await?)
    }

    /// Gives a dead job a fresh set of attempts, starting now (admins).
    pub async fn retry_job(&self, actor: &Member, id: i64) -> Result<(), ServiceError> {
        require_admin(actor)?;
        let now = self.clock().now();
        let updated = sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, updated_at = $1 WHERE id = $2 AND state = 'dead'",
        )
        .bind(now)
        .bind(id)
        .execute(self.db().writer())
        .await?;
        if updated.rows_affected() == 0 {
            return Err(ServiceError::NotFound);
        }
        // It may be a webhook delivery: both lanes look.
        self.webhooks_queued();
        self.jobs_enqueued();
        Ok(())
    }
}

/// Seconds before attempt `attempt + 1`: 15 s doubling per attempt up to an hour, then "full
/// jitter" over its upper half so that many failures at once do not retry in lockstep.
/// `unit` is a random number in `[0, 1)`.
pub fn backoff_secs(attempt: i64, unit: f64) -> i64 {
    const BASE: i64 = 15;
    const CAP: i64 = 3600;
    let exponent = u32::try_from(attempt.clamp(1, 20) - 1).unwrap_or(0);
    let ceiling = BASE.saturating_mul(1 << exponent).min(CAP);
    let half = ceiling / 2;
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let jitter = ((ceiling - half) as f64 * unit.clamp(0.0, 1.0)) as i64;
    half + jitter
}

#[cfg(test)]
mod tests {
    use super::{DeadJob, backoff_secs, insert_statement};

    #[test]
    fn a_batch_insert_numbers_each_jobs_values_after_the_shared_time() {
        let sql = insert_statement(2);
        assert!(
            sql.contains("VALUES ($2, $3, $4, $5, 'queued', $6, 0, $1, $1), ($7, $8, $9, $10, 'queued', $11, 0, $1, $1) ON CONFLICT"),
            "{sql}"
        );
    }

    #[test]
    fn a_dead_jobs_label_comes_from_its_payload_or_else_its_kind() {
        let job = |payload: &str| DeadJob {
            id: 1,
            kind: "booking_mail".into(),
            payload: payload.into(),
            attempts: 1,
            last_error: None,
            updated_at: 0,
        };
        let labelled = r#"{"booking_id":1,"label":"Confirmation to pat@example.com","sequence":0}"#;
        assert_eq!(job(labelled).label(), "Confirmation to pat@example.com");
        assert_eq!(job(r#"{"booking_id":1}"#).label(), "booking_mail");
        assert_eq!(job("not json").label(), "booking_mail");
    }

    #[test]
    fn backoff_doubles_up_to_an_hour_and_jitters_within_the_upper_half() {
        let table = [(1, 15), (2, 30), (3, 60), (5, 240), (9, 3600), (40, 3600)];
        for (attempt, ceiling) in table {
            assert_eq!(backoff_secs(attempt, 0.0), ceiling / 2, "attempt {attempt}, no jitter");
            let top = backoff_secs(attempt, 0.999_999);
            assert!(top <= ceiling && top >= ceiling - 1, "attempt {attempt}: {top}");
        }
    }
}
