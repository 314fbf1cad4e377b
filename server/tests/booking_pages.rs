//! The public booking pages over HTTP: rendered whole on the server, framable only as the team
//! allows, and a friendly 404 for anything else.

mod common;

use common::{Running, start_with};
use reqwest::StatusCode;
use reqwest::header::CONTENT_SECURITY_POLICY;
use services::Clock;
use services::event_types::Mode;
use services::fixtures;

/// Friday 2027-01-15 08:00 UTC; the Monday after is 2027-01-18.
const NOW: i64 = 1_800_000_000;

async fn with_demo() -> (Running, services::accounts::Member) {
    let server = start_with(Clock::manual(NOW)).await;
    let s = &server.services;
    let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let demo = fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]);
    s.create_event_type(&admin, demo).await.unwrap();
    (server, admin)
}

impl Running {
    /// The status, the policy that says who may frame the page, and the page.
    async fn page(&self, path: &str) -> (StatusCode, String, String) {
        let (status, policies, html) = self.page_with_policies(path).await;
        let framing = policies.into_iter().find(|p| p.contains("frame-ancestors"));
        (status, framing.unwrap_or_default(), html)
    }

    async fn page_with_policies(&self, path: &str) -> (StatusCode, Vec<String>, String) {
        let response = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        let policies = response
            .headers()
            .get_all(CONTENT_SECURITY_POLICY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        (response.status(), policies, response.text().await.unwrap())
    }
}

#[tokio::test]
async fn the_first_response_already_shows_the_month_and_the_first_free_days_times() {
    let (server, _) = with_demo().await;
    let (status, _, html) = server.page("/acme/demo").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(">January 2027</h3>"), "the month");
    assert!(
        html.contains(">Friday 15 January 2027</h3>"),
        "the first free day, open"
    );
    assert!(
        html.contains("aria-label=\"09:00, Friday 15 January 2027\""),
        "its first time, in the host's zone"
    );
    let (status, _, html) = server.page("/acme").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("/acme/demo"), "the team page links the event type");
}

#[tokio::test]
async fn unknown_and_deactivated_event_types_are_a_friendly_404() {
    let (server, admin) = with_demo().await;
    server
        .services
        .set_event_type_active(&admin, "demo", false)
        .await
        .unwrap();
    for path in ["/acme/demo", "/acme/nothing", "/nobody/demo", "/nobody"] {
        let (status, _, html) = server.page(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("This booking page is not available"), "{path}");
    }
}

#[tokio::test]
async fn booking_pages_may_be_framed_as_the_team_allows_and_the_dashboard_never() {
    let (server, admin) = with_demo().await;
    assert_eq!(server.page("/acme/demo").await.1, "frame-ancestors *");
    assert_eq!(server.page("/login").await.1, "frame-ancestors 'none'");
    let origins = domain::EmbedOrigins::parse("https://www.example.com https://*.example.org").unwrap();
    server.services.set_embed_origins(&admin, &origins).await.unwrap();
    assert_eq!(
        server.page("/acme/demo").await.1,
        "frame-ancestors https://www.example.com https://*.example.org"
    );
}

#[tokio::test]
async fn pages_run_only_scripts_carrying_the_nonce_of_their_own_response() {
    let (server, _) = with_demo().await;
    for path in ["/acme/demo", "/login", "/acme/demo?embed=1"] {
        let mut nonces = Vec::new();
        for _ in 0..2 {
            let (_, policies, html) = server.page_with_policies(path).await;
            let scripts = policies.iter().find(|p| p.contains("script-src")).expect(path);
            assert!(
                scripts.contains("default-src 'self'") && scripts.contains("object-src 'none'"),
                "{scripts}"
            );
            let nonce = scripts
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap()
                .to_owned();
            let tags: Vec<&str> = html
                .split("<script")
                .skip(1)
                .map(|tag| &tag[..tag.find('>').unwrap()])
                .collect();
            assert!(!tags.is_empty(), "{path} hydrates");
            for tag in tags {
                assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: <script{tag}>");
            }
            nonces.push(nonce);
        }
        assert_ne!(nonces[0], nonces[1], "a fresh nonce per response");
    }
}

#[tokio::test]
async fn browsers_are_told_to_use_https_only_when_the_public_url_is_https() {
    let https = common::start_configured(
        Clock::manual(NOW),
        &[("RENDEZVOUS_PUBLIC_URL", "https://cal.example.com".into())],
    )
    .await;
    let response = https
        .client
        .get(format!("{}/healthz", https.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let (plain, _) = with_demo().await;
    let response = plain
        .client
        .get(format!("{}/healthz", plain.base))
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn the_attendee_downloads_the_booking_as_an_invitation_with_its_manage_token() {
    let (server, admin) = with_demo().await;
    let s = &server.services;
    let demo = s.public_event_type("acme", "demo").await.unwrap();
    let booked = s.book(&demo, NOW + 3600, &fixtures::attendee(1), None).await.unwrap();
    let links = s.manage_links(&booked.uid, &booked.manage_token, i18n::Lang::ENGLISH);
    let file = format!("{}{}", server.base, &links.ics[links.ics.find("/booking/").unwrap()..]);
    let response = server.client.get(&file).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = response.text().await.unwrap().replace("\r\n ", "");
    for line in [
        "METHOD:REQUEST",
        &format!("UID:{}@127.0.0.1", booked.uid),
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "DTSTART:20270115T090000Z",
        &format!("ORGANIZER;CN={}:mailto:{}", admin.name, admin.email),
    ] {
        assert!(ics.lines().any(|l| l == line), "{line} in\n{ics}");
    }
    let wrong = file.replace(&booked.manage_token, "not-the-token");
    assert_eq!(
        server.client.get(&wrong).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    s.cancel_booking(&booked.uid, &booked.manage_token, None).await.unwrap();
    let cancelled = server.client.get(&file).send().await.unwrap().text().await.unwrap();
    assert!(
        cancelled.contains("METHOD:CANCEL") && cancelled.contains("SEQUENCE:1"),
        "{cancelled}"
    );
}

#[tokio::test]
async fn names_people_typed_cannot_close_the_page_title_and_run_a_script() {
    let server = start_with(Clock::manual(NOW)).await;
    let s = &server.services;
    let mut team = fixtures::new_team("ada@example.com");
    team.name = domain::TeamName::parse("Acme</title><script>alert(2)</script>").unwrap();
    let admin = s.set_up(team).await.unwrap();
    let mut demo = fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]);
    demo.title = domain::EventTitle::parse("D</title><script>alert(1)</script>").unwrap();
    s.create_event_type(&admin, demo).await.unwrap();
    for path in ["/acme/demo", "/acme"] {
        let (status, _, html) = server.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!html.contains("<script>alert"), "{path}: {html}");
        assert!(
            html.contains("&lt;/title&gt;&lt;script&gt;alert"),
            "{path}: the title, escaped"
        );
    }
}
