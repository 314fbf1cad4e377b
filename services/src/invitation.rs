//! A booking as an iCalendar invitation (RFC 5545, with the RFC 5546 method): one stable `UID`
//! per booking and its `SEQUENCE`, so calendar apps update the same event instead of adding one.

use crate::booking_record::{self, BookingRecord, HostRecord};
use crate::{ServiceError, Services, tokens};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};

/// What the invitation says besides the booking itself.
pub struct Extras<'a> {
    /// The domain that makes the booking uid globally unique.
    pub domain: &'a str,
    pub description: &'a str,
    pub stamp: i64,
}

/// The RFC 5546 method of a booking's invitation: a cancelled booking cancels the event.
pub fn method(cancelled: bool) -> &'static str {
    if cancelled { "CANCEL" } else { "REQUEST" }
}

/// The `.ics` text of `record` with its first host as organizer and the others as attendees.
/// `cancelled` is the state this copy announces: a booking moved away from a host is cancelled
/// for that host while it stays confirmed for everyone else.
pub fn to_ics(record: &BookingRecord, hosts: &[HostRecord], cancelled: bool, extras: &Extras<'_>) -> String {
    let utc = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default();
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("{}@{}", record.uid, extras.domain))
        .sequence(u32::try_from(record.sequence).unwrap_or(0))
        .timestamp(utc(extras.stamp))
        .starts(utc(record.start_at))
        .ends(utc(record.end_at))
        .summary(&text(&record.title))
        .description(&text(&description(record, extras.description)))
        .location(&text(&record.place()))
        .status(if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(url) = record.meeting_url() {
        event.url(url);
    }
    if let Some((organizer, others)) = hosts.split_first() {
        event.append_property(person("ORGANIZER", &organizer.name, &organizer.email));
        for host in others {
            event.append_property(attendee(&host.name, &host.email));
        }
    }
    event.append_property(attendee(&record.attendee_name, &record.attendee_email));
    for guest in &record.guests {
        event.append_property(attendee(guest, guest));
    }
    Calendar::new()
        .append_property(Property::new("METHOD", method(cancelled)))
        .push(event.done())
        .done()
        .to_string()
}

/// The description, led by the meeting's join link when the booking has its own meeting: the
/// link is what an attendee opens the event for.
fn description(record: &BookingRecord, rest: &str) -> String {
    match (&record.meeting, record.meeting_url()) {
        (Some(meeting), Some(url)) => format!("Join {}: {url}\n\n{rest}", meeting.kind.label()),
        _ => rest.to_owned(),
    }
}

fn attendee(name: &str, email: &str) -> Property {
    person("ATTENDEE", name, email)
        .add_parameter("ROLE", "REQ-PARTICIPANT")
        .add_parameter("PARTSTAT", "ACCEPTED")
        .done()
}

fn person(role: &str, name: &str, email: &str) -> Property {
    Property::new(role, format!("mailto:{email}"))
        .add_parameter("CN", &parameter(name))
        .done()
}

/// A TEXT value (RFC 5545 §3.3.11). The writer escapes line feeds as `\n` but passes a bare
/// carriage return, which some readers take as the end of the line (and the rest as a property
/// of the attacker's choosing): line breaks are made line feeds, other control characters go.
pub(crate) fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| matches!(c, '\n' | '\t') || !c.is_control())
        .collect()
}

/// A parameter value (a person's name in `CN`) encoded as RFC 6868 says: `^` as `^^`, `"` as
/// `^'` and line breaks as `^n`, so a name can never close its quotes and add parameters.
fn parameter(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for c in text(value).chars() {
        match c {
            '^' => encoded.push_str("^^"),
            '"' => encoded.push_str("^'"),
            '\n' => encoded.push_str("^n"),
            c => encoded.push(c),
        }
    }
    encoded
}

impl Services {
    /// The booking's `.ics` file, for whoever holds its manage token (the attendee).
    pub async fn invitation_file(&self, uid: &str, token: &str) -> Result<String, ServiceError> {
        let pool = self.db().pool();
        let record = booking_record::by_manage_token(pool, uid, &tokens::digest(token))
            .await?
            .ok_or(ServiceError::NotFound)?;
        let hosts = self.organizers(booking_record::hosts(pool, record.id).await?);
        let description = self.manage_links(uid, token, record.language()).description();
        Ok(to_ics(
            &record,
            &hosts,
            record.cancelled(),
            &Extras {
                domain: &self.calendar_domain(),
                description: &description,
                stamp: self.clock().now(),
            },
        ))
    }

    /// The booking's hosts, or the team's sender when none is left (every host removed), so an
    /// invitation always names an organizer.
    pub(crate) fn organizers(&self, hosts: Vec<HostRecord>) -> Vec<HostRecord> {
        if !hosts.is_empty() {
            return hosts;
        }
        let from = &self.config().mail.from;
        vec![HostRecord {
            id: 0,
            name: from.name.clone().unwrap_or_else(|| "Rendezvous".to_owned()),
            email: from.email.to_string(),
            timezone: "UTC".to_owned(),
        }]
    }

    /// The host part of every calendar UID and Message-ID this instance makes.
    pub(crate) fn calendar_domain(&self) -> String {
        self.config().public_url.host_str().unwrap_or("rendezvous").to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{parameter, text};

    #[test]
    fn names_are_encoded_so_they_cannot_add_parameters() {
        let eve = r#""Eve";ROLE=CHAIR;SENT-BY="mailto:eve@evil.example""#;
        assert_eq!(parameter(eve), "^'Eve^';ROLE=CHAIR;SENT-BY=^'mailto:eve@evil.example^'");
        assert_eq!(parameter("a^b\r\nc"), "a^^b^nc");
    }

    #[test]
    fn carriage_returns_become_line_feeds_and_other_controls_go() {
        assert_eq!(text("Room 1\rX-INJECTED:yes\u{0}"), "Room 1\nX-INJECTED:yes");
        assert_eq!(text("a\r\nb\tc"), "a\nb\tc");
    }
}
