//! The shared plumbing on a toy simulator: fault queueing, latency, the request log, and the
//! common control routes, independent of any provider's wire format.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sim_support::testing::{control, http, send};
use sim_support::{
    Control, ControlApi, Fault, FaultKind, OAuthClient, Plumbing, Running, SimError, TokenInfo, UserSpec, World,
};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ToyFault {
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

struct Toy {
    page_size: u32,
    plumbing: Plumbing<ToyFault>,
}

impl World for Toy {
    type Config = u32;
    type Fault = ToyFault;

    fn plumbing(&self) -> &Plumbing<ToyFault> {
        &self.plumbing
    }

    fn plumbing_mut(&mut self) -> &mut Plumbing<ToyFault> {
        &mut self.plumbing
    }

    fn config_mut(&mut self) -> &mut u32 {
        &mut self.page_size
    }
}

#[derive(Clone)]
struct ToyControl(sim_support::Controls<Toy>);

impl ControlApi for ToyControl {
    type World = Toy;
    type Calendar = Value;
    type NewCalendar = Value;
    type Notification = Value;
    type ConfigPatch = u32;

    fn from_sim(sim: sim_support::Sim<Toy>) -> Self {
        ToyControl(sim_support::Controls::new(sim))
    }

    fn add_user(&self, user: UserSpec) -> Result<Value, SimError> {
        user.check_new(false)?;
        Ok(json!({"owner": user.email}))
    }

    fn add_calendar(&self, _: &str, _: Value) -> Result<Value, SimError> {
        Err(SimError::Invalid("no calendars here".into()))
    }

    fn calendars(&self) -> Vec<Value> {
        Vec::new()
    }

    fn events(&self, calendar_id: &str) -> Result<Vec<Value>, SimError> {
        Err(SimError::UnknownCalendar(calendar_id.to_owned()))
    }

    fn insert_event(&self, calendar_id: &str, _: Value) -> Result<Value, SimError> {
        Err(SimError::UnknownCalendar(calendar_id.to_owned()))
    }

    fn add_client(&self, _: OAuthClient) {}

    fn tokens(&self) -> Vec<TokenInfo> {
        Vec::new()
    }

    fn expire_access_tokens(&self, _: Option<&str>) -> usize {
        0
    }

    fn notifications(&self) -> Vec<Value> {
        Vec::new()
    }

    fn apply_config(&self, patch: &u32) {
        self.0.configure(|size| *size = *patch);
    }
}

impl Control for ToyControl {
    type Endpoints = String;

    fn endpoints(&self, base_url: &str) -> String {
        format!("{base_url}/api")
    }

    fn stop_deliveries(&self) {}
}

async fn toy() -> Running<ToyControl> {
    let world = Toy {
        page_size: 10,
        plumbing: Plumbing::default(),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    sim_support::serve(world, addr, "toy", |sim| {
        let oauth = Router::new().route("/token", post(|| async { "token" }));
        let api = Router::new()
            .route("/api/ping", get(|| async { "pong" }))
            .route("/api/other", get(|| async { "other" }));
        sim_support::app::<ToyControl, _>(sim, oauth, api, Router::new(), || async { StatusCode::NOT_FOUND })
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
        .0
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
    assert!(sim.control.0.faults().is_empty());
}

#[tokio::test]
async fn a_forever_fault_lasts_until_cleared_and_a_spent_one_is_not_queued() {
    let sim = toy().await;
    sim.control.0.inject_fault(Fault::backend_error().times(0));
    assert!(sim.control.0.faults().is_empty());
    sim.control.0.inject_fault(Fault::backend_error().forever());
    for _ in 0..3 {
        assert_eq!(
            status(&sim, Method::GET, "/api/ping").await,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    sim.control.0.clear_faults();
    assert_eq!(status(&sim, Method::GET, "/api/ping").await, StatusCode::OK);
}

#[tokio::test]
async fn latency_holds_the_call_then_answers_it() {
    let sim = toy().await;
    sim.control.0.inject_fault(Fault::latency(Duration::from_millis(200)));
    let started = Instant::now();
    assert_eq!(status(&sim, Method::GET, "/api/ping").await, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn faults_come_as_json_over_http_and_the_log_records_what_was_sent_and_answered() {
    let sim = toy().await;
    let (added, _) = control(
        &sim.base_url,
        Method::POST,
        "/faults",
        Some(json!({"kind": "too_many_requests", "count": 1})),
    )
    .await;
    assert_eq!(added, StatusCode::NO_CONTENT);
    send(http().get(sim.url("/api/ping?x=a%20b")).header("X-Probe", "1")).await;
    send(http().post(sim.url("/token")).form(&[("code", "c 1")])).await;
    let (_, log) = control(&sim.base_url, Method::GET, "/requests", None).await;
    let log: Vec<sim_support::RecordedRequest> = serde_json::from_value(log).unwrap();
    assert_eq!(log.len(), 2, "control calls are not logged");
    assert_eq!((log[0].seq, log[0].status, log[0].path.as_str()), (1, 429, "/api/ping"));
    assert_eq!(log[0].query_param("x").as_deref(), Some("a b"));
    assert_eq!(log[0].header("X-Probe"), Some("1"));
    assert_eq!(
        (log[1].status, log[1].form_param("code").as_deref()),
        (200, Some("c 1"))
    );
    assert_eq!(
        control(&sim.base_url, Method::DELETE, "/requests", None).await.0,
        StatusCode::NO_CONTENT
    );
    assert!(sim.control.0.requests().is_empty());
}

#[tokio::test]
async fn the_clock_and_configuration_can_be_changed_over_http() {
    let sim = toy().await;
    let before = sim.control.0.now();
    let (_, advanced) = control(
        &sim.base_url,
        Method::POST,
        "/clock/advance",
        Some(json!({"seconds": 90})),
    )
    .await;
    let now: chrono::DateTime<chrono::Utc> = serde_json::from_value(advanced["now"].clone()).unwrap();
    assert!(now - before >= chrono::TimeDelta::seconds(90));
    assert_eq!(
        control(&sim.base_url, Method::PATCH, "/config", Some(json!(3))).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(sim.control.0.config(), 3);
    let (status, body) = control(&sim.base_url, Method::POST, "/users", Some(json!({"email": "nope"}))).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid: nope is not an email address"})
        )
    );
    assert_eq!(sim.endpoints(), format!("{}/api", sim.base_url));
}
