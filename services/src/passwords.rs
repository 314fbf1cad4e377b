//! Argon2id hashing on a few dedicated threads. One check takes tens of milliseconds of CPU and
//! about 19 MiB of memory: run on the async workers it would stall every request sharing the
//! thread, and run on an unbounded pool a flood of sign-ins would hold 19 MiB per attempt (200 at
//! once took a server from 0.85 to 4.47 GB). A fixed set of threads bounds both, and the queue in
//! front of them is bounded too: when it is full the caller is told to come back shortly.
//!
//! Each thread also keeps its Argon2 memory and reuses it: allocating 19 MiB per check left the
//! allocator holding hundreds of megabytes after a burst (glibc raises its mmap threshold after
//! the first large free, so later blocks come from, and stay in, its heaps).

use crate::ServiceError;
use anyhow::anyhow;
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use domain::Password;
use std::cell::RefCell;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::Semaphore;

/// Checks that may wait per worker thread before more are refused.
const QUEUE_PER_WORKER: usize = 32;

type Job = Box<dyn FnOnce() + Send>;

pub(crate) struct PasswordWorkers {
    /// Permits for queued and running checks.
    admitted: Semaphore,
    jobs: Sender<Job>,
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
            jobs,
        }
    }

    pub async fn hash(&self, password: &Password) -> Result<String, ServiceError> {
        let secret = password.expose().to_owned();
        self.run(move || new_hash(secret.as_bytes()).map_err(|e| anyhow!("argon2 hash: {e}")))
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
            let matches = matches(attempt.as_bytes(), &stored).map_err(|e| anyhow!("stored hash: {e}"))?;
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
        self.jobs.send(job).map_err(|_| anyhow!("password workers stopped"))?;
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
    DUMMY.get_or_init(|| new_hash(b"not a real password").unwrap_or_default())
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `password` with a fresh salt.
fn new_hash(password: &[u8]) -> password_hash::Result<String> {
    let salt = SaltString::generate(&mut password_hash::rand_core::OsRng);
    let argon = Argon2::default();
    let hash = with_thread_memory(&argon, password, salt.as_salt(), Params::DEFAULT_OUTPUT_LEN)?;
    let phc = PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(argon.params())?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Whether `password` is the one `stored` (a PHC string) was made from; the comparison of the
/// outputs takes constant time.
fn matches(password: &[u8], stored: &str) -> password_hash::Result<bool> {
    let parsed = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(password_hash::Error::PhcStringField);
    };
    let version = parsed.version.map(Version::try_from).transpose()?.unwrap_or_default();
    let argon = Argon2::new(
        Algorithm::try_from(parsed.algorithm)?,
        version,
        Params::try_from(&parsed)?,
    );
    Ok(with_thread_memory(&argon, password, salt, expected.len())? == expected)
}

/// Argon2 of `password` over this thread's reused memory (see the module doc).
fn with_thread_memory(argon: &Argon2, password: &[u8], salt: Salt, len: usize) -> password_hash::Result<Output> {
    thread_local! {
        static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    MEMORY.with_borrow_mut(|memory| {
        memory.resize(argon.params().block_count(), Block::default());
        Output::init_with(len, |out| {
            Ok(argon.hash_password_into_with_memory(password, salt, out, &mut memory[..])?)
        })
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

    #[test]
    fn hashes_on_reused_memory_agree_with_the_argon2_crate_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = new_hash(b"correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse", &parsed).is_ok());
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        let salt = SaltString::generate(&mut password_hash::rand_core::OsRng);
        let theirs = Argon2::default()
            .hash_password(b"battery staple", &salt)
            .unwrap()
            .to_string();
        assert!(matches(b"battery staple", &theirs).unwrap());
        assert!(!matches(b"battery stapler", &theirs).unwrap());
        assert!(!matches(b"correct horse", &theirs).unwrap());
        assert!(matches(b"x", "not a hash").is_err());
    }
}
