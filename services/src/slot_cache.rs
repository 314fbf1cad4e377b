//! What slot pages read (the event type, its hosts, their availability and their bookings) is
//! read on every request and changes far less often, so it is cached in the process.
//!
//! Every write that can change it bumps a generation counter (one for rules, one for bookings),
//! which makes this process's entries stale at once. Other processes sharing a PostgreSQL
//! database do not see those counters, so entries also expire after [`TTL`] (rules) and
//! [`BOOKINGS_TTL`]. Staleness can only ever show a slot that is no longer free; booking re-reads
//! everything inside its transaction and refuses such a time with a 409.

use crate::accounts::Member;
use crate::bookings::HostBlockRow;
use crate::event_types::EventType;
use crate::{ServiceError, Services};
use engine::{Availability, HostId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long another process's change of rules may take to show on this process's slot pages.
pub const TTL: Duration = Duration::from_secs(10);
/// The same for another process's bookings.
pub const BOOKINGS_TTL: Duration = Duration::from_secs(2);
/// Bookings ending this long before now can no longer affect any slot offered (slots lie in the
/// future; daily limits look at most a day back in any zone), so the cache leaves them out.
const PAST_HORIZON_SECS: i64 = 3 * 86_400;

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
    /// When a request began reloading this entry after its TTL ran out (see [`SlotCache::fresh`]).
    reloading_since: Option<Instant>,
}

type Map<K, T> = Mutex<HashMap<K, Entry<T>>>;

#[derive(Default)]
pub(crate) struct SlotCache {
    rules_generation: AtomicU64,
    bookings_generation: AtomicU64,
    event_types: Map<(String, String), EventType>,
    hosts: Map<i64, Vec<HostRules>>,
    bookings: Map<i64, Vec<HostBlockRow>>,
}

impl SlotCache {
    /// The cached value if it may be served; `None` tells the caller to load it. An entry whose
    /// generation moved on is never served. One that only outlived its TTL (another process may
    /// have written meanwhile) is reloaded by the first request to see it, while every other
    /// request keeps getting it until that reload lands (or itself takes longer than a TTL): under
    /// load, all requests in flight used to reload at once every few seconds, which set the p99.
    fn fresh<K: Eq + Hash, T>(map: &Map<K, T>, key: &K, generation: u64, ttl: Duration) -> Option<Arc<T>> {
        let mut entries = map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get_mut(key).filter(|e| e.generation == generation)?;
        if entry.loaded.elapsed() < ttl || entry.reloading_since.is_some_and(|since| since.elapsed() < ttl) {
            return Some(Arc::clone(&entry.value));
        }
        entry.reloading_since = Some(Instant::now());
        None
    }

    /// Stores `value` as loaded under `generation`, read before loading began: a write that
    /// happened meanwhile has bumped the counter, so the entry is already stale, as it should be.
    fn store<K: Eq + Hash, T>(map: &Map<K, T>, key: K, value: T, generation: u64) -> Arc<T> {
        let value = Arc::new(value);
        let entry = Entry {
            value: Arc::clone(&value),
            generation,
            loaded: Instant::now(),
            reloading_since: None,
        };
        map.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, entry);
        value
    }

    fn rules_generation(&self) -> u64 {
        self.rules_generation.load(Ordering::Acquire)
    }

    fn bookings_generation(&self) -> u64 {
        self.bookings_generation.load(Ordering::Acquire)
    }
}

impl Services {
    /// Marks every cached event type and availability stale; called after each such write.
    pub(crate) fn availability_changed(&self) {
        self.slot_cache().rules_generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Marks every cached booking list stale; called after each booking, reschedule and cancel.
    pub(crate) fn bookings_changed(&self) {
        self.slot_cache().bookings_generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The active event type at `/{team}/{slug}`, from the cache when fresh. For display and
    /// slots only: booking reads it afresh inside its transaction.
    pub async fn cached_event_type(&self, team_slug: &str, slug: &str) -> Result<Arc<EventType>, ServiceError> {
        let cache = self.slot_cache();
        let key = (team_slug.to_owned(), slug.to_owned());
        let generation = cache.rules_generation();
        if let Some(hit) = SlotCache::fresh(&cache.event_types, &key, generation, TTL) {
            return Ok(hit);
        }
        let event_type = self.public_event_type(team_slug, slug).await?;
        Ok(SlotCache::store(&cache.event_types, key, event_type, generation))
    }

    /// The hosts taking bookings for `event_type`, with their availability, cached.
    pub async fn host_rules(&self, event_type: &EventType) -> Result<Arc<Vec<HostRules>>, ServiceError> {
        let cache = self.slot_cache();
        let generation = cache.rules_generation();
        if let Some(hit) = SlotCache::fresh(&cache.hosts, &event_type.id, generation, TTL) {
            return Ok(hit);
        }
        let hosts = self.hosts_with_rules(event_type).await?;
        Ok(SlotCache::store(&cache.hosts, event_type.id, hosts, generation))
    }

    /// Confirmed bookings of the event type's hosts that still block time, cached.
    pub(crate) async fn host_blocks(&self, event_type: &EventType) -> Result<Arc<Vec<HostBlockRow>>, ServiceError> {
        let cache = self.slot_cache();
        let generation = cache.bookings_generation();
        if let Some(hit) = SlotCache::fresh(&cache.bookings, &event_type.id, generation, BOOKINGS_TTL) {
            return Ok(hit);
        }
        let since = self.clock().now() - PAST_HORIZON_SECS;
        let rows = crate::bookings::bookings_of_hosts(self.db().pool(), event_type.id, since).await?;
        Ok(SlotCache::store(&cache.bookings, event_type.id, rows, generation))
    }
}
