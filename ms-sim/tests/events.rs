//! Event create, read, update and delete as a booking system uses them.

mod common;

use common::*;
use ms_sim::NewCalendar;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const BOOKING_PROPERTY: &str = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name rendezvousBookingId";

fn booking() -> Value {
    json!({
        "subject": "Intro call with Ada",
        "body": {"contentType": "html", "content": "<p>Booked via <b>Rendezvous</b></p>"},
        "start": {"dateTime": "2026-03-15T09:00:00", "timeZone": "W. Europe Standard Time"},
        "end": {"dateTime": "2026-03-15T09:30:00", "timeZone": "W. Europe Standard Time"},
        "showAs": "busy",
        "attendees": [{"emailAddress": {"address": "ada@example.org", "name": "Ada"}}],
        "transactionId": "booking-42",
        "singleValueExtendedProperties": [{"id": BOOKING_PROPERTY, "value": "42"}],
    })
}

async fn event_call(
    sim: &ms_sim::Running,
    token: &str,
    method: Method,
    id: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let (status, _, body) = graph(sim, token, method, &format!("/me/events/{id}"), body).await;
    (status, body)
}

#[tokio::test]
async fn a_created_event_is_201_with_utc_times_its_original_zone_and_server_fields() {
    let (sim, token) = connected().await;
    let event = create(&sim, &token, booking()).await;
    assert_eq!(event["subject"], "Intro call with Ada");
    assert_eq!(
        event["start"],
        json!({"dateTime": "2026-03-15T08:00:00.0000000", "timeZone": "UTC"})
    );
    assert_eq!(event["originalStartTimeZone"], "W. Europe Standard Time");
    assert_eq!(event["showAs"], "busy");
    assert_eq!(event["transactionId"], "booking-42");
    assert_eq!(event["bodyPreview"], "Booked via Rendezvous");
    assert_eq!(event["attendees"][0]["type"], "required");
    assert_eq!(event["attendees"][0]["status"]["response"], "none");
    assert_eq!(event["organizer"]["emailAddress"]["address"], "host@example.com");
    assert_eq!(event["type"], "singleInstance");
    assert!(
        event["iCalUId"]
            .as_str()
            .unwrap()
            .starts_with("040000008200E00074C5B7101A82E008")
    );
    assert_eq!(
        event["@odata.etag"],
        format!("W/\"{}\"", event["changeKey"].as_str().unwrap())
    );
    assert!(
        event.get("singleValueExtendedProperties").is_none(),
        "only with $expand"
    );
}

#[tokio::test]
async fn a_second_create_with_the_same_transaction_id_returns_the_first_event() {
    let (sim, token) = connected().await;
    let first = create(&sim, &token, booking()).await;
    let second = create(&sim, &token, booking()).await;
    assert_eq!(second["id"], first["id"]);
    assert_eq!(sim.control.events(&default_calendar(&sim)).unwrap().len(), 1);
    let mut other = booking();
    other["transactionId"] = json!("booking-43");
    assert_ne!(create(&sim, &token, other).await["id"], first["id"]);
}

#[tokio::test]
async fn get_shows_times_in_the_preferred_zone_and_expands_extended_properties_on_request() {
    let (sim, token) = connected().await;
    let id = create(&sim, &token, booking()).await["id"].as_str().unwrap().to_owned();
    let filter = format!("singleValueExtendedProperties($filter=id eq '{BOOKING_PROPERTY}')");
    let encoded: String = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect();
    let (status, headers, event) = send(
        graph_request(&sim, &token, Method::GET, &format!("/me/events/{id}?$expand={encoded}"))
            .header("Prefer", "outlook.timezone=\"America/New_York\""),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        event["start"],
        json!({"dateTime": "2026-03-15T04:00:00.0000000", "timeZone": "America/New_York"})
    );
    assert_eq!(headers["preference-applied"], "outlook.timezone=\"America/New_York\"");
    assert_eq!(
        event["singleValueExtendedProperties"],
        json!([{"id": BOOKING_PROPERTY, "value": "42"}])
    );
}

#[tokio::test]
async fn select_limits_the_returned_properties() {
    let (sim, token) = connected().await;
    let id = create(&sim, &token, booking()).await["id"].as_str().unwrap().to_owned();
    let (_, _, event) = graph(
        &sim,
        &token,
        Method::GET,
        &format!("/me/events/{id}?$select=subject,showAs"),
        None,
    )
    .await;
    let mut keys: Vec<&str> = event.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["@odata.context", "@odata.etag", "id", "showAs", "subject"]);
}

#[tokio::test]
async fn patch_replaces_the_given_properties_and_changes_the_change_key() {
    let (sim, token) = connected().await;
    let event = create(&sim, &token, booking()).await;
    let id = event["id"].as_str().unwrap();
    let patch = json!({
        "start": {"dateTime": "2026-03-15T10:00:00", "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2026-03-15T10:30:00", "timeZone": "Europe/Berlin"},
        "showAs": "tentative",
    });
    let (status, patched) = event_call(&sim, &token, Method::PATCH, id, Some(patch)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["subject"], "Intro call with Ada");
    assert_eq!(patched["showAs"], "tentative");
    assert_eq!(patched["start"]["dateTime"], "2026-03-15T09:00:00.0000000");
    assert_eq!(patched["originalStartTimeZone"], "Europe/Berlin");
    assert_ne!(patched["changeKey"], event["changeKey"]);
    assert_eq!(patched["iCalUId"], event["iCalUId"]);
}

#[tokio::test]
async fn a_stale_if_match_is_412_or_the_configured_409() {
    let (sim, token) = connected().await;
    let event = create(&sim, &token, booking()).await;
    let id = event["id"].as_str().unwrap();
    let etag = event["@odata.etag"].as_str().unwrap();
    let patch = |subject: &str| {
        graph_request(&sim, &token, Method::PATCH, &format!("/me/events/{id}"))
            .header("If-Match", etag)
            .json(&json!({"subject": subject}))
    };
    assert_eq!(send(patch("A")).await.0, StatusCode::OK);
    let (status, _, body) = send(patch("B")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PRECONDITION_FAILED, "ErrorIrresolvableConflict")
    );
    sim.control.configure(|c| c.if_match_conflict_status = 409);
    assert_eq!(send(patch("C")).await.0, StatusCode::CONFLICT);
}

#[tokio::test]
async fn delete_is_204_and_then_the_event_is_404_item_not_found() {
    let (sim, token) = connected().await;
    let id = create(&sim, &token, booking()).await["id"].as_str().unwrap().to_owned();
    let (status, body) = event_call(&sim, &token, Method::DELETE, &id, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = event_call(&sim, &token, Method::GET, &id, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "ErrorItemNotFound"));
    assert_eq!(
        event_call(&sim, &token, Method::DELETE, &id, None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn events_can_be_created_in_and_addressed_through_a_named_calendar() {
    let (sim, token) = connected().await;
    let work = sim
        .control
        .add_calendar("host@example.com", NewCalendar { name: "Work".into() })
        .unwrap();
    let path = format!("/me/calendars/{}/events", work.id);
    let (status, _, event) = graph(&sim, &token, Method::POST, &path, Some(booking())).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = event["id"].as_str().unwrap();
    let (status, _, _) = graph(&sim, &token, Method::GET, &format!("{path}/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let other = default_calendar(&sim);
    let (status, _, _) = graph(
        &sim,
        &token,
        Method::GET,
        &format!("/me/calendars/{other}/events/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not in that calendar");
    assert_eq!(sim.control.events(&work.id).unwrap().len(), 1);
}

#[tokio::test]
async fn invalid_events_are_refused_the_way_graph_refuses_them() {
    let (sim, token) = connected().await;
    let post = |event: Value| graph(&sim, &token, Method::POST, "/me/events", Some(event));
    let mut unknown = booking();
    unknown["colour"] = json!("blue");
    let (status, _, body) = post(unknown).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "RequestBodyRead"));
    let zone = meeting("x", "09:00", "10:00", "Mars Standard Time");
    assert_eq!(code(&post(zone).await.2), "TimeZoneNotSupportedException");
    let mut offset = meeting("x", "09:00", "10:00", "UTC");
    offset["start"]["dateTime"] = json!("2026-03-15T09:00:00Z");
    assert_eq!(post(offset).await.0, StatusCode::BAD_REQUEST);
    let backwards = meeting("x", "10:00", "09:00", "UTC");
    assert_eq!(post(backwards).await.0, StatusCode::BAD_REQUEST);
    let mut all_day = meeting("x", "09:00", "10:00", "UTC");
    all_day["isAllDay"] = json!(true);
    assert_eq!(post(all_day).await.0, StatusCode::BAD_REQUEST);
    let mut show_as = booking();
    show_as["showAs"] = json!("maybe");
    assert_eq!(post(show_as).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn all_day_events_keep_their_midnights_in_any_zone() {
    let (sim, token) = connected().await;
    let event = json!({
        "subject": "Holiday",
        "isAllDay": true,
        "showAs": "oof",
        "start": {"dateTime": "2026-03-16T00:00:00", "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2026-03-17T00:00:00", "timeZone": "Europe/Berlin"},
    });
    let created = create(&sim, &token, event).await;
    assert_eq!(created["start"]["dateTime"], "2026-03-16T00:00:00.0000000");
    assert_eq!(created["end"]["dateTime"], "2026-03-17T00:00:00.0000000");
}

#[tokio::test]
async fn another_users_event_is_not_found() {
    let (sim, token) = connected().await;
    let colleague = sim.control.add_user(ms_sim::UserSpec::new("lin@example.com")).unwrap();
    let theirs = sim
        .control
        .insert_event(&colleague.id, meeting("Theirs", "09:00", "10:00", "UTC"))
        .unwrap();
    let id = theirs["id"].as_str().unwrap();
    assert_eq!(
        event_call(&sim, &token, Method::GET, id, None).await.0,
        StatusCode::NOT_FOUND
    );
}
