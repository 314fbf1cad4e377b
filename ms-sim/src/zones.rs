//! Time zones as Graph takes them: IANA names or Windows names (`Pacific Standard Time`), in
//! `dateTimeTimeZone` values (`{"dateTime": "2026-03-15T12:00:00.0000000", "timeZone": …}`, a wall
//! clock without offset) and in `Prefer: outlook.timezone`. The Windows names are CLDR's
//! `windowsZones` mapping for the "001" territory.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Windows zone name → its CLDR representative IANA zone.
const WINDOWS: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Bishkek"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

/// A zone as the client named it, with the rules behind the name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    pub tz: Tz,
    /// The name as given: Graph echoes the caller's spelling.
    pub name: String,
}

impl Zone {
    pub fn utc() -> Self {
        Zone {
            tz: Tz::UTC,
            name: "UTC".to_owned(),
        }
    }

    /// An IANA name, or a Windows name (case-insensitive, as Exchange compares them).
    pub fn parse(name: &str) -> Option<Self> {
        let tz = name.parse::<Tz>().ok().or_else(|| {
            WINDOWS
                .iter()
                .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
                .and_then(|(_, iana)| iana.parse::<Tz>().ok())
        })?;
        Some(Zone {
            tz,
            name: name.to_owned(),
        })
    }

    /// The Windows name for this zone when there is one (how Exchange reports mailbox settings).
    pub fn windows_name(&self) -> String {
        if self.tz == Tz::UTC || self.tz == Tz::Etc__UTC {
            return "UTC".to_owned();
        }
        WINDOWS
            .iter()
            .find(|(_, iana)| *iana == self.tz.name())
            .map_or_else(|| self.name.clone(), |(windows, _)| (*windows).to_owned())
    }

    /// The instant a wall-clock time names here (the earlier one in a fold, the shifted one in a gap).
    pub fn instant(&self, wall: NaiveDateTime) -> DateTime<Utc> {
        let local = self.tz.from_local_datetime(&wall);
        local
            .earliest()
            .or_else(|| {
                self.tz
                    .from_local_datetime(&(wall + chrono::TimeDelta::hours(1)))
                    .earliest()
            })
            .map_or_else(|| wall.and_utc(), |t| t.with_timezone(&Utc))
    }

    /// Graph's wall-clock rendering: seven fractional digits, no offset.
    pub fn wall(&self, instant: DateTime<Utc>) -> String {
        let local = instant.with_timezone(&self.tz);
        format!(
            "{}.{:07}",
            local.format("%Y-%m-%dT%H:%M:%S"),
            local.timestamp_subsec_nanos() / 100
        )
    }
}

/// A `dateTime` as Graph writes wall clocks; an offset or `Z` is refused (the zone goes in
/// `timeZone`).
pub fn parse_wall(raw: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").ok()
}

/// Graph's UTC timestamps (`createdDateTime`…): seven fractional digits and `Z`.
pub fn timestamp(instant: DateTime<Utc>) -> String {
    format!("{}Z", Zone::utc().wall(instant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_windows_name_maps_to_a_zone_chrono_tz_knows() {
        for (windows, iana) in WINDOWS {
            assert!(Zone::parse(windows).is_some(), "{windows} → {iana}");
        }
    }

    #[test]
    fn windows_and_iana_names_name_the_same_instant_and_keep_their_spelling() {
        let wall = parse_wall("2026-03-15T09:00:00").unwrap();
        let windows = Zone::parse("pacific standard time").unwrap();
        let iana = Zone::parse("America/Los_Angeles").unwrap();
        assert_eq!(windows.instant(wall), iana.instant(wall));
        assert_eq!(windows.name, "pacific standard time");
        assert_eq!(iana.windows_name(), "Pacific Standard Time");
        assert_eq!(Zone::parse("Mars/Olympus"), None);
    }

    #[test]
    fn wall_clocks_have_seven_fractional_digits_and_reject_offsets() {
        let instant = "2026-03-15T16:00:00Z".parse().unwrap();
        assert_eq!(
            Zone::parse("Pacific Standard Time").unwrap().wall(instant),
            "2026-03-15T09:00:00.0000000"
        );
        assert_eq!(timestamp(instant), "2026-03-15T16:00:00.0000000Z");
        assert!(parse_wall("2026-03-15T09:00:00.1234567").is_some());
        assert!(parse_wall("2026-03-15T09:00:00Z").is_none());
        assert!(parse_wall("2026-03-15T09:00:00+01:00").is_none());
    }
}
