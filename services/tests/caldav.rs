//! CalDAV against a real server (Radicale, started by `scripts/test.sh`), every scenario on both
//! databases: connecting with discovery, busy time with recurring, cancelled, transparent and
//! all-day events, bookings written, moved and deleted as `.ics` resources, and two-way sync
//! through `sync-collection`, including the host's moves and deletions, a password that stops
//! working and a server that goes down.

mod common;

use common::calendar::*;
use services::Services;
use services::calendars::{CANCELLED_BY_HOST, ConnectFailure, Provider};
use services::fixtures::{self, CaldavAccount, CaldavEvent, CaldavServer, attendee};

/// Each scenario once per database on each named server (`radicale`, `xandikos`).
macro_rules! on_servers {
    ([$($server:ident),*] $tests:tt) => {
        $(mod $server {
            use super::*;
            on_servers!(@databases $server $tests);
        })*
    };
    (@databases $server:ident { $(async fn $name:ident($s:ident, $dav:ident) $body:block)* }) => {
        mod sqlite {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some($dav) = CaldavAccount::create(on_servers!(@kind $server)).await else { return };
                let $s = common::sqlite_with(&CaldavAccount::vars()).await;
                $body
            })*
        }
        mod postgres {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some($dav) = CaldavAccount::create(on_servers!(@kind $server)).await else { return };
                let Some($s) = common::postgres_with(&CaldavAccount::vars()).await else { return };
                $body
            })*
        }
    };
    (@kind radicale) => { CaldavServer::Radicale };
    (@kind xandikos) => { CaldavServer::Xandikos };
}

/// `20270118T090000Z` for an instant.
fn ical_time(instant: i64) -> String {
    chrono::DateTime::from_timestamp(instant, 0)
        .unwrap()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// The booking's event as the server holds it.
async fn only_booking_event(dav: &CaldavAccount) -> CaldavEvent {
    let mut events = dav.booking_events(&dav.calendar("work")).await;
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}

/// Connects the admin, books Monday 10:00 and lets the event be written and the calendar listed.
/// Returns the admin, the booking's uid and manage token, and its event.
async fn booked_and_synced(
    s: &Services,
    dav: &CaldavAccount,
) -> (services::accounts::Member, (String, String), CaldavEvent) {
    let (admin, demo) = fixtures::team_with_demo(s).await;
    dav.connect(s, &admin).await;
    let booked = s.book(&demo, MONDAY_NINE + HOUR, &attendee(1), None).await.unwrap();
    next_poll(s).await;
    (admin, (booked.uid, booked.manage_token), only_booking_event(dav).await)
}

/// Busy time, bookings written and the two-way sync, on both servers.
mod calendars {
    use super::*;

    on_servers!([radicale, xandikos] {
        async fn busy_time_follows_a_weekly_series_with_its_exceptions_and_skips_free_and_cancelled_events(s, dav) {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            let work = dav.calendar("work");
            // Every Monday 12:00 Berlin, except that on 18 January it moved to 15:00.
            let series = "BEGIN:VEVENT\r\nUID:lunch\r\nDTSTAMP:20270101T000000Z\r\n\
                DTSTART;TZID=Europe/Berlin:20270111T120000\r\nDTEND;TZID=Europe/Berlin:20270111T130000\r\n\
                RRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Team lunch\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:lunch\r\nDTSTAMP:20270101T000000Z\r\n\
                RECURRENCE-ID;TZID=Europe/Berlin:20270118T120000\r\nDTSTART;TZID=Europe/Berlin:20270118T150000\r\n\
                DTEND;TZID=Europe/Berlin:20270118T160000\r\nSUMMARY:Team lunch (late)\r\nEND:VEVENT\r\n";
            dav.put_event(&work, "lunch", series).await;
            let free = format!(
                "BEGIN:VEVENT\r\nUID:focus\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:{}\r\nDTEND:{}\r\n\
                 TRANSP:TRANSPARENT\r\nSUMMARY:Focus\r\nEND:VEVENT\r\n",
                ical_time(MONDAY_NINE),
                ical_time(MONDAY_NINE + HOUR)
            );
            dav.put_event(&work, "focus", &free).await;
            let cancelled = format!(
                "BEGIN:VEVENT\r\nUID:off\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:{}\r\nDTEND:{}\r\n\
                 STATUS:CANCELLED\r\nSUMMARY:Called off\r\nEND:VEVENT\r\n",
                ical_time(MONDAY_NINE + HOUR),
                ical_time(MONDAY_NINE + 2 * HOUR)
            );
            dav.put_event(&work, "off", &cancelled).await;
            dav.connect(&s, &admin).await;
            let starts = monday_starts(&s, &demo, None).await;
            let noon = MONDAY_NINE + 3 * HOUR;
            assert!(starts.contains(&noon), "the series' Monday occurrence moved away: {starts:?}");
            assert!(!starts.contains(&(MONDAY_NINE + 6 * HOUR)), "it moved to 15:00");
            assert!(starts.contains(&MONDAY_NINE) && starts.contains(&(MONDAY_NINE + HOUR)), "free and cancelled events");
            let next_monday = (MONDAY_NINE + 7 * 24 * HOUR, MONDAY_NINE + 7 * 24 * HOUR + 8 * HOUR);
            let later: Vec<i64> = s.slots(&demo, next_monday, None).await.unwrap().iter().map(|t| t.start).collect();
            assert!(!later.contains(&(next_monday.0 + 3 * HOUR)), "the next Monday's lunch is busy");
        }

        async fn a_booking_is_written_moved_and_deleted_as_one_resource_with_the_invitations_uid(s, dav) {
            let (admin, (uid, token), event) = booked_and_synced(&s, &dav).await;
            assert!(event.ics.contains(&format!("DTSTART:{}", ical_time(MONDAY_NINE + HOUR))), "{}", event.ics);
            assert!(event.ics.contains(&format!("UID:{uid}@")));
            assert!(!event.ics.contains("ATTENDEE"), "the server must not send its own invitations");
            s.reschedule_booking(&uid, &token, MONDAY_NINE + 4 * HOUR).await.unwrap();
            s.run_due_jobs().await.unwrap();
            let moved = only_booking_event(&dav).await;
            assert_eq!(moved.href, event.href, "the same resource");
            assert!(moved.ics.contains(&format!("DTSTART:{}", ical_time(MONDAY_NINE + 4 * HOUR))));
            s.cancel_booking_as(&admin, &uid, None).await.unwrap();
            s.run_due_jobs().await.unwrap();
            assert!(dav.booking_events(&dav.calendar("work")).await.is_empty());
        }

        async fn a_meeting_added_with_another_client_leaves_the_slots_at_the_next_poll(s, dav) {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            dav.connect(&s, &admin).await;
            s.run_due_syncs().await.unwrap();
            assert!(monday_starts(&s, &demo, None).await.contains(&(MONDAY_NINE + 3 * HOUR)));
            dav.add_meeting(&dav.calendar("work"), (MONDAY_NINE + 3 * HOUR, MONDAY_NINE + 4 * HOUR), "Dentist").await;
            // A daily stand-up for three days, added at the same time: its occurrences arrive as one
            // resource (expanded here, since a multiget is never asked to expand).
            let standup = format!(
                "BEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:{}\r\nDTEND:{}\r\n\
                 RRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:Stand-up\r\nEND:VEVENT\r\n",
                ical_time(MONDAY_NINE),
                ical_time(MONDAY_NINE + 900)
            );
            let series = dav.put_event(&dav.calendar("work"), "standup", &standup).await;
            next_poll(&s).await;
            let starts = monday_starts(&s, &demo, None).await;
            assert!(!starts.contains(&(MONDAY_NINE + 3 * HOUR)) && !starts.contains(&MONDAY_NINE), "{starts:?}");
            let mirrored = || async {
                let rows: Vec<(String, i64)> =
                    sqlx::query_as("SELECT title, starts_at FROM calendar_sync_events ORDER BY starts_at, title")
                        .fetch_all(s.db().pool())
                        .await
                        .unwrap();
                rows
            };
            let day = 24 * HOUR;
            assert_eq!(
                mirrored().await,
                [
                    ("Stand-up".to_owned(), MONDAY_NINE),
                    ("Dentist".to_owned(), MONDAY_NINE + 3 * HOUR),
                    ("Stand-up".to_owned(), MONDAY_NINE + day),
                    ("Stand-up".to_owned(), MONDAY_NINE + 2 * day),
                ],
                "the Calendar page shows them"
            );
            dav.delete(&series).await;
            next_poll(&s).await;
            assert_eq!(mirrored().await, [("Dentist".to_owned(), MONDAY_NINE + 3 * HOUR)], "the series went whole");
        }

        async fn moving_the_booked_event_reschedules_the_booking(s, dav) {
            let (_, (uid, _), event) = booked_and_synced(&s, &dav).await;
            let (_, _, _, sequence, _) = booking(&s, &uid).await;
            dav.move_event(&event, (MONDAY_NINE + 5 * HOUR, MONDAY_NINE + 5 * HOUR + 1800)).await;
            next_poll(&s).await;
            let (_, start, status, moved_sequence, _) = booking(&s, &uid).await;
            assert_eq!((start, status.as_str(), moved_sequence), (MONDAY_NINE + 5 * HOUR, "confirmed", sequence + 1));
            assert!(mails(&s, &uid).await.contains(&"rescheduled:attendee".to_owned()));
            // Our own write of the moved booking comes back: not the host moving it again.
            next_poll(&s).await;
            next_poll(&s).await;
            assert_eq!(booking(&s, &uid).await.3, moved_sequence);
            assert_eq!(dav.booking_events(&dav.calendar("work")).await.len(), 1);
        }

        async fn deleting_the_booked_event_cancels_the_booking_after_the_grace_period(s, dav) {
            let (_, (uid, _), event) = booked_and_synced(&s, &dav).await;
            dav.delete(&event.href).await;
            next_poll(&s).await;
            assert_eq!(host_change(&s, &uid).await.as_deref(), Some("deleted"));
            s.clock().advance(300);
            s.run_due_jobs().await.unwrap();
            let (_, _, status, _, reason) = booking(&s, &uid).await;
            assert_eq!((status.as_str(), reason.as_deref()), ("cancelled", Some(CANCELLED_BY_HOST)));
            next_poll(&s).await;
            assert!(dav.booking_events(&dav.calendar("work")).await.is_empty(), "nothing is written back");
        }

        async fn a_write_over_an_event_the_host_edited_goes_through_without_a_second_event(s, dav) {
            let (_, (uid, token), event) = booked_and_synced(&s, &dav).await;
            // The host retitles the event (a new etag) and the attendee moves the booking before the
            // next sync: the write finds a version it did not make (412), reads it and writes over it.
            let retitled = event.ics.replace("SUMMARY:", "SUMMARY:Prep! ");
            let edited = CaldavEvent { ics: retitled, ..event.clone() };
            dav.move_event(&edited, (MONDAY_NINE + HOUR, MONDAY_NINE + HOUR + 1800)).await;
            s.reschedule_booking(&uid, &token, MONDAY_NINE + 2 * HOUR).await.unwrap();
            s.run_due_jobs().await.unwrap();
            let now = only_booking_event(&dav).await;
            assert!(now.ics.contains(&format!("DTSTART:{}", ical_time(MONDAY_NINE + 2 * HOUR))), "{}", now.ics);
            next_poll(&s).await;
            assert_eq!(booking(&s, &uid).await.1, MONDAY_NINE + 2 * HOUR, "our write is not the host's move");
        }

        async fn an_invalid_sync_token_lists_the_calendar_again(s, dav) {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            dav.connect(&s, &admin).await;
            s.run_due_syncs().await.unwrap();
            sqlx::query("UPDATE calendar_syncs SET sync_token = 'http://radicale.org/ns/sync/unknown'")
                .execute(s.db().pool())
                .await
                .unwrap();
            dav.add_meeting(&dav.calendar("work"), (MONDAY_NINE, MONDAY_NINE + HOUR), "Dentist").await;
            next_poll(&s).await;
            assert!(!monday_starts(&s, &demo, None).await.contains(&MONDAY_NINE));
            let (token, error): (Option<String>, Option<String>) =
                sqlx::query_as("SELECT sync_token, last_error FROM calendar_syncs").fetch_one(s.db().pool()).await.unwrap();
            assert!(token.is_some_and(|t| !t.ends_with("unknown")) && error.is_none());
        }

        async fn a_server_that_goes_down_keeps_the_last_busy_time_for_an_hour_then_offers_nothing(s, dav) {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            dav.add_meeting(&dav.calendar("work"), (MONDAY_NINE, MONDAY_NINE + HOUR), "Dentist").await;
            dav.connect(&s, &admin).await;
            s.run_due_syncs().await.unwrap();
            // The server stops answering (nothing listens on the discard port).
            sqlx::query("UPDATE calendar_connections SET server_url = 'http://127.0.0.1:9/'")
                .execute(s.db().pool())
                .await
                .unwrap();
            let id = connection_id(&s).await;
            s.clock().advance(10 * 60);
            s.refresh_busy(id).await.unwrap();
            next_poll(&s).await;
            let starts = monday_starts(&s, &demo, None).await;
            assert!(!starts.contains(&MONDAY_NINE) && starts.contains(&(MONDAY_NINE + 2 * HOUR)), "{starts:?}");
            let (status, error): (String, Option<String>) =
                sqlx::query_as("SELECT status, busy_error FROM calendar_connections").fetch_one(s.db().pool()).await.unwrap();
            assert_eq!(status, "active", "a server that is down is not a refused password");
            assert!(error.is_some_and(|e| e.contains("could not be reached")));
            let (sync_error,): (Option<String>,) =
                sqlx::query_as("SELECT last_error FROM calendar_syncs").fetch_one(s.db().pool()).await.unwrap();
            assert!(sync_error.is_some(), "the failing sync is reported");
            s.clock().advance(HOUR);
            assert!(monday_starts(&s, &demo, None).await.is_empty(), "busy time an hour old offers nothing");
        }
    });
}

/// Signing in with a password: Xandikos leaves authentication to a proxy in front of it.
mod passwords {
    use super::*;

    on_servers!([radicale] {
        async fn connecting_discovers_the_calendars_from_the_server_address_and_seals_the_password(s, dav) {
            dav.make_calendar("personal", "Personal", "#00FF00").await;
            let (admin, _) = fixtures::team_with_demo(&s).await;
            dav.connect(&s, &admin).await;
            let page = s.integrations(&admin, admin.id).await.unwrap();
            let connection = page.connections.iter().find(|c| c.provider == Provider::Caldav).unwrap();
            assert_eq!(connection.account, format!("{}@127.0.0.1", dav.username));
            let work = connection.calendars.iter().find(|c| c.name == "Work").expect("the Work calendar");
            assert_eq!((work.color.as_deref(), work.writable), (Some("#1badf8"), true));
            assert_eq!(work.id, dav.calendar("work"));
            assert_eq!(connection.calendars.len(), 2);
            let destination = connection.destination.as_deref().expect("a calendar receives bookings");
            assert!(connection.calendars.iter().any(|c| c.id == destination && c.writable));
            let stored: Vec<(String, String)> =
                sqlx::query_as("SELECT access_token_sealed, refresh_token_sealed FROM calendar_connections")
                    .fetch_all(s.db().pool())
                    .await
                    .unwrap();
            assert!(!stored[0].0.contains(&dav.password) && !stored[0].0.contains(&dav.username));
        }

        async fn a_wrong_password_or_a_server_that_is_not_caldav_is_said_so(s, dav) {
            let (admin, _) = fixtures::team_with_demo(&s).await;
            let mut login = dav.login();
            login.password = "not-it".into();
            let refused = s.connect_caldav(&admin, &login).await;
            assert!(matches!(refused, Err(ConnectFailure::WrongPassword)), "{refused:?}");
            let mut nowhere = dav.login();
            nowhere.server = "http://127.0.0.1:9/".into();
            let unreachable = s.connect_caldav(&admin, &nowhere).await;
            assert!(matches!(unreachable, Err(ConnectFailure::Unreachable)), "{unreachable:?}");
            assert!(s.integrations(&admin, admin.id).await.unwrap().connections.is_empty());
        }

        async fn a_password_that_stops_working_needs_a_reconnect_and_the_member_is_told_once(s, dav) {
            let (admin, demo) = fixtures::team_with_demo(&s).await;
            dav.connect(&s, &admin).await;
            dav.change_password();
            let id = connection_id(&s).await;
            s.refresh_busy(id).await.unwrap();
            s.refresh_busy(id).await.unwrap();
            let (status, problem): (String, Option<String>) =
                sqlx::query_as("SELECT status, problem FROM calendar_connections").fetch_one(s.db().pool()).await.unwrap();
            assert_eq!(status, "reconnect_needed");
            assert!(problem.unwrap().contains("username or password"));
            let notices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1")
                .bind(services::calendars::NOTICE_JOB)
                .fetch_one(s.db().pool())
                .await
                .unwrap();
            assert_eq!(notices, 1);
            s.clock().advance(2 * HOUR);
            assert!(monday_starts(&s, &demo, None).await.is_empty(), "unread busy time offers nothing");
        }
    });
}
