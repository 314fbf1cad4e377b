//! Video meetings made for each booking through the organizer's calendar (Google Meet, Microsoft
//! Teams), against the simulators on both databases: the link in the first emails and the
//! invitation, one meeting per booking however often the write is retried, a reschedule that
//! keeps the link, and event types that refuse hosts who cannot make the meeting.

mod common;

use common::outbox::{invitation, letter, property, sent, unfolded};
use services::{ServiceError, Services};
use services::accounts::Member;
use services::calendars::Provider;
use services::conferencing::MeetingKind;
use services::event_types::{EventType, Mode, NewEventType};
use services::fixtures::{self, ProviderSim, attendee};

/// 2027-01-18T08:00:00Z, Monday 09:00 in Berlin: the admin's first working hour after NOW.
const MONDAY_NINE: i64 = 1_800_259_200;
const HOUR: i64 = 3600;

fn kind_of(sim: &ProviderSim) -> MeetingKind {
    match sim.provider() {
        Provider::Google => MeetingKind::GoogleMeet,
        Provider::Microsoft => MeetingKind::MicrosoftTeams,
    }
}

/// An admin connected to the simulator, and an event type that makes its kind of meeting.
async fn meeting_type(s: &Services, sim: &ProviderSim) -> (Member, EventType) {
    let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    sim.connect(s, &admin).await;
    let input = NewEventType {
        location_kind: kind_of(sim).as_str(),
        ..fixtures::new_event_type("meet", 30, Mode::Single, vec![admin.id])
    };
    (admin.clone(), s.create_event_type(&admin, input).await.unwrap())
}

/// The join link of the booking's event in the organizer's calendar.
fn join_url(sim: &ProviderSim, uid: &str) -> String {
    let event = sim
        .booking_events()
        .into_iter()
        .find(|e| e.booking_uid.as_deref() == Some(uid))
        .expect("the booking's event");
    event.join_url.expect("a meeting on the event")
}

with_providers! {
    async fn each_booking_gets_its_own_meeting_and_the_first_emails_carry_its_link(s, sim) {
        let (admin, meet) = meeting_type(&s, &sim).await;
        let first = s.book(&meet, MONDAY_NINE, &attendee(1), None).await.unwrap();
        let second = s.book(&meet, MONDAY_NINE + 2 * HOUR, &attendee(2), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let (one, two) = (join_url(&sim, &first.uid), join_url(&sim, &second.uid));
        assert_ne!(one, two, "a fresh meeting per booking");
        assert_eq!(sent(&s, &admin).await.len(), 4, "one confirmation each to attendee and host, no update");
        let ics = unfolded(&invitation(&s, &admin, "p1@example.org", "Confirmed").await);
        assert_eq!(property(&ics, "URL"), one);
        assert!(property(&ics, "LOCATION").contains(&one), "{ics}");
        let text = letter(&s, &admin, "ada@example.com", "New booking: Product demo with Prospect 1").await.text;
        assert!(text.contains(&format!("{}: {one}", kind_of(&sim).label())), "{text}");
        assert!(!text.contains("follows"), "{text}");
    }

    async fn a_reschedule_keeps_the_meeting_link(s, sim) {
        let (admin, meet) = meeting_type(&s, &sim).await;
        let booked = s.book(&meet, MONDAY_NINE, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let link = join_url(&sim, &booked.uid);
        s.reschedule_booking(&booked.uid, &booked.manage_token, MONDAY_NINE + 3 * HOUR).await.unwrap();
        s.run_due_jobs().await.unwrap();
        assert_eq!(join_url(&sim, &booked.uid), link);
        let moved = unfolded(&invitation(&s, &admin, "p1@example.org", "Rescheduled").await);
        assert_eq!((property(&moved, "URL"), property(&moved, "SEQUENCE")), (link.as_str(), "1"));
    }

    async fn a_meeting_location_is_refused_while_a_host_cannot_make_one(s, sim) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let input = || NewEventType {
            location_kind: kind_of(&sim).as_str(),
            ..fixtures::new_event_type("meet", 30, Mode::Single, vec![admin.id])
        };
        let Err(ServiceError::Validation(refused)) = s.create_event_type(&admin, input()).await else {
            panic!("a host without the calendar was accepted");
        };
        let message = refused.get("location_kind").unwrap_or_default();
        assert!(message.contains(&format!("Ada Admin has no {} connected", sim.provider().label())), "{message}");
        sim.connect(&s, &admin).await;
        s.create_event_type(&admin, input()).await.unwrap();
    }
}
