//! Argon2id hashing on a few dedicated threads. One check takes tens of milliseconds of CPU and
//! about 19 MiB of memory: run on the async workers it would stall every request sharing the
//! thread, and run on an unbounded pool a flood of sign-ins would hold 19 MiB per attempt (200 at
//! once took a server from 0.85 to 4.47 GB). A fixed set of threads bounds both, and the queue in
//! front of them is bounded too: when it is full the caller is told to come back shortly.

use crate::ServiceError;
use anyhow::anyhow;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use domain::Password;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::Semaphore;

/// Checks that may wait per worker thread before more are refused.
const QUEUE_PER_WORKER: usize = 32;

type Job = Box<dyn FnOnce() + Send>;

pub(crate) struct PasswordWorkers {
    /// Permits for queued and running checks.
    admitted: Semaphore,
    jobs: Mutex<Sender<Job>>,
}

impl PasswordWorkers {
    /// Starts `workers` threads; they end when this value is dropped.
    pub fn start(workers: usize) -> Self {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("passwords-{n}"))
                .spawn(move || work(&queue));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password worker");
            }
        }
        Self {
            admitted: Semaphore::new(workers * QUEUE_PER_WORKER),
            jobs: Mutex::new(jobs),
        }
    }

    pub async fn hash(&self, password: &Password) -> Result<String, ServiceError> {
        let secret = password.expose().to_owned();
        self.run(move || {
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            Argon2::default()
                .hash_password(secret.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| anyhow!("argon2 hash: {e}"))
        })
        .await?
        .map_err(ServiceError::Internal)
    }

    /// Checks `attempt` against `stored`; with `None` it still spends the same work on a dummy
    /// hash so that response time does not reveal whether an email has an account.
    pub async fn verify(&self, stored: Option<String>, attempt: &str) -> Result<bool, ServiceError> {
        let attempt = attempt.to_owned();
        self.run(move || {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let parsed = PasswordHash::new(&stored).map_err(|e| anyhow!("stored hash: {e}"))?;
            let matches = Argon2::default().verify_password(attempt.as_bytes(), &parsed).is_ok();
            Ok(known && matches)
        })
        .await?
        .map_err(ServiceError::Internal)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServiceError> {
        let _admitted = self
            .admitted
            .try_acquire()
            .map_err(|_| ServiceError::Busy { retry_after_secs: 1 })?;
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(work());
        });
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(job)
            .map_err(|_| anyhow!("password workers stopped"))?;
        answered
            .await
            .map_err(|_| anyhow!("a password worker dropped its job").into())
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let next = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
        match next {
            // A panicking job loses its answer (the caller sees an internal error), not the thread.
            Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
            Err(_) => return,
        }
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(b"not a real password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn checks_beyond_the_queue_are_refused_as_busy_until_it_drains() {
        let workers = Arc::new(PasswordWorkers::start(1));
        let (release, blocked) = std::sync::mpsc::channel::<()>();
        let blocker = tokio::spawn({
            let workers = Arc::clone(&workers);
            async move { workers.run(move || blocked.recv().is_ok()).await }
        });
        let queued: Vec<_> = (1..QUEUE_PER_WORKER)
            .map(|n| {
                let workers = Arc::clone(&workers);
                tokio::spawn(async move { workers.run(move || n).await })
            })
            .collect();
        while workers.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let refused = workers.run(|| 0).await;
        assert!(
            matches!(refused, Err(ServiceError::Busy { retry_after_secs: 1 })),
            "{refused:?}"
        );
        release.send(()).unwrap();
        assert!(blocker.await.unwrap().unwrap());
        for (n, job) in (1..).zip(queued) {
            assert_eq!(job.await.unwrap().unwrap(), n);
        }
        assert_eq!(workers.run(|| 7).await.unwrap(), 7, "room again once the queue drained");
    }
}
