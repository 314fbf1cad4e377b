use crate::Interval;

/// Sorts and merges overlapping or touching intervals into a disjoint, ascending list.
pub(crate) fn merge(intervals: Vec<Interval>) -> Vec<Interval> {
    merge_pair(intervals, &[])
}

/// [`merge`] of two lists at once. Lists that already ascend by start (as bookings and busy time
/// usually come) are not sorted again but interleaved, coalescing in the same linear pass.
pub(crate) fn merge_pair(mut a: Vec<Interval>, b: &[Interval]) -> Vec<Interval> {
    if !a.is_sorted_by_key(|i| i.start) {
        a.sort_unstable_by_key(|i| i.start);
    }
    let sorted_b;
    let b = if b.is_sorted_by_key(|i| i.start) {
        b
    } else {
        sorted_b = {
            let mut copy = b.to_vec();
            copy.sort_unstable_by_key(|i| i.start);
            copy
        };
        &sorted_b
    };
    let mut merged: Vec<Interval> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    loop {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.start <= y.start => {
                i += 1;
                *x
            }
            (_, Some(y)) => {
                j += 1;
                *y
            }
            (Some(x), None) => {
                i += 1;
                *x
            }
            (None, None) => return merged,
        };
        if next.start >= next.end {
            continue;
        }
        match merged.last_mut() {
            Some(last) if next.start <= last.end => last.end = last.end.max(next.end),
            _ => merged.push(next),
        }
    }
}

/// The number of leading items of `items` for which `before` holds (it must hold for a prefix):
/// a few plain steps (blocks usually lie close together), then galloping, so it costs the
/// logarithm of the answer, not of the slice.
pub(crate) fn gallop<T>(items: &[T], before: impl Fn(&T) -> bool) -> usize {
    const STEPS: usize = 8;
    for (i, item) in items.iter().take(STEPS).enumerate() {
        if !before(item) {
            return i;
        }
    }
    if items.len() <= STEPS {
        return items.len();
    }
    STEPS + leap(&items[STEPS..], before)
}

/// [`gallop`]'s exponential search.
fn leap<T>(items: &[T], before: impl Fn(&T) -> bool) -> usize {
    let mut bound = 1;
    while bound <= items.len() && before(&items[bound - 1]) {
        bound *= 2;
    }
    let low = bound / 2;
    low + items[low..bound.min(items.len())].partition_point(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(a, b)
    }

    #[test]
    fn touching_and_overlapping_intervals_merge_and_empty_ones_vanish() {
        let merged = merge(vec![iv(10, 20), iv(0, 5), iv(5, 7), iv(15, 30), iv(40, 40), iv(50, 60)]);
        assert_eq!(merged, vec![iv(0, 7), iv(10, 30), iv(50, 60)]);
    }

    #[test]
    fn a_pair_of_lists_merges_like_their_concatenation() {
        let (a, b) = (
            vec![iv(0, 5), iv(20, 30), iv(50, 60)],
            vec![iv(55, 70), iv(4, 10), iv(30, 31)],
        );
        let mut both = a.clone();
        both.extend(&b);
        assert_eq!(merge_pair(a, &b), merge(both));
        assert_eq!(
            merge_pair(vec![iv(9, 12)], &[iv(0, 1), iv(2, 9)]),
            vec![iv(0, 1), iv(2, 12)]
        );
    }

    #[test]
    fn galloping_counts_the_prefix_at_every_length() {
        for len in 0..40 {
            let items: Vec<usize> = (0..len).collect();
            for cut in 0..=len {
                assert_eq!(gallop(&items, |&x| x < cut), cut, "{cut} of {len}");
            }
        }
    }
}
