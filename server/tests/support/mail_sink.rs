//! The suite's real SMTP server (`end2end/mail/sink.py`, aiosmtpd), started per test on free
//! ports; `scripts/test.sh` provides it as RENDEZVOUS_MAIL_SINK and requires it.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct MailSink {
    child: Child,
    pub smtp_port: u16,
    http: String,
    client: reqwest::Client,
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl MailSink {
    /// `None` (test skipped) without a sink, unless RENDEZVOUS_REQUIRE_MAIL_SINK=1.
    pub fn start() -> Option<Self> {
        let Ok(command) = std::env::var("RENDEZVOUS_MAIL_SINK") else {
            assert!(
                std::env::var("RENDEZVOUS_REQUIRE_MAIL_SINK").is_err(),
                "RENDEZVOUS_REQUIRE_MAIL_SINK is set but RENDEZVOUS_MAIL_SINK is not"
            );
            eprintln!("skipped: RENDEZVOUS_MAIL_SINK is not set");
            return None;
        };
        let mut words = command.split_whitespace();
        let mut child = Command::new(words.next().expect("sink command"))
            .args(words)
            .arg("serve")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the mail sink");
        let line = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .find(|l| l.starts_with("mail sink"))
            .expect("the sink's address line");
        let port = |name: &str| -> String {
            let field = line.split_whitespace().find(|w| w.starts_with(name)).unwrap();
            field.rsplit(':').next().unwrap().to_owned()
        };
        Some(Self {
            smtp_port: port("smtp=").parse().unwrap(),
            http: format!("http://127.0.0.1:{}", port("http=")),
            child,
            client: reqwest::Client::new(),
        })
    }

    async fn get(&self, path: &str) -> Value {
        let response = self.client.get(format!("{}/{path}", self.http)).send().await.unwrap();
        response.json().await.unwrap()
    }

    pub async fn messages(&self) -> Vec<Value> {
        self.get("messages").await["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn held(&self) -> u64 {
        self.get("stalled").await["held"].as_u64().unwrap()
    }

    /// From now on, complete messages are held unanswered (a crash mid-send loses them).
    pub async fn stall(&self) {
        self.post("stall").await;
    }

    pub async fn release(&self) {
        self.post("release").await;
    }

    async fn post(&self, path: &str) {
        let status = self
            .client
            .post(format!("{}/{path}", self.http))
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "{path}: {status}");
    }
}
