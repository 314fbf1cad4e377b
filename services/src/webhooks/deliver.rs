//! Sending one delivery: sign the stored body, POST it, and record what came back. Network
//! errors, 408, 429 (after its `Retry-After`) and 5xx are retried with the queue's backoff for up
//! to three days; any other answer is final. An endpoint failing for three days is disabled, its
//! pending deliveries fail, and the admins are emailed, all in one transaction.

use super::enqueue::DeliveryJob;
use super::signature::signature_header;
use super::{WebhookEvent, endpoints, notice};
use crate::jobs::JobFailure;
use crate::{ServiceError, Services};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};

/// How much of a response the delivery log keeps.
const EXCERPT_BYTES: usize = 512;
/// The longest a receiver's `Retry-After` is honoured.
const MAX_RETRY_AFTER: i64 = 86_400;

#[derive(sqlx::FromRow)]
struct Target {
    id: i64,
    uid: String,
    event: String,
    body: String,
    created_at: i64,
    endpoint_id: i64,
    team_id: i64,
    url: String,
    #[sqlx(try_from = "crate::db::IntBool")]
    enabled: bool,
    secret_sealed: String,
    previous_secret_sealed: Option<String>,
    previous_secret_until: Option<i64>,
}

impl Target {
    fn is_test(&self) -> bool {
        self.event == WebhookEvent::Test.as_str()
    }
}

/// What the receiver did with one attempt.
enum Outcome {
    Delivered(Answer),
    /// Worth another attempt: network error, timeout, 408, 429 or 5xx.
    Retry {
        answer: Option<Answer>,
        error: String,
        retry_after: Option<i64>,
    },
    /// Any other status: retrying cannot help.
    Rejected(Answer),
}

struct Answer {
    status: u16,
    excerpt: String,
}

impl Services {
    pub(crate) async fn deliver_webhook(&self, payload: &str) -> Result<(), JobFailure> {
        let job: DeliveryJob = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        let target = self
            .delivery_target(job.delivery_id)
            .await
            .map_err(JobFailure::transient)?;
        // Delivered, failed or its endpoint deleted meanwhile: nothing to send.
        let Some(target) = target else { return Ok(()) };
        if !target.enabled && !target.is_test() {
            self.fail_delivery(target.id, "Not sent: the endpoint is disabled.")
                .await
                .map_err(JobFailure::transient)?;
            return Ok(());
        }
        let outcome = self.post(&target).await.map_err(JobFailure::transient)?;
        self.record_outcome(&target, outcome).await
    }

    async fn delivery_target(&self, id: i64) -> Result<Option<Target>, ServiceError> {
        Ok(sqlx::query_as(
            "SELECT d.id, d.uid, d.event, d.body, d.created_at, e.id AS endpoint_id, e.team_id, e.url, e.enabled, \
             e.secret_sealed, e.previous_secret_sealed, e.previous_secret_until FROM webhook_deliveries d \
             JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1 AND d.state = 'pending'",
        )
        .bind(id)
        .fetch_optional(self.db().pool())
        .await?)
    }

    async fn post(&self, target: &Target) -> Result<Outcome, ServiceError> {
        let sealer = endpoints::sealer(self);
        let now = self.clock().now();
        let mut secrets = vec![sealer.open(&target.secret_sealed).map_err(ServiceError::internal)?];
        if let (Some(previous), Some(until)) = (&target.previous_secret_sealed, target.previous_secret_until)
            && until > now
        {
            secrets.push(sealer.open(previous).map_err(ServiceError::internal)?);
        }
        let keys: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
        let sent = self
            .inner
            .webhook_http
            .post(&target.url)
            .header(CONTENT_TYPE, "application/json")
            .header("Rendezvous-Event", &target.event)
            .header("Rendezvous-Delivery", &target.uid)
            .header(
                "Rendezvous-Signature",
                signature_header(&keys, now, target.body.as_bytes()),
            )
            .body(target.body.clone())
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) => {
                return Ok(Outcome::Retry {
                    answer: None,
                    error: network_error(e),
                    retry_after: None,
                });
            }
        };
        let status = response.status();
        let retry_after = retry_after(response.headers(), now);
        let answer = Answer {
            status: status.as_u16(),
            excerpt: excerpt(response).await,
        };
        Ok(if status.is_success() {
            Outcome::Delivered(answer)
        } else if matches!(status, StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS)
            || status.is_server_error()
        {
            Outcome::Retry {
                error: format!("The endpoint answered {status}."),
                answer: Some(answer),
                retry_after: retry_after.filter(|_| status == StatusCode::TOO_MANY_REQUESTS),
            }
        } else {
            Outcome::Rejected(answer)
        })
    }

    async fn record_outcome(&self, target: &Target, outcome: Outcome) -> Result<(), JobFailure> {
        let now = self.clock().now();
        let (state, answer, error, retry_after) = match outcome {
            Outcome::Delivered(answer) => ("delivered", Some(answer), None, None),
            Outcome::Rejected(answer) => {
                let error = format!("The endpoint answered {}; not retried.", answer.status);
                ("failed", Some(answer), Some(error), None)
            }
            Outcome::Retry { answer, error, .. } if target.is_test() => ("failed", answer, Some(error), None),
            Outcome::Retry {
                answer,
                error,
                retry_after,
            } => ("pending", answer, Some(error), Some(retry_after)),
        };
        let mut tx = self.db().begin_write().await.map_err(JobFailure::transient)?;
        sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, response_status = $2, \
             response_excerpt = $3, last_error = $4, updated_at = $5 WHERE id = $6 AND state = 'pending'",
        )
        .bind(state)
        .bind(answer.as_ref().map(|a| i64::from(a.status)))
        .bind(answer.map(|a| a.excerpt))
        .bind(error.clone())
        .bind(now)
        .bind(target.id)
        .execute(&mut *tx)
        .await
        .map_err(JobFailure::transient)?;
        if !target.is_test() {
            let healthy = state == "delivered";
            let gave_up = self
                .track_health(&mut tx, target, healthy, now)
                .await
                .map_err(JobFailure::transient)?;
            if gave_up {
                tx.commit().await.map_err(JobFailure::transient)?;
                self.jobs_enqueued();
                return Ok(());
            }
        }
        tx.commit().await.map_err(JobFailure::transient)?;
        match retry_after {
            Some(retry_after) => Err(JobFailure {
                error: anyhow::anyhow!(error.unwrap_or_default()),
                permanent: false,
                retry_after,
            }),
            None => Ok(()),
        }
    }

    /// Keeps the endpoint's failure record; disables it once it has failed for the configured
    /// time, and gives up on a delivery that old. `true`: this delivery is over.
    async fn track_health(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        target: &Target,
        healthy: bool,
        now: i64,
    ) -> Result<bool, ServiceError> {
        if healthy {
            sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1")
                .bind(target.endpoint_id)
                .execute(&mut **tx)
                .await?;
            return Ok(false);
        }
        let failing_since: i64 = sqlx::query_scalar(
            "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $1) WHERE id = $2 \
             RETURNING failing_since",
        )
        .bind(now)
        .bind(target.endpoint_id)
        .fetch_one(&mut **tx)
        .await?;
        let limit = self.config().webhooks.disable_after_secs;
        if now - failing_since >= limit {
            notice::disable(tx, target.team_id, target.endpoint_id, &target.url, now).await?;
            return Ok(true);
        }
        if now - target.created_at >= limit {
            fail(tx, target.id, "Gave up after three days of failed attempts.", now).await?;
            return Ok(true);
        }
        Ok(false)
    }

    async fn fail_delivery(&self, id: i64, reason: &str) -> Result<(), ServiceError> {
        let mut tx = self.db().begin_write().await?;
        fail(&mut tx, id, reason, self.clock().now()).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn fail(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE webhook_deliveries SET state = 'failed', last_error = $1, updated_at = $2 WHERE id = $3 AND state = 'pending'",
    )
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The first bytes of the response, read no further (a receiver cannot make us buffer a large
/// answer), as text for the log.
async fn excerpt(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(EXCERPT_BYTES);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `Retry-After` in seconds or as an HTTP date, at most a day.
fn retry_after(headers: &HeaderMap, now: i64) -> Option<i64> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs = match raw.parse::<i64>() {
        Ok(secs) => secs,
        Err(_) => chrono::DateTime::parse_from_rfc2822(raw).ok()?.timestamp() - now,
    };
    Some(secs.clamp(1, MAX_RETRY_AFTER))
}

/// Says what went wrong without the URL (admins see the URL beside it).
fn network_error(e: reqwest::Error) -> String {
    let mut cause: Option<&dyn std::error::Error> = Some(&e);
    while let Some(inner) = cause {
        if inner.is::<crate::outbound::RefusedName>() {
            return format!("Not sent: {inner}.");
        }
        cause = inner.source();
    }
    if e.is_timeout() {
        "No answer within 10 seconds.".to_owned()
    } else if e.is_connect() {
        "Could not connect to the endpoint.".to_owned()
    } else {
        format!("The request failed: {}", e.without_url())
    }
}

#[cfg(test)]
mod tests {
    use super::retry_after;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    fn headers(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        map
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date_and_kept_within_a_day() {
        let now = chrono::DateTime::parse_from_rfc2822("Fri, 15 Jan 2027 08:00:00 GMT")
            .unwrap()
            .timestamp();
        let table = [
            ("120", Some(120)),
            ("0", Some(1)),
            ("999999", Some(86_400)),
            ("Fri, 15 Jan 2027 08:02:00 GMT", Some(120)),
            ("soon", None),
        ];
        for (raw, expected) in table {
            assert_eq!(retry_after(&headers(raw), now), expected, "{raw}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }
}
