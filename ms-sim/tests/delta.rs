//! calendarView delta: paging a round, incremental rounds, removals, and resets.

mod common;

use std::time::Duration;

use common::*;
use ms_sim::SimConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const WINDOW: &str = "/me/calendarView/delta?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z";

fn on_day(day: u32, subject: &str) -> Value {
    json!({
        "subject": subject,
        "start": {"dateTime": format!("2026-03-{day:02}T09:00:00"), "timeZone": "UTC"},
        "end": {"dateTime": format!("2026-03-{day:02}T10:00:00"), "timeZone": "UTC"},
    })
}

/// One round: follows `@odata.nextLink` to the `@odata.deltaLink`; returns the items, the number
/// of pages and the delta link.
async fn round(token: &str, first: &str, page_size: Option<usize>) -> (Vec<Value>, usize, String) {
    let mut url = first.to_owned();
    let mut items = Vec::new();
    for pages in 1.. {
        let mut request = http().get(&url).bearer_auth(token);
        if let Some(size) = page_size {
            request = request.header("Prefer", format!("odata.maxpagesize={size}"));
        }
        let (status, _, body) = send(request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        items.extend(body["value"].as_array().unwrap().iter().cloned());
        if let Some(next) = body["@odata.nextLink"].as_str() {
            assert!(body.get("@odata.deltaLink").is_none());
            url = next.to_owned();
        } else {
            let delta = body["@odata.deltaLink"]
                .as_str()
                .expect("the last page has a deltaLink");
            return (items, pages, delta.to_owned());
        }
    }
    unreachable!()
}

fn subjects(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .map(|i| i["subject"].as_str().unwrap_or("@removed"))
        .collect()
}

#[tokio::test]
async fn a_first_round_pages_through_the_window_and_ends_with_a_delta_link() {
    let (sim, token) = connected().await;
    for day in [3, 1, 2, 20] {
        create(&sim, &token, on_day(day, &format!("day {day}"))).await;
    }
    create(&sim, &token, json!({"subject": "April", "start": {"dateTime": "2026-04-02T09:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2026-04-02T10:00:00", "timeZone": "UTC"}})).await;
    let (items, pages, delta) = round(&token, &sim.url(&format!("/v1.0{WINDOW}")), Some(2)).await;
    assert_eq!(subjects(&items), ["day 1", "day 2", "day 3", "day 20"]);
    assert_eq!(pages, 2);
    assert!(items.iter().all(|i| i["@odata.type"] == "#microsoft.graph.event"));
    assert!(delta.contains("$deltatoken="));
    assert!(!delta.contains("startDateTime"), "the window is encoded in the token");
}

#[tokio::test]
async fn the_next_round_has_new_and_changed_events_in_full_and_deleted_or_moved_out_ones_as_removed() {
    let (sim, token) = connected().await;
    let keep = create(&sim, &token, on_day(1, "keep")).await;
    let doomed = create(&sim, &token, on_day(2, "doomed")).await;
    let leaving = create(&sim, &token, on_day(3, "leaving")).await;
    let (_, _, delta) = round(&token, &sim.url(&format!("/v1.0{WINDOW}")), None).await;

    create(&sim, &token, on_day(4, "added")).await;
    graph(
        &sim,
        &token,
        Method::DELETE,
        &format!("/me/events/{}", doomed["id"].as_str().unwrap()),
        None,
    )
    .await;
    sim.control
        .patch_event(
            keep["id"].as_str().unwrap(),
            json!({"subject": "kept, renamed by the user"}),
        )
        .unwrap();
    sim.control
        .move_event(
            leaving["id"].as_str().unwrap(),
            "2026-05-01T09:00:00Z".parse().unwrap(),
            "2026-05-01T10:00:00Z".parse().unwrap(),
        )
        .unwrap();

    let (items, _, next) = round(&token, &delta, None).await;
    assert_eq!(
        subjects(&items),
        ["added", "@removed", "kept, renamed by the user", "@removed"]
    );
    assert_eq!(
        items[1],
        json!({"@odata.type": "#microsoft.graph.event", "id": doomed["id"], "@removed": {"reason": "deleted"}})
    );
    assert_eq!(items[3]["id"], leaving["id"]);
    let (nothing, _, _) = round(&token, &next, None).await;
    assert!(nothing.is_empty());
}

#[tokio::test]
async fn changes_made_while_paging_arrive_in_the_next_round() {
    let (sim, token) = connected().await;
    create(&sim, &token, on_day(1, "one")).await;
    create(&sim, &token, on_day(2, "two")).await;
    let (_, _, first) =
        send(graph_request(&sim, &token, Method::GET, WINDOW).header("Prefer", "odata.maxpagesize=1")).await;
    sim.control
        .insert_event(&default_calendar(&sim), on_day(3, "during paging"))
        .unwrap();
    let (rest, _, delta) = round(&token, first["@odata.nextLink"].as_str().unwrap(), Some(1)).await;
    assert_eq!(subjects(&rest), ["two"], "the round is a stable snapshot");
    let (items, _, _) = round(&token, &delta, None).await;
    assert_eq!(subjects(&items), ["during paging"]);
}

#[tokio::test]
async fn returned_times_follow_the_preferred_zone() {
    let (sim, token) = connected().await;
    create(&sim, &token, on_day(1, "one")).await;
    let (_, headers, body) = send(
        graph_request(&sim, &token, Method::GET, WINDOW)
            .header("Prefer", "outlook.timezone=\"Tokyo Standard Time\"")
            .header("Prefer", "odata.maxpagesize=5"),
    )
    .await;
    assert_eq!(body["value"][0]["start"]["dateTime"], "2026-03-01T18:00:00.0000000");
    assert_eq!(body["value"][0]["start"]["timeZone"], "Tokyo Standard Time");
    assert_eq!(
        headers["preference-applied"],
        "outlook.timezone=\"Tokyo Standard Time\", odata.maxpagesize=5"
    );
}

#[tokio::test]
async fn an_invalidated_delta_token_is_410_sync_state_not_found_and_a_new_round_recovers() {
    let (sim, token) = connected().await;
    create(&sim, &token, on_day(1, "one")).await;
    let (_, _, delta) = round(&token, &sim.url(&format!("/v1.0{WINDOW}")), None).await;
    assert_eq!(sim.control.invalidate_delta_tokens(), 1);
    let (status, _, body) = send(http().get(&delta).bearer_auth(&token)).await;
    assert_eq!((status, code(&body)), (StatusCode::GONE, "syncStateNotFound"));
    let (items, _, _) = round(&token, &sim.url(&format!("/v1.0{WINDOW}")), None).await;
    assert_eq!(subjects(&items), ["one"]);
}

#[tokio::test]
async fn an_expired_delta_token_is_410_with_the_configured_code_and_a_fresh_start_location() {
    let (sim, token) = start_connected(SimConfig {
        delta_token_lifetime: Some(Duration::from_secs(1800)),
        delta_reset_code: "resyncRequired".into(),
        ..SimConfig::default()
    })
    .await;
    let (_, _, delta) = round(&token, &sim.url(&format!("/v1.0{WINDOW}")), None).await;
    sim.control.advance_clock(Duration::from_secs(1801));
    let (status, headers, body) = send(http().get(&delta).bearer_auth(&token)).await;
    assert_eq!((status, code(&body)), (StatusCode::GONE, "resyncRequired"));
    let location = headers["location"].to_str().unwrap();
    assert!(location.contains("startDateTime=2026-03-01T00:00:00Z"));
}

#[tokio::test]
async fn query_options_and_a_missing_window_are_refused() {
    let (sim, token) = connected().await;
    let filtered = format!("{WINDOW}&$filter=subject%20eq%20'x'");
    assert_eq!(
        graph(&sim, &token, Method::GET, &filtered, None).await.0,
        StatusCode::BAD_REQUEST
    );
    let (status, _, body) = graph(&sim, &token, Method::GET, "/me/calendarView/delta", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "ErrorInvalidParameter")
    );
}
