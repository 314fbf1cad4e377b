//! The calendar list and free/busy queries.

mod common;

use common::*;
use google_sim::{AccessRole, NewCalendar, SimError, UserSpec};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_calendar_list_shows_the_primary_calendar_and_the_ones_created_for_the_user() {
    let sim = start().await;
    let work = sim
        .control
        .add_calendar(
            "host@example.com",
            NewCalendar {
                summary: "Work".into(),
                time_zone: Some("Europe/Berlin".into()),
                id: None,
            },
        )
        .unwrap();
    let token = access_token(&sim).await;
    let (status, _, body) = api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["kind"], "calendar#calendarList");
    assert!(body["nextSyncToken"].is_string());
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], "host@example.com");
    assert_eq!(items[0]["primary"], true);
    assert_eq!(items[0]["accessRole"], "owner");
    assert_eq!(items[1]["id"], work.id.as_str());
    assert_eq!(items[1]["summary"], "Work");
    assert_eq!(items[1]["timeZone"], "Europe/Berlin");
    assert!(
        items[1].get("primary").is_none(),
        "primary is present only on the primary calendar"
    );
}

#[tokio::test]
async fn an_account_added_by_a_test_gets_a_primary_calendar_whose_zone_new_calendars_inherit() {
    let sim = start().await;
    let lin = UserSpec::new("lin@example.com").time_zone("Asia/Tokyo");
    let primary = serde_json::to_value(sim.control.add_user(lin).unwrap()).unwrap();
    assert_eq!(
        primary,
        json!({"id": "lin@example.com", "summary": "lin@example.com", "timeZone": "Asia/Tokyo", "owner": "lin@example.com"})
    );
    let team = NewCalendar {
        summary: "Team".into(),
        ..NewCalendar::default()
    };
    assert_eq!(
        sim.control.add_calendar("lin@example.com", team).unwrap().time_zone,
        "Asia/Tokyo"
    );
    assert_eq!(
        sim.control.add_user(UserSpec::new("LIN@example.com")),
        Err(SimError::AlreadyExists("LIN@example.com".into()))
    );
    let no_end = json!({"summary": "No end", "start": {"dateTime": "2026-03-02T07:00:00Z"}});
    let refused = sim.control.insert_event("lin@example.com", no_end).unwrap_err();
    assert!(matches!(refused, SimError::Rejected { status: 400, .. }), "{refused}");
}

#[tokio::test]
async fn the_calendar_list_pages_and_filters_by_minimum_access_role() {
    let sim = start().await;
    sim.control.add_user(UserSpec::new("colleague@example.com")).unwrap();
    sim.control
        .share_calendar("colleague@example.com", "host@example.com", AccessRole::Reader)
        .unwrap();
    let token = access_token(&sim).await;
    let (_, _, first) = api(&sim, &token, Method::GET, "/users/me/calendarList?maxResults=1", None).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let next = first["nextPageToken"].as_str().unwrap();
    let (_, _, second) = api(
        &sim,
        &token,
        Method::GET,
        &format!("/users/me/calendarList?maxResults=1&pageToken={next}"),
        None,
    )
    .await;
    assert_eq!(second["items"][0]["id"], "colleague@example.com");
    assert_eq!(second["items"][0]["accessRole"], "reader");
    let (_, _, owners) = api(
        &sim,
        &token,
        Method::GET,
        "/users/me/calendarList?minAccessRole=owner",
        None,
    )
    .await;
    assert_eq!(owners["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn free_busy_reflects_inserted_events_merged_and_clipped_to_the_window() {
    let (sim, token) = connected().await;
    for (start, end) in [
        ("09:00", "10:00"),
        ("09:30", "11:00"),
        ("13:00", "14:00"),
        ("07:00", "08:30"),
    ] {
        let event = json!({
            "summary": "Busy",
            "start": {"dateTime": format!("2026-03-02T{start}:00Z")},
            "end": {"dateTime": format!("2026-03-02T{end}:00Z")},
        });
        let (status, _, _) = insert(&sim, &token, event).await;
        assert_eq!(status, StatusCode::OK);
    }
    // Free time: transparent events and cancelled ones do not block.
    let free = json!({"transparency": "transparent", "start": {"dateTime": "2026-03-02T15:00:00Z"}, "end": {"dateTime": "2026-03-02T16:00:00Z"}});
    insert(&sim, &token, free).await;
    let (_, _, cancelled) = insert(
        &sim,
        &token,
        json!({
            "start": {"dateTime": "2026-03-02T17:00:00Z"}, "end": {"dateTime": "2026-03-02T18:00:00Z"}
        }),
    )
    .await;
    let id = cancelled["id"].as_str().unwrap();
    delete(&sim, &token, id).await;

    let query = json!({"timeMin": "2026-03-02T08:00:00Z", "timeMax": "2026-03-03T00:00:00Z", "items": [{"id": "host@example.com"}, {"id": "nobody@example.com"}]});
    let (status, _, body) = api(&sim, &token, Method::POST, "/freeBusy", Some(query)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["kind"], "calendar#freeBusy");
    assert_eq!(
        body["calendars"]["host@example.com"]["busy"],
        json!([
            {"start": "2026-03-02T08:00:00Z", "end": "2026-03-02T08:30:00Z"},
            {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T11:00:00Z"},
            {"start": "2026-03-02T13:00:00Z", "end": "2026-03-02T14:00:00Z"},
        ])
    );
    assert_eq!(
        body["calendars"]["nobody@example.com"],
        json!({"errors": [{"domain": "global", "reason": "notFound"}], "busy": []})
    );
}

#[tokio::test]
async fn free_busy_answers_in_the_requested_time_zone_and_sees_events_the_user_added() {
    let sim = start().await;
    sim.control
        .insert_event(
            "host@example.com",
            json!({
                "start": {"dateTime": "2026-07-01T09:00:00", "timeZone": "America/New_York"},
                "end": {"dateTime": "2026-07-01T10:00:00", "timeZone": "America/New_York"},
            }),
        )
        .unwrap();
    let token = access_token(&sim).await;
    let query = json!({"timeMin": "2026-07-01T00:00:00Z", "timeMax": "2026-07-02T00:00:00Z", "timeZone": "Europe/Berlin", "items": [{"id": "primary"}]});
    let (_, _, body) = api(&sim, &token, Method::POST, "/freeBusy", Some(query)).await;
    assert_eq!(
        body["calendars"]["primary"]["busy"],
        json!([{"start": "2026-07-01T15:00:00+02:00", "end": "2026-07-01T16:00:00+02:00"}])
    );
}

#[tokio::test]
async fn free_busy_rejects_an_empty_time_range() {
    let (sim, token) = connected().await;
    let query =
        json!({"timeMin": "2026-03-02T10:00:00Z", "timeMax": "2026-03-02T10:00:00Z", "items": [{"id": "primary"}]});
    let (status, _, body) = api(&sim, &token, Method::POST, "/freeBusy", Some(query)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reason(&body), "timeRangeEmpty");
}

#[tokio::test]
async fn free_busy_rejects_a_window_longer_than_the_configured_limit() {
    let (sim, token) = connected().await;
    let query =
        json!({"timeMin": "2026-01-01T00:00:00Z", "timeMax": "2026-06-01T00:00:00Z", "items": [{"id": "primary"}]});
    let (status, _, body) = api(&sim, &token, Method::POST, "/freeBusy", Some(query)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reason(&body), "timeRangeTooLong");
}
