//! Refresh-token rotation, the AADSTS codes of dead grants, and how Graph treats bad tokens.

mod common;

use std::time::Duration;

use common::*;
use ms_sim::{SimConfig, scope};
use reqwest::{Method, StatusCode};
use serde_json::Value;

async fn refresh(sim: &ms_sim::Running, refresh_token: &str) -> (StatusCode, Value) {
    let response = flow(sim).refresh(refresh_token).await;
    (response.status(), response.json().await.unwrap())
}

fn aadsts(body: &Value) -> (&str, u64) {
    (
        body["error"].as_str().unwrap_or(""),
        body["error_codes"][0].as_u64().unwrap_or(0),
    )
}

fn refresh_token(tokens: &Value) -> &str {
    tokens["refresh_token"].as_str().unwrap()
}

#[tokio::test]
async fn refreshing_rotates_the_refresh_token_and_the_old_one_stops_working() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let (status, refreshed) = refresh(&sim, refresh_token(&tokens)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(refreshed["refresh_token"], tokens["refresh_token"]);
    assert_ne!(refreshed["access_token"], tokens["access_token"]);
    let (status, again) = refresh(&sim, refresh_token(&tokens)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(aadsts(&again), ("invalid_grant", 70000));
    let (status, _) = refresh(&sim, refresh_token(&refreshed)).await;
    assert_eq!(status, StatusCode::OK, "the rotated token works");
}

#[tokio::test]
async fn replaced_refresh_tokens_can_be_configured_to_keep_working() {
    let sim = start_with(SimConfig {
        replaced_refresh_token_grace: None,
        ..SimConfig::default()
    })
    .await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    refresh(&sim, refresh_token(&tokens)).await;
    let (status, _) = refresh(&sim, refresh_token(&tokens)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_refresh_may_narrow_the_scopes_but_not_widen_them() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    let response = flow(&sim)
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token(&tokens)),
            ("client_id", ms_sim::DEFAULT_CLIENT_ID),
            ("client_secret", ms_sim::DEFAULT_CLIENT_SECRET),
            ("scope", "https://graph.microsoft.com/User.Read offline_access"),
        ])
        .await;
    let narrowed: Value = response.json().await.unwrap();
    assert_eq!(narrowed["scope"], "User.Read");
    let response = flow(&sim)
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token(&narrowed)),
            ("client_id", ms_sim::DEFAULT_CLIENT_ID),
            ("client_secret", ms_sim::DEFAULT_CLIENT_SECRET),
            ("scope", "Calendars.ReadWrite Mail.Read"),
        ])
        .await;
    assert_eq!(aadsts(&response.json().await.unwrap()), ("invalid_grant", 65001));
}

#[tokio::test]
async fn removing_the_apps_access_kills_refresh_tokens_with_aadsts65001_and_asks_for_consent_again() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    assert_eq!(sim.control.revoke_access(Some("host@example.com"), None), 1);
    let (_, body) = refresh(&sim, refresh_token(&tokens)).await;
    assert_eq!(aadsts(&body), ("invalid_grant", 65001));
    let (_, challenge) = pkce();
    let page = flow(&sim).authorize(&all_scopes(), &challenge, &[]).await;
    assert_eq!(page.status(), StatusCode::OK, "consent page shown again");
}

#[tokio::test]
async fn revoking_sessions_kills_refresh_tokens_with_aadsts50173_but_keeps_consent() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    assert_eq!(sim.control.revoke_sessions("host@example.com"), 1);
    let (_, body) = refresh(&sim, refresh_token(&tokens)).await;
    assert_eq!(aadsts(&body), ("invalid_grant", 50173));
    let (_, challenge) = pkce();
    let again = flow(&sim).authorize(&all_scopes(), &challenge, &[]).await;
    assert_eq!(again.status(), StatusCode::FOUND, "signing in again needs no consent");
}

#[tokio::test]
async fn a_refresh_token_idle_for_90_days_dies_with_aadsts700082() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    sim.control.advance_clock(Duration::from_secs(89 * 24 * 3600));
    let (status, refreshed) = refresh(&sim, refresh_token(&tokens)).await;
    assert_eq!(status, StatusCode::OK, "use resets the inactivity window");
    sim.control.advance_clock(Duration::from_secs(90 * 24 * 3600));
    let (_, body) = refresh(&sim, refresh_token(&refreshed)).await;
    assert_eq!(aadsts(&body), ("invalid_grant", 700082));
}

#[tokio::test]
async fn a_new_mfa_requirement_fails_refreshes_until_the_user_signs_in_again() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&all_scopes()).await;
    sim.control.require_interaction("host@example.com").unwrap();
    let (_, body) = refresh(&sim, refresh_token(&tokens)).await;
    assert_eq!(aadsts(&body), ("interaction_required", 50076));
    let fresh = flow(&sim).connect(&all_scopes()).await;
    let (status, _) = refresh(&sim, refresh_token(&fresh)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn graph_answers_401_invalid_authentication_token_for_missing_made_up_and_expired_tokens() {
    let (sim, token) = connected().await;
    let (status, headers, body) = send(http().get(sim.url("/v1.0/me"))).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken")
    );
    assert!(headers.contains_key("www-authenticate"));
    assert!(body["error"]["innerError"]["request-id"].is_string());
    let (status, _, _) = graph(&sim, "eyJ0eXAi.made.up", Method::GET, "/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(sim.control.expire_access_tokens(None), 1);
    let (status, _, body) = graph(&sim, &token, Method::GET, "/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );
}

#[tokio::test]
async fn access_tokens_outlive_revocation_unless_configured_otherwise() {
    let (sim, token) = connected().await;
    sim.control.revoke_sessions("host@example.com");
    assert_eq!(graph(&sim, &token, Method::GET, "/me", None).await.0, StatusCode::OK);
    sim.control.configure(|c| c.revocation_kills_access_tokens = true);
    let token = flow(&sim).access_token(&all_scopes()).await;
    sim.control.revoke_sessions("host@example.com");
    assert_eq!(
        graph(&sim, &token, Method::GET, "/me", None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_token_without_the_needed_permission_is_403() {
    let sim = start().await;
    let tokens = flow(&sim).connect(&[scope::CALENDARS_READ]).await;
    let token = tokens["access_token"].as_str().unwrap();
    let event = meeting("x", "09:00", "10:00", "UTC");
    let (status, _, body) = graph(&sim, token, Method::POST, "/me/events", Some(event)).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "ErrorAccessDenied"));
    let (status, _, body) = graph(&sim, token, Method::GET, "/me", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );
}
