//! Booking emails through the durable job queue, written to the outbox (no SMTP configured):
//! who gets what, the invitation each carries, reminders, retries and dead jobs.

mod common;

use chrono::TimeZone;
use common::outbox::{invitation, property, sent};
use services::fixtures::{self, attendee};

/// Monday 2027-01-18 at `hour`:00 in Berlin; "now" in the tests is the Friday before, 08:00 UTC.
fn monday(hour: u32) -> i64 {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2027, 1, 18, hour, 0, 0)
        .unwrap()
        .timestamp()
}

on_both_databases! {
    async fn a_booking_mails_the_attendee_and_the_host_once_each_with_the_invitation(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let booked = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        assert_eq!(s.run_due_jobs().await.unwrap(), 2, "the two confirmations are due now; reminders later");
        assert_eq!(s.run_due_jobs().await.unwrap(), 0, "nothing runs twice");
        assert_eq!(sent(&s, &admin).await, vec![
            ("p1@example.org".to_owned(), "Confirmed: Product demo with Ada Admin, Mon 18 Jan 2027 04:00 (America/New_York)".to_owned()),
            ("ada@example.com".to_owned(), "New booking: Product demo with Prospect 1, Mon 18 Jan 2027 10:00 (Europe/Berlin)".to_owned()),
        ]);
        let ics = invitation(&s, &admin, "p1@example.org", "Confirmed").await;
        assert_eq!(property(&ics, "METHOD"), "REQUEST");
        assert_eq!(property(&ics, "UID"), format!("{}@127.0.0.1", booked.uid));
        assert_eq!(property(&ics, "SEQUENCE"), "0");
        assert_eq!(property(&ics, "STATUS"), "CONFIRMED");
        assert_eq!(property(&ics, "DTSTART"), "20270118T090000Z");
        let message = s.outbox_message(&admin, &s.outbox(&admin).await.unwrap().unwrap().last().unwrap().id).await.unwrap();
        assert!(message.text.contains(&format!("/booking/{}?token={}&action=cancel", booked.uid, booked.manage_token)));
    }

    async fn the_hosts_email_lists_the_answers_as_asked_and_the_attendees_does_not(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let mut draft = services::event_type_draft::EventTypeDraft::from(&s.team_event_type(&admin, &demo.slug).await.unwrap());
        draft.questions = Some(vec![domain::QuestionDraft {
            key: "company".into(), kind: "short_text".into(), label: "Company <name>".into(), ..Default::default()
        }]);
        let demo = s.update_event_type(&admin, &demo.slug.clone(), draft.validate().unwrap()).await.unwrap();
        let mut pat = attendee(1);
        pat.answers.insert("company".into(), domain::RawAnswer::One("Acme & Co".into()));
        s.book(&demo, monday(10), &pat, None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let outbox = s.outbox(&admin).await.unwrap().unwrap();
        for entry in outbox {
            let message = s.outbox_message(&admin, &entry.id).await.unwrap();
            let to_host = entry.to == "ada@example.com";
            assert_eq!(message.text.contains("Company <name>: Acme & Co"), to_host, "{}", entry.to);
        }
    }

    async fn a_reschedule_updates_the_same_event_and_a_cancellation_cancels_it(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let booked = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.reschedule_booking(&booked.uid, &booked.manage_token, monday(14)).await.unwrap();
        assert_eq!(s.run_due_jobs().await.unwrap(), 2);
        let moved = invitation(&s, &admin, "p1@example.org", "Rescheduled").await;
        assert_eq!((property(&moved, "METHOD"), property(&moved, "SEQUENCE")), ("REQUEST", "1"));
        assert_eq!(property(&moved, "DTSTART"), "20270118T130000Z");
        let host_copy = invitation(&s, &admin, "ada@example.com", "Rescheduled").await;
        assert_eq!(property(&host_copy, "UID"), property(&moved, "UID"));

        s.cancel_booking(&booked.uid, &booked.manage_token, Some("Found another date")).await.unwrap();
        assert_eq!(s.run_due_jobs().await.unwrap(), 2);
        let cancelled = invitation(&s, &admin, "p1@example.org", "Cancelled").await;
        assert_eq!(
            (property(&cancelled, "METHOD"), property(&cancelled, "STATUS"), property(&cancelled, "SEQUENCE")),
            ("CANCEL", "CANCELLED", "2")
        );
        assert_eq!(property(&cancelled, "UID"), property(&moved, "UID"));
        let text = s.outbox_message(&admin, &s.outbox(&admin).await.unwrap().unwrap()[0].id).await.unwrap().text;
        assert!(text.contains("Reason: Found another date"), "{text}");
        s.clock().advance(4 * 86_400);
        assert_eq!(s.run_due_jobs().await.unwrap(), 0, "no reminders for a cancelled booking");
        assert_eq!(sent(&s, &admin).await.len(), 6);
    }

    async fn guests_get_the_invitation_its_changes_and_the_cancellation_but_no_links_or_reminders(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let mut inviting = attendee(1);
        inviting.guests = vec![domain::Email::parse("gus@example.net").unwrap()];
        let booked = s.book(&demo, monday(10), &inviting, None).await.unwrap();
        assert_eq!(s.run_due_jobs().await.unwrap(), 3, "attendee, host and guest");
        let invited = invitation(&s, &admin, "gus@example.net", "Confirmed").await;
        assert!(invited.contains("ATTENDEE;CN=gus@example.net"), "{invited}");
        let host_copy = invitation(&s, &admin, "ada@example.com", "New booking").await;
        assert!(host_copy.contains("ATTENDEE;CN=gus@example.net"), "the host sees the guest too");
        let entry = s.outbox(&admin).await.unwrap().unwrap().into_iter().find(|e| e.to == "gus@example.net").unwrap();
        let letter = s.outbox_message(&admin, &entry.id).await.unwrap();
        assert!(letter.text.contains("Prospect 1 added you as a guest"), "{}", letter.text);
        assert!(!letter.text.contains(&booked.manage_token) && !letter.text.contains("/dashboard"), "{}", letter.text);

        s.reschedule_booking(&booked.uid, &booked.manage_token, monday(14)).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.cancel_booking(&booked.uid, &booked.manage_token, None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.clock().advance(4 * 86_400);
        s.run_due_jobs().await.unwrap();
        let to_guest: Vec<String> = sent(&s, &admin).await.into_iter().filter(|(to, _)| to == "gus@example.net").map(|(_, subject)| subject).collect();
        assert_eq!(to_guest.len(), 3, "{to_guest:?}");
        assert!(to_guest[1].starts_with("Rescheduled:") && to_guest[2].starts_with("Cancelled:"), "{to_guest:?}");
        let cancelled = invitation(&s, &admin, "gus@example.net", "Cancelled").await;
        assert_eq!(property(&cancelled, "METHOD"), "CANCEL");
    }

    async fn reminders_go_out_a_day_and_an_hour_before_and_follow_a_reschedule(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        let booked = s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.reschedule_booking(&booked.uid, &booked.manage_token, monday(14)).await.unwrap();
        s.run_due_jobs().await.unwrap();
        s.clock().set(monday(10) - 86_400);
        assert_eq!(s.run_due_jobs().await.unwrap(), 0, "the old time's reminders were dropped");
        s.clock().set(monday(14) - 86_400);
        assert_eq!(s.run_due_jobs().await.unwrap(), 2, "a day before: attendee and host");
        s.clock().set(monday(14) - 3_600);
        assert_eq!(s.run_due_jobs().await.unwrap(), 2, "an hour before");
        let subjects: Vec<String> = sent(&s, &admin).await.into_iter().map(|(_, subject)| subject).collect();
        assert!(subjects[4].starts_with("Reminder: Product demo with Ada Admin tomorrow"), "{subjects:?}");
        assert!(subjects[7].starts_with("Reminder: Product demo with Prospect 1 in 1 hour"), "{subjects:?}");
    }

    async fn no_reminder_is_sent_for_a_booking_made_after_its_time(s) {
        let (admin, demo) = fixtures::team_with_demo(&s).await;
        s.clock().set(monday(10) - 2 * 3_600);
        s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        s.clock().set(monday(10) - 60);
        assert_eq!(s.run_due_jobs().await.unwrap(), 4, "two confirmations and the one-hour reminders");
        let subjects: Vec<String> = sent(&s, &admin).await.into_iter().map(|(_, subject)| subject).collect();
        assert!(subjects.iter().all(|s| !s.contains("tomorrow")), "{subjects:?}");
    }

    async fn names_and_places_cannot_inject_invitation_properties(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let mut room = fixtures::new_event_type("room", 30, services::event_types::Mode::Single, vec![admin.id]);
        room.location_kind = "in_person";
        room.location_detail = "Room 1\rATTENDEE:mailto:mallory@evil.example".into();
        let room = s.create_event_type(&admin, room).await.unwrap();
        let mut eve = attendee(1);
        eve.name = domain::DisplayName::parse(r#""Eve";ROLE=CHAIR;SENT-BY="mailto:eve@evil.example""#).unwrap();
        s.book(&room, monday(10), &eve, None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let ics = invitation(&s, &admin, "p1@example.org", "Confirmed").await;
        let unfolded = ics.replace("\r\n ", "");
        // Some readers end a line at a bare carriage return: no piece may start a property of the
        // attacker's.
        assert!(
            !unfolded.split(['\r', '\n']).any(|line| line.starts_with("ATTENDEE:mailto:mallory")),
            "{unfolded}"
        );
        let eve_line = unfolded.lines().find(|l| l.contains("p1@example.org")).unwrap();
        assert!(
            eve_line.starts_with(r#"ATTENDEE;CN="^'Eve^';ROLE=CHAIR;SENT-BY=^'mailto:eve@evil.example^'";PARTSTAT=ACCEPTED"#),
            "{eve_line}"
        );
        assert!(!ics.replace("\r\n", "").contains('\r'), "no bare carriage return");
    }

    async fn the_database_and_the_outbox_are_private_to_this_user(s) {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let (_, demo) = fixtures::team_with_demo(&s).await;
        s.book(&demo, monday(10), &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let services::mail::Transport::Outbox(outbox) = &s.config().mail.transport else {
            panic!("no SMTP: the outbox");
        };
        assert_eq!(mode(outbox), 0o700);
        let messages: Vec<_> = std::fs::read_dir(outbox).unwrap().map(|e| e.unwrap().path()).collect();
        assert!(!messages.is_empty());
        for message in messages {
            assert_eq!(mode(&message), 0o600, "{}", message.display());
        }
        if let Some(file) = s.config().database_url.strip_prefix("sqlite://") {
            assert_eq!(mode(std::path::Path::new(file.split('?').next().unwrap())), 0o600);
        }
    }
}
