//! The Calendar page's week against the in-process simulators, once per provider and database:
//! meetings added in a member's calendar appear (titled for the member, "Busy" for an admin),
//! a booking appears once although its event is in the calendar too, and only the member
//! themself or an admin may look.

mod common;

use services::ServiceError;
use services::calendars::{CalendarEntry, EntryKind, Provider};
use services::fixtures::{self, ProviderSim, attendee};

/// 2027-01-18T08:00:00Z, Monday 09:00 in Berlin.
const MONDAY_NINE: i64 = 1_800_259_200;
const HOUR: i64 = 3600;
/// Monday 00:00 to the next Monday 00:00 in Berlin.
const WEEK: (i64, i64) = (MONDAY_NINE - 9 * HOUR, MONDAY_NINE - 9 * HOUR + 7 * 24 * HOUR);

/// The entries as (kind, title, start).
fn summary(entries: &[CalendarEntry]) -> Vec<(EntryKind, &str, i64)> {
    entries.iter().map(|e| (e.kind, e.title.as_str(), e.start)).collect()
}

with_providers! {
    async fn a_meeting_in_the_calendar_shows_its_title_to_the_member_and_busy_to_an_admin(s, sim) {
        let (admin, _) = fixtures::team_with_demo(&s).await;
        let bea = fixtures::invited_member(&s, &admin, "Bea").await;
        sim.connect(&s, &bea).await;
        s.run_due_syncs().await.unwrap();
        sim.add_meeting(&sim.primary_calendar(), (MONDAY_NINE + 3 * HOUR, MONDAY_NINE + 4 * HOUR), "busy");
        s.clock().advance(61);
        s.run_due_syncs().await.unwrap();

        let own = s.calendar_week(&bea, bea.id, WEEK).await.unwrap();
        assert_eq!(own.providers, vec![sim.provider()]);
        assert_eq!(summary(&own.entries), vec![(EntryKind::CalendarEvent, "Dentist", MONDAY_NINE + 3 * HOUR)]);
        let meeting = &own.entries[0];
        assert_eq!((meeting.end, meeting.busy, meeting.all_day), (MONDAY_NINE + 4 * HOUR, true, false));
        assert_eq!(meeting.provider, Some(sim.provider()));

        let seen_by_admin = s.calendar_week(&admin, bea.id, WEEK).await.unwrap();
        assert_eq!(
            summary(&seen_by_admin.entries),
            vec![(EntryKind::CalendarEvent, "Busy", MONDAY_NINE + 3 * HOUR)]
        );
    }

    async fn a_booking_shows_once_without_its_own_calendar_event(s, sim) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        sim.connect(&s, &admin).await;
        let booked = s.book(&demo, MONDAY_NINE + HOUR, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.clock().advance(61);
        s.run_due_syncs().await.unwrap();
        let event = sim.booking_events().pop().expect("the booking's event");
        let mirrored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_sync_events WHERE event_id = $1")
            .bind(&event.id)
            .fetch_one(s.db().pool())
            .await
            .unwrap();
        assert_eq!(mirrored, 1, "the sync saw the booking's event");

        let week = s.calendar_week(&admin, admin.id, WEEK).await.unwrap();
        assert_eq!(
            summary(&week.entries),
            vec![(EntryKind::Booking, "Product demo with Prospect 1", MONDAY_NINE + HOUR)]
        );
        assert_eq!(week.entries[0].booking_uid.as_deref(), Some(booked.uid.as_str()));
    }

    async fn a_member_cannot_see_another_members_week_and_spans_are_at_most_two_weeks(s, sim) {
        let (admin, _) = fixtures::team_with_demo(&s).await;
        let bea = fixtures::invited_member(&s, &admin, "Bea").await;
        let refused = s.calendar_week(&bea, admin.id, WEEK).await;
        assert!(matches!(refused, Err(ServiceError::Forbidden | ServiceError::NotFound)), "{refused:?}");
        let too_long = s.calendar_week(&admin, admin.id, (WEEK.0, WEEK.0 + 15 * 24 * HOUR)).await;
        assert!(matches!(too_long, Err(ServiceError::Validation(_))), "{too_long:?}");
        let backwards = s.calendar_week(&admin, admin.id, (WEEK.1, WEEK.0)).await;
        assert!(matches!(backwards, Err(ServiceError::Validation(_))), "{backwards:?}");
    }
}
