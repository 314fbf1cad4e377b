//! One email as the product writes it: plain text and HTML alternatives, and, for booking mail,
//! the invitation both inline (`text/calendar; method=…`, which calendar-aware clients act on)
//! and as an `invite.ics` attachment (which every client can open).

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone)]
pub struct Letter {
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<CalendarPart>,
    /// Without angle brackets; the same for every attempt at the same message.
    pub message_id: String,
    /// Unix seconds.
    pub date: i64,
}

#[derive(Debug, Clone)]
pub struct CalendarPart {
    /// `REQUEST` or `CANCEL` (RFC 5546).
    pub method: &'static str,
    pub ics: String,
}

impl Letter {
    pub fn to_message(&self, from: &Mailbox) -> anyhow::Result<Message> {
        let mut alternatives = MultiPart::alternative()
            .singlepart(SinglePart::plain(self.text.clone()))
            .singlepart(SinglePart::html(self.html.clone()));
        let builder = Message::builder()
            .from(from.clone())
            .to(self.to.clone())
            .subject(&self.subject)
            .message_id(Some(format!("<{}>", self.message_id)))
            .date(SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(self.date).unwrap_or(0)));
        let Some(calendar) = &self.calendar else {
            return Ok(builder.multipart(alternatives)?);
        };
        let inline = ContentType::parse(&format!("text/calendar; charset=utf-8; method={}", calendar.method))?;
        alternatives = alternatives.singlepart(SinglePart::builder().header(inline).body(calendar.ics.clone()));
        let file =
            Attachment::new("invite.ics".to_owned()).body(calendar.ics.clone(), ContentType::parse("application/ics")?);
        Ok(builder.multipart(MultiPart::mixed().multipart(alternatives).singlepart(file))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every address a booking form accepts can be mailed: otherwise the booking is made and its
    /// confirmation dies in the queue.
    #[test]
    fn every_address_the_forms_accept_the_mailer_accepts_too() {
        let tricky = [
            "a..b@example.com",
            ".ada@example.com",
            "ada.@example.com",
            "o'brien@example.com",
            "ada+demo@mail.example.co.uk",
            "x_y-z@ex-ample.com",
            "a{b}|c/d=e?f^g`h~i@example.com",
            "#!$%&*@example.com",
            "ada@123.example.com",
            "ada@example.c",
            "ada@-example.com",
            "ada@example-.com",
            "ada@exa_mple.com",
            "élodie@exemple.fr",
            "ada@exämple.com",
        ];
        for raw in tricky {
            if domain::Email::parse(raw).is_ok() {
                assert!(
                    raw.parse::<lettre::Address>().is_ok(),
                    "{raw} is accepted but cannot be mailed"
                );
            }
        }
    }

    fn letter(calendar: Option<CalendarPart>) -> Letter {
        Letter {
            to: "Pat <pat@example.com>".parse().unwrap(),
            subject: "Confirmed: Demo".into(),
            text: "Hello".into(),
            html: "<p>Hello</p>".into(),
            calendar,
            message_id: "abc.confirmed.0.attendee@cal.example.com".into(),
            date: 1_800_000_000,
        }
    }

    #[test]
    fn a_booking_letter_carries_text_html_and_the_invitation_inline_and_attached() {
        let from: Mailbox = "Rendezvous <r@cal.example.com>".parse().unwrap();
        let ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n".to_owned();
        let raw = letter(Some(CalendarPart { method: "REQUEST", ics }))
            .to_message(&from)
            .unwrap()
            .formatted();
        let raw = String::from_utf8(raw).unwrap();
        for part in [
            "Message-ID: <abc.confirmed.0.attendee@cal.example.com>",
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "text/calendar; charset=utf-8; method=REQUEST",
            "filename=\"invite.ics\"",
        ] {
            assert!(raw.contains(part), "missing {part}:\n{raw}");
        }
    }

    #[test]
    fn a_letter_without_an_invitation_is_just_text_and_html() {
        let from: Mailbox = "r@cal.example.com".parse().unwrap();
        let raw = String::from_utf8(letter(None).to_message(&from).unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/alternative") && !raw.contains("text/calendar"));
    }
}
