//! Slots from unsaved availability edits, computed in the browser by the same engine the server
//! uses, so the member sees the effect of an edit before saving it. Ranges that do not parse are
//! left out here; the editor shows their errors.

use crate::api::{OverrideText, PreviewData, RangeText};
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use domain::DayHours;
use engine::{
    Availability, Booking, BookingWindow, DayOverride, Host, HostId, LocalRange, Minutes, Request, Rules, WeeklyHours,
};

/// How far ahead the preview looks for free days.
const HORIZON_SECS: i64 = 62 * 86_400;

/// One local day of the preview: its label and its free start times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewDay {
    pub label: String,
    pub times: Vec<String>,
}

fn ranges(texts: &[RangeText]) -> Vec<LocalRange> {
    DayHours::parse(texts.iter().map(|r| (r.start.as_str(), r.end.as_str())))
        .ok()
        .map(|day| {
            day.ranges()
                .iter()
                .filter_map(|r| LocalRange::new(r.start.minutes(), r.end.minutes()).ok())
                .collect()
        })
        .unwrap_or_default()
}

fn rules(data: &PreviewData) -> Option<Rules> {
    let mut rules = Rules::new(Minutes(data.duration))
        .ok()?
        .with_interval(Minutes(data.interval))
        .ok()?;
    rules.buffer_before = Minutes(data.buffer_before);
    rules.buffer_after = Minutes(data.buffer_after);
    rules.minimum_notice = Minutes(data.minimum_notice);
    rules.window = BookingWindow::at_most(data.window_days);
    rules.daily_limit = data.daily_limit;
    Some(rules)
}

fn availability(zone: Tz, weekly: &[Vec<RangeText>], overrides: &[OverrideText]) -> Availability {
    let mut hours = WeeklyHours::default();
    for (day, texts) in weekly.iter().enumerate().take(7) {
        hours.set(weekday(day), ranges(texts));
    }
    let mut availability = Availability::new(zone, hours);
    for o in overrides {
        if let Ok(date) = NaiveDate::parse_from_str(&o.date, "%Y-%m-%d") {
            let rule = if o.ranges.is_empty() {
                DayOverride::Unavailable
            } else {
                DayOverride::Hours(ranges(&o.ranges))
            };
            availability.overrides.insert(date, rule);
        }
    }
    availability
}

fn weekday(index: usize) -> chrono::Weekday {
    use chrono::Weekday::*;
    [Mon, Tue, Wed, Thu, Fri, Sat, Sun][index % 7]
}

/// The first `days` local days with free times, in `zone` (unknown zones show nothing).
pub fn preview(
    data: &PreviewData,
    zone: &str,
    weekly: &[Vec<RangeText>],
    overrides: &[OverrideText],
    days: usize,
) -> Vec<PreviewDay> {
    let (Ok(tz), Some(rules)) = (zone.parse::<Tz>(), rules(data)) else {
        return Vec::new();
    };
    let host = Host {
        id: HostId(0),
        availability: availability(tz, weekly, overrides),
        bookings: data
            .bookings
            .iter()
            .map(|b| Booking {
                start: b.start,
                end: b.end,
                buffer_before: Minutes(b.buffer_before),
                buffer_after: Minutes(b.buffer_after),
                counts_toward_limit: b.counts_toward_limit,
            })
            .collect(),
        busy: Vec::new(),
    };
    let request = Request {
        now: data.now,
        from: data.now,
        until: data.now + HORIZON_SECS,
    };
    let slots = engine::host_slots(&host, &rules, &request);
    engine::group_by_local_date(&slots, tz)
        .into_iter()
        .take(days)
        .map(|(date, list)| PreviewDay {
            label: date.format("%a %-d %b").to_string(),
            times: list
                .iter()
                .filter_map(|s| tz.timestamp_opt(s.start, 0).single())
                .map(|t| t.format("%H:%M").to_string())
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> PreviewData {
        PreviewData {
            now: 1_800_000_000, // Fri 2027-01-15 09:00 in Berlin
            duration: 60,
            interval: 60,
            buffer_before: 0,
            buffer_after: 0,
            minimum_notice: 0,
            window_days: None,
            daily_limit: None,
            bookings: Vec::new(),
        }
    }

    fn range(start: &str, end: &str) -> RangeText {
        RangeText {
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn unsaved_split_hours_and_a_holiday_show_in_the_preview() {
        let mut weekly = vec![Vec::new(); 7];
        weekly[0] = vec![range("09:00", "10:00"), range("13:00", "14:00")];
        weekly[4] = vec![range("15:00", "17:00")];
        let holiday = OverrideText {
            date: "2027-01-18".into(),
            label: String::new(),
            ranges: Vec::new(),
        };
        let days = preview(&data(), "Europe/Berlin", &weekly, &[holiday], 2);
        assert_eq!(
            days[0],
            PreviewDay {
                label: "Fri 15 Jan".into(),
                times: vec!["15:00".into(), "16:00".into()]
            }
        );
        assert_eq!(days[1].label, "Fri 22 Jan", "Monday 18 is a holiday");
    }

    #[test]
    fn a_day_with_an_invalid_range_offers_nothing() {
        let mut weekly = vec![Vec::new(); 7];
        weekly[4] = vec![range("17:00", "09:00")];
        assert!(preview(&data(), "Europe/Berlin", &weekly, &[], 3).is_empty());
    }
}
