//! Team modes. Collective slots are exactly the intersection of the hosts' own slots, round-robin
//! slots exactly their union, each listing the hosts free at that time.
//!
//! Hosts with the same availability (the usual team: one company's hours) share one grid of start
//! times, computed once; each host is then a bitset over it, and a group's union or intersection
//! is a word-wise OR or AND. Groups with different grids are merged as sorted lists.
//!
//! A listing stops computing a group's hosts once the rest cannot change its answer: a union
//! whose every slot already has a free host, an intersection already empty. A large team's
//! round-robin month is then decided by its first few hosts (issue 21).

use crate::single::{Freedom, Window, grid};
use crate::{Availability, Host, HostId, Request, Rules, Slot};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSlot {
    pub start: i64,
    pub end: i64,
    /// The hosts free for this slot, ascending by id.
    pub hosts: Vec<HostId>,
}

/// Slots where every host is free, with the hosts (all of them).
pub fn collective_slots(hosts: &[Host], rules: &Rules, request: &Request) -> Vec<TeamSlot> {
    // Hosts are only skipped once there is no slot left to list them in.
    let groups = groups(hosts, rules, request, Settled::WhenEmpty);
    with_hosts(&groups, intersection(&groups))
}

/// Slots where at least one host is free, with the hosts free for each.
pub fn round_robin_slots(hosts: &[Host], rules: &Rules, request: &Request) -> Vec<TeamSlot> {
    // Every free host is listed, so every host is computed.
    let groups = groups(hosts, rules, request, Settled::Never);
    with_hosts(&groups, union(&groups))
}

/// The times of [`collective_slots`] alone: what a listing needs, without building a host list
/// for every slot.
pub fn collective_times(hosts: &[Host], rules: &Rules, request: &Request) -> Vec<Slot> {
    intersection(&groups(hosts, rules, request, Settled::WhenEmpty))
}

/// The times of [`round_robin_slots`] alone: what a listing needs, without building a host list
/// for every slot.
pub fn round_robin_times(hosts: &[Host], rules: &Rules, request: &Request) -> Vec<Slot> {
    union(&groups(hosts, rules, request, Settled::WhenFull))
}

/// Hosts sharing one availability: its grid, and each host's free slots as a bitset over it.
struct Group<'h> {
    availability: &'h Availability,
    grid: Vec<Slot>,
    /// `(host, bitset)`, ascending by id; bit `i` set when the host is free for `grid[i]`.
    members: Vec<(HostId, Vec<u64>)>,
}

impl Group<'_> {
    /// The grid slots whose bits `combine` keeps, folding the members' words.
    fn select(&self, combine: impl Fn(u64, u64) -> u64) -> Vec<Slot> {
        let Some(((_, first), rest)) = self.members.split_first() else {
            return Vec::new();
        };
        let mut words = first.clone();
        for (_, bits) in rest {
            for (word, bit) in words.iter_mut().zip(bits) {
                *word = combine(*word, *bit);
            }
        }
        self.grid
            .iter()
            .enumerate()
            .filter(|(i, _)| is_set(&words, *i))
            .map(|(_, slot)| *slot)
            .collect()
    }
}

/// When the rest of a group's hosts can no longer change what the caller computes from it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Settled {
    /// Every host counts (their bits list who is free).
    Never,
    /// A union: once every slot has a free host.
    WhenFull,
    /// An intersection: once no slot has every host so far free.
    WhenEmpty,
}

impl Settled {
    /// Whether `folded`, the group's hosts so far folded by the caller's operation over a grid
    /// of `len` slots, is settled.
    fn by(self, folded: &[u64], len: usize) -> bool {
        match self {
            Self::Never => false,
            Self::WhenFull => {
                let (whole, rest) = (len / 64, len % 64);
                folded[..whole].iter().all(|w| *w == u64::MAX) && (rest == 0 || folded[whole] == (1 << rest) - 1)
            }
            Self::WhenEmpty => folded.iter().all(|w| *w == 0),
        }
    }

    /// Folds one more host's bits in, as the caller will (nothing to keep when never settled).
    fn fold(self, folded: &mut [u64], bits: &[u64], first: bool) {
        if self == Self::Never {
            return;
        }
        for (word, bit) in folded.iter_mut().zip(bits) {
            *word = match self {
                _ if first => *bit,
                Self::WhenEmpty => *word & bit,
                Self::Never | Self::WhenFull => *word | bit,
            };
        }
    }
}

/// The hosts (each id once, the first given) grouped by availability, groups in order of their
/// lowest id; a group's later hosts are left out once `settled` says they cannot matter.
fn groups<'h>(hosts: &'h [Host], rules: &Rules, request: &Request, settled: Settled) -> Vec<Group<'h>> {
    let mut order: Vec<&Host> = hosts.iter().collect();
    order.sort_by_key(|h| h.id);
    order.dedup_by_key(|h| h.id);
    let mut groups: Vec<(Group, Option<Window>, Vec<u64>)> = Vec::new();
    for host in order {
        let index = match groups.iter().position(|(g, ..)| *g.availability == host.availability) {
            Some(index) => index,
            None => {
                let window = Window::of(&host.availability, rules, request);
                let grid = window
                    .as_ref()
                    .map_or_else(Vec::new, |w| grid(&host.availability, rules, w));
                let folded = vec![0_u64; grid.len().div_ceil(64)];
                let group = Group {
                    availability: &host.availability,
                    grid,
                    members: Vec::new(),
                };
                groups.push((group, window, folded));
                groups.len() - 1
            }
        };
        let (group, window, folded) = &mut groups[index];
        if !group.members.is_empty() && settled.by(folded, group.grid.len()) {
            continue;
        }
        let mut bits = vec![0_u64; group.grid.len().div_ceil(64)];
        if let Some(window) = window {
            Freedom::new(host, rules, window).for_each_free_run(&group.grid, |run| set_run(&mut bits, run));
        }
        settled.fold(folded, &bits, group.members.is_empty());
        group.members.push((host.id, bits));
    }
    groups.into_iter().map(|(group, ..)| group).collect()
}

/// Sets bits `run` of a bitset, a word at a time.
fn set_run(words: &mut [u64], run: Range<usize>) {
    let (mut i, end) = (run.start, run.end);
    while i < end {
        let (word, bit) = (i / 64, i % 64);
        let width = (64 - bit).min(end - i);
        let mask = if width == 64 {
            u64::MAX
        } else {
            ((1_u64 << width) - 1) << bit
        };
        words[word] |= mask;
        i += width;
    }
}

fn is_set(words: &[u64], i: usize) -> bool {
    words[i / 64] & (1 << (i % 64)) != 0
}

/// Slots where any host of any group is free, ascending.
fn union(groups: &[Group]) -> Vec<Slot> {
    let mut all: Vec<Slot> = Vec::new();
    for group in groups {
        let slots = group.select(|a, b| a | b);
        all = if all.is_empty() {
            slots
        } else {
            merge_sorted(&all, &slots, true)
        };
    }
    all
}

/// Slots where every host of every group is free, ascending.
fn intersection(groups: &[Group]) -> Vec<Slot> {
    let mut lists = groups.iter().map(|g| g.select(|a, b| a & b));
    let Some(first) = lists.next() else {
        return Vec::new();
    };
    lists.fold(first, |all, slots| merge_sorted(&all, &slots, false))
}

/// Two ascending lists of distinct slots merged: all slots of either (`keep_single`) or only those
/// in both.
fn merge_sorted(a: &[Slot], b: &[Slot], keep_single: bool) -> Vec<Slot> {
    let mut merged = Vec::with_capacity(if keep_single {
        a.len() + b.len()
    } else {
        a.len().min(b.len())
    });
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                if keep_single {
                    merged.push(a[i]);
                }
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                if keep_single {
                    merged.push(b[j]);
                }
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                merged.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    if keep_single {
        merged.extend_from_slice(&a[i..]);
        merged.extend_from_slice(&b[j..]);
    }
    merged
}

/// Each slot with the hosts free for it, ascending by id.
fn with_hosts(groups: &[Group], slots: Vec<Slot>) -> Vec<TeamSlot> {
    let mut cursors = vec![0_usize; groups.len()];
    slots
        .into_iter()
        .map(|slot| {
            let mut hosts = Vec::new();
            for (group, cursor) in groups.iter().zip(cursors.iter_mut()) {
                *cursor += group.grid[*cursor..].partition_point(|s| *s < slot);
                if group.grid.get(*cursor) == Some(&slot) {
                    let free = group.members.iter().filter(|(_, bits)| is_set(bits, *cursor));
                    hosts.extend(free.map(|(id, _)| *id));
                }
            }
            hosts.sort_unstable();
            TeamSlot {
                start: slot.start,
                end: slot.end,
                hosts,
            }
        })
        .collect()
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
