//! Google's own `/_control` routes, as a test running the binary would use them: sharing
//! calendars, changing events as their owner, Meet's behaviour and the conference types a
//! calendar offers, revoking tokens, channels and sync tokens. The routes every simulator serves
//! are tested on `sim-support`'s toy simulator.

mod common;

use common::*;
use google_sim::UserSpec;
use reqwest::StatusCode;
use serde_json::json;
use sim_support::testing::ControlClient;

#[tokio::test]
async fn events_can_be_moved_patched_and_deleted_as_their_owner_over_http() {
    let sim = start().await;
    let control = ControlClient::new(&sim.base_url);
    let lin = UserSpec::new("lin@example.com").time_zone("Asia/Tokyo");
    sim.control.add_user(lin).unwrap();
    let event = json!({"summary": "Gym", "start": {"dateTime": "2026-03-02T07:00:00+09:00"},
        "end": {"dateTime": "2026-03-02T08:00:00+09:00"}});
    let created = sim.control.insert_event("lin@example.com", event).unwrap();
    let path = format!(
        "/calendars/lin%40example.com/events/{}",
        created["id"].as_str().unwrap()
    );

    let moved = json!({"start": "2026-03-02T01:00:00Z", "end": "2026-03-02T02:00:00Z"});
    let (status, after_move) = control.post(&format!("{path}/move"), moved).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        after_move["start"]["dateTime"], "2026-03-02T10:00:00+09:00",
        "in the calendar's zone"
    );
    let (status, patched) = control.patch(&path, json!({"summary": "Swim"})).await;
    assert_eq!((status, patched["summary"].clone()), (StatusCode::OK, json!("Swim")));
    assert_eq!(control.delete(&path).await.0, StatusCode::NO_CONTENT);
    let events = sim.control.events("lin@example.com").unwrap();
    assert_eq!(events[0]["status"], "cancelled");
    let (status, _) = control
        .patch("/calendars/lin%40example.com/events/nope", json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_shared_calendar_appears_on_the_other_users_calendar_list_with_its_role() {
    let sim = start().await;
    sim.control.add_user(UserSpec::new("boss@example.com")).unwrap();
    let share = "/calendars/boss%40example.com/shares/host%40example.com";
    let (status, _) = ControlClient::new(&sim.base_url)
        .put(share, json!({"role": "writer"}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let token = access_token(&sim).await;
    let (_, _, list) = api(&sim, &token, reqwest::Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(list["items"][1]["id"], "boss@example.com");
    assert_eq!(list["items"][1]["accessRole"], "writer");
    let event = json!({"start": {"dateTime": "2026-03-02T07:00:00Z"}, "end": {"dateTime": "2026-03-02T08:00:00Z"}});
    let (status, _, _) = api(
        &sim,
        &token,
        reqwest::Method::POST,
        "/calendars/boss%40example.com/events",
        Some(event),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_token_or_a_users_grants_can_be_revoked_over_http() {
    let sim = start().await;
    let control = ControlClient::new(&sim.base_url);
    let first = flow(&sim).connect(&all_scopes()).await;
    let (_, revoked) = control
        .post("/tokens/revoke", json!({"token": first["access_token"]}))
        .await;
    assert_eq!(revoked, json!({"revoked": 1}), "the access token's family dies");
    let refresh = first["refresh_token"].as_str().unwrap();
    assert_eq!(flow(&sim).refresh(refresh).await.status(), StatusCode::BAD_REQUEST);

    let second = flow(&sim).connect(&all_scopes()).await;
    sim.control.expire_access_tokens(None);
    let (_, revoked) = control
        .post("/tokens/revoke", json!({"user": "host@example.com"}))
        .await;
    assert_eq!(revoked, json!({"revoked": 1}), "only the refresh token was still live");
    let refresh = second["refresh_token"].as_str().unwrap();
    assert_eq!(flow(&sim).refresh(refresh).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(control.post_empty("/tokens/revoke").await.1, json!({"revoked": 0}));
}

#[tokio::test]
async fn channels_are_listed_and_sync_tokens_invalidated_over_http() {
    let (sim, token) = connected().await;
    let control = ControlClient::new(&sim.base_url);
    let (_, _, listed) = api(&sim, &token, reqwest::Method::GET, "/calendars/primary/events", None).await;
    assert!(listed["nextSyncToken"].is_string());
    let (_, invalidated) = control
        .post("/sync-tokens/invalidate", json!({"calendarId": "someone@example.com"}))
        .await;
    assert_eq!(invalidated, json!({"invalidated": 0}));
    let (_, invalidated) = control.post_empty("/sync-tokens/invalidate").await;
    assert_eq!(invalidated, json!({"invalidated": 1}));
    assert_eq!(control.get("/channels").await, (StatusCode::OK, json!([])));
}

#[tokio::test]
async fn meet_behaviour_calendar_conference_types_and_the_conferences_made_are_controlled_over_http() {
    let (sim, token) = connected().await;
    let control = ControlClient::new(&sim.base_url);
    let conferencing = "/users/host%40example.com/conferencing";
    assert_eq!(
        control.get(conferencing).await,
        (StatusCode::OK, json!({"mode": "success"}))
    );
    let pending = json!({"mode": "pending", "reads": 1});
    assert_eq!(
        control.put(conferencing, pending.clone()).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(control.get(conferencing).await.1, pending);
    let (status, _) = control
        .put("/users/nobody%40example.com/conferencing", json!({"mode": "failure"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = control.put(conferencing, json!({"mode": "sometimes"})).await;
    assert!(status.is_client_error(), "an unknown mode is refused: {status}");

    let event = json!({"start": {"dateTime": "2026-03-02T07:00:00Z"}, "end": {"dateTime": "2026-03-02T08:00:00Z"},
        "conferenceData": {"createRequest": {"requestId": "r1", "conferenceSolutionKey": {"type": "hangoutsMeet"}}}});
    let path = "/calendars/primary/events?conferenceDataVersion=1";
    let (_, _, created) = api(&sim, &token, reqwest::Method::POST, path, Some(event.clone())).await;
    assert_eq!(
        created["conferenceData"]["createRequest"]["status"]["statusCode"], "pending",
        "the mode set over HTTP applies"
    );
    let (status, made) = control.get("/conferences").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(made.as_array().unwrap().len(), 1);
    assert_eq!(made[0]["account"], "host@example.com");
    assert_eq!(made[0]["calendarId"], "host@example.com");
    assert_eq!(made[0]["eventId"], created["id"]);
    assert!(
        made[0]["joinUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://meet.google.com/")
    );

    let types = "/calendars/host%40example.com/conference-types";
    let (status, _) = control.put(types, json!({"allowedConferenceSolutionTypes": []})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = api(&sim, &token, reqwest::Method::POST, path, Some(event)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "Meet is now off for the calendar");
    let (status, _) = control
        .put(types, json!({"allowedConferenceSolutionTypes": ["zoom"]}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = control
        .put(
            "/calendars/nope/conference-types",
            json!({"allowedConferenceSolutionTypes": []}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
