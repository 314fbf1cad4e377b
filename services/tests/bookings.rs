//! Booking against a real database on SQLite and PostgreSQL: free slots, conflicts, races and
//! team modes.

mod common;

use chrono::TimeZone;
use domain::{DayHours, Email, QuestionDraft, RawAnswer};
use services::ServiceError;
use services::Services;
use services::accounts::Member;
use services::bookings::Idempotency;
use services::event_types::{EventType, Mode};
use services::fixtures;
use services::fixtures::attendee;

const HOUR: i64 = 3600;

/// Monday 2027-01-18 at `hour`:00 in Berlin; "now" in the tests is the Friday before.
fn monday(hour: u32) -> i64 {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2027, 1, 18, hour, 0, 0)
        .unwrap()
        .timestamp()
}

async fn team(s: &Services) -> Member {
    s.set_up(fixtures::new_team("ada@example.com")).await.unwrap()
}

async fn member(s: &Services, admin: &Member, name: &str) -> Member {
    fixtures::invited_member(s, admin, name).await
}

async fn event_type(s: &Services, admin: &Member, slug: &str, mode: Mode, hosts: &[&Member]) -> EventType {
    let hosts = hosts.iter().map(|m| m.id).collect();
    s.create_event_type(admin, fixtures::new_event_type(slug, 60, mode, hosts))
        .await
        .unwrap()
}

async fn free_on_monday(s: &Services, event_type: &EventType) -> Vec<i64> {
    let slots = s
        .slots(event_type, (monday(0), monday(0) + 24 * HOUR), None)
        .await
        .unwrap();
    slots.iter().map(|slot| slot.start).collect()
}

on_both_databases! {
    async fn a_new_member_gets_weekday_hours_nine_to_five_in_their_zone(s) {
        let admin = team(&s).await;
        let availability = s.availability(&admin).await.unwrap();
        assert_eq!(availability.zone, chrono_tz::Europe::Berlin);
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        let slots = s.slots(&demo, (monday(0), monday(0) + 24 * HOUR), None).await.unwrap();
        let starts: Vec<i64> = slots.iter().map(|x| x.start).collect();
        assert_eq!(starts, (9..17).map(monday).collect::<Vec<_>>());
    }

    async fn a_booked_time_leaves_the_slots_and_cannot_be_booked_again(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        let booked = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        assert_eq!((booked.start, booked.end, booked.hosts.len()), (monday(10), monday(11), 1));
        assert_eq!(booked.uid.len(), 20);
        let slots = s.slots(&demo, (monday(0), monday(0) + 24 * HOUR), None).await.unwrap();
        assert!(slots.iter().all(|x| x.start != monday(10)));
        assert_eq!(slots.len(), 7);
        assert!(matches!(s.book(&demo, monday(10), &attendee(2), None).await, Err(ServiceError::SlotUnavailable)));
    }

    async fn a_repeated_idempotency_key_returns_the_first_booking_instead_of_booking_twice(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        let key = Idempotency { key: "retry-1".into(), fingerprint: "body-a".into() };
        let first = s.book(&demo, monday(10), &attendee(1), Some(&key)).await.unwrap();
        let again = s.book(&demo, monday(10), &attendee(1), Some(&key)).await.unwrap();
        assert_eq!(first, again);
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings").fetch_one(s.db().pool()).await.unwrap();
        assert_eq!(count, 1);
        let stored: String = sqlx::query_scalar("SELECT body FROM idempotency_keys").fetch_one(s.db().pool()).await.unwrap();
        assert!(!stored.contains(&first.manage_token), "the replay copy is encrypted");
        let other = Idempotency { key: "retry-1".into(), fingerprint: "body-b".into() };
        let reused = s.book(&demo, monday(11), &attendee(2), Some(&other)).await;
        assert!(matches!(reused, Err(ServiceError::Validation(ref f)) if f.get("idempotency_key").is_some()), "{reused:?}");
    }

    async fn slots_show_bookings_moves_cancellations_and_schedule_edits_at_once(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        assert!(free_on_monday(&s, &demo).await.contains(&monday(10)), "read once to fill the cache");
        let booked = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        assert!(!free_on_monday(&s, &demo).await.contains(&monday(10)));
        s.reschedule_booking(&booked.uid, &booked.manage_token, monday(11)).await.unwrap();
        let free = free_on_monday(&s, &demo).await;
        assert!(free.contains(&monday(10)) && !free.contains(&monday(11)));
        s.cancel_booking(&booked.uid, &booked.manage_token, None).await.unwrap();
        assert!(free_on_monday(&s, &demo).await.contains(&monday(11)));
        let date = chrono::NaiveDate::from_ymd_opt(2027, 1, 18).unwrap();
        s.set_date_override(&admin, admin.id, date, &DayHours::default()).await.unwrap();
        assert!(free_on_monday(&s, &demo).await.is_empty(), "a new holiday empties the day");
    }

    async fn cancelling_frees_the_time_and_the_links_stop_working(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        let booked = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        assert!(matches!(s.cancel_booking(&booked.uid, "wrong-token", None).await, Err(ServiceError::NotFound)));
        s.cancel_booking(&booked.uid, &booked.manage_token, Some("Found another time")).await.unwrap();
        let (status, sequence, reason): (String, i64, Option<String>) =
            sqlx::query_as("SELECT status, sequence, cancel_reason FROM bookings").fetch_one(s.db().pool()).await.unwrap();
        assert_eq!((status.as_str(), sequence, reason.as_deref()), ("cancelled", 1, Some("Found another time")));
        assert!(matches!(s.cancel_booking(&booked.uid, &booked.manage_token, None).await, Err(ServiceError::Gone(_))));
        assert!(matches!(s.reschedule_booking(&booked.uid, &booked.manage_token, monday(11)).await, Err(ServiceError::Gone(_))));
        assert!(s.book(&demo, monday(10), &attendee(2), None).await.is_ok(), "the time is free again");
    }

    async fn a_daily_limit_counts_the_days_bookings_however_far_from_the_time_asked(s) {
        let admin = team(&s).await;
        let mut new = fixtures::new_event_type("demo", 60, Mode::Single, vec![admin.id]);
        new.rules.daily_limit = Some(2);
        let demo = s.create_event_type(&admin, new).await.unwrap();
        s.book(&demo, monday(9), &attendee(1), None).await.unwrap();
        s.book(&demo, monday(10), &attendee(2), None).await.unwrap();
        let third = s.book(&demo, monday(16), &attendee(3), None).await;
        assert!(matches!(third, Err(ServiceError::SlotUnavailable)), "Monday is full: {third:?}");
        s.book(&demo, monday(16) + 24 * HOUR, &attendee(4), None)
            .await
            .expect("Tuesday is open");
    }

    async fn buffers_keep_a_booking_clear_of_its_neighbours_of_any_type(s) {
        let admin = team(&s).await;
        let mut new = fixtures::new_event_type("buffered", 60, Mode::Single, vec![admin.id]);
        new.rules.buffer_after = engine::Minutes(30);
        let buffered = s.create_event_type(&admin, new).await.unwrap();
        let plain = event_type(&s, &admin, "plain", Mode::Single, &[&admin]).await;
        s.book(&plain, monday(13), &attendee(1), None).await.unwrap();
        let before = s.book(&buffered, monday(12), &attendee(2), None).await;
        assert!(
            matches!(before, Err(ServiceError::SlotUnavailable)),
            "its buffer would run into the 13:00 booking: {before:?}"
        );
        s.book(&buffered, monday(9), &attendee(3), None).await.unwrap();
        let after = s.book(&buffered, monday(10), &attendee(4), None).await;
        assert!(
            matches!(after, Err(ServiceError::SlotUnavailable)),
            "the 9:00 booking's buffer runs to 10:30: {after:?}"
        );
        s.book(&plain, monday(11), &attendee(5), None)
            .await
            .expect("11:00 is clear of every buffer");
    }

    async fn rescheduling_moves_the_booking_atomically_or_not_at_all(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        let mine = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        let theirs = s.book(&demo, monday(12), &attendee(2), None).await.unwrap();
        let moved = s.reschedule_booking(&mine.uid, &mine.manage_token, monday(11)).await.unwrap();
        assert_eq!((moved.uid.as_str(), moved.start, moved.end), (mine.uid.as_str(), monday(11), monday(12)));
        assert!(s.book(&demo, monday(10), &attendee(3), None).await.is_ok(), "the old time was released");
        let onto_taken = s.reschedule_booking(&mine.uid, &mine.manage_token, theirs.start).await;
        assert!(matches!(onto_taken, Err(ServiceError::SlotUnavailable)));
        let (start, sequence): (i64, i64) = sqlx::query_as("SELECT start_at, sequence FROM bookings WHERE uid = $1")
            .bind(&mine.uid).fetch_one(s.db().pool()).await.unwrap();
        assert_eq!((start, sequence), (monday(11), 1), "a failed move keeps the booking");
        let to_own_overlap = s.reschedule_booking(&mine.uid, &mine.manage_token, monday(11)).await;
        assert!(to_own_overlap.is_ok(), "its own current time does not block it");
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT c.kind FROM booking_changes c JOIN bookings b ON b.id = c.booking_id WHERE b.uid = $1 ORDER BY c.id",
        ).bind(&mine.uid).fetch_all(s.db().pool()).await.unwrap();
        assert_eq!(kinds, ["created", "rescheduled", "rescheduled"]);
    }

    async fn attendees_change_a_booking_only_until_the_change_notice_and_see_their_own_time_as_free(s) {
        let admin = team(&s).await;
        let mut draft = fixtures::new_event_type("demo", 60, Mode::Single, vec![admin.id]);
        draft.notifications.change_notice = engine::Minutes(24 * 60);
        let demo = s.create_event_type(&admin, draft).await.unwrap();
        let booked = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        let moving = s.attendee_booking(&booked.uid, &booked.manage_token).await.unwrap();
        assert!(moving.changeable);
        let free = s.slots(&demo, (monday(0), monday(0) + 24 * HOUR), Some(moving.record.id)).await.unwrap();
        assert!(free.iter().any(|slot| slot.start == monday(10)), "its own time is offered while moving it");
        assert!(!free_on_monday(&s, &demo).await.contains(&monday(10)), "but not to anyone else");

        s.clock().set(monday(10) - 24 * HOUR + 60);
        assert!(!s.attendee_booking(&booked.uid, &booked.manage_token).await.unwrap().changeable);
        let too_late = "Changes are possible online until 1 day before the start. Please contact your host.";
        let refused = s.cancel_booking(&booked.uid, &booked.manage_token, None).await;
        assert!(matches!(refused, Err(ServiceError::Conflict(ref m)) if m == too_late), "{refused:?}");
        let refused = s.reschedule_booking(&booked.uid, &booked.manage_token, monday(14)).await;
        assert!(matches!(refused, Err(ServiceError::Conflict(ref m)) if m == too_late), "{refused:?}");
        s.cancel_booking_as(&admin, &booked.uid, Some("Host is ill")).await.expect("hosts may still cancel");
    }

    async fn times_that_are_not_slots_are_refused(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        for start in [monday(10) + 900, monday(7), monday(17), common::NOW - HOUR] {
            assert!(matches!(s.book(&demo, start, &attendee(1), None).await, Err(ServiceError::SlotUnavailable)), "{start}");
        }
    }

    async fn an_event_type_without_a_window_of_its_own_is_booked_at_most_two_years_ahead(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        assert_eq!(demo.window_days, None, "the fixture sets no window");
        let weeks = |n: i64| monday(10) + n * 7 * 24 * HOUR;
        assert!(s.book(&demo, weeks(100), &attendee(1), None).await.is_ok(), "within two years");
        let refused = s.book(&demo, weeks(110), &attendee(2), None).await;
        assert!(matches!(refused, Err(ServiceError::SlotUnavailable)), "{refused:?}");
        let far = s.slots(&demo, (weeks(110), weeks(111)), None).await.unwrap();
        assert!(far.is_empty());
    }

    async fn answers_to_an_event_types_questions_are_checked_and_kept_as_asked(s) {
        let admin = team(&s).await;
        let mut input = fixtures::new_event_type("demo", 60, Mode::Single, vec![admin.id]);
        let drafts = [
            QuestionDraft { key: "company".into(), kind: "short_text".into(), label: "Company".into(), required: true, ..Default::default() },
            QuestionDraft { key: "size".into(), kind: "dropdown".into(), label: "Team size".into(), options: vec!["1-10".into(), "11+".into()], ..Default::default() },
        ];
        input.questions = Some(domain::questions(&drafts).unwrap());
        input.allow_guests = false;
        let demo = s.create_event_type(&admin, input).await.unwrap();
        let managed = s.team_event_type(&admin, "demo").await.unwrap();
        assert_eq!(managed.questions.iter().map(|q| q.key.as_str()).collect::<Vec<_>>(), ["company", "size"]);

        let mut asking = attendee(1);
        asking.answers.insert("size".into(), RawAnswer::One("12".into()));
        asking.guests = vec![Email::parse("guest@example.org").unwrap()];
        let Err(ServiceError::Validation(problems)) = s.book(&demo, monday(10), &asking, None).await else { panic!("refused") };
        let named: Vec<&str> = problems.0.keys().map(String::as_str).collect();
        assert_eq!(named, ["answers.company", "answers.size", "guests"]);

        asking.answers.insert("company".into(), RawAnswer::One(" Acme ".into()));
        asking.answers.insert("size".into(), RawAnswer::One("11+".into()));
        asking.guests.clear();
        let booked = s.book(&demo, monday(10), &asking, None).await.unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM bookings WHERE uid = $1").bind(&booked.uid).fetch_one(s.db().pool()).await.unwrap();
        let mut renamed = s.team_event_type(&admin, "demo").await.unwrap();
        renamed.questions.clear();
        let mut draft = services::event_type_draft::EventTypeDraft::from(&renamed);
        draft.questions = Some(Vec::new());
        s.update_event_type(&admin, "demo", draft.validate().unwrap()).await.unwrap();
        let kept = services::questions::booking_answers(s.db().pool(), id).await.unwrap();
        let kept: Vec<(String, String)> = kept.iter().map(|a| (a.label.clone(), a.value.display())).collect();
        assert_eq!(kept, [("Company".to_owned(), "Acme".to_owned()), ("Team size".to_owned(), "11+".to_owned())], "past answers outlive their questions");
    }

    async fn fifty_simultaneous_requests_for_one_slot_book_it_exactly_once(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        let attempts = (0..50).map(|n| {
            let (s, demo) = (s.services.clone(), demo.clone());
            tokio::spawn(async move { s.book(&demo, monday(10), &attendee(n), None).await })
        });
        let results = futures_join(attempts).await;
        let won = results.iter().filter(|r| r.is_ok()).count();
        let refused = results.iter().filter(|r| matches!(r, Err(ServiceError::SlotUnavailable))).count();
        assert_eq!((won, refused), (1, 49), "{:?}", results.iter().filter(|r| !matches!(r, Ok(_) | Err(ServiceError::SlotUnavailable))).collect::<Vec<_>>());
    }

    async fn round_robin_spreads_one_time_over_free_hosts_then_is_full(s) {
        let admin = team(&s).await;
        let bob = member(&s, &admin, "Bob").await;
        let demo = event_type(&s, &admin, "demo", Mode::RoundRobin, &[&admin, &bob]).await;
        let first = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        let second = s.book(&demo, monday(10), &attendee(2), None).await.unwrap();
        assert_ne!(first.hosts, second.hosts);
        assert!(matches!(s.book(&demo, monday(10), &attendee(3), None).await, Err(ServiceError::SlotUnavailable)));
        let next = s.book(&demo, monday(11), &attendee(4), None).await.unwrap();
        assert_eq!(next.hosts.len(), 1);
    }

    async fn a_collective_booking_takes_every_host_and_blocks_their_other_events(s) {
        let admin = team(&s).await;
        let bob = member(&s, &admin, "Bob").await;
        let together = event_type(&s, &admin, "together", Mode::Collective, &[&admin, &bob]).await;
        let bob_alone = event_type(&s, &admin, "bob", Mode::Single, &[&bob]).await;
        let booked = s.book(&together, monday(14), &attendee(1), None).await.unwrap();
        assert_eq!(booked.hosts.len(), 2);
        assert!(matches!(s.book(&bob_alone, monday(14), &attendee(2), None).await, Err(ServiceError::SlotUnavailable)));
        assert!(s.book(&bob_alone, monday(15), &attendee(3), None).await.is_ok());
        assert!(matches!(s.book(&together, monday(15), &attendee(4), None).await, Err(ServiceError::SlotUnavailable)));
    }

    async fn a_booking_of_an_event_type_no_longer_offered_can_be_cancelled_but_not_moved(s) {
        let admin = team(&s).await;
        let demo = event_type(&s, &admin, "demo", Mode::Single, &[&admin]).await;
        let first = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        assert!(s.attendee_booking(&first.uid, &first.manage_token).await.unwrap().movable);
        s.set_event_type_active(&admin, "demo", false).await.unwrap();
        let seen = s.attendee_booking(&first.uid, &first.manage_token).await.unwrap();
        assert!(seen.changeable && !seen.movable, "the manage page offers cancelling only");
        let moved = s.reschedule_booking(&first.uid, &first.manage_token, monday(11)).await;
        assert!(matches!(moved, Err(ServiceError::Conflict(ref m)) if m == services::manage::NO_LONGER_OFFERED), "{moved:?}");
        s.cancel_booking(&first.uid, &first.manage_token, None).await.unwrap();
    }
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}
