//! The shared plumbing on a toy simulator: serving and seeding a world from its configuration,
//! fault queueing, latency, the request log, and the control routes every simulator serves
//! (accounts, calendars, events, clients, tokens, notifications, the clock and configuration,
//! conference modes and the conferences made), independent of any provider's wire format.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sim_support::testing::{ControlClient, http, send};
use sim_support::tokens::{AccessTokens, Grant};
use sim_support::{
    Conference, Conferences, Conferencing, ControlApi, Fault, FaultKind, OAuthClient, OAuthConfig, Plumbing, Running,
    Settings, Sim, SimError, TokenInfo, UserSpec,
};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToyFault {
    TooManyRequests {
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    BackendError,
    Latency {
        millis: u64,
    },
    SlowAnswer {
        millis: u64,
    },
}

impl FaultKind for ToyFault {
    fn respond(self) -> Response {
        match self {
            ToyFault::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response(),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "broken").into_response(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ToyConfig {
    oauth: OAuthConfig,
    page_size: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToyPatch {
    page_size: Option<u32>,
}

impl Settings for ToyConfig {
    type Patch = ToyPatch;

    fn oauth_mut(&mut self) -> &mut OAuthConfig {
        &mut self.oauth
    }

    fn apply(&mut self, patch: &ToyPatch) {
        if let Some(size) = patch.page_size {
            self.page_size = size;
        }
    }
}

/// How a toy account's conferences come out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ToyMeet {
    #[default]
    Works,
    Late {
        reads: u32,
    },
}

/// Calendars named `owner/name` (an account's primary one is its address), events as given
/// plus an `id` (an event with a `"conference"` link records a conference made by the calendar's
/// account), and access tokens handed out by `POST /token`.
pub struct Toy {
    config: ToyConfig,
    plumbing: Plumbing<ToyFault>,
    calendars: Vec<(String, Vec<Value>)>,
    access_tokens: AccessTokens<Grant>,
    deliveries_stopped: bool,
    conferencing: Conferencing<ToyMeet>,
}

sim_support::world!(Toy {
    config: ToyConfig,
    fault: ToyFault
});

impl Toy {
    fn calendar(&mut self, id: &str) -> Result<&mut Vec<Value>, SimError> {
        let found = self.calendars.iter_mut().find(|(c, _)| c == id);
        found
            .map(|(_, events)| events)
            .ok_or_else(|| SimError::UnknownCalendar(id.to_owned()))
    }
}

impl ControlApi for Toy {
    type Calendar = Value;
    type NewCalendar = Value;
    type Notification = Value;
    type Endpoints = String;

    fn endpoints(base_url: &str) -> String {
        format!("{base_url}/api")
    }

    fn add_user(&mut self, user: &UserSpec) -> Result<Value, SimError> {
        user.check_new(self.calendars.iter().any(|(id, _)| *id == user.email))?;
        self.calendars.push((user.email.clone(), Vec::new()));
        Ok(json!({"id": user.email}))
    }

    fn add_calendar(&mut self, owner: &str, calendar: &Value) -> Result<Value, SimError> {
        self.calendar(owner)
            .map_err(|_| SimError::UnknownUser(owner.to_owned()))?;
        let id = format!("{owner}/{}", calendar["name"].as_str().unwrap_or("unnamed"));
        self.calendars.push((id.clone(), Vec::new()));
        Ok(json!({"id": id}))
    }

    fn calendars(&self) -> Vec<Value> {
        self.calendars.iter().map(|(id, _)| json!({"id": id})).collect()
    }

    fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError> {
        let found = self.calendars.iter().find(|(id, _)| id == calendar_id);
        found
            .map(|(_, events)| events.clone())
            .ok_or_else(|| SimError::UnknownCalendar(calendar_id.to_owned()))
    }

    fn insert_event(&mut self, calendar_id: &str, mut event: Value) -> Result<Value, SimError> {
        let events = self.calendar(calendar_id)?;
        if event.get("end").is_none() {
            return Err(SimError::Rejected {
                status: 400,
                reason: "required".into(),
                message: "Missing end time.".into(),
            });
        }
        event["id"] = json!(events.len() + 1);
        events.push(event.clone());
        if let Some(link) = event["conference"].as_str() {
            let account = calendar_id.split('/').next().unwrap_or_default().to_owned();
            self.conferencing.record(Conference {
                account,
                calendar_id: calendar_id.to_owned(),
                event_id: event["id"].to_string(),
                join_url: link.to_owned(),
            });
        }
        Ok(event)
    }

    fn tokens(&self) -> Vec<TokenInfo> {
        TokenInfo::sorted(self.access_tokens.infos(self.plumbing.now()).collect())
    }

    fn expire_access_tokens(&mut self, user: Option<&str>) -> usize {
        let now = self.plumbing.now();
        self.access_tokens.expire(user, now)
    }

    fn notifications(&self) -> Vec<Value> {
        Vec::new()
    }

    fn stop_deliveries(&mut self) {
        self.deliveries_stopped = true;
    }
}

impl Conferences for Toy {
    type Mode = ToyMeet;

    fn conferencing(&self) -> &Conferencing<ToyMeet> {
        &self.conferencing
    }

    fn conferencing_mut(&mut self) -> &mut Conferencing<ToyMeet> {
        &mut self.conferencing
    }

    fn has_account(&self, email: &str) -> bool {
        self.calendars.iter().any(|(id, _)| id.eq_ignore_ascii_case(email))
    }
}

sim_support::control_handle! {
    /// The toy's control handle.
    ToyControl over Toy
}

/// Issues an access token for the first account to the first client.
async fn issue_token(State(sim): State<Sim<Toy>>) -> String {
    let mut toy = sim.lock();
    let grant = Grant {
        user: toy.config.oauth.users[0].email.clone(),
        client_id: toy.config.oauth.clients[0].client_id.clone(),
        scopes: vec!["all".into()],
    };
    let token = format!("token-{}", toy.access_tokens.infos(toy.plumbing.now()).count() + 1);
    let expires_at = toy.plumbing.now() + chrono::TimeDelta::hours(1);
    toy.access_tokens.insert(token.clone(), grant, expires_at);
    token
}

async fn toy() -> Running<ToyControl> {
    let world = Toy {
        config: ToyConfig {
            oauth: OAuthConfig::new("toy-app", "toy-secret"),
            page_size: 10,
        },
        plumbing: Plumbing::default(),
        calendars: Vec::new(),
        access_tokens: AccessTokens::default(),
        deliveries_stopped: false,
        conferencing: Conferencing::default(),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    sim_support::serve(world, addr, "toy", |sim| {
        let oauth = Router::new().route("/token", post(issue_token));
        let api = Router::new()
            .route("/api/ping", get(|| async { "pong" }))
            .route("/api/other", get(|| async { "other" }));
        let control = sim_support::conferencing::routes::<Toy>();
        sim_support::app(sim, oauth, api, control, || async { StatusCode::NOT_FOUND })
    })
    .await
    .expect("the toy starts")
}

async fn status(sim: &Running<ToyControl>, method: Method, path: &str) -> StatusCode {
    http().request(method, sim.url(path)).send().await.unwrap().status()
}

#[tokio::test]
async fn a_fault_answers_the_next_n_matching_api_calls_and_never_the_oauth_endpoints() {
    let sim = toy().await;
    sim.control
        .inject_fault(Fault::too_many_requests(Some(1)).times(2).on_path("/ping"));
    assert_eq!(status(&sim, Method::GET, "/api/other").await, StatusCode::OK);
    assert_eq!(status(&sim, Method::POST, "/token").await, StatusCode::OK);
    for _ in 0..2 {
        assert_eq!(
            status(&sim, Method::GET, "/api/ping").await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    assert_eq!(status(&sim, Method::GET, "/api/ping").await, StatusCode::OK);
    assert!(sim.control.faults().is_empty());
}

#[tokio::test]
async fn a_forever_fault_lasts_until_cleared_and_a_spent_one_is_not_queued() {
    let sim = toy().await;
    sim.control.inject_fault(Fault::backend_error().times(0));
    assert!(sim.control.faults().is_empty());
    sim.control.inject_fault(Fault::backend_error().forever());
    for _ in 0..3 {
        assert_eq!(
            status(&sim, Method::GET, "/api/ping").await,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    sim.control.clear_faults();
    assert_eq!(status(&sim, Method::GET, "/api/ping").await, StatusCode::OK);
}

#[tokio::test]
async fn latency_holds_the_call_then_answers_it() {
    let sim = toy().await;
    sim.control.inject_fault(Fault::latency(Duration::from_millis(200)));
    let started = Instant::now();
    assert_eq!(status(&sim, Method::GET, "/api/ping").await, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn faults_come_as_json_over_http_and_the_log_records_what_was_sent_and_answered() {
    let sim = toy().await;
    let control = ControlClient::new(&sim.base_url);
    let fault = json!({"kind": "too_many_requests", "count": 1});
    assert_eq!(control.post("/faults", fault).await.0, StatusCode::NO_CONTENT);
    let (_, queued) = control.get("/faults").await;
    assert_eq!(queued[0]["kind"], "too_many_requests");
    send(http().get(sim.url("/api/ping?x=a%20b")).header("X-Probe", "1")).await;
    send(http().post(sim.url("/token")).form(&[("code", "c 1")])).await;
    let (_, log) = control.get("/requests").await;
    let log: Vec<sim_support::RecordedRequest> = serde_json::from_value(log).unwrap();
    assert_eq!(log.len(), 2, "control calls are not logged");
    assert_eq!((log[0].seq, log[0].status, log[0].path.as_str()), (1, 429, "/api/ping"));
    assert_eq!(log[0].query_param("x").as_deref(), Some("a b"));
    assert_eq!(log[0].header("X-Probe"), Some("1"));
    assert_eq!(
        (log[1].status, log[1].form_param("code").as_deref()),
        (200, Some("c 1"))
    );
    assert_eq!(control.delete("/requests").await.0, StatusCode::NO_CONTENT);
    assert!(sim.control.requests().is_empty());
    control
        .post("/faults", json!({"kind": "backend_error", "forever": true}))
        .await;
    assert_eq!(control.delete("/faults").await.0, StatusCode::NO_CONTENT);
    assert!(sim.control.faults().is_empty());
}

#[tokio::test]
async fn the_clock_and_configuration_can_be_changed_over_http() {
    let sim = toy().await;
    let control = ControlClient::new(&sim.base_url);
    let before = sim.control.now();
    let (_, advanced) = control.post("/clock/advance", json!({"seconds": 90})).await;
    let now: chrono::DateTime<chrono::Utc> = serde_json::from_value(advanced["now"].clone()).unwrap();
    assert!(now - before >= chrono::TimeDelta::seconds(90));
    let patch = json!({"page_size": 3, "access_token_lifetime_secs": 60, "skip_consent_when_granted": false});
    assert_eq!(control.patch("/config", patch).await.0, StatusCode::NO_CONTENT);
    let config = sim.control.config();
    assert_eq!(config.page_size, 3);
    assert_eq!(config.oauth.access_token_lifetime, Duration::from_secs(60));
    assert!(!config.oauth.skip_consent_when_granted);
    assert_eq!(
        config.oauth.code_lifetime,
        Duration::from_secs(600),
        "absent fields stay"
    );
    let (status, _) = control.patch("/config", json!({"page_sise": 3})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a misspelt setting is refused"
    );
    assert_eq!(sim.endpoints(), format!("{}/api", sim.base_url));
}

#[tokio::test]
async fn the_configured_accounts_and_apps_exist_from_the_start_and_more_can_be_added() {
    let sim = toy().await;
    let control = ControlClient::new(&sim.base_url);
    assert_eq!(control.get("/calendars").await.1, json!([{"id": "host@example.com"}]));
    assert!(sim.control.sim().lock().plumbing.clients.get("toy-app").is_some());
    let client = json!({"client_id": "other-app", "client_secret": "s", "name": "Other App"});
    assert_eq!(control.post("/clients", client).await.0, StatusCode::NO_CONTENT);
    let registered = sim.control.sim().lock().plumbing.clients.get("other-app").cloned();
    assert_eq!(registered.map(|c| c.name), Some("Other App".to_owned()));
    sim.control.add_client(OAuthClient::new("other-app", "s2", "Renamed"));
    let replaced = sim.control.sim().lock().plumbing.clients.get("other-app").cloned();
    assert_eq!(replaced.map(|c| c.client_secret), Some("s2".to_owned()));
}

#[tokio::test]
async fn users_calendars_and_events_are_set_up_over_http_with_the_worlds_answers() {
    let sim = toy().await;
    let control = ControlClient::new(&sim.base_url);
    let (status, primary) = control.post("/users", json!({"email": "lin@example.com"})).await;
    assert_eq!(
        (status, primary),
        (StatusCode::CREATED, json!({"id": "lin@example.com"}))
    );
    let (status, error) = control.post("/users", json!({"email": "lin@example.com"})).await;
    assert_eq!(
        (status, error),
        (StatusCode::CONFLICT, json!({"error": "lin@example.com already exists"}))
    );
    let (status, error) = control.post("/users", json!({"email": "nope"})).await;
    assert_eq!(
        (status, error),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid: nope is not an email address"})
        )
    );

    let (status, team) = control
        .post("/users/lin%40example.com/calendars", json!({"name": "Team"}))
        .await;
    assert_eq!(
        (status, team),
        (StatusCode::CREATED, json!({"id": "lin@example.com/Team"}))
    );
    let (status, _) = control
        .post("/users/nobody%40example.com/calendars", json!({"name": "Team"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(control.get("/calendars").await.1.as_array().unwrap().len(), 3);

    let event = json!({"summary": "Gym", "end": "later"});
    let (status, created) = control.post("/calendars/lin%40example.com/events", event).await;
    assert_eq!((status, created["id"].clone()), (StatusCode::CREATED, json!(1)));
    let (status, events) = control.get("/calendars/lin%40example.com/events").await;
    assert_eq!((status, events[0]["summary"].clone()), (StatusCode::OK, json!("Gym")));
    let (status, error) = control
        .post("/calendars/lin%40example.com/events", json!({"summary": "No end"}))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "the world's own refusal, with its status"
    );
    assert_eq!(error["error"], "rejected with 400 required: Missing end time.");
    let (status, error) = control.get("/calendars/nobody%40example.com/events").await;
    assert_eq!(
        (status, error),
        (
            StatusCode::NOT_FOUND,
            json!({"error": "unknown calendar nobody@example.com"})
        )
    );
    assert_eq!(control.get("/notifications").await, (StatusCode::OK, json!([])));
}

#[tokio::test]
async fn tokens_are_listed_and_expired_over_http_with_or_without_a_body() {
    let sim = toy().await;
    let control = ControlClient::new(&sim.base_url);
    for _ in 0..2 {
        send(http().post(sim.url("/token"))).await;
    }
    let (_, listed) = control.get("/tokens").await;
    let listed: Vec<TokenInfo> = serde_json::from_value(listed).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|t| t.kind == "access" && !t.dead && t.user == "host@example.com")
    );
    let (_, expired) = control
        .post("/tokens/expire", json!({"user": "someone@example.com"}))
        .await;
    assert_eq!(expired, json!({"expired": 0}));
    assert_eq!(control.post_empty("/tokens/expire").await.1, json!({"expired": 2}));
    assert_eq!(control.post_empty("/tokens/expire").await.1, json!({"expired": 0}));
    assert!(sim.control.tokens().iter().all(|t| t.dead));
}

#[tokio::test]
async fn shutting_down_stops_the_worlds_deliveries() {
    let sim = toy().await;
    let control = sim.control.clone();
    assert!(!control.sim().lock().deliveries_stopped);
    sim.shutdown().await;
    assert!(control.sim().lock().deliveries_stopped);
}

#[tokio::test]
async fn conference_modes_are_kept_per_known_account_in_any_case_over_http() {
    let sim = toy().await;
    let control = ControlClient::new(&sim.base_url);
    let host = "/users/host%40example.com/conferencing";
    assert_eq!(control.get(host).await, (StatusCode::OK, json!({"mode": "works"})));
    let late = json!({"mode": "late", "reads": 2});
    assert_eq!(control.put(host, late.clone()).await.0, StatusCode::NO_CONTENT);
    assert_eq!(control.get("/users/HOST%40example.com/conferencing").await.1, late);
    assert_eq!(
        sim.control.conferencing("Host@Example.com"),
        Ok(ToyMeet::Late { reads: 2 })
    );
    let (status, error) = control
        .put("/users/nobody%40example.com/conferencing", json!({"mode": "works"}))
        .await;
    assert_eq!(
        (status, error),
        (
            StatusCode::NOT_FOUND,
            json!({"error": "unknown user nobody@example.com"})
        )
    );
    let (status, _) = control.put(host, json!({"mode": "never"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown mode is refused");
    assert_eq!(control.get(host).await.1, late, "and changes nothing");
}

#[tokio::test]
async fn the_conferences_made_are_listed_and_counted_per_account_and_per_event() {
    let sim = toy().await;
    sim.control.add_user(UserSpec::new("lin@example.com")).unwrap();
    let with = |link: &str| json!({"end": "later", "conference": link});
    sim.control
        .insert_event("host@example.com", with("https://meet/a"))
        .unwrap();
    sim.control
        .insert_event("host@example.com", json!({"end": "later"}))
        .unwrap();
    sim.control
        .insert_event("host@example.com", with("https://meet/b"))
        .unwrap();
    sim.control
        .insert_event("lin@example.com", with("https://meet/c"))
        .unwrap();
    assert_eq!(sim.control.conferences_created("HOST@example.com"), 2);
    assert_eq!(sim.control.conferences_created("lin@example.com"), 1);
    assert_eq!(sim.control.conferences_created("nobody@example.com"), 0);
    let third = sim.control.event_conferences("host@example.com", "3");
    assert_eq!(third.len(), 1);
    assert_eq!(third[0].join_url, "https://meet/b");
    assert!(sim.control.event_conferences("lin@example.com", "3").is_empty());
    let (status, made) = ControlClient::new(&sim.base_url).get("/conferences").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        made[2],
        json!({"account": "lin@example.com", "calendarId": "lin@example.com", "eventId": "1", "joinUrl": "https://meet/c"})
    );
}
