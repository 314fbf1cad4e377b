//! Connecting Google Calendar and Outlook over HTTP as a browser does it, against the in-process
//! simulators: the Integrations page, the connect button, the consent page and the callback.

mod common;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use services::Clock;
use services::calendars::Provider;
use services::fixtures::{self, ProviderSim};

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
async fn a_member_connects_each_provider_through_its_consent_page_and_sees_the_account() {
    let google = ProviderSim::start(Provider::Google).await;
    let outlook = ProviderSim::start(Provider::Microsoft).await;
    let vars: Vec<_> = google.vars().into_iter().chain(outlook.vars()).collect();
    let server = common::start_configured(Clock::System, &vars).await;
    let cookie = signed_in(&server).await;
    let html = page(&server, &cookie).await;
    assert!(html.contains("Connect Google Calendar") && html.contains("Connect Outlook Calendar"));

    for sim in [&google, &outlook] {
        let provider = sim.provider().as_str();
        let connect = server
            .client
            .post(format!("{}/integrations/{provider}/connect", server.base))
            .header(COOKIE, &cookie)
            .header(ORIGIN, &server.base)
            .send()
            .await
            .unwrap();
        assert_eq!(connect.status(), StatusCode::SEE_OTHER);
        let consent = location(&connect);
        let callback = sim.allow_consent(&consent).await;
        assert_eq!(callback.path(), format!("/integrations/{provider}/callback"));
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
        assert_eq!(location(&back), format!("/dashboard/integrations?{provider}=connected"));
    }
    let html = page(&server, &cookie).await;
    assert_eq!(html.matches("Check these calendars for conflicts").count(), 2, "{html}");
    assert!(html.contains(google.account()) && html.contains("Disconnect Outlook Calendar"));
}

#[tokio::test]
async fn connecting_needs_a_session_and_refuses_other_sites() {
    let sim = ProviderSim::start(Provider::Google).await;
    let server = common::start_configured(Clock::System, &sim.vars()).await;
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
async fn without_credentials_the_page_explains_how_to_enable_each_provider() {
    let server = common::start().await;
    let cookie = signed_in(&server).await;
    let html = page(&server, &cookie).await;
    assert!(html.contains("RENDEZVOUS_GOOGLE_CLIENT_ID") && !html.contains("Connect Google Calendar"));
    assert!(html.contains("RENDEZVOUS_MICROSOFT_CLIENT_ID") && !html.contains("Connect Outlook Calendar"));
    assert!(html.contains("/integrations/google/callback") && html.contains("/integrations/microsoft/callback"));
}
