//! What the calendar suites (simulated providers and the real CalDAV server) share: letting a
//! poll interval pass, and reading a booking's state as the scenarios check it.

use services::Services;
use services::event_types::EventType;

/// 2027-01-18T08:00:00Z, Monday 09:00 in Berlin: the admin's first working hour after NOW.
pub const MONDAY_NINE: i64 = 1_800_259_200;
pub const HOUR: i64 = 3600;

/// Lets a poll interval pass and runs every due job and sync.
pub async fn next_poll(s: &Services) {
    s.clock().advance(61);
    s.run_due_jobs().await.unwrap();
    s.run_due_syncs().await.unwrap();
    s.run_due_jobs().await.unwrap();
}

pub async fn monday_starts(s: &Services, event_type: &EventType, moving: Option<i64>) -> Vec<i64> {
    s.slots(event_type, (MONDAY_NINE, MONDAY_NINE + 8 * HOUR), moving)
        .await
        .unwrap()
        .iter()
        .map(|slot| slot.start)
        .collect()
}

/// The booking's id, start, status, sequence and cancellation reason.
pub async fn booking(s: &Services, uid: &str) -> (i64, i64, String, i64, Option<String>) {
    sqlx::query_as("SELECT id, start_at, status, sequence, cancel_reason FROM bookings WHERE uid = $1")
        .bind(uid)
        .fetch_one(s.db().pool())
        .await
        .unwrap()
}

/// Mail jobs queued for the booking, as `kind:recipient` ("rescheduled:attendee").
pub async fn mails(s: &Services, uid: &str) -> Vec<String> {
    let keys: Vec<String> = sqlx::query_scalar("SELECT dedupe_key FROM jobs WHERE dedupe_key LIKE $1 ORDER BY id")
        .bind(format!("mail:{uid}:%"))
        .fetch_all(s.db().pool())
        .await
        .unwrap();
    keys.iter()
        .map(|k| {
            let parts: Vec<&str> = k.split(':').collect();
            format!("{}:{}", parts[2], parts[4])
        })
        .collect()
}

/// What the host did to the booking's event, as the booking's page shows it.
pub async fn host_change(s: &Services, uid: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT c.host_change FROM booking_calendar_events c JOIN bookings b ON b.id = c.booking_id WHERE b.uid = $1",
    )
    .bind(uid)
    .fetch_one(s.db().pool())
    .await
    .unwrap()
}

/// The id of the test's one calendar connection.
pub async fn connection_id(s: &Services) -> i64 {
    sqlx::query_scalar("SELECT id FROM calendar_connections")
        .fetch_one(s.db().pool())
        .await
        .unwrap()
}
