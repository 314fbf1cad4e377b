//! The `/_control` HTTP surface, as a test running the binary would use it.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sim_support::testing::control;

fn encoded(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

#[tokio::test]
async fn users_calendars_and_events_can_be_set_up_and_changed_over_http() {
    let sim = start().await;
    let (status, primary) = control(
        &sim.base_url,
        Method::POST,
        "/users",
        Some(json!({"email": "lin@example.com", "time_zone": "Tokyo Standard Time"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(primary["name"], "Calendar");
    assert_eq!(primary["isDefaultCalendar"], true);
    let (status, team) = control(
        &sim.base_url,
        Method::POST,
        "/users/lin%40example.com/calendars",
        Some(json!({"name": "Team"})),
    )
    .await;
    assert_eq!(
        (status, team["owner"].clone()),
        (StatusCode::CREATED, json!("lin@example.com"))
    );
    assert_eq!(
        control(
            &sim.base_url,
            Method::POST,
            "/users",
            Some(json!({"email": "lin@example.com"}))
        )
        .await
        .0,
        StatusCode::CONFLICT
    );

    let calendar = encoded(primary["id"].as_str().unwrap());
    let event = meeting("Gym", "07:00", "08:00", "Asia/Tokyo");
    let (status, created) = control(
        &sim.base_url,
        Method::POST,
        &format!("/calendars/{calendar}/events"),
        Some(event),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = encoded(created["id"].as_str().unwrap());
    assert_eq!(created["start"]["dateTime"], "2026-03-14T22:00:00.0000000");

    let moved = json!({"start": "2026-03-15T01:00:00Z", "end": "2026-03-15T02:00:00Z"});
    let (status, after_move) = control(&sim.base_url, Method::POST, &format!("/events/{id}/move"), Some(moved)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after_move["originalStartTimeZone"], "Asia/Tokyo");
    let (_, patched) = control(
        &sim.base_url,
        Method::PATCH,
        &format!("/events/{id}"),
        Some(json!({"subject": "Swim"})),
    )
    .await;
    assert_eq!(patched["subject"], "Swim");
    assert_eq!(
        control(&sim.base_url, Method::DELETE, &format!("/events/{id}"), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        control(&sim.base_url, Method::GET, &format!("/events/{id}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, events) = control(
        &sim.base_url,
        Method::GET,
        &format!("/calendars/{calendar}/events"),
        None,
    )
    .await;
    assert_eq!(events, json!([]));

    let backwards = meeting("Bad", "08:00", "07:00", "UTC");
    let (status, error) = control(
        &sim.base_url,
        Method::POST,
        &format!("/calendars/{calendar}/events"),
        Some(backwards),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["error"].as_str().unwrap().contains("ErrorInvalidRequest"));
}

#[tokio::test]
async fn tokens_can_be_listed_expired_and_revoked_over_http() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let (_, listed) = control(&sim.base_url, Method::GET, "/tokens", None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        control(&sim.base_url, Method::POST, "/tokens/expire", None).await.1,
        json!({"expired": 1})
    );
    let (_, revoked) = control(
        &sim.base_url,
        Method::POST,
        "/tokens/revoke",
        Some(json!({"user": "host@example.com"})),
    )
    .await;
    assert_eq!(revoked, json!({"revoked": 1}));
    let refreshed = flow(&sim).refresh(tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed.json::<Value>().await.unwrap()["error_codes"][0], 65001);
    let (_, sessions) = control(
        &sim.base_url,
        Method::POST,
        "/users/host%40example.com/sessions/revoke",
        None,
    )
    .await;
    assert_eq!(sessions, json!({"revoked": 0}));
    let (status, _) = control(
        &sim.base_url,
        Method::POST,
        "/users/host%40example.com/require-interaction",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn config_delta_tokens_and_subscriptions_can_be_controlled_over_http() {
    let (sim, token) = connected().await;
    let (status, _) = control(
        &sim.base_url,
        Method::PATCH,
        "/config",
        Some(json!({"if_match_conflict_status": 409})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(sim.control.config().if_match_conflict_status, 409);

    let window = "/me/calendarView/delta?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z";
    graph(&sim, &token, Method::GET, window, None).await;
    assert_eq!(
        control(&sim.base_url, Method::POST, "/delta-tokens/invalidate", None)
            .await
            .1,
        json!({"invalidated": 1})
    );
    let (_, subscriptions) = control(&sim.base_url, Method::GET, "/subscriptions", None).await;
    assert_eq!(subscriptions, json!([]));
    let (status, _) = control(
        &sim.base_url,
        Method::POST,
        "/subscriptions/nope/lifecycle",
        Some(json!({"lifecycleEvent": "missed"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        control(&sim.base_url, Method::GET, "/notifications", None).await.1,
        json!([])
    );
}

#[tokio::test]
async fn a_registered_client_sees_its_name_on_the_consent_page() {
    let sim = start().await;
    let client =
        json!({"client_id": "11111111-2222-4333-8444-555555555555", "client_secret": "s", "name": "Other App"});
    assert_eq!(
        control(&sim.base_url, Method::POST, "/clients", Some(client)).await.0,
        StatusCode::NO_CONTENT
    );
    let url = format!(
        "{}?client_id=11111111-2222-4333-8444-555555555555&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&response_type=code&scope=User.Read",
        sim.endpoints().authorize
    );
    let html = http().get(url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Other App"));
}
