//! The booking form's fields, validated once into domain types (server only).

use super::api::BookingForm;
use domain::{DisplayName, Email, FieldErrors, RawAnswer, TimeZoneName};
use services::bookings::{Attendee, Idempotency};

pub struct BookingRequest {
    pub start: i64,
    pub attendee: Attendee,
    pub idempotency: Idempotency,
}

/// A chosen start time: RFC 3339, within ten years of `now`.
pub fn start_time(raw: &str, now: i64) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| t.timestamp())
        .ok()
        .filter(|t| domain::instant_within_reach(*t, now))
}

/// `now` bounds the start: a time more than ten years away is refused like a malformed one.
pub fn parse(form: &BookingForm, now: i64) -> Result<BookingRequest, FieldErrors> {
    let BookingForm {
        start,
        name,
        email,
        zone,
        attempt,
        language,
        ..
    } = form;
    let mut errors = FieldErrors::new();
    let instant = start_time(start, now);
    if instant.is_none() {
        errors.add("start", "Pick a time.");
    }
    let name = errors.check("name", DisplayName::parse(name));
    let email = errors.check("email", Email::parse(email));
    let timezone = errors.check("zone", TimeZoneName::parse(zone));
    let guests = guest_emails(&form.guests, &mut errors);
    let attempt = attempt.trim();
    if attempt.is_empty() || attempt.len() > 255 {
        errors.add("attempt", "Reload the page and try again.");
    }
    match (instant, name, email, timezone) {
        (Some(start), Some(name), Some(email), Some(timezone)) if errors.is_empty() => {
            // Answers and guests are part of what was asked for: a retry must carry the same.
            let fingerprint = format!(
                "{start}\n{}\n{}\n{}\n{:?}\n{}",
                name.as_str(),
                email.as_str(),
                timezone.as_str(),
                form.answers,
                form.guests.trim()
            );
            Ok(BookingRequest {
                start,
                idempotency: Idempotency::of(format!("page:{attempt}"), fingerprint.as_bytes()),
                attendee: Attendee {
                    name,
                    email,
                    timezone,
                    answers: raw_answers(&form.answers),
                    guests,
                    language: i18n::Lang::from_code(language).unwrap_or_default(),
                },
            })
        }
        _ => Err(errors),
    }
}

fn raw_answers(
    given: &std::collections::BTreeMap<String, Vec<String>>,
) -> std::collections::BTreeMap<String, RawAnswer> {
    given
        .iter()
        .map(|(key, values)| {
            let raw = match values.as_slice() {
                [one] => RawAnswer::One(one.clone()),
                many => RawAnswer::Many(many.to_vec()),
            };
            (key.clone(), raw)
        })
        .collect()
}

/// The addresses in `raw` (separated by commas, semicolons, spaces or lines); a bad one is named.
fn guest_emails(raw: &str, errors: &mut FieldErrors) -> Vec<Email> {
    let mut guests = Vec::new();
    for candidate in raw
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        match Email::parse(candidate) {
            Ok(email) => guests.push(email),
            Err(_) => errors.add("guests", format!("{candidate} is not an email address.")),
        }
    }
    guests
}
