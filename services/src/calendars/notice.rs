//! The one email a member gets when their calendar connection stops working: queued in the same
//! step that marks it, keyed by connection and the moment the problem began, so a problem is
//! mailed once however often it is noticed.

use super::Provider;
use crate::jobs::{self, JobFailure, NewJob};
use crate::mail::Letter;
use crate::notify::render::escape;
use crate::{ServiceError, Services};
use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};

pub const NOTICE_JOB: &str = "calendar_notice";

#[derive(Debug, Serialize, Deserialize)]
struct Notice {
    connection_id: i64,
    problem_since: i64,
    label: String,
}

impl Services {
    pub(super) async fn enqueue_reconnect_notice(
        &self,
        connection_id: i64,
        problem_since: i64,
    ) -> Result<(), ServiceError> {
        let key = format!("calendar_notice:{connection_id}:{problem_since}");
        let job = NewJob {
            kind: NOTICE_JOB,
            payload: serde_json::to_value(Notice {
                connection_id,
                problem_since,
                label: "Calendar reconnect notice".into(),
            })
            .map_err(ServiceError::internal)?,
            dedupe_key: key,
            booking_id: None,
            run_at: problem_since,
        };
        let mut tx = self.db().pool().begin().await?;
        jobs::enqueue(&mut tx, &job, problem_since).await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Sends the notice unless the member reconnected meanwhile.
    pub(crate) async fn deliver_calendar_notice(&self, payload: &str) -> Result<(), JobFailure> {
        let notice: Notice = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        let row: Option<(String, String, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT m.name, m.email, c.provider, c.account, c.problem_since FROM calendar_connections c \
             JOIN members m ON m.id = c.member_id WHERE c.id = $1 AND c.status = 'reconnect_needed'",
        )
        .bind(notice.connection_id)
        .fetch_optional(self.db().pool())
        .await
        .map_err(JobFailure::transient)?;
        let Some((name, email, provider, account, Some(since))) = row.filter(|r| r.4 == Some(notice.problem_since))
        else {
            return Ok(());
        };
        let calendar = Provider::parse(&provider).map_or("Your calendar", Provider::label);
        let link = self.config().link("/dashboard/integrations");
        let consequence = "so your calendar no longer blocks booking times and new bookings are not added to it. \
             An hour after your busy time was last read, prospects stop being offered your times.";
        let text = format!(
            "Hello {name},\n\n{calendar} ({account}) stopped accepting Rendezvous's access, {consequence}\n\n\
             Reconnect here: {link}\n"
        );
        let html = format!(
            "<p>Hello {name},</p><p>{calendar} (<strong>{account}</strong>) stopped accepting Rendezvous's \
             access, {consequence}</p><p><a href=\"{link}\">Reconnect your calendar</a></p>",
            name = escape(&name),
            account = escape(&account),
        );
        let key = format!("calendar_notice:{}:{since}", notice.connection_id);
        let letter = Letter {
            to: Mailbox::new(Some(name), email.parse().map_err(JobFailure::permanent)?),
            subject: format!("Reconnect your {calendar}"),
            text,
            html,
            calendar: None,
            message_id: self.message_id(&key),
            date: self.clock().now(),
        };
        self.send_job_letter(&letter, &key).await
    }
}
