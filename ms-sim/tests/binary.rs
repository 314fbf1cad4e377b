//! The `ms-sim` binary: announces its URL on one line and serves until SIGTERM.

use sim_support::testing::Binary;

#[tokio::test]
async fn the_binary_prints_its_url_serves_the_control_api_and_exits_on_sigterm() {
    let binary = Binary::start(env!("CARGO_BIN_EXE_ms-sim"), "ms-sim");
    assert!(binary.base_url.starts_with("http://127.0.0.1:"));
    let users: serde_json::Value = reqwest::get(format!("{}/_control/users", binary.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(users[0]["email"], "host@example.com");
    let status = binary.terminate();
    assert!(status.success(), "exits cleanly on SIGTERM: {status}");
}
