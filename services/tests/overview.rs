//! The dashboard overview on SQLite and PostgreSQL: a new team's first steps tick themselves off
//! as the things happen and the list goes once all are done; the next meetings are the viewer's
//! own, or the whole team's for admins.

mod common;

use domain::{Email, Role, WeeklySchedule};
use services::calendars::Provider;
use services::fixtures::{self, ProviderSim, attendee};
use services::overview::FirstStep;

fn open_steps(overview: &services::overview::Overview) -> Vec<FirstStep> {
    overview
        .first_steps
        .iter()
        .filter(|(_, done)| !done)
        .map(|(step, _)| *step)
        .collect()
}

with_providers! {
    async fn first_steps_tick_off_as_they_happen_and_the_list_goes_when_all_are_done(s, sim) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let steps = |o: &services::overview::Overview| o.first_steps.iter().map(|(step, _)| *step).collect::<Vec<_>>();
        let start = s.overview(&admin).await.unwrap();
        assert_eq!(steps(&start), [FirstStep::SetHours, FirstStep::CreateEventType, FirstStep::ConnectCalendar, FirstStep::InviteTeam, FirstStep::EmbedWidget]);
        assert_eq!(open_steps(&start).len(), 5);

        s.set_weekly_schedule(&admin, admin.id, &WeeklySchedule::default(), None).await.unwrap();
        s.create_event_type(&admin, fixtures::new_event_type("demo", 30, services::event_types::Mode::Single, vec![admin.id])).await.unwrap();
        sim.connect(&s, &admin).await;
        assert_eq!(open_steps(&s.overview(&admin).await.unwrap()), [FirstStep::InviteTeam, FirstStep::EmbedWidget]);

        s.invite(&admin, Email::parse("bo@example.com").unwrap(), Role::Member).await.unwrap();
        s.note_embedded().await.unwrap();
        let done = s.overview(&admin).await.unwrap();
        assert!(done.first_steps.is_empty(), "{:?}", done.first_steps);
        assert_eq!(done.booking_links.iter().map(|e| e.slug.as_str()).collect::<Vec<_>>(), ["demo"]);
    }
}

mod meetings {
    use super::*;

    on_both_databases! {
        async fn next_meetings_are_the_viewers_own_or_the_teams_for_admins_soonest_first(s) {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            let bo = fixtures::invited_member(&s, &admin, "Bo").await;
            let bos = s.create_event_type(&admin, fixtures::new_event_type("bo-demo", 30, services::event_types::Mode::Single, vec![bo.id])).await.unwrap();
            let monday = common::NOW + 3 * 86_400;
            let later = s.book(&demo, monday + 7_200, &attendee(1), None).await.unwrap();
            let sooner = s.book(&bos, monday, &attendee(2), None).await.unwrap();
            let uids = |o: services::overview::Overview| o.next_meetings.into_iter().map(|b| b.uid).collect::<Vec<_>>();
            assert_eq!(uids(s.overview(&admin).await.unwrap()), [sooner.uid.clone(), later.uid]);
            assert_eq!(uids(s.overview(&bo).await.unwrap()), [sooner.uid]);
            let steps = s.overview(&bo).await.unwrap().first_steps;
            assert_eq!(steps.iter().map(|(step, _)| *step).collect::<Vec<_>>(), [FirstStep::SetHours, FirstStep::ConnectCalendar], "a member's own steps only");
        }
    }
}
