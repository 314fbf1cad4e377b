use crate::Interval;

/// Sorts and merges overlapping or touching intervals into a disjoint, ascending list.
pub(crate) fn merge(mut intervals: Vec<Interval>) -> Vec<Interval> {
    if !intervals.is_sorted_by_key(|i| i.start) {
        intervals.sort_unstable_by_key(|i| i.start);
    }
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for next in intervals {
        coalesce(&mut merged, next);
    }
    merged
}

/// Appends `next` (starting no earlier than anything in `merged`), joined to the last interval
/// when they touch or overlap; an empty one is dropped.
#[inline]
fn coalesce(merged: &mut Vec<Interval>, next: Interval) {
    if next.start >= next.end {
        return;
    }
    match merged.last_mut() {
        Some(last) if next.start <= last.end => last.end = last.end.max(next.end),
        _ => merged.push(next),
    }
}

/// The number of leading items of `items` for which `before` holds (it must hold for a prefix):
/// a few plain steps (blocks usually lie close together), then galloping, so it costs the
/// logarithm of the answer, not of the slice.
pub(crate) fn gallop<T>(items: &[T], before: impl Fn(&T) -> bool) -> usize {
    const STEPS: usize = 8;
    let steps = items.len().min(STEPS);
    let mut i = 0;
    while i < steps {
        if !before(&items[i]) {
            return i;
        }
        i += 1;
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
    fn galloping_counts_the_prefix_at_every_length() {
        for len in 0..40 {
            let items: Vec<usize> = (0..len).collect();
            for cut in 0..=len {
                assert_eq!(gallop(&items, |&x| x < cut), cut, "{cut} of {len}");
            }
        }
    }
}
