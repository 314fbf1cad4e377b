//! What slot pages read besides bookings (the event type, its hosts and their availability)
//! changes rarely but is read on every request, so it is cached in the process.
//!
//! Every write that can change it bumps a generation counter, which makes this process's entries
//! stale at once. Other processes sharing a PostgreSQL database do not see that counter, so
//! entries also expire after [`TTL`]. Staleness can only ever show a slot that is no longer free;
//! booking re-reads everything inside its transaction and refuses such a time with a 409.

use crate::accounts::Member;
use crate::event_types::EventType;
use crate::{ServiceError, Services};
use engine::{Availability, HostId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long another process's change may take to show on this process's slot pages.
pub const TTL: Duration = Duration::from_secs(10);

/// A host as the engine needs it before bookings and busy time are added.
#[derive(Debug, Clone)]
pub struct HostRules {
    pub member: Member,
    pub availability: Availability,
}

impl HostRules {
    pub fn id(&self) -> HostId {
        HostId(self.member.id)
    }
}

struct Entry<T> {
    value: Arc<T>,
    generation: u64,
    loaded: Instant,
}

type Map<K, T> = Mutex<HashMap<K, Entry<T>>>;

#[derive(Default)]
pub(crate) struct SlotCache {
    generation: AtomicU64,
    event_types: Map<(String, String), EventType>,
    hosts: Map<i64, Vec<HostRules>>,
}

impl SlotCache {
    fn fresh<K: Eq + Hash, T>(&self, map: &Map<K, T>, key: &K) -> Option<Arc<T>> {
        let generation = self.generation.load(Ordering::Acquire);
        let entries = map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries
            .get(key)
            .filter(|e| e.generation == generation && e.loaded.elapsed() < TTL)
            .map(|e| Arc::clone(&e.value))
    }

    /// Stores `value` as loaded under `generation`, read before loading began: a write that
    /// happened meanwhile has bumped the counter, so the entry is already stale, as it should be.
    fn store<K: Eq + Hash, T>(map: &Map<K, T>, key: K, value: T, generation: u64) -> Arc<T> {
        let value = Arc::new(value);
        let entry = Entry {
            value: Arc::clone(&value),
            generation,
            loaded: Instant::now(),
        };
        map.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, entry);
        value
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

impl Services {
    /// Marks every cached event type and availability stale; called after each such write.
    pub(crate) fn availability_changed(&self) {
        self.slot_cache().generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The active event type at `/{team}/{slug}`, from the cache when fresh. For display and
    /// slots only: booking reads it afresh inside its transaction.
    pub async fn cached_event_type(&self, team_slug: &str, slug: &str) -> Result<Arc<EventType>, ServiceError> {
        let cache = self.slot_cache();
        let key = (team_slug.to_owned(), slug.to_owned());
        if let Some(hit) = cache.fresh(&cache.event_types, &key) {
            return Ok(hit);
        }
        let generation = cache.generation();
        let event_type = self.public_event_type(team_slug, slug).await?;
        Ok(SlotCache::store(&cache.event_types, key, event_type, generation))
    }

    /// The hosts taking bookings for `event_type`, with their availability, cached.
    pub async fn host_rules(&self, event_type: &EventType) -> Result<Arc<Vec<HostRules>>, ServiceError> {
        let cache = self.slot_cache();
        if let Some(hit) = cache.fresh(&cache.hosts, &event_type.id) {
            return Ok(hit);
        }
        let generation = cache.generation();
        let mut hosts = Vec::new();
        for member in self.event_type_hosts(event_type).await? {
            let availability = self.availability(&member).await?;
            hosts.push(HostRules { member, availability });
        }
        Ok(SlotCache::store(&cache.hosts, event_type.id, hosts, generation))
    }
}
