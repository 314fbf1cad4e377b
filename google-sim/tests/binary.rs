//! The `google-sim` binary: announces its URL on one line and serves until SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_prints_its_url_serves_the_control_api_and_exits_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_google-sim"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base_url = line
        .trim()
        .strip_prefix("google-sim listening on ")
        .expect("announcement line")
        .to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"));

    let calendars: serde_json::Value = reqwest::get(format!("{base_url}/_control/calendars"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calendars[0]["id"], "host@example.com");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exits cleanly on SIGTERM: {status}");
}
