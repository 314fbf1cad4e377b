//! Video meetings made for each booking through the organizer's calendar (Google Meet, Microsoft
//! Teams), against the simulators on both databases: the link in the first emails and the
//! invitation, one meeting per booking however often the write is retried, a meeting made in the
//! background, a provider down then up (the update with the link), a refused meeting, a
//! reschedule that keeps the link and a new host who gets a new one, and event types that refuse
//! hosts who cannot make the meeting.

mod common;

use common::outbox::{invitation, letter, property, sent, unfolded};
use services::accounts::{Member, MemberChanges};
use services::calendars::Provider;
use services::conferencing::MeetingKind;
use services::event_types::{EventType, Mode, NewEventType};
use services::fixtures::{self, ProviderSim, Receiver, attendee};
use services::webhooks::EndpointInput;
use services::{ServiceError, Services};

/// 2027-01-18T08:00:00Z, Monday 09:00 in Berlin: the admin's first working hour after NOW.
const MONDAY_NINE: i64 = 1_800_259_200;
const HOUR: i64 = 3600;

fn kind_of(sim: &ProviderSim) -> MeetingKind {
    match sim.provider() {
        Provider::Google => MeetingKind::GoogleMeet,
        Provider::Microsoft => MeetingKind::MicrosoftTeams,
        Provider::Caldav => unreachable!("CalDAV calendars make no meetings"),
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

/// The join link of the booking's one event in the account's primary calendar.
fn join_url(sim: &ProviderSim, uid: &str) -> String {
    let mut events: Vec<_> = sim
        .booking_events()
        .into_iter()
        .filter(|e| e.booking_uid.as_deref() == Some(uid))
        .collect();
    assert_eq!(events.len(), 1, "one event for the booking");
    events.remove(0).join_url.expect("a meeting on the event")
}

/// Runs the jobs due now, then moves the clock on by `secs` and runs those due then, `times` times.
async fn run_for(s: &Services, times: usize, secs: i64) {
    s.run_due_jobs().await.unwrap();
    for _ in 0..times {
        s.clock().advance(secs);
        s.run_due_jobs().await.unwrap();
    }
}

with_providers! {
    vars = [("RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE", "1".to_owned())];

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

    async fn when_the_provider_is_down_the_confirmation_goes_without_the_link_and_an_update_brings_it(s, sim) {
        let (admin, meet) = meeting_type(&s, &sim).await;
        let receiver = Receiver::start([]).await;
        let events = ["booking.created", "booking.video_link_ready"].map(str::to_owned).to_vec();
        let endpoint = EndpointInput { url: receiver.url.clone(), description: "CRM".into(), events, event_type_ids: Vec::new(), enabled: true };
        s.create_webhook_endpoint(&admin, &endpoint).await.unwrap();
        sim.throttle_event_writes(3);
        let booked = s.book(&meet, MONDAY_NINE, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        assert!(sent(&s, &admin).await.is_empty(), "the confirmations wait for the link");
        run_for(&s, 1, 31).await;
        let first = letter(&s, &admin, "p1@example.org", "Confirmed").await.text;
        assert!(first.contains("link follows in a separate email"), "{first}");
        run_for(&s, 6, 60).await;
        let link = join_url(&sim, &booked.uid);
        let update = letter(&s, &admin, "p1@example.org", "Video link").await.text;
        assert!(update.contains(&link), "{update}");
        let ics = unfolded(&invitation(&s, &admin, "p1@example.org", "Video link").await);
        assert_eq!((property(&ics, "URL"), property(&ics, "SEQUENCE")), (link.as_str(), "1"));
        assert!(property(&ics, "UID").starts_with(&booked.uid));
        let host_update = letter(&s, &admin, "ada@example.com", "Video link").await.text;
        assert!(host_update.contains(&link), "{host_update}");
        let delivered: Vec<(String, serde_json::Value)> = receiver
            .received()
            .iter()
            .map(|r| (r.header("Rendezvous-Event").to_owned(), r.json()["booking"]["location"].clone()))
            .collect();
        let pending = serde_json::json!({"kind": kind_of(&sim).as_str(), "label": kind_of(&sim).label(), "url": null, "video_link": "pending"});
        let ready = serde_json::json!({"kind": kind_of(&sim).as_str(), "label": kind_of(&sim).label(), "url": link, "video_link": "ready"});
        assert_eq!(delivered, [("booking.created".to_owned(), pending), ("booking.video_link_ready".to_owned(), ready)]);
    }

    async fn a_meeting_the_provider_refuses_leaves_the_host_to_send_a_link(s, sim) {
        let (admin, meet) = meeting_type(&s, &sim).await;
        sim.refuse_meetings();
        s.book(&meet, MONDAY_NINE, &attendee(1), None).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let attendee_text = letter(&s, &admin, "p1@example.org", "Confirmed").await.text;
        assert!(attendee_text.contains("Your host will send you the link to join."), "{attendee_text}");
        let host_text = letter(&s, &admin, "ada@example.com", "New booking").await.text;
        assert!(host_text.contains(&format!("could not create the {} meeting", kind_of(&sim).label())), "{host_text}");
        assert_eq!(sent(&s, &admin).await.len(), 2, "no update follows a refusal");
        let missing = s.missing_meetings(&admin).await.unwrap();
        assert_eq!(missing.iter().map(|m| (m.kind, m.member_id, m.bookings)).collect::<Vec<_>>(), [(kind_of(&sim), admin.id, 1)]);
    }

    async fn a_retried_write_makes_one_meeting(s, sim) {
        let (_, meet) = meeting_type(&s, &sim).await;
        sim.throttle_event_writes(2);
        let booked = s.book(&meet, MONDAY_NINE, &attendee(1), None).await.unwrap();
        run_for(&s, 4, 60).await;
        join_url(&sim, &booked.uid);
        s.reschedule_booking(&booked.uid, &booked.manage_token, MONDAY_NINE + HOUR).await.unwrap();
        run_for(&s, 1, 60).await;
        assert_eq!(sim.meetings_made(), 1, "retries and the reschedule's write reuse the meeting");
    }

    async fn a_new_host_gets_a_new_meeting_and_the_attendee_its_link(s, sim) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        sim.connect(&s, &admin).await;
        // Bob books into a calendar of his own in the same account.
        let bobs_calendar = sim.add_calendar("Bob's bookings");
        sim.connect(&s, &bob).await;
        let primary = sim.primary_calendar();
        s.choose_calendars(&admin, bob.id, sim.provider(), &[primary], Some(&bobs_calendar)).await.unwrap();
        let input = NewEventType {
            location_kind: kind_of(&sim).as_str(),
            ..fixtures::new_event_type("meet", 30, Mode::RoundRobin, vec![admin.id, bob.id])
        };
        let meet = s.create_event_type(&admin, input).await.unwrap();
        let away = |on| MemberChanges { accepts_bookings: Some(on), ..MemberChanges::default() };
        s.update_member(&admin, admin.id, away(false)).await.unwrap();
        let booked = s.book(&meet, MONDAY_NINE, &attendee(1), None).await.unwrap();
        assert_eq!(booked.hosts[0].0, bob.id);
        s.update_member(&admin, admin.id, away(true)).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let bobs = sim.events(&bobs_calendar).remove(0).join_url.expect("a meeting in Bob's copy");
        s.remove_member(&admin, bob.id).await.unwrap();
        s.run_due_jobs().await.unwrap();
        let adas = join_url(&sim, &booked.uid);
        assert_ne!(adas, bobs, "a new meeting in the new host's calendar");
        let text = letter(&s, &admin, "p1@example.org", "New host").await.text;
        assert!(text.contains(&adas) && !text.contains(&bobs), "{text}");
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

/// Google may answer a write with the meeting still `pending`: Rendezvous asks again until it
/// is made, within the confirmation's wait, so the first emails carry the link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_google_makes_in_the_background_is_waited_for_and_its_link_is_in_the_first_emails() {
    for on_postgres in [false, true] {
        let sim = ProviderSim::start(Provider::Google).await;
        sim.set_clock(common::NOW);
        let s = if on_postgres {
            let Some(s) = common::postgres_with(&sim.vars()).await else {
                continue;
            };
            s
        } else {
            common::sqlite_with(&sim.vars()).await
        };
        let (admin, meet) = meeting_type(&s, &sim).await;
        sim.make_meetings_slowly(2);
        let booked = s.book(&meet, MONDAY_NINE, &attendee(1), None).await.unwrap();
        run_for(&s, 2, 5).await;
        assert!(
            sent(&s, &admin).await.is_empty(),
            "still pending after two questions: the emails wait"
        );
        run_for(&s, 1, 5).await;
        let link = join_url(&sim, &booked.uid);
        let text = letter(&s, &admin, "p1@example.org", "Confirmed").await.text;
        assert!(text.contains(&link) && !text.contains("follows"), "{text}");
        run_for(&s, 2, 60).await;
        assert_eq!(
            sent(&s, &admin).await.len(),
            2,
            "no update: the first emails had the link"
        );
        assert_eq!(sim.meetings_made(), 1);
    }
}
