//! Fault injection: the next N matching calls (or all, until cleared) answer with a provider
//! error or are delayed. Faults are checked before authentication, in the order they were added;
//! each call consumes at most one. What an error looks like is the provider's business
//! ([`FaultKind::respond`]); queueing, counting and path matching are the same everywhere.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::world::{Sim, World};

/// A provider's catalogue of faults, in JSON tagged by `kind`. Every simulator's catalogue has
/// the shared entries `{"kind": "too_many_requests", "retry_after_secs": N}` (the number
/// optional), `{"kind": "backend_error"}`, `{"kind": "latency", "millis": N}` and
/// `{"kind": "slow_answer", "millis": N}` — the part of the control API a test can rely on
/// across providers — and adds its own.
pub trait FaultKind: Clone + Send + Serialize + DeserializeOwned + 'static {
    /// The provider's error response (never asked of a latency fault).
    fn respond(self) -> Response;
}

/// One of the shared entries, built from its JSON.
fn shared<K: FaultKind>(entry: serde_json::Value) -> K {
    serde_json::from_value(entry).expect("every simulator's faults include the shared kinds")
}

/// How long a fault of the named `kind` (`latency` or `slow_answer`) holds the call.
fn hold<K: FaultKind>(kind: &K, name: &str) -> Option<Duration> {
    let entry = serde_json::to_value(kind).ok()?;
    (entry["kind"] == name).then(|| Duration::from_millis(entry["millis"].as_u64().unwrap_or(0)))
}

/// Providers that also say "rate limited" with a 403 (Google's `rateLimitExceeded`).
pub trait ForbiddenRateLimit {
    fn rate_limit_exceeded() -> Self;
}

fn one() -> u32 {
    1
}

/// A queued fault. JSON: the kind's fields plus `count` (default 1), `forever` (default false)
/// and `path_contains` (only calls whose path contains it).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fault<K> {
    #[serde(flatten)]
    pub kind: K,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub forever: bool,
    #[serde(default)]
    pub path_contains: Option<String>,
}

impl<K> Fault<K> {
    /// One call gets `kind`.
    pub fn new(kind: K) -> Self {
        Self {
            kind,
            count: 1,
            forever: false,
            path_contains: None,
        }
    }

    /// The next `count` matching calls get this fault.
    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    /// Every matching call gets this fault until faults are cleared.
    pub fn forever(mut self) -> Self {
        self.forever = true;
        self
    }

    /// Only calls whose path contains `fragment` (e.g. `"freeBusy"`, `"/events"`).
    pub fn on_path(mut self, fragment: impl Into<String>) -> Self {
        self.path_contains = Some(fragment.into());
        self
    }

    /// A fault that can never fire is not queued, so `faults()` lists only live ones.
    pub fn is_live(&self) -> bool {
        self.count > 0 || self.forever
    }
}

impl<K: FaultKind> Fault<K> {
    pub fn too_many_requests(retry_after_secs: Option<u64>) -> Self {
        Self::new(shared(
            json!({"kind": "too_many_requests", "retry_after_secs": retry_after_secs}),
        ))
    }

    /// The provider's generic 500.
    pub fn backend_error() -> Self {
        Self::new(shared(json!({"kind": "backend_error"})))
    }

    /// Holds the call for `delay`, then answers it normally.
    pub fn latency(delay: Duration) -> Self {
        Self::new(shared(json!({"kind": "latency", "millis": delay.as_millis() as u64})))
    }

    /// Carries the call out, then holds its answer for `delay`: a client that gives up sooner
    /// never learns that its change was made (the case idempotent retries exist for).
    pub fn slow_answer(delay: Duration) -> Self {
        Self::new(shared(
            json!({"kind": "slow_answer", "millis": delay.as_millis() as u64}),
        ))
    }
}

impl<K: ForbiddenRateLimit> Fault<K> {
    pub fn rate_limit_exceeded() -> Self {
        Self::new(K::rate_limit_exceeded())
    }
}

/// Takes the first fault matching `path`, consuming one of its uses.
fn take<K: Clone>(faults: &mut Vec<Fault<K>>, path: &str) -> Option<K> {
    let index = faults
        .iter()
        .position(|f| f.path_contains.as_ref().is_none_or(|p| path.contains(p.as_str())))?;
    let fault = &mut faults[index];
    let kind = fault.kind.clone();
    if !fault.forever {
        fault.count = fault.count.saturating_sub(1);
        if fault.count == 0 {
            faults.remove(index);
        }
    }
    Some(kind)
}

/// Middleware on a provider's API routes (not its OAuth endpoints, not the control API).
pub async fn apply<S: World>(State(sim): State<Sim<S>>, request: Request, next: Next) -> Response {
    let fault = take(&mut sim.lock().plumbing_mut().faults, request.uri().path());
    let Some(kind) = fault else {
        return next.run(request).await;
    };
    if let Some(delay) = hold(&kind, "latency") {
        tokio::time::sleep(delay).await;
        return next.run(request).await;
    }
    if let Some(delay) = hold(&kind, "slow_answer") {
        let answer = next.run(request).await;
        tokio::time::sleep(delay).await;
        return answer;
    }
    kind.respond()
}
