//! The words of booking emails. A message is built once as plain parts (lines, facts, link
//! groups) and written out twice, as text and as HTML, so the two can never disagree.

use super::{MailJob, MailKind, Recipient};
use crate::booking_record::BookingRecord;
use crate::bookings::ManageLinks;
use crate::calendar_links::CalendarEntry;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub(super) fn kind_label(kind: MailKind) -> &'static str {
    match kind {
        MailKind::Confirmed => "Confirmation",
        MailKind::Rescheduled => "New time",
        MailKind::HostChanged => "New host",
        MailKind::Cancelled => "Cancellation",
        MailKind::Released => "Moved to another host",
        MailKind::Reminder24h => "Reminder a day before",
        MailKind::Reminder1h => "Reminder an hour before",
        MailKind::CalendarChanged => "A co-host's calendar change",
        MailKind::VideoLinkReady => "Video link",
    }
}

/// Who a message goes to, with the zone its times are written in.
pub(super) struct Person {
    pub name: String,
    pub email: String,
    pub zone: Tz,
}

/// Everything a message may mention.
pub(super) struct Context<'a> {
    pub job: &'a MailJob,
    pub record: &'a BookingRecord,
    pub host_names: Vec<String>,
    pub to: &'a Person,
    /// The attendee's links, while the booking can still be changed.
    pub manage: Option<ManageLinks>,
    /// The booking in the dashboard, for hosts.
    pub dashboard: String,
}

pub(super) struct Content {
    pub subject: String,
    pub lines: Vec<String>,
    /// Label and value; labels are ours, or a question as the team wrote it.
    pub facts: Vec<(String, String)>,
    pub links: Vec<(&'static str, Vec<(&'static str, String)>)>,
    pub footer: String,
}

pub(super) fn content(c: &Context<'_>) -> Content {
    let r = c.record;
    // Guests read what the attendee reads, from the attendee's side of the table.
    let attendee = !matches!(c.job.to, Recipient::Host(_));
    let hosts = c.host_names.join(", ");
    let short = short_when(r.start_at, c.to.zone);
    let other = if attendee {
        hosts.clone()
    } else {
        r.attendee_name.clone()
    };
    let subject = match c.job.kind {
        MailKind::Confirmed if attendee => format!("Confirmed: {} with {other}, {short}", r.title),
        MailKind::Confirmed => format!("New booking: {} with {other}, {short}", r.title),
        MailKind::Rescheduled => format!("Rescheduled: {} with {other}, {short}", r.title),
        MailKind::HostChanged => format!("New host: {} with {other}, {short}", r.title),
        MailKind::Cancelled => format!("Cancelled: {} with {other}, {short}", r.title),
        MailKind::Released => format!("Moved to another host: {} with {other}, {short}", r.title),
        MailKind::Reminder24h => format!("Reminder: {} with {other} tomorrow, {short}", r.title),
        MailKind::Reminder1h => format!("Reminder: {} with {other} in 1 hour, {short}", r.title),
        MailKind::CalendarChanged => format!("Changed by a co-host: {} with {other}, {short}", r.title),
        MailKind::VideoLinkReady => format!("Video link: {} with {other}, {short}", r.title),
    };
    let mut lines = vec![format!("Hi {},", c.to.name), opening(c)];
    if let (MailKind::Rescheduled, Some(previous)) = (c.job.kind, c.job.previous_start) {
        lines.push(format!(
            "It was {}.",
            long_when(previous, previous + (r.end_at - r.start_at), c.to.zone)
        ));
    }
    if let Some(change) = &c.job.calendar_change {
        lines.push(co_host_change(change, c.to.zone));
    }
    if let Some(reason) = r.cancel_reason.as_deref().filter(|_| c.job.kind == MailKind::Cancelled) {
        lines.push(format!("Reason: {reason}"));
    }
    if !c.job.kind.cancels() {
        lines.extend(meeting_line(r, attendee));
    }
    let mut facts: Vec<(String, String)> = [
        ("What", format!("{} ({} min)", r.title, (r.end_at - r.start_at) / 60)),
        ("When", long_when(r.start_at, r.end_at, c.to.zone)),
        (
            "With",
            if attendee {
                hosts
            } else {
                format!("{} <{}>", r.attendee_name, r.attendee_email)
            },
        ),
        ("Where", r.place()),
    ]
    .into_iter()
    .map(|(label, value)| (label.to_owned(), value))
    .collect();
    if !attendee {
        facts.extend(r.answers.iter().map(|a| (a.label.clone(), a.value.display())));
    }
    Content {
        subject,
        lines,
        facts,
        links: links(c),
        footer: format!("{} · scheduled with Rendezvous", r.team_name),
    }
}

fn opening(c: &Context<'_>) -> String {
    let r = c.record;
    if matches!(c.job.to, Recipient::Guest(_)) {
        return guest_opening(c.job.kind, &r.attendee_name);
    }
    let attendee = c.job.to == Recipient::Attendee;
    match (c.job.kind, attendee) {
        (MailKind::Confirmed, true) => "Your booking is confirmed.".to_owned(),
        (MailKind::Confirmed, false) => format!("{} booked a time with you.", r.attendee_name),
        (MailKind::Rescheduled, true) => "Your booking has moved to a new time.".to_owned(),
        (MailKind::Rescheduled, false) => format!("{} moved their booking to a new time.", r.attendee_name),
        (MailKind::HostChanged, _) => "Your booking has a new host; the time is unchanged.".to_owned(),
        (MailKind::Cancelled, true) => "Your booking has been cancelled.".to_owned(),
        (MailKind::Cancelled, false) => format!("The booking with {} has been cancelled.", r.attendee_name),
        (MailKind::Released, _) => "This booking moved to another host and is off your calendar.".to_owned(),
        (MailKind::Reminder24h, _) => "A reminder: this booking is tomorrow.".to_owned(),
        (MailKind::Reminder1h, _) => "A reminder: this booking starts in one hour.".to_owned(),
        (MailKind::CalendarChanged, _) => {
            "A co-host changed this meeting in their own calendar; the booking is unchanged.".to_owned()
        }
        (MailKind::VideoLinkReady, _) => "The video link for this meeting is ready; nothing else changed.".to_owned(),
    }
}

/// What to say about a video meeting that has no link yet: still being made, or refused by the
/// provider (hosts learn why and what to do).
fn meeting_line(r: &BookingRecord, attendee: bool) -> Option<String> {
    use crate::conferencing::MeetingState;
    let meeting = r.meeting.as_ref()?;
    match (meeting.state, attendee) {
        (MeetingState::Ready, _) => None,
        (MeetingState::Pending, _) => Some(format!(
            "The {} link follows in a separate email.",
            meeting.kind.label()
        )),
        (MeetingState::Failed, true) => Some("Your host will send you the link to join.".to_owned()),
        (MeetingState::Failed, false) => Some(format!(
            "Rendezvous could not create the {} meeting ({}). Send the attendee a link to join.",
            meeting.kind.label(),
            meeting.failure.as_deref().unwrap_or("the provider refused")
        )),
    }
}

fn guest_opening(kind: MailKind, attendee_name: &str) -> String {
    match kind {
        MailKind::Rescheduled => "This meeting has moved to a new time.".to_owned(),
        MailKind::HostChanged => "This meeting has a new host; the time is unchanged.".to_owned(),
        MailKind::Cancelled => "This meeting has been cancelled.".to_owned(),
        MailKind::VideoLinkReady => "The video link for this meeting is ready; nothing else changed.".to_owned(),
        _ => format!("{attendee_name} added you as a guest to this meeting."),
    }
}

/// "Ada moved their copy in Google Calendar to …" and what that means for the booking.
fn co_host_change(change: &super::CalendarChange, zone: Tz) -> String {
    let what = match change.moved_to {
        Some((start, end)) => format!(
            "moved their copy in {} to {}",
            change.calendar,
            long_when(start, end, zone)
        ),
        None => format!("deleted their copy in {}", change.calendar),
    };
    format!(
        "{} {what}. A meeting with several hosts is never moved or cancelled by one host's calendar: talk \
         to your co-hosts, and move or cancel the booking in Rendezvous if it should change.",
        change.by
    )
}

fn links(c: &Context<'_>) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    // Guests have the attached invitation; the manage and dashboard links are not theirs.
    if c.job.kind.cancels() || matches!(c.job.to, Recipient::Guest(_)) {
        return Vec::new();
    }
    let r = c.record;
    let Some(manage) = &c.manage else {
        return vec![("Your calendar", vec![("Open in the dashboard", c.dashboard.clone())])];
    };
    let location = r.place();
    let description = manage.description();
    let entry = CalendarEntry {
        title: &r.title,
        start: r.start_at,
        end: r.end_at,
        details: &description,
        location: &location,
    };
    vec![
        (
            "Add to your calendar",
            vec![
                ("Google Calendar", entry.google()),
                ("Outlook", entry.outlook()),
                ("Download .ics", manage.ics.clone()),
            ],
        ),
        (
            "Need a change?",
            vec![
                ("Reschedule", manage.reschedule.clone()),
                ("Cancel", manage.cancel.clone()),
            ],
        ),
    ]
}

/// "Mon 8 Mar 2027 10:00 (Europe/Berlin)".
fn short_when(start: i64, zone: Tz) -> String {
    format!("{} ({})", local(start, zone).format("%a %-d %b %Y %H:%M"), zone.name())
}

/// "Monday 8 March 2027, 10:00–10:30 (Europe/Berlin, UTC+01:00)"; the end gets its own date when
/// it falls on another day.
pub(super) fn long_when(start: i64, end: i64, zone: Tz) -> String {
    let (from, until) = (local(start, zone), local(end, zone));
    let end_text = if from.date_naive() == until.date_naive() {
        until.format("%H:%M").to_string()
    } else {
        until.format("%A %-d %B %Y %H:%M").to_string()
    };
    format!(
        "{}–{end_text} ({}, UTC{})",
        from.format("%A %-d %B %Y, %H:%M"),
        zone.name(),
        from.format("%:z")
    )
}

fn local(secs: i64, zone: Tz) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
}

impl Content {
    pub(super) fn text(&self) -> String {
        let mut out = self.lines.join("\n\n");
        out.push_str("\n\n");
        for (label, value) in &self.facts {
            out.push_str(&format!("{label}: {value}\n"));
        }
        for (heading, links) in &self.links {
            out.push_str(&format!("\n{heading}\n"));
            for (label, url) in links {
                out.push_str(&format!("  {label}: {url}\n"));
            }
        }
        out.push_str(&format!("\n-- \n{}\n", self.footer));
        out
    }

    pub(super) fn html(&self) -> String {
        let mut body = String::new();
        for line in &self.lines {
            body.push_str(&format!("<p style=\"margin:0 0 12px\">{}</p>", escape(line)));
        }
        body.push_str("<table role=\"presentation\" style=\"border-collapse:collapse;margin:16px 0\">");
        for (label, value) in &self.facts {
            body.push_str(&format!(
                "<tr><th scope=\"row\" style=\"text-align:left;padding:4px 16px 4px 0;color:#555;vertical-align:top\">{}</th>\
                 <td style=\"padding:4px 0\">{}</td></tr>",
                escape(label),
                escape(value)
            ));
        }
        body.push_str("</table>");
        for (heading, links) in &self.links {
            body.push_str(&format!(
                "<h2 style=\"font-size:15px;margin:20px 0 8px\">{}</h2><p style=\"margin:0\">",
                escape(heading)
            ));
            for (label, url) in links {
                body.push_str(&format!(
                    "<a href=\"{}\" style=\"display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border:1px solid #4f46e5;border-radius:6px;color:#4f46e5;text-decoration:none\">{}</a>",
                    escape(url),
                    escape(label)
                ));
            }
            body.push_str("</p>");
        }
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2330;line-height:1.5;max-width:560px;margin:0 auto;padding:24px\">\
             {body}<p style=\"margin-top:32px;color:#777;font-size:13px\">{}</p></body></html>",
            escape(&self.subject),
            escape(&self.footer)
        )
    }
}

/// HTML-escapes text from users (names, notes, reasons) and from us alike.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_the_recipients_zone_with_its_offset() {
        let start = 1_804_928_400; // 2027-03-13T09:00:00Z
        let kathmandu: Tz = "Asia/Kathmandu".parse().unwrap();
        assert_eq!(
            long_when(start, start + 1800, kathmandu),
            "Saturday 13 March 2027, 14:45–15:15 (Asia/Kathmandu, UTC+05:45)"
        );
        let late = 1_804_973_400; // 2027-03-13T21:30:00Z, the next morning in +13:45
        let chatham: Tz = "Pacific/Chatham".parse().unwrap();
        assert_eq!(
            long_when(late - 3600, late, chatham),
            "Sunday 14 March 2027, 10:15–11:15 (Pacific/Chatham, UTC+13:45)"
        );
        assert_eq!(short_when(start, kathmandu), "Sat 13 Mar 2027 14:45 (Asia/Kathmandu)");
    }

    #[test]
    fn html_escapes_what_people_typed() {
        assert_eq!(
            escape("<b>\"Tom\" & 'Jerry'</b>\nhi"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;<br>hi"
        );
    }
}
