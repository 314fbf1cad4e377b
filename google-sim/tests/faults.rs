//! Injected faults, and the request log tests assert on.

mod common;

use std::time::{Duration, Instant};

use common::*;
use google_sim::{Fault, FaultKind};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_429_with_retry_after_is_answered_the_requested_number_of_times_then_calls_succeed() {
    let (sim, token) = connected().await;
    sim.control.inject_fault(Fault::too_many_requests(Some(2)).times(2));
    for _ in 0..2 {
        let (status, headers, body) = api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(headers["retry-after"], "2");
        assert_eq!(body["error"]["code"], 429);
        assert_eq!(body["error"]["errors"][0]["domain"], "usageLimits");
        assert_eq!(reason(&body), "rateLimitExceeded");
    }
    let (status, _, _) = api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(sim.control.faults().is_empty());
}

#[tokio::test]
async fn a_403_rate_limit_exceeded_uses_googles_envelope_then_calls_succeed() {
    let (sim, token) = connected().await;
    sim.control.inject_fault(Fault::rate_limit_exceeded());
    let (status, headers, body) = api(&sim, &token, Method::GET, "/calendars/primary/events", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        headers.get("retry-after").is_none(),
        "Calendar does not document Retry-After"
    );
    assert_eq!(
        body,
        json!({"error": {"code": 403, "message": "Rate Limit Exceeded", "errors": [
            {"domain": "usageLimits", "reason": "rateLimitExceeded", "message": "Rate Limit Exceeded"}
        ]}})
    );
    assert_eq!(
        api(&sim, &token, Method::GET, "/calendars/primary/events", None)
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_backend_error_is_500_with_reason_backend_error() {
    let (sim, token) = connected().await;
    sim.control.inject_fault(Fault::backend_error());
    let (status, _, body) = api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(
        (status, reason(&body)),
        (StatusCode::INTERNAL_SERVER_ERROR, "backendError")
    );
}

#[tokio::test]
async fn a_fault_limited_to_a_path_leaves_other_calls_alone() {
    let (sim, token) = connected().await;
    sim.control
        .inject_fault(Fault::new(FaultKind::QuotaExceeded).on_path("freeBusy").forever());
    assert_eq!(
        api(&sim, &token, Method::GET, "/users/me/calendarList", None).await.0,
        StatusCode::OK
    );
    let query =
        json!({"timeMin": "2026-03-02T00:00:00Z", "timeMax": "2026-03-03T00:00:00Z", "items": [{"id": "primary"}]});
    for _ in 0..3 {
        let (status, _, body) = api(&sim, &token, Method::POST, "/freeBusy", Some(query.clone())).await;
        assert_eq!((status, reason(&body)), (StatusCode::FORBIDDEN, "quotaExceeded"));
    }
    sim.control.clear_faults();
    assert_eq!(
        api(&sim, &token, Method::POST, "/freeBusy", Some(query)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn injected_latency_delays_the_call_which_then_succeeds() {
    let (sim, token) = connected().await;
    sim.control.inject_fault(Fault::latency(Duration::from_millis(300)));
    let started = Instant::now();
    let (status, _, _) = api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn faults_can_be_injected_over_http_and_requests_are_logged_with_their_status() {
    let (sim, token) = connected().await;
    sim.control.clear_requests();
    let added = http()
        .post(sim.url("/_control/faults"))
        .json(&json!({"kind": "too_many_requests", "retry_after_secs": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::NO_CONTENT);
    api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
    api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;

    let log: Vec<google_sim::RecordedRequest> = http()
        .get(sim.url("/_control/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<u16> = log.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200]);
    assert_eq!(log[0].path, "/calendar/v3/users/me/calendarList");
    assert_eq!(log[1].header("authorization"), Some(format!("Bearer {token}").as_str()));
}
