//! What every simulator's control surface has in common. The clock, configuration, app
//! registrations, faults and the request log are the same code everywhere; accounts, calendars,
//! events, tokens and notifications differ inside but have the same shape, so each simulator's
//! world implements [`ControlApi`] for them. [`Controls`] offers all of it to tests and [`routes`]
//! serves it over HTTP once; each simulator's `ControlHandle` (see
//! [`control_handle!`](crate::control_handle)) dereferences to [`Controls`] and adds only the
//! provider's own calls. Control calls are never recorded and never faulted.

use std::ops::Deref;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::accounts::UserSpec;
use crate::config::{ConfigPatch, Settings};
use crate::error::SimError;
use crate::faults::Fault;
use crate::oauth::{OAuthClient, TokenInfo};
use crate::recording::RecordedRequest;
use crate::world::{Sim, World};

/// What every simulator's world offers the control surface with the same shape and its own
/// content: the URLs a client library is configured with, accounts, calendars, events as the
/// provider renders them, issued tokens, delivered notifications, and stopping deliveries when
/// the server stops.
pub trait ControlApi: World {
    type Calendar: Serialize;
    type NewCalendar: DeserializeOwned + Send;
    type Notification: Serialize;
    type Endpoints;

    fn endpoints(base_url: &str) -> Self::Endpoints;
    /// Creates an account with its primary (default) calendar, which is returned.
    fn add_user(&mut self, user: &UserSpec) -> Result<Self::Calendar, SimError>;
    /// Creates another calendar owned by `owner`.
    fn add_calendar(&mut self, owner: &str, calendar: &Self::NewCalendar) -> Result<Self::Calendar, SimError>;
    fn calendars(&self) -> Vec<Self::Calendar>;
    /// The calendar's events in creation order, rendered as the provider shows them in full.
    fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError>;
    /// Adds an event as the calendar's owner would in the provider's own app.
    fn insert_event(&mut self, calendar_id: &str, event: Value) -> Result<Value, SimError>;
    fn tokens(&self) -> Vec<TokenInfo>;
    /// Makes live access tokens (all, or `user`'s) expired now; returns how many.
    fn expire_access_tokens(&mut self, user: Option<&str>) -> usize;
    /// Notifications delivered (or given up on), in completion order.
    fn notifications(&self) -> Vec<Self::Notification>;
    /// Ends every channel or subscription (the server stopping does this).
    fn stop_deliveries(&mut self);
}

/// A simulator's `ControlHandle`, as [`control_handle!`](crate::control_handle) defines it.
pub trait Handle: Deref<Target = Controls<Self::World>> + Clone + Send + Sync + 'static {
    type World: ControlApi;

    fn from_sim(sim: Sim<Self::World>) -> Self;
}

/// A rescheduling request (`POST …/move`): the new start and end.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Reschedule {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Defines a simulator's `ControlHandle` over its world: a cheap-to-clone handle that
/// dereferences to [`Controls`], so it only adds the provider's own calls.
#[macro_export]
macro_rules! control_handle {
    ($(#[$meta:meta])* $name:ident over $world:ty) => {
        $(#[$meta])*
        ///
        /// Cheap to clone; all methods are synchronous and safe to call from any thread. What every
        /// simulator offers (accounts, calendars, events, tokens, notifications, the clock,
        /// configuration, clients, faults and the request log) comes from
        /// [`sim_support::Controls`], which this dereferences to.
        #[derive(Clone)]
        pub struct $name {
            controls: $crate::Controls<$world>,
        }

        impl ::std::ops::Deref for $name {
            type Target = $crate::Controls<$world>;

            fn deref(&self) -> &$crate::Controls<$world> {
                &self.controls
            }
        }

        impl $name {
            pub(crate) fn new(sim: $crate::Sim<$world>) -> Self {
                Self {
                    controls: $crate::Controls::new(sim),
                }
            }
        }

        impl $crate::control::Handle for $name {
            type World = $world;

            fn from_sim(sim: $crate::Sim<$world>) -> Self {
                Self::new(sim)
            }
        }
    };
}

/// Cheap to clone; all methods are synchronous and safe to call from any thread.
pub struct Controls<S> {
    sim: Sim<S>,
}

impl<S> Clone for Controls<S> {
    fn clone(&self) -> Self {
        Self { sim: self.sim.clone() }
    }
}

impl<S: World> Controls<S> {
    pub fn new(sim: Sim<S>) -> Self {
        Self { sim }
    }

    /// The shared world, for the simulator's own control methods.
    pub fn sim(&self) -> &Sim<S> {
        &self.sim
    }

    pub fn base_url(&self) -> String {
        self.sim.lock().plumbing().base_url.clone()
    }

    /// The simulator's clock (wall clock plus any [`advance_clock`](Self::advance_clock)).
    pub fn now(&self) -> DateTime<Utc> {
        self.sim.lock().plumbing().now()
    }

    /// Moves the simulated clock forward: tokens, codes, sync state and subscriptions age without
    /// the test sleeping.
    pub fn advance_clock(&self, by: Duration) -> DateTime<Utc> {
        self.sim.lock().plumbing_mut().advance_clock(by)
    }

    pub fn config(&self) -> S::Config {
        self.sim.lock().config_mut().clone()
    }

    /// Changes configuration at run time (page sizes, token lifetimes, consent behaviour…).
    pub fn configure(&self, change: impl FnOnce(&mut S::Config)) {
        change(self.sim.lock().config_mut());
    }

    /// What `PATCH /_control/config` does.
    pub fn apply_config(&self, patch: &ConfigPatch<<S::Config as Settings>::Patch>) {
        self.configure(|config| patch.apply(config));
    }

    /// Registers (or replaces) an app registration.
    pub fn add_client(&self, client: OAuthClient) {
        self.sim.lock().plumbing_mut().clients.upsert(client);
    }

    /// Queues a fault for upcoming API calls.
    pub fn inject_fault(&self, fault: Fault<S::Fault>) {
        if fault.is_live() {
            self.sim.lock().plumbing_mut().faults.push(fault);
        }
    }

    /// Faults not yet consumed.
    pub fn faults(&self) -> Vec<Fault<S::Fault>> {
        self.sim.lock().plumbing().faults.clone()
    }

    pub fn clear_faults(&self) {
        self.sim.lock().plumbing_mut().faults.clear();
    }

    /// OAuth and API requests received, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.sim.lock().plumbing().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.sim.lock().plumbing_mut().requests.clear();
    }
}

impl<S: ControlApi> Controls<S> {
    /// Creates an account with its primary (default) calendar, which is returned.
    pub fn add_user(&self, user: UserSpec) -> Result<S::Calendar, SimError> {
        self.sim.lock().add_user(&user)
    }

    /// Creates another calendar owned by `owner`.
    pub fn add_calendar(&self, owner: &str, calendar: S::NewCalendar) -> Result<S::Calendar, SimError> {
        self.sim.lock().add_calendar(owner, &calendar)
    }

    pub fn calendars(&self) -> Vec<S::Calendar> {
        self.sim.lock().calendars()
    }

    /// The calendar's events in creation order, rendered as the provider shows them in full.
    pub fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError> {
        self.sim.lock().events(calendar_id)
    }

    /// Adds an event as the calendar's owner would in the provider's own app: it goes through
    /// the API's validation and change tracking, so it shows up in syncs and notifications.
    pub fn insert_event(&self, calendar_id: &str, event: Value) -> Result<Value, SimError> {
        self.sim.lock().insert_event(calendar_id, event)
    }

    /// Every token issued, access tokens first.
    pub fn tokens(&self) -> Vec<TokenInfo> {
        self.sim.lock().tokens()
    }

    /// Makes live access tokens (all, or one user's) expired now. Returns how many.
    pub fn expire_access_tokens(&self, user: Option<&str>) -> usize {
        self.sim.lock().expire_access_tokens(user)
    }

    /// Notifications delivered (or given up on), in completion order.
    pub fn notifications(&self) -> Vec<S::Notification> {
        self.sim.lock().notifications()
    }

    /// Ends every channel or subscription (the simulator shutting down does this).
    pub fn stop_deliveries(&self) {
        self.sim.lock().stop_deliveries();
    }
}

/// A control body that may be empty (`{}` semantics), so `curl -X POST …/tokens/expire` just works.
pub fn optional_body<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, SimError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| SimError::Invalid(e.to_string()))
}

/// 201 with `value` as JSON.
pub fn created(value: impl Serialize) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

fn controls<S: World>(sim: Sim<S>) -> Controls<S> {
    Controls::new(sim)
}

async fn faults<S: World>(State(sim): State<Sim<S>>) -> Json<Vec<Fault<S::Fault>>> {
    Json(controls(sim).faults())
}

async fn add_fault<S: World>(State(sim): State<Sim<S>>, Json(fault): Json<Fault<S::Fault>>) -> StatusCode {
    controls(sim).inject_fault(fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults<S: World>(State(sim): State<Sim<S>>) -> StatusCode {
    controls(sim).clear_faults();
    StatusCode::NO_CONTENT
}

async fn requests<S: World>(State(sim): State<Sim<S>>) -> Json<Vec<RecordedRequest>> {
    Json(controls(sim).requests())
}

async fn clear_requests<S: World>(State(sim): State<Sim<S>>) -> StatusCode {
    controls(sim).clear_requests();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Advance {
    seconds: u64,
}

async fn advance<S: World>(State(sim): State<Sim<S>>, Json(body): Json<Advance>) -> Json<Value> {
    let now = controls(sim).advance_clock(Duration::from_secs(body.seconds));
    Json(json!({"now": now}))
}

async fn add_user<S: ControlApi>(State(sim): State<Sim<S>>, Json(user): Json<UserSpec>) -> Result<Response, SimError> {
    controls(sim).add_user(user).map(created)
}

async fn add_calendar<S: ControlApi>(
    State(sim): State<Sim<S>>,
    Path(owner): Path<String>,
    Json(calendar): Json<S::NewCalendar>,
) -> Result<Response, SimError> {
    controls(sim).add_calendar(&owner, calendar).map(created)
}

async fn calendars<S: ControlApi>(State(sim): State<Sim<S>>) -> Response {
    Json(controls(sim).calendars()).into_response()
}

async fn events<S: ControlApi>(
    State(sim): State<Sim<S>>,
    Path(calendar): Path<String>,
) -> Result<Json<Vec<Value>>, SimError> {
    controls(sim).events(&calendar).map(Json)
}

async fn insert_event<S: ControlApi>(
    State(sim): State<Sim<S>>,
    Path(calendar): Path<String>,
    Json(event): Json<Value>,
) -> Result<Response, SimError> {
    controls(sim).insert_event(&calendar, event).map(created)
}

async fn add_client<S: World>(State(sim): State<Sim<S>>, Json(client): Json<OAuthClient>) -> StatusCode {
    controls(sim).add_client(client);
    StatusCode::NO_CONTENT
}

async fn tokens<S: ControlApi>(State(sim): State<Sim<S>>) -> Json<Vec<TokenInfo>> {
    Json(controls(sim).tokens())
}

#[derive(Deserialize, Default)]
struct Expire {
    user: Option<String>,
}

async fn expire<S: ControlApi>(State(sim): State<Sim<S>>, body: Bytes) -> Result<Json<Value>, SimError> {
    let body: Expire = optional_body(&body)?;
    let expired = controls(sim).expire_access_tokens(body.user.as_deref());
    Ok(Json(json!({"expired": expired})))
}

async fn notifications<S: ControlApi>(State(sim): State<Sim<S>>) -> Response {
    Json(controls(sim).notifications()).into_response()
}

type Patch<S> = ConfigPatch<<<S as World>::Config as Settings>::Patch>;

async fn config<S: World>(State(sim): State<Sim<S>>, Json(patch): Json<Patch<S>>) -> StatusCode {
    controls(sim).apply_config(&patch);
    StatusCode::NO_CONTENT
}

/// The control routes every simulator serves: `/_control/faults` (GET, POST, DELETE),
/// `/_control/requests` (GET, DELETE), `/_control/clock/advance` (POST `{"seconds": N}`),
/// `/_control/users` (POST), `/_control/users/{email}/calendars` (POST), `/_control/calendars`
/// (GET), `/_control/calendars/{calendar}/events` (GET, POST), `/_control/clients` (POST),
/// `/_control/tokens` (GET), `/_control/tokens/expire` (POST `{"user"?}`),
/// `/_control/notifications` (GET) and `/_control/config` (PATCH).
pub fn routes<S: ControlApi>() -> Router<Sim<S>> {
    Router::new()
        .route(
            "/_control/faults",
            get(faults::<S>).post(add_fault::<S>).delete(clear_faults::<S>),
        )
        .route("/_control/requests", get(requests::<S>).delete(clear_requests::<S>))
        .route("/_control/clock/advance", post(advance::<S>))
        .route("/_control/users", post(add_user::<S>))
        .route("/_control/users/{email}/calendars", post(add_calendar::<S>))
        .route("/_control/calendars", get(calendars::<S>))
        .route(
            "/_control/calendars/{calendar}/events",
            get(events::<S>).post(insert_event::<S>),
        )
        .route("/_control/clients", post(add_client::<S>))
        .route("/_control/tokens", get(tokens::<S>))
        .route("/_control/tokens/expire", post(expire::<S>))
        .route("/_control/notifications", get(notifications::<S>))
        .route("/_control/config", axum::routing::patch(config::<S>))
}
