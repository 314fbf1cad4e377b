//! Connecting Google Calendar over HTTP as a browser does it, against the in-process simulator:
//! the Integrations page, the connect button, Google's consent page and the callback.

mod common;

use google_sim::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER, Running as Sim, SimConfig, Simulator};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use services::Clock;
use services::fixtures;

fn google_vars(sim: &Sim) -> Vec<(&'static str, String)> {
    let endpoints = sim.endpoints();
    vec![
        ("RENDEZVOUS_GOOGLE_CLIENT_ID", DEFAULT_CLIENT_ID.to_owned()),
        ("RENDEZVOUS_GOOGLE_CLIENT_SECRET", DEFAULT_CLIENT_SECRET.to_owned()),
        ("RENDEZVOUS_GOOGLE_AUTHORIZE_URL", endpoints.authorize),
        ("RENDEZVOUS_GOOGLE_TOKEN_URL", endpoints.token),
        ("RENDEZVOUS_GOOGLE_REVOKE_URL", endpoints.revoke),
        ("RENDEZVOUS_GOOGLE_CALENDAR_API_URL", endpoints.calendar_api),
    ]
}

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

/// Google's consent page, answered with Allow for every scope asked for; returns the callback URL.
async fn allow(sim: &Sim, client: &reqwest::Client, consent: &str) -> url::Url {
    let html = client.get(consent).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"request\" value=\"";
    let start = html.find(marker).expect("a consent page") + marker.len();
    let request = html[start..].split('"').next().unwrap().to_owned();
    let scopes: Vec<String> = url::Url::parse(consent)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "scope")
        .map(|(_, v)| v.split(' ').map(str::to_owned).collect())
        .unwrap();
    let mut form = vec![
        ("request".to_owned(), request),
        ("decision".to_owned(), "allow".to_owned()),
    ];
    form.extend(scopes.into_iter().map(|s| ("scope".to_owned(), s)));
    let redirect = client
        .post(sim.url("/o/oauth2/v2/auth/decision"))
        .form(&form)
        .send()
        .await
        .unwrap();
    url::Url::parse(&location(&redirect)).unwrap()
}

#[tokio::test]
async fn a_member_connects_google_through_the_consent_page_and_sees_the_account() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let server = common::start_configured(Clock::System, &google_vars(&sim)).await;
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

    let callback = allow(&sim, &server.client, &consent).await;
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
    let server = common::start_configured(Clock::System, &google_vars(&sim)).await;
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
