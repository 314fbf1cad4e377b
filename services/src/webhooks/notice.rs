//! Disabling an endpoint that kept failing, and the one email each admin gets about it: queued
//! in the transaction that disables it, keyed by endpoint, moment and admin, so it goes once.

use super::DISABLED_NOTICE_JOB;
use crate::jobs::{self, JobFailure, NewJob};
use crate::mail::Letter;
use crate::notify::render::escape;
use crate::{ServiceError, Services};
use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

const REASON: &str = "Disabled after three days of failed deliveries.";

#[derive(Debug, Serialize, Deserialize)]
struct Notice {
    admin_id: i64,
    endpoint_id: i64,
    disabled_at: i64,
    url: String,
    label: String,
}

impl Notice {
    /// The job's key and the letter's: one per endpoint, disabling and admin.
    fn key(&self) -> String {
        format!(
            "webhook_disabled:{}:{}:{}",
            self.endpoint_id, self.disabled_at, self.admin_id
        )
    }
}

/// Disables the endpoint, fails its pending deliveries and queues the admins' emails.
pub(super) async fn disable(
    tx: &mut Transaction<'static, Any>,
    team_id: i64,
    endpoint_id: i64,
    url: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let disabled = sqlx::query(
        "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1, updated_at = $2 WHERE id = $3 AND enabled = 1",
    )
    .bind(REASON)
    .bind(now)
    .bind(endpoint_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE webhook_deliveries SET state = 'failed', last_error = $1, updated_at = $2 \
         WHERE endpoint_id = $3 AND state = 'pending'",
    )
    .bind(format!("Not sent: {REASON}"))
    .bind(now)
    .bind(endpoint_id)
    .execute(&mut **tx)
    .await?;
    if disabled.rows_affected() == 0 {
        return Ok(());
    }
    tracing::warn!(
        endpoint = endpoint_id,
        "webhook endpoint disabled after persistent failures"
    );
    let admins: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, email FROM members WHERE team_id = $1 AND role = 'admin' AND removed_at IS NULL ORDER BY id",
    )
    .bind(team_id)
    .fetch_all(&mut **tx)
    .await?;
    for (admin_id, email) in admins {
        let notice = Notice {
            admin_id,
            endpoint_id,
            disabled_at: now,
            url: url.to_owned(),
            label: format!("Webhook endpoint disabled: notice to {email}"),
        };
        let job = NewJob {
            kind: DISABLED_NOTICE_JOB,
            payload: serde_json::to_value(&notice).map_err(ServiceError::internal)?,
            dedupe_key: notice.key(),
            booking_id: None,
            run_at: now,
        };
        jobs::enqueue(tx, &job, now).await?;
    }
    Ok(())
}

impl Services {
    pub(crate) async fn deliver_webhook_notice(&self, payload: &str) -> Result<(), JobFailure> {
        let notice: Notice = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        let admin = crate::booking_record::member(self.db().pool(), notice.admin_id)
            .await
            .map_err(JobFailure::transient)?;
        let Some(admin) = admin else { return Ok(()) };
        let link = self.config().link("/dashboard/webhooks");
        let text = format!(
            "Hello {name},\n\nRendezvous stopped sending webhooks to {url}: every delivery for three days failed. \
             Deliveries since then are in the delivery log; turn the endpoint back on when it works again, and \
             resend what it missed.\n\n{link}\n",
            name = admin.name,
            url = notice.url,
        );
        let html = format!(
            "<p>Hello {name},</p><p>Rendezvous stopped sending webhooks to <strong>{url}</strong>: every delivery \
             for three days failed. Deliveries since then are in the delivery log; turn the endpoint back on when it \
             works again, and resend what it missed.</p><p><a href=\"{link}\">Open webhooks</a></p>",
            name = escape(&admin.name),
            url = escape(&notice.url),
        );
        let key = notice.key();
        let letter = Letter {
            to: Mailbox::new(Some(admin.name), admin.email.parse().map_err(JobFailure::permanent)?),
            subject: "A webhook endpoint was disabled".to_owned(),
            text,
            html,
            calendar: None,
            message_id: self.message_id(&key),
            date: self.clock().now(),
        };
        self.send_job_letter(&letter, &key).await
    }
}
