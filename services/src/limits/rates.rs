//! How much public traffic one client address, or one attendee email, may cause.

/// `burst` actions at once, refilled evenly over `per_secs` (a token bucket).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub per_secs: i64,
}

impl Rate {
    const fn new(burst: u32, per_secs: i64) -> Self {
        Self { burst, per_secs }
    }
}

/// One rate per bucket kind; `None` is unlimited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rates {
    /// Free-time lookups per client address (a booking page asks once per month shown).
    pub slots: Option<Rate>,
    /// Bookings per client address.
    pub booking: Option<Rate>,
    /// Bookings per attendee email: each one sends that address a confirmation.
    pub booking_email: Option<Rate>,
    /// Reschedules and cancellations through manage links, per client address.
    pub manage: Option<Rate>,
    /// The same per attendee email.
    pub manage_email: Option<Rate>,
    /// Attempts to connect a CalDAV account, per member: each one makes requests to a server
    /// the member names, with a password they may be guessing.
    pub caldav_connect: Option<Rate>,
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

impl Default for Rates {
    fn default() -> Self {
        Self {
            slots: Some(Rate::new(300, MINUTE)),
            booking: Some(Rate::new(30, HOUR)),
            booking_email: Some(Rate::new(5, HOUR)),
            manage: Some(Rate::new(30, HOUR)),
            manage_email: Some(Rate::new(10, HOUR)),
            caldav_connect: Some(Rate::new(10, HOUR)),
        }
    }
}

impl Rates {
    /// `off`, or entries overriding the defaults: `booking=100/h, slots=off`. Periods are
    /// `s`, `min`, `h` or `d`, optionally with a count (`30/10min`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("off") {
            return Ok(Self {
                slots: None,
                booking: None,
                booking_email: None,
                manage: None,
                manage_email: None,
                caldav_connect: None,
            });
        }
        let mut rates = Self::default();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (name, value) = entry.split_once('=').ok_or(format!("`{entry}` has no `=`"))?;
            let slot = match name.trim() {
                "slots" => &mut rates.slots,
                "booking" => &mut rates.booking,
                "booking-email" => &mut rates.booking_email,
                "manage" => &mut rates.manage,
                "manage-email" => &mut rates.manage_email,
                "caldav-connect" => &mut rates.caldav_connect,
                other => return Err(format!("unknown limit `{other}`")),
            };
            *slot = parse_rate(value.trim()).ok_or(format!("`{entry}` is not like `30/h` or `off`"))?;
        }
        Ok(rates)
    }
}

fn parse_rate(value: &str) -> Option<Option<Rate>> {
    if value.eq_ignore_ascii_case("off") {
        return Some(None);
    }
    let (count, period) = value.split_once('/')?;
    let burst: u32 = count.trim().parse().ok().filter(|n| *n > 0)?;
    let period = period.trim();
    let digits = period.find(|c: char| !c.is_ascii_digit()).unwrap_or(period.len());
    let (times, unit) = period.split_at(digits);
    let times: i64 = if times.is_empty() { 1 } else { times.parse().ok()? };
    let unit = match unit {
        "s" => 1,
        "min" => MINUTE,
        "h" => HOUR,
        "d" => 24 * HOUR,
        _ => return None,
    };
    let per_secs = times.checked_mul(unit).filter(|s| (1..=7 * 24 * HOUR).contains(s))?;
    Some(Some(Rate::new(burst, per_secs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_override_the_defaults_one_by_one() {
        let rates = Rates::parse("booking=100/h, slots=off, manage-email=3/10min").unwrap();
        assert_eq!(rates.booking, Some(Rate::new(100, HOUR)));
        assert_eq!(rates.slots, None);
        assert_eq!(rates.manage_email, Some(Rate::new(3, 600)));
        assert_eq!(rates.booking_email, Rates::default().booking_email);
    }

    #[test]
    fn off_switches_every_limit_off() {
        let rates = Rates::parse(" OFF ").unwrap();
        assert!(
            [
                rates.slots,
                rates.booking,
                rates.booking_email,
                rates.manage,
                rates.manage_email
            ]
            .iter()
            .all(Option::is_none)
        );
        assert_eq!(Rates::parse("").unwrap(), Rates::default());
    }

    #[test]
    fn malformed_entries_are_refused_with_their_text() {
        for bad in [
            "booking",
            "bookings=1/h",
            "booking=0/h",
            "booking=5/fortnight",
            "booking=5/0s",
            "slots=1/9999d",
        ] {
            assert!(Rates::parse(bad).is_err(), "{bad}");
        }
    }
}
