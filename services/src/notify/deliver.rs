//! Running a mail job: read the booking as it is now, write the message for its recipient and
//! hand it to the mailer. A job made stale by a later change of the booking sends nothing; the
//! later change has its own messages.

use super::render::{self, Context, Person};
use super::{MailJob, MailKind, Recipient};
use crate::Services;
use crate::booking_record::{self, BookingRecord, HostRecord};
use crate::invitation::{self, Extras};
use crate::jobs::JobFailure;
use crate::mail::{CalendarPart, Letter};
use chrono_tz::Tz;

impl Services {
    pub(crate) async fn deliver_booking_mail(&self, payload: &str) -> Result<(), JobFailure> {
        let job: MailJob = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        let Some((record, hosts)) = booking_record::for_job(self.db().pool(), job.booking_id, job.sequence)
            .await
            .map_err(JobFailure::transient)?
        else {
            return Ok(());
        };
        let Some(to) = self.recipient(&record, &hosts, &job.to).await? else {
            return Ok(());
        };
        let letter = self.booking_letter(&job, &record, &hosts, &to)?;
        self.send_job_letter(&letter, &job.key(&record.uid)).await?;
        tracing::info!(uid = %record.uid, kind = ?job.kind, "mail sent");
        Ok(())
    }

    /// `None` for a host who has left the team since.
    async fn recipient(
        &self,
        record: &BookingRecord,
        hosts: &[HostRecord],
        to: &Recipient,
    ) -> Result<Option<Person>, JobFailure> {
        let host = match to {
            Recipient::Attendee => {
                return Ok(Some(Person {
                    name: record.attendee_name.clone(),
                    email: record.attendee_email.clone(),
                    zone: zone(&record.attendee_timezone),
                }));
            }
            // Known by address only; they see times as the attendee who invited them does.
            Recipient::Guest(email) => {
                return Ok(Some(Person {
                    name: email.clone(),
                    email: email.clone(),
                    zone: zone(&record.attendee_timezone),
                }));
            }
            Recipient::Host(id) => match hosts.iter().find(|h| h.id == *id) {
                Some(host) => Some(host.clone()),
                None => booking_record::member(self.db().pool(), *id)
                    .await
                    .map_err(JobFailure::transient)?,
            },
        };
        Ok(host.map(|h| Person {
            zone: zone(&h.timezone),
            name: h.name,
            email: h.email,
        }))
    }

    /// Fails for good on an address that cannot be mailed (emails are validated when booked,
    /// so stored data went bad; retrying cannot help).
    fn booking_letter(
        &self,
        job: &MailJob,
        record: &BookingRecord,
        hosts: &[HostRecord],
        to: &Person,
    ) -> Result<Letter, JobFailure> {
        let address = to.email.parse().map_err(JobFailure::permanent)?;
        let manage = (job.to == Recipient::Attendee && !record.cancelled())
            .then(|| self.manage_token(record))
            .flatten()
            .map(|token| self.manage_links(&record.uid, &token, record.language()));
        let lang = match job.to {
            Recipient::Host(_) => i18n::Lang::ENGLISH,
            Recipient::Attendee | Recipient::Guest(_) => record.language(),
        };
        let context = Context {
            job,
            record,
            host_names: hosts.iter().map(|h| h.name.clone()).collect(),
            to,
            lang,
            dashboard: self.config().link(&format!("/dashboard/bookings/{}", record.uid)),
            manage,
        };
        let content = render::content(&context);
        let text = |key: i18n::Key, values: &[(&str, &str)]| render::fill(lang, key, values);
        let description = match (&context.manage, job.kind.cancels()) {
            (_, true) => match &record.cancel_reason {
                Some(reason) if job.kind == MailKind::Cancelled => {
                    text(i18n::Key::MailCalendarCancelledReason, &[("reason", reason)])
                }
                _ => text(i18n::Key::MailCalendarCancelled, &[]),
            },
            (Some(links), false) => links.description(),
            (None, false) if matches!(job.to, Recipient::Guest(_)) => {
                text(i18n::Key::MailCalendarBookedBy, &[("attendee", &record.attendee_name)])
            }
            (None, false) => text(i18n::Key::HostCalendarBooking, &[("link", &context.dashboard)]),
        };
        let domain = self.calendar_domain();
        let organizers = self.organizers(hosts.to_vec());
        let cancels = job.kind.cancels();
        let ics = invitation::to_ics(
            record,
            &organizers,
            cancels,
            &Extras {
                domain: &domain,
                description: &description,
                stamp: self.clock().now(),
            },
        );
        Ok(Letter {
            to: lettre::message::Mailbox::new(Some(to.name.clone()), address),
            subject: content.subject.clone(),
            text: content.text(),
            html: content.html(),
            calendar: Some(CalendarPart {
                method: invitation::method(cancels),
                ics,
            }),
            message_id: self.message_id(&job.key(&record.uid)),
            date: self.clock().now(),
        })
    }

    /// The attendee's manage token, kept sealed since booking; bookings made before mail was
    /// added have none and their mail goes without the links.
    pub(crate) fn manage_token(&self, record: &BookingRecord) -> Option<String> {
        let sealed = record.manage_token_sealed.as_deref()?;
        let plain = crate::bookings::manage_token_sealer(self).open(sealed).ok()?;
        String::from_utf8(plain).ok()
    }
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

impl Services {
    /// The Message-ID of the message a job with `key` sends: the same for every attempt.
    pub(crate) fn message_id(&self, key: &str) -> String {
        format!("{}@{}", key.replace(':', "."), self.calendar_domain())
    }

    /// Sends the letter of the job with `key`; retries of the job write the same outbox file.
    pub(crate) async fn send_job_letter(&self, letter: &Letter, key: &str) -> Result<(), JobFailure> {
        let message = letter
            .to_message(&self.config().mail.from)
            .map_err(JobFailure::permanent)?;
        self.inner.mailer.send(message, &file_stem(key)).await
    }
}

/// A file name for the outbox that is the same for every attempt at the same message.
fn file_stem(key: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(key.as_bytes())[..16])
}
