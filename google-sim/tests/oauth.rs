//! The authorization-code flow with PKCE, as a web server client drives it.

mod common;

use std::time::Duration;

use common::*;
use google_sim::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, OAuthClient, scope};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn the_consent_page_names_the_client_and_scopes_and_offers_allow_and_deny() {
    let sim = start().await;
    let (_, challenge) = pkce();
    let page = flow(&sim).authorize(&all_scopes(), &challenge, &[]).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Rendezvous wants access to your Google Account"));
    assert!(html.contains("host@example.com"));
    assert!(html.contains("calendar.events"), "scopes are listed");
    assert!(html.contains("<form method=\"post\" action=\"/o/oauth2/v2/auth/decision\">"));
    assert!(html.contains("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"));
    assert!(html.contains("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>"));
    assert!(
        html.contains("<label for=\"scope-0\">"),
        "each scope checkbox has a label"
    );
}

#[tokio::test]
async fn allowing_redirects_with_a_code_the_granted_scopes_and_the_state() {
    let sim = start().await;
    let params = flow(&sim).approve_consent(&all_scopes()).await;
    assert!(param(&params, "code").is_some_and(|c| c.starts_with("4/0A")));
    assert_eq!(param(&params, "scope"), Some(all_scopes().join(" ")));
}

#[tokio::test]
async fn denying_redirects_with_access_denied_and_the_state() {
    let sim = start().await;
    let params = flow(&sim).refuse_consent(&all_scopes()).await;
    assert_eq!(params.len(), 2, "only the error and the state: {params:?}");
}

#[tokio::test]
async fn a_code_with_the_right_verifier_yields_access_and_refresh_tokens() {
    let sim = start().await;
    let body = flow(&sim).connect(&all_scopes()).await;
    assert!(body["access_token"].as_str().unwrap().starts_with("ya29."));
    assert_eq!(body["expires_in"], 3599);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], all_scopes().join(" "));
    assert!(body["refresh_token"].as_str().unwrap().starts_with("1//"));
    assert!(body.get("id_token").is_none());
}

#[tokio::test]
async fn a_wrong_code_verifier_is_rejected_with_invalid_grant() {
    let sim = start().await;
    let (code, _) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let (other_verifier, _) = pkce();
    let response = flow(&sim).exchange(&code, &other_verifier).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "Invalid code verifier.");
}

#[tokio::test]
async fn a_missing_code_verifier_is_rejected_when_a_challenge_was_sent() {
    let sim = start().await;
    let (code, _) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let response = flow(&sim)
        .token_request(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("redirect_uri", REDIRECT_URI),
        ])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

#[tokio::test]
async fn an_authorization_code_can_be_redeemed_only_once() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    assert_eq!(flow(&sim).exchange(&code, &verifier).await.status(), StatusCode::OK);
    let again = flow(&sim).exchange(&code, &verifier).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(again.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

#[tokio::test]
async fn an_authorization_code_expires_after_its_short_lifetime() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    sim.control.advance_clock(Duration::from_secs(11 * 60));
    let response = flow(&sim).exchange(&code, &verifier).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

#[tokio::test]
async fn the_token_request_must_repeat_the_authorized_redirect_uri() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let response = flow(&sim)
        .exchange_at(&code, "http://127.0.0.1:9/elsewhere", &verifier)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "redirect_uri_mismatch"
    );
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_with_401() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let response = flow(&sim)
        .token_request(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", "wrong"),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier.as_str()),
        ])
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "invalid_client");
}

#[tokio::test]
async fn client_credentials_may_also_come_as_http_basic() {
    let sim = start().await;
    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[]).await;
    let response = http()
        .post(sim.endpoints().token)
        .basic_auth(DEFAULT_CLIENT_ID, Some(DEFAULT_CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unregistered_redirect_uri_gets_an_error_page_instead_of_a_redirect() {
    let sim = start().await;
    let mut client = OAuthClient::new("strict.apps.googleusercontent.com", "s3cret", "Strict");
    client.redirect_uris = vec!["https://app.example.com/callback".into()];
    sim.control.add_client(client);
    let url = format!(
        "{}?client_id=strict.apps.googleusercontent.com&redirect_uri={}&response_type=code&scope={}",
        sim.endpoints().authorize,
        "https%3A%2F%2Fevil.example.com%2Fcb",
        scope::EVENTS
    );
    let page = http().get(url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.headers().get("location").is_none());
    assert!(page.text().await.unwrap().contains("Error 400: redirect_uri_mismatch"));
}

#[tokio::test]
async fn an_unknown_scope_gets_an_invalid_scope_error_page() {
    let sim = start().await;
    let (_, challenge) = pkce();
    let page = http()
        .get(flow(&sim).authorize_url(&["https://www.googleapis.com/auth/drive"], &challenge, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.text().await.unwrap().contains("invalid_scope"));
}

#[tokio::test]
async fn unchecking_a_scope_grants_only_the_rest() {
    let sim = start().await;
    let (verifier, challenge) = pkce();
    let html = flow(&sim).consent_html(&all_scopes(), &challenge, &[]).await;
    let redirect = flow(&sim)
        .decide(&consent_request_id(&html), "allow", &[scope::FREEBUSY])
        .await;
    let params = location_params(&redirect);
    assert_eq!(param(&params, "scope").as_deref(), Some(scope::FREEBUSY));
    let token: Value = flow(&sim)
        .exchange(&param(&params, "code").unwrap(), &verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(token["scope"], scope::FREEBUSY);
}

#[tokio::test]
async fn a_second_authorization_skips_consent_and_gives_no_refresh_token_unless_prompt_is_consent() {
    let sim = start().await;
    let first = flow(&sim).connect(&all_scopes()).await;
    assert!(first["refresh_token"].is_string());

    // Already granted: Google redirects straight back, and does not hand out another refresh token.
    let second = flow(&sim).connect(&all_scopes()).await;
    assert!(second.get("refresh_token").is_none());

    let (code, verifier) = flow(&sim).obtain_code(&all_scopes(), &[("prompt", "consent")]).await;
    let third: Value = flow(&sim).exchange(&code, &verifier).await.json().await.unwrap();
    assert!(third["refresh_token"].is_string());
}

#[tokio::test]
async fn prompt_none_without_a_prior_grant_redirects_with_consent_required() {
    let sim = start().await;
    let (_, challenge) = pkce();
    let redirect = flow(&sim)
        .authorize(&all_scopes(), &challenge, &[("prompt", "none")])
        .await;
    assert_eq!(redirect.status(), StatusCode::FOUND);
    assert_eq!(
        param(&location_params(&redirect), "error").as_deref(),
        Some("consent_required")
    );
}
