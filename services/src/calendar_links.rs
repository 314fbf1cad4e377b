//! "Add to calendar" links for people whose mail client ignores invitations: Google Calendar's
//! and Outlook on the web's event templates, with times in UTC.

use chrono::DateTime;

/// An event as the templates want it.
pub struct CalendarEntry<'a> {
    pub title: &'a str,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    pub details: &'a str,
    pub location: &'a str,
}

impl CalendarEntry<'_> {
    pub fn google(&self) -> String {
        format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}",
            encode(self.title),
            utc(self.start, "%Y%m%dT%H%M%SZ"),
            utc(self.end, "%Y%m%dT%H%M%SZ"),
            encode(self.details),
            encode(self.location)
        )
    }

    pub fn outlook(&self) -> String {
        format!(
            "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={}&startdt={}&enddt={}&body={}&location={}",
            encode(self.title),
            encode(&utc(self.start, "%Y-%m-%dT%H:%M:%SZ")),
            encode(&utc(self.end, "%Y-%m-%dT%H:%M:%SZ")),
            encode(self.details),
            encode(self.location)
        )
    }
}

fn utc(secs: i64, format: &str) -> String {
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format(format)
        .to_string()
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::CalendarEntry;

    #[test]
    fn calendar_links_carry_utc_times_and_encoded_text() {
        let entry = CalendarEntry {
            title: "Demo & Q/A",
            start: 1_796_095_800, // 2026-12-01T03:30:00Z
            end: 1_796_097_600,
            details: "Hi",
            location: "Video call",
        };
        assert!(
            entry
                .google()
                .contains("text=Demo%20%26%20Q%2FA&dates=20261201T033000Z/20261201T040000Z")
        );
        assert!(
            entry
                .outlook()
                .contains("startdt=2026-12-01T03%3A30%3A00Z&enddt=2026-12-01T04%3A00%3A00Z")
        );
    }
}
