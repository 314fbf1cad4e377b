//! Push notifications delivered to a real local webhook receiver.

mod common;

use std::time::Duration;

use common::*;
use google_sim::SimConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sim_support::testing::{Inbox, eventually};

/// Starts a webhook receiver answering with `replies` (then 200).
async fn receiver(replies: &[u16]) -> (String, Inbox) {
    let inbox = Inbox::start("/google/notifications", replies).await;
    (inbox.url.clone(), inbox)
}

/// The simulator logs a delivery after the receiver's reply arrives, so poll for it.
async fn delivery_log(sim: &google_sim::Running, count: usize) -> Vec<google_sim::DeliveredNotification> {
    eventually("logged deliveries", || {
        let log = sim.control.notifications();
        (log.len() >= count).then_some(log)
    })
    .await
}

fn event(summary: &str) -> Value {
    json!({"summary": summary, "start": {"dateTime": "2026-03-02T09:00:00Z"}, "end": {"dateTime": "2026-03-02T10:00:00Z"}})
}

async fn watch(sim: &google_sim::Running, token: &str, id: &str, address: &str) -> (StatusCode, Value) {
    let body =
        json!({"id": id, "type": "web_hook", "address": address, "token": "tenant=7", "params": {"ttl": "3600"}});
    let (status, _, channel) = api(sim, token, Method::POST, "/calendars/primary/events/watch", Some(body)).await;
    (status, channel)
}

#[tokio::test]
async fn a_watch_answers_with_the_channel_and_its_expiration_as_a_string() {
    let (sim, token) = connected().await;
    let (url, _) = receiver(&[]).await;
    let before = chrono::Utc::now().timestamp_millis();
    let (status, channel) = watch(&sim, &token, "channel-1", &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(channel["kind"], "api#channel");
    assert_eq!(channel["id"], "channel-1");
    assert_eq!(channel["token"], "tenant=7");
    assert!(channel["resourceId"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(
        channel["resourceUri"]
            .as_str()
            .unwrap()
            .contains("/calendar/v3/calendars/host%40example.com/events")
    );
    let expiration: i64 = channel["expiration"].as_str().unwrap().parse().unwrap();
    assert!((before + 3_600_000..before + 3_700_000).contains(&expiration));
}

#[tokio::test]
async fn watching_sends_sync_first_then_exists_for_every_change_with_googles_headers() {
    let (sim, token) = connected().await;
    let (url, inbox) = receiver(&[]).await;
    let (_, channel) = watch(&sim, &token, "channel-1", &url).await;

    let received = inbox.wait_for(1).await;
    let sync = &received[0];
    assert!(sync.body.is_empty(), "notifications have an empty body");
    assert_eq!(sync.header("x-goog-channel-id"), "channel-1");
    assert_eq!(
        sync.header("x-goog-resource-id"),
        channel["resourceId"].as_str().unwrap()
    );
    assert_eq!(sync.header("x-goog-resource-state"), "sync");
    assert_eq!(sync.header("x-goog-message-number"), "1");
    assert_eq!(sync.header("x-goog-channel-token"), "tenant=7");
    assert_eq!(
        sync.header("x-goog-resource-uri"),
        channel["resourceUri"].as_str().unwrap()
    );
    assert!(sync.header("x-goog-channel-expiration").ends_with(" GMT"));
    assert!(sync.header("user-agent").starts_with("APIs-Google"));

    // A change through the API, then one the user makes in Google Calendar.
    insert(&sim, &token, event("via API")).await;
    sim.control
        .insert_event("host@example.com", event("by the user"))
        .unwrap();
    let received = inbox.wait_for(3).await;
    let numbers: Vec<&str> = received.iter().map(|r| r.header("x-goog-message-number")).collect();
    assert_eq!(numbers, ["1", "2", "3"]);
    assert!(
        received[1..]
            .iter()
            .all(|r| r.header("x-goog-resource-state") == "exists")
    );
    assert!(
        received
            .iter()
            .all(|r| r.header("x-goog-resource-id") == channel["resourceId"].as_str().unwrap())
    );

    let log = delivery_log(&sim, 3).await;
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|n| n.status == Some(200) && n.attempts == 1));
}

#[tokio::test]
async fn a_stopped_channel_gets_no_more_notifications() {
    let (sim, token) = connected().await;
    let (url, inbox) = receiver(&[]).await;
    let (_, channel) = watch(&sim, &token, "channel-1", &url).await;
    inbox.wait_for(1).await;
    let stop = json!({"id": "channel-1", "resourceId": channel["resourceId"]});
    let (status, _, body) = api(&sim, &token, Method::POST, "/channels/stop", Some(stop.clone())).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    sim.control
        .insert_event("host@example.com", event("after stop"))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(inbox.received().len(), 1);
    let (status, _, _) = api(&sim, &token, Method::POST, "/channels/stop", Some(stop)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_receiver_answering_503_is_retried_with_backoff() {
    let mut config = SimConfig::default();
    config.notifications.retry_base = Duration::from_millis(10);
    let sim = start_with(config).await;
    let token = access_token(&sim).await;
    let (url, inbox) = receiver(&[503, 503]).await;
    watch(&sim, &token, "channel-1", &url).await;
    let received = inbox.wait_for(3).await;
    assert!(received.iter().all(|r| r.header("x-goog-message-number") == "1"));
    let log = delivery_log(&sim, 1).await;
    assert_eq!((log[0].status, log[0].attempts), (Some(200), 3));
}

#[tokio::test]
async fn a_channel_id_can_be_used_only_once() {
    let (sim, token) = connected().await;
    let (url, _) = receiver(&[]).await;
    assert_eq!(watch(&sim, &token, "channel-1", &url).await.0, StatusCode::OK);
    let (status, body) = watch(&sim, &token, "channel-1", &url).await;
    assert_eq!((status, reason(&body)), (StatusCode::BAD_REQUEST, "channelIdNotUnique"));
}
