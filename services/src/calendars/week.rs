//! The Calendar page's data: one member's confirmed bookings and the events of their followed
//! calendars over a short span, merged and sorted. The events come from the sync mirror
//! (`calendar_sync_events`), so a meeting added in the calendar shows here after the sync that
//! notices it. A booking's own event in the host's calendar is left out: the booking itself is
//! shown, with its link, from `bookings`.

use super::Provider;
use crate::accounts::Member;
use crate::{ServiceError, Services};
use domain::FieldErrors;

const DAY: i64 = 86_400;

/// The longest span one call may ask for: a week seen from any zone needs less, and the bound
/// keeps an admin's page from reading a member's whole mirror.
const MAX_CALENDAR_SPAN: i64 = 14 * DAY;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Booking,
    CalendarEvent,
}

/// One thing in the member's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub kind: EntryKind,
    /// The event's own title only for the member themself; "Busy" (or "Free") for anyone else.
    pub title: String,
    /// UTC unix seconds; an all-day entry runs from the UTC midnight of its first date to the
    /// UTC midnight after its last.
    pub start: i64,
    pub end: i64,
    pub all_day: bool,
    /// False for events shown as free (transparent, or Outlook's "free" / "working elsewhere").
    pub busy: bool,
    pub booking_uid: Option<String>,
    /// The calendar service an event came from; `None` for bookings.
    pub provider: Option<Provider>,
}

#[derive(Debug, Clone)]
pub struct CalendarWeek {
    pub member: Member,
    /// The member's connected calendar services; empty when only bookings can be shown.
    pub providers: Vec<Provider>,
    /// Sorted by start, then end.
    pub entries: Vec<CalendarEntry>,
}

type EventRow = (String, String, i64, i64, i64, i64, String);
type BookingRow = (String, String, String, i64, i64);

impl Services {
    /// `member_id`'s bookings and calendar events overlapping `[from, until)`, as `actor` may see
    /// them: themself, or anyone in the team for an admin, who sees when the member is busy but
    /// never what their meetings are called.
    pub async fn calendar_week(
        &self,
        actor: &Member,
        member_id: i64,
        (from, until): (i64, i64),
    ) -> Result<CalendarWeek, ServiceError> {
        if until <= from || until - from > MAX_CALENDAR_SPAN {
            return Err(FieldErrors::single("until", "Ask for a span of at most 14 days.").into());
        }
        let member = self.manageable_member(actor, member_id).await?;
        let pool = self.db().pool();
        let providers: Vec<(String,)> =
            sqlx::query_as("SELECT provider FROM calendar_connections WHERE member_id = $1 ORDER BY provider")
                .bind(member.id)
                .fetch_all(pool)
                .await?;
        // DISTINCT: an invitation in two followed calendars of one account is one meeting.
        let events: Vec<EventRow> = sqlx::query_as(
            "SELECT DISTINCT e.event_id, e.title, e.starts_at, e.ends_at, e.all_day, e.busy, c.provider \
             FROM calendar_sync_events e JOIN calendar_syncs s ON s.id = e.sync_id \
             JOIN calendar_connections c ON c.id = s.connection_id \
             WHERE c.member_id = $1 AND e.starts_at < $3 AND e.ends_at > $2 \
             AND NOT EXISTS (SELECT 1 FROM booking_calendar_events o \
                             WHERE o.member_id = c.member_id AND o.event_id = e.event_id)",
        )
        .bind(member.id)
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await?;
        let bookings: Vec<BookingRow> = sqlx::query_as(
            "SELECT b.uid, t.title, b.attendee_name, b.start_at, b.end_at FROM bookings b \
             JOIN booking_hosts h ON h.booking_id = b.id JOIN event_types t ON t.id = b.event_type_id \
             WHERE h.member_id = $1 AND b.status = 'confirmed' AND b.start_at < $3 AND b.end_at > $2",
        )
        .bind(member.id)
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await?;
        let own = actor.id == member.id;
        let mut entries: Vec<CalendarEntry> = events
            .into_iter()
            .map(|row| calendar_event(row, own))
            .chain(bookings.into_iter().map(booking))
            .collect();
        entries.sort_by_key(|e| (e.start, e.end));
        Ok(CalendarWeek {
            member,
            providers: providers.iter().filter_map(|(p,)| Provider::parse(p)).collect(),
            entries,
        })
    }
}

fn calendar_event((_, title, start, end, all_day, busy, provider): EventRow, own: bool) -> CalendarEntry {
    let (all_day, busy) = (all_day != 0, busy != 0);
    let title = match (own, busy) {
        (true, _) if title.trim().is_empty() => "(No title)".to_owned(),
        (true, _) => title,
        (false, true) => "Busy".to_owned(),
        (false, false) => "Free".to_owned(),
    };
    let (start, end) = if all_day {
        (
            nearest_midnight(start),
            nearest_midnight(end).max(nearest_midnight(start) + DAY),
        )
    } else {
        (start, end)
    };
    CalendarEntry {
        kind: EntryKind::CalendarEvent,
        title,
        start,
        end,
        all_day,
        busy,
        booking_uid: None,
        provider: Provider::parse(&provider),
    }
}

fn booking((uid, event_title, attendee, start, end): BookingRow) -> CalendarEntry {
    CalendarEntry {
        kind: EntryKind::Booking,
        title: format!("{event_title} with {attendee}"),
        start,
        end,
        all_day: false,
        busy: true,
        booking_uid: Some(uid),
        provider: None,
    }
}

/// All-day events are dates, not instants: Google's arrive as UTC midnights, Outlook's as
/// midnights read in UTC (or, should Graph convert them, within hours of one). Rounding makes
/// both name the same date.
fn nearest_midnight(instant: i64) -> i64 {
    (instant + DAY / 2).div_euclid(DAY) * DAY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_times_round_to_the_nearest_utc_midnight() {
        let monday = 1_800_230_400; // 2027-01-18T00:00:00Z
        assert_eq!(nearest_midnight(monday), monday);
        assert_eq!(nearest_midnight(monday - 3600), monday);
        assert_eq!(nearest_midnight(monday + 5 * 3600), monday);
    }

    #[test]
    fn others_see_busy_or_free_but_never_the_title() {
        let row = |busy| {
            (
                "e".to_owned(),
                "Dentist".to_owned(),
                0,
                3600,
                0,
                busy,
                "google".to_owned(),
            )
        };
        assert_eq!(calendar_event(row(1), true).title, "Dentist");
        assert_eq!(calendar_event(row(1), false).title, "Busy");
        assert_eq!(calendar_event(row(0), false).title, "Free");
    }
}
