//! The Calendar page's data: one member's week of bookings and calendar events, placed and
//! worded on the server in the viewer's zone (the browser has no time zone data), and the
//! members the viewer may look at.

use super::Choice;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One member's week, Monday first, as the Calendar page draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    pub member_name: String,
    /// The viewer looks at their own calendar (and so sees their events' titles).
    pub own: bool,
    /// The member connected at least one calendar; otherwise only bookings can show.
    pub connected: bool,
    /// The viewer's zone, which every time on the page is in.
    pub timezone: String,
    /// "18–24 January 2027".
    pub heading: String,
    /// Mondays as `YYYY-MM-DD`: this week, the one before, the one after.
    pub week: String,
    pub previous_week: String,
    pub next_week: String,
    /// The labels down the side ("08:00", …); the grid starts at the first and ends an hour
    /// after the last.
    pub hours: Vec<String>,
    /// How many all-day entries the busiest day has: the height of the all-day row on top.
    pub all_day_rows: usize,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// "Mon".
    pub weekday: String,
    /// "18".
    pub day_of_month: String,
    /// "Monday 18 January".
    pub label: String,
    /// The viewer's today.
    pub today: bool,
    /// All-day entries first, then the rest by start.
    pub entries: Vec<WeekEntry>,
}

/// A booking or calendar event on one day (one spanning days appears on each).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WeekEntry {
    pub booking: bool,
    pub title: String,
    /// "10:00–10:30", "All day".
    pub time: String,
    /// Where it comes from, for screen readers: "Booking", "Google Calendar event".
    pub source: String,
    /// The booking's page in the dashboard.
    pub href: Option<String>,
    /// Shown as free in the calendar: it does not block bookings.
    pub free: bool,
    /// Where it sits in the day's column; `None` for all-day entries, which sit on top.
    pub place: Option<Place>,
}

/// A timed entry's position, in minutes after the grid's first hour, and its lane among the
/// entries it overlaps (`lane` of `lanes` side by side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    pub start: u32,
    pub length: u32,
    pub lane: u32,
    pub lanes: u32,
}

/// Whose calendar the viewer may open: everyone for an admin, only themself otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarMembers {
    pub viewer_id: i64,
    pub choices: Vec<Choice>,
}

/// The week starting on the Monday on or before `week` (`YYYY-MM-DD`; anything else, such as
/// an empty or stale link, means this week) of `member` (`None`: the viewer).
#[server]
pub async fn load_calendar_week(member: Option<i64>, week: String) -> Result<CalendarView, AppError> {
    use chrono::NaiveDate;
    let services = crate::ssr::services()?;
    let set_status = crate::ssr::status_setter();
    let viewer = crate::ssr::signed_in().await?;
    let zone: chrono_tz::Tz = viewer.timezone.parse().unwrap_or(chrono_tz::UTC);
    let today = crate::ssr::local_naive_date(services.clock().now(), zone);
    let monday = present::monday_of(NaiveDate::parse_from_str(&week, "%Y-%m-%d").unwrap_or(today));
    let midnights = present::midnights(zone, monday);
    let span = (midnights[0], midnights[7]);
    let data = services
        .calendar_week(&viewer, member.unwrap_or(viewer.id), span)
        .await
        .map_err(|e| {
            let (status, error) = AppError::classify(e);
            set_status(status);
            error
        })?;
    Ok(present::week(data, &viewer, (zone, &midnights), monday, today))
}

#[server]
pub async fn load_calendar_members() -> Result<CalendarMembers, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let members = if viewer.role.is_admin() {
        services.members(&viewer).await?
    } else {
        vec![viewer.clone()]
    };
    Ok(CalendarMembers {
        viewer_id: viewer.id,
        choices: crate::ssr::member_choices(members),
    })
}

#[cfg(feature = "ssr")]
mod present {
    use super::{CalendarDay, CalendarView, Place, WeekEntry};
    use crate::lang::{Dash, d, df};
    use crate::ssr::Zone;
    use chrono::{Datelike, Days, NaiveDate, Timelike};
    use chrono_tz::Tz;
    use engine::{Boundary, resolve_local};
    use services::accounts::Member;
    use services::calendars::{CalendarEntry, CalendarWeek, EntryKind};

    /// The grid always shows these working hours, widened to fit the week's entries.
    const FIRST_HOUR: u32 = 8;
    const LAST_HOUR: u32 = 18;
    /// Shorter entries are drawn this tall, so overlap is judged by what is drawn.
    const SHORTEST_DRAWN: u32 = 20;
    const DAY_MINUTES: u32 = 24 * 60;

    pub fn monday_of(date: NaiveDate) -> NaiveDate {
        date - Days::new(date.weekday().num_days_from_monday().into())
    }

    /// Local midnight of each day from `monday` to the next Monday (eight instants).
    pub fn midnights(zone: Tz, monday: NaiveDate) -> Vec<i64> {
        (0..=7)
            .map(|d| resolve_local(zone, monday + Days::new(d), 0, Boundary::Start))
            .collect()
    }

    /// A timed entry's part within one day, in minutes after local midnight.
    struct Segment<'a> {
        entry: &'a CalendarEntry,
        from: u32,
        to: u32,
    }

    /// The view of `data`, the week from `monday` whose local midnights are `midnights`.
    pub fn week(
        data: CalendarWeek,
        viewer: &Member,
        (zone, midnights): (Tz, &[i64]),
        monday: NaiveDate,
        today: NaiveDate,
    ) -> CalendarView {
        let words = Zone::new(zone.name());
        let dates: Vec<NaiveDate> = (0..7).map(|d| monday + Days::new(d)).collect();
        let segments: Vec<Vec<Segment>> = (0..7)
            .map(|d| day_segments(&data.entries, &words, (midnights[d], midnights[d + 1])))
            .collect();
        let first_hour = segments
            .iter()
            .flatten()
            .map(|s| s.from / 60)
            .fold(FIRST_HOUR, u32::min);
        let last_hour = segments
            .iter()
            .flatten()
            .map(|s| s.to.max(s.from + SHORTEST_DRAWN).div_ceil(60).min(24))
            .fold(LAST_HOUR, u32::max);
        let days: Vec<CalendarDay> = dates
            .iter()
            .zip(&segments)
            .map(|(date, timed)| {
                let mut entries: Vec<WeekEntry> = data
                    .entries
                    .iter()
                    .filter(|e| e.all_day && covers(e, *date))
                    .map(|e| entry(e, d(Dash::CalendarAllDay).to_owned(), None))
                    .collect();
                let spans: Vec<(u32, u32)> = timed
                    .iter()
                    .map(|s| (s.from, s.to.max(s.from + SHORTEST_DRAWN)))
                    .collect();
                for (segment, (lane, lanes)) in timed.iter().zip(lanes(&spans)) {
                    let place = Place {
                        start: segment.from - first_hour * 60,
                        length: segment.to - segment.from,
                        lane,
                        lanes,
                    };
                    entries.push(entry(segment.entry, time(segment.entry, &words, *date), Some(place)));
                }
                CalendarDay {
                    date: date.to_string(),
                    weekday: date.format(d(Dash::FormatsWeekday)).to_string(),
                    day_of_month: date.format(d(Dash::FormatsDayOfMonth)).to_string(),
                    label: date.format(d(Dash::FormatsDayLabel)).to_string(),
                    today: *date == today,
                    entries,
                }
            })
            .collect();
        CalendarView {
            member_name: data.member.name,
            own: data.member.id == viewer.id,
            connected: !data.providers.is_empty(),
            timezone: words.name().to_owned(),
            heading: heading(dates[0], dates[6]),
            week: monday.to_string(),
            previous_week: (monday - Days::new(7)).to_string(),
            next_week: (monday + Days::new(7)).to_string(),
            hours: (first_hour..last_hour).map(|h| format!("{h:02}:00")).collect(),
            all_day_rows: days
                .iter()
                .map(|d| d.entries.iter().filter(|e| e.place.is_none()).count())
                .max()
                .unwrap_or(0),
            days,
        }
    }

    /// The timed entries overlapping `[start, end)`, clipped to it, by start.
    fn day_segments<'a>(entries: &'a [CalendarEntry], words: &Zone, (start, end): (i64, i64)) -> Vec<Segment<'a>> {
        let minute = |instant: i64| {
            let local = words.local(instant);
            local.hour() * 60 + local.minute()
        };
        entries
            .iter()
            .filter(|e| !e.all_day && e.start < end && (e.end > start || e.start >= start))
            .map(|e| {
                let from = if e.start <= start { 0 } else { minute(e.start) };
                let to = if e.end >= end { DAY_MINUTES } else { minute(e.end) };
                // In a fall-back fold the end's wall clock can come before the start's.
                Segment {
                    entry: e,
                    from,
                    to: to.max(from),
                }
            })
            .collect()
    }

    /// Whether an all-day entry (UTC midnights, see `CalendarEntry`) includes `date`.
    fn covers(entry: &CalendarEntry, date: NaiveDate) -> bool {
        let day = |instant: i64| chrono::DateTime::from_timestamp(instant, 0).map(|t| t.date_naive());
        day(entry.start).is_some_and(|first| first <= date) && day(entry.end).is_some_and(|after| date < after)
    }

    /// "10:00–10:30"; an entry that began on an earlier date names it.
    fn time(entry: &CalendarEntry, words: &Zone, date: NaiveDate) -> String {
        let times = words.times(entry.start, entry.end);
        if words.local(entry.start).date_naive() < date {
            let day = words.format(entry.start, d(Dash::FormatsShortDay));
            df(Dash::FormatsDayAndTimes, &[("day", &day), ("times", &times)])
        } else {
            times
        }
    }

    fn entry(entry: &CalendarEntry, time: String, place: Option<Place>) -> WeekEntry {
        let booking = entry.kind == EntryKind::Booking;
        let source = match entry.provider {
            _ if booking => d(Dash::CalendarSourceBooking).to_owned(),
            Some(provider) => df(Dash::CalendarSourceEvent, &[("calendar", provider.label())]),
            None => d(Dash::CalendarSourceCalendarEvent).to_owned(),
        };
        WeekEntry {
            booking,
            title: entry.title.clone(),
            time,
            source,
            href: entry
                .booking_uid
                .as_ref()
                .map(|uid| format!("/dashboard/bookings/{uid}")),
            free: !entry.busy,
            place,
        }
    }

    /// Side-by-side lanes for `spans` (sorted by start): each takes the first lane free at its
    /// start, and each group of overlapping spans shares its width between the lanes it needed.
    fn lanes(spans: &[(u32, u32)]) -> Vec<(u32, u32)> {
        let mut placed = vec![(0, 1); spans.len()];
        let mut lane_ends: Vec<u32> = Vec::new();
        let (mut group_start, mut group_end) = (0, 0);
        for (i, &(start, end)) in spans.iter().enumerate() {
            if start >= group_end {
                share(&mut placed[group_start..i], lane_ends.len());
                lane_ends.clear();
                group_start = i;
            }
            let lane = lane_ends.iter().position(|&e| e <= start).unwrap_or(lane_ends.len());
            if lane == lane_ends.len() {
                lane_ends.push(end);
            } else {
                lane_ends[lane] = end;
            }
            placed[i].0 = lane as u32;
            group_end = group_end.max(end);
        }
        share(&mut placed[group_start..], lane_ends.len());
        placed
    }

    fn share(group: &mut [(u32, u32)], lanes: usize) {
        for placed in group {
            placed.1 = lanes as u32;
        }
    }

    /// "18–24 January 2027", "25 January – 1 February 2027", "28 December 2026 – 3 January 2027".
    fn heading(first: NaiveDate, last: NaiveDate) -> String {
        let (start, range) = if first.year() != last.year() {
            (Dash::FormatsWeekFirst, Dash::FormatsWeekRange)
        } else if first.month() != last.month() {
            (Dash::FormatsWeekFirstSameYear, Dash::FormatsWeekRange)
        } else {
            (Dash::FormatsWeekFirstSameMonth, Dash::FormatsWeekSameMonth)
        };
        let first = first.format(d(start)).to_string();
        let last = last.format(d(Dash::FormatsWeekLast)).to_string();
        df(range, &[("first", &first), ("last", &last)])
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn overlapping_entries_share_the_width_and_later_ones_reuse_free_lanes() {
            let spans = [(0, 60), (30, 90), (60, 120), (200, 230)];
            assert_eq!(lanes(&spans), vec![(0, 2), (1, 2), (0, 2), (0, 1)]);
        }

        #[test]
        fn the_heading_names_month_and_year_once_unless_they_change() {
            let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
            assert_eq!(heading(date("2027-01-18"), date("2027-01-24")), "18–24 January 2027");
            assert_eq!(heading(date("2027-01-25"), date("2027-01-31")), "25–31 January 2027");
            assert_eq!(
                heading(date("2027-03-29"), date("2027-04-04")),
                "29 March – 4 April 2027"
            );
            assert_eq!(
                heading(date("2026-12-28"), date("2027-01-03")),
                "28 December 2026 – 3 January 2027"
            );
        }

        #[test]
        fn weeks_start_on_monday_at_local_midnight() {
            let sunday = NaiveDate::from_ymd_opt(2027, 1, 24).unwrap();
            let monday = monday_of(sunday);
            assert_eq!(monday.to_string(), "2027-01-18");
            let berlin: Tz = "Europe/Berlin".parse().unwrap();
            let edges = midnights(berlin, monday);
            assert_eq!((edges[0], edges[7] - edges[0]), (1_800_226_800, 7 * 86_400));
        }
    }
}
