//! Event create, read, update and delete, including the fields a booking system relies on.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn booking() -> Value {
    json!({
        "summary": "Intro call with Ada",
        "description": "Booked via Rendezvous",
        "start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2026-03-02T09:30:00", "timeZone": "Europe/Berlin"},
        "iCalUID": "booking-42@rendezvous.example",
        "attendees": [{"email": "ada@example.org", "displayName": "Ada"}, {"email": "host@example.com"}],
        "extendedProperties": {"private": {"rendezvousBookingId": "42", "source": "rendezvous"}},
    })
}

#[tokio::test]
async fn an_inserted_event_keeps_its_ical_uid_private_properties_attendees_and_zone() {
    let (sim, token) = connected().await;
    let (status, _, event) = insert(&sim, &token, booking()).await;
    assert_eq!(status, StatusCode::OK, "insert answers 200, not 201");
    assert_eq!(event["kind"], "calendar#event");
    assert_eq!(event["status"], "confirmed");
    assert_eq!(event["iCalUID"], "booking-42@rendezvous.example");
    assert_eq!(event["description"], "Booked via Rendezvous");
    assert_eq!(event["extendedProperties"]["private"]["rendezvousBookingId"], "42");
    assert_eq!(
        event["start"],
        json!({"dateTime": "2026-03-02T09:00:00+01:00", "timeZone": "Europe/Berlin"})
    );
    assert_eq!(event["attendees"][0]["responseStatus"], "needsAction");
    assert_eq!(event["attendees"][1]["self"], true);
    assert_eq!(event["organizer"]["email"], "host@example.com");
    assert!(event["etag"].as_str().unwrap().starts_with('"'));
    let id = event["id"].as_str().unwrap();
    assert!(id.chars().all(|c| matches!(c, 'a'..='v' | '0'..='9')));

    let (status, _, fetched) = api(
        &sim,
        &token,
        Method::GET,
        &format!("/calendars/primary/events/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, event);
}

#[tokio::test]
async fn events_can_be_found_by_ical_uid_and_private_extended_property() {
    let (sim, token) = connected().await;
    insert(&sim, &token, booking()).await;
    let other = json!({"summary": "Other", "start": {"dateTime": "2026-03-03T09:00:00Z"}, "end": {"dateTime": "2026-03-03T10:00:00Z"}});
    insert(&sim, &token, other).await;

    let (_, _, by_uid) = list(&sim, &token, "iCalUID=booking-42%40rendezvous.example").await;
    assert_eq!(by_uid["items"].as_array().unwrap().len(), 1);
    let (_, _, by_property) = list(
        &sim,
        &token,
        "privateExtendedProperty=rendezvousBookingId%3D42&privateExtendedProperty=source%3Drendezvous",
    )
    .await;
    assert_eq!(by_property["items"].as_array().unwrap().len(), 1);
    assert_eq!(by_property["items"][0]["summary"], "Intro call with Ada");
    let (_, _, none) = list(&sim, &token, "privateExtendedProperty=rendezvousBookingId%3D43").await;
    assert_eq!(none["items"], json!([]));
}

#[tokio::test]
async fn a_client_chosen_id_is_used_and_a_duplicate_is_409() {
    let (sim, token) = connected().await;
    let mut event = booking();
    event["id"] = json!("rdv0000000042");
    let (status, _, created) = insert(&sim, &token, event.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["id"], "rdv0000000042");
    let (status, _, body) = insert(&sim, &token, event).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(reason(&body), "duplicate");
}

#[tokio::test]
async fn an_id_outside_base32hex_is_rejected() {
    let (sim, token) = connected().await;
    let mut event = booking();
    event["id"] = json!("Booking-42");
    let (status, _, body) = insert(&sim, &token, event).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reason(&body), "invalid");
}

#[tokio::test]
async fn an_event_without_an_end_or_zone_is_rejected() {
    let (sim, token) = connected().await;
    let no_end = json!({"start": {"dateTime": "2026-03-02T09:00:00Z"}});
    let (status, _, body) = insert(&sim, &token, no_end).await;
    assert_eq!((status, reason(&body)), (StatusCode::BAD_REQUEST, "required"));
    let no_zone = json!({"start": {"dateTime": "2026-03-02T09:00:00"}, "end": {"dateTime": "2026-03-02T10:00:00"}});
    let (status, _, body) = insert(&sim, &token, no_zone).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["message"], "Missing time zone definition for start time.");
}

#[tokio::test]
async fn patch_changes_only_the_given_fields_merging_private_properties_and_replacing_attendees() {
    let (sim, token) = connected().await;
    let (_, _, event) = insert(&sim, &token, booking()).await;
    let id = event["id"].as_str().unwrap();
    let patch = json!({
        "start": {"dateTime": "2026-03-02T10:00:00+01:00"},
        "end": {"dateTime": "2026-03-02T10:30:00+01:00"},
        "attendees": [{"email": "grace@example.org"}],
        "extendedProperties": {"private": {"source": null, "rescheduled": "yes"}},
    });
    let (status, _, patched) = api(
        &sim,
        &token,
        Method::PATCH,
        &format!("/calendars/primary/events/{id}"),
        Some(patch),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["summary"], "Intro call with Ada");
    assert_eq!(patched["description"], "Booked via Rendezvous");
    assert_eq!(
        patched["attendees"].as_array().unwrap().len(),
        1,
        "arrays are replaced wholesale"
    );
    assert_eq!(
        patched["extendedProperties"]["private"],
        json!({"rendezvousBookingId": "42", "rescheduled": "yes"})
    );
    assert_eq!(patched["start"]["dateTime"], "2026-03-02T09:00:00Z");
    assert_eq!(patched["sequence"], 1);
    assert_ne!(patched["etag"], event["etag"]);
}

#[tokio::test]
async fn a_stale_if_match_is_412_condition_not_met() {
    let (sim, token) = connected().await;
    let (_, _, event) = insert(&sim, &token, booking()).await;
    let id = event["id"].as_str().unwrap();
    let url = sim.url(&format!("/calendar/v3/calendars/primary/events/{id}"));
    let first = http()
        .patch(&url)
        .bearer_auth(&token)
        .header("If-Match", event["etag"].as_str().unwrap())
        .json(&json!({"summary": "A"}))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let stale = http()
        .patch(&url)
        .bearer_auth(&token)
        .header("If-Match", event["etag"].as_str().unwrap())
        .json(&json!({"summary": "B"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(reason(&stale.json().await.unwrap()), "conditionNotMet");
}

#[tokio::test]
async fn delete_is_204_then_get_shows_it_cancelled_and_a_second_delete_is_410() {
    let (sim, token) = connected().await;
    let (_, _, event) = insert(&sim, &token, booking()).await;
    let path = format!("/calendars/primary/events/{}", event["id"].as_str().unwrap());
    let (status, _, body) = api(&sim, &token, Method::DELETE, &path, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, _, fetched) = api(&sim, &token, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["status"], "cancelled");
    let (status, _, body) = api(&sim, &token, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(reason(&body), "deleted");
    let (_, _, listed) = api(&sim, &token, Method::GET, "/calendars/primary/events", None).await;
    assert_eq!(
        listed["items"],
        json!([]),
        "cancelled events are hidden without showDeleted"
    );
    let (_, _, with_deleted) = list(&sim, &token, "showDeleted=true").await;
    assert_eq!(with_deleted["items"][0]["status"], "cancelled");
}

#[tokio::test]
async fn an_unknown_event_or_calendar_is_404_not_found() {
    let (sim, token) = connected().await;
    let (status, _, body) = api(&sim, &token, Method::GET, "/calendars/primary/events/abcdefgh", None).await;
    assert_eq!((status, reason(&body)), (StatusCode::NOT_FOUND, "notFound"));
    let (status, _, _) = api(
        &sim,
        &token,
        Method::GET,
        "/calendars/someone-else%40example.com/events",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn conference_data_is_created_only_with_conference_data_version_1() {
    let (sim, token) = connected().await;
    let mut event = booking();
    event["conferenceData"] =
        json!({"createRequest": {"requestId": "req-1", "conferenceSolutionKey": {"type": "hangoutsMeet"}}});
    let (_, _, without) = insert(&sim, &token, event.clone()).await;
    assert!(without.get("conferenceData").is_none());
    event["iCalUID"] = json!("other@rendezvous.example");
    let (_, _, with) = api(
        &sim,
        &token,
        Method::POST,
        "/calendars/primary/events?conferenceDataVersion=1",
        Some(event),
    )
    .await;
    assert_eq!(
        with["conferenceData"]["createRequest"]["status"]["statusCode"],
        "success"
    );
    assert!(
        with["hangoutLink"]
            .as_str()
            .unwrap()
            .starts_with("https://meet.google.com/")
    );
}

#[tokio::test]
async fn the_control_handle_reads_current_events_including_cancelled_ones() {
    let (sim, token) = connected().await;
    let (_, _, event) = insert(&sim, &token, booking()).await;
    let id = event["id"].as_str().unwrap();
    delete(&sim, &token, id).await;
    let events = sim.control.events("host@example.com").unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["status"], "cancelled");
    assert_eq!(events[0]["iCalUID"], "booking-42@rendezvous.example");
}
