//! Turns stored bookings (UTC unix seconds) into the page's view types, worded in one zone.

use super::{
    BookingDay, BookingDetails, BookingList, BookingRow, BookingTab, CalendarCopy, Choice, FilterChoices, HistoryEntry,
    PAGE_SIZE, VideoMeeting,
};
use crate::ssr::Zone;
use services::accounts::Member;
use services::calendars::{CalendarSync, HostChange, SyncState};
use services::event_types::ManagedEventType;
use services::team_bookings::{BookingChange, BookingFilter, BookingRecord, BookingStatus};

/// The service filter behind a tab: upcoming lists confirmed bookings from `now` on, soonest
/// first; past and cancelled look back, latest first.
pub fn filter(tab: BookingTab, member: Option<i64>, event_type: Option<String>, now: i64) -> BookingFilter {
    let (status, from, until) = match tab {
        BookingTab::Upcoming => (BookingStatus::Confirmed, Some(now), None),
        BookingTab::Past => (BookingStatus::Confirmed, None, Some(now)),
        BookingTab::Cancelled => (BookingStatus::Cancelled, None, None),
    };
    BookingFilter {
        member_id: member,
        event_type_slug: event_type.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        status: Some(status),
        from,
        until,
        newest_first: tab != BookingTab::Upcoming,
        limit: PAGE_SIZE,
        offset: 0,
    }
}

/// Groups the (already sorted) records by their date in `zone`.
pub fn list(records: Vec<BookingRecord>, zone: &str) -> BookingList {
    let zone = Zone::new(zone);
    let truncated = records.len() >= PAGE_SIZE as usize;
    let mut days: Vec<BookingDay> = Vec::new();
    for record in records {
        let date = zone.format(record.start_at, "%A %-d %B %Y");
        let row = BookingRow {
            times: zone.times(record.start_at, record.end_at),
            hosts: host_names(&record),
            uid: record.uid,
            event_title: record.event_type_title,
            attendee_name: record.attendee_name,
            attendee_email: record.attendee_email,
            cancel_reason: record.cancel_reason,
        };
        match days.last_mut() {
            Some(day) if day.date == date => day.bookings.push(row),
            _ => days.push(BookingDay {
                date,
                bookings: vec![row],
            }),
        }
    }
    BookingList { days, truncated }
}

pub fn choices(members: Vec<Member>, event_types: Vec<ManagedEventType>) -> FilterChoices {
    FilterChoices {
        members: crate::ssr::member_choices(members),
        event_types: event_types
            .into_iter()
            .map(|e| Choice {
                value: e.event_type.slug,
                label: e.event_type.title,
            })
            .collect(),
    }
}

pub fn details(
    record: BookingRecord,
    history: Vec<BookingChange>,
    calendars: &[CalendarSync],
    zone: &str,
    now: i64,
) -> BookingDetails {
    let zone = Zone::new(zone);
    let cancelled = record.status == BookingStatus::Cancelled.as_str();
    let tab = match (cancelled, record.start_at >= now) {
        (true, _) => BookingTab::Cancelled,
        (false, true) => BookingTab::Upcoming,
        (false, false) => BookingTab::Past,
    };
    BookingDetails {
        when: format!("{} ({})", zone.span(record.start_at, record.end_at), zone.name()),
        hosts: host_names(&record),
        history: history.iter().map(|change| history_entry(change, &zone)).collect(),
        calendars: calendars
            .iter()
            .map(|sync| calendar_copy(sync, &zone, cancelled))
            .collect(),
        can_cancel: tab == BookingTab::Upcoming,
        tab,
        cancelled,
        uid: record.uid,
        event_title: record.event_type_title,
        attendee_name: record.attendee_name,
        attendee_email: record.attendee_email,
        attendee_timezone: record.attendee_timezone,
        answers: record
            .answers
            .iter()
            .map(|a| (a.label.clone(), a.value.display()))
            .collect(),
        guests: record.guests,
        video: record.meeting.map(video_meeting),
        cancel_reason: record.cancel_reason,
    }
}

fn video_meeting(meeting: services::conferencing::BookingMeeting) -> VideoMeeting {
    use services::conferencing::MeetingState;
    let note = match meeting.state {
        MeetingState::Ready => None,
        MeetingState::Pending => Some("Being created; the attendee gets the link by email.".to_owned()),
        MeetingState::Failed => Some(format!(
            "Not created ({}). Send the attendee a link to join.",
            meeting.failure.as_deref().unwrap_or("the provider refused")
        )),
    };
    VideoMeeting {
        label: meeting.kind.label().to_owned(),
        link: meeting.join_url,
        note,
    }
}

fn calendar_copy(sync: &CalendarSync, zone: &Zone, cancelled: bool) -> CalendarCopy {
    let calendar = sync.provider.map_or("their calendar", |p| p.label());
    let (status, tone) = match sync.state {
        SyncState::Waiting => (format!("Waiting to be written to {calendar}"), "waiting"),
        SyncState::Synced => (format!("In {calendar}"), "ok"),
        SyncState::Removed => (format!("Removed from {calendar}"), "ok"),
        SyncState::Failed => (format!("Could not be written to {calendar}"), "problem"),
        SyncState::ReconnectNeeded => (format!("{calendar} needs reconnecting"), "problem"),
        SyncState::NotWritten if sync.provider.is_some() => (format!("Not in {calendar}"), "waiting"),
        SyncState::NotWritten => ("No calendar connected".to_owned(), "waiting"),
    };
    let (change, tone) = match sync.host_change {
        Some(HostChange::Deleted { cancels_at: Some(at) }) if !cancelled => (
            Some(format!(
                "Deleted in {calendar}: the booking is cancelled at {}",
                zone.format(at, "%H:%M")
            )),
            "problem",
        ),
        Some(HostChange::Deleted { .. }) => (Some(format!("Deleted in {calendar} by the host")), "problem"),
        Some(HostChange::Moved { start, end }) => (
            Some(format!("Moved in {calendar} to {}", zone.span(start, end))),
            "problem",
        ),
        Some(HostChange::Followed { .. }) => (Some(format!("Moved in {calendar} by the host")), tone),
        None => (None, tone),
    };
    let pending = !cancelled
        && matches!(
            sync.host_change,
            Some(HostChange::Deleted { .. } | HostChange::Moved { .. })
        );
    CalendarCopy {
        member_id: sync.member_id,
        host: sync.member_name.clone(),
        status,
        tone: tone.to_owned(),
        detail: sync
            .error
            .clone()
            .filter(|_| matches!(sync.state, SyncState::Waiting | SyncState::Failed)),
        change,
        can_keep: pending,
        can_apply: !cancelled && matches!(sync.host_change, Some(HostChange::Moved { .. })),
    }
}

fn history_entry(change: &BookingChange, zone: &Zone) -> HistoryEntry {
    let span = |start: Option<i64>, end: Option<i64>| zone.span(start.unwrap_or_default(), end.unwrap_or_default());
    let summary = match change.kind.as_str() {
        "created" => format!("Booked for {}", span(change.new_start, change.new_end)),
        "rescheduled" => format!(
            "Rescheduled from {} to {}",
            span(change.old_start, change.old_end),
            span(change.new_start, change.new_end)
        ),
        "cancelled" => "Cancelled".to_owned(),
        "reassigned" => "Moved to another host".to_owned(),
        other => other.to_owned(),
    };
    HistoryEntry {
        summary,
        at: zone.moment(change.changed_at),
        reason: change.reason.clone(),
    }
}

fn host_names(record: &BookingRecord) -> String {
    let names: Vec<&str> = record.hosts.iter().map(|(_, name)| name.as_str()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_and_cancelled_lists_look_back_and_upcoming_looks_ahead() {
        let upcoming = filter(BookingTab::Upcoming, Some(3), Some(" demo ".into()), 100);
        assert_eq!(
            (upcoming.from, upcoming.until, upcoming.newest_first),
            (Some(100), None, false)
        );
        assert_eq!(upcoming.event_type_slug.as_deref(), Some("demo"));
        let past = filter(BookingTab::Past, None, Some(String::new()), 100);
        assert_eq!((past.from, past.until, past.newest_first), (None, Some(100), true));
        assert_eq!(past.event_type_slug, None);
        let cancelled = filter(BookingTab::Cancelled, None, None, 100);
        assert_eq!(cancelled.status, Some(BookingStatus::Cancelled));
    }
}
