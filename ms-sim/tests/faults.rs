//! Injected throttling, outages and latency, and the request log tests assert on.

mod common;

use common::*;
use ms_sim::{Fault, FaultKind};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn a_429_with_retry_after_in_graphs_envelope_is_answered_the_requested_number_of_times() {
    let (sim, token) = connected().await;
    sim.control.inject_fault(Fault::too_many_requests(Some(7)).times(2));
    for _ in 0..2 {
        let (status, headers, body) = graph(&sim, &token, Method::GET, "/me/calendars", None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(headers["retry-after"], "7");
        assert_eq!(code(&body), "TooManyRequests");
        assert_eq!(body["error"]["message"], "Please retry again later.");
    }
    assert_eq!(
        graph(&sim, &token, Method::GET, "/me/calendars", None).await.0,
        StatusCode::OK
    );
    assert!(sim.control.faults().is_empty());
}

#[tokio::test]
async fn outages_are_503_with_retry_after_or_500_general_exception() {
    let (sim, token) = connected().await;
    sim.control.inject_fault(Fault::new(FaultKind::ServiceUnavailable {
        retry_after_secs: Some(3),
    }));
    sim.control.inject_fault(Fault::backend_error());
    let (status, headers, body) = graph(&sim, &token, Method::GET, "/me", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::SERVICE_UNAVAILABLE, "serviceNotAvailable")
    );
    assert_eq!(headers["retry-after"], "3");
    let (status, _, body) = graph(&sim, &token, Method::GET, "/me", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::INTERNAL_SERVER_ERROR, "generalException")
    );
}

#[tokio::test]
async fn any_status_and_graph_error_code_can_be_injected() {
    let (sim, token) = connected().await;
    sim.control.inject_fault(Fault::new(FaultKind::Error {
        status: 504,
        code: "UnknownError".into(),
        message: None,
        retry_after_secs: Some(1),
    }));
    let (status, headers, body) = graph(&sim, &token, Method::GET, "/me", None).await;
    assert_eq!((status, code(&body)), (StatusCode::GATEWAY_TIMEOUT, "UnknownError"));
    assert_eq!(body["error"]["message"], "Gateway Timeout");
    assert_eq!(headers["retry-after"], "1");
    let log = sim.control.requests();
    assert_eq!(log.last().map(|r| r.status), Some(504), "faulted calls are logged");
}
