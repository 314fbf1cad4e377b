//! Push notifications end to end: the real server receives the simulators' notifications on its
//! webhooks, authenticates them, and syncs the calendar at once; channels are renewed before they
//! expire and remade after Graph's lifecycle events; forged notifications are refused.

mod common;

use chrono::{Datelike, Duration as Days, TimeZone};
use reqwest::StatusCode;
use services::Clock;
use services::calendars::Provider;
use services::event_types::EventType;
use services::fixtures::{self, ProviderSim};
use std::time::{Duration, Instant};

const HOUR: i64 = 3600;

/// Next week's Monday 10:00 in Berlin (the demo's hours), as unix seconds.
fn next_monday_ten() -> i64 {
    let zone = chrono_tz::Europe::Berlin;
    let mut day = chrono::Utc::now().with_timezone(&zone).date_naive() + Days::days(2);
    while day.weekday() != chrono::Weekday::Mon {
        day += Days::days(1);
    }
    zone.from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
        .unwrap()
        .timestamp()
}

/// Waits (up to ten seconds) until `done` holds.
async fn eventually<F, Fut>(what: &str, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A server with push on (the simulators deliver to http), its admin connected and the calendar
/// listed once with a live channel.
async fn connected(sim: &ProviderSim, clock: Clock, extra: &[(&'static str, String)]) -> (common::Running, EventType) {
    let mut vars = sim.vars();
    vars.push(("RENDEZVOUS_CALENDAR_PUSH", "on".into()));
    vars.extend_from_slice(extra);
    let server = common::start_configured(clock, &vars).await;
    let (admin, demo) = fixtures::team_with_demo(&server.services).await;
    sim.connect(&server.services, &admin).await;
    eventually("a channel exists", || async { sim.channels().len() == 1 }).await;
    eventually("the calendar was listed", || async { synced(&server).await }).await;
    (server, demo)
}

/// Listed at least once and let go: the worker writes `last_synced_at` before it releases the row
/// and sets its next `due_at`, so a test that reads `due_at` must wait for both.
async fn synced(server: &common::Running) -> bool {
    let (at, lease): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT last_synced_at, lease_until FROM calendar_syncs")
            .fetch_one(server.services.db().pool())
            .await
            .unwrap();
    at.is_some() && lease.is_none()
}

async fn offered(server: &common::Running, demo: &EventType, start: i64) -> bool {
    let slots = server.services.slots(demo, (start, start + HOUR), None).await.unwrap();
    slots.iter().any(|s| s.start == start)
}

/// Declares each scenario once per provider, as `google::name` and `microsoft::name`.
macro_rules! for_both_providers {
    ($(async fn $name:ident($sim:ident) $body:block)*) => {
        for_both_providers!(@each google, Provider::Google, $($name $sim $body)*);
        for_both_providers!(@each microsoft, Provider::Microsoft, $($name $sim $body)*);
    };
    (@each $module:ident, $which:expr, $($name:ident $sim:ident $body:block)*) => {
        mod $module {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let $sim = ProviderSim::start($which).await;
                $body
            })*
        }
    };
}

for_both_providers! {
    async fn a_meeting_added_in_the_calendar_leaves_the_slots_within_seconds_by_push(sim) {
        let (server, demo) = connected(&sim, Clock::System, &[]).await;
        let start = next_monday_ten();
        assert!(offered(&server, &demo, start).await);
        let listings = sim.listings();
        let added = Instant::now();
        sim.add_meeting(&sim.primary_calendar(), (start, start + HOUR), "busy");
        eventually("the slot is gone", || async { !offered(&server, &demo, start).await }).await;
        eprintln!("notification to slots updated: {:?}", added.elapsed());
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(sim.listings(), listings + 1, "one notification, one incremental sync");
    }

    async fn a_burst_of_a_hundred_notifications_leads_to_at_most_two_syncs(sim) {
        let (server, _) = connected(&sim, Clock::System, &[]).await;
        let pool = server.services.db().pool();
        // Another process is syncing this calendar meanwhile: it holds the lease.
        sqlx::query("UPDATE calendar_syncs SET lease_until = 4102444800, lease_owner = 'elsewhere'")
            .execute(pool)
            .await
            .unwrap();
        let accepted = sim.accepted_notifications();
        let start = next_monday_ten();
        for n in 0..100 {
            sim.add_meeting(&sim.primary_calendar(), (start + n * 60, start + n * 60 + 60), "busy");
        }
        eventually("a hundred notifications were accepted", || async {
            sim.accepted_notifications() >= accepted + 100
        })
        .await;
        let listings = sim.listings();
        sqlx::query("UPDATE calendar_syncs SET lease_until = NULL, lease_owner = NULL")
            .execute(pool)
            .await
            .unwrap();
        eventually("the calendar was synced", || async { sim.listings() > listings }).await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let syncs = sim.listings() - listings;
        assert!(syncs <= 2, "{syncs} syncs for one burst");
        let mirrored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_sync_events")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(mirrored, 100);
    }

    async fn channels_are_renewed_before_they_expire(sim) {
        let clock = Clock::manual(chrono::Utc::now().timestamp());
        let (server, _) = connected(&sim, clock.clone(), &[("RENDEZVOUS_CALENDAR_CHANNEL_SECONDS", "3600".into())]).await;
        let (first_id, _, first_expiry) = sim.channels().remove(0);
        // 46 minutes later the channel has 14 minutes left: within the renewal margin (15).
        sim.advance_clock(2760);
        clock.advance(2760);
        // One live channel with a later expiry: for Google a new one, the old one stopped.
        eventually("the channel was renewed", || async {
            let channels = sim.channels();
            channels.len() == 1 && channels[0].2 > first_expiry
        })
        .await;
        let channels = sim.channels();
        let renewed_in_place = channels[0].0 == first_id;
        assert_eq!(renewed_in_place, sim.provider() == Provider::Microsoft);
        let stored: String = sqlx::query_scalar("SELECT channel_id FROM calendar_syncs")
            .fetch_one(server.services.db().pool())
            .await
            .unwrap();
        assert_eq!(stored, channels[0].0);
    }

    async fn forged_notifications_are_refused_and_change_nothing(sim) {
        let (server, _) = connected(&sim, Clock::System, &[]).await;
        let (channel, secret, _) = sim.channels().remove(0);
        let due = || async {
            let due: i64 = sqlx::query_scalar("SELECT due_at FROM calendar_syncs")
                .fetch_one(server.services.db().pool())
                .await
                .unwrap();
            due
        };
        let before = due().await;
        let send = |channel: String, secret: String| {
            let request = match sim.provider() {
                Provider::Google => server
                    .client
                    .post(format!("{}/webhooks/google", server.base))
                    .header("X-Goog-Channel-ID", channel)
                    .header("X-Goog-Channel-Token", secret)
                    .header("X-Goog-Resource-State", "exists"),
                Provider::Microsoft => server
                    .client
                    .post(format!("{}/webhooks/microsoft", server.base))
                    .json(&serde_json::json!({"value": [{"subscriptionId": channel, "clientState": secret,
                        "changeType": "updated", "resource": "Users/x/Events/y"}]})),
                Provider::Caldav => unreachable!("CalDAV has no push"),
            };
            async move { request.send().await.unwrap().status() }
        };
        assert_eq!(send(channel.clone(), format!("{secret}x")).await, StatusCode::UNAUTHORIZED);
        assert_eq!(send("rdv-made-up".into(), secret.clone()).await, StatusCode::NOT_FOUND);
        assert_eq!(due().await, before, "a refused notification changes nothing");
        assert!(send(channel, secret).await.is_success());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graph_validation_tokens_are_echoed_as_plain_text() {
    let server = common::start().await;
    for path in ["/webhooks/microsoft", "/webhooks/microsoft/lifecycle"] {
        let response = server
            .client
            .post(format!(
                "{}{path}?validationToken=Validation%3A%20Testing%20%3Cok%3E",
                server.base
            ))
            .header("Content-Type", "text/plain")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        assert_eq!(response.text().await.unwrap(), "Validation: Testing <ok>");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_graph_subscription_is_made_again_and_the_calendar_listed_whole() {
    let sim = ProviderSim::start(Provider::Microsoft).await;
    let (server, _) = connected(&sim, Clock::System, &[]).await;
    let (first, _, _) = sim.channels().remove(0);
    let listings = sim.listings();
    sim.send_lifecycle_event("subscriptionRemoved");
    eventually("a new subscription exists", || async {
        sim.channels().iter().any(|(id, ..)| *id != first)
    })
    .await;
    eventually("the calendar was listed again", || async { sim.listings() > listings }).await;
    let token: Option<String> = sqlx::query_scalar("SELECT sync_token FROM calendar_syncs")
        .fetch_one(server.services.db().pool())
        .await
        .unwrap();
    assert!(token.is_some(), "a new delta position after the full listing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_public_https_address_calendars_are_polled_and_no_channel_is_made() {
    let sim = ProviderSim::start(Provider::Google).await;
    let server = common::start_configured(Clock::System, &sim.vars()).await;
    let (admin, _) = fixtures::team_with_demo(&server.services).await;
    sim.connect(&server.services, &admin).await;
    eventually("the calendar was listed", || async { synced(&server).await }).await;
    assert!(sim.channels().is_empty());
    let connection = server
        .services
        .integrations(&admin, admin.id)
        .await
        .unwrap()
        .connections
        .remove(0);
    let status = server.services.follow_status(&connection).await.unwrap();
    assert_eq!(
        status.updates,
        services::calendars::Updates::Polled {
            every_secs: 60,
            why: services::calendars::PollReason::NoPublicHttps
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graph_subscription_needing_reauthorization_is_renewed_in_place() {
    let sim = ProviderSim::start(Provider::Microsoft).await;
    let clock = Clock::manual(chrono::Utc::now().timestamp());
    let (_server, _) = connected(&sim, clock.clone(), &[]).await;
    let (id, _, expiry) = sim.channels().remove(0);
    sim.advance_clock(60);
    clock.advance(60);
    sim.send_lifecycle_event("reauthorizationRequired");
    eventually("the subscription was renewed", || async {
        sim.channels().iter().any(|(_, _, at)| *at > expiry)
    })
    .await;
    let channels = sim.channels();
    assert_eq!((channels.len(), channels[0].0.as_str()), (1, id.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnecting_stops_the_channels_and_keeps_the_bookings() {
    for provider in Provider::OAUTH {
        let sim = ProviderSim::start(provider).await;
        let (server, demo) = connected(&sim, Clock::System, &[]).await;
        let start = next_monday_ten();
        let attendee = fixtures::attendee(1);
        server.services.book(&demo, start, &attendee, None).await.unwrap();
        let admin_id: i64 = sqlx::query_scalar("SELECT id FROM members")
            .fetch_one(server.services.db().pool())
            .await
            .unwrap();
        let admin = server.services.member(admin_id).await.unwrap();
        server.services.disconnect(&admin, admin.id, provider).await.unwrap();
        assert!(sim.channels().is_empty(), "{provider:?}: the channel is stopped");
        let bookings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings WHERE status = 'confirmed'")
            .fetch_one(server.services.db().pool())
            .await
            .unwrap();
        assert_eq!(bookings, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_graph_notifications_make_the_calendar_sync_at_once() {
    let sim = ProviderSim::start(Provider::Microsoft).await;
    let (server, _) = connected(&sim, Clock::System, &[]).await;
    let pool = server.services.db().pool();
    let due = || async {
        let due: i64 = sqlx::query_scalar("SELECT due_at FROM calendar_syncs")
            .fetch_one(pool)
            .await
            .unwrap();
        due
    };
    assert!(
        due().await > chrono::Utc::now().timestamp() + 60,
        "next: the safety-net poll"
    );
    // Another process is syncing meanwhile, so the row stays as the notification left it.
    sqlx::query("UPDATE calendar_syncs SET lease_until = 4102444800, lease_owner = 'elsewhere'")
        .execute(pool)
        .await
        .unwrap();
    sim.send_lifecycle_event("missed");
    eventually("the calendar is due", || async {
        due().await <= chrono::Utc::now().timestamp()
    })
    .await;
    let listings = sim.listings();
    sqlx::query("UPDATE calendar_syncs SET lease_until = NULL, lease_owner = NULL")
        .execute(pool)
        .await
        .unwrap();
    eventually("the calendar was synced", || async { sim.listings() > listings }).await;
}
