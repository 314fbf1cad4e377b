//! Microsoft's own `/_control` routes, as a test running the binary would use them: the
//! directory, events by id, revoking consent and sessions, demanding MFA, Teams behaviour and the
//! meetings made, subscriptions and delta tokens. The routes every simulator serves are tested
//! on `sim-support`'s toy simulator.

mod common;

use common::*;
use ms_sim::UserSpec;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sim_support::testing::ControlClient;

fn encoded(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

#[tokio::test]
async fn the_directory_lists_accounts_with_their_object_id_zone_and_default_calendar() {
    let sim = start().await;
    let lin = UserSpec::new("lin@example.com").time_zone("Tokyo Standard Time");
    let calendar = sim.control.add_user(lin).unwrap();
    assert_eq!(
        (calendar.name.as_str(), calendar.is_default_calendar),
        ("Calendar", true)
    );
    let (status, users) = ControlClient::new(&sim.base_url).get("/users").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(users[1]["email"], "lin@example.com");
    assert_eq!(users[1]["displayName"], "lin");
    assert_eq!(users[1]["timeZone"], "Tokyo Standard Time");
    assert_eq!(users[1]["defaultCalendarId"], calendar.id.as_str());
    assert!(users[1]["id"].as_str().is_some_and(|id| id.len() == 36));
}

#[tokio::test]
async fn events_can_be_read_moved_patched_and_deleted_by_id_over_http() {
    let sim = start().await;
    let control = ControlClient::new(&sim.base_url);
    let calendar = default_calendar(&sim);
    let created = sim
        .control
        .insert_event(&calendar, meeting("Gym", "07:00", "08:00", "Asia/Tokyo"))
        .unwrap();
    assert_eq!(created["start"]["dateTime"], "2026-03-14T22:00:00.0000000");
    let path = format!("/events/{}", encoded(created["id"].as_str().unwrap()));

    assert_eq!(control.get(&path).await, (StatusCode::OK, created));
    let moved = json!({"start": "2026-03-15T01:00:00Z", "end": "2026-03-15T02:00:00Z"});
    let (status, after_move) = control.post(&format!("{path}/move"), moved).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after_move["originalStartTimeZone"], "Asia/Tokyo");
    assert_eq!(after_move["start"]["dateTime"], "2026-03-15T01:00:00.0000000");
    let (_, patched) = control.patch(&path, json!({"subject": "Swim"})).await;
    assert_eq!(patched["subject"], "Swim");
    let backwards = json!({"end": {"dateTime": "2026-03-14T00:00:00", "timeZone": "UTC"}});
    let (status, error) = control.patch(&path, backwards).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error["error"].as_str().unwrap().contains("ErrorInvalidRequest"),
        "{error}"
    );
    assert_eq!(control.delete(&path).await.0, StatusCode::NO_CONTENT);
    assert_eq!(control.get(&path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(sim.control.events(&calendar).unwrap(), Vec::<Value>::new());
}

#[tokio::test]
async fn consent_and_sessions_can_be_revoked_and_mfa_demanded_over_http() {
    let sim = start().await;
    let control = ControlClient::new(&sim.base_url);
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let (_, revoked) = control
        .post("/tokens/revoke", json!({"user": "host@example.com"}))
        .await;
    assert_eq!(revoked, json!({"revoked": 1}));
    let refreshed = flow(&sim).refresh(tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed.json::<Value>().await.unwrap()["error_codes"][0], 65001);

    flow(&sim).connect(&all_scopes()).await;
    let (_, sessions) = control.post_empty("/users/host%40example.com/sessions/revoke").await;
    assert_eq!(sessions, json!({"revoked": 1}));
    let (status, _) = control
        .post_empty("/users/host%40example.com/require-interaction")
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = control
        .post_empty("/users/nobody%40example.com/require-interaction")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn subscriptions_lifecycle_events_and_delta_tokens_can_be_controlled_over_http() {
    let (sim, token) = connected().await;
    let control = ControlClient::new(&sim.base_url);
    let window = "/me/calendarView/delta?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z";
    graph(&sim, &token, Method::GET, window, None).await;
    assert_eq!(
        control.post_empty("/delta-tokens/invalidate").await.1,
        json!({"invalidated": 1})
    );
    assert_eq!(control.get("/subscriptions").await, (StatusCode::OK, json!([])));
    let (status, _) = control
        .post("/subscriptions/nope/lifecycle", json!({"lifecycleEvent": "missed"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn teams_behaviour_and_the_meetings_made_are_controlled_over_http() {
    let (sim, token) = connected().await;
    let control = ControlClient::new(&sim.base_url);
    let conferencing = "/users/host%40example.com/conferencing";
    assert_eq!(
        control.get(conferencing).await,
        (StatusCode::OK, json!({"mode": "available"}))
    );
    let (status, _) = control.put(conferencing, json!({"mode": "unavailable"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(control.get(conferencing).await.1, json!({"mode": "unavailable"}));
    let (status, _) = control
        .put("/users/nobody%40example.com/conferencing", json!({"mode": "failing"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = control.put(conferencing, json!({"mode": "sometimes"})).await;
    assert!(status.is_client_error(), "an unknown mode is refused: {status}");

    let mut event = meeting("Intro", "09:00", "09:30", "UTC");
    event["isOnlineMeeting"] = json!(true);
    event["onlineMeetingProvider"] = json!("teamsForBusiness");
    let created = create(&sim, &token, event).await;
    assert_eq!(
        created["onlineMeetingProvider"], "skypeForConsumer",
        "the mode set over HTTP applies"
    );
    let (status, made) = control.get("/conferences").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(made.as_array().unwrap().len(), 1);
    assert_eq!(made[0]["account"], "host@example.com");
    assert_eq!(made[0]["calendarId"], default_calendar(&sim).as_str());
    assert_eq!(made[0]["eventId"], created["id"]);
    assert_eq!(made[0]["joinUrl"], created["onlineMeeting"]["joinUrl"]);
}
