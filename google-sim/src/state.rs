//! The simulator's whole world, in memory behind one mutex: accounts, calendars and their events,
//! OAuth grants and tokens, sync bookkeeping, channels, conference modes, faults and the logs
//! tests assert on.
//! One lock keeps every operation atomic (an insert bumps the change counter, notifies channels
//! and is visible to the next sync in one step); nothing awaits while holding it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sim_support::{Account, Accounts, Conferencing, Plumbing};

use crate::conference::ConferenceMode;
use crate::config::SimConfig;
use crate::error::SimError;
use crate::event::StoredEvent;
use crate::faults::FaultKind;
use crate::oauth_state::OAuthState;
use crate::sync::SyncState;
use crate::watch::{Channel, DeliveredNotification};

/// What the router, the control handle and the notification tasks share.
pub(crate) type Shared = sim_support::Shared<State>;
pub(crate) type Sim = sim_support::Sim<State>;

/// A calendar user's access to a calendar, weakest first so roles compare with `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AccessRole {
    FreeBusyReader,
    Reader,
    Writer,
    Owner,
}

impl AccessRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessRole::FreeBusyReader => "freeBusyReader",
            AccessRole::Reader => "reader",
            AccessRole::Writer => "writer",
            AccessRole::Owner => "owner",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
    }
}

/// A calendar as tests see it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CalendarInfo {
    pub id: String,
    pub summary: String,
    pub time_zone: String,
    pub owner: String,
}

/// Input for creating a secondary calendar; `id` defaults to `<random>@group.calendar.google.com`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCalendar {
    #[serde(default)]
    pub id: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub time_zone: Option<String>,
}

pub(crate) struct ListEntry {
    pub calendar_id: String,
    pub access_role: AccessRole,
    pub primary: bool,
}

pub(crate) struct User {
    pub email: String,
    pub display_name: Option<String>,
    pub entries: Vec<ListEntry>,
}

impl Account for User {
    fn email(&self) -> &str {
        &self.email
    }
}

pub(crate) struct Calendar {
    pub id: String,
    pub summary: String,
    pub time_zone: Tz,
    pub owner: String,
    pub events: BTreeMap<String, StoredEvent>,
    /// `conferenceProperties.allowedConferenceSolutionTypes`: the conferences events may ask for.
    pub conference_types: Vec<String>,
}

impl Calendar {
    pub fn info(&self) -> CalendarInfo {
        CalendarInfo {
            id: self.id.clone(),
            summary: self.summary.clone(),
            time_zone: self.time_zone.name().to_owned(),
            owner: self.owner.clone(),
        }
    }
}

/// The whole simulated world; opaque outside the crate (it is public only because
/// [`ControlHandle`](crate::ControlHandle) dereferences to [`sim_support::Controls`] over it).
pub struct State {
    pub(crate) config: SimConfig,
    /// Base URL, clock, registered clients, faults and the request log.
    pub(crate) plumbing: Plumbing<FaultKind>,
    pub(crate) users: Accounts<User>,
    pub(crate) calendars: BTreeMap<String, Calendar>,
    pub(crate) oauth: OAuthState,
    /// Bumped by every event change; sync tokens are positions in this sequence.
    pub(crate) change_seq: u64,
    /// Creation order of events, the default listing order.
    pub(crate) order_seq: u64,
    pub(crate) sync: SyncState,
    pub(crate) channels: BTreeMap<String, Channel>,
    pub(crate) notifications: Vec<DeliveredNotification>,
    /// Each account's Meet behaviour and the conferences made.
    pub(crate) conferencing: Conferencing<ConferenceMode>,
}

pub(crate) fn parse_zone(name: &str) -> Result<Tz, SimError> {
    name.parse::<Tz>()
        .map_err(|_| SimError::Invalid(format!("unknown time zone {name}")))
}

impl State {
    /// A world without accounts; serving it adds the configured ones.
    pub(crate) fn new(config: SimConfig) -> Self {
        State {
            config,
            plumbing: Plumbing::default(),
            users: Accounts::default(),
            calendars: BTreeMap::new(),
            oauth: OAuthState::default(),
            change_seq: 0,
            order_seq: 0,
            sync: SyncState::default(),
            channels: BTreeMap::new(),
            notifications: Vec::new(),
            conferencing: Conferencing::default(),
        }
    }

    /// Simulated now, at Google's millisecond precision.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.plumbing.now()
    }

    /// Puts a calendar on another user's calendar list with the given role (or changes the role).
    pub(crate) fn share_calendar(&mut self, calendar_id: &str, email: &str, role: AccessRole) -> Result<(), SimError> {
        if !self.calendars.contains_key(calendar_id) {
            return Err(SimError::UnknownCalendar(calendar_id.to_owned()));
        }
        let user = self
            .users
            .get_mut(email)
            .ok_or_else(|| SimError::UnknownUser(email.to_owned()))?;
        match user.entries.iter_mut().find(|e| e.calendar_id == calendar_id) {
            Some(entry) => entry.access_role = role,
            None => user.entries.push(ListEntry {
                calendar_id: calendar_id.to_owned(),
                access_role: role,
                primary: false,
            }),
        }
        Ok(())
    }

    pub(crate) fn primary_zone(&self, email: &str) -> String {
        self.calendars
            .get(email)
            .map_or_else(|| "UTC".to_owned(), |c| c.time_zone.name().to_owned())
    }

    /// Resolves a calendar id as `email` sees it (`primary` is an alias), with their role.
    pub(crate) fn resolve_calendar(&self, email: &str, calendar_id: &str) -> Option<(String, AccessRole)> {
        let user = self.users.get(email)?;
        user.entries
            .iter()
            .find(|e| {
                if calendar_id == "primary" {
                    e.primary
                } else {
                    e.calendar_id == calendar_id
                }
            })
            .map(|e| (e.calendar_id.clone(), e.access_role))
    }
}

sim_support::world!(State {
    config: SimConfig,
    fault: FaultKind
});
