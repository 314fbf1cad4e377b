//! The test's side door into the simulator: what every simulator offers (accounts, calendars,
//! events, tokens, notifications: [`ControlApi`] for the world, reached through
//! [`sim_support::Controls`]) done the Microsoft way, and [`ControlHandle`]'s Microsoft-only
//! calls. Everything here is also reachable over HTTP under `/_control` (see [`crate::control`])
//! for tests that run the binary. Event changes made here go through the same validation and
//! change tracking as Graph writes and act "as the user" (the mailbox owner in Outlook): they
//! show up in delta queries and notify subscriptions.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sim_support::{Conferences, Conferencing, ControlApi, TokenInfo, UserSpec};

use crate::error::SimError;
use crate::event::View;
use crate::ids;
use crate::online_meeting::TeamsMode;
use crate::server::Endpoints;
use crate::state::{CalendarInfo, NewCalendar, State, User, UserInfo};
use crate::store;
use crate::subscriptions::{self, DeliveredNotification, SubscriptionInfo};
use crate::zones::Zone;

sim_support::control_handle! {
    /// Microsoft's own control calls: the accounts' directory entries, events by id, revoking
    /// consent and sessions, demanding MFA, subscriptions and delta tokens. Each account's
    /// Teams behaviour and the online meetings made come from [`sim_support::Controls`] too
    /// (`set_conferencing`, `conferences_created`, …).
    ControlHandle over State
}

/// What every simulator offers tests, the Microsoft way.
impl ControlApi for State {
    type Calendar = CalendarInfo;
    type NewCalendar = NewCalendar;
    type Notification = DeliveredNotification;
    type Endpoints = Endpoints;

    fn endpoints(base_url: &str) -> Endpoints {
        Endpoints {
            authority: format!("{base_url}/common"),
            authorize: format!("{base_url}/common/oauth2/v2.0/authorize"),
            token: format!("{base_url}/common/oauth2/v2.0/token"),
            graph: format!("{base_url}/v1.0"),
        }
    }

    /// A work account (its display name defaults to the address's local part) with its default
    /// calendar, "Calendar".
    fn add_user(&mut self, user: &UserSpec) -> Result<CalendarInfo, SimError> {
        user.check_new(self.users.get(&user.email).is_some())?;
        let zone = Zone::parse(&user.time_zone)
            .ok_or_else(|| SimError::Invalid(format!("unknown time zone {}", user.time_zone)))?;
        let display_name = user
            .display_name
            .clone()
            .unwrap_or_else(|| user.email.split('@').next().unwrap_or_default().to_owned());
        self.users.push(User {
            id: ids::stable_guid(&user.email),
            email: user.email.clone(),
            display_name,
            zone,
            needs_interaction: false,
        });
        Ok(self.push_calendar(&user.email, "Calendar", true))
    }

    /// Another calendar in the owner's mailbox, under a name unique there (in any case).
    fn add_calendar(&mut self, owner: &str, calendar: &NewCalendar) -> Result<CalendarInfo, SimError> {
        let email = self
            .users
            .get(owner)
            .ok_or_else(|| SimError::UnknownUser(owner.to_owned()))?
            .email
            .clone();
        let name = calendar.name.trim();
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

    fn calendars(&self) -> Vec<CalendarInfo> {
        self.calendars.iter().map(|c| c.info()).collect()
    }

    /// The calendar's live events in creation order, in UTC with every extended property.
    fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError> {
        if self.calendar(calendar_id).is_none() {
            return Err(SimError::UnknownCalendar(calendar_id.to_owned()));
        }
        let mut events: Vec<_> = self
            .events
            .values()
            .filter(|e| !e.deleted && e.calendar_id == calendar_id)
            .collect();
        events.sort_by_key(|e| e.order);
        Ok(events.iter().filter_map(|e| render(self, &e.id)).collect())
    }

    /// `event` is a Graph event resource (`subject`, `start`, `end`, `showAs`, `attendees`,
    /// `singleValueExtendedProperties`…).
    fn insert_event(&mut self, calendar_id: &str, event: Value) -> Result<Value, SimError> {
        if self.calendar(calendar_id).is_none() {
            return Err(SimError::UnknownCalendar(calendar_id.to_owned()));
        }
        let id = store::insert_event(self, calendar_id, event)?;
        Ok(render(self, &id).expect("event just created"))
    }

    fn tokens(&self) -> Vec<TokenInfo> {
        self.identity.token_infos(self.now(), &self.config)
    }

    fn expire_access_tokens(&mut self, user: Option<&str>) -> usize {
        let now = self.now();
        self.identity.auth.access_tokens.expire(user, now)
    }

    fn notifications(&self) -> Vec<DeliveredNotification> {
        self.notifications.clone()
    }

    /// Removes every subscription.
    fn stop_deliveries(&mut self) {
        self.subscriptions.clear();
    }
}

/// Each account's Teams behaviour ([`TeamsMode`]) and the online meetings made, through
/// [`sim_support::Controls`]: `set_conferencing`, `conferencing`, `conferences`,
/// `conferences_created` and `event_conferences`.
impl Conferences for State {
    type Mode = TeamsMode;

    fn conferencing(&self) -> &Conferencing<TeamsMode> {
        &self.conferencing
    }

    fn conferencing_mut(&mut self) -> &mut Conferencing<TeamsMode> {
        &mut self.conferencing
    }

    fn has_account(&self, email: &str) -> bool {
        self.users.get(email).is_some()
    }
}

/// An event as the control API shows it: in UTC, with every extended property expanded.
fn render(state: &State, event_id: &str) -> Option<Value> {
    let event = state.event(event_id)?;
    let owner = state
        .calendar(&event.calendar_id)
        .and_then(|c| state.users.get(&c.owner))?;
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
    pub fn users(&self) -> Vec<UserInfo> {
        let state = self.sim().lock();
        state.users.iter().map(|u| state.user_info(u)).collect()
    }

    pub fn default_calendar(&self, email: &str) -> Option<CalendarInfo> {
        self.sim().lock().default_calendar(email).map(|c| c.info())
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

    /// A new Conditional Access policy demands MFA: refreshes fail with `interaction_required`
    /// (AADSTS50076) until the user signs in interactively again.
    pub fn require_interaction(&self, user: &str) -> Result<(), SimError> {
        let mut state = self.sim().lock();
        let user = state
            .users
            .get_mut(user)
            .ok_or_else(|| SimError::UnknownUser(user.to_owned()))?;
        user.needs_interaction = true;
        Ok(())
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
}
