//! The signed-in user, their calendars, and getSchedule free/busy.

mod common;

use common::*;
use ms_sim::{DEFAULT_USER, NewCalendar, SimConfig, SimError, UserSpec};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn schedule_query(schedules: &[&str], start: &str, end: &str, interval: u32) -> Value {
    json!({
        "schedules": schedules,
        "startTime": {"dateTime": start, "timeZone": "UTC"},
        "endTime": {"dateTime": end, "timeZone": "UTC"},
        "availabilityViewInterval": interval,
    })
}

async fn get_schedule(sim: &ms_sim::Running, token: &str, query: Value) -> (StatusCode, Value) {
    let (status, _, body) = graph(sim, token, Method::POST, "/me/calendar/getSchedule", Some(query)).await;
    (status, body)
}

#[tokio::test]
async fn me_names_the_signed_in_account() {
    let (sim, token) = connected().await;
    let (status, _, me) = graph(&sim, &token, Method::GET, "/me", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["userPrincipalName"], "host@example.com");
    assert_eq!(me["mail"], "host@example.com");
    assert_eq!(me["id"], sim.control.users()[0].id.as_str());
}

#[tokio::test]
async fn the_calendar_list_shows_the_default_calendar_first_with_owner_and_edit_rights() {
    let (sim, token) = connected().await;
    let work = sim
        .control
        .add_calendar("host@example.com", NewCalendar { name: "Work".into() })
        .unwrap();
    let (status, _, body) = graph(&sim, &token, Method::GET, "/me/calendars", None).await;
    assert_eq!(status, StatusCode::OK);
    let calendars = body["value"].as_array().unwrap();
    assert_eq!(calendars.len(), 2);
    assert_eq!(calendars[0]["name"], "Calendar");
    assert_eq!(calendars[0]["isDefaultCalendar"], true);
    assert_eq!(calendars[0]["canEdit"], true);
    assert_eq!(calendars[0]["owner"]["address"], "host@example.com");
    assert!(calendars[0]["changeKey"].is_string());
    assert_eq!(calendars[1]["id"], work.id.as_str());
    assert_eq!(calendars[1]["isDefaultCalendar"], false);
    assert!(body.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn calendars_added_by_a_test_belong_to_their_owners_mailbox_under_unique_names() {
    let sim = start().await;
    let team: NewCalendar = serde_json::from_value(json!({"name": "Team"})).unwrap();
    let team = serde_json::to_value(sim.control.add_calendar(DEFAULT_USER, team).unwrap()).unwrap();
    assert_eq!(
        (team["name"].clone(), team["owner"].clone()),
        (json!("Team"), json!(DEFAULT_USER))
    );
    assert_eq!(team["isDefaultCalendar"], false);
    let again = NewCalendar { name: "TEAM".into() };
    assert_eq!(
        sim.control.add_calendar(DEFAULT_USER, again),
        Err(SimError::AlreadyExists("TEAM".into()))
    );
    let nameless = NewCalendar { name: " ".into() };
    assert!(matches!(
        sim.control.add_calendar(DEFAULT_USER, nameless),
        Err(SimError::Invalid(_))
    ));
    let backwards = meeting("Bad", "08:00", "07:00", "UTC");
    let refused = sim
        .control
        .insert_event(team["id"].as_str().unwrap(), backwards)
        .unwrap_err();
    assert!(refused.to_string().contains("ErrorInvalidRequest"), "{refused}");
}

#[tokio::test]
async fn the_calendar_list_is_paged_and_the_next_link_leads_to_the_rest() {
    let (sim, token) = start_connected(SimConfig {
        calendars_page_size: 2,
        ..SimConfig::default()
    })
    .await;
    for name in ["A", "B"] {
        sim.control
            .add_calendar("host@example.com", NewCalendar { name: name.into() })
            .unwrap();
    }
    let (_, _, first) = graph(&sim, &token, Method::GET, "/me/calendars", None).await;
    assert_eq!(first["value"].as_array().unwrap().len(), 2);
    let next = first["@odata.nextLink"].as_str().unwrap();
    let (_, _, rest) = send(http().get(next).bearer_auth(&token)).await;
    assert_eq!(rest["value"][0]["name"], "B");
    assert!(rest.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn get_schedule_reports_items_and_the_strongest_status_per_slot() {
    let (sim, token) = connected().await;
    for (subject, start, end, show_as) in [
        ("Focus", "09:00", "10:00", "busy"),
        ("Maybe", "09:30", "11:00", "tentative"),
        ("Away", "13:00", "14:00", "oof"),
        ("Remote", "15:00", "16:00", "workingElsewhere"),
        ("Gym", "16:00", "17:00", "free"),
    ] {
        let mut event = meeting(subject, start, end, "UTC");
        event["showAs"] = json!(show_as);
        create(&sim, &token, event).await;
    }
    let query = schedule_query(&["host@example.com"], "2026-03-15T08:00:00", "2026-03-15T18:00:00", 60);
    let (status, body) = get_schedule(&sim, &token, query).await;
    assert_eq!(status, StatusCode::OK);
    let schedule = &body["value"][0];
    assert_eq!(schedule["scheduleId"], "host@example.com");
    assert_eq!(schedule["availabilityView"], "0210030400");
    let items = schedule["scheduleItems"].as_array().unwrap();
    let statuses: Vec<&str> = items.iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["busy", "tentative", "oof", "workingElsewhere", "free"]);
    assert_eq!(
        items[0]["start"],
        json!({"dateTime": "2026-03-15T09:00:00.0000000", "timeZone": "UTC"})
    );
    assert_eq!(items[0]["subject"], "Focus");
    assert_eq!(schedule["workingHours"]["timeZone"]["name"], "UTC");
}

#[tokio::test]
async fn get_schedule_answers_in_the_preferred_zone_and_hides_other_peoples_subjects() {
    let (sim, token) = connected().await;
    let colleague = sim
        .control
        .add_user(UserSpec::new("lin@example.com").time_zone("Europe/Berlin"))
        .unwrap();
    sim.control
        .insert_event(
            &colleague.id,
            meeting("Private thing", "09:00", "10:00", "W. Europe Standard Time"),
        )
        .unwrap();
    let query = schedule_query(&["lin@example.com"], "2026-03-15T00:00:00", "2026-03-16T00:00:00", 30);
    let (_, _, body) = send(
        graph_request(&sim, &token, Method::POST, "/me/calendar/getSchedule")
            .header("Prefer", "outlook.timezone=\"Pacific Standard Time\"")
            .json(&query),
    )
    .await;
    let item = &body["value"][0]["scheduleItems"][0];
    assert_eq!(
        item["start"],
        json!({"dateTime": "2026-03-15T01:00:00.0000000", "timeZone": "Pacific Standard Time"})
    );
    assert!(item.get("subject").is_none(), "free/busy only for other mailboxes");
    assert_eq!(
        body["value"][0]["workingHours"]["timeZone"]["name"],
        "W. Europe Standard Time"
    );
}

#[tokio::test]
async fn get_schedule_reports_unknown_mailboxes_inside_the_answer() {
    let (sim, token) = connected().await;
    let query = schedule_query(
        &["nobody@example.com"],
        "2026-03-15T00:00:00",
        "2026-03-16T00:00:00",
        30,
    );
    let (status, body) = get_schedule(&sim, &token, query).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["value"][0]["error"]["responseCode"], "ErrorMailRecipientNotFound");
}

#[tokio::test]
async fn get_schedule_refuses_windows_over_62_days_and_too_many_mailboxes() {
    let (sim, token) = connected().await;
    let ok = schedule_query(
        &["host@example.com"],
        "2026-01-01T00:00:00",
        "2026-03-04T00:00:00",
        1440,
    );
    assert_eq!(get_schedule(&sim, &token, ok).await.0, StatusCode::OK);
    let long = schedule_query(
        &["host@example.com"],
        "2026-01-01T00:00:00",
        "2026-03-05T00:00:00",
        1440,
    );
    let (status, body) = get_schedule(&sim, &token, long).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "ErrorTimeIntervalTooBig")
    );
    sim.control.configure(|c| c.schedule_max_entities = 1);
    let many = schedule_query(
        &["host@example.com", "x@example.com"],
        "2026-01-01T00:00:00",
        "2026-01-02T00:00:00",
        60,
    );
    let (status, body) = get_schedule(&sim, &token, many).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "ErrorMailboxDataArrayTooBig")
    );
}
