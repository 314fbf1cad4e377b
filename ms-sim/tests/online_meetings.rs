//! Teams meetings created with events: `isOnlineMeeting` on create and update, the join URL that
//! stays, calendars' online-meeting providers, and an account whose Teams is unavailable (a
//! Skype link instead) or failing (no link at all).

mod common;

use common::*;
use ms_sim::{DEFAULT_USER, Running, SimError, TeamsMode};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const TEAMS_LINK: &str = "https://teams.microsoft.com/l/meetup-join/";

/// A meeting on 2026-03-15, 09:00–09:30 UTC, asking for a Teams meeting.
fn teams_meeting(subject: &str) -> Value {
    let mut event = meeting(subject, "09:00", "09:30", "UTC");
    event["isOnlineMeeting"] = json!(true);
    event["onlineMeetingProvider"] = json!("teamsForBusiness");
    event
}

fn join_url(event: &Value) -> &str {
    event["onlineMeeting"]["joinUrl"].as_str().unwrap_or("")
}

async fn patch(sim: &Running, token: &str, id: &str, body: Value) -> Value {
    let (status, _, event) = graph(sim, token, Method::PATCH, &format!("/me/events/{id}"), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{event}");
    event
}

async fn get(sim: &Running, token: &str, id: &str) -> Value {
    let (status, _, event) = graph(sim, token, Method::GET, &format!("/me/events/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{event}");
    event
}

fn id(event: &Value) -> &str {
    event["id"].as_str().expect("an event id")
}

#[tokio::test]
async fn an_event_created_as_a_teams_meeting_carries_its_own_join_url() {
    let (sim, token) = connected().await;
    let first = create(&sim, &token, teams_meeting("Intro")).await;
    assert_eq!(first["isOnlineMeeting"], true);
    assert_eq!(first["onlineMeetingProvider"], "teamsForBusiness");
    assert!(join_url(&first).starts_with(TEAMS_LINK), "{first}");
    assert!(first["onlineMeeting"]["conferenceId"].is_string());
    assert_eq!(first["onlineMeetingUrl"], Value::Null);
    assert!(first.as_object().unwrap().contains_key("onlineMeetingUrl"));

    let path = format!("/me/calendars/{}/events", default_calendar(&sim));
    let (status, _, second) = graph(&sim, &token, Method::POST, &path, Some(teams_meeting("Follow-up"))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(join_url(&second).starts_with(TEAMS_LINK));
    assert_ne!(join_url(&second), join_url(&first), "each event has its own meeting");
    assert_eq!(sim.control.conferences_created(DEFAULT_USER), 2);
    let made = sim.control.event_conferences(&default_calendar(&sim), id(&first));
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].join_url, join_url(&first));
}

#[tokio::test]
async fn an_event_without_the_flag_is_not_an_online_meeting() {
    let (sim, token) = connected().await;
    let mut event = meeting("Lunch", "12:00", "13:00", "UTC");
    event["onlineMeetingProvider"] = json!("teamsForBusiness");
    let created = create(&sim, &token, event).await;
    assert_eq!(created["isOnlineMeeting"], false);
    assert_eq!(created["onlineMeetingProvider"], "unknown");
    assert_eq!(created["onlineMeeting"], Value::Null);
    assert!(created.as_object().unwrap().contains_key("onlineMeeting"));
    assert_eq!(sim.control.conferences_created(DEFAULT_USER), 0);
}

#[tokio::test]
async fn an_update_makes_an_event_a_meeting_and_later_updates_keep_its_join_url() {
    let (sim, token) = connected().await;
    let created = create(&sim, &token, meeting("Intro", "09:00", "09:30", "UTC")).await;
    let event_id = id(&created);
    let online = json!({"isOnlineMeeting": true, "onlineMeetingProvider": "teamsForBusiness"});
    let turned_on = patch(&sim, &token, event_id, online.clone()).await;
    let url = join_url(&turned_on).to_owned();
    assert!(url.starts_with(TEAMS_LINK), "{turned_on}");

    let later = json!({"start": {"dateTime": "2026-03-16T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-03-16T10:30:00", "timeZone": "UTC"}});
    let moved = patch(&sim, &token, event_id, later).await;
    assert_eq!(moved["start"]["dateTime"], "2026-03-16T10:00:00.0000000");
    assert_eq!(join_url(&moved), url, "a new start keeps the meeting");
    assert_eq!(
        join_url(&patch(&sim, &token, event_id, online).await),
        url,
        "asked again"
    );
    let off = patch(&sim, &token, event_id, json!({"isOnlineMeeting": false})).await;
    assert_eq!(
        (off["isOnlineMeeting"].clone(), join_url(&off)),
        (json!(true), url.as_str()),
        "Outlook ignores later changes to isOnlineMeeting"
    );
    assert_eq!(join_url(&get(&sim, &token, event_id).await), url);
    let start = "2026-03-17T10:00:00Z".parse().unwrap();
    let end = "2026-03-17T10:30:00Z".parse().unwrap();
    let by_user = sim.control.move_event(event_id, start, end).unwrap();
    assert_eq!(join_url(&by_user), url, "moved in Outlook, too");
    assert_eq!(sim.control.conferences_created(DEFAULT_USER), 1);
}

#[tokio::test]
async fn calendar_view_and_delta_show_the_same_meeting_as_a_get() {
    let (sim, token) = connected().await;
    let created = create(&sim, &token, teams_meeting("Intro")).await;
    let window = "startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z";
    let (_, _, view) = graph(&sim, &token, Method::GET, &format!("/me/calendarView?{window}"), None).await;
    let (_, _, delta) = graph(
        &sim,
        &token,
        Method::GET,
        &format!("/me/calendarView/delta?{window}"),
        None,
    )
    .await;
    let fetched = get(&sim, &token, id(&created)).await;
    for (read, event) in [
        ("get", &fetched),
        ("calendarView", &view["value"][0]),
        ("delta", &delta["value"][0]),
    ] {
        for field in [
            "isOnlineMeeting",
            "onlineMeetingProvider",
            "onlineMeeting",
            "onlineMeetingUrl",
        ] {
            assert_eq!(event[field], created[field], "{read} {field}");
        }
    }
}

#[tokio::test]
async fn calendars_offer_teams_unless_the_account_has_none_then_skype_for_consumer() {
    let (sim, token) = connected().await;
    let (_, _, calendars) = graph(&sim, &token, Method::GET, "/me/calendars", None).await;
    assert_eq!(
        calendars["value"][0]["allowedOnlineMeetingProviders"],
        json!(["teamsForBusiness"])
    );
    assert_eq!(
        calendars["value"][0]["defaultOnlineMeetingProvider"],
        "teamsForBusiness"
    );
    sim.control
        .set_conferencing(DEFAULT_USER, TeamsMode::Unavailable)
        .unwrap();
    let (_, _, calendar) = graph(&sim, &token, Method::GET, "/me/calendar", None).await;
    assert_eq!(calendar["allowedOnlineMeetingProviders"], json!(["skypeForConsumer"]));
    assert_eq!(calendar["defaultOnlineMeetingProvider"], "skypeForConsumer");
}

#[tokio::test]
async fn asking_for_teams_without_teams_makes_a_skype_meeting_instead() {
    let (sim, token) = connected().await;
    sim.control
        .set_conferencing(DEFAULT_USER, TeamsMode::Unavailable)
        .unwrap();
    let created = create(&sim, &token, teams_meeting("Intro")).await;
    assert_eq!(created["isOnlineMeeting"], true);
    assert_eq!(created["onlineMeetingProvider"], "skypeForConsumer");
    assert!(join_url(&created).starts_with("https://join.skype.com/"), "{created}");
    assert_eq!(created["onlineMeeting"]["conferenceId"], Value::Null);
}

#[tokio::test]
async fn failing_teams_creates_the_event_without_a_join_url_and_an_update_can_ask_again() {
    let (sim, token) = connected().await;
    sim.control.set_conferencing(DEFAULT_USER, TeamsMode::Failing).unwrap();
    let created = create(&sim, &token, teams_meeting("Intro")).await;
    assert_eq!(created["isOnlineMeeting"], true);
    assert_eq!(created["onlineMeetingProvider"], "teamsForBusiness");
    assert_eq!(created["onlineMeeting"], Value::Null);
    assert_eq!(sim.control.conferences_created(DEFAULT_USER), 0);

    sim.control
        .set_conferencing(DEFAULT_USER, TeamsMode::Available)
        .unwrap();
    let event_id = id(&created);
    let renamed = patch(&sim, &token, event_id, json!({"subject": "Renamed"})).await;
    assert_eq!(renamed["onlineMeeting"], Value::Null, "nothing asked, nothing made");
    let retried = patch(&sim, &token, event_id, json!({"isOnlineMeeting": true})).await;
    assert!(join_url(&retried).starts_with(TEAMS_LINK), "{retried}");
    assert_eq!(sim.control.conferences_created(DEFAULT_USER), 1);
}

#[tokio::test]
async fn a_create_retried_with_its_transaction_id_makes_one_meeting() {
    let (sim, token) = connected().await;
    let mut event = teams_meeting("Intro");
    event["transactionId"] = json!("booking-42");
    let first = create(&sim, &token, event.clone()).await;
    let retried = create(&sim, &token, event).await;
    assert_eq!((id(&retried), join_url(&retried)), (id(&first), join_url(&first)));
    assert_eq!(sim.control.conferences_created(DEFAULT_USER), 1);
}

#[tokio::test]
async fn an_unknown_online_meeting_provider_or_a_non_boolean_flag_is_unreadable() {
    let (sim, token) = connected().await;
    let mut event = teams_meeting("Intro");
    event["onlineMeetingProvider"] = json!("zoom");
    let (status, _, error) = graph(&sim, &token, Method::POST, "/me/events", Some(event)).await;
    assert_eq!((status, code(&error)), (StatusCode::BAD_REQUEST, "RequestBodyRead"));
    let mut event = teams_meeting("Intro");
    event["isOnlineMeeting"] = json!("yes");
    let (status, _, error) = graph(&sim, &token, Method::POST, "/me/events", Some(event)).await;
    assert_eq!((status, code(&error)), (StatusCode::BAD_REQUEST, "RequestBodyRead"));
    assert_eq!(
        sim.control.events(&default_calendar(&sim)).unwrap(),
        Vec::<Value>::new()
    );
}

#[tokio::test]
async fn the_teams_mode_belongs_to_the_organizer_and_only_known_accounts_have_one() {
    let (sim, token) = connected().await;
    sim.control
        .add_user(ms_sim::UserSpec::new("other@example.com"))
        .unwrap();
    sim.control
        .set_conferencing("other@example.com", TeamsMode::Failing)
        .unwrap();
    let created = create(&sim, &token, teams_meeting("Intro")).await;
    assert!(join_url(&created).starts_with(TEAMS_LINK));
    assert_eq!(sim.control.conferencing("OTHER@example.com"), Ok(TeamsMode::Failing));
    let unknown = sim.control.set_conferencing("nobody@example.com", TeamsMode::Failing);
    assert_eq!(unknown, Err(SimError::UnknownUser("nobody@example.com".into())));
}
