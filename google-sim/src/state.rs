//! The simulator's whole world, in memory behind one mutex: accounts, calendars and their events,
//! OAuth grants and tokens, sync bookkeeping, channels, faults and the logs tests assert on.
//! One lock keeps every operation atomic (an insert bumps the change counter, notifies channels
//! and is visible to the next sync in one step); nothing awaits while holding it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::config::{OAuthClient, SimConfig, UserSpec};
use crate::error::SimError;
use crate::event::StoredEvent;
use crate::faults::Fault;
use crate::ids;
use crate::oauth_state::OAuthState;
use crate::recording::RecordedRequest;
use crate::sync::SyncState;
use crate::watch::{Channel, DeliveredNotification};

/// What the router, the control handle and the notification tasks share.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Where notification deliveries are spawned, so control methods can be called from any thread.
    pub runtime: tokio::runtime::Handle,
    pub http: reqwest::Client,
}

pub(crate) type Sim = Arc<Shared>;

impl Shared {
    pub fn new(state: State, runtime: tokio::runtime::Handle) -> Sim {
        Arc::new(Shared {
            state: Mutex::new(state),
            runtime,
            http: reqwest::Client::new(),
        })
    }

    /// A panicking test must not poison the simulator for the assertions that follow.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

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

pub(crate) struct State {
    pub config: SimConfig,
    pub base_url: String,
    /// Added to the wall clock; lets tests age tokens, codes and channels without sleeping.
    pub clock_offset: TimeDelta,
    pub clients: Vec<OAuthClient>,
    pub users: Vec<User>,
    pub calendars: BTreeMap<String, Calendar>,
    pub oauth: OAuthState,
    /// Bumped by every event change; sync tokens are positions in this sequence.
    pub change_seq: u64,
    /// Creation order of events, the default listing order.
    pub order_seq: u64,
    pub sync: SyncState,
    pub channels: BTreeMap<String, Channel>,
    pub faults: Vec<Fault>,
    pub requests: Vec<RecordedRequest>,
    pub notifications: Vec<DeliveredNotification>,
}

pub(crate) fn parse_zone(name: &str) -> Result<Tz, SimError> {
    name.parse::<Tz>()
        .map_err(|_| SimError::Invalid(format!("unknown time zone {name}")))
}

impl State {
    pub fn new(config: SimConfig) -> Result<Self, SimError> {
        let mut state = State {
            clients: config.clients.clone(),
            config: config.clone(),
            base_url: String::new(),
            clock_offset: TimeDelta::zero(),
            users: Vec::new(),
            calendars: BTreeMap::new(),
            oauth: OAuthState::default(),
            change_seq: 0,
            order_seq: 0,
            sync: SyncState::default(),
            channels: BTreeMap::new(),
            faults: Vec::new(),
            requests: Vec::new(),
            notifications: Vec::new(),
        };
        for user in &config.users {
            state.add_user(user)?;
        }
        Ok(state)
    }

    /// Simulated now, at Google's millisecond precision.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now() + self.clock_offset;
        DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
    }

    pub fn client(&self, client_id: &str) -> Option<&OAuthClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    pub fn upsert_client(&mut self, client: OAuthClient) {
        self.clients.retain(|c| c.client_id != client.client_id);
        self.clients.push(client);
    }

    pub fn user(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| u.email.eq_ignore_ascii_case(email))
    }

    fn user_mut(&mut self, email: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub fn add_user(&mut self, spec: &UserSpec) -> Result<CalendarInfo, SimError> {
        if self.user(&spec.email).is_some() || self.calendars.contains_key(&spec.email) {
            return Err(SimError::AlreadyExists(spec.email.clone()));
        }
        if !spec.email.contains('@') {
            return Err(SimError::Invalid(format!("{} is not an email address", spec.email)));
        }
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

    pub fn add_calendar(&mut self, owner: &str, new: &NewCalendar) -> Result<CalendarInfo, SimError> {
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
    pub fn share_calendar(&mut self, calendar_id: &str, email: &str, role: AccessRole) -> Result<(), SimError> {
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
    pub fn resolve_calendar(&self, email: &str, calendar_id: &str) -> Option<(String, AccessRole)> {
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
