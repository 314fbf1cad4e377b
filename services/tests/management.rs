//! What the management API and the dashboard do to stored data, on SQLite and PostgreSQL:
//! schedules, overrides, event type changes and deletion, booking lists and cancelling as a host.

mod common;

use chrono::{NaiveDate, TimeZone};
use domain::{DayHours, TimeRange, WeeklySchedule};
use services::ServiceError;
use services::event_type_draft::EventTypeDraft;
use services::event_types::Mode;
use services::fixtures::{self, attendee};
use services::team_bookings::{BookingFilter, BookingStatus};

/// Monday 2027-01-18 at `hour`:00 in Berlin; "now" in the tests is the Friday before.
fn monday(hour: u32) -> i64 {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2027, 1, 18, hour, 0, 0)
        .unwrap()
        .timestamp()
}

fn hours(ranges: &[(&str, &str)]) -> DayHours {
    DayHours::new(ranges.iter().map(|(a, b)| TimeRange::parse(a, b).unwrap()).collect()).unwrap()
}

on_both_databases! {
    async fn a_weekly_schedule_and_overrides_round_trip(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let mut week = WeeklySchedule::default();
        week.0[0] = hours(&[("09:00", "12:00"), ("13:00", "17:30")]);
        let zone = domain::TimeZoneName::parse("Pacific/Chatham").unwrap();
        let (member, saved) = s.set_weekly_schedule(&admin, admin.id, &week, Some(zone)).await.unwrap();
        assert_eq!((saved, member.timezone.as_str()), (week, "Pacific/Chatham"));
        let christmas = NaiveDate::from_ymd_opt(2027, 12, 24).unwrap();
        s.set_date_override(&admin, admin.id, christmas, &DayHours::default()).await.unwrap();
        let short = hours(&[("10:00", "11:00")]);
        s.set_date_override(&admin, admin.id, christmas, &short).await.unwrap();
        let listed = s.date_overrides(&admin, admin.id, None).await.unwrap();
        assert_eq!((listed.len(), &listed[0].hours), (1, &short), "setting a date again replaces it");
        let earlier = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        s.set_date_override(&admin, admin.id, earlier, &DayHours::default()).await.unwrap();
        assert_eq!(s.date_overrides(&admin, admin.id, None).await.unwrap().len(), 1, "past dates are hidden");
        s.delete_date_override(&admin, admin.id, christmas).await.unwrap();
        assert!(matches!(s.delete_date_override(&admin, admin.id, christmas).await, Err(ServiceError::NotFound)));
    }

    async fn an_event_type_is_updated_and_deleted_keeping_its_past_bookings(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        let demo = s
            .create_event_type(&admin, fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]))
            .await
            .unwrap();
        let booked = s.book(&demo, monday(9), &attendee(1), None).await.unwrap();
        let managed = s.team_event_type(&admin, "demo").await.unwrap();
        let mut draft = EventTypeDraft::from(&managed);
        draft.mode = "round_robin".into();
        draft.hosts = vec![admin.id, bob.id];
        draft.daily_limit = Some(3);
        let updated = s.update_event_type(&admin, "demo", draft.validate().unwrap()).await.unwrap();
        assert_eq!((updated.mode.as_str(), updated.daily_limit), ("round_robin", Some(3)));
        assert_eq!(s.team_event_type(&admin, "demo").await.unwrap().host_ids, vec![admin.id, bob.id]);
        assert!(matches!(s.delete_event_type(&admin, "demo").await, Err(ServiceError::Conflict(_))));
        s.cancel_booking_as(&admin, &booked.uid, Some("moved on")).await.unwrap();
        s.delete_event_type(&admin, "demo").await.unwrap();
        assert!(s.team_event_types(&admin).await.unwrap().is_empty());
        let (kept, history) = s.team_booking(&admin, &booked.uid).await.unwrap();
        assert_eq!((kept.status.as_str(), history.len()), ("cancelled", 2));
        s.create_event_type(&admin, fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]))
            .await
            .expect("the URL name is free again");
    }

    async fn booking_lists_filter_by_member_status_and_time(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        let demo = s
            .create_event_type(&admin, fixtures::new_event_type("demo", 30, Mode::RoundRobin, vec![admin.id, bob.id]))
            .await
            .unwrap();
        for (n, hour) in [9, 9, 10].into_iter().enumerate() {
            s.book(&demo, monday(hour), &attendee(n), None).await.unwrap();
        }
        let all = BookingFilter { limit: 50, ..BookingFilter::default() };
        assert_eq!(s.team_bookings(&admin, &all).await.unwrap().len(), 3);
        let bobs = s.team_bookings(&bob, &all).await.unwrap();
        assert!(bobs.iter().all(|b| b.hosts.iter().any(|(id, _)| *id == bob.id)) && !bobs.is_empty());
        let later = BookingFilter { from: Some(monday(10)), ..all.clone() };
        assert_eq!(s.team_bookings(&admin, &later).await.unwrap().len(), 1);
        let cancelled = BookingFilter { status: Some(BookingStatus::Cancelled), ..all.clone() };
        assert!(s.team_bookings(&admin, &cancelled).await.unwrap().is_empty());
        let page = BookingFilter { limit: 2, offset: 2, ..all };
        assert_eq!(s.team_bookings(&admin, &page).await.unwrap().len(), 1);
        let others = BookingFilter { member_id: Some(admin.id), ..BookingFilter::default() };
        assert!(matches!(s.team_bookings(&bob, &others).await, Err(ServiceError::Forbidden)));
    }

    async fn roles_change_but_the_team_always_keeps_an_admin(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        assert!(matches!(s.change_role(&bob, admin.id, domain::Role::Member).await, Err(ServiceError::Forbidden)));
        assert!(matches!(s.change_role(&admin, admin.id, domain::Role::Member).await, Err(ServiceError::Conflict(_))));
        let promoted = s.change_role(&admin, bob.id, domain::Role::Admin).await.unwrap();
        assert!(promoted.role.is_admin());
        let demoted = s.change_role(&admin, admin.id, domain::Role::Member).await.unwrap();
        assert!(!demoted.role.is_admin(), "with Bob as admin, Ada may step down");
    }

    async fn two_admins_demoting_or_removing_each_other_at_once_leave_the_team_an_admin(s) {
        let ada = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &ada, "Bob").await;
        let admins = || async {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE role = 'admin' AND removed_at IS NULL")
                .fetch_one(s.db().pool()).await.unwrap();
            n
        };
        let mut admin = ada.clone();
        for _ in 0..10 {
            let other = if admin.id == ada.id { bob.id } else { ada.id };
            let other = s.change_role(&admin, other, domain::Role::Admin).await.unwrap();
            let (a, b) = tokio::join!(
                s.change_role(&admin, other.id, domain::Role::Member),
                s.change_role(&other, admin.id, domain::Role::Member)
            );
            assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
            assert_eq!(admins().await, 1);
            if b.is_ok() {
                admin = other;
            }
        }
        let other = if admin.id == ada.id { bob.id } else { ada.id };
        let other = s.change_role(&admin, other, domain::Role::Admin).await.unwrap();
        let (a, b) = tokio::join!(s.remove_member(&admin, other.id), s.remove_member(&other, admin.id));
        assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{:?} {:?}", a.err(), b.err());
        assert_eq!(admins().await, 1);
    }

    async fn booking_lists_come_newest_first_when_asked(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let demo = s
            .create_event_type(&admin, fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]))
            .await
            .unwrap();
        for (n, hour) in [10, 9, 11].into_iter().enumerate() {
            s.book(&demo, monday(hour), &attendee(n), None).await.unwrap();
        }
        for (newest_first, expected) in [(false, [monday(9), monday(10)]), (true, [monday(11), monday(10)])] {
            let filter = BookingFilter { newest_first, limit: 2, ..BookingFilter::default() };
            let found = s.team_bookings(&admin, &filter).await.unwrap();
            let starts: Vec<i64> = found.iter().map(|b| b.start_at).collect();
            assert_eq!(starts, expected, "newest first: {newest_first}; the limit applies after sorting");
        }
    }
}
