//! Dates and times in a language, on the server: the pattern is the catalogue's (`[format]`), the
//! day and month names come from chrono's locale data (glibc's, maintained with chrono).

use crate::{Key, Lang};
use chrono::{DateTime, Locale, NaiveDate, TimeZone};
use std::fmt::Display;

impl Lang {
    fn locale(self) -> Locale {
        self.chrono_locale().parse().unwrap_or(Locale::en_US)
    }

    /// `day` written with the pattern under `pattern` (a `format.*` key).
    pub fn date(self, day: NaiveDate, pattern: Key) -> String {
        day.format_localized(self.text(pattern), self.locale()).to_string()
    }

    /// `at` written with the pattern under `pattern` (a `format.*` key), in `at`'s own zone.
    pub fn date_time<Tz: TimeZone>(self, at: &DateTime<Tz>, pattern: Key) -> String
    where
        Tz::Offset: Display,
    {
        at.format_localized(self.text(pattern), self.locale()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let long = |code: &str| Lang::from_code(code).unwrap().date(day, Key::FormatLongDate);
        assert_eq!(long("en"), "Tuesday, 1 December 2026");
        assert!(long("de").contains("Dezember"), "{}", long("de"));
        assert!(long("fr").contains("décembre"), "{}", long("fr"));
        assert!(long("ja").contains("2026年12月1日"), "{}", long("ja"));
        let every_locale_parses = Lang::all().all(|l| l.chrono_locale().parse::<Locale>().is_ok());
        assert!(every_locale_parses);
    }
}
