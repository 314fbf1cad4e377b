//! The words of booking emails. A message is built once as plain parts (lines, facts, link
//! groups) and written out twice, as text and as HTML, so the two can never disagree.

use super::{MailJob, MailKind, Recipient};
use crate::booking_record::BookingRecord;
use crate::bookings::ManageLinks;
use crate::calendar_links::CalendarEntry;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use i18n::{Key, Lang};

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
    /// What the message is written in: the attendee's language for them and their guests,
    /// English for hosts.
    pub lang: Lang,
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
    pub links: Vec<(String, Vec<(String, String)>)>,
    pub footer: String,
}

pub(super) fn content(c: &Context<'_>) -> Content {
    let r = c.record;
    let lang = c.lang;
    // Guests read what the attendee reads, from the attendee's side of the table.
    let attendee = !matches!(c.job.to, Recipient::Host(_));
    let hosts = c.host_names.join(", ");
    let short = short_when(r.start_at, c.to.zone, lang);
    let other = if attendee {
        hosts.clone()
    } else {
        r.attendee_name.clone()
    };
    let subject = i18n::fill(
        lang.text(subject_key(c.job.kind, attendee)),
        &[("title", &r.title), ("with", &other), ("when", &short)],
    );
    let mut lines = vec![fill(lang, Key::MailGreeting, &[("name", &c.to.name)]), opening(c)];
    if let (MailKind::Rescheduled, Some(previous)) = (c.job.kind, c.job.previous_start) {
        let when = long_when(previous, previous + (r.end_at - r.start_at), c.to.zone, lang);
        lines.push(fill(lang, Key::MailItWas, &[("when", &when)]));
    }
    if let Some(change) = &c.job.calendar_change {
        lines.push(co_host_change(change, c.to.zone));
    }
    if let Some(reason) = r.cancel_reason.as_deref().filter(|_| c.job.kind == MailKind::Cancelled) {
        lines.push(fill(lang, Key::MailReason, &[("reason", reason)]));
    }
    if !c.job.kind.cancels() {
        lines.extend(meeting_line(r, attendee, lang));
    }
    let minutes = ((r.end_at - r.start_at) / 60).to_string();
    let mut facts: Vec<(String, String)> = [
        (
            Key::MailWhat,
            fill(lang, Key::MailWhatValue, &[("title", &r.title), ("minutes", &minutes)]),
        ),
        (Key::MailWhen, long_when(r.start_at, r.end_at, c.to.zone, lang)),
        (
            Key::MailWith,
            if attendee {
                hosts
            } else {
                format!("{} <{}>", r.attendee_name, r.attendee_email)
            },
        ),
        (Key::MailWhere, r.place_in(lang)),
    ]
    .into_iter()
    .map(|(label, value)| (lang.text(label).to_owned(), value))
    .collect();
    if !attendee {
        facts.extend(r.answers.iter().map(|a| (a.label.clone(), a.value.display())));
    }
    Content {
        subject,
        lines,
        facts,
        links: links(c),
        footer: fill(lang, Key::MailFooter, &[("team", &r.team_name)]),
    }
}

/// The text of `key` in `lang` with its `{placeholders}` filled.
pub(super) fn fill(lang: Lang, key: Key, values: &[(&str, &str)]) -> String {
    i18n::fill(lang.text(key), values)
}

fn subject_key(kind: MailKind, attendee: bool) -> Key {
    match kind {
        MailKind::Confirmed if attendee => Key::MailSubjectConfirmed,
        MailKind::Confirmed => Key::HostSubjectNewBooking,
        MailKind::Rescheduled => Key::MailSubjectRescheduled,
        MailKind::HostChanged => Key::MailSubjectHostChanged,
        MailKind::Cancelled => Key::MailSubjectCancelled,
        MailKind::Released => Key::HostSubjectReleased,
        MailKind::Reminder24h => Key::MailSubjectReminder24h,
        MailKind::Reminder1h => Key::MailSubjectReminder1h,
        MailKind::CalendarChanged => Key::HostSubjectCalendarChanged,
        MailKind::VideoLinkReady => Key::MailSubjectVideoLink,
    }
}

fn opening(c: &Context<'_>) -> String {
    let r = c.record;
    let lang = c.lang;
    if matches!(c.job.to, Recipient::Guest(_)) {
        return guest_opening(c.job.kind, &r.attendee_name, lang);
    }
    let attendee = c.job.to == Recipient::Attendee;
    let key = match (c.job.kind, attendee) {
        (MailKind::Confirmed, true) => Key::MailConfirmed,
        (MailKind::Confirmed, false) => Key::HostBooked,
        (MailKind::Rescheduled, true) => Key::MailRescheduled,
        (MailKind::Rescheduled, false) => Key::HostRescheduled,
        (MailKind::HostChanged, _) => Key::MailHostChanged,
        (MailKind::Cancelled, true) => Key::MailCancelled,
        (MailKind::Cancelled, false) => Key::HostCancelled,
        (MailKind::Released, _) => Key::HostReleased,
        (MailKind::Reminder24h, _) => Key::MailReminder24h,
        (MailKind::Reminder1h, _) => Key::MailReminder1h,
        (MailKind::CalendarChanged, _) => Key::HostCalendarChanged,
        (MailKind::VideoLinkReady, _) => Key::MailVideoLinkReady,
    };
    fill(lang, key, &[("attendee", &r.attendee_name)])
}

/// What to say about a video meeting that has no link yet: still being made, or refused by the
/// provider (hosts learn why and what to do).
fn meeting_line(r: &BookingRecord, attendee: bool, lang: Lang) -> Option<String> {
    use crate::conferencing::MeetingState;
    let meeting = r.meeting.as_ref()?;
    let name = meeting.kind.label();
    match (meeting.state, attendee) {
        (MeetingState::Ready, _) => None,
        (MeetingState::Pending, _) => Some(fill(lang, Key::MailLinkFollows, &[("meeting", name)])),
        (MeetingState::Failed, true) => Some(lang.text(Key::MailHostSendsLink).to_owned()),
        (MeetingState::Failed, false) => {
            let why = meeting.failure.as_deref().unwrap_or(lang.text(Key::HostMeetingRefused));
            Some(fill(lang, Key::HostMeetingFailed, &[("meeting", name), ("why", why)]))
        }
    }
}

fn guest_opening(kind: MailKind, attendee_name: &str, lang: Lang) -> String {
    let key = match kind {
        MailKind::Rescheduled => Key::MailGuestRescheduled,
        MailKind::HostChanged => Key::MailGuestHostChanged,
        MailKind::Cancelled => Key::MailGuestCancelled,
        MailKind::VideoLinkReady => Key::MailVideoLinkReady,
        _ => Key::MailGuestAdded,
    };
    fill(lang, key, &[("attendee", attendee_name)])
}

/// "Ada moved their copy in Google Calendar to …" and what that means for the booking (hosts
/// only, so English).
fn co_host_change(change: &super::CalendarChange, zone: Tz) -> String {
    let lang = Lang::ENGLISH;
    match change.moved_to {
        Some((start, end)) => {
            let when = long_when(start, end, zone, lang);
            let values = [
                ("who", change.by.as_str()),
                ("calendar", change.calendar.as_str()),
                ("when", &when),
            ];
            fill(lang, Key::HostCoHostMoved, &values)
        }
        None => {
            let values = [("who", change.by.as_str()), ("calendar", change.calendar.as_str())];
            fill(lang, Key::HostCoHostDeleted, &values)
        }
    }
}

fn links(c: &Context<'_>) -> Vec<(String, Vec<(String, String)>)> {
    // Guests have the attached invitation; the manage and dashboard links are not theirs.
    if c.job.kind.cancels() || matches!(c.job.to, Recipient::Guest(_)) {
        return Vec::new();
    }
    let r = c.record;
    let text = |key: Key| c.lang.text(key).to_owned();
    let Some(manage) = &c.manage else {
        return vec![(
            text(Key::HostYourCalendar),
            vec![(text(Key::HostOpenDashboard), c.dashboard.clone())],
        )];
    };
    let location = r.place_in(c.lang);
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
            text(Key::MailAddToCalendar),
            vec![
                (text(Key::MailGoogleCalendar), entry.google()),
                (text(Key::MailOutlook), entry.outlook()),
                (text(Key::MailDownloadIcs), manage.ics.clone()),
            ],
        ),
        (
            text(Key::MailNeedChange),
            vec![
                (text(Key::MailReschedule), manage.reschedule.clone()),
                (text(Key::MailCancel), manage.cancel.clone()),
            ],
        ),
    ]
}

/// "Mon 8 Mar 2027 10:00 (Europe/Berlin)" in `lang`.
fn short_when(start: i64, zone: Tz, lang: Lang) -> String {
    format!(
        "{} ({})",
        lang.date_time(&local(start, zone), Key::FormatShortDateTime),
        zone.name()
    )
}

/// "Monday 8 March 2027, 10:00–10:30 (Europe/Berlin, UTC+01:00)" in `lang`; the end gets its own
/// date when it falls on another day.
pub(super) fn long_when(start: i64, end: i64, zone: Tz, lang: Lang) -> String {
    let (from, until) = (local(start, zone), local(end, zone));
    let end_key = if from.date_naive() == until.date_naive() {
        Key::FormatTime
    } else {
        Key::FormatDateTime
    };
    let when = format!(
        "{}–{}",
        lang.date_time(&from, Key::FormatDateTime),
        lang.date_time(&until, end_key)
    );
    let offset = from.format("%:z").to_string();
    fill(
        lang,
        Key::MailWhenValue,
        &[("when", &when), ("zone", zone.name()), ("offset", &offset)],
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
            long_when(start, start + 1800, kathmandu, Lang::ENGLISH),
            "Saturday 13 March 2027, 14:45–15:15 (Asia/Kathmandu, UTC+05:45)"
        );
        let late = 1_804_973_400; // 2027-03-13T21:30:00Z, the next morning in +13:45
        let chatham: Tz = "Pacific/Chatham".parse().unwrap();
        assert_eq!(
            long_when(late - 3600, late, chatham, Lang::ENGLISH),
            "Sunday 14 March 2027, 10:15–11:15 (Pacific/Chatham, UTC+13:45)"
        );
        assert_eq!(
            short_when(start, kathmandu, Lang::ENGLISH),
            "Sat 13 Mar 2027 14:45 (Asia/Kathmandu)"
        );
        let german = Lang::from_code("de").unwrap();
        let when = long_when(start, start + 1800, kathmandu, german);
        assert!(when.starts_with("Samstag, 13. März 2027, 14:45–"), "{when}");
    }

    #[test]
    fn html_escapes_what_people_typed() {
        assert_eq!(
            escape("<b>\"Tom\" & 'Jerry'</b>\nhi"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;<br>hi"
        );
    }
}
