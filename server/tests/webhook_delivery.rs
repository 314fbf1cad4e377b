//! Webhooks through the real binary: an admin's key registers an endpoint over the API, a
//! booking made over the API reaches a loopback receiver, and a server killed with SIGKILL in the
//! middle of a delivery loses nothing: the restarted process sends it again under the same id.

mod common;
mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use services::fixtures::{self, Receiver, Reply};
use services::{Clock, Config, Db, Services};
use std::time::Duration;
use support::eventually;
use support::server_process::{next_monday_ten, spawn_server};

/// Team, demo event type and an admin's API key on a database both the test and the server use.
async fn team_on(url: &str, dir: &std::path::Path) -> String {
    let data_dir = dir.to_string_lossy().into_owned();
    let config = Config::from_lookup(|var| (var == "RENDEZVOUS_DATA_DIR").then(|| data_dir.clone())).unwrap();
    let services = Services::new(Db::connect(url).await.unwrap(), config, Clock::System);
    let (admin, _) = fixtures::team_with_demo(&services).await;
    services.issue_api_key(&admin, admin.id, "CRM").await.unwrap().secret
}

async fn killed_mid_delivery_loses_nothing(url: String) {
    let dir = tempfile::tempdir().unwrap();
    let key = team_on(&url, dir.path()).await;
    let env = [
        ("RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE", "1".to_owned()),
        ("RENDEZVOUS_JOB_LEASE_SECONDS", "6".to_owned()),
    ];
    let receiver = Receiver::start([Reply::Hold]).await;
    let client = reqwest::Client::new();
    let (server, base) = spawn_server(&url, dir.path(), &env);

    let created = client
        .post(format!("{base}/api/v1/webhooks"))
        .bearer_auth(&key)
        .json(&json!({"url": receiver.url, "events": ["booking.created"], "event_types": ["acme/demo"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(created["webhook"]["event_types"], json!(["acme/demo"]));
    let id = created["webhook"]["id"].as_i64().unwrap();
    let listed: Value = client
        .get(format!("{base}/api/v1/webhooks"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !listed.to_string().contains(created["secret"].as_str().unwrap()),
        "the secret is shown once"
    );

    let booked = client
        .post(format!("{base}/api/v1/bookings"))
        .json(&json!({
            "event_type": "acme/demo",
            "start": next_monday_ten().to_rfc3339(),
            "attendee": {"name": "Pat", "email": "pat@example.org", "timezone": "UTC"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), StatusCode::CREATED);
    eventually(
        "the receiver holds the first attempt",
        Duration::from_secs(20),
        || async { (receiver.received().len() == 1).then_some(()) },
    )
    .await;
    drop(server); // SIGKILL, mid-request

    let (_restarted, base) = spawn_server(&url, dir.path(), &env);
    let received = eventually(
        "the restarted server sends it again",
        Duration::from_secs(30),
        || async {
            let received = receiver.received();
            (received.len() == 2).then_some(received)
        },
    )
    .await;
    assert_eq!(
        received[0].header("Rendezvous-Delivery"),
        received[1].header("Rendezvous-Delivery")
    );
    assert_eq!(received[0].body, received[1].body);
    let log: Value = eventually(
        "the delivery is logged as delivered",
        Duration::from_secs(10),
        || async {
            let log: Value = client
                .get(format!("{base}/api/v1/webhooks/{id}/deliveries"))
                .bearer_auth(&key)
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            (log["deliveries"][0]["state"] == "delivered").then_some(log)
        },
    )
    .await;
    assert_eq!(log["deliveries"].as_array().unwrap().len(), 1);
    assert_eq!(
        log["deliveries"][0]["delivery_id"],
        received[0].header("Rendezvous-Delivery")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_delivery_loses_nothing_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("kill.db").display());
    killed_mid_delivery_loses_nothing(url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_delivery_loses_nothing_on_postgres() {
    let Some(admin_url) = common::postgres_admin_url() else {
        return;
    };
    killed_mid_delivery_loses_nothing(fixtures::postgres_database(&admin_url).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_api_names_every_problem_and_documents_the_payloads() {
    let running = common::start_with_demo(Clock::System, &[]).await;
    let s = &running.services;
    let admin = s
        .member_by_email(&domain::Email::parse("ada@example.com").unwrap())
        .await
        .unwrap();
    let admin_key = s.issue_api_key(&admin, admin.id, "ops").await.unwrap().secret;
    let client = reqwest::Client::new();
    let base = &running.base;
    let refused = client
        .post(format!("{base}/api/v1/webhooks"))
        .bearer_auth(&admin_key)
        .json(&json!({"url": "http://127.0.0.1:9/hooks", "events": ["booking.nope"], "event_types": ["acme/none"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body["fields"]["event_types"],
        "There is no event type \"acme/none\"; name them as team/slug."
    );

    let refused = client
        .post(format!("{base}/api/v1/webhooks"))
        .bearer_auth(&admin_key)
        .json(&json!({"url": "http://127.0.0.1:9/hooks", "events": ["booking.nope"]}))
        .send()
        .await
        .unwrap();
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["fields"]["url"], "Use an https:// address.");
    assert_eq!(
        body["fields"]["events"],
        "\"booking.nope\" is not an event you can subscribe to."
    );

    let document: Value = client
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        document["webhooks"]["booking.created"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Envelope"
    );
    assert!(document["components"]["schemas"]["BookingPayload"]["properties"]["sequence"].is_object());
}
