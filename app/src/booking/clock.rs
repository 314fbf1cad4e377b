//! Words for times the server sent as RFC 3339 with the viewer's offset: the wall clock is read
//! straight from the text, so the browser needs no time zone database. In the browser `Intl`
//! words them in the page's language (the early script in the document does the same before
//! the WASM arrives); on the server chrono's locale data does.

use chrono::{NaiveDate, NaiveDateTime};

/// How the viewer likes hours written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HourStyle {
    H24,
    H12,
}

/// The local wall clock of an RFC 3339 time, ignoring its offset. (Read by hand: chrono's
/// parsers would add their whole format machinery to the browser bundle.)
pub fn wall_clock(rfc3339: &str) -> Option<NaiveDateTime> {
    let (day, time) = rfc3339.get(..19)?.split_once('T')?;
    let field = |at: usize| number(time, at);
    date(day)?.and_hms_opt(field(0)?, field(3)?, field(6)?)
}

/// The instant of an RFC 3339 time with a numeric offset or `Z`, in Unix seconds.
pub fn instant(rfc3339: &str) -> Option<i64> {
    let local = wall_clock(rfc3339)?.and_utc().timestamp();
    let offset = match rfc3339.get(19..)? {
        "Z" | "z" => 0,
        offset => {
            let sign = match offset.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            sign * i64::from(number(offset, 1)? * 3600 + number(offset, 4)? * 60)
        }
    };
    Some(local - offset)
}

/// A `YYYY-MM-DD` date.
pub fn date(iso: &str) -> Option<NaiveDate> {
    let year = iso.get(..4)?.parse().ok()?;
    if iso.len() != 10 || iso.get(4..5)? != "-" || iso.get(7..8)? != "-" {
        return None;
    }
    NaiveDate::from_ymd_opt(year, number(iso, 5)?, number(iso, 8)?)
}

/// The two digits of `text` at `at`.
fn number(text: &str, at: usize) -> Option<u32> {
    let digits = text.get(at..at + 2)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())?
}

/// "09:30" or "9:30 am" (in the page's language).
pub fn time(rfc3339: &str, style: HourStyle) -> String {
    wall_clock(rfc3339).map_or_else(String::new, |t| words::time(t, style))
}

/// "Tuesday, 1 December 2026" (in the page's language).
pub fn long_date(day: NaiveDate) -> String {
    words::long_date(day)
}

/// "December 2026" (in the page's language).
pub fn month(first_day: NaiveDate) -> String {
    words::month(first_day)
}

/// "Tuesday" (in the page's language).
pub fn weekday(day: NaiveDate) -> String {
    words::weekday(day)
}

/// "09:30–10:00, Tuesday, 1 December 2026".
pub fn span(start: &str, end: &str, style: HourStyle) -> String {
    let day = wall_clock(start).map(|t| long_date(t.date())).unwrap_or_default();
    format!("{}–{}, {day}", time(start, style), time(end, style))
}

/// Server side (and tests): chrono with the catalogue's patterns.
#[cfg(not(feature = "hydrate"))]
mod words {
    use super::HourStyle;
    use crate::lang::Key;
    use chrono::{NaiveDate, NaiveDateTime};

    pub fn time(at: NaiveDateTime, style: HourStyle) -> String {
        match style {
            HourStyle::H24 => at.format("%H:%M").to_string(),
            HourStyle::H12 => at.format("%-I:%M %P").to_string(),
        }
    }

    pub fn long_date(day: NaiveDate) -> String {
        crate::lang::page_lang().date(day, Key::FormatLongDate)
    }

    pub fn month(first_day: NaiveDate) -> String {
        crate::lang::page_lang().date(first_day, Key::FormatMonth)
    }

    pub fn weekday(day: NaiveDate) -> String {
        crate::lang::page_lang().date(day, Key::FormatWeekday)
    }
}

/// In the browser: `Intl.DateTimeFormat` of the wall clock read as UTC, so no zone data is needed.
#[cfg(feature = "hydrate")]
mod words {
    use super::{HourStyle, NaiveDate, NaiveDateTime};
    use wasm_bindgen::JsValue;

    // Each option list is a static: its address names its cached formatter.
    static H24: &[(&str, &str)] = &[("hour", "2-digit"), ("minute", "2-digit"), ("hourCycle", "h23")];
    static H12: &[(&str, &str)] = &[("hour", "numeric"), ("minute", "2-digit"), ("hourCycle", "h12")];
    static LONG_DATE: &[(&str, &str)] = &[
        ("weekday", "long"),
        ("day", "numeric"),
        ("month", "long"),
        ("year", "numeric"),
    ];
    static MONTH: &[(&str, &str)] = &[("month", "long"), ("year", "numeric")];
    static WEEKDAY: &[(&str, &str)] = &[("weekday", "long")];

    thread_local! {
        /// Formatters by their options: making one costs far more than using it, and a month
        /// of times uses the same few hundreds of times.
        static FORMATS: std::cell::RefCell<Vec<(usize, js_sys::Function)>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn intl(at: NaiveDateTime, options: &'static [(&'static str, &'static str)]) -> String {
        let id = options.as_ptr() as usize;
        let format = FORMATS.with_borrow_mut(|formats| {
            if let Some((_, format)) = formats.iter().find(|(known, _)| *known == id) {
                return format.clone();
            }
            let settings = js_sys::Object::new();
            for (name, value) in options.iter().chain(&[("timeZone", "UTC")]) {
                let _ = js_sys::Reflect::set(&settings, &(*name).into(), &(*value).into());
            }
            let locales = js_sys::Array::of1(&crate::lang::intl_locale().into());
            let format = js_sys::Intl::DateTimeFormat::new(&locales, &settings).format();
            formats.push((id, format.clone()));
            format
        });
        let instant = js_sys::Date::new(&JsValue::from_f64(at.and_utc().timestamp_millis() as f64));
        format
            .call1(&JsValue::NULL, &instant)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    pub fn time(at: NaiveDateTime, style: HourStyle) -> String {
        match style {
            HourStyle::H24 => intl(at, H24),
            HourStyle::H12 => intl(at, H12),
        }
    }

    pub fn long_date(day: NaiveDate) -> String {
        intl(day.and_time(Default::default()), LONG_DATE)
    }

    pub fn month(first_day: NaiveDate) -> String {
        intl(first_day.and_time(Default::default()), MONTH)
    }

    pub fn weekday(day: NaiveDate) -> String {
        intl(day.and_time(Default::default()), WEEKDAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_from_the_text_in_either_hour_style() {
        let start = "2026-12-01T09:30:00+05:45";
        assert_eq!(time(start, HourStyle::H24), "09:30");
        assert_eq!(time(start, HourStyle::H12), "9:30 am");
        assert_eq!(time("2026-12-01T00:15:00-03:00", HourStyle::H12), "12:15 am");
        assert_eq!(time("2026-12-01T13:00:00Z", HourStyle::H12), "1:00 pm");
        assert_eq!(
            span(start, "2026-12-01T10:00:00+05:45", HourStyle::H24),
            "09:30–10:00, Tuesday, 1 December 2026"
        );
        assert_eq!(time("not a time", HourStyle::H24), "");
    }

    #[test]
    fn instants_and_dates_are_read_by_hand_as_chrono_reads_them() {
        for text in [
            "2026-12-01T09:30:00+05:45",
            "2027-03-14T01:59:00-05:00",
            "2026-12-01T13:00:00Z",
            "2026-02-28T23:00:00+13:45",
        ] {
            let expected = chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp();
            assert_eq!(instant(text), Some(expected), "{text}");
        }
        for bad in [
            "2026-13-01T09:30:00Z",
            "2026-12-01T25:00:00Z",
            "2026-12-01T09:30:00",
            "2026-12-01T09:30:00*01:00",
            "x",
        ] {
            assert_eq!(instant(bad), None, "{bad}");
        }
        assert_eq!(date("2028-02-29"), NaiveDate::from_ymd_opt(2028, 2, 29));
        for bad in ["2027-02-29", "2027-2-28", "2027/02/28", "2027-02-280"] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }
}
