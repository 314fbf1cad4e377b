//! The dashboard's Email page over HTTP: without SMTP, a booking's confirmation lands in the
//! outbox folder and the admin's first response already lists it; members get no access.

mod common;
mod support;

use app::api::{EmailOverview, LogIn, OutboxMessage};
use common::{Running, start};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE, ORIGIN, REFERER, SET_COOKIE};
use serde_json::{Value, json};
use services::event_types::Mode;
use services::fixtures;
use std::time::Duration;
use support::eventually;

const ATTENDEE: &str = "pat@example.com";

impl Running {
    /// Signs in through the login form as a browser does before the page is interactive;
    /// returns the session cookie.
    async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = self
            .client
            .post(format!("{}{}", self.base, LogIn::PATH))
            .header(ORIGIN, &self.base)
            .header(REFERER, format!("{}/login", self.base))
            .header(ACCEPT, "text/html")
            .form(&[("email", email), ("password", password), ("next", "")])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
        let cookie = response.headers().get(SET_COOKIE).expect("a session cookie");
        cookie.to_str().unwrap().split(';').next().unwrap().to_owned()
    }

    async fn page(&self, path: &str, cookie: &str) -> (StatusCode, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Calls a server function as the page would once interactive.
    async fn call<F: ServerFn>(&self, cookie: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let response = self
            .client
            .post(format!("{}{}", self.base, F::PATH))
            .header(ORIGIN, &self.base)
            .header(COOKIE, cookie)
            .form(fields)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Books the first free time of `acme/demo` through the public JSON API.
    async fn book_first_time(&self) {
        let day = |offset: i64| (chrono::Utc::now() + chrono::Duration::days(offset)).format("%Y-%m-%d");
        let slots: Value = self
            .client
            .get(format!(
                "{}/api/v1/slots?event_type=acme/demo&start={}&end={}&timezone=Europe/Berlin",
                self.base,
                day(1),
                day(14)
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let start = slots["slots"]
            .as_object()
            .and_then(|days| days.values().next())
            .and_then(|times| times[0]["start"].as_str())
            .unwrap_or_else(|| panic!("a free time in {slots}"))
            .to_owned();
        let body = json!({"event_type": "acme/demo", "start": start,
            "attendee": {"name": "Pat Prospect", "email": ATTENDEE, "timezone": "Europe/Berlin"}});
        let response = self
            .client
            .post(format!("{}/api/v1/bookings", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{}",
            response.text().await.unwrap()
        );
    }
}

/// Text as Leptos writes it into HTML.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[tokio::test]
async fn the_admin_reads_the_booking_confirmation_in_the_outbox_and_members_get_no_access() {
    let server = start().await;
    let s = &server.services;
    let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let bob = fixtures::invited_member(s, &admin, "Bob").await;
    let demo = fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]);
    s.create_event_type(&admin, demo).await.unwrap();
    let ada_cookie = server.sign_in("ada@example.com", fixtures::ADMIN_PASSWORD).await;
    let bob_cookie = server.sign_in(&bob.email, "members password").await;

    server.book_first_time().await;
    let confirmation = eventually(
        &format!("the worker's mail to {ATTENDEE}"),
        Duration::from_secs(10),
        || async {
            let outbox = s.outbox(&admin).await.unwrap().expect("no SMTP, so an outbox");
            outbox.into_iter().find(|e| e.to == ATTENDEE)
        },
    )
    .await;
    assert!(
        confirmation.subject.starts_with("Confirmed: "),
        "{}",
        confirmation.subject
    );

    let (status, html) = server.page("/dashboard/email", &ada_cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&escaped(&confirmation.subject)), "the subject in\n{html}");
    assert!(html.contains(&format!("To {ATTENDEE}")), "the attendee");
    assert!(html.contains("No failed deliveries."), "nothing failed");
    assert!(html.contains("mail is written to the outbox folder"), "where mail goes");
    assert!(
        html.contains(r#"href="/dashboard/email""#),
        "admins are offered the page"
    );

    let (status, message) = server
        .call::<OutboxMessage>(&ada_cookie, &[("id", &confirmation.id)])
        .await;
    assert_eq!(status, StatusCode::OK, "{message}");
    let message: Value = serde_json::from_str(&message).unwrap();
    assert_eq!(message["to"], ATTENDEE);
    assert!(message["text"].as_str().unwrap().contains("Pat Prospect"), "{message}");
    assert!(
        message["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "invite.ics"),
        "{message}"
    );

    // The streamed page says 403 only if its data is in before the first chunk; check the content.
    let (_, html) = server.page("/dashboard/email", &bob_cookie).await;
    assert!(!html.contains(&escaped(&confirmation.subject)), "a member sees no mail");
    assert!(!html.contains(ATTENDEE), "a member sees no addresses");
    assert!(html.contains("Only admins can see the team"), "a member is told why");
    assert!(
        !html.contains(r#"href="/dashboard/email""#),
        "members are not offered the page"
    );
    for (status, answer) in [
        server.call::<EmailOverview>(&bob_cookie, &[]).await,
        server
            .call::<OutboxMessage>(&bob_cookie, &[("id", &confirmation.id)])
            .await,
    ] {
        assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
        assert!(!answer.contains(ATTENDEE), "{answer}");
    }
}
