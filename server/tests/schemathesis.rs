//! Property-based API testing: schemathesis (Python) reads `/api/v1/openapi.json` from the real
//! server and fuzzes every operation, public and with an admin's API key. Any 5xx, undocumented
//! status, wrong content type or response that violates its schema fails the test.
//! `scripts/test.sh` installs it and sets RENDEZVOUS_SCHEMATHESIS (its path) and
//! RENDEZVOUS_REQUIRE_SCHEMATHESIS=1, so CI can never skip this silently.

mod common;

use services::event_types::Mode;
use services::fixtures;

const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance";

fn schemathesis() -> Option<String> {
    let found = std::env::var("RENDEZVOUS_SCHEMATHESIS").ok();
    assert!(
        found.is_some() || std::env::var("RENDEZVOUS_REQUIRE_SCHEMATHESIS").is_err(),
        "RENDEZVOUS_REQUIRE_SCHEMATHESIS is set but RENDEZVOUS_SCHEMATHESIS is not"
    );
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_errors_and_no_schema_violations() {
    let Some(cli) = schemathesis() else {
        eprintln!("skipped: RENDEZVOUS_SCHEMATHESIS is not set");
        return;
    };
    let server = common::start().await;
    let s = &server.services;
    let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let bob = fixtures::invited_member(s, &admin, "Bob").await;
    let hosts = vec![admin.id, bob.id];
    s.create_event_type(&admin, fixtures::new_event_type("demo", 30, Mode::RoundRobin, hosts))
        .await
        .unwrap();
    let key = s.issue_api_key(&admin, admin.id, "schemathesis").await.unwrap().secret;
    let report = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(cli);
    command
        .args(["run", &format!("{}/api/v1/openapi.json", server.base)])
        .args([
            "--url",
            &server.base,
            "--checks",
            CHECKS,
            "--max-examples",
            "40",
            "--seed",
            "1",
        ])
        .args(["--header", &format!("Authorization: Bearer {key}")])
        .args(["--report-dir", &report.path().to_string_lossy(), "--no-color"]);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
