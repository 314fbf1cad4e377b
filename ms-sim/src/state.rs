//! The simulator's whole world, in memory behind one mutex: accounts, calendars, events, the
//! identity platform's grants and tokens, delta bookkeeping, subscriptions, Teams modes, and the
//! logs tests assert on. One lock keeps every operation atomic (a write bumps the change counter
//! and queues notifications in one step); nothing awaits while holding it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sim_support::{Account, Accounts, Conferencing, Plumbing};

use crate::config::SimConfig;
use crate::delta::DeltaState;
use crate::event::StoredEvent;
use crate::faults::FaultKind;
use crate::identity::Identity;
use crate::ids;
use crate::online_meeting::TeamsMode;
use crate::subscriptions::{DeliveredNotification, Subscription};
use crate::zones::Zone;

pub(crate) type Shared = sim_support::Shared<State>;
pub(crate) type Sim = sim_support::Sim<State>;

/// A calendar as tests see it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CalendarInfo {
    pub id: String,
    pub name: String,
    /// The owner's email address.
    pub owner: String,
    pub is_default_calendar: bool,
}

/// Input for creating another calendar in a user's mailbox.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NewCalendar {
    pub name: String,
}

/// An account as tests see it (the object id appears in notification `resource` paths).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub time_zone: String,
    pub default_calendar_id: String,
}

pub(crate) struct User {
    /// Directory object id (`oid`), stable for an email address.
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub zone: Zone,
    /// Set by the control API: refreshes fail with `interaction_required` (MFA) until the user
    /// signs in interactively again.
    pub needs_interaction: bool,
}

impl Account for User {
    fn email(&self) -> &str {
        &self.email
    }
}

pub(crate) struct Calendar {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub is_default: bool,
    pub change_key: String,
}

impl Calendar {
    pub fn info(&self) -> CalendarInfo {
        CalendarInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            owner: self.owner.clone(),
            is_default_calendar: self.is_default,
        }
    }
}

/// The whole simulated world; opaque outside the crate (it is public only because
/// [`ControlHandle`](crate::ControlHandle) dereferences to [`sim_support::Controls`] over it).
pub struct State {
    pub(crate) config: SimConfig,
    /// Base URL, clock, registered apps, faults and the request log.
    pub(crate) plumbing: Plumbing<FaultKind>,
    pub(crate) users: Accounts<User>,
    /// In creation order (a mailbox lists its default calendar first).
    pub(crate) calendars: Vec<Calendar>,
    /// Every event by id, deleted ones kept as tombstones for delta queries.
    pub(crate) events: BTreeMap<String, StoredEvent>,
    pub(crate) identity: Identity,
    /// Bumped by every event change; delta tokens are positions in this sequence.
    pub(crate) change_seq: u64,
    pub(crate) delta: DeltaState,
    pub(crate) subscriptions: BTreeMap<String, Subscription>,
    pub(crate) notifications: Vec<DeliveredNotification>,
    /// Each account's Teams behaviour and the online meetings made.
    pub(crate) conferencing: Conferencing<TeamsMode>,
}

impl State {
    /// A world without accounts; serving it adds the configured ones.
    pub(crate) fn new(config: SimConfig) -> Self {
        State {
            config,
            plumbing: Plumbing::default(),
            users: Accounts::default(),
            calendars: Vec::new(),
            events: BTreeMap::new(),
            identity: Identity::default(),
            change_seq: 0,
            delta: DeltaState::default(),
            subscriptions: BTreeMap::new(),
            notifications: Vec::new(),
            conferencing: Conferencing::default(),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.plumbing.now()
    }

    pub(crate) fn user_info(&self, user: &User) -> UserInfo {
        UserInfo {
            id: user.id.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            time_zone: user.zone.name.clone(),
            default_calendar_id: self
                .default_calendar(&user.email)
                .map(|c| c.id.clone())
                .unwrap_or_default(),
        }
    }

    /// Adds a calendar to `owner`'s mailbox.
    pub(crate) fn push_calendar(&mut self, owner: &str, name: &str, is_default: bool) -> CalendarInfo {
        let calendar = Calendar {
            id: ids::item_id(),
            name: name.to_owned(),
            owner: owner.to_owned(),
            is_default,
            change_key: ids::change_key(),
        };
        let info = calendar.info();
        self.calendars.push(calendar);
        info
    }

    pub(crate) fn calendar(&self, id: &str) -> Option<&Calendar> {
        self.calendars.iter().find(|c| c.id == id)
    }

    pub(crate) fn default_calendar(&self, email: &str) -> Option<&Calendar> {
        self.calendars
            .iter()
            .find(|c| c.is_default && c.owner.eq_ignore_ascii_case(email))
    }

    /// A live (not deleted) event.
    pub(crate) fn event(&self, id: &str) -> Option<&StoredEvent> {
        self.events.get(id).filter(|e| !e.deleted)
    }
}

sim_support::world!(State {
    config: SimConfig,
    fault: FaultKind
});
