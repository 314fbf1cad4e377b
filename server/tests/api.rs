//! The public JSON API over HTTP against the real server on port 0.

mod common;

use common::Running;
use reqwest::StatusCode;
use serde_json::{Value, json};
use services::Clock;

/// Friday 2027-01-15 08:00 UTC; the Monday after is 2027-01-18.
const NOW: i64 = 1_800_000_000;

async fn with_demo() -> Running {
    with_demo_configured(&[]).await
}

/// As [`with_demo`], with configuration variables (`RENDEZVOUS_…`) set.
async fn with_demo_configured(vars: &[(&str, String)]) -> Running {
    common::start_with_demo(Clock::manual(NOW), vars).await
}

impl Running {
    async fn json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    async fn book(&self, body: &Value, key: Option<&str>) -> (StatusCode, Value) {
        let mut request = self.client.post(format!("{}/api/v1/bookings", self.base)).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }
}

fn booking(start: &str, email: &str) -> Value {
    json!({
        "event_type": "acme/demo",
        "start": start,
        "attendee": { "name": "Pat Prospect", "email": email, "timezone": "America/New_York" },
        "notes": "Interested in the team plan"
    })
}

#[tokio::test]
async fn an_event_type_is_described_publicly_and_unknown_ones_are_404() {
    let server = with_demo().await;
    let (status, body) = server.json("/api/v1/event-types/acme/demo").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"event_type": "acme/demo", "title": "Product demo", "description": "See it in action.",
               "duration": 30, "location_kind": "video", "hosts": ["Ada Admin"], "allow_guests": true,
               "questions": [{"key": "notes", "kind": "long_text", "label": "Anything that helps prepare?", "help": "",
                              "required": false, "hidden": false, "options": []}]})
    );
    let (status, body) = server.json("/api/v1/event-types/acme/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn slots_are_keyed_by_the_viewers_dates_with_that_zones_offsets() {
    let server = with_demo().await;
    let (status, body) = server
        .json("/api/v1/slots?event_type=acme/demo&start=2027-01-18&end=2027-01-19&timezone=Europe/Berlin")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            body["event_type"].as_str(),
            body["timezone"].as_str(),
            body["duration"].as_i64()
        ),
        (Some("acme/demo"), Some("Europe/Berlin"), Some(30))
    );
    let days = body["slots"].as_object().unwrap();
    assert_eq!(days.keys().collect::<Vec<_>>(), ["2027-01-18", "2027-01-19"]);
    let monday = days["2027-01-18"].as_array().unwrap();
    assert_eq!(monday.len(), 16);
    assert_eq!(
        monday[0],
        json!({"start": "2027-01-18T09:00:00+01:00", "end": "2027-01-18T09:30:00+01:00"})
    );

    let (_, tokyo) = server
        .json("/api/v1/slots?event_type=acme/demo&start=2027-01-18&end=2027-01-18&timezone=Asia/Tokyo")
        .await;
    let tokyo_days = tokyo["slots"].as_object().unwrap();
    assert_eq!(tokyo_days.keys().collect::<Vec<_>>(), ["2027-01-18"]);
    assert_eq!(tokyo_days["2027-01-18"][0]["start"], "2027-01-18T17:00:00+09:00");
    assert_eq!(
        tokyo_days["2027-01-18"].as_array().unwrap().len(),
        14,
        "17:00–23:59 in Tokyo"
    );

    let (_, weekend) = server
        .json("/api/v1/slots?event_type=acme/demo&start=2027-01-16&end=2027-01-17&timezone=Europe/Berlin")
        .await;
    assert_eq!(weekend["slots"], json!({}), "days without slots are absent");
}

#[tokio::test]
async fn bad_slot_queries_name_the_problem() {
    let server = with_demo().await;
    let cases = [
        (
            "event_type=acme/demo&start=2027-01-18&end=2027-01-18&timezone=Mars/Base",
            "timezone",
        ),
        (
            "event_type=acme/demo&start=18.01.2027&end=2027-01-18&timezone=UTC",
            "start",
        ),
        (
            "event_type=acme/demo&start=2027-01-18&end=2027-01-17&timezone=UTC",
            "end",
        ),
        (
            "event_type=acme/demo&start=2027-01-01&end=2027-03-04&timezone=UTC",
            "end",
        ),
        ("start=2027-01-18&end=2027-01-18&timezone=UTC", "event_type"),
    ];
    for (query, field) in cases {
        let (status, body) = server.json(&format!("/api/v1/slots?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(body["error"], "validation");
        assert!(body["fields"][field].is_string(), "{query}: {body}");
    }
    let (status, _) = server
        .json("/api/v1/slots?event_type=acme/nope&start=2027-01-18&end=2027-01-18&timezone=UTC")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_booking_is_created_once_and_the_time_then_conflicts() {
    let server = with_demo().await;
    let (status, body) = server
        .book(&booking("2027-01-18T10:00:00+01:00", "pat@example.org"), None)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "confirmed");
    assert_eq!(body["start"], "2027-01-18T04:00:00-05:00", "in the attendee's zone");
    assert_eq!(body["end"], "2027-01-18T04:30:00-05:00");
    assert_eq!(body["host"]["name"], "Ada Admin");
    let uid = body["uid"].as_str().unwrap();
    let cancel = body["manage"]["cancel_url"].as_str().unwrap();
    assert!(
        cancel.contains(&format!("/booking/{uid}?token=")) && cancel.ends_with("&action=cancel&lang=en"),
        "{cancel}"
    );

    let (status, body) = server
        .book(&booking("2027-01-18T09:00:00Z", "other@example.org"), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "the same instant in another offset");
    assert_eq!(body["error"], "slot_unavailable");
    let (_, slots) = server
        .json("/api/v1/slots?event_type=acme/demo&start=2027-01-18&end=2027-01-18&timezone=Europe/Berlin")
        .await;
    assert!(
        !slots["slots"]["2027-01-18"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["start"] == "2027-01-18T10:00:00+01:00")
    );
}

#[tokio::test]
async fn bad_bookings_are_refused_with_the_reason_and_nothing_is_written() {
    let server = with_demo().await;
    let mut invalid = booking("2027-01-18T10:00:00+01:00", "not-an-email");
    invalid["attendee"]["timezone"] = json!("Nowhere/Land");
    let (status, body) = server.book(&invalid, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["fields"]["attendee.email"].is_string() && body["fields"]["attendee.timezone"].is_string(),
        "{body}"
    );

    for start in [
        "2027-01-18T10:10:00+01:00",
        "2027-01-18T07:00:00+01:00",
        "2027-01-14T10:00:00+01:00",
    ] {
        let (status, body) = server.book(&booking(start, "pat@example.org"), None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::CONFLICT, Some("slot_unavailable")),
            "{start}"
        );
    }
    let mut unknown = booking("2027-01-18T10:00:00+01:00", "pat@example.org");
    unknown["event_type"] = json!("acme/nope");
    assert_eq!(server.book(&unknown, None).await.0, StatusCode::NOT_FOUND);

    let response = server
        .client
        .post(format!("{}/api/v1/bookings", server.base))
        .header("content-type", "application/json")
        .body("{\"event_type\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "malformed_json");
    assert_eq!(server.stored_bookings().await, 0);
}

#[tokio::test]
async fn the_same_idempotency_key_replays_the_first_response() {
    let server = with_demo().await;
    let body = booking("2027-01-18T11:00:00+01:00", "pat@example.org");
    let first = server.book(&body, Some("attempt-7")).await;
    let second = server.book(&body, Some("attempt-7")).await;
    assert_eq!(first.0, StatusCode::CREATED);
    assert_eq!(first, second);
    let (status, reused) = server
        .book(
            &booking("2027-01-18T12:00:00+01:00", "pat@example.org"),
            Some("attempt-7"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reused["fields"]["idempotency_key"].is_string());
}

#[tokio::test]
async fn fifty_concurrent_requests_for_one_slot_get_one_201_and_49_409s() {
    let server = with_demo_configured(&[("RENDEZVOUS_RATE_LIMITS", "booking=50/h".into())]).await;
    let requests = (0..50).map(|n| {
        let (client, url) = (server.client.clone(), format!("{}/api/v1/bookings", server.base));
        let body = booking("2027-01-18T13:00:00+01:00", &format!("p{n}@example.org"));
        tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap().status() })
    });
    let mut statuses = Vec::new();
    for request in requests.collect::<Vec<_>>() {
        statuses.push(request.await.unwrap());
    }
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let conflicts = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, conflicts), (1, 49), "{statuses:?}");
}

#[tokio::test]
async fn the_api_is_open_to_other_origins_and_documents_itself() {
    let server = with_demo().await;
    let preflight = server
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/api/v1/bookings", server.base))
        .header("Origin", "https://customer.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type,idempotency-key")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let (status, doc) = server.json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/event-types/{team}/{slug}", "/api/v1/slots", "/api/v1/bookings"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert_eq!(doc["components"]["securitySchemes"]["api_key"]["scheme"], "bearer");
    // Any operation may meet a NUL character, refused before its handler: each one says so.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["responses"]["400"].is_object(),
                "{method} {path} documents no 400"
            );
        }
    }
    let (status, refused) = server.json("/api/v1/slots?event_type=acme/demo&timezone=%00").await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("nul_character"))
    );
}

#[tokio::test]
async fn a_browsable_reference_lists_every_operation_and_webhook_of_the_document_with_working_links() {
    let server = with_demo().await;
    let (_, doc) = server.json("/api/v1/openapi.json").await;
    let response = server
        .client
        .get(format!("{}/api/docs", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let heading = format!(">{}</span> <code>{}</code></h3>", method.to_uppercase(), path);
            assert!(html.contains(&heading), "{method} {path} missing from the reference");
            operations += 1;
        }
    }
    assert!(operations >= 20, "only {operations} operations documented");
    assert!(
        !html.contains("&quot;email&quot;: null"),
        "examples are built to the leaves of nested types"
    );
    for event in doc["webhooks"].as_object().unwrap().keys() {
        let heading = format!(">POST</span> <code>{event}</code></h3>");
        assert!(html.contains(&heading), "webhook {event} missing from the reference");
    }
    for target in html
        .split("href=\"#")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
    {
        assert!(
            html.contains(&format!("id=\"{target}\"")),
            "link to #{target} leads nowhere"
        );
    }
}

/// The token in a manage URL.
fn token_of(url: &str) -> String {
    url.split("token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned()
}

impl Running {
    async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }
}

#[tokio::test]
async fn a_booking_is_rescheduled_and_then_cancelled_with_its_manage_token() {
    let server = with_demo().await;
    let (_, created) = server
        .book(&booking("2027-01-18T10:00:00+01:00", "pat@example.org"), None)
        .await;
    let uid = created["uid"].as_str().unwrap();
    let token = token_of(created["manage"]["reschedule_url"].as_str().unwrap());
    let (_, blocker) = server
        .book(&booking("2027-01-18T12:00:00+01:00", "sam@example.org"), None)
        .await;

    let wrong = server
        .post(
            &format!("/api/v1/bookings/{uid}/reschedule"),
            &json!({"token": "nope", "start": "2027-01-18T11:00:00+01:00"}),
        )
        .await;
    assert_eq!(wrong.0, StatusCode::NOT_FOUND);
    let taken = server
        .post(
            &format!("/api/v1/bookings/{uid}/reschedule"),
            &json!({"token": token, "start": blocker["start"]}),
        )
        .await;
    assert_eq!(
        (taken.0, taken.1["error"].as_str()),
        (StatusCode::CONFLICT, Some("slot_unavailable"))
    );
    let (status, moved) = server
        .post(
            &format!("/api/v1/bookings/{uid}/reschedule"),
            &json!({"token": token, "start": "2027-01-18T11:00:00+01:00"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(
        (moved["uid"].as_str(), moved["start"].as_str()),
        (Some(uid), Some("2027-01-18T05:00:00-05:00"))
    );
    assert_eq!(moved["event_type"], "acme/demo");

    let missing = server.post(&format!("/api/v1/bookings/{uid}/cancel"), &json!({})).await;
    assert_eq!(missing.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.1["fields"]["token"].is_string());
    let (status, cancelled) = server
        .post(
            &format!("/api/v1/bookings/{uid}/cancel"),
            &json!({"token": token, "reason": "Conflict"}),
        )
        .await;
    assert_eq!(
        (status, cancelled),
        (StatusCode::OK, json!({"uid": uid, "status": "cancelled"}))
    );
    let again = server
        .post(&format!("/api/v1/bookings/{uid}/cancel"), &json!({"token": token}))
        .await;
    assert_eq!((again.0, again.1["error"].as_str()), (StatusCode::GONE, Some("gone")));
}

#[tokio::test]
async fn unknown_api_paths_methods_and_oversized_bodies_answer_in_json() {
    let server = with_demo().await;
    let (status, body) = server.json("/api/v1/nothing-here").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let response = server
        .client
        .delete(format!("{}/api/v1/slots", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "method_not_allowed");
    let mut huge = booking("2027-01-18T10:00:00+01:00", "pat@example.org");
    huge["notes"] = json!("x".repeat(70 * 1024));
    let (status, body) = server.book(&huge, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
}
