use crate::Invalid;
use chrono_tz::Tz;
use std::fmt;

/// An IANA time zone name such as `Europe/Berlin`, known to the bundled tz database.
///
/// Rules are stored as local wall-clock times plus this name, never as a fixed offset, so that
/// daylight-saving changes are applied by the tz database rather than by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZoneName(Tz);

mod places;

impl TimeZoneName {
    /// A known zone, under its current name: legacy spellings browsers still send
    /// (`Asia/Calcutta`, `US/Pacific`, `Europe/Kiev`) become the name that replaced them, so one
    /// place is stored, compared and shown under one name.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        let current = places::RENAMED
            .binary_search_by(|(legacy, _)| (*legacy).cmp(raw))
            .map_or(raw, |at| places::RENAMED[at].1);
        current
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

    /// The places pickers offer, sorted by zone: every location of the tz database with its
    /// country, and UTC.
    pub fn places() -> impl Iterator<Item = Place> {
        let utc = Place {
            zone: "UTC",
            city: "UTC",
            country: "",
            formerly: Vec::new(),
        };
        let located = places::LOCATIONS.iter().map(|&(zone, code)| Place {
            zone,
            city: city(zone),
            country: places::COUNTRIES
                .binary_search_by(|(known, _)| (*known).cmp(code))
                .map_or("", |at| places::COUNTRIES[at].1),
            formerly: places::RENAMED
                .iter()
                .filter(|(_, current)| *current == zone)
                .map(|(legacy, _)| city(legacy))
                .filter(|legacy| *legacy != city(zone))
                .collect(),
        });
        std::iter::once(utc).chain(located)
    }
}

/// A place a picker offers: `Asia/Kolkata`, "Kolkata", "India", formerly "Calcutta".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub zone: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    /// Older names of the same place (from legacy zone names), so typing them still finds it.
    pub formerly: Vec<&'static str>,
}

/// The last part of a zone name: `America/Argentina/Buenos_Aires` → `Buenos_Aires`.
fn city(zone: &'static str) -> &'static str {
    zone.rsplit('/').next().unwrap_or(zone)
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
    fn legacy_spellings_become_the_current_name_and_merged_places_keep_theirs() {
        for (legacy, current) in [
            ("Asia/Calcutta", "Asia/Kolkata"),
            ("US/Pacific", "America/Los_Angeles"),
            ("Europe/Kiev", "Europe/Kyiv"),
            (" Asia/Saigon ", "Asia/Ho_Chi_Minh"),
            ("Europe/Oslo", "Europe/Oslo"),
            ("UTC", "UTC"),
        ] {
            assert_eq!(TimeZoneName::parse(legacy).unwrap().as_str(), current, "{legacy}");
        }
    }

    #[test]
    fn every_place_offered_parses_under_its_own_name_with_a_country() {
        let places: Vec<_> = TimeZoneName::places().collect();
        assert!(places.len() > 300, "{}", places.len());
        for place in &places[1..] {
            assert_eq!(TimeZoneName::parse(place.zone).unwrap().as_str(), place.zone);
            assert!(!place.country.is_empty(), "{place:?}");
        }
        let kolkata = places.iter().find(|p| p.zone == "Asia/Kolkata").unwrap();
        assert_eq!(
            (kolkata.city, kolkata.country, kolkata.formerly.as_slice()),
            ("Kolkata", "India", &["Calcutta"][..])
        );
        assert!(super::places::RENAMED.is_sorted_by_key(|(legacy, _)| *legacy));
        assert!(super::places::COUNTRIES.is_sorted_by_key(|(code, _)| *code));
    }

    #[test]
    fn unknown_zones_and_offsets_are_rejected() {
        for raw in ["", "Mars/Olympus", "+05:45", "europe/berlin"] {
            assert!(TimeZoneName::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }
}
