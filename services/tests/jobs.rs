//! The durable job queue: concurrent workers never run a job twice, failures back off and end
//! up dead for an admin to retry, and an abandoned job is taken over once its lease runs out.

mod common;

use services::Services;
use services::accounts::Member;
use services::event_types::Mode;
use services::fixtures::{self, attendee};
use std::collections::HashSet;

async fn admin(s: &Services) -> Member {
    s.set_up(fixtures::new_team("ada@example.com")).await.unwrap()
}

/// Ten bookings' worth of confirmation jobs (twenty: attendee and host each).
async fn twenty_jobs(s: &Services, admin: &Member) {
    let demo = fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]);
    let demo = s.create_event_type(admin, demo).await.unwrap();
    let monday = 1_800_259_200; // 2027-01-18T08:00:00Z, 09:00 in Berlin
    for n in 0..10 {
        s.book(&demo, monday + n * 1800, &attendee(n as usize), None)
            .await
            .unwrap();
    }
}

on_both_databases! {
    async fn concurrent_workers_claim_every_job_exactly_once(s) {
        let admin = admin(&s).await;
        twenty_jobs(&s, &admin).await;
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let s = s.services.clone();
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    while let Some(job) = s.claim_job(services::jobs::Lane::All).await.unwrap() {
                        mine.push(job.id);
                    }
                    mine
                })
            })
            .collect();
        let mut claimed = Vec::new();
        for worker in workers {
            claimed.extend(worker.await.unwrap());
        }
        let distinct: HashSet<i64> = claimed.iter().copied().collect();
        assert_eq!((claimed.len(), distinct.len()), (20, 20), "{claimed:?}");
    }

    async fn an_abandoned_job_is_taken_over_after_its_lease_and_its_old_owner_cannot_finish_it(s) {
        let admin = admin(&s).await;
        twenty_jobs(&s, &admin).await;
        let abandoned = s.claim_job(services::jobs::Lane::All).await.unwrap().unwrap();
        s.clock().advance(s.config().jobs.lease_secs - 1);
        let mut others = 0;
        while let Some(job) = s.claim_job(services::jobs::Lane::All).await.unwrap() {
            assert_ne!(job.id, abandoned.id, "still leased");
            others += 1;
        }
        assert_eq!(others, 19);
        s.clock().advance(2);
        let taken_over = s.claim_job(services::jobs::Lane::All).await.unwrap().expect("lease ran out");
        assert_eq!((taken_over.id, taken_over.attempt), (abandoned.id, 2));
        s.job_succeeded(&abandoned).await.unwrap();
        assert!(s.claim_job(services::jobs::Lane::All).await.unwrap().is_none());
        s.clock().advance(s.config().jobs.lease_secs + 1);
        let mut expired = Vec::new();
        while let Some(job) = s.claim_job(services::jobs::Lane::All).await.unwrap() {
            expired.push(job.id);
        }
        assert!(
            expired.contains(&abandoned.id),
            "the stale owner's success was ignored, so the job was still running: {expired:?}"
        );
    }

    async fn failures_back_off_then_park_the_job_as_dead_until_an_admin_retries_it(s) {
        let admin = admin(&s).await;
        twenty_jobs(&s, &admin).await;
        let failure = || services::jobs::JobFailure::transient(anyhow::anyhow!("connection refused"));
        let first = s.claim_job(services::jobs::Lane::All).await.unwrap().unwrap();
        s.job_failed(&first, &failure()).await.unwrap();
        while let Some(job) = s.claim_job(services::jobs::Lane::All).await.unwrap() {
            assert_ne!(job.id, first.id, "not due again before its backoff");
            s.job_succeeded(&job).await.unwrap();
        }
        for attempt in 1..s.config().jobs.max_attempts {
            s.clock().advance(3600);
            let job = s.claim_job(services::jobs::Lane::All).await.unwrap().expect("due after the backoff");
            assert_eq!((job.id, job.attempt), (first.id, attempt + 1));
            s.job_failed(&job, &failure()).await.unwrap();
        }
        s.clock().advance(7200);
        assert!(s.claim_job(services::jobs::Lane::All).await.unwrap().is_none(), "dead jobs are not retried");
        let dead = s.dead_jobs(&admin).await.unwrap();
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].last_error.as_deref(), Some("connection refused"));
        assert!(dead[0].label().starts_with("Confirmation to "), "{}", dead[0].payload);
        let member = fixtures::invited_member(&s, &admin, "Bob").await;
        assert!(matches!(s.retry_job(&member, first.id).await, Err(services::ServiceError::Forbidden)));
        s.retry_job(&admin, first.id).await.unwrap();
        assert_eq!(s.claim_job(services::jobs::Lane::All).await.unwrap().map(|j| j.id), Some(first.id));
        assert!(s.dead_jobs(&admin).await.unwrap().is_empty());
    }

    async fn a_permanent_failure_is_dead_at_once(s) {
        let admin = admin(&s).await;
        twenty_jobs(&s, &admin).await;
        let job = s.claim_job(services::jobs::Lane::All).await.unwrap().unwrap();
        let bounce = services::jobs::JobFailure::permanent(anyhow::anyhow!("550 mailbox unavailable"));
        s.job_failed(&job, &bounce).await.unwrap();
        assert_eq!(s.dead_jobs(&admin).await.unwrap()[0].attempts, 1);
    }
}
