//! Removing a member: access ends, round-robin bookings move to a free host, the rest are
//! cancelled, and the preview the dashboard shows is exactly what confirming does.

mod common;

use chrono::TimeZone;
use services::ServiceError;
use services::accounts::MemberChanges;
use services::event_types::Mode;
use services::fixtures::{self, attendee};
use services::member_removal::{CANCEL_REASON, Outcome};

/// Monday 2027-01-18 at `hour`:00 in Berlin; "now" in the tests is the Friday before.
fn monday(hour: u32) -> i64 {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2027, 1, 18, hour, 0, 0)
        .unwrap()
        .timestamp()
}

fn taking_bookings(on: bool) -> MemberChanges {
    MemberChanges {
        accepts_bookings: Some(on),
        ..MemberChanges::default()
    }
}

on_both_databases! {
    async fn removing_a_member_moves_round_robin_bookings_to_a_free_host_and_cancels_the_rest(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        let carol = fixtures::invited_member(&s, &admin, "Carol").await;
        let new = |slug: &str, mode, hosts| fixtures::new_event_type(slug, 30, mode, hosts);
        let demo = s.create_event_type(&admin, new("demo", Mode::RoundRobin, vec![bob.id, carol.id])).await.unwrap();
        let intro = s.create_event_type(&admin, new("intro", Mode::Single, vec![bob.id])).await.unwrap();
        let panel = s.create_event_type(&admin, new("panel", Mode::Collective, vec![admin.id, bob.id])).await.unwrap();
        s.update_member(&admin, carol.id, taking_bookings(false)).await.unwrap();
        let clash = s.book(&demo, monday(9), &attendee(1), None).await.unwrap();
        let movable = s.book(&demo, monday(11), &attendee(2), None).await.unwrap();
        s.update_member(&admin, carol.id, taking_bookings(true)).await.unwrap();
        let carols = s.book(&demo, monday(9), &attendee(3), None).await.unwrap();
        assert_eq!(carols.hosts[0].0, carol.id, "Bob is busy at nine, so Carol takes it");
        let single = s.book(&intro, monday(14), &attendee(4), None).await.unwrap();
        let joint = s.book(&panel, monday(15), &attendee(5), None).await.unwrap();

        let preview = s.preview_removal(&admin, bob.id).await.unwrap();
        let plan: Vec<(&str, &Outcome)> = preview.bookings.iter().map(|b| (b.uid.as_str(), &b.outcome)).collect();
        let to_carol = Outcome::Reassigned { to: "Carol".into() };
        assert_eq!(plan, vec![
            (clash.uid.as_str(), &Outcome::Cancelled),
            (movable.uid.as_str(), &to_carol),
            (single.uid.as_str(), &Outcome::Cancelled),
            (joint.uid.as_str(), &Outcome::Cancelled),
        ], "Carol is taken at nine; single and collective bookings cannot move");
        assert!(s.members(&admin).await.unwrap().iter().any(|m| m.id == bob.id), "a preview changes nothing");

        let removal = s.remove_member(&admin, bob.id).await.unwrap();
        assert_eq!(removal, preview, "confirming does what the preview said");
        assert!(s.members(&admin).await.unwrap().iter().all(|m| m.id != bob.id));
        let (moved, history) = s.team_booking(&admin, &movable.uid).await.unwrap();
        assert_eq!(moved.hosts, vec![(carol.id, "Carol".to_owned())]);
        assert_eq!(history.last().unwrap().kind, "reassigned");
        let (cancelled, _) = s.team_booking(&admin, &single.uid).await.unwrap();
        assert_eq!((cancelled.status.as_str(), cancelled.cancel_reason.as_deref()), ("cancelled", Some(CANCEL_REASON)));
        assert_eq!(s.team_event_type(&admin, "demo").await.unwrap().host_ids, vec![carol.id]);
    }

    async fn a_removed_member_loses_access_and_can_be_invited_again(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        let session = s.start_session(&bob).await.unwrap();
        let key = s.issue_api_key(&bob, bob.id, "laptop").await.unwrap();
        assert!(matches!(s.remove_member(&bob, admin.id).await, Err(ServiceError::Forbidden)));
        assert!(matches!(s.remove_member(&admin, admin.id).await, Err(ServiceError::Conflict(_))));
        assert!(s.remove_member(&admin, bob.id).await.unwrap().bookings.is_empty());
        assert!(matches!(s.session_member(&session).await, Err(ServiceError::Unauthenticated)));
        assert!(matches!(s.member_for_api_key(&key.secret).await, Err(ServiceError::Unauthenticated)));
        assert!(matches!(s.authenticate("bob@example.com", "members password", None).await, Err(ServiceError::InvalidCredentials)));
        assert!(matches!(s.remove_member(&admin, bob.id).await, Err(ServiceError::NotFound)));
        let again = fixtures::invited_member(&s, &admin, "Bob").await;
        assert_ne!(again.id, bob.id, "the address is free for a new account");
    }
}
