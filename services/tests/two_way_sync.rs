//! Two-way sync against the in-process simulators, every scenario once per provider and database,
//! with calendars polled (no push address): changes made in the host's calendar come back by
//! incremental sync, reach slots at once, and move, cancel or flag bookings; our own writes
//! coming back are not mistaken for the host's.

mod common;

use common::calendar::*;

use services::Services;
use services::accounts::Member;
use services::calendars::{CANCELLED_BY_HOST, HostChanges, Provider};
use services::event_types::{EventType, Mode};
use services::fixtures::{self, ProviderSim, attendee};

/// Connects the admin, books Monday 10:00 and lets the event be written and the calendar listed.
async fn booked_and_synced(s: &Services, sim: &ProviderSim) -> (Member, EventType, String, String) {
    let (admin, demo) = fixtures::team_with_demo(s).await;
    sim.connect(s, &admin).await;
    let booked = s.book(&demo, MONDAY_NINE + HOUR, &attendee(1), None).await.unwrap();
    next_poll(s).await;
    let event = sim.booking_events().pop().expect("the booking's event");
    (admin, demo, booked.uid, event.id)
}

with_providers! {
    async fn a_meeting_added_in_the_calendar_leaves_the_slots_at_the_next_sync(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        s.run_due_syncs().await.unwrap();
        assert!(monday_starts(&s, &demo, None).await.contains(&(MONDAY_NINE + 3 * HOUR)));
        sim.add_meeting(&sim.primary_calendar(), (MONDAY_NINE + 3 * HOUR, MONDAY_NINE + 4 * HOUR), "busy");
        s.clock().advance(61);
        assert_eq!(s.run_due_syncs().await.unwrap(), 1, "the calendar is polled every minute");
        assert!(!monday_starts(&s, &demo, None).await.contains(&(MONDAY_NINE + 3 * HOUR)));
        assert_eq!(s.run_due_syncs().await.unwrap(), 0, "nothing is due until the next poll");
    }

    async fn an_expired_sync_position_lists_the_calendar_again(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        s.run_due_syncs().await.unwrap();
        sim.expire_sync_positions();
        sim.add_meeting(&sim.primary_calendar(), (MONDAY_NINE, MONDAY_NINE + HOUR), "busy");
        let before = sim.listings();
        next_poll(&s).await;
        assert!(sim.listings() >= before + 2, "a refused incremental listing, then a full one");
        assert!(!monday_starts(&s, &demo, None).await.contains(&MONDAY_NINE));
        let mirrored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_sync_events WHERE title = 'Dentist'")
            .fetch_one(s.db().pool())
            .await
            .unwrap();
        assert_eq!(mirrored, 1);
    }

    async fn moving_the_booked_event_reschedules_the_booking_and_tells_the_attendee(s, sim) {
        let (_, _, uid, event) = booked_and_synced(&s, &sim).await;
        let (id, _, _, sequence, _) = booking(&s, &uid).await;
        sim.move_event(&sim.primary_calendar(), &event, (MONDAY_NINE + 5 * HOUR, MONDAY_NINE + 5 * HOUR + 1800));
        next_poll(&s).await;
        let (_, start, status, moved_sequence, _) = booking(&s, &uid).await;
        assert_eq!((start, status.as_str(), moved_sequence), (MONDAY_NINE + 5 * HOUR, "confirmed", sequence + 1));
        assert!(mails(&s, &uid).await.contains(&"rescheduled:attendee".to_owned()));
        let reason: Option<String> = sqlx::query_scalar(
            "SELECT reason FROM booking_changes WHERE booking_id = $1 AND kind = 'rescheduled'",
        )
        .bind(id)
        .fetch_one(s.db().pool())
        .await
        .unwrap();
        assert_eq!(reason.unwrap(), format!("Moved in {} by the host", sim.provider().label()));

        // Our own write of the moved booking comes back: it is not the host moving it again.
        next_poll(&s).await;
        next_poll(&s).await;
        assert_eq!(booking(&s, &uid).await.3, moved_sequence);
        assert_eq!(sim.booking_events().len(), 1);
    }

    async fn deleting_the_booked_event_cancels_the_booking_after_the_grace_period(s, sim) {
        let (_, _, uid, event) = booked_and_synced(&s, &sim).await;
        sim.delete_event(&sim.primary_calendar(), &event);
        next_poll(&s).await;
        assert_eq!(host_change(&s, &uid).await.as_deref(), Some("deleted"));
        assert_eq!(booking(&s, &uid).await.2, "confirmed", "the grace period absorbs an undo");
        s.clock().advance(300);
        s.run_due_jobs().await.unwrap();
        let (_, _, status, _, reason) = booking(&s, &uid).await;
        assert_eq!((status.as_str(), reason.as_deref()), ("cancelled", Some(CANCELLED_BY_HOST)));
        assert!(mails(&s, &uid).await.contains(&"cancelled:attendee".to_owned()));
        next_poll(&s).await;
        assert!(sim.booking_events().is_empty(), "nothing is written back");
    }

    async fn keep_booking_writes_the_deleted_event_back_and_nothing_is_cancelled(s, sim) {
        let (admin, _, uid, event) = booked_and_synced(&s, &sim).await;
        sim.delete_event(&sim.primary_calendar(), &event);
        next_poll(&s).await;
        s.keep_calendar_copy(&admin, &uid, admin.id).await.unwrap();
        s.run_due_jobs().await.unwrap();
        assert_eq!(sim.booking_events().len(), 1, "the event is back");
        assert_eq!(host_change(&s, &uid).await, None);
        s.clock().advance(600);
        next_poll(&s).await;
        assert_eq!(booking(&s, &uid).await.2, "confirmed");
        assert_eq!(host_change(&s, &uid).await, None, "the event written back is not a new change");
    }

    async fn a_collective_booking_or_a_flagging_host_only_flags_the_move(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        let together = fixtures::new_event_type("together", 30, Mode::Collective, vec![admin.id, bob.id]);
        let together = s.create_event_type(&admin, together).await.unwrap();
        sim.connect(&s, &admin).await;
        let booked = s.book(&together, MONDAY_NINE + HOUR, &attendee(1), None).await.unwrap();
        next_poll(&s).await;
        let event = sim.booking_events().pop().unwrap();
        let sequence = booking(&s, &booked.uid).await.3;
        sim.move_event(&sim.primary_calendar(), &event.id, (MONDAY_NINE + 6 * HOUR, MONDAY_NINE + 6 * HOUR + 1800));
        next_poll(&s).await;
        assert_eq!(host_change(&s, &booked.uid).await.as_deref(), Some("moved"));
        assert_eq!(booking(&s, &booked.uid).await.1, MONDAY_NINE + HOUR, "one host never moves the meeting");
        assert_eq!(booking(&s, &booked.uid).await.3, sequence);
        let told = mails(&s, &booked.uid).await;
        assert!(told.contains(&format!("calendar_changed:host{}", bob.id)), "{told:?}");
        assert!(!told.iter().any(|m| m.ends_with(&format!("host{}", admin.id)) && m.starts_with("calendar_changed")));
        assert!(!told.iter().any(|m| m.starts_with("rescheduled")), "the attendee hears nothing");
        let sent: Vec<String> = sqlx::query_scalar("SELECT state FROM jobs WHERE dedupe_key LIKE $1")
            .bind(format!("mail:{}:calendar_changed:%", booked.uid))
            .fetch_all(s.db().pool())
            .await
            .unwrap();
        assert_eq!(sent, ["done"], "the notice was written and sent");

        // A single-host booking of a member who only wants a flag, applied with one click.
        s.set_host_changes(&admin, admin.id, HostChanges::Flag).await.unwrap();
        let single = s.book(&demo, MONDAY_NINE + 2 * HOUR, &attendee(2), None).await.unwrap();
        next_poll(&s).await;
        let event = sim.booking_events().into_iter().find(|e| e.booking_uid.as_deref() == Some(single.uid.as_str())).unwrap();
        sim.move_event(&sim.primary_calendar(), &event.id, (MONDAY_NINE + 7 * HOUR, MONDAY_NINE + 7 * HOUR + 1800));
        next_poll(&s).await;
        assert_eq!(host_change(&s, &single.uid).await.as_deref(), Some("moved"));
        assert_eq!(booking(&s, &single.uid).await.1, MONDAY_NINE + 2 * HOUR);
        s.apply_calendar_move(&admin, &single.uid, admin.id).await.unwrap();
        assert_eq!(booking(&s, &single.uid).await.1, MONDAY_NINE + 7 * HOUR);
        assert_eq!(host_change(&s, &single.uid).await, None);
    }

    async fn a_bookings_own_event_does_not_block_its_reschedule(s, sim) {
        let (_, demo, uid, _) = booked_and_synced(&s, &sim).await;
        let (id, ..) = booking(&s, &uid).await;
        s.refresh_busy(connection_id(&s).await).await.unwrap();
        let starts = monday_starts(&s, &demo, Some(id)).await;
        assert!(starts.contains(&(MONDAY_NINE + HOUR)), "its own time is free for moving the booking itself");
        let others = monday_starts(&s, &demo, None).await;
        assert!(!others.contains(&(MONDAY_NINE + HOUR)), "other bookings still may not take its time");
        // A meeting of the host's own at the same time still blocks the reschedule.
        sim.add_meeting(&sim.primary_calendar(), (MONDAY_NINE + HOUR, MONDAY_NINE + HOUR + 1800), "busy");
        next_poll(&s).await;
        assert!(!monday_starts(&s, &demo, Some(id)).await.contains(&(MONDAY_NINE + HOUR)));
    }

    async fn two_processes_sync_a_due_calendar_once(s, sim) {
        let (admin, _) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        s.run_due_syncs().await.unwrap();
        let other = common::another_process(&s).await;
        sim.add_meeting(&sim.primary_calendar(), (MONDAY_NINE, MONDAY_NINE + HOUR), "busy");
        s.clock().advance(61);
        let listings = sim.listings();
        let (first, second) = tokio::join!(s.run_due_syncs(), other.run_due_syncs());
        assert_eq!(first.unwrap() + second.unwrap(), 1);
        assert_eq!(sim.listings(), listings + 1);
    }

    async fn processes_needing_a_token_while_another_refreshes_wait_and_refresh_once(s, sim) {
        let (admin, _) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        let other = common::another_process(&s).await;
        let id = connection_id(&s).await;
        sim.expire_access_tokens();
        s.clock().advance(2 * HOUR);
        let before = sim.token_requests();
        // A third process is refreshing: both wait for it rather than spend the token again.
        let hold = "UPDATE calendar_connections SET refresh_lease_until = $1";
        sqlx::query(hold).bind(s.clock().now() + 30).execute(s.db().pool()).await.unwrap();
        let (first, second) = (s.services.clone(), other.clone());
        let first = tokio::spawn(async move { first.refresh_busy(id).await });
        let second = tokio::spawn(async move { second.refresh_busy(id).await });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(sim.token_requests(), before, "nobody refreshes while the lease is held");
        sqlx::query("UPDATE calendar_connections SET refresh_lease_until = NULL")
            .execute(s.db().pool())
            .await
            .unwrap();
        first.await.unwrap().unwrap();
        second.await.unwrap().unwrap();
        assert_eq!(sim.token_requests(), before + 1, "one refresh for both");
        let status: String = sqlx::query_scalar("SELECT status FROM calendar_connections")
            .fetch_one(s.db().pool())
            .await
            .unwrap();
        assert_eq!(status, "active");
    }

    async fn a_failing_sync_is_reported_until_a_sync_works_again(s, sim) {
        let (admin, _) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        s.run_due_syncs().await.unwrap();
        let status = |s: &Services| {
            let s = s.clone();
            let admin = admin.clone();
            async move {
                let connection = s.integrations(&admin, admin.id).await.unwrap().connections.remove(0);
                s.follow_status(&connection).await.unwrap()
            }
        };
        assert!(!status(&s).await.failing());
        sim.fail_listings();
        next_poll(&s).await;
        let failing = status(&s).await;
        assert!(failing.failing(), "{failing:?}");
        assert_eq!(failing.last_error.as_ref().map(|(_, at)| *at), Some(s.clock().now()));
        assert!(s.team_calendars(&admin).await.unwrap()[0].sync_failing);
        sim.clear_faults();
        next_poll(&s).await;
        assert!(!status(&s).await.failing());
        assert!(!s.team_calendars(&admin).await.unwrap()[0].sync_failing);
    }

    async fn busy_time_stays_fresh_without_visitors_or_changes(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        s.run_due_syncs().await.unwrap();
        for _ in 0..3 {
            s.clock().advance(31 * 60);
            assert_eq!(s.run_due_syncs().await.unwrap(), 1);
        }
        let at: Option<i64> = sqlx::query_scalar("SELECT busy_synced_at FROM calendar_connections")
            .fetch_one(s.db().pool())
            .await
            .unwrap();
        assert_eq!(at, Some(s.clock().now()), "the poll read busy time again");
        assert!(!monday_starts(&s, &demo, None).await.is_empty(), "an hour and a half later, still offered");
    }
}
