//! Meet conferences created with events: `requestId` idempotency, the account's Meet answering
//! `success`, `pending` or `failure`, calendars without Meet, and every read showing the same
//! `conferenceData` and `hangoutLink`.

mod common;

use common::*;
use google_sim::{ConferenceMode, Running, SimError};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sim_support::testing::Inbox;

const HOST: &str = "host@example.com";

fn meeting() -> Value {
    json!({
        "summary": "Intro call",
        "start": {"dateTime": "2026-03-02T09:00:00Z"},
        "end": {"dateTime": "2026-03-02T09:30:00Z"},
    })
}

fn create_request(request_id: &str) -> Value {
    json!({"createRequest": {"requestId": request_id, "conferenceSolutionKey": {"type": "hangoutsMeet"}}})
}

/// A meeting asking for a Meet conference with `request_id`.
fn meeting_with_meet(request_id: &str) -> Value {
    let mut event = meeting();
    event["conferenceData"] = create_request(request_id);
    event
}

fn status_code(event: &Value) -> &str {
    event["conferenceData"]["createRequest"]["status"]["statusCode"]
        .as_str()
        .unwrap_or("")
}

fn link(event: &Value) -> &str {
    event["hangoutLink"].as_str().unwrap_or("")
}

/// Inserts into the primary calendar with `conferenceDataVersion=1`.
async fn insert_v1(sim: &Running, token: &str, event: Value) -> (StatusCode, Value) {
    let path = "/calendars/primary/events?conferenceDataVersion=1";
    let (status, _, body) = api(sim, token, Method::POST, path, Some(event)).await;
    (status, body)
}

/// Patches an event of the primary calendar with the raw `query`.
async fn patch(sim: &Running, token: &str, id: &str, query: &str, body: Value) -> Value {
    let path = format!("/calendars/primary/events/{id}?{query}");
    let (status, _, event) = api(sim, token, Method::PATCH, &path, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{event}");
    event
}

async fn get(sim: &Running, token: &str, id: &str) -> Value {
    let path = format!("/calendars/primary/events/{id}");
    let (status, _, event) = api(sim, token, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{event}");
    event
}

fn id(event: &Value) -> String {
    event["id"].as_str().expect("an event id").to_owned()
}

#[tokio::test]
async fn a_successful_conference_has_its_id_entry_point_and_hangout_link_at_once() {
    let (sim, token) = connected().await;
    let (status, event) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    assert_eq!(status, StatusCode::OK);
    let data = &event["conferenceData"];
    assert_eq!(data["createRequest"]["requestId"], "booking-1");
    assert_eq!(status_code(&event), "success");
    assert_eq!(data["conferenceSolution"]["key"]["type"], "hangoutsMeet");
    let code = data["conferenceId"].as_str().unwrap();
    let uri = format!("https://meet.google.com/{code}");
    assert_eq!(data["entryPoints"][0]["entryPointType"], "video");
    assert_eq!(data["entryPoints"][0]["uri"], uri.as_str());
    assert_eq!(link(&event), uri);
    let made = sim.control.conferences();
    assert_eq!(made.len(), 1);
    assert_eq!(
        (
            made[0].account.as_str(),
            made[0].event_id.as_str(),
            made[0].join_url.as_str()
        ),
        (HOST, id(&event).as_str(), uri.as_str())
    );
}

#[tokio::test]
async fn a_repeated_request_id_is_ignored_and_a_new_one_makes_a_new_conference() {
    let (sim, token) = connected().await;
    let (_, first) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let event_id = id(&first);
    let body = json!({"conferenceData": create_request("booking-1")});
    let retried = patch(&sim, &token, &event_id, "conferenceDataVersion=1", body).await;
    assert_eq!(link(&retried), link(&first), "the same request id keeps the conference");
    assert_eq!(retried["conferenceData"], first["conferenceData"]);
    assert_eq!(sim.control.conferences_created(HOST), 1);

    let body = json!({"conferenceData": create_request("booking-1-again")});
    let renewed = patch(&sim, &token, &event_id, "conferenceDataVersion=1", body).await;
    assert_eq!(
        renewed["conferenceData"]["createRequest"]["requestId"],
        "booking-1-again"
    );
    assert!(link(&renewed).starts_with("https://meet.google.com/"));
    assert_ne!(link(&renewed), link(&first), "a new request id makes a new conference");
    assert_ne!(
        renewed["conferenceData"]["conferenceId"],
        first["conferenceData"]["conferenceId"]
    );
    let for_event = sim.control.event_conferences(HOST, &event_id);
    assert_eq!(for_event.len(), 2);
    assert_eq!(for_event[1].join_url, link(&renewed));
}

#[tokio::test]
async fn conference_data_without_version_1_neither_creates_nor_changes_a_conference() {
    let (sim, token) = connected().await;
    let (_, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let event_id = id(&created);
    let body = json!({"conferenceData": create_request("booking-2"), "summary": "Renamed"});
    let patched = patch(&sim, &token, &event_id, "", body).await;
    assert_eq!(patched["summary"], "Renamed");
    assert_eq!(patched["conferenceData"], created["conferenceData"]);
    assert_eq!(link(&patched), link(&created));

    let mut replacement = meeting_with_meet("booking-3");
    replacement["summary"] = json!("Replaced");
    let path = format!("/calendars/primary/events/{event_id}");
    let (status, _, updated) = api(&sim, &token, Method::PUT, &path, Some(replacement)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["summary"], "Replaced");
    assert_eq!(
        link(&updated),
        link(&created),
        "an update without version 1 keeps it too"
    );
    assert_eq!(sim.control.conferences_created(HOST), 1);
}

#[tokio::test]
async fn a_full_update_with_version_1_and_no_conference_data_removes_the_conference() {
    let (sim, token) = connected().await;
    let (_, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let path = format!("/calendars/primary/events/{}?conferenceDataVersion=1", id(&created));
    let (status, _, updated) = api(&sim, &token, Method::PUT, &path, Some(meeting())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(updated.get("conferenceData").is_none(), "{updated}");
    assert!(updated.get("hangoutLink").is_none());
}

#[tokio::test]
async fn moving_an_event_keeps_its_meet_link() {
    let (sim, token) = connected().await;
    let (_, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let event_id = id(&created);
    let later = json!({"start": {"dateTime": "2026-03-03T09:00:00Z"}, "end": {"dateTime": "2026-03-03T09:30:00Z"}});
    let moved = patch(&sim, &token, &event_id, "conferenceDataVersion=1", later).await;
    assert_eq!(moved["start"]["dateTime"], "2026-03-03T09:00:00Z");
    assert_eq!(moved["conferenceData"], created["conferenceData"]);
    assert_eq!(link(&moved), link(&created));

    let start = "2026-03-04T09:00:00Z".parse().unwrap();
    let end = "2026-03-04T09:30:00Z".parse().unwrap();
    let by_user = sim.control.move_event(HOST, &event_id, start, end).unwrap();
    assert_eq!(link(&by_user), link(&created), "moved in Google Calendar, too");
    assert_eq!(sim.control.conferences_created(HOST), 1);
}

#[tokio::test]
async fn get_list_and_incremental_sync_show_the_same_conference() {
    let (sim, token) = connected().await;
    let (_, _, listed) = list(&sim, &token, "").await;
    let sync_token = listed["nextSyncToken"].as_str().unwrap().to_owned();
    let (_, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let fetched = get(&sim, &token, &id(&created)).await;
    let (_, _, listed) = list(&sim, &token, "").await;
    let query = format!("syncToken={}", urlencode(&sync_token));
    let (_, _, synced) = list(&sim, &token, &query).await;
    for (read, event) in [
        ("get", &fetched),
        ("list", &listed["items"][0]),
        ("sync", &synced["items"][0]),
    ] {
        assert_eq!(event["conferenceData"], created["conferenceData"], "{read}");
        assert_eq!(event["hangoutLink"], created["hangoutLink"], "{read}");
    }
}

fn urlencode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}

#[tokio::test]
async fn a_pending_conference_has_no_link_until_the_event_has_been_read_enough_times() {
    let (sim, token) = connected().await;
    sim.control
        .set_conferencing(HOST, ConferenceMode::Pending { reads: 2 })
        .unwrap();
    let (status, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(status_code(&created), "pending");
    let data = created["conferenceData"].as_object().unwrap();
    for absent in ["entryPoints", "conferenceId", "conferenceSolution"] {
        assert!(!data.contains_key(absent), "{absent} while pending");
    }
    assert!(created.get("hangoutLink").is_none());

    let event_id = id(&created);
    for read in 1..=2 {
        let fetched = get(&sim, &token, &event_id).await;
        assert_eq!(status_code(&fetched), "pending", "read {read}");
        assert!(fetched.get("hangoutLink").is_none(), "read {read}");
    }
    let ready = get(&sim, &token, &event_id).await;
    assert_eq!(status_code(&ready), "success");
    assert_eq!(link(&ready), sim.control.conferences()[0].join_url);
    assert!(ready["conferenceData"]["entryPoints"][0]["uri"].is_string());
    assert_ne!(ready["etag"], created["etag"], "becoming ready changes the event");
    let (_, _, listed) = list(&sim, &token, "").await;
    assert_eq!(link(&listed["items"][0]), link(&ready));
}

#[tokio::test]
async fn a_conference_that_becomes_ready_is_reported_by_the_next_incremental_sync() {
    let (sim, token) = connected().await;
    sim.control
        .set_conferencing(HOST, ConferenceMode::Pending { reads: 0 })
        .unwrap();
    let (_, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let (_, _, listed) = list(&sim, &token, "").await;
    assert_eq!(status_code(&listed["items"][0]), "pending", "a list is not a get");
    let sync_token = listed["nextSyncToken"].as_str().unwrap().to_owned();
    let ready = get(&sim, &token, &id(&created)).await;
    assert_eq!(status_code(&ready), "success", "reads: 0 is ready on the first get");
    let (_, _, synced) = list(&sim, &token, &format!("syncToken={}", urlencode(&sync_token))).await;
    assert_eq!(synced["items"].as_array().unwrap().len(), 1, "{synced}");
    assert_eq!(link(&synced["items"][0]), link(&ready));
    let next = synced["nextSyncToken"].as_str().unwrap();
    let (_, _, again) = list(&sim, &token, &format!("syncToken={}", urlencode(next))).await;
    assert_eq!(again["items"], json!([]), "the change is reported once");
}

#[tokio::test]
async fn a_conference_becoming_ready_notifies_the_calendars_channels() {
    let (sim, token) = connected().await;
    sim.control
        .set_conferencing(HOST, ConferenceMode::Pending { reads: 0 })
        .unwrap();
    let (_, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let inbox = Inbox::start("/google/notifications", &[]).await;
    let watch = json!({"id": "channel-1", "type": "web_hook", "address": inbox.url});
    let path = "/calendars/primary/events/watch";
    let (status, _, _) = api(&sim, &token, Method::POST, path, Some(watch)).await;
    assert_eq!(status, StatusCode::OK);
    inbox.wait_for(1).await;
    get(&sim, &token, &id(&created)).await;
    let received = inbox.wait_for(2).await;
    assert_eq!(received[1].header("x-goog-resource-state"), "exists");
    get(&sim, &token, &id(&created)).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(inbox.received().len(), 2, "reading a ready conference changes nothing");
}

#[tokio::test]
async fn a_failed_request_never_gets_a_link_and_only_a_new_request_id_asks_again() {
    let (sim, token) = connected().await;
    sim.control.set_conferencing(HOST, ConferenceMode::Failure).unwrap();
    let (status, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    assert_eq!((status, status_code(&created)), (StatusCode::OK, "failure"));
    let event_id = id(&created);
    for _ in 0..3 {
        let fetched = get(&sim, &token, &event_id).await;
        assert_eq!(status_code(&fetched), "failure");
        assert!(fetched.get("hangoutLink").is_none());
        assert!(fetched["conferenceData"].get("entryPoints").is_none());
    }
    assert_eq!(sim.control.conferences_created(HOST), 0);

    sim.control.set_conferencing(HOST, ConferenceMode::Success).unwrap();
    let same = json!({"conferenceData": create_request("booking-1")});
    let repeated = patch(&sim, &token, &event_id, "conferenceDataVersion=1", same).await;
    assert_eq!(status_code(&repeated), "failure", "the failed request id stays failed");
    let new = json!({"conferenceData": create_request("booking-1-retry")});
    let retried = patch(&sim, &token, &event_id, "conferenceDataVersion=1", new).await;
    assert_eq!(status_code(&retried), "success");
    assert!(link(&retried).starts_with("https://meet.google.com/"));
    assert_eq!(sim.control.conferences_created(HOST), 1);
}

#[tokio::test]
async fn the_conference_mode_belongs_to_the_calendars_owner() {
    let (sim, token) = connected().await;
    sim.control
        .add_user(google_sim::UserSpec::new("other@example.com"))
        .unwrap();
    sim.control
        .set_conferencing("other@example.com", ConferenceMode::Failure)
        .unwrap();
    let (_, created) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    assert_eq!(status_code(&created), "success");
    assert_eq!(sim.control.conferencing(HOST), Ok(ConferenceMode::Success));
    let unknown = sim
        .control
        .set_conferencing("nobody@example.com", ConferenceMode::Failure);
    assert_eq!(unknown, Err(SimError::UnknownUser("nobody@example.com".into())));
}

#[tokio::test]
async fn a_calendar_without_meet_says_so_and_refuses_a_meet_request_as_an_invalid_conference_type() {
    let (sim, token) = connected().await;
    sim.control.set_conference_types(HOST, &[]).unwrap();
    let (_, _, calendars) = api(&sim, &token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(
        calendars["items"][0]["conferenceProperties"],
        json!({"allowedConferenceSolutionTypes": []})
    );
    let (status, error) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    assert_eq!((status, reason(&error)), (StatusCode::BAD_REQUEST, "invalid"));
    assert_eq!(error["error"]["message"], "Invalid conference type value.");
    assert_eq!(error["error"]["errors"][0]["domain"], "global");
    assert_eq!(
        sim.control.events(HOST).unwrap(),
        Vec::<Value>::new(),
        "nothing is created"
    );

    let (status, plain) = insert_v1(&sim, &token, meeting()).await;
    assert_eq!(status, StatusCode::OK, "an event without a conference is fine");
    let body = json!({"conferenceData": create_request("booking-2")});
    let path = format!("/calendars/primary/events/{}?conferenceDataVersion=1", id(&plain));
    let (status, _, error) = api(&sim, &token, Method::PATCH, &path, Some(body)).await;
    assert_eq!((status, reason(&error)), (StatusCode::BAD_REQUEST, "invalid"));

    sim.control.set_conference_types(HOST, &["hangoutsMeet"]).unwrap();
    let (status, created) = insert_v1(&sim, &token, meeting_with_meet("booking-3")).await;
    assert_eq!((status, status_code(&created)), (StatusCode::OK, "success"));
}

#[tokio::test]
async fn a_calendar_offering_only_another_solution_refuses_meet_and_types_are_checked() {
    let (sim, token) = connected().await;
    sim.control.set_conference_types(HOST, &["eventHangout"]).unwrap();
    let (status, error) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    assert_eq!((status, reason(&error)), (StatusCode::BAD_REQUEST, "invalid"));
    assert!(matches!(
        sim.control.set_conference_types(HOST, &["zoom"]),
        Err(SimError::Invalid(_))
    ));
    assert!(matches!(
        sim.control.set_conference_types("nope@example.com", &[]),
        Err(SimError::UnknownCalendar(_))
    ));
}

#[tokio::test]
async fn a_create_request_needs_a_request_id() {
    let (sim, token) = connected().await;
    let mut event = meeting();
    event["conferenceData"] = json!({"createRequest": {"conferenceSolutionKey": {"type": "hangoutsMeet"}}});
    let (status, error) = insert_v1(&sim, &token, event).await;
    assert_eq!((status, reason(&error)), (StatusCode::BAD_REQUEST, "required"));
}

#[tokio::test]
async fn conference_data_copied_from_another_event_is_kept_as_sent_with_its_meet_link() {
    let (sim, token) = connected().await;
    let (_, original) = insert_v1(&sim, &token, meeting_with_meet("booking-1")).await;
    let mut copied = original["conferenceData"].clone();
    copied.as_object_mut().unwrap().remove("createRequest");
    let mut event = meeting();
    event["conferenceData"] = copied.clone();
    let (status, copy) = insert_v1(&sim, &token, event).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(copy["conferenceData"], copied);
    assert_eq!(link(&copy), link(&original), "the same Meet, joined by the same link");
    assert_eq!(sim.control.conferences_created(HOST), 1, "copying makes no conference");
}
