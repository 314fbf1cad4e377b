//! Refresh, expiry and revocation, and how Calendar calls treat bad or narrow tokens.

mod common;

use std::time::Duration;

use common::*;
use google_sim::{SimConfig, scope};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn refreshing_returns_a_new_access_token_and_keeps_the_refresh_token() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let response = flow(&sim).refresh(tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let refreshed: Value = response.json().await.unwrap();
    assert_ne!(refreshed["access_token"], tokens["access_token"]);
    assert_eq!(refreshed["scope"], tokens["scope"]);
    assert!(
        refreshed.get("refresh_token").is_none(),
        "Google does not rotate refresh tokens"
    );
    let (status, _, _) = api(
        &sim,
        refreshed["access_token"].as_str().unwrap(),
        Method::GET,
        "/users/me/calendarList",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_access_token_stops_working_after_its_configured_lifetime() {
    let mut config = SimConfig::default();
    config.oauth.access_token_lifetime = Duration::from_secs(60);
    let sim = start_with(config).await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    assert_eq!(tokens["expires_in"], 60);
    let token = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        api(&sim, token, Method::GET, "/users/me/calendarList", None).await.0,
        StatusCode::OK
    );
    sim.control.advance_clock(Duration::from_secs(61));
    let (status, headers, body) = api(&sim, token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.contains_key("www-authenticate"));
    assert_eq!(reason(&body), "authError");
    assert_eq!(body["error"]["code"], 401);
}

#[tokio::test]
async fn expiring_tokens_now_forces_a_refresh_which_then_works() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    assert_eq!(sim.control.expire_access_tokens(None), 1);
    let old = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        api(&sim, old, Method::GET, "/users/me/calendarList", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let refreshed: Value = flow(&sim)
        .refresh(tokens["refresh_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    let new = refreshed["access_token"].as_str().unwrap();
    assert_eq!(
        api(&sim, new, Method::GET, "/users/me/calendarList", None).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn revoking_the_access_token_also_revokes_its_refresh_token() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let access = tokens["access_token"].as_str().unwrap();
    let revoke = http()
        .post(format!("{}?token={access}", sim.endpoints().revoke))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);

    let (status, _, body) = api(&sim, access, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(reason(&body), "authError");
    let response = flow(&sim).refresh(tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
    );
}

#[tokio::test]
async fn revoking_an_already_revoked_token_is_invalid_token() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let revoke = || {
        http()
            .post(sim.endpoints().revoke)
            .form(&[("token", refresh_token)])
            .send()
    };
    assert_eq!(revoke().await.unwrap().status(), StatusCode::OK);
    let again = revoke().await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(again.json::<Value>().await.unwrap()["error"], "invalid_token");
    assert_eq!(
        api(
            &sim,
            tokens["access_token"].as_str().unwrap(),
            Method::GET,
            "/users/me/calendarList",
            None
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn after_revocation_the_next_authorization_asks_for_consent_again_and_issues_a_refresh_token() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    http()
        .post(sim.endpoints().revoke)
        .form(&[("token", tokens["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    let (_, challenge) = pkce();
    let page = flow(&sim).authorize(&all_scopes(), &challenge, &[]).await;
    assert_eq!(page.status(), StatusCode::OK, "consent page shown again");
    let again = flow(&sim).connect(&all_scopes()).await;
    assert!(again["refresh_token"].is_string());
}

#[tokio::test]
async fn the_user_removing_access_kills_every_token_of_the_app() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    assert_eq!(sim.control.revoke_access(Some("host@example.com"), None), 2);
    let response = flow(&sim).refresh(tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "invalid_grant");
    assert!(sim.control.tokens().iter().all(|t| t.dead));
}

#[tokio::test]
async fn refresh_tokens_of_apps_in_testing_die_after_seven_days() {
    let config = SimConfig {
        refresh_token_lifetime: Some(Duration::from_secs(7 * 24 * 3600)),
        ..SimConfig::default()
    };
    let sim = start_with(config).await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    assert_eq!(tokens["refresh_token_expires_in"], 604800);
    sim.control.advance_clock(Duration::from_secs(7 * 24 * 3600 + 1));
    let response = flow(&sim).refresh(tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

#[tokio::test]
async fn a_calendar_call_without_a_token_is_401_login_required() {
    let sim = start().await;
    let response = http()
        .get(sim.url("/calendar/v3/users/me/calendarList"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], 401);
    assert_eq!(body["error"]["errors"][0]["reason"], "required");
    assert_eq!(body["error"]["errors"][0]["location"], "Authorization");
}

#[tokio::test]
async fn a_made_up_token_is_401_auth_error() {
    let sim = start().await;
    let (status, _, body) = api(&sim, "ya29.made-up", Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["errors"][0]["domain"], "global");
    assert_eq!(reason(&body), "authError");
    assert_eq!(body["error"]["message"], "Invalid Credentials");
}

#[tokio::test]
async fn a_token_without_the_needed_scope_is_403_insufficient_permissions() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&[scope::FREEBUSY]).await;
    let token = tokens["access_token"].as_str().unwrap();
    let event = json!({"start": {"dateTime": "2026-03-02T09:00:00Z"}, "end": {"dateTime": "2026-03-02T10:00:00Z"}});
    let (status, _, body) = api(&sim, token, Method::POST, "/calendars/primary/events", Some(event)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(reason(&body), "insufficientPermissions");
    let (status, _, body) = api(&sim, token, Method::GET, "/users/me/calendarList", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(reason(&body), "insufficientPermissions");
}
