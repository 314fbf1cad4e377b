//! iCalendar as CalDAV servers hold it: the occurrences of one resource's events within a
//! window, the periods of a `VFREEBUSY`, and a booking as the `VEVENT` we write.
//!
//! Servers that honour `<C:expand>` send each occurrence as its own `VEVENT` in UTC; one that
//! ignores it sends the master with its `RRULE`, `RDATE` and `EXDATE` and its overridden
//! occurrences (`RECURRENCE-ID`), which are expanded here with the `rrule` crate (through
//! `icalendar`), never by hand. Dates and floating times are read as UTC, like Google's all-day
//! events in the mirror.

use super::super::api::EventBody;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use icalendar::{
    Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike, EventStatus, Property,
};
use std::collections::HashSet;

const DAY: i64 = 86_400;
/// A recurring series yields at most this many occurrences per window (a daily meeting over the
/// sync window is about 400).
const MOST_OCCURRENCES: u16 = 2_000;

/// One occurrence of an event, as the two-way sync and busy time need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub title: String,
    pub start: i64,
    pub end: i64,
    pub all_day: bool,
    /// Opaque (`TRANSP` is not `TRANSPARENT`).
    pub busy: bool,
}

/// The live occurrences of the events in `ics` that overlap `[from, until)`, earliest first;
/// cancelled events and occurrences are left out.
pub(crate) fn occurrences(ics: &str, (from, until): (i64, i64)) -> Result<Vec<Occurrence>, String> {
    let calendar: Calendar = ics.parse()?;
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    let overridden: HashSet<i64> = events
        .iter()
        .filter_map(|e| e.get_recurrence_id())
        .map(|id| instant(&id).0)
        .collect();
    let mut found = Vec::new();
    for event in events {
        if event.get_status() == Some(EventStatus::Cancelled) {
            continue;
        }
        let Some(start) = event.get_start() else { continue };
        let (start_at, all_day) = instant(&start);
        let length = length(event, start_at, all_day);
        let shown = |start: i64| Occurrence {
            title: event.get_summary().unwrap_or_default().to_owned(),
            start,
            end: start + length,
            all_day,
            busy: event.property_value("TRANSP") != Some("TRANSPARENT"),
        };
        let recurring = event.get_recurrence_id().is_none()
            && (event.property_value("RRULE").is_some() || event.property_value("RDATE").is_some());
        if recurring {
            found.extend(
                series_starts(event, (from - length, until))?
                    .into_iter()
                    .filter(|start| !overridden.contains(start))
                    .map(shown),
            );
        } else {
            found.push(shown(start_at));
        }
    }
    found.retain(|o| o.start < until && from < o.end.max(o.start + 1));
    found.sort_by_key(|o| (o.start, o.end));
    Ok(found)
}

/// The starts of a recurring series in `(after, before)`.
fn series_starts(event: &icalendar::Event, (after, before): (i64, i64)) -> Result<Vec<i64>, String> {
    let set = event.get_recurrence().map_err(|e| e.to_string())?;
    let at = |secs: i64| rrule::Tz::UTC.timestamp_opt(secs, 0).single();
    let (Some(after), Some(before)) = (at(after), at(before)) else {
        return Ok(Vec::new());
    };
    let result = set.after(after).before(before).all(MOST_OCCURRENCES);
    Ok(result.dates.iter().map(DateTime::timestamp).collect())
}

/// How long the event lasts: `DTEND`, else `DURATION`, else a day for a date and nothing for a
/// time (RFC 5545 §3.6.1).
fn length(event: &icalendar::Event, start: i64, all_day: bool) -> i64 {
    if let Some(end) = event.get_end() {
        return (instant(&end).0 - start).max(0);
    }
    match event.property_value("DURATION").and_then(duration_secs) {
        Some(secs) => secs,
        None if all_day => DAY,
        None => 0,
    }
}

/// An RFC 5545 `DURATION` (`P1W`, `PT1H30M`, `P1DT2H`) in seconds; negative ones are refused.
fn duration_secs(raw: &str) -> Option<i64> {
    let rest = raw.trim().strip_prefix('+').unwrap_or(raw.trim()).strip_prefix('P')?;
    let (mut total, mut number, mut in_time) = (0_i64, String::new(), false);
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' => in_time = true,
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                total += n * match (unit, in_time) {
                    ('W', false) => 7 * DAY,
                    ('D', false) => DAY,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
            }
        }
    }
    number.is_empty().then_some(total)
}

/// A `DATE` (its midnight in UTC, all day) or a `DATE-TIME` as an instant. A time in a zone that
/// does not exist there (a DST gap) is read an hour later; a repeated one as its first
/// occurrence; an unknown `TZID` as UTC.
fn instant(value: &DatePerhapsTime) -> (i64, bool) {
    match value {
        DatePerhapsTime::Date(date) => (midnight(*date), true),
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(at)) => (at.timestamp(), false),
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(local)) => (local.and_utc().timestamp(), false),
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            (zoned(date_time, tzid), false)
        }
    }
}

fn midnight(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp())
}

fn zoned(local: &NaiveDateTime, tzid: &str) -> i64 {
    let Ok(zone) = tzid.parse::<chrono_tz::Tz>() else {
        return local.and_utc().timestamp();
    };
    zone.from_local_datetime(local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(*local + TimeDelta::hours(1))).earliest())
        .map_or_else(|| local.and_utc().timestamp(), |t| t.timestamp())
}

/// The busy periods of a `free-busy-query` answer (`FREEBUSY` lines whose `FBTYPE` is not
/// `FREE`; each value is a list of `start/end` or `start/duration` periods in UTC).
pub(crate) fn free_busy_periods(ics: &str) -> Vec<(i64, i64)> {
    let unfolded = ics
        .replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\n ", "")
        .replace("\n\t", "");
    let mut periods = Vec::new();
    for line in unfolded.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let mut parts = name.split(';');
        if !parts.next().is_some_and(|n| n.eq_ignore_ascii_case("FREEBUSY")) {
            continue;
        }
        let free = parts.any(|p| p.eq_ignore_ascii_case("FBTYPE=FREE"));
        if free {
            continue;
        }
        periods.extend(value.split(',').filter_map(period));
    }
    periods
}

fn period(raw: &str) -> Option<(i64, i64)> {
    let (start, end) = raw.trim().split_once('/')?;
    let start = utc(start)?;
    let end = match utc(end) {
        Some(end) => end,
        None => start + duration_secs(end)?,
    };
    (start < end).then_some((start, end))
}

fn utc(raw: &str) -> Option<i64> {
    NaiveDateTime::parse_from_str(raw.trim(), "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc().timestamp())
}

/// A booking as the `VCALENDAR` we `PUT`: the invitation's `UID` (so the emailed invite and
/// this event are one in calendar apps), times in UTC, and no `ATTENDEE` or `ORGANIZER`, so a
/// server that schedules (iCloud, Nextcloud) never mails the attendee a second invitation; the
/// attendee and guests are named in the description instead.
pub(crate) fn booking_event(body: &EventBody, stamp: i64) -> String {
    let utc = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default();
    let mut description = format!("{} <{}>", body.attendee_name, body.attendee_email);
    if !body.guests.is_empty() {
        description.push_str(&format!("\nGuests: {}", body.guests.join(", ")));
    }
    if !body.description.is_empty() {
        description.push_str("\n\n");
        description.push_str(&body.description);
    }
    let mut event = icalendar::Event::new();
    event
        .uid(&body.ical_uid)
        .timestamp(utc(stamp))
        .starts(body.start)
        .ends(body.end)
        .summary(&crate::invitation::text(&body.summary))
        .description(&crate::invitation::text(&description))
        .location(&crate::invitation::text(&body.location))
        .status(EventStatus::Confirmed)
        .append_property(Property::new(
            "X-RENDEZVOUS-BOOKING",
            crate::invitation::text(&body.booking_uid),
        ));
    Calendar::new().push(event.done()).done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: (i64, i64) = (1_798_761_600, 1_801_440_000); // January 2027 in UTC

    fn at(raw: &str) -> i64 {
        utc(raw).unwrap()
    }

    fn calendar(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n")
    }

    const WEEKLY_WITH_EXCEPTIONS: &str = "BEGIN:VEVENT\r\nUID:w\r\nDTSTART;TZID=Europe/Berlin:20270104T090000\r\n\
        DTEND;TZID=Europe/Berlin:20270104T100000\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\n\
        EXDATE;TZID=Europe/Berlin:20270111T090000\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:w\r\nRECURRENCE-ID;TZID=Europe/Berlin:20270118T090000\r\n\
        DTSTART;TZID=Europe/Berlin:20270118T140000\r\nDTEND;TZID=Europe/Berlin:20270118T150000\r\n\
        SUMMARY:Standup moved\r\nEND:VEVENT\r\n";

    #[test]
    fn a_weekly_series_is_expanded_without_its_excluded_date_and_with_its_moved_occurrence() {
        let found = occurrences(&calendar(WEEKLY_WITH_EXCEPTIONS), WINDOW).unwrap();
        let starts: Vec<(i64, &str)> = found.iter().map(|o| (o.start, o.title.as_str())).collect();
        assert_eq!(
            starts,
            [
                (at("20270104T080000Z"), "Standup"),
                (at("20270118T130000Z"), "Standup moved"),
                (at("20270125T080000Z"), "Standup"),
            ]
        );
        assert!(found.iter().all(|o| o.end - o.start == 3600 && o.busy && !o.all_day));
    }

    #[test]
    fn a_server_expanded_answer_is_read_as_it_stands() {
        let expanded = "BEGIN:VEVENT\r\nUID:w\r\nRECURRENCE-ID:20270104T080000Z\r\nDTSTART:20270104T080000Z\r\n\
            DTEND:20270104T090000Z\r\nSUMMARY:Standup\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:w\r\n\
            RECURRENCE-ID:20270118T080000Z\r\nDTSTART:20270118T130000Z\r\nDTEND:20270118T140000Z\r\n\
            SUMMARY:Standup moved\r\nEND:VEVENT\r\n";
        let starts: Vec<i64> = occurrences(&calendar(expanded), WINDOW)
            .unwrap()
            .iter()
            .map(|o| o.start)
            .collect();
        assert_eq!(starts, [at("20270104T080000Z"), at("20270118T130000Z")]);
    }

    #[test]
    fn cancelled_and_transparent_events_and_all_day_dates() {
        let events = "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20270105T100000Z\r\nDURATION:PT30M\r\nSTATUS:CANCELLED\r\n\
            END:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART:20270106T100000Z\r\nDURATION:PT1H30M\r\n\
            TRANSP:TRANSPARENT\r\nSUMMARY:Focus\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:c\r\n\
            DTSTART;VALUE=DATE:20270107\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\n";
        let found = occurrences(&calendar(events), WINDOW).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].end - found[0].start, found[0].busy), (5400, false));
        assert_eq!(
            (
                found[1].start,
                found[1].end - found[1].start,
                found[1].all_day,
                found[1].busy
            ),
            (at("20270107T000000Z"), DAY, true, true)
        );
    }

    #[test]
    fn a_time_in_a_dst_gap_is_read_an_hour_later_and_a_repeated_one_as_its_first() {
        let gap = NaiveDate::from_ymd_opt(2027, 3, 28)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(zoned(&gap, "Europe/Berlin"), at("20270328T013000Z"));
        let fold = NaiveDate::from_ymd_opt(2027, 10, 31)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(zoned(&fold, "Europe/Berlin"), at("20271031T003000Z"));
        assert_eq!(zoned(&fold, "Mars/Olympus"), at("20271031T023000Z"));
    }

    #[test]
    fn free_busy_lists_busy_periods_in_every_form() {
        let answer = "BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nFREEBUSY;FBTYPE=BUSY:20270104T080000Z/20270104T090000Z,\r\n \
            20270105T080000Z/PT30M\r\nFREEBUSY;FBTYPE=FREE:20270106T080000Z/20270106T090000Z\r\n\
            FREEBUSY:20270107T080000Z/20270107T081500Z\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            free_busy_periods(answer),
            [
                (at("20270104T080000Z"), at("20270104T090000Z")),
                (at("20270105T080000Z"), at("20270105T083000Z")),
                (at("20270107T080000Z"), at("20270107T081500Z")),
            ]
        );
    }

    #[test]
    fn durations_follow_rfc_5545() {
        assert_eq!(duration_secs("P1W"), Some(7 * DAY));
        assert_eq!(duration_secs("P1DT2H3M4S"), Some(DAY + 7384));
        assert_eq!(duration_secs("PT15M"), Some(900));
        assert_eq!(duration_secs("-PT15M"), None);
        assert_eq!(duration_secs("P1H"), None);
    }

    #[test]
    fn a_written_booking_reads_back_as_one_busy_occurrence_and_escapes_its_texts() {
        let body = EventBody {
            summary: "Demo with Eve\r\nATTENDEE:mailto:x@evil.test".into(),
            description: "Company: Acme".into(),
            start: DateTime::from_timestamp(at("20270112T090000Z"), 0).unwrap(),
            end: DateTime::from_timestamp(at("20270112T093000Z"), 0).unwrap(),
            time_zone: "Europe/Berlin".into(),
            attendee_email: "eve@example.com".into(),
            attendee_name: "Eve".into(),
            guests: vec!["sam@example.com".into()],
            location: "Phone".into(),
            meeting: None,
            booking_uid: "b1".into(),
            ical_uid: "b1@rendezvous.test".into(),
        };
        let ics = booking_event(&body, at("20270101T000000Z"));
        assert!(!ics.contains("\r\nATTENDEE"), "{ics}");
        assert!(ics.contains("UID:b1@rendezvous.test"));
        let found = occurrences(&ics, WINDOW).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].start, found[0].end, found[0].busy),
            (at("20270112T090000Z"), at("20270112T093000Z"), true)
        );
        assert!(found[0].title.starts_with("Demo with Eve"));
    }
}
