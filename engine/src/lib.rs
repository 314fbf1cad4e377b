//! The scheduling engine: turns weekly hours, overrides, busy time and event rules into free slots.
//!
//! It is deliberately pure (no I/O, no async, no clock of its own) so that it runs identically on the
//! server and in the browser, and so that every rule can be tested with plain tables and properties.
//! The computation itself arrives with the slot-engine issue; this crate fixes its place in the
//! dependency graph: `engine ← services ← app ← server`.
#![forbid(unsafe_code)]
