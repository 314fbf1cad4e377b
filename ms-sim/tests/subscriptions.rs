//! Change-notification subscriptions against a real local receiver: the validation handshake,
//! lifetimes, renewal, deletion, and the notifications themselves.

mod common;

use std::time::Duration;

use common::*;
use ms_sim::SimConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sim_support::testing::{Handshake, Inbox};

fn in_hours(hours: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::hours(hours)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn subscription(url: &str, resource: &str) -> Value {
    json!({
        "changeType": "created,updated,deleted",
        "notificationUrl": url,
        "resource": resource,
        "expirationDateTime": in_hours(48),
        "clientState": "secret-from-rendezvous",
    })
}

async fn subscribe(sim: &ms_sim::Running, token: &str, body: Value) -> (StatusCode, Value) {
    let (status, _, body) = graph(sim, token, Method::POST, "/subscriptions", Some(body)).await;
    (status, body)
}

/// The notification items received so far, flattened across batches (the handshake excluded).
fn notifications(inbox: &Inbox) -> Vec<Value> {
    inbox
        .received()
        .iter()
        .filter(|r| r.query.is_none())
        .flat_map(|r| r.json()["value"].as_array().unwrap().clone())
        .collect()
}

async fn wait_for_notifications(inbox: &Inbox, count: usize) -> Vec<Value> {
    eventually(&format!("{count} notifications"), || {
        let items = notifications(inbox);
        (items.len() >= count).then_some(items)
    })
    .await
}

#[tokio::test]
async fn creating_a_subscription_validates_the_endpoint_then_answers_201() {
    let (sim, token) = connected().await;
    let inbox = Inbox::start("/microsoft/notifications", &[]).await;
    let (status, created) = subscribe(&sim, &token, subscription(&inbox.url, "me/events")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["resource"], "me/events");
    assert_eq!(created["changeType"], "created,updated,deleted");
    assert_eq!(created["clientState"], "secret-from-rendezvous");
    assert_eq!(created["applicationId"], ms_sim::DEFAULT_CLIENT_ID);
    assert_eq!(created["creatorId"], sim.control.users()[0].id.as_str());
    let handshake = &inbox.received()[0];
    assert!(handshake.header("content-type").starts_with("text/plain"));
    let token_sent = url::form_urlencoded::parse(handshake.query.as_deref().unwrap().as_bytes())
        .find(|(k, _)| k == "validationToken")
        .unwrap()
        .1
        .into_owned();
    assert!(token_sent.contains(' '), "the token needs URL-decoding: {token_sent}");
    assert_eq!(sim.control.subscriptions().len(), 1);
}

#[tokio::test]
async fn an_endpoint_that_does_not_echo_the_token_or_answers_too_late_gets_no_subscription() {
    let (sim, token) = start_connected(SimConfig {
        validation_timeout: Duration::from_millis(200),
        ..SimConfig::default()
    })
    .await;
    let inbox = Inbox::start("/hook", &[]).await;
    for handshake in [Handshake::Ignore, Handshake::Slow(Duration::from_millis(500))] {
        inbox.answer_handshake(handshake);
        let (status, body) = subscribe(&sim, &token, subscription(&inbox.url, "me/events")).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "ValidationError"));
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("Subscription validation request failed")
        );
    }
    assert!(sim.control.subscriptions().is_empty());
}

#[tokio::test]
async fn the_lifetime_is_capped_at_the_configured_maximum() {
    let (sim, token) = connected().await;
    let inbox = Inbox::start("/hook", &[]).await;
    let mut too_long = subscription(&inbox.url, "me/events");
    too_long["expirationDateTime"] = json!(in_hours(24 * 8));
    let (status, body) = subscribe(&sim, &token, too_long).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].as_str().unwrap().contains("10080 minutes"));
    sim.control
        .configure(|c| c.subscription_max_lifetime = Duration::from_secs(4230 * 60));
    let mut older_docs = subscription(&inbox.url, "me/events");
    older_docs["expirationDateTime"] = json!(in_hours(72));
    assert_eq!(subscribe(&sim, &token, older_docs).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn changes_through_graph_and_by_the_user_are_notified_with_client_state_and_resource() {
    let (sim, token) = connected().await;
    let inbox = Inbox::start("/hook", &[]).await;
    let (_, created) = subscribe(&sim, &token, subscription(&inbox.url, "me/events")).await;
    let event = create(&sim, &token, meeting("Via Graph", "09:00", "10:00", "UTC")).await;
    let id = event["id"].as_str().unwrap();
    sim.control
        .patch_event(id, json!({"subject": "Renamed in Outlook"}))
        .unwrap();
    sim.control.delete_event(id).unwrap();
    let items = wait_for_notifications(&inbox, 3).await;
    let kinds: Vec<&str> = items.iter().map(|i| i["changeType"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "updated", "deleted"]);
    let user_id = &sim.control.users()[0].id;
    let first = &items[0];
    assert_eq!(first["subscriptionId"], created["id"]);
    assert_eq!(first["clientState"], "secret-from-rendezvous");
    assert_eq!(first["tenantId"], ms_sim::DEFAULT_TENANT_ID);
    assert_eq!(first["resource"], format!("Users/{user_id}/Events/{id}"));
    assert_eq!(first["resourceData"]["id"], id);
    assert_eq!(first["resourceData"]["@odata.type"], "#Microsoft.Graph.Event");
    assert_eq!(first["resourceData"]["@odata.etag"], event["@odata.etag"]);
    let delivered = sim.control.notifications();
    assert!(delivered.iter().all(|n| n.status == Some(200) && n.kind == "change"));
}

#[tokio::test]
async fn only_the_subscribed_calendar_and_change_types_are_notified() {
    let (sim, token) = connected().await;
    let inbox = Inbox::start("/hook", &[]).await;
    let work = sim
        .control
        .add_calendar("host@example.com", ms_sim::NewCalendar { name: "Work".into() })
        .unwrap();
    let mut body = subscription(&inbox.url, &format!("me/calendars/{}/events", work.id));
    body["changeType"] = json!("deleted");
    assert_eq!(subscribe(&sim, &token, body).await.0, StatusCode::CREATED);
    let elsewhere = sim
        .control
        .insert_event(&default_calendar(&sim), meeting("Default", "09:00", "10:00", "UTC"))
        .unwrap();
    sim.control.delete_event(elsewhere["id"].as_str().unwrap()).unwrap();
    let here = sim
        .control
        .insert_event(&work.id, meeting("Work", "09:00", "10:00", "UTC"))
        .unwrap();
    sim.control.delete_event(here["id"].as_str().unwrap()).unwrap();
    let items = wait_for_notifications(&inbox, 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(notifications(&inbox).len(), 1);
    assert_eq!(items[0]["resourceData"]["id"], here["id"]);
}

#[tokio::test]
async fn renewing_extends_the_expiration_and_deleting_stops_notifications() {
    let (sim, token) = connected().await;
    let inbox = Inbox::start("/hook", &[]).await;
    let (_, created) = subscribe(&sim, &token, subscription(&inbox.url, "/me/events")).await;
    let path = format!("/subscriptions/{}", created["id"].as_str().unwrap());
    let later = in_hours(100);
    let (status, _, renewed) = graph(
        &sim,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"expirationDateTime": later})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(renewed["expirationDateTime"], created["expirationDateTime"]);
    let (status, _, body) = graph(&sim, &token, Method::DELETE, &path, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    sim.control
        .insert_event(&default_calendar(&sim), meeting("After", "09:00", "10:00", "UTC"))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(notifications(&inbox).is_empty());
    assert_eq!(
        graph(&sim, &token, Method::DELETE, &path, None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_expired_subscription_is_gone() {
    let (sim, token) = connected().await;
    let inbox = Inbox::start("/hook", &[]).await;
    let (_, created) = subscribe(&sim, &token, subscription(&inbox.url, "me/events")).await;
    sim.control.advance_clock(Duration::from_secs(49 * 3600));
    let token = flow(&sim).access_token(&all_scopes()).await;
    let path = format!("/subscriptions/{}", created["id"].as_str().unwrap());
    assert_eq!(
        graph(&sim, &token, Method::GET, &path, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert!(sim.control.subscriptions().is_empty());
}

#[tokio::test]
async fn a_receiver_answering_503_is_retried() {
    let mut config = SimConfig::default();
    config.notifications.retry_base = Duration::from_millis(10);
    let (sim, token) = start_connected(config).await;
    let inbox = Inbox::start("/hook", &[503, 503]).await;
    subscribe(&sim, &token, subscription(&inbox.url, "me/events")).await;
    create(&sim, &token, meeting("x", "09:00", "10:00", "UTC")).await;
    let delivered = eventually("a logged delivery", || {
        let log = sim.control.notifications();
        (!log.is_empty()).then_some(log)
    })
    .await;
    assert_eq!((delivered[0].status, delivered[0].attempts), (Some(200), 3));
}

#[tokio::test]
async fn lifecycle_notifications_go_to_the_lifecycle_url_and_subscription_removed_removes_it() {
    let (sim, token) = connected().await;
    let inbox = Inbox::start("/hook", &[]).await;
    let lifecycle = Inbox::start("/lifecycle", &[]).await;
    let mut body = subscription(&inbox.url, "me/events");
    body["lifecycleNotificationUrl"] = json!(lifecycle.url);
    let (_, created) = subscribe(&sim, &token, body).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(lifecycle.received().len(), 1, "the lifecycle URL is validated too");
    sim.control.send_lifecycle_event(id, "subscriptionRemoved").unwrap();
    let received = lifecycle.wait_for(2).await;
    let item = &received[1].json()["value"][0];
    assert_eq!(item["lifecycleEvent"], "subscriptionRemoved");
    assert_eq!(item["subscriptionId"], id);
    assert!(sim.control.subscriptions().is_empty());
}

#[tokio::test]
async fn a_delegated_token_cannot_subscribe_to_another_mailbox() {
    let (sim, token) = connected().await;
    sim.control.add_user(ms_sim::UserSpec::new("lin@example.com")).unwrap();
    let inbox = Inbox::start("/hook", &[]).await;
    let (status, body) = subscribe(&sim, &token, subscription(&inbox.url, "users/lin@example.com/events")).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "ErrorAccessDenied"));
    assert!(inbox.received().is_empty(), "refused before the handshake");
}
