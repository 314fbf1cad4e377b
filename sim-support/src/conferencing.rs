//! Video conferences made with an event (Google Meet, Microsoft Teams): the part every simulator
//! shares. Whether an account's provider makes the conference, makes it late, makes another kind
//! or fails is a *mode* each simulator defines (its wire behaviour stays there); this module keeps
//! each account's mode and the record of conferences made, which tests read to prove that a
//! retried booking made one conference, not two. Tests reach both through [`Controls`] and over
//! HTTP through [`routes`].

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::control::{ControlApi, Controls};
use crate::error::SimError;
use crate::world::Sim;

/// A conference the simulated provider made for an event.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Conference {
    /// The account whose calendar holds the event (the organizer, whose provider made it).
    pub account: String,
    pub calendar_id: String,
    pub event_id: String,
    /// The link that joins it. Known from the start, even while the provider still reports the
    /// conference as being created and shows no link.
    pub join_url: String,
}

/// Each account's conference mode (the default until a test sets another) and the conferences
/// made, in creation order.
#[derive(Clone, Debug)]
pub struct Conferencing<M> {
    /// By lower-cased address, as both providers treat sign-in names.
    modes: BTreeMap<String, M>,
    made: Vec<Conference>,
}

impl<M> Default for Conferencing<M> {
    fn default() -> Self {
        Self {
            modes: BTreeMap::new(),
            made: Vec::new(),
        }
    }
}

impl<M: Clone + Default> Conferencing<M> {
    /// How `account`'s provider answers a request for a conference.
    pub fn mode(&self, account: &str) -> M {
        self.modes
            .get(&account.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    pub fn set_mode(&mut self, account: &str, mode: M) {
        self.modes.insert(account.to_ascii_lowercase(), mode);
    }

    /// Notes a conference the provider made.
    pub fn record(&mut self, conference: Conference) {
        self.made.push(conference);
    }

    /// Every conference made, oldest first.
    pub fn made(&self) -> &[Conference] {
        &self.made
    }
}

/// A world whose events can carry conferences.
pub trait Conferences: ControlApi {
    /// How an account's provider answers a request for a conference; `Default` is the provider
    /// working normally. JSON: `{"mode": "…", …}`.
    type Mode: Clone + Default + Serialize + DeserializeOwned + Send + 'static;

    fn conferencing(&self) -> &Conferencing<Self::Mode>;
    fn conferencing_mut(&mut self) -> &mut Conferencing<Self::Mode>;
    /// Whether `email` is one of the world's accounts (modes are set only for those).
    fn has_account(&self, email: &str) -> bool;
}

impl<S: Conferences> Controls<S> {
    /// Makes `account`'s provider answer later conference requests as `mode` says.
    pub fn set_conferencing(&self, account: &str, mode: S::Mode) -> Result<(), SimError> {
        let mut world = self.sim().lock();
        if !world.has_account(account) {
            return Err(SimError::UnknownUser(account.to_owned()));
        }
        world.conferencing_mut().set_mode(account, mode);
        Ok(())
    }

    /// How `account`'s provider answers conference requests now.
    pub fn conferencing(&self, account: &str) -> Result<S::Mode, SimError> {
        let world = self.sim().lock();
        if !world.has_account(account) {
            return Err(SimError::UnknownUser(account.to_owned()));
        }
        Ok(world.conferencing().mode(account))
    }

    /// Every conference made, oldest first.
    pub fn conferences(&self) -> Vec<Conference> {
        self.sim().lock().conferencing().made().to_vec()
    }

    /// How many conferences `account`'s provider made (for all its calendars and events).
    pub fn conferences_created(&self, account: &str) -> usize {
        let world = self.sim().lock();
        let made = world.conferencing().made();
        made.iter().filter(|c| c.account.eq_ignore_ascii_case(account)).count()
    }

    /// The conferences made for one event, oldest first (more than one means the event's link
    /// changed).
    pub fn event_conferences(&self, calendar_id: &str, event_id: &str) -> Vec<Conference> {
        let world = self.sim().lock();
        let made = world.conferencing().made();
        made.iter()
            .filter(|c| c.calendar_id == calendar_id && c.event_id == event_id)
            .cloned()
            .collect()
    }
}

async fn mode<S: Conferences>(State(sim): State<Sim<S>>, Path(email): Path<String>) -> Result<Json<S::Mode>, SimError> {
    Controls::new(sim).conferencing(&email).map(Json)
}

async fn set_mode<S: Conferences>(
    State(sim): State<Sim<S>>,
    Path(email): Path<String>,
    Json(mode): Json<S::Mode>,
) -> Result<StatusCode, SimError> {
    Controls::new(sim)
        .set_conferencing(&email, mode)
        .map(|()| StatusCode::NO_CONTENT)
}

async fn conferences<S: Conferences>(State(sim): State<Sim<S>>) -> Json<Vec<Conference>> {
    Json(Controls::new(sim).conferences())
}

/// `/_control/users/{email}/conferencing` (GET the account's mode, PUT a new one: 204, 404 for an
/// unknown account) and `/_control/conferences` (GET every conference made, oldest first).
pub fn routes<S: Conferences>() -> Router<Sim<S>> {
    Router::new()
        .route(
            "/_control/users/{email}/conferencing",
            get(mode::<S>).put(set_mode::<S>),
        )
        .route("/_control/conferences", get(conferences::<S>))
}
