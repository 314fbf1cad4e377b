//! The scheduling engine: turns weekly hours, date overrides, busy time and event rules into free
//! slots, for one host or a team.
//!
//! It is deliberately pure: no I/O, no async, no clock of its own ("now" is an input), so it runs
//! identically on the server and in the browser (it compiles to wasm32) and every rule can be
//! tested with plain tables and properties. Instants are UTC unix seconds (`i64`); rules are local
//! wall-clock times plus an IANA zone, resolved against the tz database for each date.
//!
//! # Rules, precisely
//! - **Working ranges** come from the date's override if there is one, otherwise from the weekly
//!   hours of its weekday. Ranges are half-open local `[start, end)`; `end` may be 24:00.
//! - **Start times** lie on a wall-clock grid: the local times `range start + k·interval` of each
//!   working range that read before its end (where a range ends in a fall-back fold, the first
//!   pass of the repeated hour is working time but offers no start). Across a DST change, a grid
//!   time in the spring-forward gap does not exist and is not offered, and one in the fall-back
//!   fold happens twice and is offered twice (New York 2027-03-14, 01:00–05:00, every 45 minutes:
//!   01:00, 01:45, 03:15, 04:00). A meeting lasts its duration in real time, and
//!   `[start, start + duration)` must be covered by working time; ranges that touch (12:00–12:00,
//!   or 24:00 and the next day's 00:00) join, so a meeting may run across them.
//! - **Busy time** blocks a candidate when it overlaps the candidate's buffered span
//!   `[start − buffer_before, end + buffer_after)`. An existing booking blocks with its own buffers
//!   added around it; external busy time has none. Intervals are half-open, so back-to-back is fine.
//! - **Minimum notice**: `start ≥ now + notice`. **Booking window** of N days: the start's local
//!   date is at most today + N (host's calendar). **Daily limit**: a local date on which the host
//!   already has that many bookings counted toward the limit offers nothing more.
//! - **DST**: a boundary that falls in a spring-forward gap resolves to the instant the gap ends, so
//!   a range shrinks to the real instants it covers; in a fall-back fold a range start takes the
//!   earlier instant and a range end the later one, so the repeated hour is real working time.
//! - **Limits**: no input can make the engine panic. It computes in the UTC years -9999 to 9999;
//!   instants and dates outside are clamped into them (so a request there has no slots), buffers
//!   of bookings saturate, and a zero interval (refused by `Rules::with_interval`) offers nothing.
//!   A request yields at most the first year (366 days) of its starts, bounding work and memory.
#![forbid(unsafe_code)]

mod group;
mod intervals;
mod local;
mod model;
mod single;
mod team;
mod zone;

pub use group::{Starts, group_by_local_date};
pub use local::{Boundary, resolve_local};
pub use model::{
    Availability, Booking, BookingWindow, DayOverride, Host, HostId, Interval, LocalRange, Minutes, RangeError,
    Request, Rules, WeeklyHours,
};
pub use single::{Slot, host_slots};
pub use team::{
    HostLoad, TeamSlot, collective_slots, collective_times, pick_round_robin_host, round_robin_slots, round_robin_times,
};
pub use zone::ZoneWindow;
