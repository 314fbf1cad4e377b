//! Grouping slots into the viewer's calendar days.

use crate::{Slot, TeamSlot, ZoneWindow};
use chrono::NaiveDate;
use chrono_tz::Tz;

/// Anything with a UTC start instant.
pub trait Starts {
    fn start(&self) -> i64;
}

impl Starts for Slot {
    fn start(&self) -> i64 {
        self.start
    }
}

impl Starts for TeamSlot {
    fn start(&self) -> i64 {
        self.start
    }
}

/// Ascending slots grouped by the local date of their start in `viewer` (a day belongs to the
/// viewer's calendar, not the host's). Days without slots are absent.
pub fn group_by_local_date<S: Starts + Clone>(slots: &[S], viewer: Tz) -> Vec<(NaiveDate, Vec<S>)> {
    let (Some(first), Some(last)) = (slots.first(), slots.last()) else {
        return Vec::new();
    };
    let zone = ZoneWindow::new(viewer, first.start(), last.start().saturating_add(1));
    let mut days: Vec<(NaiveDate, Vec<S>)> = Vec::new();
    for slot in slots {
        let date = zone.local_date(slot.start());
        match days.last_mut() {
            Some((day, list)) if *day == date => list.push(slot.clone()),
            _ => days.push((date, vec![slot.clone()])),
        }
    }
    days
}
