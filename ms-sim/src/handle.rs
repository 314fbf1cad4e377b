//! [`ControlHandle`]: the test's side door into the simulator. Everything here is also reachable
//! over HTTP under `/_control` (see [`crate::control`]) for tests that run the binary.
//! Event changes made here go through the same validation and change tracking as Graph writes
//! and act "as the user" (the mailbox owner in Outlook): they show up in delta queries and notify
//! subscriptions.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sim_support::{Control, OAuthClient, TokenInfo};

use crate::config::{ConfigPatch, UserSpec};
use crate::error::SimError;
use crate::event::View;
use crate::server::Endpoints;
use crate::state::{CalendarInfo, NewCalendar, State, UserInfo};
use crate::store;
use crate::subscriptions::{self, DeliveredNotification, SubscriptionInfo};
use crate::zones::Zone;

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
            authority: format!("{base_url}/common"),
            authorize: format!("{base_url}/common/oauth2/v2.0/authorize"),
            token: format!("{base_url}/common/oauth2/v2.0/token"),
            graph: format!("{base_url}/v1.0"),
        }
    }

    fn stop_deliveries(&self) {
        self.stop_all_subscriptions();
    }
}

/// An event as the control API shows it: in UTC, with every extended property expanded.
fn render(state: &State, event_id: &str) -> Option<Value> {
    let event = state.event(event_id)?;
    let owner = state.calendar(&event.calendar_id).and_then(|c| state.user(&c.owner))?;
    let zone = Zone::utc();
    let expand = event.extended_property_ids();
    Some(event.render(
        owner,
        &View {
            zone: &zone,
            expand: &expand,
        },
    ))
}

impl ControlHandle {
    pub fn apply_config(&self, patch: &ConfigPatch) {
        patch.apply(&mut self.sim().lock().config);
    }

    /// Registers (or replaces) an app registration.
    pub fn add_client(&self, client: OAuthClient) {
        self.sim().lock().clients.upsert(client);
    }

    /// Creates a work account with its default calendar ("Calendar"), which is returned.
    pub fn add_user(&self, user: UserSpec) -> Result<CalendarInfo, SimError> {
        self.sim().lock().add_user(&user)
    }

    pub fn users(&self) -> Vec<UserInfo> {
        let state = self.sim().lock();
        state.users.iter().map(|u| state.user_info(u)).collect()
    }

    /// Creates another calendar in `owner`'s mailbox.
    pub fn add_calendar(&self, owner: &str, calendar: NewCalendar) -> Result<CalendarInfo, SimError> {
        self.sim().lock().add_calendar(owner, &calendar)
    }

    pub fn calendars(&self) -> Vec<CalendarInfo> {
        self.sim().lock().calendars.iter().map(|c| c.info()).collect()
    }

    pub fn default_calendar(&self, email: &str) -> Option<CalendarInfo> {
        self.sim().lock().default_calendar(email).map(|c| c.info())
    }

    /// Adds an event as the owner would in Outlook. `event` is a Graph event resource
    /// (`subject`, `start`, `end`, `showAs`, `attendees`, `singleValueExtendedProperties`…).
    pub fn insert_event(&self, calendar_id: &str, event: Value) -> Result<Value, SimError> {
        let mut state = self.sim().lock();
        if state.calendar(calendar_id).is_none() {
            return Err(SimError::UnknownCalendar(calendar_id.to_owned()));
        }
        let id = store::insert_event(&mut state, calendar_id, event)?;
        Ok(render(&state, &id).expect("event just created"))
    }

    /// Changes an event with Graph's PATCH semantics.
    pub fn patch_event(&self, event_id: &str, patch: Value) -> Result<Value, SimError> {
        let mut state = self.sim().lock();
        if state.event(event_id).is_none() {
            return Err(SimError::UnknownEvent(event_id.to_owned()));
        }
        store::update_event(&mut state, event_id, patch, None)?;
        Ok(render(&state, event_id).expect("event just updated"))
    }

    /// Reschedules an event, keeping the zones its times were written in.
    pub fn move_event(&self, event_id: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Value, SimError> {
        let patch = {
            let state = self.sim().lock();
            let event = state
                .event(event_id)
                .ok_or_else(|| SimError::UnknownEvent(event_id.to_owned()))?;
            let time = |at: DateTime<Utc>, zone: &Zone| json!({"dateTime": zone.wall(at), "timeZone": zone.name});
            json!({"start": time(start, &event.times.start_zone), "end": time(end, &event.times.end_zone)})
        };
        self.patch_event(event_id, patch)
    }

    pub fn delete_event(&self, event_id: &str) -> Result<(), SimError> {
        let mut state = self.sim().lock();
        if state.event(event_id).is_none() {
            return Err(SimError::UnknownEvent(event_id.to_owned()));
        }
        Ok(store::delete_event(&mut state, event_id, None)?)
    }

    pub fn event(&self, event_id: &str) -> Option<Value> {
        render(&self.sim().lock(), event_id)
    }

    /// The calendar's live events in creation order.
    pub fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError> {
        let state = self.sim().lock();
        if state.calendar(calendar_id).is_none() {
            return Err(SimError::UnknownCalendar(calendar_id.to_owned()));
        }
        let mut events: Vec<_> = state
            .events
            .values()
            .filter(|e| !e.deleted && e.calendar_id == calendar_id)
            .collect();
        events.sort_by_key(|e| e.order);
        Ok(events.iter().filter_map(|e| render(&state, &e.id)).collect())
    }

    pub fn tokens(&self) -> Vec<TokenInfo> {
        let state = self.sim().lock();
        state.identity.token_infos(state.now(), &state.config)
    }

    /// The app's permissions are removed (My Apps, or an admin): refresh tokens of the matching
    /// (user, app) pairs die with AADSTS65001 and the next sign-in asks for consent again.
    /// `None` matches all. Returns how many tokens died.
    pub fn revoke_access(&self, user: Option<&str>, client_id: Option<&str>) -> usize {
        let mut state = self.sim().lock();
        let (now, config) = (state.now(), state.config.clone());
        state.identity.revoke_consent(user, client_id, now, &config)
    }

    /// A password reset or "revoke sessions": the user's refresh tokens die with AADSTS50173.
    pub fn revoke_sessions(&self, user: &str) -> usize {
        let mut state = self.sim().lock();
        let (now, config) = (state.now(), state.config.clone());
        state.identity.revoke_sessions(user, now, &config)
    }

    /// Makes live access tokens (all, or one user's) expired now. Returns how many.
    pub fn expire_access_tokens(&self, user: Option<&str>) -> usize {
        let mut state = self.sim().lock();
        let now = state.now();
        state.identity.access_tokens.expire(user, now)
    }

    /// A new Conditional Access policy demands MFA: refreshes fail with `interaction_required`
    /// (AADSTS50076) until the user signs in interactively again.
    pub fn require_interaction(&self, user: &str) -> Result<(), SimError> {
        let mut state = self.sim().lock();
        let user = state
            .user_mut(user)
            .ok_or_else(|| SimError::UnknownUser(user.to_owned()))?;
        user.needs_interaction = true;
        Ok(())
    }

    /// Notification POSTs made (or given up on), in completion order.
    pub fn notifications(&self) -> Vec<DeliveredNotification> {
        self.sim().lock().notifications.clone()
    }

    /// Live subscriptions.
    pub fn subscriptions(&self) -> Vec<SubscriptionInfo> {
        let state = self.sim().lock();
        let now = state.now();
        state
            .subscriptions
            .values()
            .filter(|s| s.info.expiration_date_time > now)
            .map(|s| s.info.clone())
            .collect()
    }

    /// Sends `reauthorizationRequired`, `subscriptionRemoved` (which also removes the
    /// subscription) or `missed` to the subscription's `lifecycleNotificationUrl`.
    pub fn send_lifecycle_event(&self, subscription_id: &str, event: &str) -> Result<(), SimError> {
        subscriptions::lifecycle(self.sim(), subscription_id, event)
    }

    /// Forgets every delta token: the next delta call with one gets 410. Returns how many died.
    pub fn invalidate_delta_tokens(&self) -> usize {
        self.sim().lock().delta.invalidate()
    }

    /// Removes every subscription (the simulator shutting down does this).
    pub fn stop_all_subscriptions(&self) {
        self.sim().lock().subscriptions.clear();
    }
}
