//! What every simulator's control surface has in common. The clock, configuration, faults and the
//! request log are the same code everywhere: [`Controls`], which each `ControlHandle`
//! dereferences to. Accounts, calendars, events, clients, tokens, notifications and configuration
//! patches differ inside but have the same HTTP shape, so each `ControlHandle` implements
//! [`Control`] and [`routes`] serves them once. Control calls are never recorded and never faulted.

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
use crate::error::SimError;
use crate::faults::Fault;
use crate::oauth::{OAuthClient, TokenInfo};
use crate::recording::RecordedRequest;
use crate::world::{Sim, World};

/// The control calls every simulator offers with the same HTTP shape (served once by
/// [`routes`]); [`control_handle!`](crate::control_handle) implements it by delegating to the
/// handle's own methods of the same names.
pub trait ControlApi: Sized + Send + Sync + 'static {
    type World: World;
    type Calendar: Serialize;
    type NewCalendar: DeserializeOwned + Send;
    type Notification: Serialize;
    type ConfigPatch: DeserializeOwned + Send;

    fn from_sim(sim: Sim<Self::World>) -> Self;
    fn add_user(&self, user: UserSpec) -> Result<Self::Calendar, SimError>;
    fn add_calendar(&self, owner: &str, calendar: Self::NewCalendar) -> Result<Self::Calendar, SimError>;
    fn calendars(&self) -> Vec<Self::Calendar>;
    fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError>;
    fn insert_event(&self, calendar_id: &str, event: Value) -> Result<Value, SimError>;
    fn add_client(&self, client: OAuthClient);
    fn tokens(&self) -> Vec<TokenInfo>;
    fn expire_access_tokens(&self, user: Option<&str>) -> usize;
    fn notifications(&self) -> Vec<Self::Notification>;
    fn apply_config(&self, patch: &Self::ConfigPatch);
}

/// What is provider-specific about a running simulator's handle: the URLs a client library is
/// configured with, and the background deliveries that stop with the server.
pub trait Control: ControlApi {
    type Endpoints;

    fn endpoints(&self, base_url: &str) -> Self::Endpoints;
    fn stop_deliveries(&self);
}

/// A rescheduling request (`POST …/move`): the new start and end.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Reschedule {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Defines a simulator's `ControlHandle`: a cheap-to-clone handle that dereferences to
/// [`Controls`] over the world type, so it only adds the provider's own calls.
#[macro_export]
macro_rules! control_handle {
    (
        $(#[$meta:meta])*
        $name:ident over $world:ty {
            calendar: $calendar:ty,
            new_calendar: $new_calendar:ty,
            notification: $notification:ty,
            config_patch: $config_patch:ty $(,)?
        }
    ) => {
        $(#[$meta])*
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

            fn sim(&self) -> &$crate::Sim<$world> {
                self.controls.sim()
            }
        }

        impl $crate::control::ControlApi for $name {
            type World = $world;
            type Calendar = $calendar;
            type NewCalendar = $new_calendar;
            type Notification = $notification;
            type ConfigPatch = $config_patch;

            fn from_sim(sim: $crate::Sim<$world>) -> Self {
                Self::new(sim)
            }

            fn add_user(&self, user: $crate::UserSpec) -> Result<$calendar, $crate::SimError> {
                $name::add_user(self, user)
            }

            fn add_calendar(&self, owner: &str, calendar: $new_calendar) -> Result<$calendar, $crate::SimError> {
                $name::add_calendar(self, owner, calendar)
            }

            fn calendars(&self) -> Vec<$calendar> {
                $name::calendars(self)
            }

            fn events(&self, calendar_id: &str) -> Result<Vec<$crate::serde_json::Value>, $crate::SimError> {
                $name::events(self, calendar_id)
            }

            fn insert_event(&self, calendar_id: &str, event: $crate::serde_json::Value) -> Result<$crate::serde_json::Value, $crate::SimError> {
                $name::insert_event(self, calendar_id, event)
            }

            fn add_client(&self, client: $crate::OAuthClient) {
                $name::add_client(self, client)
            }

            fn tokens(&self) -> Vec<$crate::TokenInfo> {
                $name::tokens(self)
            }

            fn expire_access_tokens(&self, user: Option<&str>) -> usize {
                $name::expire_access_tokens(self, user)
            }

            fn notifications(&self) -> Vec<$notification> {
                $name::notifications(self)
            }

            fn apply_config(&self, patch: &$config_patch) {
                $name::apply_config(self, patch)
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

type At<C> = State<Sim<<C as ControlApi>::World>>;

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

async fn add_user<C: ControlApi>(State(sim): At<C>, Json(user): Json<UserSpec>) -> Result<Response, SimError> {
    C::from_sim(sim).add_user(user).map(created)
}

async fn add_calendar<C: ControlApi>(
    State(sim): At<C>,
    Path(owner): Path<String>,
    Json(calendar): Json<C::NewCalendar>,
) -> Result<Response, SimError> {
    C::from_sim(sim).add_calendar(&owner, calendar).map(created)
}

async fn calendars<C: ControlApi>(State(sim): At<C>) -> Response {
    Json(C::from_sim(sim).calendars()).into_response()
}

async fn events<C: ControlApi>(State(sim): At<C>, Path(calendar): Path<String>) -> Result<Json<Vec<Value>>, SimError> {
    C::from_sim(sim).events(&calendar).map(Json)
}

async fn insert_event<C: ControlApi>(
    State(sim): At<C>,
    Path(calendar): Path<String>,
    Json(event): Json<Value>,
) -> Result<Response, SimError> {
    C::from_sim(sim).insert_event(&calendar, event).map(created)
}

async fn add_client<C: ControlApi>(State(sim): At<C>, Json(client): Json<OAuthClient>) -> StatusCode {
    C::from_sim(sim).add_client(client);
    StatusCode::NO_CONTENT
}

async fn tokens<C: ControlApi>(State(sim): At<C>) -> Json<Vec<TokenInfo>> {
    Json(C::from_sim(sim).tokens())
}

#[derive(Deserialize, Default)]
struct Expire {
    user: Option<String>,
}

async fn expire<C: ControlApi>(State(sim): At<C>, body: Bytes) -> Result<Json<Value>, SimError> {
    let body: Expire = optional_body(&body)?;
    let expired = C::from_sim(sim).expire_access_tokens(body.user.as_deref());
    Ok(Json(json!({"expired": expired})))
}

async fn notifications<C: ControlApi>(State(sim): At<C>) -> Response {
    Json(C::from_sim(sim).notifications()).into_response()
}

async fn config<C: ControlApi>(State(sim): At<C>, Json(patch): Json<C::ConfigPatch>) -> StatusCode {
    C::from_sim(sim).apply_config(&patch);
    StatusCode::NO_CONTENT
}

/// The control routes every simulator serves: `/_control/faults` (GET, POST, DELETE),
/// `/_control/requests` (GET, DELETE), `/_control/clock/advance` (POST `{"seconds": N}`),
/// `/_control/users` (POST), `/_control/users/{email}/calendars` (POST), `/_control/calendars`
/// (GET), `/_control/calendars/{calendar}/events` (GET, POST), `/_control/clients` (POST),
/// `/_control/tokens` (GET), `/_control/tokens/expire` (POST `{"user"?}`),
/// `/_control/notifications` (GET) and `/_control/config` (PATCH).
pub fn routes<C: ControlApi>() -> Router<Sim<C::World>> {
    type W<C> = <C as ControlApi>::World;
    Router::new()
        .route(
            "/_control/faults",
            get(faults::<W<C>>).post(add_fault::<W<C>>).delete(clear_faults::<W<C>>),
        )
        .route(
            "/_control/requests",
            get(requests::<W<C>>).delete(clear_requests::<W<C>>),
        )
        .route("/_control/clock/advance", post(advance::<W<C>>))
        .route("/_control/users", post(add_user::<C>))
        .route("/_control/users/{email}/calendars", post(add_calendar::<C>))
        .route("/_control/calendars", get(calendars::<C>))
        .route(
            "/_control/calendars/{calendar}/events",
            get(events::<C>).post(insert_event::<C>),
        )
        .route("/_control/clients", post(add_client::<C>))
        .route("/_control/tokens", get(tokens::<C>))
        .route("/_control/tokens/expire", post(expire::<C>))
        .route("/_control/notifications", get(notifications::<C>))
        .route("/_control/config", axum::routing::patch(config::<C>))
}
