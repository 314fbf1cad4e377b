//! The `/_control` HTTP surface, as a test running the binary would use it.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sim_support::testing::control;

#[tokio::test]
async fn users_calendars_and_events_can_be_set_up_and_changed_over_http() {
    let sim = start().await;
    let (status, primary) = control(
        &sim.base_url,
        Method::POST,
        "/users",
        Some(json!({"email": "lin@example.com", "time_zone": "Asia/Tokyo"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        primary,
        json!({"id": "lin@example.com", "summary": "lin@example.com", "timeZone": "Asia/Tokyo", "owner": "lin@example.com"})
    );
    let (status, team) = control(
        &sim.base_url,
        Method::POST,
        "/users/lin%40example.com/calendars",
        Some(json!({"summary": "Team"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        team["timeZone"], "Asia/Tokyo",
        "a new calendar defaults to the owner's zone"
    );
    let (status, _) = control(
        &sim.base_url,
        Method::POST,
        "/users",
        Some(json!({"email": "lin@example.com"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let event = json!({"summary": "Gym", "start": {"dateTime": "2026-03-02T07:00:00+09:00"}, "end": {"dateTime": "2026-03-02T08:00:00+09:00"}});
    let (status, created) = control(
        &sim.base_url,
        Method::POST,
        "/calendars/lin%40example.com/events",
        Some(event),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["creator"]["email"], "lin@example.com");

    let moved = json!({"start": "2026-03-02T01:00:00Z", "end": "2026-03-02T02:00:00Z"});
    let (status, after_move) = control(
        &sim.base_url,
        Method::POST,
        &format!("/calendars/lin%40example.com/events/{id}/move"),
        Some(moved),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after_move["start"]["dateTime"], "2026-03-02T10:00:00+09:00");

    let (status, patched) = control(
        &sim.base_url,
        Method::PATCH,
        &format!("/calendars/lin%40example.com/events/{id}"),
        Some(json!({"summary": "Swim"})),
    )
    .await;
    assert_eq!((status, patched["summary"].clone()), (StatusCode::OK, json!("Swim")));
    let (status, _) = control(
        &sim.base_url,
        Method::DELETE,
        &format!("/calendars/lin%40example.com/events/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, events) = control(&sim.base_url, Method::GET, "/calendars/lin%40example.com/events", None).await;
    assert_eq!(events[0]["status"], "cancelled");

    let bad = json!({"summary": "No end", "start": {"dateTime": "2026-03-02T07:00:00Z"}});
    let (status, error) = control(
        &sim.base_url,
        Method::POST,
        "/calendars/lin%40example.com/events",
        Some(bad),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["error"].as_str().unwrap().contains("required"));
    let (status, _) = control(
        &sim.base_url,
        Method::GET,
        "/calendars/nobody%40example.com/events",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_shared_calendar_appears_on_the_other_users_calendar_list_with_its_role() {
    let sim = start().await;
    control(
        &sim.base_url,
        Method::POST,
        "/users",
        Some(json!({"email": "boss@example.com"})),
    )
    .await;
    let (status, _) = control(
        &sim.base_url,
        Method::PUT,
        "/calendars/boss%40example.com/shares/host%40example.com",
        Some(json!({"role": "writer"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let token = access_token(&sim).await;
    let (_, _, list) = api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(list["items"][1]["id"], "boss@example.com");
    assert_eq!(list["items"][1]["accessRole"], "writer");
    let event = json!({"start": {"dateTime": "2026-03-02T07:00:00Z"}, "end": {"dateTime": "2026-03-02T08:00:00Z"}});
    let (status, _, _) = api(
        &sim,
        &token,
        Method::POST,
        "/calendars/boss%40example.com/events",
        Some(event),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn tokens_can_be_listed_expired_and_revoked_over_http() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let (_, listed) = control(&sim.base_url, Method::GET, "/tokens", None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let (_, expired) = control(&sim.base_url, Method::POST, "/tokens/expire", None).await;
    assert_eq!(expired, json!({"expired": 1}));
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        api(&sim, access, Method::GET, "/users/me/calendarList", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, revoked) = control(
        &sim.base_url,
        Method::POST,
        "/tokens/revoke",
        Some(json!({"user": "host@example.com"})),
    )
    .await;
    assert_eq!(revoked, json!({"revoked": 1}), "only the refresh token was still live");
    assert_eq!(
        flow(&sim)
            .refresh(tokens["refresh_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_clock_config_and_sync_tokens_can_be_controlled_over_http() {
    let sim = start().await;
    let before = sim.control.now();
    let (_, advanced) = control(
        &sim.base_url,
        Method::POST,
        "/clock/advance",
        Some(json!({"seconds": 3600})),
    )
    .await;
    let now: chrono::DateTime<chrono::Utc> = serde_json::from_value(advanced["now"].clone()).unwrap();
    assert!(now - before >= chrono::TimeDelta::seconds(3600));

    let (status, _) = control(
        &sim.base_url,
        Method::PATCH,
        "/config",
        Some(json!({"events_page_size": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(sim.control.config().events_page_size, 1);

    let token = access_token(&sim).await;
    let (_, _, listed) = api(&sim, &token, Method::GET, "/calendars/primary/events", None).await;
    assert!(listed["nextSyncToken"].is_string());
    let (_, invalidated) = control(&sim.base_url, Method::POST, "/sync-tokens/invalidate", None).await;
    assert_eq!(invalidated, json!({"invalidated": 1}));
}

#[tokio::test]
async fn a_registered_client_can_complete_the_flow() {
    let sim = start().await;
    let client = json!({"client_id": "other.apps.googleusercontent.com", "client_secret": "s", "name": "Other App"});
    assert_eq!(
        control(&sim.base_url, Method::POST, "/clients", Some(client)).await.0,
        StatusCode::NO_CONTENT
    );
    let url = format!(
        "{}?client_id=other.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&response_type=code&scope={}",
        sim.endpoints().authorize,
        google_sim::scope::CALENDAR
    );
    let html = http().get(url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Other App wants access"));
}
