//! Google Calendar against the in-process simulator: connecting with PKCE, tokens sealed at rest,
//! busy time in slots and its failure rules, token refresh and revocation, and bookings written
//! as events through the job queue.

mod common;

use common::TestServices;
use google_sim::{DEFAULT_USER, Fault, NewCalendar, Running, SimConfig, Simulator};
use serde_json::json;
use services::Services;
use services::accounts::Member;
use services::calendars::{CallbackOutcome, ConnectionStatus, Provider, SyncState};
use services::event_types::EventType;
use services::fixtures::{self, attendee};

/// 2027-01-18T08:00:00Z, Monday 09:00 in Berlin: the admin's first working hour after NOW.
const MONDAY_NINE: i64 = 1_800_259_200;
const HOUR: i64 = 3600;

/// Declares each test once for SQLite and PostgreSQL, each with its own simulator.
macro_rules! with_google {
    ($(async fn $name:ident($s:ident, $sim:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let $sim = Simulator::start(SimConfig::default()).await.unwrap();
                let $s = common::sqlite_with(&fixtures::google_vars(&$sim)).await;
                $body
            })*
        }
        mod postgres {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let $sim = Simulator::start(SimConfig::default()).await.unwrap();
                let Some($s) = common::postgres_with(&fixtures::google_vars(&$sim)).await else { return };
                $body
            })*
        }
    };
}

/// The browser's part: consent on Google's page, and the query Google sends back with.
async fn consent(sim: &Running, authorize: &url::Url) -> Vec<(String, String)> {
    query(&fixtures::allow_consent(sim, authorize.as_str()).await)
}

fn query(url: &url::Url) -> Vec<(String, String)> {
    url.query_pairs().into_owned().collect()
}

fn param(pairs: &[(String, String)], name: &str) -> String {
    pairs.iter().find(|(k, _)| k == name).unwrap().1.clone()
}

async fn admin(s: &Services) -> Member {
    s.set_up(fixtures::new_team("ada@example.com")).await.unwrap()
}

/// Connects the admin's Google account through the whole OAuth dance.
async fn connect(s: &Services, sim: &Running, member: &Member) {
    let session = s.start_session(member).await.unwrap();
    let authorize = s.start_google_connect(member, &session).await.unwrap();
    let back = consent(sim, &authorize).await;
    let outcome = CallbackOutcome::Code(param(&back, "code"));
    s.finish_google_connect(member, &session, &param(&back, "state"), outcome)
        .await
        .unwrap();
}

/// The database id of a booking, which the calendar sync state is keyed by.
async fn booking_id(s: &Services, uid: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM bookings WHERE uid = $1")
        .bind(uid)
        .fetch_one(s.db().pool())
        .await
        .unwrap()
}

async fn monday_starts(s: &Services, event_type: &EventType) -> Vec<i64> {
    s.slots(event_type, (MONDAY_NINE, MONDAY_NINE + 8 * HOUR), None)
        .await
        .unwrap()
        .iter()
        .map(|slot| slot.start)
        .collect()
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc3339()
}

fn busy_event(start: i64, end: i64) -> serde_json::Value {
    json!({"summary": "Dentist", "start": {"dateTime": rfc3339(start)}, "end": {"dateTime": rfc3339(end)}})
}

with_google! {
    async fn connecting_uses_pkce_and_least_privilege_and_keeps_tokens_only_sealed(s, sim) {
        let admin = admin(&s).await;
        let session = s.start_session(&admin).await.unwrap();
        let authorize = s.start_google_connect(&admin, &session).await.unwrap();
        let asked = query(&authorize);
        assert_eq!(param(&asked, "code_challenge_method"), "S256");
        assert_eq!(param(&asked, "access_type"), "offline");
        assert_eq!(
            param(&asked, "scope"),
            "https://www.googleapis.com/auth/calendar.events \
             https://www.googleapis.com/auth/calendar.calendarlist.readonly \
             https://www.googleapis.com/auth/calendar.freebusy"
        );
        let back = consent(&sim, &authorize).await;
        let state = param(&back, "state");
        let code = CallbackOutcome::Code(param(&back, "code"));
        s.finish_google_connect(&admin, &session, &state, code.clone()).await.unwrap();

        let page = s.integrations(&admin, admin.id).await.unwrap();
        let google = &page.connections[0];
        assert_eq!((google.account.as_str(), google.status), (DEFAULT_USER, ConnectionStatus::Active));
        assert_eq!(google.destination.as_deref(), Some(DEFAULT_USER));
        assert!(google.calendars.iter().all(|c| c.check_conflicts == c.primary));

        let stored: Vec<(String, String)> =
            sqlx::query_as("SELECT access_token_sealed, refresh_token_sealed FROM calendar_connections")
                .fetch_all(s.db().pool())
                .await
                .unwrap();
        let issued: Vec<String> = sim.control.tokens().into_iter().map(|t| t.token).collect();
        assert_eq!(issued.len(), 2, "one access and one refresh token");
        for token in &issued {
            assert!(stored.iter().all(|(a, r)| !a.contains(token.as_str()) && !r.contains(token.as_str())));
        }
        let refused = s.finish_google_connect(&admin, &session, &state, code).await;
        assert!(refused.is_err(), "a state works once");
    }

    async fn a_callback_in_another_session_is_refused(s, sim) {
        let admin = admin(&s).await;
        let session = s.start_session(&admin).await.unwrap();
        let authorize = s.start_google_connect(&admin, &session).await.unwrap();
        let back = consent(&sim, &authorize).await;
        let other_session = s.start_session(&admin).await.unwrap();
        let outcome = CallbackOutcome::Code(param(&back, "code"));
        let refused = s.finish_google_connect(&admin, &other_session, &param(&back, "state"), outcome).await;
        assert!(refused.is_err());
        assert!(s.integrations(&admin, admin.id).await.unwrap().connections.is_empty());
    }

    async fn busy_time_of_checked_calendars_removes_slots_and_unchecked_calendars_do_not(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.control.insert_event(DEFAULT_USER, busy_event(MONDAY_NINE + HOUR, MONDAY_NINE + 2 * HOUR)).unwrap();
        let side = sim.control.add_calendar(DEFAULT_USER, NewCalendar { summary: "Side".into(), ..Default::default() }).unwrap();
        sim.control.insert_event(&side.id, busy_event(MONDAY_NINE + 4 * HOUR, MONDAY_NINE + 5 * HOUR)).unwrap();
        connect(&s, &sim, &admin).await;

        let starts = monday_starts(&s, &demo).await;
        assert!(!starts.contains(&(MONDAY_NINE + HOUR)) && !starts.contains(&(MONDAY_NINE + HOUR + 1800)));
        assert!(starts.contains(&MONDAY_NINE) && starts.contains(&(MONDAY_NINE + 2 * HOUR)));
        assert!(starts.contains(&(MONDAY_NINE + 4 * HOUR)), "the side calendar is not checked");

        let both = vec![DEFAULT_USER.to_owned(), side.id.clone()];
        s.choose_calendars(&admin, admin.id, Provider::Google, &both, Some(DEFAULT_USER)).await.unwrap();
        assert!(!monday_starts(&s, &demo).await.contains(&(MONDAY_NINE + 4 * HOUR)));
    }

    async fn busy_time_older_than_an_hour_makes_the_member_unavailable_and_says_why(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        connect(&s, &sim, &admin).await;
        assert_eq!(monday_starts(&s, &demo).await.len(), 16);
        sim.control.inject_fault(Fault::backend_error().forever().on_path("freeBusy"));
        s.clock().advance(2 * HOUR);
        s.refresh_busy(s.integrations(&admin, admin.id).await.unwrap().connections[0].id).await.unwrap();
        assert!(monday_starts(&s, &demo).await.is_empty(), "no time is offered that may conflict");
        let google = &s.integrations(&admin, admin.id).await.unwrap().connections[0];
        assert!(google.busy_is_stale(s.clock().now()));
        assert!(google.busy_error.is_some());
    }

    async fn an_access_token_near_expiry_is_refreshed_before_use(s, sim) {
        let admin = admin(&s).await;
        connect(&s, &sim, &admin).await;
        let connection = s.integrations(&admin, admin.id).await.unwrap().connections[0].id;
        sim.control.clear_requests();
        s.clock().advance(58 * 60);
        s.refresh_busy(connection).await.unwrap();
        let paths: Vec<String> = sim.control.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/token", "/calendar/v3/freeBusy"]);
        let google = &s.integrations(&admin, admin.id).await.unwrap().connections[0];
        assert!(google.busy_error.is_none(), "{:?}", google.busy_error);
    }

    async fn revoked_access_asks_for_a_reconnect_mails_the_member_once_and_stops_calling_google(s, sim) {
        let admin = admin(&s).await;
        connect(&s, &sim, &admin).await;
        let connection = s.integrations(&admin, admin.id).await.unwrap().connections[0].id;
        sim.control.revoke_access(Some(DEFAULT_USER), None);
        s.clock().advance(2 * HOUR);
        s.refresh_busy(connection).await.unwrap();
        s.refresh_busy(connection).await.unwrap();
        let google = &s.integrations(&admin, admin.id).await.unwrap().connections[0];
        assert_eq!(google.status, ConnectionStatus::ReconnectNeeded);
        assert!(google.problem.as_deref().unwrap().contains("Reconnect"));
        let token_calls = sim.control.requests().iter().filter(|r| r.path == "/token").count();
        assert_eq!(token_calls, 2, "the exchange, then one refused refresh; nothing after");
        assert_eq!(s.run_due_jobs().await.unwrap(), 1);
        let mails = s.outbox(&admin).await.unwrap().unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].subject, "Reconnect your Google Calendar");
    }

    async fn bookings_become_events_that_follow_reschedules_and_cancellations(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        connect(&s, &sim, &admin).await;
        let booked = s.book(&demo, MONDAY_NINE, &attendee(1), None).await.unwrap();
        let booking_id = booking_id(&s, &booked.uid).await;
        let sync = s.calendar_sync(booking_id).await.unwrap();
        assert_eq!((sync[0].member_id, sync[0].state), (admin.id, SyncState::Waiting));
        assert_eq!(sync[0].provider, Some(Provider::Google));
        s.run_due_jobs().await.unwrap();
        let events = sim.control.events(DEFAULT_USER).unwrap();
        let event = events.iter().find(|e| e["summary"].as_str().unwrap().contains("with")).expect("the booking's event");
        let domain = s.config().public_url.host_str().unwrap().to_owned();
        assert_eq!(event["iCalUID"], format!("{}@{domain}", booked.uid));
        assert_eq!(event["extendedProperties"]["private"]["rendezvousBookingUid"], booked.uid.as_str());
        assert_eq!(event["attendees"][0]["email"], attendee(1).email.as_str());
        assert_eq!(event["start"]["timeZone"], "Europe/Berlin");
        assert!(event["description"].as_str().unwrap().contains(&format!("/booking/{}?token=", booked.uid)));
        assert_eq!(s.calendar_sync(booking_id).await.unwrap()[0].state, SyncState::Synced);

        s.reschedule_booking(&booked.uid, &booked.manage_token, MONDAY_NINE + 3 * HOUR).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let moved = sim.control.event(DEFAULT_USER, event["id"].as_str().unwrap()).unwrap();
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(moved["start"]["dateTime"].as_str().unwrap()).unwrap().timestamp(),
            MONDAY_NINE + 3 * HOUR
        );

        s.cancel_booking(&booked.uid, &booked.manage_token, None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let gone = sim.control.event(DEFAULT_USER, event["id"].as_str().unwrap()).unwrap();
        assert_eq!(gone["status"], "cancelled");
        assert_eq!(s.calendar_sync(booking_id).await.unwrap()[0].state, SyncState::Removed);
    }

    async fn a_storm_of_429s_delays_the_event_and_it_then_arrives_once(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        connect(&s, &sim, &admin).await;
        sim.control.inject_fault(Fault::too_many_requests(Some(30)).times(3).on_path("/events"));
        let booked = s.book(&demo, MONDAY_NINE, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let booking_id = booking_id(&s, &booked.uid).await;
        let sync = &s.calendar_sync(booking_id).await.unwrap()[0];
        assert_eq!(sync.state, SyncState::Waiting, "a retry is queued");
        assert!(sync.error.as_deref().is_some_and(|e| e.contains("slow down")), "{sync:?}");
        for _ in 0..6 {
            s.run_due_jobs().await.unwrap();
            s.clock().advance(120);
        }
        let copies = sim
            .control
            .events(DEFAULT_USER)
            .unwrap()
            .into_iter()
            .filter(|e| e["extendedProperties"]["private"]["rendezvousBookingUid"] == booked.uid.as_str())
            .count();
        assert_eq!(copies, 1);
        let inserts = sim.control.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with("/events")).count();
        assert_eq!(inserts, 4, "three throttled attempts, then the one that worked");
    }

    async fn disconnecting_revokes_at_google_and_keeps_the_bookings(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        connect(&s, &sim, &admin).await;
        s.book(&demo, MONDAY_NINE, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.disconnect(&admin, admin.id, Provider::Google).await.unwrap();
        let tokens = sim.control.tokens();
        assert!(tokens.iter().all(|t| t.dead), "Google revoked every token: {tokens:?}");
        assert!(s.integrations(&admin, admin.id).await.unwrap().connections.is_empty());
        let (bookings, events): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM bookings WHERE status = 'confirmed'), \
             (SELECT COUNT(*) FROM booking_calendar_events)",
        )
        .fetch_one(s.db().pool())
        .await
        .unwrap();
        assert_eq!((bookings, events), (1, 0));
    }
}

#[tokio::test]
async fn without_credentials_google_is_not_offered() {
    let s: TestServices = common::sqlite().await;
    let admin = admin(&s).await;
    let page = s.integrations(&admin, admin.id).await.unwrap();
    assert!(!page.google_configured);
    assert!(s.start_google_connect(&admin, "session").await.is_err());
}
