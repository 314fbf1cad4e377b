//! The `rendezvous api-key` command against a real database file.

use services::fixtures;
use services::{Clock, Config, Db, Services};
use std::process::Command;

#[tokio::test]
async fn the_command_line_issues_a_working_key_and_revokes_it() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_string_lossy().into_owned();
    let config = Config::from_lookup(|var| (var == "RENDEZVOUS_DATA_DIR").then(|| data_dir.clone())).unwrap();
    let services = Services::new(Db::connect(&config.database_url).await.unwrap(), config, Clock::System);
    services.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rendezvous"))
            .args(args)
            .env("RENDEZVOUS_DATA_DIR", dir.path())
            .output()
            .unwrap()
    };
    let created = run(&["api-key", "create", "--email", "ada@example.com", "--name", "CRM"]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let secret = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert_eq!(
        services.member_for_api_key(&secret).await.unwrap().email,
        "ada@example.com"
    );
    let key_id = services.api_keys(&services.member(1).await.unwrap()).await.unwrap()[0]
        .id
        .to_string();
    assert!(
        run(&["api-key", "revoke", "--email", "ada@example.com", "--id", &key_id])
            .status
            .success()
    );
    assert!(services.member_for_api_key(&secret).await.is_err());
    let unknown = run(&["api-key", "create", "--email", "nobody@example.com", "--name", "x"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no member with email"));
}
