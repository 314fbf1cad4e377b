//! The simulator's whole world, in memory behind one mutex: accounts, calendars and their events,
//! OAuth grants and tokens, sync bookkeeping, channels, faults and the logs tests assert on.
//! One lock keeps every operation atomic (an insert bumps the change counter, notifies channels
//! and is visible to the next sync in one step); nothing awaits while holding it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sim_support::{Clients, Plumbing, World};

use crate::config::{SimConfig, UserSpec};
use crate::error::SimError;
use crate::event::StoredEvent;
use crate::faults::FaultKind;
use crate::ids;
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

pub(crate) struct Calendar {
    pub id: String,
    pub summary: String,
    pub time_zone: Tz,
    pub owner: String,
    pub events: BTreeMap<String, StoredEvent>,
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
    /// Base URL, clock, faults and the request log.
    pub(crate) plumbing: Plumbing<FaultKind>,
    pub(crate) clients: Clients,
    pub(crate) users: Vec<User>,
    pub(crate) calendars: BTreeMap<String, Calendar>,
    pub(crate) oauth: OAuthState,
    /// Bumped by every event change; sync tokens are positions in this sequence.
    pub(crate) change_seq: u64,
    /// Creation order of events, the default listing order.
    pub(crate) order_seq: u64,
    pub(crate) sync: SyncState,
    pub(crate) channels: BTreeMap<String, Channel>,
    pub(crate) notifications: Vec<DeliveredNotification>,
}

pub(crate) fn parse_zone(name: &str) -> Result<Tz, SimError> {
    name.parse::<Tz>()
        .map_err(|_| SimError::Invalid(format!("unknown time zone {name}")))
}

impl State {
    pub(crate) fn new(config: SimConfig) -> Result<Self, SimError> {
        let mut state = State {
            clients: Clients::new(config.clients.clone()),
            config: config.clone(),
            plumbing: Plumbing::default(),
            users: Vec::new(),
            calendars: BTreeMap::new(),
            oauth: OAuthState::default(),
            change_seq: 0,
            order_seq: 0,
            sync: SyncState::default(),
            channels: BTreeMap::new(),
            notifications: Vec::new(),
        };
        for user in &config.users {
            state.add_user(user)?;
        }
        Ok(state)
    }

    /// Simulated now, at Google's millisecond precision.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.plumbing.now()
    }

    pub(crate) fn user(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| u.email.eq_ignore_ascii_case(email))
    }

    fn user_mut(&mut self, email: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub(crate) fn add_user(&mut self, spec: &UserSpec) -> Result<CalendarInfo, SimError> {
        spec.check_new(self.user(&spec.email).is_some() || self.calendars.contains_key(&spec.email))?;
        let time_zone = parse_zone(&spec.time_zone)?;
        let calendar = Calendar {
            id: spec.email.clone(),
            summary: spec.email.clone(),
            time_zone,
            owner: spec.email.clone(),
            events: BTreeMap::new(),
        };
        let info = calendar.info();
        self.calendars.insert(calendar.id.clone(), calendar);
        self.users.push(User {
            email: spec.email.clone(),
            display_name: spec.display_name.clone(),
            entries: vec![ListEntry {
                calendar_id: spec.email.clone(),
                access_role: AccessRole::Owner,
                primary: true,
            }],
        });
        Ok(info)
    }

    pub(crate) fn add_calendar(&mut self, owner: &str, new: &NewCalendar) -> Result<CalendarInfo, SimError> {
        let owner_email = self
            .user(owner)
            .ok_or_else(|| SimError::UnknownUser(owner.to_owned()))?
            .email
            .clone();
        let id = new
            .id
            .clone()
            .unwrap_or_else(|| format!("{}@group.calendar.google.com", ids::alphanumeric(26)));
        if self.calendars.contains_key(&id) || id == "primary" {
            return Err(SimError::AlreadyExists(id));
        }
        let zone_name = new.time_zone.clone().unwrap_or_else(|| self.primary_zone(&owner_email));
        let calendar = Calendar {
            id: id.clone(),
            summary: new.summary.clone(),
            time_zone: parse_zone(&zone_name)?,
            owner: owner_email.clone(),
            events: BTreeMap::new(),
        };
        let info = calendar.info();
        self.calendars.insert(id.clone(), calendar);
        if let Some(user) = self.user_mut(&owner_email) {
            user.entries.push(ListEntry {
                calendar_id: id,
                access_role: AccessRole::Owner,
                primary: false,
            });
        }
        Ok(info)
    }

    /// Puts a calendar on another user's calendar list with the given role (or changes the role).
    pub(crate) fn share_calendar(&mut self, calendar_id: &str, email: &str, role: AccessRole) -> Result<(), SimError> {
        if !self.calendars.contains_key(calendar_id) {
            return Err(SimError::UnknownCalendar(calendar_id.to_owned()));
        }
        let user = self
            .user_mut(email)
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

    fn primary_zone(&self, email: &str) -> String {
        self.calendars
            .get(email)
            .map_or_else(|| "UTC".to_owned(), |c| c.time_zone.name().to_owned())
    }

    /// Resolves a calendar id as `email` sees it (`primary` is an alias), with their role.
    pub(crate) fn resolve_calendar(&self, email: &str, calendar_id: &str) -> Option<(String, AccessRole)> {
        let user = self.user(email)?;
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
