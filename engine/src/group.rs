//! Grouping slots into the viewer's calendar days.

use crate::local::local_date;
use crate::{Slot, TeamSlot};
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
    let mut days: Vec<(NaiveDate, Vec<S>)> = Vec::new();
    for slot in slots {
        let date = local_date(viewer, slot.start());
        match days.last_mut() {
            Some((day, list)) if *day == date => list.push(slot.clone()),
            _ => days.push((date, vec![slot.clone()])),
        }
    }
    days
}
