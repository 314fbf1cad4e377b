//! The worker inside every server process: it runs due jobs and syncs the connected calendars
//! that are due, then sleeps until a local change (or a push notification) wakes it or a second
//! passes (jobs due later, or enqueued by another process). Webhook deliveries run in a lane of
//! their own, several at once (see [`Lane`]).

use crate::jobs::{ClaimedJob, JobFailure, Lane};
use crate::{ServiceError, Services};
use std::sync::atomic::Ordering;
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

    /// Jobs on every wake; calendar syncs when one was made due now, else at most once a poll
    /// (their due times are seconds apart): under a stream of bookings, every commit wakes the
    /// worker, and a sync claim on each would be a write of its own competing with the bookings.
    async fn run_general_lane(self) {
        let mut syncs_checked: Option<tokio::time::Instant> = None;
        let mut syncs_woken = true;
        loop {
            if let Err(e) = self.run_lane(Lane::General).await {
                tracing::error!(error = ?anyhow::Error::from(e), "job worker");
            }
            if syncs_woken || syncs_checked.is_none_or(|at| at.elapsed() >= POLL) {
                syncs_checked = Some(tokio::time::Instant::now());
                if let Err(e) = self.run_due_syncs().await {
                    tracing::error!(error = ?anyhow::Error::from(e), "calendar sync worker");
                }
            }
            syncs_woken = tokio::select! {
                () = self.inner.jobs_wake.notified() => false,
                () = self.inner.syncs_wake.notified() => true,
                () = tokio::time::sleep(POLL) => false,
            };
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

    /// Wakes this process's worker after a commit that enqueued jobs; its webhook lane only when
    /// the commit queued deliveries (see [`Self::webhooks_queued`]).
    pub(crate) fn jobs_enqueued(&self) {
        self.inner.jobs_wake.notify_one();
        if self.inner.webhooks_queued.swap(false, Ordering::AcqRel) {
            self.inner.webhooks_wake.notify_one();
        }
    }

    /// Notes, inside a transaction, that it queues webhook deliveries. A transaction that then
    /// rolls back costs the webhook lane one needless look; one never noted would leave its
    /// deliveries to the lane's next poll.
    pub(crate) fn webhooks_queued(&self) {
        self.inner.webhooks_queued.store(true, Ordering::Release);
    }

    /// Wakes this process's worker after a commit that made calendar syncs due now. Its general
    /// lane runs jobs on every wake, so this one wake serves both: waking `jobs_wake` too could
    /// win the lane's `select!` and leave the syncs to the loop after.
    pub(crate) fn syncs_due(&self) {
        self.inner.syncs_wake.notify_one();
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
