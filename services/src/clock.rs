use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The source of "now" for every rule that depends on time (session expiry, invite validity).
/// Tests use a manual clock so that "seven days later" takes no time and cannot flake.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn manual(unix_seconds: i64) -> Self {
        Self::Manual(Arc::new(AtomicI64::new(unix_seconds)))
    }

    /// Current time as UTC unix seconds.
    pub fn now(&self) -> i64 {
        match self {
            Self::System => chrono::Utc::now().timestamp(),
            Self::Manual(t) => t.load(Ordering::SeqCst),
        }
    }

    /// Sets a manual clock; a system clock cannot be moved and ignores this.
    pub fn set(&self, unix_seconds: i64) {
        if let Self::Manual(t) = self {
            t.store(unix_seconds, Ordering::SeqCst);
        }
    }

    /// Moves a manual clock forward; a system clock cannot be moved and ignores this.
    pub fn advance(&self, seconds: i64) {
        if let Self::Manual(t) = self {
            t.fetch_add(seconds, Ordering::SeqCst);
        }
    }
}
