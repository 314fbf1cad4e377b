//! The worker inside every server process: it runs due jobs and syncs the connected calendars
//! that are due, then sleeps until a local change (or a push notification) wakes it or a second
//! passes (jobs due later, or enqueued by another process).

use crate::jobs::{ClaimedJob, JobFailure};
use crate::{ServiceError, Services};
use std::time::Duration;

const POLL: Duration = Duration::from_secs(1);

impl Services {
    /// Runs jobs until the returned task is aborted (with the runtime, at shutdown). A job cut
    /// off there is taken over once its lease runs out, like one whose process crashed.
    pub fn spawn_worker(&self) -> tokio::task::JoinHandle<()> {
        let services = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = services.run_due_jobs().await {
                    tracing::error!(error = ?anyhow::Error::from(e), "job worker");
                }
                if let Err(e) = services.run_due_syncs().await {
                    tracing::error!(error = ?anyhow::Error::from(e), "calendar sync worker");
                }
                tokio::select! {
                    () = services.inner.jobs_wake.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            }
        })
    }

    /// Runs every due job, one at a time; returns how many ran. Tests call this directly.
    pub async fn run_due_jobs(&self) -> Result<usize, ServiceError> {
        let mut ran = 0;
        while let Some(job) = self.claim_job().await? {
            self.run_job(&job).await?;
            ran += 1;
        }
        Ok(ran)
    }

    /// Wakes this process's worker after a commit that enqueued jobs.
    pub(crate) fn jobs_enqueued(&self) {
        self.inner.jobs_wake.notify_one();
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
            other => Err(JobFailure::permanent(anyhow::anyhow!("unknown job kind {other:?}"))),
        }
    }
}
