//! Booking mail leaves through a real SMTP server, and a server process killed in the middle of
//! sending delivers every message exactly once after a restart.

mod support;

use serde_json::Value;
use services::event_types::Mode;
use services::{Clock, Config, Db, Services, fixtures};
use std::time::Duration;
use support::eventually;
use support::mail_sink::MailSink;
use support::server_process::{Process, next_monday_ten, spawn_server};

/// The server sending through the sink, with a short lease so that a restarted process takes an
/// interrupted job over within the test.
fn spawn_sending_server(database_url: &str, data_dir: &std::path::Path, smtp_port: u16) -> Process {
    let env = [
        ("RENDEZVOUS_SMTP_HOST", "127.0.0.1".to_owned()),
        ("RENDEZVOUS_SMTP_PORT", smtp_port.to_string()),
        ("RENDEZVOUS_SMTP_TLS", "none".to_owned()),
        ("RENDEZVOUS_JOB_LEASE_SECONDS", "8".to_owned()),
    ];
    spawn_server(database_url, data_dir, &env).0
}

fn recipients(messages: &[Value]) -> Vec<String> {
    let mut to: Vec<String> = messages
        .iter()
        .map(|m| m["rcpt_to"][0].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    to
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_send_delivers_each_message_exactly_once_after_restart() {
    let Some(sink) = MailSink::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("rendezvous.db").display());
    let data_dir = dir.path().to_string_lossy().into_owned();
    let config = Config::from_lookup(|var| (var == "RENDEZVOUS_DATA_DIR").then(|| data_dir.clone())).unwrap();
    let services = Services::new(Db::connect(&url).await.unwrap(), config, Clock::System);
    let ada = services.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let demo = fixtures::new_event_type("demo", 30, Mode::Single, vec![ada.id]);
    let demo = services.create_event_type(&ada, demo).await.unwrap();

    sink.stall().await;
    let first = spawn_sending_server(&url, dir.path(), sink.smtp_port);
    let booked = services
        .book(&demo, next_monday_ten().timestamp(), &fixtures::attendee(1), None)
        .await
        .unwrap();
    eventually("the first message to be mid-send", Duration::from_secs(20), || async {
        (sink.held().await == 1).then_some(())
    })
    .await;
    drop(first);
    eventually(
        "the killed sender's session to be dropped",
        Duration::from_secs(10),
        || async { (sink.held().await == 0).then_some(()) },
    )
    .await;
    sink.release().await;
    assert!(
        sink.messages().await.is_empty(),
        "nothing was delivered before the crash"
    );

    let _second = spawn_sending_server(&url, dir.path(), sink.smtp_port);
    eventually("both confirmations", Duration::from_secs(30), || async {
        (sink.messages().await.len() >= 2).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = sink.messages().await;
    assert_eq!(
        recipients(&messages),
        vec!["ada@example.com", "p1@example.org"],
        "exactly one each"
    );
    for message in &messages {
        assert_eq!(message["ics_errors"], serde_json::json!([]), "{}", message["raw"]);
        let invitation = &message["ics"][0];
        assert_eq!(invitation["method"], "REQUEST");
        assert_eq!(invitation["sequence"], 0);
        assert_eq!(invitation["uid"], format!("{}@127.0.0.1", booked.uid));
    }
}
