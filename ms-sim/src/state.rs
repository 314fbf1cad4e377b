//! The simulator's whole world, in memory behind one mutex: accounts, calendars, events, the
//! identity platform's grants and tokens, delta bookkeeping, subscriptions, and the logs tests
//! assert on. One lock keeps every operation atomic (a write bumps the change counter and queues
//! notifications in one step); nothing awaits while holding it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sim_support::{Clients, Plumbing, World};

use crate::config::{SimConfig, UserSpec};
use crate::delta::DeltaState;
use crate::error::SimError;
use crate::event::StoredEvent;
use crate::faults::FaultKind;
use crate::identity::Identity;
use crate::ids;
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
    /// Base URL, clock, faults and the request log.
    pub(crate) plumbing: Plumbing<FaultKind>,
    pub(crate) clients: Clients,
    pub(crate) users: Vec<User>,
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
}

impl State {
    pub(crate) fn new(config: SimConfig) -> Result<Self, SimError> {
        let mut state = State {
            clients: Clients::new(config.clients.clone()),
            config: config.clone(),
            plumbing: Plumbing::default(),
            users: Vec::new(),
            calendars: Vec::new(),
            events: BTreeMap::new(),
            identity: Identity::default(),
            change_seq: 0,
            delta: DeltaState::default(),
            subscriptions: BTreeMap::new(),
            notifications: Vec::new(),
        };
        for user in &config.users {
            state.add_user(user)?;
        }
        Ok(state)
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.plumbing.now()
    }

    pub(crate) fn user(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub(crate) fn user_mut(&mut self, email: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.email.eq_ignore_ascii_case(email))
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

    pub(crate) fn add_user(&mut self, spec: &UserSpec) -> Result<CalendarInfo, SimError> {
        spec.check_new(self.user(&spec.email).is_some())?;
        let zone = Zone::parse(&spec.time_zone)
            .ok_or_else(|| SimError::Invalid(format!("unknown time zone {}", spec.time_zone)))?;
        let display_name = spec
            .display_name
            .clone()
            .unwrap_or_else(|| spec.email.split('@').next().unwrap_or_default().to_owned());
        self.users.push(User {
            id: ids::stable_guid(&spec.email),
            email: spec.email.clone(),
            display_name,
            zone,
            needs_interaction: false,
        });
        Ok(self.push_calendar(&spec.email, "Calendar", true))
    }

    pub(crate) fn add_calendar(&mut self, owner: &str, new: &NewCalendar) -> Result<CalendarInfo, SimError> {
        let email = self
            .user(owner)
            .ok_or_else(|| SimError::UnknownUser(owner.to_owned()))?
            .email
            .clone();
        let name = new.name.trim();
        if name.is_empty() {
            return Err(SimError::Invalid("a calendar needs a name".into()));
        }
        let taken = self
            .calendars
            .iter()
            .any(|c| c.owner == email && c.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(SimError::AlreadyExists(name.to_owned()));
        }
        Ok(self.push_calendar(&email, name, false))
    }

    fn push_calendar(&mut self, owner: &str, name: &str, is_default: bool) -> CalendarInfo {
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

impl World for State {
    type Config = SimConfig;
    type Fault = FaultKind;

    fn plumbing(&self) -> &Plumbing<FaultKind> {
        &self.plumbing
    }

    fn plumbing_mut(&mut self) -> &mut Plumbing<FaultKind> {
        &mut self.plumbing
    }

    fn config_mut(&mut self) -> &mut SimConfig {
        &mut self.config
    }
}
