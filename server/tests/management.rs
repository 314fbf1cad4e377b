//! The management API (API keys) over HTTP against the real server on port 0.

mod common;

use common::{Running, start_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use services::Clock;
use services::accounts::Member;
use services::event_types::Mode;
use services::fixtures;

/// Friday 2027-01-15 08:00 UTC; the Monday after is 2027-01-18.
const NOW: i64 = 1_800_000_000;

struct Team {
    server: Running,
    admin: Member,
    bob: Member,
    admin_key: String,
    bob_key: String,
}

async fn team() -> Team {
    let server = start_with(Clock::manual(NOW)).await;
    let s = &server.services;
    let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let bob = fixtures::invited_member(s, &admin, "Bob").await;
    s.create_event_type(&admin, fixtures::new_event_type("demo", 30, Mode::Single, vec![bob.id]))
        .await
        .unwrap();
    let admin_key = s.issue_api_key(&admin, admin.id, "ops").await.unwrap().secret;
    let bob_key = s.issue_api_key(&bob, bob.id, "bob's CRM").await.unwrap().secret;
    Team {
        server,
        admin,
        bob,
        admin_key,
        bob_key,
    }
}

impl Team {
    async fn call(&self, method: Method, path: &str, key: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self
            .server
            .client
            .request(method, format!("{}{path}", self.server.base));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, key: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(key), None).await
    }

    async fn delete(&self, path: &str, key: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(key), None).await
    }

    async fn slot_starts(&self, day: &str) -> Vec<String> {
        let path = format!("/api/v1/slots?event_type=acme/demo&start={day}&end={day}&timezone=Europe/Berlin");
        let (_, body) = self.call(Method::GET, &path, None, None).await;
        body["slots"][day]
            .as_array()
            .map(|slots| {
                slots
                    .iter()
                    .map(|s| s["start"].as_str().unwrap()[11..16].to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn book(&self, start: &str) -> String {
        let body = json!({"event_type": "acme/demo", "start": start,
            "attendee": {"name": "Pat Prospect", "email": "pat@example.com", "timezone": "Europe/Berlin"}});
        let (status, created) = self.call(Method::POST, "/api/v1/bookings", None, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created["uid"].as_str().unwrap().to_owned()
    }
}

#[tokio::test]
async fn management_endpoints_refuse_requests_without_a_valid_key() {
    let t = team().await;
    for key in [None, Some("rdv_not-a-real-key"), Some("wrong-scheme")] {
        let response = t
            .server
            .client
            .get(format!("{}/api/v1/members", t.server.base))
            .header("authorization", key.map(|k| format!("Bearer {k}")).unwrap_or_default())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{key:?}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "unauthenticated");
    }
    let (status, me) = t.get("/api/v1/me", &t.bob_key).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (me["id"].as_i64(), me["role"].as_str()),
        (Some(t.bob.id), Some("member"))
    );
}

#[tokio::test]
async fn a_split_day_and_a_holiday_set_through_the_api_change_the_public_slots_exactly() {
    let t = team().await;
    let path = format!("/api/v1/members/{}/schedule", t.bob.id);
    let split = json!({"timezone": "Europe/Berlin", "weekly": {
        "monday": [{"start": "13:00", "end": "14:00"}, {"start": "09:00", "end": "10:00"}],
        "tuesday": [{"start": "09:00", "end": "10:00"}]}});
    let (status, schedule) = t.call(Method::PUT, &path, Some(&t.bob_key), Some(split)).await;
    assert_eq!(status, StatusCode::OK, "{schedule}");
    assert_eq!(
        schedule["weekly"]["monday"][0],
        json!({"start": "09:00", "end": "10:00"})
    );
    assert_eq!(schedule["weekly"]["friday"], json!([]));
    assert_eq!(t.slot_starts("2027-01-18").await, ["09:00", "09:30", "13:00", "13:30"]);

    let holiday = format!("/api/v1/members/{}/overrides/2027-01-19", t.bob.id);
    let (status, saved) = t.call(Method::PUT, &holiday, Some(&t.bob_key), Some(json!({}))).await;
    assert_eq!((status, saved["unavailable"].as_bool()), (StatusCode::OK, Some(true)));
    assert!(t.slot_starts("2027-01-19").await.is_empty());
    let (_, listed) = t
        .get(&format!("/api/v1/members/{}/overrides", t.bob.id), &t.bob_key)
        .await;
    assert_eq!(listed["overrides"][0]["date"], "2027-01-19");
    let (status, _) = t.delete(&holiday, &t.bob_key).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(t.slot_starts("2027-01-19").await, ["09:00", "09:30"]);
    let (status, _) = t.delete(&holiday, &t.bob_key).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "deleting twice finds nothing");
}

#[tokio::test]
async fn invalid_hours_are_refused_field_by_field_and_nothing_is_saved() {
    let t = team().await;
    let path = format!("/api/v1/members/{}/schedule", t.bob.id);
    let bad = json!({"timezone": "Mars/Olympus", "weekly": {
        "monday": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}],
        "tuesday": [{"start": "17:00", "end": "09:00"}],
        "someday": []}});
    let (status, body) = t.call(Method::PUT, &path, Some(&t.bob_key), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["timezone", "weekly.monday", "weekly.tuesday", "weekly.someday"] {
        assert!(body["fields"][field].is_string(), "{field} missing in {body}");
    }
    let (_, unchanged) = t.get(&path, &t.bob_key).await;
    assert_eq!(
        unchanged["weekly"]["monday"],
        json!([{"start": "09:00", "end": "17:00"}])
    );
}

#[tokio::test]
async fn members_manage_only_themselves_and_admins_manage_anyone() {
    let t = team().await;
    let admins_schedule = format!("/api/v1/members/{}/schedule", t.admin.id);
    let (status, _) = t.get(&admins_schedule, &t.bob_key).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let bobs = format!("/api/v1/members/{}", t.bob.id);
    let patch = json!({"timezone": "Asia/Kathmandu", "accepts_bookings": false});
    let (status, bob) = t.call(Method::PATCH, &bobs, Some(&t.admin_key), Some(patch)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (bob["timezone"].as_str(), bob["accepts_bookings"].as_bool()),
        (Some("Asia/Kathmandu"), Some(false))
    );
    let (status, _) = t.get("/api/v1/members/999999/schedule", &t.admin_key).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = t.get("/api/v1/members/not-an-id/schedule", &t.admin_key).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_new_event_type_gets_a_sixty_day_window_and_none_may_reach_past_two_years() {
    let t = team().await;
    let create = |window: Option<i64>| {
        let mut new =
            json!({"slug": "intro", "title": "Intro call", "duration": 20, "mode": "single", "hosts": [t.admin.id]});
        if let Some(days) = window {
            new["booking_window_days"] = json!(days);
        }
        t.call(Method::POST, "/api/v1/event-types", Some(&t.admin_key), Some(new))
    };
    let (status, refused) = create(Some(3650)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, created) = create(None).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["booking_window_days"], 60);
}

#[tokio::test]
async fn questions_set_through_the_api_are_checked_on_every_booking_and_kept_when_absent() {
    let t = team().await;
    let questions = json!([
        {"key": "company", "kind": "short_text", "label": "Company", "required": true},
        {"key": "seats", "kind": "number", "label": "Seats"},
        {"key": "topics", "kind": "multiple_choice", "label": "Topics", "options": ["Pricing", "Security"]}]);
    let patch = json!({"questions": questions, "allow_guests": false});
    let (status, updated) = t
        .call(
            Method::PATCH,
            "/api/v1/event-types/acme/demo",
            Some(&t.admin_key),
            Some(patch),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["questions"][2]["options"], json!(["Pricing", "Security"]));
    let (_, renamed) = t
        .call(
            Method::PATCH,
            "/api/v1/event-types/acme/demo",
            Some(&t.admin_key),
            Some(json!({"title": "Demo"})),
        )
        .await;
    assert_eq!(
        renamed["questions"].as_array().unwrap().len(),
        3,
        "absent questions are kept"
    );

    let booking = |answers: Value, guests: Value| {
        json!({"event_type": "acme/demo", "start": "2027-01-18T09:00:00+01:00", "answers": answers, "guests": guests,
            "attendee": {"name": "Pat Prospect", "email": "pat@example.com", "timezone": "Europe/Berlin"}})
    };
    let wrong = booking(
        json!({"seats": "many", "topics": ["Pricing", "Weather"]}),
        json!(["sam@example.com", "nope"]),
    );
    let (status, refused) = t.call(Method::POST, "/api/v1/bookings", None, Some(wrong)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let named: Vec<&String> = refused["fields"].as_object().unwrap().keys().collect();
    assert_eq!(named, ["guests.1"], "the body's own problems first: {refused}");
    let wrong = booking(
        json!({"seats": "many", "topics": ["Pricing", "Weather"]}),
        json!(["sam@example.com"]),
    );
    let (_, refused) = t.call(Method::POST, "/api/v1/bookings", None, Some(wrong)).await;
    let named: Vec<&String> = refused["fields"].as_object().unwrap().keys().collect();
    assert_eq!(
        named,
        ["answers.company", "answers.seats", "answers.topics", "guests"],
        "{refused}"
    );
    let right = booking(
        json!({"company": "Acme", "seats": 12, "topics": ["Security"]}),
        json!([]),
    );
    let (status, created) = t.call(Method::POST, "/api/v1/bookings", None, Some(right)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let uid = created["uid"].as_str().unwrap();
    let (_, detail) = t.get(&format!("/api/v1/bookings/{uid}"), &t.admin_key).await;
    assert_eq!(
        detail["answers"],
        json!([{"key": "company", "label": "Company", "kind": "short_text", "value": "Acme"},
               {"key": "seats", "label": "Seats", "kind": "number", "value": "12"},
               {"key": "topics", "label": "Topics", "kind": "multiple_choice", "value": ["Security"]}]),
        "{detail}"
    );
}

#[tokio::test]
async fn admins_create_update_and_delete_event_types_and_members_may_only_read_them() {
    let t = team().await;
    let new = json!({"slug": "intro", "title": "Intro call", "duration": 20, "mode": "round_robin",
        "hosts": [t.admin.id, t.bob.id], "booking_window_days": 30, "location_kind": "phone"});
    let (status, _) = t
        .call(Method::POST, "/api/v1/event-types", Some(&t.bob_key), Some(new.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, created) = t
        .call(
            Method::POST,
            "/api/v1/event-types",
            Some(&t.admin_key),
            Some(new.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["event_type"], "acme/intro");
    assert_eq!(created["hosts"], json!([t.admin.id, t.bob.id]));
    assert_eq!(
        (
            &created["reminder_24h"],
            &created["reminder_1h"],
            &created["change_notice"]
        ),
        (&json!(true), &json!(true), &json!(0))
    );
    let (status, again) = t
        .call(Method::POST, "/api/v1/event-types", Some(&t.admin_key), Some(new))
        .await;
    assert_eq!(
        (status, again["fields"]["slug"].is_string()),
        (StatusCode::UNPROCESSABLE_ENTITY, true)
    );

    let patch = json!({"duration": 45, "booking_window_days": null, "active": false, "reminder_1h": false,
        "change_notice": 120});
    let (status, updated) = t
        .call(
            Method::PATCH,
            "/api/v1/event-types/acme/intro",
            Some(&t.admin_key),
            Some(patch),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        (updated["duration"].as_i64(), updated["title"].as_str()),
        (Some(45), Some("Intro call"))
    );
    assert!(updated["booking_window_days"].is_null() && updated["active"] == false);
    assert_eq!(
        (
            &updated["reminder_24h"],
            &updated["reminder_1h"],
            &updated["change_notice"]
        ),
        (&json!(true), &json!(false), &json!(120))
    );
    let (status, _) = t.call(Method::GET, "/api/v1/event-types/acme/intro", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "inactive types are not public");

    let (status, listed) = t.get("/api/v1/event-types", &t.bob_key).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["event_types"].as_array().unwrap().len(), 2);
    let (status, _) = t.delete("/api/v1/event-types/acme/intro", &t.admin_key).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = t.delete("/api/v1/event-types/acme/intro", &t.admin_key).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_event_type_with_upcoming_bookings_cannot_be_deleted() {
    let t = team().await;
    t.book("2027-01-18T09:00:00+01:00").await;
    let (status, body) = t.delete("/api/v1/event-types/acme/demo", &t.admin_key).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
}

#[tokio::test]
async fn bookings_are_listed_with_filters_shown_with_history_and_cancelled_by_their_host() {
    let t = team().await;
    let first = t.book("2027-01-18T09:00:00+01:00").await;
    let second = t.book("2027-01-19T10:00:00+01:00").await;
    let (status, page) = t
        .get("/api/v1/bookings?from=2027-01-19&to=2027-01-19", &t.bob_key)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["bookings"][0]["uid"].as_str(), Some(second.as_str()));
    assert_eq!(page["bookings"].as_array().unwrap().len(), 1);
    assert_eq!(page["bookings"][0]["start"], "2027-01-19T09:00:00Z");

    let cancel = format!("/api/v1/bookings/{first}/cancel");
    let (status, body) = t
        .call(
            Method::POST,
            &cancel,
            Some(&t.bob_key),
            Some(json!({"reason": "Host is ill"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, cancelled) = t.get("/api/v1/bookings?status=cancelled", &t.admin_key).await;
    assert_eq!(cancelled["bookings"][0]["cancel_reason"], "Host is ill");
    let (_, detail) = t.get(&format!("/api/v1/bookings/{first}"), &t.bob_key).await;
    let kinds: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "cancelled"]);

    let (_, admins_own) = t
        .get(&format!("/api/v1/bookings?member={}", t.admin.id), &t.admin_key)
        .await;
    assert!(
        admins_own["bookings"].as_array().unwrap().is_empty(),
        "the admin hosts none"
    );
    let (status, body) = t.get("/api/v1/bookings?limit=0&status=maybe", &t.bob_key).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["limit"].is_string() && body["fields"]["status"].is_string());
}

#[tokio::test]
async fn a_member_cannot_see_or_cancel_bookings_they_do_not_host() {
    let t = team().await;
    let carol = fixtures::invited_member(&t.server.services, &t.admin, "Carol").await;
    let carol_key = t
        .server
        .services
        .issue_api_key(&carol, carol.id, "c")
        .await
        .unwrap()
        .secret;
    let uid = t.book("2027-01-18T09:00:00+01:00").await;
    let (status, _) = t.get(&format!("/api/v1/bookings/{uid}"), &carol_key).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let cancel = format!("/api/v1/bookings/{uid}/cancel");
    let (status, _) = t.call(Method::POST, &cancel, Some(&carol_key), Some(json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = t.get("/api/v1/bookings", &carol_key).await;
    assert!(list["bookings"].as_array().unwrap().is_empty());
    let (status, _) = t
        .get(&format!("/api/v1/bookings?member={}", t.bob.id), &carol_key)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
