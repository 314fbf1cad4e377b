//! Listing with time windows and paging, and incremental sync with sync tokens.

mod common;

use common::*;
use google_sim::SimConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn event(day: u32, summary: &str) -> Value {
    json!({
        "summary": summary,
        "start": {"dateTime": format!("2026-03-{day:02}T09:00:00Z")},
        "end": {"dateTime": format!("2026-03-{day:02}T10:00:00Z")},
    })
}

fn encode(token: &str) -> String {
    url::form_urlencoded::byte_serialize(token.as_bytes()).collect()
}

/// Follows `nextPageToken` to the end; returns the summaries (or ids of cancelled items), the
/// number of pages and the final `nextSyncToken`.
async fn list_all(sim: &google_sim::Running, token: &str, query: &str) -> (Vec<Value>, usize, String) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut page_token: Option<String> = None;
    loop {
        let mut path = format!("/calendars/primary/events?{query}");
        if let Some(page) = &page_token {
            path.push_str(&format!("&pageToken={}", encode(page)));
        }
        let (status, _, body) = api(sim, token, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        pages += 1;
        items.extend(body["items"].as_array().unwrap().iter().cloned());
        match body["nextPageToken"].as_str() {
            Some(next) => {
                assert!(
                    body.get("nextSyncToken").is_none(),
                    "nextSyncToken only on the last page"
                );
                page_token = Some(next.to_owned());
            }
            None => {
                return (
                    items,
                    pages,
                    body["nextSyncToken"]
                        .as_str()
                        .expect("last page has nextSyncToken")
                        .to_owned(),
                );
            }
        }
    }
}

fn summaries(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["summary"].as_str().unwrap_or("")).collect()
}

#[tokio::test]
async fn time_min_bounds_the_end_and_time_max_bounds_the_start() {
    let (sim, token) = connected().await;
    for day in 1..=5 {
        insert(&sim, &token, event(day, &format!("day {day}"))).await;
    }
    // Day 2 ends exactly at timeMin and day 4 starts exactly at timeMax: both bounds are exclusive.
    let query = format!(
        "timeMin={}&timeMax={}",
        encode("2026-03-02T10:00:00Z"),
        encode("2026-03-04T09:00:00Z")
    );
    let (_, _, body) = list(&sim, &token, &query).await;
    assert_eq!(summaries(body["items"].as_array().unwrap()), ["day 3"]);
}

#[tokio::test]
async fn a_full_listing_pages_through_every_event_with_the_configured_page_size() {
    let sim = start_with(SimConfig {
        events_page_size: 2,
        ..SimConfig::default()
    })
    .await;
    let token = access_token(&sim).await;
    for day in 1..=5 {
        insert(&sim, &token, event(day, &format!("day {day}"))).await;
    }
    let (items, pages, _) = list_all(&sim, &token, "singleEvents=true&orderBy=startTime").await;
    assert_eq!(pages, 3);
    assert_eq!(summaries(&items), ["day 1", "day 2", "day 3", "day 4", "day 5"]);
}

#[tokio::test]
async fn max_results_above_the_server_cap_still_gets_short_pages() {
    let sim = start_with(SimConfig {
        max_page_size: 1,
        ..SimConfig::default()
    })
    .await;
    let token = access_token(&sim).await;
    for day in 1..=3 {
        insert(&sim, &token, event(day, "x")).await;
    }
    let (items, pages, _) = list_all(&sim, &token, "maxResults=100").await;
    assert_eq!((items.len(), pages), (3, 3));
}

#[tokio::test]
async fn an_incremental_sync_returns_only_changes_including_deletions_as_cancelled() {
    let (sim, token) = connected().await;
    let (_, _, keep) = insert(&sim, &token, event(1, "keep")).await;
    let (_, _, doomed) = insert(&sim, &token, event(2, "doomed")).await;
    let (_, _, sync_token) = list_all(&sim, &token, "").await;

    let (_, _, added) = insert(&sim, &token, event(3, "added")).await;
    delete(&sim, &token, doomed["id"].as_str().unwrap()).await;
    // A change made by the user in Google Calendar shows up the same way.
    let moved = sim
        .control
        .move_event(
            "host@example.com",
            keep["id"].as_str().unwrap(),
            "2026-03-01T11:00:00Z".parse().unwrap(),
            "2026-03-01T12:00:00Z".parse().unwrap(),
        )
        .unwrap();

    let (status, _, changes) = list(&sim, &token, &format!("syncToken={}", encode(&sync_token))).await;
    assert_eq!(status, StatusCode::OK);
    let items = changes["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["id"], added["id"]);
    assert_eq!(
        items[1],
        json!({"kind": "calendar#event", "etag": items[1]["etag"], "id": doomed["id"], "status": "cancelled"})
    );
    assert_eq!(items[2]["id"], moved["id"]);
    assert_eq!(items[2]["start"]["dateTime"], "2026-03-01T11:00:00Z");
    let next = changes["nextSyncToken"].as_str().unwrap();

    let (_, _, nothing) = list(&sim, &token, &format!("syncToken={}", encode(next))).await;
    assert_eq!(nothing["items"], json!([]));
    assert!(nothing["nextSyncToken"].is_string());
}

#[tokio::test]
async fn changes_made_while_paging_a_full_sync_arrive_in_the_next_incremental_sync() {
    let sim = start_with(SimConfig {
        events_page_size: 1,
        ..SimConfig::default()
    })
    .await;
    let token = access_token(&sim).await;
    insert(&sim, &token, event(1, "one")).await;
    insert(&sim, &token, event(2, "two")).await;
    let (_, _, first) = api(&sim, &token, Method::GET, "/calendars/primary/events", None).await;
    sim.control
        .insert_event("host@example.com", event(3, "during paging"))
        .unwrap();
    let page = first["nextPageToken"].as_str().unwrap();
    let (_, _, last) = list(&sim, &token, &format!("pageToken={}", encode(page))).await;
    assert_eq!(
        summaries(last["items"].as_array().unwrap()),
        ["two"],
        "the snapshot is stable"
    );
    let sync_token = last["nextSyncToken"].as_str().unwrap();
    let (items, _, _) = list_all(&sim, &token, &format!("syncToken={}", encode(sync_token))).await;
    assert_eq!(summaries(&items), ["during paging"]);
}

#[tokio::test]
async fn an_invalidated_sync_token_answers_410_full_sync_required() {
    let (sim, token) = connected().await;
    insert(&sim, &token, event(1, "one")).await;
    let (_, _, sync_token) = list_all(&sim, &token, "").await;
    assert_eq!(sim.control.invalidate_sync_tokens(Some("host@example.com")), 1);
    let (status, _, body) = list(&sim, &token, &format!("syncToken={}", encode(&sync_token))).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(
        body["error"]["errors"][0],
        json!({"domain": "calendar", "reason": "fullSyncRequired", "message": body["error"]["errors"][0]["message"], "locationType": "parameter", "location": "syncToken"})
    );
    // The documented recovery: a full sync without a token works and yields a fresh token.
    let (items, _, fresh) = list_all(&sim, &token, "").await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        list(&sim, &token, &format!("syncToken={}", encode(&fresh))).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unknown_sync_token_answers_410() {
    let (sim, token) = connected().await;
    let (status, _, body) = list(&sim, &token, "syncToken=CPDAlvWDx70CEPDAlvWDx70CGAU%3D").await;
    assert_eq!((status, reason(&body)), (StatusCode::GONE, "fullSyncRequired"));
}

#[tokio::test]
async fn a_sync_token_cannot_be_combined_with_time_bounds() {
    let (sim, token) = connected().await;
    let (_, _, sync_token) = list_all(&sim, &token, "").await;
    let path = format!(
        "/calendars/primary/events?syncToken={}&timeMin={}",
        encode(&sync_token),
        encode("2026-01-01T00:00:00Z")
    );
    let (status, _, body) = api(&sim, &token, Method::GET, &path, None).await;
    assert_eq!((status, reason(&body)), (StatusCode::BAD_REQUEST, "invalid"));
}

#[tokio::test]
async fn an_incremental_sync_pages_while_keeping_the_sync_token() {
    let sim = start_with(SimConfig {
        events_page_size: 2,
        ..SimConfig::default()
    })
    .await;
    let token = access_token(&sim).await;
    let (_, _, sync_token) = list_all(&sim, &token, "").await;
    for day in 1..=3 {
        sim.control
            .insert_event("host@example.com", event(day, &format!("day {day}")))
            .unwrap();
    }
    let (items, pages, _) = list_all(&sim, &token, &format!("syncToken={}", encode(&sync_token))).await;
    assert_eq!(pages, 2);
    assert_eq!(summaries(&items), ["day 1", "day 2", "day 3"]);
}
