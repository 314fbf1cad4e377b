//! Our own booking events in a host's calendar are busy time to the provider's free/busy, but
//! the booking already blocks its time in Rendezvous (with its buffers): counted twice, a
//! booking's own event blocked its own reschedule and the times overlapping it. So busy time
//! leaves out each booked event's span, unless the event mirror shows another busy meeting
//! there. Without a complete mirror (a followed calendar not yet listed) nothing is left out:
//! free/busy stays the source, and a time that may conflict is never offered.

use super::Connection;
use crate::{ServiceError, Services};
use engine::Interval;

/// `busy` without the parts covered by `holes`.
pub(super) fn subtract(busy: Vec<Interval>, holes: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::with_capacity(busy.len());
    for interval in busy {
        let mut pieces = vec![interval];
        for hole in holes {
            pieces = pieces
                .into_iter()
                .flat_map(|p| {
                    if !hole.overlaps(p) {
                        return vec![p];
                    }
                    let mut rest = Vec::with_capacity(2);
                    if p.start < hole.start {
                        rest.push(Interval::new(p.start, hole.start));
                    }
                    if hole.end < p.end {
                        rest.push(Interval::new(hole.end, p.end));
                    }
                    rest
                })
                .collect();
        }
        out.extend(pieces);
    }
    out
}

impl Services {
    /// Busy time read from the provider, less our own booked events (see the module docs).
    pub(super) async fn without_own_events(
        &self,
        connection: &Connection,
        busy: Vec<Interval>,
    ) -> Result<Vec<Interval>, ServiceError> {
        let pool = self.db().pool();
        let checked: Vec<&str> = connection
            .calendars
            .iter()
            .filter(|c| c.check_conflicts)
            .map(|c| c.id.as_str())
            .collect();
        let listed: Vec<(String,)> = sqlx::query_as(
            "SELECT calendar_id FROM calendar_syncs WHERE connection_id = $1 AND last_synced_at IS NOT NULL",
        )
        .bind(connection.id)
        .fetch_all(pool)
        .await?;
        if !checked.iter().all(|id| listed.iter().any(|(l,)| l == id)) {
            return Ok(busy);
        }
        let own: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT c.calendar_id, c.event_id, b.start_at, b.end_at FROM booking_calendar_events c \
             JOIN bookings b ON b.id = c.booking_id WHERE c.member_id = $1 AND c.provider = $2 \
             AND c.state = 'synced' AND c.host_change IS NULL AND c.event_id IS NOT NULL AND b.status = 'confirmed'",
        )
        .bind(connection.member_id)
        .bind(connection.provider.as_str())
        .fetch_all(pool)
        .await?;
        let spans: Vec<(i64, i64)> = own
            .iter()
            .filter(|(calendar, ..)| checked.contains(&calendar.as_str()))
            .map(|(_, _, start, end)| (*start, *end))
            .collect();
        let (Some(first), Some(last)) = (spans.iter().map(|s| s.0).min(), spans.iter().map(|s| s.1).max()) else {
            return Ok(busy);
        };
        // Only meetings that could overlap a booked event matter.
        let others: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT s.calendar_id, e.event_id, e.starts_at, e.ends_at FROM calendar_sync_events e \
             JOIN calendar_syncs s ON s.id = e.sync_id WHERE s.connection_id = $1 AND e.busy = 1 \
             AND e.starts_at < $2 AND e.ends_at > $3",
        )
        .bind(connection.id)
        .bind(last)
        .bind(first)
        .fetch_all(pool)
        .await?;
        let is_own = |event: &str| own.iter().any(|(_, id, ..)| id == event);
        let meetings: Vec<Interval> = others
            .iter()
            .filter(|(calendar, event, ..)| checked.contains(&calendar.as_str()) && !is_own(event))
            .map(|(_, _, start, end)| Interval::new(*start, *end))
            .collect();
        let holes: Vec<Interval> = spans
            .iter()
            .map(|(start, end)| Interval::new(*start, *end))
            .filter(|span| !meetings.iter().any(|m| m.overlaps(*span)))
            .collect();
        Ok(subtract(busy, &holes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_cut_busy_time_into_what_is_left() {
        let busy = vec![Interval::new(0, 100), Interval::new(200, 300)];
        let left = subtract(busy, &[Interval::new(50, 60), Interval::new(200, 300)]);
        assert_eq!(left, vec![Interval::new(0, 50), Interval::new(60, 100)]);
        assert_eq!(
            subtract(vec![Interval::new(0, 10)], &[Interval::new(10, 20)]),
            vec![Interval::new(0, 10)]
        );
    }
}
