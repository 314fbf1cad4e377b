//! The availability page's server side: parse the editor's strings into `domain` hours, call the
//! schedule services as the signed-in member, and shape the answers for the page.

use crate::api::{AvailabilityData, Choice, OverrideText, PreviewBooking, PreviewData, RangeText};
use crate::error::AppError;
use crate::lang::{Dash, d};
use chrono::NaiveDate;
use domain::{DayHours, FieldErrors, Invalid, TimeZoneName, WeeklySchedule};
use engine::BookingWindow;
use services::Services;
use services::accounts::Member;

const DAY: i64 = 86_400;
/// How far ahead the preview looks; its bookings cover the same span.
const PREVIEW_DAYS: i64 = 62;

fn ranges_text(day: &DayHours) -> Vec<RangeText> {
    day.ranges()
        .iter()
        .map(|r| RangeText {
            start: r.start.to_string(),
            end: r.end.to_string(),
        })
        .collect()
}

fn day_hours(ranges: &[RangeText]) -> Result<DayHours, Invalid> {
    DayHours::parse(ranges.iter().map(|r| (r.start.as_str(), r.end.as_str())))
}

fn date(raw: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| Invalid::new(d(Dash::AvailabilityInvalidDate)))
}

/// The member to show: the viewer, or (for admins) the one asked for. Context lookups happen
/// before the first await (see `status_setter`).
async fn member_or_self(services: &Services, viewer: &Member, member: Option<i64>) -> Result<Member, AppError> {
    let set_status = super::status_setter();
    let id = member.unwrap_or(viewer.id);
    services.manageable_member(viewer, id).await.map_err(|e| {
        let e = AppError::from(e);
        set_status(match e {
            AppError::Forbidden => 403,
            _ => 404,
        });
        e
    })
}

pub async fn load(member: Option<i64>) -> Result<AvailabilityData, AppError> {
    let services = super::services()?;
    let viewer = super::signed_in().await?;
    let member = member_or_self(&services, &viewer, member).await?;
    let (member, schedule) = services.weekly_schedule(&viewer, member.id).await?;
    let members = if viewer.role.is_admin() {
        services.members(&viewer).await?
    } else {
        vec![viewer.clone()]
    };
    let event_types = services
        .team_event_types(&viewer)
        .await?
        .into_iter()
        .filter(|e| e.host_ids.contains(&member.id))
        .map(|e| Choice {
            value: e.event_type.slug,
            label: e.event_type.title,
        })
        .collect();
    let today = super::local_day(services.clock().now(), &member.timezone);
    let overrides = overrides_text(&services, &viewer, member.id).await?;
    let preview = preview_for(&services, &viewer, member.id, None).await?;
    Ok(AvailabilityData {
        member_id: member.id,
        member_name: member.name.clone(),
        members: crate::ssr::member_choices(members),
        timezone: member.timezone.clone(),
        weekly: schedule.0.iter().map(ranges_text).collect(),
        overrides,
        preview,
        event_types,
        today,
    })
}

async fn overrides_text(services: &Services, viewer: &Member, member: i64) -> Result<Vec<OverrideText>, AppError> {
    let found = services.date_overrides(viewer, member, None).await?;
    Ok(found
        .into_iter()
        .map(|o| OverrideText {
            date: o.date.format("%Y-%m-%d").to_string(),
            label: o.date.format(d(Dash::FormatsOverrideDate)).to_string(),
            ranges: ranges_text(&o.hours),
        })
        .collect())
}

pub async fn save_weekly(member: i64, timezone: &str, days: &[Vec<RangeText>]) -> Result<(), AppError> {
    let services = super::services()?;
    let viewer = super::signed_in().await?;
    let mut errors = FieldErrors::new();
    let zone = errors.check("timezone", TimeZoneName::parse(timezone));
    let mut schedule = WeeklySchedule::default();
    for (index, ranges) in days.iter().enumerate().take(7) {
        if let Some(day) = errors.check(&format!("day-{index}"), day_hours(ranges)) {
            schedule.0[index] = day;
        }
    }
    if !errors.is_empty() {
        return Err(super::invalid(errors));
    }
    services.set_weekly_schedule(&viewer, member, &schedule, zone).await?;
    Ok(())
}

pub async fn save_override(member: i64, dates: &[String], ranges: &[RangeText]) -> Result<Vec<OverrideText>, AppError> {
    let services = super::services()?;
    let viewer = super::signed_in().await?;
    let mut errors = FieldErrors::new();
    let hours = errors.check("hours", day_hours(ranges));
    let dates: Vec<NaiveDate> = dates.iter().filter_map(|d| errors.check("dates", date(d))).collect();
    if dates.is_empty() {
        errors.add("dates", d(Dash::AvailabilityNoDatesPicked));
    }
    let Some(hours) = hours.filter(|_| errors.is_empty()) else {
        return Err(super::invalid(errors));
    };
    for day in dates {
        services.set_date_override(&viewer, member, day, &hours).await?;
    }
    overrides_text(&services, &viewer, member).await
}

pub async fn delete_override(member: i64, day: &str) -> Result<Vec<OverrideText>, AppError> {
    let services = super::services()?;
    let viewer = super::signed_in().await?;
    let day = date(day).map_err(|e| super::invalid(FieldErrors::single("date", e.0)))?;
    services.delete_date_override(&viewer, member, day).await?;
    overrides_text(&services, &viewer, member).await
}

pub async fn preview_inputs(member: i64, slug: String) -> Result<Option<PreviewData>, AppError> {
    let services = super::services()?;
    let viewer = super::signed_in().await?;
    preview_for(&services, &viewer, member, Some(slug)).await
}

/// Preview inputs for `slug` (default: the first event type the member hosts); `None` when the
/// member hosts none.
async fn preview_for(
    services: &Services,
    viewer: &Member,
    member: i64,
    slug: Option<String>,
) -> Result<Option<PreviewData>, AppError> {
    let member = services.manageable_member(viewer, member).await?.id;
    let mut hosted = services
        .team_event_types(viewer)
        .await?
        .into_iter()
        .filter(|e| e.host_ids.contains(&member));
    let Some(managed) = (match slug {
        Some(slug) => hosted.find(|e| e.event_type.slug == slug),
        None => hosted.next(),
    }) else {
        return Ok(None);
    };
    let rules = managed.event_type.rules()?;
    let now = services.clock().now();
    let span = (now - 3 * DAY, now + PREVIEW_DAYS * DAY);
    let bookings = services
        .member_bookings(viewer, member, managed.event_type.id, span)
        .await?;
    Ok(Some(PreviewData {
        now,
        duration: rules.duration.0,
        interval: rules.interval.0,
        buffer_before: rules.buffer_before.0,
        buffer_after: rules.buffer_after.0,
        minimum_notice: rules.minimum_notice.0,
        window_days: match rules.window {
            BookingWindow::Unlimited => None,
            BookingWindow::Days(d) => Some(d),
        },
        daily_limit: rules.daily_limit,
        bookings: bookings
            .into_iter()
            .map(|b| PreviewBooking {
                start: b.start,
                end: b.end,
                buffer_before: b.buffer_before.0,
                buffer_after: b.buffer_after.0,
                counts_toward_limit: b.counts_toward_limit,
            })
            .collect(),
    }))
}
