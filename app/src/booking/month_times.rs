//! Loads a month of free times for the booking page (server only).

use super::api::{DayTimes, FreeMonth, FreeTime, Moving};
use super::month::Month;
use domain::{FieldErrors, TimeZoneName};
use services::{ServiceError, Services};

/// How many months ahead the page looks for the first free time when no month is asked for.
const LOOK_AHEAD_MONTHS: usize = 3;

/// Which event type's times, and the booking being moved, if any.
pub struct Place<'a> {
    pub team: &'a str,
    pub event: &'a str,
    pub moving: Option<&'a Moving>,
}

pub async fn load(services: &Services, place: Place<'_>, month: &str, zone: &str) -> Result<FreeMonth, ServiceError> {
    let event_type = services.cached_event_type(place.team, place.event).await?;
    let moving = match place.moving {
        Some(m) => Some(services.attendee_booking(&m.uid, &m.token).await?.record.id),
        None => None,
    };
    let zone = if zone.is_empty() {
        let hosts = services.host_rules(&event_type).await?;
        hosts
            .first()
            .map_or_else(|| "UTC".to_owned(), |h| h.member.timezone.clone())
    } else {
        zone.to_owned()
    };
    let mut errors = FieldErrors::new();
    let tz = errors.check("zone", TimeZoneName::parse(&zone)).map(|z| z.tz());
    let requested = if month.is_empty() {
        None
    } else {
        let parsed = Month::parse(month);
        if parsed.is_none() {
            errors.add("month", "Use YYYY-MM.");
        }
        parsed
    };
    errors.into_result()?;
    let tz = tz.unwrap_or(chrono_tz::UTC);
    let today = crate::ssr::local_naive_date(services.clock().now(), tz);
    if requested.is_some_and(|m| !domain::date_within_reach(m.first(), today)) {
        return Err(FieldErrors::single("month", "Pick a month within ten years of today.").into());
    }
    let this_month = Month::of(today);
    let first_shown = requested.unwrap_or(this_month).max(this_month);
    let mut shown = first_shown;
    let attempts = if requested.is_some() { 1 } else { LOOK_AHEAD_MONTHS };
    for _ in 0..attempts {
        let (first, last) = shown.days();
        let found = services
            .slots_by_day(&event_type, (first.max(today), last), tz, moving)
            .await?;
        if !found.is_empty() {
            let days = found
                .into_iter()
                .map(|(date, slots)| DayTimes {
                    date: date.to_string(),
                    times: slots
                        .iter()
                        .map(|s| FreeTime {
                            start: crate::ssr::rfc3339(s.start, tz),
                            end: crate::ssr::rfc3339(s.end, tz),
                        })
                        .collect(),
                })
                .collect();
            return Ok(month_times(tz, shown, this_month, days));
        }
        shown = shown.next();
    }
    Ok(month_times(tz, first_shown, this_month, Vec::new()))
}

fn month_times(tz: chrono_tz::Tz, month: Month, this_month: Month, days: Vec<DayTimes>) -> FreeMonth {
    FreeMonth {
        zone: tz.name().to_owned(),
        month: month.to_string(),
        this_month: this_month.to_string(),
        days,
    }
}
