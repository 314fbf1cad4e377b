//! Turns stored bookings (UTC unix seconds) into the page's view types, worded in one zone.

use super::{
    BookingDay, BookingDetails, BookingList, BookingRow, BookingTab, CalendarCopy, Choice, FilterChoices, HistoryEntry,
    PAGE_SIZE, VideoMeeting,
};
use crate::lang::{Dash, d, df};
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
        let date = zone.format(record.start_at, d(Dash::FormatsBookingsDay));
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
        MeetingState::Pending => Some(d(Dash::BookingDetailsVideoPending).to_owned()),
        MeetingState::Failed => Some(match meeting.failure.as_deref() {
            Some(why) => df(Dash::BookingDetailsVideoFailed, &[("why", why)]),
            None => d(Dash::BookingDetailsVideoRefused).to_owned(),
        }),
    };
    VideoMeeting {
        label: meeting.kind.label().to_owned(),
        link: meeting.join_url,
        note,
    }
}

fn calendar_copy(sync: &CalendarSync, zone: &Zone, cancelled: bool) -> CalendarCopy {
    use Dash as D;
    // Each text has a wording naming the provider and one for a host with none to name.
    let on = |(named, unnamed): (Dash, Dash), values: &[(&str, &str)]| match sync.provider {
        Some(provider) => df(named, &[&[("calendar", provider.label())][..], values].concat()),
        None => df(unnamed, values),
    };
    let tone = match sync.state {
        SyncState::Synced | SyncState::Removed => "ok",
        SyncState::Failed | SyncState::ReconnectNeeded => "problem",
        SyncState::Waiting | SyncState::NotWritten => "waiting",
    };
    let status = on(
        match sync.state {
            SyncState::Waiting => (D::BookingDetailsSyncWaiting, D::BookingDetailsSyncWaitingUnnamed),
            SyncState::Synced => (D::BookingDetailsSyncSynced, D::BookingDetailsSyncSyncedUnnamed),
            SyncState::Removed => (D::BookingDetailsSyncRemoved, D::BookingDetailsSyncRemovedUnnamed),
            SyncState::Failed => (D::BookingDetailsSyncFailed, D::BookingDetailsSyncFailedUnnamed),
            SyncState::ReconnectNeeded => (D::BookingDetailsSyncReconnect, D::BookingDetailsSyncReconnectUnnamed),
            // Nothing written and no calendar to name: the host has none connected.
            SyncState::NotWritten => (D::BookingDetailsSyncNotWritten, D::BookingDetailsSyncNoCalendar),
        },
        &[],
    );
    let (change, tone) = match sync.host_change {
        Some(HostChange::Deleted { cancels_at: Some(at) }) if !cancelled => (
            Some(on(
                (
                    D::BookingDetailsChangeDeletedAt,
                    D::BookingDetailsChangeDeletedAtUnnamed,
                ),
                &[("time", &zone.format(at, d(D::FormatsTime)))],
            )),
            "problem",
        ),
        Some(HostChange::Deleted { .. }) => (
            Some(on(
                (D::BookingDetailsChangeDeleted, D::BookingDetailsChangeDeletedUnnamed),
                &[],
            )),
            "problem",
        ),
        Some(HostChange::Moved { start, end }) => (
            Some(on(
                (D::BookingDetailsChangeMoved, D::BookingDetailsChangeMovedUnnamed),
                &[("when", &zone.span(start, end))],
            )),
            "problem",
        ),
        Some(HostChange::Followed { .. }) => (
            Some(on(
                (D::BookingDetailsChangeFollowed, D::BookingDetailsChangeFollowedUnnamed),
                &[],
            )),
            tone,
        ),
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
        "created" => df(
            Dash::BookingDetailsHistoryBooked,
            &[("when", &span(change.new_start, change.new_end))],
        ),
        "rescheduled" => df(
            Dash::BookingDetailsHistoryRescheduled,
            &[
                ("from", &span(change.old_start, change.old_end)),
                ("to", &span(change.new_start, change.new_end)),
            ],
        ),
        "cancelled" => d(Dash::BookingDetailsStatusCancelled).to_owned(),
        "reassigned" => d(Dash::BookingDetailsHistoryReassigned).to_owned(),
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
