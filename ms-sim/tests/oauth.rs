//! The identity platform's authorization-code flow with PKCE, as a web app drives it.

mod common;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use ms_sim::{DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, OAuthClient, scope};
use reqwest::StatusCode;
use serde_json::Value;
use sim_support::testing::answer;

async fn consent_page(sim: &ms_sim::Running) -> String {
    let (_, challenge) = pkce();
    flow(sim).consent_html(&all_scopes(), &challenge, &[]).await
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn the_consent_page_is_one_form_with_the_permissions_and_accept_and_cancel_buttons() {
    let sim = start().await;
    let html = consent_page(&sim).await;
    assert!(html.contains("<h1>Permissions requested</h1>"));
    assert!(html.contains("Rendezvous"));
    assert!(html.contains("host@example.com"));
    assert!(html.contains("Have full access to your calendars"));
    assert!(html.contains("Maintain access to data you have given it access to"));
    assert_eq!(html.matches("<form").count(), 1);
    assert!(html.contains("<form method=\"post\" action=\"/common/Consent/Set\">"));
    assert!(html.contains("<button type=\"submit\" name=\"decision\" value=\"accept\">Accept</button>"));
    assert!(html.contains("<button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>"));
}

#[tokio::test]
async fn accepting_redirects_with_a_code_the_state_and_a_session_state() {
    let sim = start().await;
    let params = flow(&sim).approve_consent(&all_scopes()).await;
    assert!(param(&params, "code").is_some_and(|c| c.starts_with("0.A")));
    assert!(param(&params, "session_state").is_some());
}

#[tokio::test]
async fn cancelling_redirects_with_access_denied_and_aadsts65004() {
    let sim = start().await;
    let params = flow(&sim).refuse_consent(&all_scopes()).await;
    assert!(param(&params, "error_description").unwrap().starts_with("AADSTS65004:"));
}

#[tokio::test]
async fn a_code_with_the_right_verifier_yields_tokens_shaped_like_entras() {
    let sim = start().await;
    let body = flow(&sim).connect(&all_scopes()).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    assert_eq!(body["ext_expires_in"], 3599);
    assert_eq!(body["scope"], "User.Read Calendars.ReadWrite");
    assert!(body["refresh_token"].as_str().unwrap().len() > 500);
    assert!(body.get("id_token").is_none(), "no id_token without openid");
    let access = body["access_token"].as_str().unwrap();
    assert!(access.len() > 1000, "Graph access tokens are kilobyte-long JWTs");
    let claims = claims(access);
    assert_eq!(claims["aud"], "00000003-0000-0000-c000-000000000000");
    assert_eq!(claims["scp"], "User.Read Calendars.ReadWrite");
    assert_eq!(claims["tid"], DEFAULT_TENANT_ID);
    assert_eq!(claims["upn"], "host@example.com");
}

#[tokio::test]
async fn without_offline_access_there_is_no_refresh_token() {
    let sim = start().await;
    let body = flow(&sim).connect(&[scope::USER_READ, scope::CALENDARS_READ]).await;
    assert!(body.get("refresh_token").is_none());
    assert_eq!(body["scope"], "User.Read Calendars.Read");
}

#[tokio::test]
async fn openid_adds_an_id_token_with_the_nonce_and_email() {
    let sim = start().await;
    let scopes = ["openid", "email", "offline_access", "Calendars.Read"];
    let body = flow(&sim).connect_with(&scopes, &[("nonce", "n-0S6")]).await;
    let id = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id["aud"], DEFAULT_CLIENT_ID);
    assert_eq!(id["nonce"], "n-0S6");
    assert_eq!(id["email"], "host@example.com");
    assert_eq!(id["preferred_username"], "host@example.com");
    assert_eq!(body["scope"], "Calendars.Read openid email");
}

#[tokio::test]
async fn fully_qualified_graph_scopes_are_accepted_and_answered_in_the_configured_form() {
    let sim = start().await;
    sim.control.configure(|c| c.qualified_scopes_in_token_response = true);
    let body = flow(&sim)
        .connect(&["offline_access", "https://graph.microsoft.com/Calendars.ReadWrite"])
        .await;
    assert_eq!(body["scope"], "https://graph.microsoft.com/Calendars.ReadWrite");
}

#[tokio::test]
async fn plain_pkce_is_verified_too() {
    let sim = start().await;
    let verifier = "plain-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    let html = flow(&sim)
        .consent_html(&all_scopes(), verifier, &[("code_challenge_method", "plain")])
        .await;
    let redirect = flow(&sim).decide(&input_value(&html, "request"), "accept", &[]).await;
    let code = param(&location_params(&redirect), "code").unwrap();
    assert_eq!(flow(&sim).exchange(&code, verifier).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_code_verifier_is_invalid_grant_aadsts50148() {
    let sim = start().await;
    let (code, _) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let (other, _) = pkce();
    let (status, body) = answer(flow(&sim).exchange(&code, &other).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"], serde_json::json!([50148]));
    assert!(body["error_description"].as_str().unwrap().starts_with("AADSTS50148:"));
    for field in ["timestamp", "trace_id", "correlation_id"] {
        assert!(body[field].is_string(), "{field}");
    }
}

#[tokio::test]
async fn a_code_can_be_redeemed_once_and_only_within_ten_minutes() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    assert_eq!(flow(&sim).exchange(&code, &verifier).await.status(), StatusCode::OK);
    let (_, again) = answer(flow(&sim).exchange(&code, &verifier).await).await;
    assert_eq!(again["error_codes"][0], 54005);

    let (late, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    sim.control.advance_clock(Duration::from_secs(11 * 60));
    let (_, expired) = answer(flow(&sim).exchange(&late, &verifier).await).await;
    assert_eq!(
        (expired["error"].as_str(), expired["error_codes"][0].as_u64()),
        (Some("invalid_grant"), Some(70008))
    );
}

#[tokio::test]
async fn the_token_request_must_repeat_the_authorized_redirect_uri() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let (status, body) = answer(
        flow(&sim)
            .exchange_at(&code, "http://127.0.0.1:9/elsewhere", &verifier)
            .await,
    )
    .await;
    assert_eq!(
        (status, body["error_codes"][0].as_u64()),
        (StatusCode::BAD_REQUEST, Some(500112))
    );
}

#[tokio::test]
async fn a_wrong_client_secret_is_401_invalid_client() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let (status, body) = answer(
        flow(&sim)
            .token_request(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", DEFAULT_CLIENT_ID),
                ("client_secret", "wrong"),
                ("redirect_uri", REDIRECT_URI),
                ("code_verifier", &verifier),
            ])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (body["error"].as_str(), body["error_codes"][0].as_u64()),
        (Some("invalid_client"), Some(7000215))
    );
}

#[tokio::test]
async fn an_unknown_scope_is_redirected_as_invalid_scope_aadsts70011() {
    let sim = start().await;
    let (_, challenge) = pkce();
    let redirect = flow(&sim).authorize(&["Mail.Send"], &challenge, &[]).await;
    assert_eq!(redirect.status(), StatusCode::FOUND);
    let params = location_params(&redirect);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_scope"));
    assert!(param(&params, "error_description").unwrap().starts_with("AADSTS70011:"));
}

#[tokio::test]
async fn an_unregistered_redirect_uri_or_unknown_tenant_gets_an_error_page_not_a_redirect() {
    let sim = start().await;
    let mut client = OAuthClient::new("0b7f7b3e-0000-4000-8000-000000000001", "s3cret", "Strict");
    client.redirect_uris = vec!["https://app.example.com/callback".into()];
    sim.control.add_client(client);
    let url = format!(
        "{}?client_id=0b7f7b3e-0000-4000-8000-000000000001&redirect_uri=https%3A%2F%2Fevil.example.com%2Fcb&response_type=code&scope=User.Read",
        sim.endpoints().authorize
    );
    let page = http().get(url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.headers().get("location").is_none());
    assert!(page.text().await.unwrap().contains("AADSTS50011"));

    let elsewhere = sim.url("/contoso.example/oauth2/v2.0/authorize?client_id=x");
    let page = http().get(elsewhere).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("AADSTS90002"));
}

#[tokio::test]
async fn the_tenant_id_and_organizations_work_like_common() {
    let sim = start().await;
    for tenant in [DEFAULT_TENANT_ID, "organizations"] {
        let mut tenant_flow = flow(&sim);
        tenant_flow.authorize_endpoint = sim.url(&format!("/{tenant}/oauth2/v2.0/authorize"));
        tenant_flow.token_endpoint = sim.url(&format!("/{tenant}/oauth2/v2.0/token"));
        assert!(tenant_flow.connect(&all_scopes()).await["access_token"].is_string());
    }
}

#[tokio::test]
async fn a_second_authorization_skips_consent_unless_prompt_asks_for_it() {
    let sim = start().await;
    flow(&sim).connect(&all_scopes()).await;
    let (_, challenge) = pkce();
    let again = flow(&sim).authorize(&all_scopes(), &challenge, &[]).await;
    assert_eq!(again.status(), StatusCode::FOUND, "straight back with a code");
    assert!(param(&location_params(&again), "code").is_some());
    let prompted = flow(&sim)
        .authorize(&all_scopes(), &challenge, &[("prompt", "consent")])
        .await;
    assert_eq!(prompted.status(), StatusCode::OK, "the consent page again");
}

#[tokio::test]
async fn prompt_none_without_consent_redirects_with_consent_required() {
    let sim = start().await;
    let (_, challenge) = pkce();
    let redirect = flow(&sim)
        .authorize(&all_scopes(), &challenge, &[("prompt", "none")])
        .await;
    let params = location_params(&redirect);
    assert_eq!(param(&params, "error").as_deref(), Some("consent_required"));
    assert!(param(&params, "error_description").unwrap().starts_with("AADSTS65001:"));
}

#[tokio::test]
async fn response_mode_form_post_answers_with_a_self_submitting_form() {
    let sim = start().await;
    flow(&sim).connect(&all_scopes()).await;
    let (_, challenge) = pkce();
    let page = flow(&sim)
        .authorize(&all_scopes(), &challenge, &[("response_mode", "form_post")])
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{REDIRECT_URI}\"")));
    assert!(input_value(&html, "code").starts_with("0.A"));
    assert_eq!(input_value(&html, "state"), "xyz-state");
}
