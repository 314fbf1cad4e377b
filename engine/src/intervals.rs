use crate::Interval;

/// Sorts and merges overlapping or touching intervals into a disjoint, ascending list.
pub(crate) fn merge(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|i| i.start < i.end);
    intervals.sort_unstable();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for interval in intervals {
        match merged.last_mut() {
            Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
            _ => merged.push(interval),
        }
    }
    merged
}

/// Whether `span` overlaps any interval of a disjoint ascending list; `cursor` remembers where
/// the previous (earlier or equal) query stopped, making a sweep over ascending spans linear.
pub(crate) fn hits(sorted: &[Interval], cursor: &mut usize, span: Interval) -> bool {
    while *cursor < sorted.len() && sorted[*cursor].end <= span.start {
        *cursor += 1;
    }
    sorted.get(*cursor).is_some_and(|i| i.start < span.end)
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
    fn a_sweep_finds_overlaps_but_not_neighbours() {
        let busy = vec![iv(10, 20), iv(30, 40)];
        let mut cursor = 0;
        assert!(!hits(&busy, &mut cursor, iv(0, 10)));
        assert!(hits(&busy, &mut cursor, iv(5, 11)));
        assert!(!hits(&busy, &mut cursor, iv(20, 30)));
        assert!(hits(&busy, &mut cursor, iv(39, 50)));
        assert!(!hits(&busy, &mut cursor, iv(40, 50)));
    }
}
