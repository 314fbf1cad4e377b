//! The shared state container and the part of every simulator's world the plumbing needs.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::accounts::Clients;
use crate::config::Settings;
use crate::faults::{Fault, FaultKind};
use crate::recording::RecordedRequest;

/// What the router, the control handle and background delivery tasks share.
pub struct Shared<S> {
    state: Mutex<S>,
    /// Where deliveries are spawned, so control methods can be called from any thread.
    pub runtime: tokio::runtime::Handle,
    pub http: reqwest::Client,
}

pub type Sim<S> = Arc<Shared<S>>;

impl<S> Shared<S> {
    pub fn new(state: S, runtime: tokio::runtime::Handle) -> Sim<S> {
        Arc::new(Shared {
            state: Mutex::new(state),
            runtime,
            http: reqwest::Client::new(),
        })
    }

    /// A panicking test must not poison the simulator for the assertions that follow.
    pub fn lock(&self) -> MutexGuard<'_, S> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The simulator-independent part of a world: where it is served, its clock, the registered
/// apps, queued faults and the request log.
pub struct Plumbing<K> {
    /// `http://127.0.0.1:PORT`, set once the listener is bound.
    pub base_url: String,
    clock_offset: TimeDelta,
    /// The app registrations, from the configuration's and added by the control API.
    pub clients: Clients,
    pub faults: Vec<Fault<K>>,
    pub requests: Vec<RecordedRequest>,
}

impl<K> Default for Plumbing<K> {
    fn default() -> Self {
        Self {
            base_url: String::new(),
            clock_offset: TimeDelta::zero(),
            clients: Clients::default(),
            faults: Vec::new(),
            requests: Vec::new(),
        }
    }
}

impl<K: FaultKind> Plumbing<K> {
    /// Simulated now: the wall clock plus every advance, at millisecond precision (what both
    /// providers show in timestamps).
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now() + self.clock_offset;
        DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
    }

    pub fn advance_clock(&mut self, by: Duration) -> DateTime<Utc> {
        self.clock_offset += TimeDelta::from_std(by).unwrap_or(TimeDelta::zero());
        self.now()
    }

    /// Appends to the request log, numbering the entry.
    pub fn log(&mut self, mut request: RecordedRequest) {
        request.seq = self.requests.last().map_or(1, |r| r.seq + 1);
        self.requests.push(request);
    }
}

/// Implemented by each simulator's world so the shared plumbing can reach its parts.
pub trait World: Send + 'static {
    type Config: Settings;
    type Fault: FaultKind;

    fn plumbing(&self) -> &Plumbing<Self::Fault>;
    fn plumbing_mut(&mut self) -> &mut Plumbing<Self::Fault>;
    fn config_mut(&mut self) -> &mut Self::Config;
}

/// Implements [`World`] for a simulator's state struct whose `plumbing` and `config` fields hold
/// those parts: `sim_support::world!(State { config: SimConfig, fault: FaultKind });`.
#[macro_export]
macro_rules! world {
    ($state:ty { config: $config:ty, fault: $fault:ty $(,)? }) => {
        impl $crate::World for $state {
            type Config = $config;
            type Fault = $fault;

            fn plumbing(&self) -> &$crate::Plumbing<$fault> {
                &self.plumbing
            }

            fn plumbing_mut(&mut self) -> &mut $crate::Plumbing<$fault> {
                &mut self.plumbing
            }

            fn config_mut(&mut self) -> &mut $config {
                &mut self.config
            }
        }
    };
}
