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
    /// The page as a browser with `headers` gets it.
    async fn page_with(&self, path: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

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
        html.contains(">Friday, 15 January 2027</h3>"),
        "the first free day, open"
    );
    assert!(
        html.contains("aria-label=\"09:00, Friday, 15 January 2027\""),
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
        assert!(html.contains(">This booking page is not available</h1>"), "{path}");
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
            // Every script that runs; the page's texts are data (`application/json`), not code.
            let tags: Vec<&str> = html
                .split("<script")
                .skip(1)
                .map(|tag| &tag[..tag.find('>').unwrap()])
                .filter(|tag| !tag.contains("type=\"application/json\""))
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

/// Request headers, as name and value.
type Headers = [(&'static str, &'static str)];

#[tokio::test]
async fn the_page_comes_in_the_language_asked_for_then_the_browsers_then_english() {
    let (server, _) = with_demo().await;
    let german = [("accept-language", "de-AT,de;q=0.9,en;q=0.5")];
    let cases: [(&str, &Headers, &str, &str); 5] = [
        ("/acme/demo", &[], "en", ">Friday, 15 January 2027</h3>"),
        ("/acme/demo", &german, "de", ">Freitag, 15. Januar 2027</h3>"),
        ("/acme/demo?lang=ja", &german, "ja", ">2027年1月15日(金)</h3>"),
        (
            "/acme/demo?lang=xx",
            &[("accept-language", "fr-CH, fr;q=0.9")],
            "fr",
            ">vendredi 15 janvier 2027</h3>",
        ),
        ("/acme?lang=es", &[], "es", "Reservar con Acme"),
    ];
    for (path, headers, lang, shown) in cases {
        let (status, html) = server.page_with(path, headers).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{path}: {lang}");
        assert!(html.contains(shown), "{path}: {shown} in\n{html}");
        // The page's texts travel with it, for the browser to read; nothing that could close the script.
        let texts = html
            .split("id=\"rv-texts\" type=\"application/json\">")
            .nth(1)
            .expect("the texts")
            .split("</script>")
            .next()
            .unwrap();
        let texts: Vec<String> = serde_json::from_str(texts).unwrap();
        assert_eq!(texts.len(), i18n::PAGE_KEYS, "{path}");
    }
}

#[tokio::test]
async fn the_early_script_carries_the_responses_nonce_and_each_time_is_a_link_to_its_details() {
    let (server, _) = with_demo().await;
    let (_, policies, html) = server.page_with_policies("/acme/demo?embed=1").await;
    let scripts = policies.iter().find(|p| p.contains("script-src")).unwrap();
    let nonce = scripts.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(
        html.contains(&format!("<script nonce=\"{nonce}\">(() => {{")),
        "the early script, allowed"
    );
    assert!(
        html.contains("data-zone=\"Europe/Berlin\""),
        "the zone the times are in"
    );
    let link = "href=\"?embed=1&amp;zone=Europe/Berlin&amp;time=2027-01-15T09%3A00%3A00%2B01%3A00\" data-at=\"2027-01-15T09:00:00+01:00\"";
    assert!(html.contains(link), "a time's link keeps the query: {html}");

    let (status, html) = server
        .page_with(
            "/acme/demo?embed=1&zone=Asia/Calcutta&time=2027-01-15T13%3A30%3A00%2B05%3A30",
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(">Enter your details</h2>"), "the details step, already");
    assert!(
        html.contains("13:30–14:00, Friday, 15 January 2027, Asia/Kolkata"),
        "in the zone the link named, by its current name"
    );
    let (_, html) = server.page_with("/acme/demo?time=2027-01-15T03%3A00%3A00Z", &[]).await;
    assert!(
        html.contains(">That time is no longer available. Please pick another.</p>"),
        "a time that is not free says so"
    );
    assert!(!html.contains(">Enter your details</h2>"));
}

#[tokio::test]
async fn a_booking_page_shown_in_a_frame_ticks_off_the_embed_step() {
    let (server, admin) = with_demo().await;
    let embed_done = |overview: &services::overview::Overview| {
        overview
            .first_steps
            .iter()
            .find(|(step, _)| *step == services::overview::FirstStep::EmbedWidget)
            .map(|(_, done)| *done)
    };
    assert_eq!(
        embed_done(&server.services.overview(&admin).await.unwrap()),
        Some(false)
    );
    server.page_with("/acme/demo", &[("sec-fetch-dest", "document")]).await;
    assert_eq!(
        embed_done(&server.services.overview(&admin).await.unwrap()),
        Some(false)
    );
    server.page_with("/acme/nothing", &[("sec-fetch-dest", "iframe")]).await;
    assert_eq!(
        embed_done(&server.services.overview(&admin).await.unwrap()),
        Some(false),
        "not for a 404"
    );
    server
        .page_with("/acme/demo?embed=1", &[("sec-fetch-dest", "iframe")])
        .await;
    assert_eq!(embed_done(&server.services.overview(&admin).await.unwrap()), Some(true));
}
