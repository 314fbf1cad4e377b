//! Attacks tried from outside against the real server: floods of public bookings, forged
//! client addresses.

mod common;

use common::Running;
use reqwest::StatusCode;
use serde_json::{Value, json};
use services::Clock;

/// 2027-01-15T08:00:00Z.
const NOW: i64 = 1_800_000_000;

async fn with_demo(vars: &[(&str, &str)]) -> Running {
    let vars: Vec<(&str, String)> = vars.iter().map(|(k, v)| (*k, v.to_string())).collect();
    with_demo_on(&vars).await
}

async fn with_demo_on(vars: &[(&str, String)]) -> Running {
    common::start_with_demo(Clock::manual(NOW), vars).await
}

fn booking(start: &str, email: &str) -> Value {
    json!({
        "event_type": "acme/demo",
        "start": start,
        "attendee": { "name": "Pat Prospect", "email": email, "timezone": "Europe/Berlin" },
    })
}

impl Running {
    async fn post_booking(&self, body: &Value, forwarded_for: Option<&str>) -> reqwest::Response {
        let mut request = self.client.post(format!("{}/api/v1/bookings", self.base)).json(body);
        if let Some(address) = forwarded_for {
            request = request.header("X-Forwarded-For", address);
        }
        request.send().await.unwrap()
    }

    async fn slots_status(&self, forwarded_for: &str) -> StatusCode {
        let url = format!(
            "{}/api/v1/slots?event_type=acme/demo&start=2027-01-18&end=2027-01-18&timezone=UTC",
            self.base
        );
        let response = self
            .client
            .get(url)
            .header("X-Forwarded-For", forwarded_for)
            .send()
            .await;
        response.unwrap().status()
    }
}

#[tokio::test]
async fn a_burst_of_300_bookings_from_one_address_is_cut_off_after_thirty_with_retry_after() {
    let server = with_demo(&[]).await;
    let mut statuses = Vec::new();
    let mut refusal = None;
    for n in 0..300 {
        let start = format!("2027-01-{:02}T{:02}:00:00+01:00", 18 + n % 5, 9 + n / 5 % 8);
        let response = server
            .post_booking(&booking(&start, &format!("p{n}@example.org")), None)
            .await;
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS && refusal.is_none() {
            let wait = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse::<u64>()
                .unwrap();
            refusal = Some((wait, response.json::<Value>().await.unwrap()));
        }
    }
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    let booked = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    assert_eq!((booked, limited), (30, 270), "{statuses:?}");
    let (wait, body) = refusal.unwrap();
    assert_eq!(wait, 120, "one booking per two minutes refills");
    assert_eq!(body["error"], "rate_limited");
}

#[tokio::test]
async fn one_attendee_email_is_booked_at_most_five_times_an_hour_from_anywhere() {
    let server = with_demo(&[("RENDEZVOUS_TRUSTED_PROXIES", "127.0.0.1")]).await;
    for n in 0..5 {
        let start = format!("2027-01-18T{:02}:00:00+01:00", 9 + n);
        let response = server
            .post_booking(&booking(&start, "victim@example.org"), Some(&format!("198.51.100.{n}")))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let sixth = server
        .post_booking(
            &booking("2027-01-18T15:00:00+01:00", "Victim@Example.org"),
            Some("203.0.113.1"),
        )
        .await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = server
        .post_booking(
            &booking("2027-01-18T15:00:00+01:00", "someone@example.org"),
            Some("203.0.113.1"),
        )
        .await;
    assert_eq!(
        other.status(),
        StatusCode::CREATED,
        "the refusal cost the address nothing"
    );
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_a_trusted_proxy() {
    let behind_proxy = with_demo(&[
        ("RENDEZVOUS_TRUSTED_PROXIES", "127.0.0.0/8"),
        ("RENDEZVOUS_RATE_LIMITS", "slots=2/min"),
    ])
    .await;
    for _ in 0..2 {
        assert_eq!(behind_proxy.slots_status("198.51.100.1").await, StatusCode::OK);
    }
    assert_eq!(
        behind_proxy.slots_status("198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        behind_proxy.slots_status("6.6.6.6, 198.51.100.2").await,
        StatusCode::OK,
        "another client behind the same proxy has its own allowance"
    );

    let exposed = with_demo(&[("RENDEZVOUS_RATE_LIMITS", "slots=2/min")]).await;
    let statuses = [
        exposed.slots_status("198.51.100.1").await,
        exposed.slots_status("198.51.100.2").await,
        exposed.slots_status("198.51.100.3").await,
    ];
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::OK, StatusCode::TOO_MANY_REQUESTS],
        "a client cannot pick its own address"
    );
}

#[tokio::test]
async fn dates_more_than_ten_years_away_are_refused_by_name_not_computed() {
    let server = with_demo(&[]).await;
    for (start, end) in [
        ("9999-01-01", "9999-01-02"),
        ("%2B262142-12-01", "%2B262142-12-02"),
        ("1900-01-01", "1900-01-02"),
    ] {
        let url = format!(
            "{}/api/v1/slots?event_type=acme/demo&start={start}&end={end}&timezone=UTC",
            server.base
        );
        let response = server.client.get(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{start}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["fields"]["start"].as_str().unwrap().contains("ten years"),
            "{body}"
        );
    }
    let far = server
        .post_booking(&booking("9999-12-31T10:00:00Z", "pat@example.org"), None)
        .await;
    assert_eq!(far.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(server.stored_bookings().await, 0);
}

#[tokio::test]
async fn nul_characters_anywhere_are_a_400_not_a_failed_write_on_postgresql() {
    let Some(admin_url) = common::postgres_admin_url() else {
        return;
    };
    let database = services::fixtures::postgres_database(&admin_url).await;
    let server = with_demo_on(&[("RENDEZVOUS_DATABASE_URL", database)]).await;
    let mut with_notes = booking("2027-01-18T10:00:00+01:00", "pat@example.org");
    with_notes["notes"] = json!("call me\u{0} maybe");
    assert_eq!(
        server.post_booking(&with_notes, None).await.status(),
        StatusCode::BAD_REQUEST
    );
    let booked = server
        .post_booking(&booking("2027-01-18T10:00:00+01:00", "pat@example.org"), None)
        .await;
    assert_eq!(booked.status(), StatusCode::CREATED);
    let uid = booked.json::<Value>().await.unwrap()["uid"]
        .as_str()
        .unwrap()
        .to_owned();
    let cancel = server
        .client
        .post(format!("{}/api/v1/bookings/{uid}/cancel", server.base))
        .json(&json!({"token": "x", "reason": "ill\u{0}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::BAD_REQUEST);
    for path in [
        "/acme/de%00mo",
        "/api/v1/bookings/ab%00c/cancel",
        "/api/v1/event-types/acme/%00",
    ] {
        let response = server
            .client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "nul_character", "the API's error shape");
    }
    let form = server
        .client
        .post(format!("{}/api/v1/bookings/{uid}/cancel", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("token=a%00b")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::BAD_REQUEST);
}

/// Arbitrary text for request fields, weighted toward what breaks parsers.
fn hostile() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        any::<String>(),
        "[\\x01-\\x1f\"'<>@.;:,/\\\\+%-]{0,30}",
        "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}(T[0-9:.]{0,12}(Z|[+-][0-9:]{0,5})?)?",
        Just("acme/demo".to_owned()),
        Just("Europe/Berlin".to_owned()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitrary_text_in_public_requests_gets_an_answer_below_500() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let server = with_demo(&[("RENDEZVOUS_RATE_LIMITS", "off")]).await;
    let runtime = tokio::runtime::Handle::current();
    let fields = (hostile(), hostile(), hostile(), hostile(), any::<bool>());
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&fields, |(a, b, c, d, as_json)| {
        let statuses =
            tokio::task::block_in_place(|| {
                runtime.block_on(async {
                let base = &server.base;
                let client = &server.client;
                let slots = client
                    .get(format!("{base}/api/v1/slots"))
                    .query(&[("event_type", &a), ("start", &b), ("end", &c), ("timezone", &d)]);
                let body = if as_json {
                    json!({"event_type": a, "start": b, "attendee": {"name": c, "email": d, "timezone": b}, "notes": c})
                        .to_string()
                } else {
                    format!("{a}{b}")
                };
                let book = client
                    .post(format!("{base}/api/v1/bookings"))
                    .header("content-type", "application/json")
                    .body(body);
                let segment = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                let page = client.get(format!("{base}/{}/{}?month={}", segment(&a), segment(&b), segment(&c)));
                let manage = client
                    .post(format!("{base}/api/v1/bookings/{}/reschedule", segment(&a)))
                    .json(&json!({"token": b, "start": c}));
                let mut statuses = Vec::new();
                for request in [slots, book, page, manage] {
                    statuses.push(request.send().await.map(|r| r.status().as_u16()).unwrap_or(0));
                }
                statuses
            })
            });
        prop_assert!(statuses.iter().all(|s| (200..500).contains(s)), "{statuses:?}");
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
