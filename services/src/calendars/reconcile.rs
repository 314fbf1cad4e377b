//! What a sync found, applied: the event mirror is updated (replaced whole after a full listing,
//! in one transaction), and each booked event among the changes is judged against the booking:
//! our own write coming back (same etag, or the booking's own times) changes nothing; a write of
//! ours still queued or retrying will settle the event itself; anything else is the host's move
//! or deletion (see `host_changes`).

use super::remote::{Changes, RemoteEvent};
use super::sync::Claimed;
use super::{CalendarChoice, Connection};
use crate::{ServiceError, Services};
use std::collections::HashMap;

/// A booking's copy in this member's calendars, with the booking's times.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct BookedCopy {
    pub booking_id: i64,
    pub member_id: i64,
    pub calendar_id: String,
    pub event_id: String,
    pub etag: Option<String>,
    pub state: String,
    pub host_change: Option<String>,
    pub host_start: Option<i64>,
    pub host_end: Option<i64>,
    pub uid: String,
    pub start_at: i64,
    pub end_at: i64,
}

/// What the host did to a booked event, as judged from one look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Nothing to do: our own write, a change already known, or a copy we are not keeping.
    Nothing,
    /// The event is as the booking says (a title edit, or our write under a new etag): remember
    /// its etag, and forget an earlier deletion or move the host has undone.
    Settled {
        etag: Option<String>,
    },
    Deleted,
    Moved {
        start: i64,
        end: i64,
    },
}

/// Judges one booked event; `seen` is `None` when it is gone from the calendar.
pub(super) fn judge(copy: &BookedCopy, seen: Option<&RemoteEvent>) -> Verdict {
    if copy.state != "synced" {
        return Verdict::Nothing; // being written, failed, or removed by us
    }
    let Some(shown) = seen.and_then(|e| e.shown.as_ref()) else {
        return if copy.host_change.as_deref() == Some("deleted") {
            Verdict::Nothing
        } else {
            Verdict::Deleted
        };
    };
    let etag = seen.and_then(|e| e.etag.clone());
    let ours = etag.is_some() && etag == copy.etag;
    if ours || (shown.start, shown.end) == (copy.start_at, copy.end_at) || shown.all_day {
        return if copy.host_change.is_some() || etag != copy.etag {
            Verdict::Settled { etag }
        } else {
            Verdict::Nothing
        };
    }
    let known = copy.host_change.as_deref() == Some("moved")
        && (copy.host_start, copy.host_end) == (Some(shown.start), Some(shown.end));
    if known {
        Verdict::Nothing
    } else {
        Verdict::Moved {
            start: shown.start,
            end: shown.end,
        }
    }
}

impl Services {
    /// Applies a sync's findings; returns whether anything changed in the calendar.
    pub(super) async fn apply_changes(
        &self,
        connection: &Connection,
        calendar: &CalendarChoice,
        claimed: &Claimed,
        changes: &Changes,
        window: (i64, i64),
    ) -> Result<bool, ServiceError> {
        self.update_mirror(claimed.id, changes).await?;
        let copies = self.booked_copies(connection).await?;
        let by_event: HashMap<&str, &BookedCopy> = copies.iter().map(|c| (c.event_id.as_str(), c)).collect();
        let mut looked_at = Vec::new();
        for event in &changes.events {
            if let Some(copy) = by_event.get(event.id.as_str()) {
                looked_at.push(copy.booking_id);
                let verdict = judge(copy, Some(event));
                self.act_on(connection, calendar, copy, verdict).await?;
            }
        }
        if changes.full {
            // Listed whole: a booked event of this calendar within the window that is not listed is gone.
            let missing = copies.iter().filter(|c| {
                c.calendar_id == calendar.id
                    && c.start_at >= window.0
                    && c.start_at < window.1
                    && !looked_at.contains(&c.booking_id)
            });
            for copy in missing {
                self.act_on(connection, calendar, copy, judge(copy, None)).await?;
            }
        }
        Ok(changes.full || !changes.events.is_empty())
    }

    async fn update_mirror(&self, sync_id: i64, changes: &Changes) -> Result<(), ServiceError> {
        let mut tx = self.db().pool().begin().await?;
        if changes.full {
            sqlx::query("DELETE FROM calendar_sync_events WHERE sync_id = $1")
                .bind(sync_id)
                .execute(&mut *tx)
                .await?;
        }
        for event in &changes.events {
            if !changes.full {
                // A CalDAV resource's later occurrences are `id#start` (see `caldav::sync`): a
                // change of the resource replaces them all.
                sqlx::query(
                    "DELETE FROM calendar_sync_events WHERE sync_id = $1 AND (event_id = $2 \
                     OR substr(event_id, 1, length($2) + 1) = $2 || '#')",
                )
                .bind(sync_id)
                .bind(&event.id)
                .execute(&mut *tx)
                .await?;
            }
            let Some(shown) = &event.shown else { continue };
            sqlx::query(
                "INSERT INTO calendar_sync_events (sync_id, event_id, title, starts_at, ends_at, all_day, busy) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sync_id, event_id) DO UPDATE SET \
                 title = excluded.title, starts_at = excluded.starts_at, ends_at = excluded.ends_at, \
                 all_day = excluded.all_day, busy = excluded.busy",
            )
            .bind(sync_id)
            .bind(&event.id)
            .bind(&shown.title)
            .bind(shown.start)
            .bind(shown.end)
            .bind(i64::from(shown.all_day))
            .bind(i64::from(shown.busy))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The member's confirmed, not yet ended bookings written to this provider.
    async fn booked_copies(&self, connection: &Connection) -> Result<Vec<BookedCopy>, ServiceError> {
        Ok(sqlx::query_as(
            "SELECT c.booking_id, c.member_id, c.calendar_id, c.event_id, c.etag, c.state, c.host_change, \
             c.host_start, c.host_end, b.uid, b.start_at, b.end_at FROM booking_calendar_events c \
             JOIN bookings b ON b.id = c.booking_id WHERE c.member_id = $1 AND c.provider = $2 \
             AND c.event_id IS NOT NULL AND b.status = 'confirmed' AND b.end_at > $3",
        )
        .bind(connection.member_id)
        .bind(connection.provider.as_str())
        .bind(self.clock().now() - 86_400)
        .fetch_all(self.db().pool())
        .await?)
    }

    /// Whether a calendar write for this copy is queued or running: it will make the event match
    /// the booking, so what the calendar shows now is not the host's doing.
    async fn write_in_flight(&self, copy: &BookedCopy) -> Result<bool, ServiceError> {
        Ok(self
            .queued_calendar_jobs(copy.booking_id)
            .await?
            .contains(&copy.member_id))
    }

    async fn act_on(
        &self,
        connection: &Connection,
        calendar: &CalendarChoice,
        copy: &BookedCopy,
        verdict: Verdict,
    ) -> Result<(), ServiceError> {
        match verdict {
            Verdict::Nothing => Ok(()),
            Verdict::Settled { etag } => self.settle_copy(copy, &calendar.id, etag.as_deref()).await,
            Verdict::Deleted | Verdict::Moved { .. } if self.write_in_flight(copy).await? => Ok(()),
            Verdict::Deleted => self.host_deleted(connection, copy).await,
            Verdict::Moved { start, end } => self.host_moved(connection, copy, (start, end)).await,
        }
    }

    /// The event is where the booking says (again): it may have moved to another followed
    /// calendar (Google keeps the id), and any deletion or move the host had made is undone.
    async fn settle_copy(&self, copy: &BookedCopy, calendar: &str, etag: Option<&str>) -> Result<(), ServiceError> {
        sqlx::query(
            "UPDATE booking_calendar_events SET calendar_id = $1, etag = COALESCE($2, etag), host_change = NULL, \
             host_start = NULL, host_end = NULL, acts_at = NULL, updated_at = $3 WHERE booking_id = $4 AND member_id = $5",
        )
        .bind(calendar)
        .bind(etag)
        .bind(self.clock().now())
        .bind(copy.booking_id)
        .bind(copy.member_id)
        .execute(self.db().pool())
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::remote::Shown;
    use super::*;

    fn copy() -> BookedCopy {
        BookedCopy {
            booking_id: 1,
            member_id: 2,
            calendar_id: "primary".into(),
            event_id: "e1".into(),
            etag: Some("\"ours\"".into()),
            state: "synced".into(),
            host_change: None,
            host_start: None,
            host_end: None,
            uid: "u".into(),
            start_at: 1000,
            end_at: 2800,
        }
    }

    fn seen(etag: &str, (start, end): (i64, i64)) -> RemoteEvent {
        RemoteEvent {
            id: "e1".into(),
            etag: Some(etag.into()),
            shown: Some(Shown {
                title: "Demo".into(),
                start,
                end,
                all_day: false,
                busy: true,
            }),
        }
    }

    #[test]
    fn our_own_write_coming_back_is_not_the_hosts_change() {
        assert_eq!(judge(&copy(), Some(&seen("\"ours\"", (1000, 2800)))), Verdict::Nothing);
        // Even at other times: the etag says it is what we wrote (a newer write is on its way).
        assert_eq!(judge(&copy(), Some(&seen("\"ours\"", (5000, 6800)))), Verdict::Nothing);
    }

    #[test]
    fn a_title_edit_only_remembers_the_new_etag() {
        let verdict = judge(&copy(), Some(&seen("\"theirs\"", (1000, 2800))));
        assert_eq!(
            verdict,
            Verdict::Settled {
                etag: Some("\"theirs\"".into())
            }
        );
    }

    #[test]
    fn new_times_are_a_move_once_and_a_missing_event_a_deletion_once() {
        let moved = judge(&copy(), Some(&seen("\"theirs\"", (4600, 6400))));
        assert_eq!(moved, Verdict::Moved { start: 4600, end: 6400 });
        let flagged = BookedCopy {
            host_change: Some("moved".into()),
            host_start: Some(4600),
            host_end: Some(6400),
            ..copy()
        };
        assert_eq!(
            judge(&flagged, Some(&seen("\"theirs\"", (4600, 6400)))),
            Verdict::Nothing
        );
        assert_eq!(judge(&copy(), None), Verdict::Deleted);
        let deleted = BookedCopy {
            host_change: Some("deleted".into()),
            ..copy()
        };
        assert_eq!(judge(&deleted, None), Verdict::Nothing);
        assert_eq!(
            judge(&deleted, Some(&seen("\"back\"", (1000, 2800)))),
            Verdict::Settled {
                etag: Some("\"back\"".into())
            }
        );
    }

    #[test]
    fn copies_being_written_or_removed_by_us_are_left_alone() {
        for state in ["pending", "failed", "removed"] {
            let copy = BookedCopy {
                state: state.into(),
                ..copy()
            };
            assert_eq!(judge(&copy, None), Verdict::Nothing, "{state}");
        }
    }
}
