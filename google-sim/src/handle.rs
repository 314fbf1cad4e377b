//! [`ControlHandle`]: the test's side door into the simulator. Everything here is also reachable
//! over HTTP under `/_control` (see [`crate::control`]) for tests that run the binary.
//! Event changes made here go through the same validation and change tracking as API writes and
//! act "as the user" (the calendar's owner): they show up in incremental sync and notify channels.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sim_support::{Control, TokenInfo};

use crate::config::{ConfigPatch, OAuthClient, UserSpec};
use crate::error::SimError;
use crate::event::format_in;
use crate::server::Endpoints;
use crate::state::{AccessRole, CalendarInfo, NewCalendar, State};
use crate::store::{self, Change, WriteOptions};
use crate::token;
use crate::watch::{ChannelInfo, DeliveredNotification};

sim_support::control_handle! {
    /// Cheap to clone; all methods are synchronous and safe to call from any thread. The clock,
    /// configuration, faults and request log come from [`sim_support::Controls`], which this
    /// dereferences to.
    ControlHandle over State {
        calendar: CalendarInfo,
        new_calendar: NewCalendar,
        notification: DeliveredNotification,
        config_patch: ConfigPatch,
    }
}

impl Control for ControlHandle {
    type Endpoints = Endpoints;

    fn endpoints(&self, base_url: &str) -> Endpoints {
        Endpoints {
            authorize: format!("{base_url}/o/oauth2/v2/auth"),
            token: format!("{base_url}/token"),
            revoke: format!("{base_url}/revoke"),
            calendar_api: format!("{base_url}/calendar/v3"),
        }
    }

    fn stop_deliveries(&self) {
        self.stop_all_channels();
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
    pub fn apply_config(&self, patch: &ConfigPatch) {
        patch.apply(&mut self.sim().lock().config);
    }

    /// Registers (or replaces) an OAuth client.
    pub fn add_client(&self, client: OAuthClient) {
        self.sim().lock().clients.upsert(client);
    }

    /// Creates a Google account with its primary calendar (id = email).
    pub fn add_user(&self, user: UserSpec) -> Result<CalendarInfo, SimError> {
        self.sim().lock().add_user(&user)
    }

    /// Creates a secondary calendar owned by `owner`, on their calendar list.
    pub fn add_calendar(&self, owner: &str, calendar: NewCalendar) -> Result<CalendarInfo, SimError> {
        self.sim().lock().add_calendar(owner, &calendar)
    }

    /// Shares a calendar with another account (it appears on their calendar list with `role`).
    pub fn share_calendar(&self, calendar_id: &str, with: &str, role: AccessRole) -> Result<(), SimError> {
        self.sim().lock().share_calendar(calendar_id, with, role)
    }

    pub fn calendars(&self) -> Vec<CalendarInfo> {
        self.sim().lock().calendars.values().map(|c| c.info()).collect()
    }

    /// Adds an event as the calendar's owner would in Google Calendar. `event` is an Events
    /// resource (`summary`, `start`, `end`, `attendees`, `extendedProperties`, `id`, `iCalUID`…).
    pub fn insert_event(&self, calendar_id: &str, event: Value) -> Result<Value, SimError> {
        let mut state = self.sim().lock();
        let owner = calendar_owner(&state, calendar_id)?;
        Ok(store::insert_event(&mut state, calendar_id, &owner, event, AS_USER)?)
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

    /// Every event of the calendar, cancelled ones included, in creation order, rendered in full.
    pub fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError> {
        let state = self.sim().lock();
        let calendar = state
            .calendars
            .get(calendar_id)
            .ok_or_else(|| SimError::UnknownCalendar(calendar_id.to_owned()))?;
        let mut events: Vec<_> = calendar.events.values().collect();
        events.sort_by_key(|e| e.order);
        Ok(events.into_iter().map(|e| e.render(calendar)).collect())
    }

    pub fn event(&self, calendar_id: &str, event_id: &str) -> Option<Value> {
        let state = self.sim().lock();
        let calendar = state.calendars.get(calendar_id)?;
        calendar.events.get(event_id).map(|e| e.render(calendar))
    }

    pub fn tokens(&self) -> Vec<TokenInfo> {
        let state = self.sim().lock();
        state.oauth.token_infos(state.now(), &state.config)
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

    /// Makes live access tokens (all, or one user's) expired now. Returns how many.
    pub fn expire_access_tokens(&self, user: Option<&str>) -> usize {
        let mut state = self.sim().lock();
        let now = state.now();
        state.oauth.access_tokens.expire(user, now)
    }

    /// Notifications delivered (or given up on), in completion order.
    pub fn notifications(&self) -> Vec<DeliveredNotification> {
        self.sim().lock().notifications.clone()
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

    /// Stops every channel (the simulator shutting down does this).
    pub fn stop_all_channels(&self) {
        self.sim().lock().channels.clear();
    }
}
