//! The test's side door into the simulator: what every simulator offers (accounts, calendars,
//! events, tokens, notifications: [`ControlApi`] for the world, reached through
//! [`sim_support::Controls`]) done the Google way, and [`ControlHandle`]'s Google-only calls.
//! Everything here is also reachable over HTTP under `/_control` (see [`crate::control`]) for
//! tests that run the binary. Event changes made here go through the same validation and change
//! tracking as API writes and act "as the user" (the calendar's owner): they show up in
//! incremental sync and notify channels.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sim_support::{Conferences, Conferencing, ControlApi, TokenInfo, UserSpec};

use crate::conference::{self, ConferenceMode};
use crate::error::SimError;
use crate::event::format_in;
use crate::ids;
use crate::server::Endpoints;
use crate::state::{AccessRole, Calendar, CalendarInfo, ListEntry, NewCalendar, State, User, parse_zone};
use crate::store::{self, Change, WriteOptions};
use crate::token;
use crate::watch::{ChannelInfo, DeliveredNotification};

sim_support::control_handle! {
    /// Google's own control calls: sharing calendars, changing and deleting events as their
    /// owner, the conference types a calendar offers, revoking tokens, channels and sync tokens.
    /// Each account's Meet behaviour and the conferences made come from
    /// [`sim_support::Controls`] too (`set_conferencing`, `conferences_created`, …).
    ControlHandle over State
}

/// What every simulator offers tests, the Google way.
impl ControlApi for State {
    type Calendar = CalendarInfo;
    type NewCalendar = NewCalendar;
    type Notification = DeliveredNotification;
    type Endpoints = Endpoints;

    fn endpoints(base_url: &str) -> Endpoints {
        Endpoints {
            authorize: format!("{base_url}/o/oauth2/v2/auth"),
            token: format!("{base_url}/token"),
            revoke: format!("{base_url}/revoke"),
            calendar_api: format!("{base_url}/calendar/v3"),
        }
    }

    /// A Google account with its primary calendar (id = email).
    fn add_user(&mut self, user: &UserSpec) -> Result<CalendarInfo, SimError> {
        user.check_new(self.users.get(&user.email).is_some() || self.calendars.contains_key(&user.email))?;
        let time_zone = parse_zone(&user.time_zone)?;
        let calendar = Calendar {
            id: user.email.clone(),
            summary: user.email.clone(),
            time_zone,
            owner: user.email.clone(),
            events: BTreeMap::new(),
            conference_types: conference::default_solution_types(),
        };
        let info = calendar.info();
        self.calendars.insert(calendar.id.clone(), calendar);
        self.users.push(User {
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            entries: vec![ListEntry {
                calendar_id: user.email.clone(),
                access_role: AccessRole::Owner,
                primary: true,
            }],
        });
        Ok(info)
    }

    /// A secondary calendar (`id` defaults to `<random>@group.calendar.google.com`, the zone to
    /// the owner's), on its owner's calendar list.
    fn add_calendar(&mut self, owner: &str, calendar: &NewCalendar) -> Result<CalendarInfo, SimError> {
        let owner_email = self
            .users
            .get(owner)
            .ok_or_else(|| SimError::UnknownUser(owner.to_owned()))?
            .email
            .clone();
        let id = calendar
            .id
            .clone()
            .unwrap_or_else(|| format!("{}@group.calendar.google.com", ids::alphanumeric(26)));
        if self.calendars.contains_key(&id) || id == "primary" {
            return Err(SimError::AlreadyExists(id));
        }
        let zone_name = calendar
            .time_zone
            .clone()
            .unwrap_or_else(|| self.primary_zone(&owner_email));
        let created = Calendar {
            id: id.clone(),
            summary: calendar.summary.clone(),
            time_zone: parse_zone(&zone_name)?,
            owner: owner_email.clone(),
            events: BTreeMap::new(),
            conference_types: conference::default_solution_types(),
        };
        let info = created.info();
        self.calendars.insert(id.clone(), created);
        if let Some(user) = self.users.get_mut(&owner_email) {
            user.entries.push(ListEntry {
                calendar_id: id,
                access_role: AccessRole::Owner,
                primary: false,
            });
        }
        Ok(info)
    }

    fn calendars(&self) -> Vec<CalendarInfo> {
        self.calendars.values().map(|c| c.info()).collect()
    }

    /// Every event of the calendar, cancelled ones included, in creation order, rendered in full.
    fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError> {
        let calendar = self
            .calendars
            .get(calendar_id)
            .ok_or_else(|| SimError::UnknownCalendar(calendar_id.to_owned()))?;
        let mut events: Vec<_> = calendar.events.values().collect();
        events.sort_by_key(|e| e.order);
        Ok(events.into_iter().map(|e| e.render(calendar)).collect())
    }

    /// `event` is an Events resource (`summary`, `start`, `end`, `attendees`,
    /// `extendedProperties`, `id`, `iCalUID`…).
    fn insert_event(&mut self, calendar_id: &str, event: Value) -> Result<Value, SimError> {
        let owner = calendar_owner(self, calendar_id)?;
        Ok(store::insert_event(self, calendar_id, &owner, event, AS_USER)?)
    }

    fn tokens(&self) -> Vec<TokenInfo> {
        self.oauth.token_infos(self.now(), &self.config)
    }

    fn expire_access_tokens(&mut self, user: Option<&str>) -> usize {
        let now = self.now();
        self.oauth.auth.access_tokens.expire(user, now)
    }

    fn notifications(&self) -> Vec<DeliveredNotification> {
        self.notifications.clone()
    }

    /// Stops every channel.
    fn stop_deliveries(&mut self) {
        self.channels.clear();
    }
}

/// Each account's Meet behaviour ([`ConferenceMode`]) and the conferences made, through
/// [`sim_support::Controls`]: `set_conferencing`, `conferencing`, `conferences`,
/// `conferences_created` and `event_conferences`.
impl Conferences for State {
    type Mode = ConferenceMode;

    fn conferencing(&self) -> &Conferencing<ConferenceMode> {
        &self.conferencing
    }

    fn conferencing_mut(&mut self) -> &mut Conferencing<ConferenceMode> {
        &mut self.conferencing
    }

    fn has_account(&self, email: &str) -> bool {
        self.users.get(email).is_some()
    }
}

fn calendar_owner(state: &State, calendar_id: &str) -> Result<String, SimError> {
    state
        .calendars
        .get(calendar_id)
        .map(|c| c.owner.clone())
        .ok_or_else(|| SimError::UnknownCalendar(calendar_id.to_owned()))
}

/// Control writes may create and keep conference data (as the Calendar UI does).
const AS_USER: WriteOptions = WriteOptions { conference_data: true };

impl ControlHandle {
    /// Shares a calendar with another account (it appears on their calendar list with `role`).
    pub fn share_calendar(&self, calendar_id: &str, with: &str, role: AccessRole) -> Result<(), SimError> {
        self.sim().lock().share_calendar(calendar_id, with, role)
    }

    /// Sets the conference solution types the calendar offers
    /// (`conferenceProperties.allowedConferenceSolutionTypes`); a `createRequest` for any other
    /// type is refused with 400 `invalid`. Without `hangoutsMeet` this is a Workspace with Meet
    /// turned off. Every type must be one Google names (`eventHangout`, `eventNamedHangout`,
    /// `hangoutsMeet`, `addOn`), though the simulator makes Meet conferences only.
    pub fn set_conference_types(&self, calendar_id: &str, types: &[&str]) -> Result<(), SimError> {
        if let Some(unknown) = types.iter().find(|t| !conference::SOLUTION_TYPES.contains(t)) {
            return Err(SimError::Invalid(format!("unknown conference solution type {unknown}")));
        }
        let mut state = self.sim().lock();
        let calendar = state
            .calendars
            .get_mut(calendar_id)
            .ok_or_else(|| SimError::UnknownCalendar(calendar_id.to_owned()))?;
        calendar.conference_types = types.iter().map(|t| (*t).to_owned()).collect();
        Ok(())
    }

    /// Patches an event (Google patch semantics).
    pub fn patch_event(&self, calendar_id: &str, event_id: &str, patch: Value) -> Result<Value, SimError> {
        let mut state = self.sim().lock();
        calendar_owner(&state, calendar_id)?;
        Ok(store::modify_event(
            &mut state,
            calendar_id,
            event_id,
            Change::Patch(patch),
            None,
            AS_USER,
        )?)
    }

    /// Reschedules an event, keeping its `timeZone`s.
    pub fn move_event(
        &self,
        calendar_id: &str,
        event_id: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Value, SimError> {
        let patch = {
            let state = self.sim().lock();
            let calendar = state
                .calendars
                .get(calendar_id)
                .ok_or_else(|| SimError::UnknownCalendar(calendar_id.to_owned()))?;
            let event = calendar
                .events
                .get(event_id)
                .ok_or_else(|| SimError::UnknownEvent(event_id.to_owned()))?;
            let time = |which: &str, at: DateTime<Utc>| {
                let zone = event.body.get(which).and_then(|v| v.get("timeZone")).cloned();
                let mut out = Map::new();
                out.insert("dateTime".into(), json!(format_in(at, calendar.time_zone)));
                if let Some(zone) = zone {
                    out.insert("timeZone".into(), zone);
                }
                Value::Object(out)
            };
            json!({"start": time("start", start), "end": time("end", end)})
        };
        self.patch_event(calendar_id, event_id, patch)
    }

    /// Deletes an event (it becomes `status: cancelled`, as in Google).
    pub fn delete_event(&self, calendar_id: &str, event_id: &str) -> Result<(), SimError> {
        let mut state = self.sim().lock();
        calendar_owner(&state, calendar_id)?;
        Ok(store::delete_event(&mut state, calendar_id, event_id, None)?)
    }

    /// The event as `events.get` shows it (conference included), without counting as a read.
    pub fn event(&self, calendar_id: &str, event_id: &str) -> Option<Value> {
        let state = self.sim().lock();
        let calendar = state.calendars.get(calendar_id)?;
        calendar.events.get(event_id).map(|e| e.render(calendar))
    }

    /// The user removes the app's access ("Third-party apps with account access"): every token of
    /// the matching (user, client) pairs dies. `None` matches all. Returns how many tokens died.
    pub fn revoke_access(&self, user: Option<&str>, client_id: Option<&str>) -> usize {
        let mut state = self.sim().lock();
        let (now, config) = (state.now(), state.config.clone());
        state.oauth.revoke_grants(user, client_id, now, &config)
    }

    /// Same as `POST /revoke?token=…`: the token's family dies. False if it was not live.
    pub fn revoke_token(&self, token: &str) -> bool {
        token::revoke_token(&mut self.sim().lock(), token).is_ok()
    }

    /// Live channels.
    pub fn channels(&self) -> Vec<ChannelInfo> {
        let state = self.sim().lock();
        let now = state.now();
        state
            .channels
            .values()
            .filter(|c| c.info.expiration > now)
            .map(|c| c.info.clone())
            .collect()
    }

    /// Forgets sync tokens (all, or one calendar's): the next incremental sync gets 410
    /// `fullSyncRequired`. Returns how many tokens were dropped.
    pub fn invalidate_sync_tokens(&self, calendar_id: Option<&str>) -> usize {
        self.sim().lock().sync.invalidate(calendar_id)
    }
}
