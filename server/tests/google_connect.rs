//! Connecting Google Calendar over HTTP as a browser does it, against the in-process simulator:
//! the Integrations page, the connect button, Google's consent page and the callback.

mod common;

use google_sim::{DEFAULT_USER, SimConfig, Simulator};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use services::Clock;
use services::fixtures;

fn location(response: &reqwest::Response) -> String {
    response.headers()[LOCATION].to_str().unwrap().to_owned()
}

async fn signed_in(server: &common::Running) -> String {
    let admin = server
        .services
        .set_up(fixtures::new_team("ada@example.com"))
        .await
        .unwrap();
    let secret = server.services.start_session(&admin).await.unwrap();
    format!("rdv_session={secret}")
}

async fn page(server: &common::Running, cookie: &str) -> String {
    let response = server
        .client
        .get(format!("{}/dashboard/integrations", server.base))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_member_connects_google_through_the_consent_page_and_sees_the_account() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let server = common::start_configured(Clock::System, &fixtures::google_vars(&sim)).await;
    let cookie = signed_in(&server).await;
    assert!(page(&server, &cookie).await.contains("Connect Google Calendar"));

    let connect = server
        .client
        .post(format!("{}/integrations/google/connect", server.base))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &server.base)
        .send()
        .await
        .unwrap();
    assert_eq!(connect.status(), StatusCode::SEE_OTHER);
    let consent = location(&connect);
    assert!(consent.starts_with(&sim.endpoints().authorize), "{consent}");

    let callback = fixtures::allow_consent(&sim, &consent).await;
    assert_eq!(callback.path(), "/integrations/google/callback");
    let back = server
        .client
        .get(format!(
            "{}{}?{}",
            server.base,
            callback.path(),
            callback.query().unwrap()
        ))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&back), "/dashboard/integrations?google=connected");
    let html = page(&server, &cookie).await;
    assert!(
        html.contains(DEFAULT_USER) && html.contains("Check these calendars for conflicts"),
        "{html}"
    );
}

#[tokio::test]
async fn connecting_needs_a_session_and_refuses_other_sites() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let server = common::start_configured(Clock::System, &fixtures::google_vars(&sim)).await;
    let cookie = signed_in(&server).await;
    let url = format!("{}/integrations/google/connect", server.base);
    let anonymous = server
        .client
        .post(&url)
        .header(ORIGIN, &server.base)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&anonymous), "/login?next=%2Fdashboard%2Fintegrations");
    let forged = server
        .client
        .post(&url)
        .header(COOKIE, &cookie)
        .header(ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_credentials_the_page_explains_how_to_enable_google() {
    let server = common::start().await;
    let cookie = signed_in(&server).await;
    let html = page(&server, &cookie).await;
    assert!(html.contains("RENDEZVOUS_GOOGLE_CLIENT_ID") && !html.contains("Connect Google Calendar"));
    assert!(html.contains("/integrations/google/callback"));
}
