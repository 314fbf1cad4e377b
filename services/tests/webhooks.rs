//! Webhook deliveries to a real HTTP receiver on loopback: signed bodies, retries that deliver
//! each delivery id once, a receiver down for an hour, disabling after three days, and the
//! client's refusal of private addresses.

mod common;

use chrono::TimeZone;
use domain::{Email, QuestionDraft, RawAnswer};
use services::Services;
use services::accounts::Member;
use services::event_types::{EventType, Mode};
use services::fixtures::{self, Receiver, Reply, attendee};
use services::webhooks::signature::verify;
use services::webhooks::{Delivery, EndpointInput, IssuedSecret};

/// Monday 2027-01-18 at `hour`:00 in Berlin; "now" is the Friday before, 08:00 UTC.
fn monday(hour: u32) -> i64 {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2027, 1, 18, hour, 0, 0)
        .unwrap()
        .timestamp()
}

fn allow_private() -> [(&'static str, String); 1] {
    [("RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE", "1".to_owned())]
}

fn subscribe(url: &str, events: &[&str]) -> EndpointInput {
    EndpointInput {
        url: url.to_owned(),
        description: "CRM".into(),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        event_type_ids: Vec::new(),
        enabled: true,
    }
}

const EVERYTHING: [&str; 5] = [
    "booking.created",
    "booking.rescheduled",
    "booking.cancelled",
    "booking.host_changed",
    "booking.host_calendar_changed",
];

async fn endpoint(s: &Services, admin: &Member, url: &str) -> IssuedSecret {
    s.create_webhook_endpoint(admin, &subscribe(url, &EVERYTHING))
        .await
        .unwrap()
}

async fn book(s: &Services, demo: &EventType, hour: u32, n: usize) -> String {
    s.book(demo, monday(hour), &attendee(n), None).await.unwrap().uid
}

/// Runs the queue after moving the clock on by `secs`.
async fn later(s: &Services, secs: i64) {
    s.clock().advance(secs);
    s.run_due_jobs().await.unwrap();
}

async fn log(s: &Services, admin: &Member, endpoint_id: i64) -> Vec<Delivery> {
    s.webhook_deliveries(admin, endpoint_id).await.unwrap()
}

/// A port nothing listens on (a receiver that is down).
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

on_both_databases! {
    vars = allow_private();

    async fn a_booking_is_delivered_signed_and_a_tampered_body_fails_verification(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let mut input = fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]);
        let company = QuestionDraft { key: "company".into(), kind: "short_text".into(), label: "Company".into(), ..Default::default() };
        input.questions = Some(domain::questions(&[company]).unwrap());
        let demo = s.create_event_type(&admin, input).await.unwrap();
        let receiver = Receiver::start([]).await;
        let issued = endpoint(&s, &admin, &receiver.url).await;
        let mut prospect = attendee(1);
        prospect.answers.insert("company".into(), RawAnswer::One("Acme".into()));
        prospect.guests = vec![Email::parse("guest@example.org").unwrap()];
        let uid = s.book(&demo, monday(10), &prospect, None).await.unwrap().uid;
        s.run_due_jobs().await.unwrap();

        let received = receiver.received();
        assert_eq!(received.len(), 1);
        let request = &received[0];
        let body = request.json();
        assert_eq!(request.header("Rendezvous-Event"), "booking.created");
        assert_eq!(request.header("Rendezvous-Delivery"), body["id"].as_str().unwrap());
        assert_eq!(request.header("Content-Type"), "application/json");
        let signature = request.header("Rendezvous-Signature");
        let now = s.clock().now();
        assert!(verify(issued.secret.as_bytes(), signature, request.body.as_bytes(), now, 300));
        let tampered = request.body.replace("Prospect 1", "Prospect 2");
        assert!(!verify(issued.secret.as_bytes(), signature, tampered.as_bytes(), now, 300), "a changed body");
        assert!(!verify(b"whsec_other", signature, request.body.as_bytes(), now, 300), "another secret");
        assert!(!verify(issued.secret.as_bytes(), signature, request.body.as_bytes(), now + 301, 300), "a replay");

        let booking = &body["booking"];
        assert_eq!((body["event"].as_str(), body["version"].as_u64()), (Some("booking.created"), Some(1)));
        assert_eq!(booking["uid"], uid.as_str());
        assert_eq!(booking["sequence"], 0);
        assert_eq!(booking["start"], "2027-01-18T09:00:00Z");
        assert_eq!(booking["attendee_start"], "2027-01-18T04:00:00-05:00");
        assert_eq!(booking["attendee"]["email"], "p1@example.org");
        assert_eq!(booking["hosts"][0]["email"], "ada@example.com");
        assert_eq!(booking["event_type"]["slug"], "demo");
        assert_eq!(booking["answers"], serde_json::json!([{"key": "company", "label": "Company", "kind": "short_text", "value": "Acme"}]));
        assert_eq!(booking["guests"], serde_json::json!(["guest@example.org"]));
        assert!(booking["host_urls"]["dashboard"].as_str().unwrap().ends_with(&format!("/dashboard/bookings/{uid}")));
        assert!(!request.body.contains("/manage/") && !request.body.contains("token"), "no attendee links: {}", request.body);
        let logged = log(&s, &admin, issued.endpoint.id).await;
        assert_eq!((logged[0].state.as_str(), logged[0].response_status), ("delivered", Some(200)));
        assert_eq!(logged[0].response_excerpt.as_deref(), Some("{\"received\":200}"));
    }

    async fn retries_after_a_500_and_a_dropped_connection_deliver_each_delivery_once(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let receiver = Receiver::start([Reply::Status(500), Reply::HangUp]).await;
        let issued = endpoint(&s, &admin, &receiver.url).await;
        book(&s, &demo, 10, 1).await;
        s.run_due_jobs().await.unwrap();
        assert_eq!(receiver.received().len(), 1);
        later(&s, 5).await;
        assert_eq!(receiver.received().len(), 1, "the retry waits for the queue's backoff");
        later(&s, 60).await;
        later(&s, 120).await;
        later(&s, 3600).await;

        let received = receiver.received();
        assert_eq!(received.len(), 3, "500, hang-up, 200: and nothing after the success");
        let ids: Vec<&str> = received.iter().map(|r| r.header("Rendezvous-Delivery")).collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "one delivery id: {ids:?}");
        assert!(received.iter().all(|r| r.body == received[0].body), "the same bytes every time");
        let logged = log(&s, &admin, issued.endpoint.id).await;
        assert_eq!(logged.len(), 1);
        assert_eq!((logged[0].state.as_str(), logged[0].attempts), ("delivered", 3));
    }

    async fn a_receiver_down_for_an_hour_gets_everything_afterwards(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let port = closed_port().await;
        let issued = endpoint(&s, &admin, &format!("http://127.0.0.1:{port}/hooks")).await;
        let mut uids = Vec::new();
        for (n, hour) in [(1, 9), (2, 10), (3, 11)] {
            uids.push(book(&s, &demo, hour, n).await);
            s.run_due_jobs().await.unwrap();
        }
        for _ in 0..12 {
            later(&s, 300).await;
        }
        let down = log(&s, &admin, issued.endpoint.id).await;
        assert!(down.iter().all(|d| d.state == "pending" && d.attempts >= 3), "{down:?}");

        let receiver = Receiver::start_on(port, []).await;
        for _ in 0..13 {
            later(&s, 300).await;
        }
        let mut got: Vec<String> = receiver.received().iter().map(|r| r.json()["booking"]["uid"].as_str().unwrap().to_owned()).collect();
        got.sort();
        uids.sort();
        assert_eq!(got, uids, "each booking once");
        assert!(log(&s, &admin, issued.endpoint.id).await.iter().all(|d| d.state == "delivered"));
    }

    async fn an_endpoint_failing_for_three_days_is_disabled_and_the_admins_are_emailed(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let issued = endpoint(&s, &admin, &format!("http://127.0.0.1:{}/hooks", closed_port().await)).await;
        book(&s, &demo, 10, 1).await;
        s.run_due_jobs().await.unwrap();
        for _ in 0..71 {
            later(&s, 3600).await;
        }
        assert!(s.webhook_endpoint(&admin, issued.endpoint.id).await.unwrap().enabled, "still on after 71 hours");
        later(&s, 3600).await;
        later(&s, 3600).await;

        let endpoint = s.webhook_endpoint(&admin, issued.endpoint.id).await.unwrap();
        assert!(!endpoint.enabled);
        assert_eq!(endpoint.disabled_reason.as_deref(), Some("Disabled after three days of failed deliveries."));
        let logged = log(&s, &admin, endpoint.id).await;
        assert_eq!(logged[0].state, "failed");
        let notices: Vec<String> = s.outbox(&admin).await.unwrap().unwrap().into_iter()
            .filter(|e| e.subject == "A webhook endpoint was disabled").map(|e| e.to).collect();
        assert_eq!(notices, ["ada@example.com"]);

        book(&s, &demo, 11, 2).await;
        assert_eq!(log(&s, &admin, endpoint.id).await.len(), 1, "a disabled endpoint gets no new deliveries");
    }

    async fn switching_an_endpoint_off_and_on_keeps_its_settings_and_forgets_old_failures(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let issued = endpoint(&s, &admin, &format!("http://127.0.0.1:{}/hooks", closed_port().await)).await;
        book(&s, &demo, 10, 1).await;
        s.run_due_jobs().await.unwrap();
        let off = s.set_webhook_endpoint_enabled(&admin, issued.endpoint.id, false).await.unwrap();
        assert_eq!((off.enabled, off.disabled_reason.as_deref()), (false, None), "switched off by an admin, not for failures");
        assert!(off.failing_since.is_some(), "its failures are still on record while off");
        assert_eq!(off.input().events, EVERYTHING, "the rest is kept");
        assert_eq!((off.url.as_str(), off.description.as_str()), (issued.endpoint.url.as_str(), "CRM"));

        let on = s.set_webhook_endpoint_enabled(&admin, off.id, true).await.unwrap();
        assert!(on.enabled);
        assert_eq!(on.failing_since, None, "enabling gives it a fresh start");
        let member = fixtures::invited_member(&s, &admin, "Mo").await;
        assert!(matches!(s.set_webhook_endpoint_enabled(&member, off.id, false).await, Err(services::ServiceError::Forbidden)));
    }

    async fn a_client_error_is_final_and_a_429_waits_for_its_retry_after(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let receiver = Receiver::start([Reply::Status(410), Reply::RetryAfter(429, 600)]).await;
        let issued = endpoint(&s, &admin, &receiver.url).await;
        book(&s, &demo, 10, 1).await;
        s.run_due_jobs().await.unwrap();
        later(&s, 86_400).await;
        assert_eq!(receiver.received().len(), 1, "a 410 is not retried");
        assert_eq!(log(&s, &admin, issued.endpoint.id).await[0].state, "failed");

        book(&s, &demo, 11, 2).await;
        s.run_due_jobs().await.unwrap();
        later(&s, 599).await;
        assert_eq!(receiver.received().len(), 2, "not before the receiver's Retry-After");
        later(&s, 1).await;
        assert_eq!(receiver.received().len(), 3);
    }

    async fn every_change_of_a_booking_is_delivered_with_its_sequence(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let receiver = Receiver::start([]).await;
        endpoint(&s, &admin, &receiver.url).await;
        let only_cancellations = s.create_webhook_endpoint(&admin, &subscribe(&receiver.url, &["booking.cancelled"])).await.unwrap();
        let uid = book(&s, &demo, 10, 1).await;
        s.cancel_booking_as(&admin, &uid, Some("Double-booked")).await.unwrap();
        s.run_due_jobs().await.unwrap();

        let mut seen: Vec<(String, i64, String)> = receiver.received().iter().map(|r| {
            let body = r.json();
            (body["event"].as_str().unwrap().to_owned(), body["booking"]["sequence"].as_i64().unwrap(), body["booking"]["status"].as_str().unwrap().to_owned())
        }).collect();
        seen.sort();
        assert_eq!(seen, [
            ("booking.cancelled".to_owned(), 1, "cancelled".to_owned()),
            ("booking.cancelled".to_owned(), 1, "cancelled".to_owned()),
            ("booking.created".to_owned(), 0, "confirmed".to_owned()),
        ]);
        assert_eq!(log(&s, &admin, only_cancellations.endpoint.id).await.len(), 1, "only what it subscribed to");
    }

    async fn a_rotated_secret_keeps_signing_beside_the_new_one_until_the_overlap_ends(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let receiver = Receiver::start([]).await;
        let old = endpoint(&s, &admin, &receiver.url).await;
        let new = s.rotate_webhook_secret(&admin, old.endpoint.id, 3600).await.unwrap();
        assert_ne!(old.secret, new.secret);
        book(&s, &demo, 10, 1).await;
        s.run_due_jobs().await.unwrap();
        s.clock().advance(3601);
        book(&s, &demo, 11, 2).await;
        s.run_due_jobs().await.unwrap();

        let received = receiver.received();
        let valid = |secret: &str, n: usize| {
            verify(secret.as_bytes(), received[n].header("Rendezvous-Signature"), received[n].body.as_bytes(), s.clock().now(), 7200)
        };
        assert!(valid(&new.secret, 0) && valid(&old.secret, 0), "during the overlap both verify");
        assert!(valid(&new.secret, 1) && !valid(&old.secret, 1), "afterwards only the new one");
    }

    async fn a_test_event_and_a_resend_show_in_the_delivery_log(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let receiver = Receiver::start([]).await;
        let issued = endpoint(&s, &admin, &receiver.url).await;
        book(&s, &demo, 10, 1).await;
        s.run_due_jobs().await.unwrap();
        s.send_test_webhook(&admin, issued.endpoint.id).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let logged = log(&s, &admin, issued.endpoint.id).await;
        assert_eq!(logged.iter().map(|d| d.event.as_str()).collect::<Vec<_>>(), ["webhook.test", "booking.created"]);
        s.resend_webhook_delivery(&admin, issued.endpoint.id, logged[1].id).await.unwrap();
        s.run_due_jobs().await.unwrap();

        let ids: Vec<String> = receiver.received().iter().map(|r| r.header("Rendezvous-Delivery").to_owned()).collect();
        assert_eq!(ids, [logged[1].uid.clone(), logged[0].uid.clone(), logged[1].uid.clone()], "a resend keeps its delivery id");
        assert_eq!(log(&s, &admin, issued.endpoint.id).await[1].attempts, 2);
    }

    async fn only_admins_manage_endpoints_and_see_deliveries(s) {
        let (admin, _) = fixtures::team_with_demo(&s).await;
        let member = fixtures::invited_member(&s, &admin, "Mo").await;
        let issued = endpoint(&s, &admin, "https://crm.example.com/hooks").await;
        assert!(matches!(s.webhook_endpoints(&member).await, Err(services::ServiceError::Forbidden)));
        assert!(matches!(s.webhook_deliveries(&member, issued.endpoint.id).await, Err(services::ServiceError::Forbidden)));
        assert!(matches!(s.create_webhook_endpoint(&member, &subscribe("https://x.example.com", &["booking.created"])).await, Err(services::ServiceError::Forbidden)));
        assert!(!format!("{:?}", s.webhook_endpoints(&admin).await.unwrap()).contains(&issued.secret), "the secret is shown once");
    }
}

mod refusing_private_addresses {
    use super::*;

    on_both_databases! {
        async fn private_loopback_and_metadata_addresses_are_refused_and_named(s) {
            let (admin, _) = fixtures::team_with_demo(&s).await;
            let table = [
                ("http://crm.example.com/hooks", "Use an https:// address."),
                ("https://127.0.0.1/hooks", "This address is inside a private network"),
                ("https://10.1.2.3/hooks", "This address is inside a private network"),
                ("https://169.254.169.254/latest/meta-data", "This address is inside a private network"),
                ("https://[::1]/hooks", "This address is inside a private network"),
                ("not a url", "Enter a web address"),
            ];
            for (url, message) in table {
                let Err(services::ServiceError::Validation(errors)) = s.create_webhook_endpoint(&admin, &subscribe(url, &["booking.created"])).await else {
                    panic!("{url} was accepted");
                };
                assert!(errors.get("url").unwrap().starts_with(message), "{url}: {errors:?}");
            }
            assert!(s.webhook_endpoints(&admin).await.unwrap().is_empty());
        }

        async fn a_name_that_resolves_to_loopback_is_never_connected_to(s) {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            let receiver = Receiver::start([]).await;
            let port = receiver.url.split(':').nth(2).unwrap().trim_end_matches("/hooks").to_owned();
            let issued = endpoint(&s, &admin, &format!("https://localhost:{port}/hooks")).await;
            book(&s, &demo, 10, 1).await;
            s.run_due_jobs().await.unwrap();

            assert_eq!(receiver.connections(), 0);
            let logged = log(&s, &admin, issued.endpoint.id).await;
            assert_eq!(logged[0].last_error.as_deref(), Some("Not sent: localhost resolves only to private addresses."));
        }
    }
}
