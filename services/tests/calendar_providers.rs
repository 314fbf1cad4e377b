//! Google Calendar and Outlook against their in-process simulators, every scenario once per
//! provider and database: connecting with PKCE, tokens sealed at rest, busy time in slots and its
//! failure rules, token refresh (Microsoft's rotation included) and revocation, bookings written
//! as events through the job queue, throttling, and disconnecting.

mod common;

use common::TestServices;
use services::Services;
use services::accounts::Member;
use services::calendars::{CallbackOutcome, ConnectionStatus, Provider, SyncState};
use services::event_types::EventType;
use services::fixtures::{self, ProviderSim, attendee};

/// 2027-01-18T08:00:00Z, Monday 09:00 in Berlin: the admin's first working hour after NOW.
const MONDAY_NINE: i64 = 1_800_259_200;
const HOUR: i64 = 3600;

fn param(url: &url::Url, name: &str) -> String {
    url.query_pairs().find(|(k, _)| k == name).unwrap().1.into_owned()
}

async fn admin(s: &Services) -> Member {
    s.set_up(fixtures::new_team("ada@example.com")).await.unwrap()
}

async fn connection(s: &Services, member: &Member) -> services::calendars::Connection {
    s.integrations(member, member.id).await.unwrap().connections.remove(0)
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

with_providers! {
    async fn connecting_uses_pkce_and_least_privilege_and_keeps_tokens_only_sealed(s, sim) {
        let admin = admin(&s).await;
        let session = s.start_session(&admin).await.unwrap();
        let authorize = s.start_connect(&admin, sim.provider(), &session).await.unwrap();
        assert_eq!(param(&authorize, "code_challenge_method"), "S256");
        let scope = param(&authorize, "scope");
        match sim.provider() {
            Provider::Google => {
                assert_eq!(param(&authorize, "access_type"), "offline");
                assert_eq!(
                    scope,
                    "https://www.googleapis.com/auth/calendar.events \
                     https://www.googleapis.com/auth/calendar.calendarlist.readonly \
                     https://www.googleapis.com/auth/calendar.freebusy"
                );
            }
            Provider::Microsoft => assert_eq!(scope, "offline_access User.Read Calendars.ReadWrite"),
            Provider::Caldav => unreachable!("CalDAV has no OAuth"),
        }
        let back = sim.allow_consent(authorize.as_str()).await;
        let state = param(&back, "state");
        let code = CallbackOutcome::Code(param(&back, "code"));
        s.finish_connect(&admin, sim.provider(), &session, &state, code.clone()).await.unwrap();

        let connected = connection(&s, &admin).await;
        assert_eq!((connected.account.as_str(), connected.status), (sim.account(), ConnectionStatus::Active));
        assert_eq!(connected.destination, Some(sim.primary_calendar()));
        assert!(connected.calendars.iter().all(|c| c.check_conflicts == c.primary));

        let stored: Vec<(String, String)> =
            sqlx::query_as("SELECT access_token_sealed, refresh_token_sealed FROM calendar_connections")
                .fetch_all(s.db().pool())
                .await
                .unwrap();
        let issued = sim.issued_tokens();
        assert_eq!(issued.len(), 2, "one access and one refresh token");
        for token in &issued {
            assert!(stored.iter().all(|(a, r)| !a.contains(token.as_str()) && !r.contains(token.as_str())));
        }
        let refused = s.finish_connect(&admin, sim.provider(), &session, &state, code).await;
        assert!(refused.is_err(), "a state works once");
    }

    async fn a_callback_in_another_session_is_refused(s, sim) {
        let admin = admin(&s).await;
        let session = s.start_session(&admin).await.unwrap();
        let authorize = s.start_connect(&admin, sim.provider(), &session).await.unwrap();
        let back = sim.allow_consent(authorize.as_str()).await;
        let other_session = s.start_session(&admin).await.unwrap();
        let outcome = CallbackOutcome::Code(param(&back, "code"));
        let refused = s.finish_connect(&admin, sim.provider(), &other_session, &param(&back, "state"), outcome).await;
        assert!(refused.is_err());
        assert!(s.integrations(&admin, admin.id).await.unwrap().connections.is_empty());
    }

    async fn busy_time_of_checked_calendars_removes_slots_and_unchecked_calendars_do_not(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let primary = sim.primary_calendar();
        sim.add_meeting(&primary, (MONDAY_NINE + HOUR, MONDAY_NINE + 2 * HOUR), "busy");
        let side = sim.add_calendar("Side");
        sim.add_meeting(&side, (MONDAY_NINE + 4 * HOUR, MONDAY_NINE + 5 * HOUR), "busy");
        sim.connect(&s, &admin).await;

        let starts = monday_starts(&s, &demo).await;
        assert!(!starts.contains(&(MONDAY_NINE + HOUR)) && !starts.contains(&(MONDAY_NINE + HOUR + 1800)));
        assert!(starts.contains(&MONDAY_NINE) && starts.contains(&(MONDAY_NINE + 2 * HOUR)));
        assert!(starts.contains(&(MONDAY_NINE + 4 * HOUR)), "the side calendar is not checked");

        let both = vec![primary.clone(), side];
        s.choose_calendars(&admin, admin.id, sim.provider(), &both, Some(&primary)).await.unwrap();
        assert!(!monday_starts(&s, &demo).await.contains(&(MONDAY_NINE + 4 * HOUR)));
    }

    async fn tentative_meetings_block_and_free_ones_do_not(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let primary = sim.primary_calendar();
        sim.add_meeting(&primary, (MONDAY_NINE, MONDAY_NINE + HOUR), "free");
        if sim.provider() == Provider::Microsoft {
            sim.add_meeting(&primary, (MONDAY_NINE + 2 * HOUR, MONDAY_NINE + 3 * HOUR), "tentative");
        }
        sim.connect(&s, &admin).await;
        let starts = monday_starts(&s, &demo).await;
        assert!(starts.contains(&MONDAY_NINE), "a free meeting leaves the time open");
        if sim.provider() == Provider::Microsoft {
            assert!(!starts.contains(&(MONDAY_NINE + 2 * HOUR)), "a tentative meeting blocks");
        }
    }

    async fn busy_time_older_than_an_hour_makes_the_member_unavailable_and_says_why(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        assert_eq!(monday_starts(&s, &demo).await.len(), 16);
        sim.fail_busy_reads();
        s.clock().advance(2 * HOUR);
        s.refresh_busy(connection(&s, &admin).await.id).await.unwrap();
        assert!(monday_starts(&s, &demo).await.is_empty(), "no time is offered that may conflict");
        let connected = connection(&s, &admin).await;
        assert!(connected.busy_is_stale(s.clock().now()));
        assert!(connected.busy_error.is_some());
    }

    async fn an_access_token_near_expiry_is_refreshed_before_use(s, sim) {
        let admin = admin(&s).await;
        sim.connect(&s, &admin).await;
        let id = connection(&s, &admin).await.id;
        let before = sim.token_requests();
        s.clock().advance(58 * 60);
        s.refresh_busy(id).await.unwrap();
        assert_eq!(sim.token_requests(), before + 1, "one refresh");
        assert!(connection(&s, &admin).await.busy_error.is_none());
    }

    async fn a_rotated_refresh_token_is_stored_before_the_next_refresh_needs_it(s, sim) {
        let admin = admin(&s).await;
        sim.connect(&s, &admin).await;
        let id = connection(&s, &admin).await.id;
        for _ in 0..3 {
            sim.expire_access_tokens();
            s.clock().advance(2 * HOUR);
            s.refresh_busy(id).await.unwrap();
            let connected = connection(&s, &admin).await;
            assert_eq!(connected.status, ConnectionStatus::Active, "{:?}", connected.problem);
            assert!(connected.busy_error.is_none(), "{:?}", connected.busy_error);
        }
    }

    async fn revoked_access_asks_for_a_reconnect_mails_the_member_once_and_stops_calling_the_provider(s, sim) {
        let admin = admin(&s).await;
        sim.connect(&s, &admin).await;
        let id = connection(&s, &admin).await.id;
        let before = sim.token_requests();
        sim.revoke_access();
        s.clock().advance(2 * HOUR);
        s.refresh_busy(id).await.unwrap();
        s.refresh_busy(id).await.unwrap();
        let connected = connection(&s, &admin).await;
        assert_eq!(connected.status, ConnectionStatus::ReconnectNeeded);
        assert!(connected.problem.as_deref().unwrap().contains("Reconnect"));
        assert_eq!(sim.token_requests(), before + 1, "one refused refresh; nothing after");
        assert_eq!(s.run_due_jobs().await.unwrap(), 1);
        let mails = s.outbox(&admin).await.unwrap().unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].subject, format!("Reconnect your {}", sim.provider().label()));
    }

    async fn bookings_become_events_that_follow_reschedules_and_cancellations(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        let booked = s.book(&demo, MONDAY_NINE, &attendee(1), None).await.unwrap();
        let booking_id = booking_id(&s, &booked.uid).await;
        let sync = s.calendar_sync(booking_id).await.unwrap();
        assert_eq!((sync[0].member_id, sync[0].state), (admin.id, SyncState::Waiting));
        assert_eq!(sync[0].provider, Some(sim.provider()));
        s.run_due_jobs().await.unwrap();
        let events = sim.booking_events();
        assert_eq!(events.len(), 1);
        let event = &events[0];
        assert_eq!(event.booking_uid.as_deref(), Some(booked.uid.as_str()));
        assert_eq!(event.summary, "Product demo with Prospect 1");
        assert_eq!(event.start, MONDAY_NINE);
        assert_eq!(s.calendar_sync(booking_id).await.unwrap()[0].state, SyncState::Synced);

        s.reschedule_booking(&booked.uid, &booked.manage_token, MONDAY_NINE + 3 * HOUR).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let moved = sim.booking_events();
        assert_eq!((moved.len(), moved[0].id.as_str(), moved[0].start), (1, event.id.as_str(), MONDAY_NINE + 3 * HOUR));

        s.cancel_booking(&booked.uid, &booked.manage_token, None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        assert!(sim.booking_events().is_empty(), "the event is deleted");
        assert_eq!(s.calendar_sync(booking_id).await.unwrap()[0].state, SyncState::Removed);
    }

    async fn the_host_s_event_carries_the_answers_and_the_guests(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        let mut inviting = attendee(1);
        inviting.guests = vec![domain::Email::parse("gus@example.net").unwrap()];
        inviting.answers.insert("notes".into(), domain::RawAnswer::One("Budget is approved".into()));
        s.book(&demo, MONDAY_NINE, &inviting, None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let event = sim.booking_events().remove(0);
        assert!(event.description.contains("Anything that helps prepare?: Budget is approved"), "{}", event.description);
        assert!(event.description.contains("Guests: gus@example.net"), "{}", event.description);
        let expected: &[&str] = match sim.provider() {
            Provider::Google => &["p1@example.org", "gus@example.net"],
            // Graph (and a CalDAV server that schedules) would mail its own invitation to every
            // attendee, beside ours.
            Provider::Microsoft | Provider::Caldav => &[],
        };
        assert_eq!(event.attendees, expected);
    }

    async fn a_storm_of_429s_delays_the_event_and_it_then_arrives_once(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        sim.throttle_event_writes(3);
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
        assert_eq!(sim.booking_events().len(), 1);
        assert_eq!(sim.event_creations(), 4, "three throttled attempts, then the one that worked");
    }

    async fn disconnecting_removes_access_and_keeps_the_bookings(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        s.book(&demo, MONDAY_NINE, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.disconnect(&admin, admin.id, sim.provider()).await.unwrap();
        if sim.provider() == Provider::Google {
            assert!(sim.tokens_dead(), "Google revoked every token");
        }
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
async fn without_credentials_only_caldav_is_offered() {
    let s: TestServices = common::sqlite().await;
    let admin = admin(&s).await;
    let page = s.integrations(&admin, admin.id).await.unwrap();
    let offered: Vec<Provider> = page
        .providers
        .iter()
        .filter(|p| p.configured)
        .map(|p| p.provider)
        .collect();
    assert_eq!(offered, [Provider::Caldav], "CalDAV needs no set-up by an admin");
    for provider in Provider::OAUTH {
        assert!(s.start_connect(&admin, provider, "session").await.is_err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_with_google_and_outlook_is_busy_in_both_and_bookings_go_to_one_calendar() {
    let google = ProviderSim::start(Provider::Google).await;
    let outlook = ProviderSim::start(Provider::Microsoft).await;
    let vars: Vec<_> = google.vars().into_iter().chain(outlook.vars()).collect();
    let s = common::sqlite_with(&vars).await;
    let (admin, demo) = fixtures::team_with_demo(&s).await;
    google.add_meeting(&google.primary_calendar(), (MONDAY_NINE, MONDAY_NINE + HOUR), "busy");
    outlook.add_meeting(
        &outlook.primary_calendar(),
        (MONDAY_NINE + 2 * HOUR, MONDAY_NINE + 3 * HOUR),
        "busy",
    );
    google.connect(&s, &admin).await;
    outlook.connect(&s, &admin).await;
    let starts = monday_starts(&s, &demo).await;
    assert!(!starts.contains(&MONDAY_NINE) && !starts.contains(&(MONDAY_NINE + 2 * HOUR)));

    let destinations: Vec<_> = s
        .integrations(&admin, admin.id)
        .await
        .unwrap()
        .connections
        .into_iter()
        .map(|c| c.destination)
        .collect();
    assert_eq!(
        destinations.iter().filter(|d| d.is_some()).count(),
        1,
        "the first connection keeps bookings"
    );
    let calendar = outlook.primary_calendar();
    s.choose_calendars(
        &admin,
        admin.id,
        Provider::Microsoft,
        std::slice::from_ref(&calendar),
        Some(&calendar),
    )
    .await
    .unwrap();
    s.book(&demo, MONDAY_NINE + 4 * HOUR, &attendee(1), None).await.unwrap();
    s.run_due_jobs().await.unwrap();
    assert_eq!((google.booking_events().len(), outlook.booking_events().len()), (0, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_was_lost_is_retried_into_one_event() {
    for provider in Provider::OAUTH {
        let sim = ProviderSim::start(provider).await;
        let mut vars = sim.vars();
        vars.push(("RENDEZVOUS_PROVIDER_TIMEOUT_SECONDS", "1".to_owned()));
        let s = common::sqlite_with(&vars).await;
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        sim.answer_next_event_write_late(std::time::Duration::from_secs(3));
        let booked = s.book(&demo, MONDAY_NINE, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let booking_id = booking_id(&s, &booked.uid).await;
        let sync = &s.calendar_sync(booking_id).await.unwrap()[0];
        assert_eq!(sync.state, SyncState::Waiting, "{provider:?}: the timeout is retried");
        assert_eq!(
            sim.booking_events().len(),
            1,
            "{provider:?}: the provider made the event all the same"
        );
        for _ in 0..6 {
            s.clock().advance(600);
            s.run_due_jobs().await.unwrap();
        }
        let sync = &s.calendar_sync(booking_id).await.unwrap()[0];
        assert_eq!(sync.state, SyncState::Synced, "{provider:?}: the retry went through");
        assert_eq!(sim.booking_events().len(), 1, "{provider:?}: and found the first event");
    }
}
