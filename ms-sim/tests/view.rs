//! calendarView: the events of a calendar within a window, paged, in the caller's zone.

mod common;

use common::*;
use ms_sim::{Fault, NewCalendar, SimConfig, UserSpec, scope};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// 10:00 to 12:00 UTC on 2026-03-15.
const WINDOW: &str = "startDateTime=2026-03-15T10:00:00Z&endDateTime=2026-03-15T12:00:00Z";

fn view(calendar: Option<&str>) -> String {
    match calendar {
        Some(id) => format!("/me/calendars/{id}/calendarView?{WINDOW}"),
        None => format!("/me/calendarView?{WINDOW}"),
    }
}

fn subjects(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["subject"].as_str().unwrap()).collect()
}

/// Follows `@odata.nextLink` from `first` (a `/v1.0` path) to the last page, sending `prefer`
/// on every request; returns the events and the size of each page.
async fn all_pages(sim: &ms_sim::Running, token: &str, first: &str, prefer: Option<&str>) -> (Vec<Value>, Vec<usize>) {
    let mut url = sim.url(&format!("/v1.0{first}"));
    let (mut items, mut pages) = (Vec::new(), Vec::new());
    loop {
        let mut request = http().get(&url).bearer_auth(token);
        if let Some(prefer) = prefer {
            request = request.header("Prefer", prefer);
        }
        let (status, _, body) = send(request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page = body["value"].as_array().unwrap();
        pages.push(page.len());
        items.extend(page.iter().cloned());
        match body["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return (items, pages),
        }
    }
}

#[tokio::test]
async fn the_view_lists_events_overlapping_the_window_by_start_and_excludes_ones_only_touching_its_edges() {
    let (sim, token) = connected().await;
    for (subject, start, end) in [
        ("inside", "10:30", "11:00"),
        ("ends at the window start", "09:00", "10:00"),
        ("spans the window", "08:00", "13:00"),
        ("starts at the window end", "12:00", "13:00"),
        ("ends a minute into the window", "09:00", "10:01"),
        ("starts a minute before the window end", "11:59", "12:30"),
        ("later", "14:00", "15:00"),
    ] {
        create(&sim, &token, meeting(subject, start, end, "UTC")).await;
    }
    let (status, _, body) = graph(&sim, &token, Method::GET, &view(None), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["value"].as_array().unwrap();
    assert_eq!(
        subjects(items),
        [
            "spans the window",
            "ends a minute into the window",
            "inside",
            "starts a minute before the window end"
        ]
    );
    assert_eq!(items[2]["showAs"], "busy");
    assert_eq!(items[2]["isCancelled"], false);
    assert_eq!(
        items[2]["start"],
        json!({"dateTime": "2026-03-15T10:30:00.0000000", "timeZone": "UTC"})
    );
    assert_eq!(
        items[2]["end"],
        json!({"dateTime": "2026-03-15T11:00:00.0000000", "timeZone": "UTC"})
    );
    assert!(body["@odata.context"].as_str().unwrap().ends_with("/calendarView"));
    assert!(body.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn each_listed_event_is_what_the_event_get_returns_and_deleted_events_are_gone() {
    let (sim, token) = connected().await;
    let mut event = meeting("Review", "11:00", "12:00", "W. Europe Standard Time");
    event["showAs"] = json!("tentative");
    event["location"] = json!({"displayName": "Room 4"});
    let kept = create(&sim, &token, event).await;
    let deleted = create(&sim, &token, meeting("Dropped", "10:30", "11:00", "UTC")).await;
    let path = format!("/me/events/{}", deleted["id"].as_str().unwrap());
    graph(&sim, &token, Method::DELETE, &path, None).await;
    let (_, _, body) = graph(&sim, &token, Method::GET, &view(None), None).await;
    let (_, _, mut single) = graph(
        &sim,
        &token,
        Method::GET,
        &format!("/me/events/{}", kept["id"].as_str().unwrap()),
        None,
    )
    .await;
    single.as_object_mut().unwrap().remove("@odata.context");
    assert_eq!(body["value"], json!([single]));
    assert_eq!(body["value"][0]["showAs"], "tentative");
}

#[tokio::test]
async fn a_secondary_calendars_view_lists_its_own_events_and_the_default_view_does_not() {
    let (sim, token) = connected().await;
    let work = sim
        .control
        .add_calendar("host@example.com", NewCalendar { name: "Work".into() })
        .unwrap();
    sim.control
        .insert_event(&work.id, meeting("Standup", "10:00", "10:15", "UTC"))
        .unwrap();
    create(&sim, &token, meeting("Dentist", "11:00", "11:30", "UTC")).await;

    let (_, _, secondary) = graph(&sim, &token, Method::GET, &view(Some(&work.id)), None).await;
    assert_eq!(subjects(secondary["value"].as_array().unwrap()), ["Standup"]);
    assert!(secondary["@odata.context"].as_str().unwrap().contains(&work.id));
    let (_, _, default) = graph(&sim, &token, Method::GET, &view(None), None).await;
    assert_eq!(subjects(default["value"].as_array().unwrap()), ["Dentist"]);
    let by_id = view(Some(&default_calendar(&sim)));
    let (_, _, same) = graph(&sim, &token, Method::GET, &by_id, None).await;
    assert_eq!(same["value"], default["value"]);
    let alias = format!("/me/calendar/calendarView?{WINDOW}");
    let (_, _, same) = graph(&sim, &token, Method::GET, &alias, None).await;
    assert_eq!(same["value"], default["value"]);
}

#[tokio::test]
async fn following_next_links_collects_every_event_exactly_once_whatever_sets_the_page_size() {
    let (sim, token) = connected().await;
    let calendar = default_calendar(&sim);
    let mut expected = Vec::new();
    for minute in 0..23 {
        let subject = format!("slot {minute:02}");
        let start = format!("10:{minute:02}");
        let end = format!("10:{:02}", minute + 30);
        sim.control
            .insert_event(&calendar, meeting(&subject, &start, &end, "UTC"))
            .unwrap();
        expected.push(subject);
    }
    let first = view(None);
    let (items, pages) = all_pages(&sim, &token, &first, None).await;
    assert_eq!(subjects(&items), expected, "10 a page by default");
    assert_eq!(pages, [10, 10, 3]);

    let (items, pages) = all_pages(&sim, &token, &first, Some("odata.maxpagesize=4")).await;
    assert_eq!(subjects(&items), expected);
    assert_eq!(pages, [4, 4, 4, 4, 4, 3]);

    let (items, pages) = all_pages(&sim, &token, &format!("{first}&$top=9"), None).await;
    assert_eq!(
        subjects(&items),
        expected,
        "$top is the page size and is kept in the links"
    );
    assert_eq!(pages, [9, 9, 5]);
}

#[tokio::test]
async fn the_page_size_preference_is_acknowledged_and_the_next_link_keeps_the_window() {
    let (sim, token) = start_connected(SimConfig {
        calendar_view_page_size: 1,
        ..SimConfig::default()
    })
    .await;
    create(&sim, &token, meeting("one", "10:00", "11:00", "UTC")).await;
    create(&sim, &token, meeting("two", "11:00", "12:00", "UTC")).await;
    let (_, headers, body) = graph(&sim, &token, Method::GET, &view(None), None).await;
    assert!(headers.get("preference-applied").is_none());
    let next = body["@odata.nextLink"].as_str().unwrap();
    assert!(next.contains("startDateTime=2026-03-15T10%3A00%3A00Z"), "{next}");
    assert!(next.contains("%24skip=1"), "{next}");
    let (_, headers, body) =
        send(graph_request(&sim, &token, Method::GET, &view(None)).header("Prefer", "odata.maxpagesize=2")).await;
    assert_eq!(headers["preference-applied"], "odata.maxpagesize=2");
    assert_eq!(subjects(body["value"].as_array().unwrap()), ["one", "two"]);
    assert!(body.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn a_missing_or_unreadable_window_is_400_error_invalid_parameter() {
    let (sim, token) = connected().await;
    for path in [
        "/me/calendarView".to_owned(),
        "/me/calendarView?startDateTime=2026-03-15T10:00:00Z".to_owned(),
        "/me/calendarView?endDateTime=2026-03-15T12:00:00Z".to_owned(),
        "/me/calendarView?startDateTime=yesterday&endDateTime=2026-03-15T12:00:00Z".to_owned(),
        format!("/me/calendars/{}/calendarView", default_calendar(&sim)),
    ] {
        let (status, _, body) = graph(&sim, &token, Method::GET, &path, None).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, "ErrorInvalidParameter"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_unknown_calendar_or_another_mailboxs_calendar_is_404_error_item_not_found() {
    let (sim, token) = connected().await;
    let colleague = sim.control.add_user(UserSpec::new("lin@example.com")).unwrap();
    for id in ["AAMkADoesNotExist", colleague.id.as_str()] {
        let (status, _, body) = graph(&sim, &token, Method::GET, &view(Some(id)), None).await;
        assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "ErrorItemNotFound"));
    }
}

#[tokio::test]
async fn the_preferred_time_zone_shifts_the_returned_wall_clock_times_but_not_the_window() {
    let (sim, token) = connected().await;
    create(&sim, &token, meeting("Call", "10:00", "11:00", "UTC")).await;
    let (_, headers, body) = send(
        graph_request(&sim, &token, Method::GET, &view(None))
            .header("Prefer", "outlook.timezone=\"Pacific Standard Time\""),
    )
    .await;
    let event = &body["value"][0];
    assert_eq!(
        event["start"],
        json!({"dateTime": "2026-03-15T03:00:00.0000000", "timeZone": "Pacific Standard Time"})
    );
    assert_eq!(
        event["end"],
        json!({"dateTime": "2026-03-15T04:00:00.0000000", "timeZone": "Pacific Standard Time"})
    );
    assert_eq!(
        headers["preference-applied"],
        "outlook.timezone=\"Pacific Standard Time\""
    );
}

#[tokio::test]
async fn calendars_read_is_enough_but_a_token_without_calendar_access_is_403() {
    let sim = start().await;
    let read = flow(&sim)
        .connect(&[scope::OFFLINE_ACCESS, scope::CALENDARS_READ])
        .await;
    let read = read["access_token"].as_str().unwrap();
    assert_eq!(
        graph(&sim, read, Method::GET, &view(None), None).await.0,
        StatusCode::OK
    );
    let profile = flow(&sim).connect(&[scope::OFFLINE_ACCESS, scope::USER_READ]).await;
    let profile = profile["access_token"].as_str().unwrap();
    let (status, _, body) = graph(&sim, profile, Method::GET, &view(None), None).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "ErrorAccessDenied"));
}

#[tokio::test]
async fn the_view_is_subject_to_injected_faults_and_recorded_in_the_request_log() {
    let (sim, token) = connected().await;
    sim.control
        .inject_fault(Fault::too_many_requests(Some(2)).on_path("calendarView"));
    let (status, headers, body) = graph(&sim, &token, Method::GET, &view(None), None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "TooManyRequests")
    );
    assert_eq!(headers["retry-after"], "2");
    assert_eq!(
        graph(&sim, &token, Method::GET, &view(None), None).await.0,
        StatusCode::OK
    );
    let log: Vec<_> = sim
        .control
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1.0/me/calendarView")
        .collect();
    assert_eq!(log.iter().map(|r| r.status).collect::<Vec<_>>(), [429, 200]);
    assert_eq!(
        log[1].query_param("startDateTime").as_deref(),
        Some("2026-03-15T10:00:00Z")
    );
}

#[tokio::test]
async fn filter_and_orderby_are_refused_rather_than_ignored() {
    let (sim, token) = connected().await;
    let path = format!("{}&$filter=subject%20eq%20'x'", view(None));
    let (status, _, body) = graph(&sim, &token, Method::GET, &path, None).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "BadRequest"));
}
