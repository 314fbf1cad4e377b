//! Team modes. Collective slots are exactly the intersection of the hosts' own slots, round-robin
//! slots exactly their union, each listing the hosts free at that time.

use crate::{Host, HostId, Request, Rules, Slot, host_slots};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSlot {
    pub start: i64,
    pub end: i64,
    /// The hosts free for this slot, ascending by id.
    pub hosts: Vec<HostId>,
}

/// Slots where every host is free.
pub fn collective_slots(hosts: &[Host], rules: &Rules, request: &Request) -> Vec<TeamSlot> {
    let lists = per_host(hosts, rules, request);
    let everyone = lists.len();
    merge(&lists)
        .into_iter()
        .filter(|slot| slot.hosts.len() == everyone)
        .collect()
}

/// Slots where at least one host is free.
pub fn round_robin_slots(hosts: &[Host], rules: &Rules, request: &Request) -> Vec<TeamSlot> {
    merge(&per_host(hosts, rules, request))
}

/// Each host's own slots (sorted and without repeats, as `host_slots` returns them), hosts by
/// ascending id and each once.
fn per_host(hosts: &[Host], rules: &Rules, request: &Request) -> Vec<(HostId, Vec<Slot>)> {
    let mut ids: Vec<usize> = (0..hosts.len()).collect();
    ids.sort_by_key(|&i| hosts[i].id);
    ids.dedup_by_key(|i| hosts[*i].id);
    ids.into_iter()
        .map(|i| (hosts[i].id, host_slots(&hosts[i], rules, request)))
        .collect()
}

/// The union of the sorted per-host lists, each slot with the hosts free for it: a k-way merge
/// with one cursor per host, so no slot is compared with more than the hosts' next slots (sorting
/// every (slot, host) pair cost most of a 20-host request). Each slot's host list is allocated
/// once, at its final size.
fn merge(lists: &[(HostId, Vec<Slot>)]) -> Vec<TeamSlot> {
    let mut cursors = vec![0_usize; lists.len()];
    let longest = lists.iter().map(|(_, list)| list.len()).max().unwrap_or(0);
    let mut team = Vec::with_capacity(longest);
    loop {
        let mut next: Option<(Slot, usize)> = None;
        for ((_, list), &cursor) in lists.iter().zip(&cursors) {
            let Some(&slot) = list.get(cursor) else { continue };
            next = match next {
                Some((least, free)) if least == slot => Some((least, free + 1)),
                Some((least, _)) if least < slot => next,
                _ => Some((slot, 1)),
            };
        }
        let Some((slot, free)) = next else { return team };
        let mut hosts = Vec::with_capacity(free);
        for ((id, list), cursor) in lists.iter().zip(cursors.iter_mut()) {
            if list.get(*cursor) == Some(&slot) {
                hosts.push(*id);
                *cursor += 1;
            }
        }
        team.push(TeamSlot {
            start: slot.start,
            end: slot.end,
            hosts,
        });
    }
}

/// How busy a round-robin host has been with this event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostLoad {
    pub host: HostId,
    pub bookings_last_30_days: u32,
    pub last_booked_at: Option<i64>,
}

/// The host to assign among `free` ones: fewest bookings of this event type in the last 30 days,
/// then the least recently booked (never booked first), then the lowest id. Deterministic, so the
/// booking step can re-apply it inside its transaction and reach the same answer.
pub fn pick_round_robin_host(free: &[HostId], loads: &[HostLoad]) -> Option<HostId> {
    free.iter().copied().min_by_key(|id| {
        let load = loads.iter().find(|l| l.host == *id);
        let count = load.map_or(0, |l| l.bookings_last_30_days);
        let last = load.and_then(|l| l.last_booked_at).unwrap_or(i64::MIN);
        (count, last, *id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(id: i64, count: u32, last: Option<i64>) -> HostLoad {
        HostLoad {
            host: HostId(id),
            bookings_last_30_days: count,
            last_booked_at: last,
        }
    }

    #[test]
    fn the_host_with_fewest_recent_bookings_is_picked() {
        let loads = [load(1, 3, Some(10)), load(2, 1, Some(50)), load(3, 2, Some(5))];
        assert_eq!(
            pick_round_robin_host(&[HostId(1), HostId(2), HostId(3)], &loads),
            Some(HostId(2))
        );
    }

    #[test]
    fn ties_go_to_the_least_recently_booked_then_the_lowest_id() {
        let loads = [
            load(1, 2, Some(100)),
            load(2, 2, Some(50)),
            load(3, 2, None),
            load(4, 2, None),
        ];
        assert_eq!(pick_round_robin_host(&[HostId(1), HostId(2)], &loads), Some(HostId(2)));
        assert_eq!(
            pick_round_robin_host(&[HostId(4), HostId(3), HostId(1)], &loads),
            Some(HostId(3))
        );
        assert_eq!(pick_round_robin_host(&[], &loads), None);
    }

    #[test]
    fn a_busy_host_is_never_picked_when_not_free() {
        let loads = [load(1, 0, None), load(2, 9, Some(1))];
        assert_eq!(pick_round_robin_host(&[HostId(2)], &loads), Some(HostId(2)));
    }
}
