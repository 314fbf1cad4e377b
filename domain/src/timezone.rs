use crate::Invalid;
use chrono_tz::Tz;
use std::fmt;

/// An IANA time zone name such as `Europe/Berlin`, known to the bundled tz database.
///
/// Rules are stored as local wall-clock times plus this name, never as a fixed offset, so that
/// daylight-saving changes are applied by the tz database rather than by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZoneName(Tz);

impl TimeZoneName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        raw.trim()
            .parse::<Tz>()
            .map(Self)
            .map_err(|_| Invalid::new("Choose a time zone from the list, like Europe/Berlin."))
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    pub fn as_str(self) -> &'static str {
        self.0.name()
    }

    /// Every canonical zone name, sorted, for pickers.
    pub fn all() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

impl serde::Serialize for TimeZoneName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name())
    }
}

#[cfg(test)]
mod tests {
    use super::TimeZoneName;

    #[test]
    fn known_zones_parse_and_keep_their_name() {
        assert_eq!(
            TimeZoneName::parse("Asia/Kathmandu").unwrap().as_str(),
            "Asia/Kathmandu"
        );
    }

    #[test]
    fn unknown_zones_and_offsets_are_rejected() {
        for raw in ["", "Mars/Olympus", "+05:45", "europe/berlin"] {
            assert!(TimeZoneName::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }
}
