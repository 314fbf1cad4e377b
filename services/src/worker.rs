//! The worker inside every server process: it runs due jobs and syncs the connected calendars
//! that are due, then sleeps until a local change (or a push notification) wakes it or a second
//! passes (jobs due later, or enqueued by another process). Webhook deliveries run in a lane of
//! their own, several at once (see [`Lane`]).

use crate::jobs::{ClaimedJob, JobFailure, Lane};
use crate::{ServiceError, Services};
use std::time::Duration;
use tokio::task::JoinSet;

const POLL: Duration = Duration::from_secs(1);

impl Services {
    /// Runs jobs until the returned task is aborted (with the runtime, at shutdown). A job cut
    /// off there is taken over once its lease runs out, like one whose process crashed.
    pub fn spawn_worker(&self) -> tokio::task::JoinHandle<()> {
        let services = self.clone();
        // Both lanes live inside the one task, so aborting it stops them together.
        tokio::spawn(async move {
            tokio::join!(services.clone().run_webhook_lane(), services.run_general_lane());
        })
    }

    async fn run_general_lane(self) {
        loop {
            if let Err(e) = self.run_lane(Lane::General).await {
                tracing::error!(error = ?anyhow::Error::from(e), "job worker");
            }
            if let Err(e) = self.run_due_syncs().await {
                tracing::error!(error = ?anyhow::Error::from(e), "calendar sync worker");
            }
            tokio::select! {
                () = self.inner.jobs_wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Runs every due job of every lane, one at a time; returns how many ran. Tests call this
    /// directly.
    pub async fn run_due_jobs(&self) -> Result<usize, ServiceError> {
        self.run_lane(Lane::All).await
    }

    async fn run_lane(&self, lane: Lane) -> Result<usize, ServiceError> {
        let mut ran = 0;
        while let Some(job) = self.claim_job(lane).await? {
            self.run_job(&job).await?;
            ran += 1;
        }
        Ok(ran)
    }

    /// Sends due webhook deliveries, up to the configured number at once, until aborted.
    async fn run_webhook_lane(self) {
        let limit = self.config().webhooks.concurrency;
        let mut running = JoinSet::new();
        loop {
            while running.len() < limit {
                match self.claim_job(Lane::Webhooks).await {
                    Ok(Some(job)) => {
                        let services = self.clone();
                        running.spawn(async move { services.run_job(&job).await });
                    }
                    Ok(None) => break,
                    Err(e) => {
                        tracing::error!(error = ?anyhow::Error::from(e), "webhook worker");
                        break;
                    }
                }
            }
            tokio::select! {
                Some(done) = running.join_next(), if !running.is_empty() => {
                    if let Ok(Err(e)) = done {
                        tracing::error!(error = ?anyhow::Error::from(e), "webhook worker");
                    }
                }
                () = self.inner.webhooks_wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Wakes this process's worker after a commit that enqueued jobs.
    pub(crate) fn jobs_enqueued(&self) {
        self.inner.jobs_wake.notify_one();
        self.inner.webhooks_wake.notify_one();
    }

    async fn run_job(&self, job: &ClaimedJob) -> Result<(), ServiceError> {
        // Half the lease: a job that overruns is abandoned before anyone else may take it over.
        let limit = Duration::from_secs(u64::try_from(self.config().jobs.lease_secs / 2).unwrap_or(1));
        let outcome = match tokio::time::timeout(limit, self.handle(job)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(JobFailure::transient(anyhow::anyhow!("gave up after {limit:?}"))),
        };
        match outcome {
            Ok(()) => self.job_succeeded(job).await,
            Err(failure) => self.job_failed(job, &failure).await,
        }
    }

    async fn handle(&self, job: &ClaimedJob) -> Result<(), JobFailure> {
        match job.kind.as_str() {
            crate::notify::MAIL_JOB => self.deliver_booking_mail(&job.payload).await,
            crate::calendars::NOTICE_JOB => self.deliver_calendar_notice(&job.payload).await,
            crate::calendars::CALENDAR_JOB => self.sync_calendar_event(&job.payload).await,
            crate::calendars::HOST_CHANGE_JOB => self.cancel_deleted_booking(&job.payload).await,
            crate::conferencing::announce::ANNOUNCE_JOB => self.announce_with_meeting(&job.payload).await,
            crate::conferencing::poll::POLL_JOB => self.poll_meeting(&job.payload).await,
            crate::webhooks::WEBHOOK_JOB => self.deliver_webhook(&job.payload).await,
            crate::webhooks::DISABLED_NOTICE_JOB => self.deliver_webhook_notice(&job.payload).await,
            other => Err(JobFailure::permanent(anyhow::anyhow!("unknown job kind {other:?}"))),
        }
    }
}
