//! Members' weekly hours and date overrides, stored as local wall-clock minutes in the member's
//! zone. Read and written as `domain` schedules; handed to the engine as `engine::Availability`.

use crate::accounts::Member;
use crate::event_types::EventType;
use crate::slot_cache::HostRules;
use crate::{ServiceError, Services};
use chrono::{NaiveDate, Weekday};
use domain::{ClockTime, DayHours, TimeRange, TimeZoneName, WeeklySchedule};
use engine::{Availability, DayOverride, LocalRange, WeeklyHours};
use sqlx::{Any, Transaction};
use std::collections::BTreeMap;

/// Every new member starts with Monday to Friday, 09:00–17:00 in their own time zone.
pub(crate) async fn insert_default_hours(
    tx: &mut Transaction<'static, Any>,
    member_id: i64,
) -> Result<(), sqlx::Error> {
    for weekday in 0..5i64 {
        insert_range(tx, member_id, weekday, (540, 1020)).await?;
    }
    Ok(())
}

async fn insert_range(
    tx: &mut Transaction<'static, Any>,
    member_id: i64,
    weekday: i64,
    (start, end): (i64, i64),
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO weekly_hours (member_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)")
        .bind(member_id)
        .bind(weekday)
        .bind(start)
        .bind(end)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A stored range; CHECK constraints make a bad one an internal error, never user input.
fn stored_range(start: i64, end: i64) -> Result<TimeRange, ServiceError> {
    let time = |m: i64| {
        u16::try_from(m)
            .ok()
            .and_then(ClockTime::from_minutes)
            .ok_or_else(|| anyhow::anyhow!("stored minute {m} out of range"))
    };
    TimeRange::new(time(start)?, time(end)?).map_err(|e| anyhow::anyhow!("stored range: {e}").into())
}

fn stored_day(ranges: Vec<TimeRange>) -> Result<DayHours, ServiceError> {
    DayHours::new(ranges).map_err(|e| anyhow::anyhow!("stored hours overlap: {e}").into())
}

fn engine_ranges(day: &DayHours) -> Result<Vec<LocalRange>, ServiceError> {
    day.ranges()
        .iter()
        .map(|r| {
            LocalRange::new(r.start.minutes(), r.end.minutes())
                .map_err(|e| ServiceError::internal(anyhow::anyhow!("range: {e}")))
        })
        .collect()
}

/// A date override: the date's replacement hours, none meaning unavailable all day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateOverride {
    pub date: NaiveDate,
    pub hours: DayHours,
}

impl Services {
    /// A member's rules, ready for the engine.
    pub async fn availability(&self, member: &Member) -> Result<Availability, ServiceError> {
        let (schedule, overrides) =
            tokio::try_join!(self.stored_schedule(member.id), self.stored_overrides(member.id, None))?;
        engine_availability(member, &schedule, overrides)
    }

    /// The event type's hosts taking bookings, each with their rules, read afresh in three
    /// queries sent together whatever the number of hosts. Booking waits for these before its
    /// transaction, and a pair of reads per host, host after host, made a 20-host type's booking
    /// 40 round trips slower.
    pub(crate) async fn hosts_with_rules(&self, event_type: &EventType) -> Result<Vec<HostRules>, ServiceError> {
        let pool = self.db().pool();
        let weekly = sqlx::query_as::<_, (i64, i64, i64, i64)>(
            "SELECT w.member_id, w.weekday, w.start_minute, w.end_minute FROM weekly_hours w \
             JOIN event_type_hosts h ON h.member_id = w.member_id WHERE h.event_type_id = $1 \
             ORDER BY w.member_id, w.weekday, w.start_minute",
        )
        .bind(event_type.id)
        .fetch_all(pool);
        let overrides = sqlx::query_as::<_, (i64, String, Option<i64>, Option<i64>)>(
            "SELECT o.member_id, o.day, o.start_minute, o.end_minute FROM date_overrides o \
             JOIN event_type_hosts h ON h.member_id = o.member_id WHERE h.event_type_id = $1 \
             ORDER BY o.member_id, o.day, o.start_minute",
        )
        .bind(event_type.id)
        .fetch_all(pool);
        let (members, weekly, overrides) =
            tokio::try_join!(self.event_type_hosts(event_type), async { Ok(weekly.await?) }, async {
                Ok(overrides.await?)
            })?;
        members
            .into_iter()
            .map(|member| {
                let schedule = schedule_from_rows(
                    weekly
                        .iter()
                        .filter(|r| r.0 == member.id)
                        .map(|&(_, weekday, start, end)| (weekday, start, end)),
                )?;
                let overrides = overrides_from_rows(
                    overrides
                        .iter()
                        .filter(|r| r.0 == member.id)
                        .map(|(_, day, start, end)| (day.as_str(), *start, *end)),
                )?;
                let availability = engine_availability(&member, &schedule, overrides)?;
                Ok(HostRules { member, availability })
            })
            .collect()
    }

    /// [`Self::hosts_with_rules`] as the engine's hosts are built: members and their rules apart.
    pub(crate) async fn hosts_and_availabilities(
        &self,
        event_type: &EventType,
    ) -> Result<(Vec<Member>, Vec<Availability>), ServiceError> {
        let hosts = self.hosts_with_rules(event_type).await?;
        Ok(hosts.into_iter().map(|h| (h.member, h.availability)).unzip())
    }

    /// The member's weekly schedule, if the actor may see it (themself, or an admin of the team).
    pub async fn weekly_schedule(
        &self,
        actor: &Member,
        member_id: i64,
    ) -> Result<(Member, WeeklySchedule), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let schedule = self.stored_schedule(member.id).await?;
        Ok((member, schedule))
    }

    /// Replaces the member's weekly schedule (and their time zone, when given) in one transaction.
    pub async fn set_weekly_schedule(
        &self,
        actor: &Member,
        member_id: i64,
        schedule: &WeeklySchedule,
        timezone: Option<TimeZoneName>,
    ) -> Result<(Member, WeeklySchedule), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let mut tx = self.db().begin_write().await?;
        sqlx::query("DELETE FROM weekly_hours WHERE member_id = $1")
            .bind(member.id)
            .execute(&mut *tx)
            .await?;
        for (weekday, day) in (0i64..).zip(schedule.0.iter()) {
            for range in day.ranges() {
                let minutes = (i64::from(range.start.minutes()), i64::from(range.end.minutes()));
                insert_range(&mut tx, member.id, weekday, minutes).await?;
            }
        }
        sqlx::query("UPDATE members SET hours_set_at = $1 WHERE id = $2")
            .bind(self.clock().now())
            .bind(member.id)
            .execute(&mut *tx)
            .await?;
        if let Some(zone) = timezone {
            sqlx::query("UPDATE members SET timezone = $1 WHERE id = $2")
                .bind(zone.as_str())
                .bind(member.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.availability_changed();
        tracing::info!(member_id = member.id, by = actor.id, "weekly schedule replaced");
        self.weekly_schedule(actor, member_id).await
    }

    /// Overrides on or after `from` (the member's today when `None`), by date.
    pub async fn date_overrides(
        &self,
        actor: &Member,
        member_id: i64,
        from: Option<NaiveDate>,
    ) -> Result<Vec<DateOverride>, ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let from = match from {
            Some(date) => date,
            None => self.member_today(&member)?,
        };
        self.stored_overrides(member.id, Some(from)).await
    }

    /// Creates or replaces the override of one date.
    pub async fn set_date_override(
        &self,
        actor: &Member,
        member_id: i64,
        date: NaiveDate,
        hours: &DayHours,
    ) -> Result<DateOverride, ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let day = date.format("%Y-%m-%d").to_string();
        let mut tx = self.db().begin_write().await?;
        delete_override_rows(&mut tx, member.id, &day).await?;
        let mut rows: Vec<(Option<i64>, Option<i64>)> = hours
            .ranges()
            .iter()
            .map(|r| (Some(i64::from(r.start.minutes())), Some(i64::from(r.end.minutes()))))
            .collect();
        if rows.is_empty() {
            rows.push((None, None));
        }
        for (start, end) in rows {
            sqlx::query(
                "INSERT INTO date_overrides (member_id, day, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
            )
            .bind(member.id)
            .bind(&day)
            .bind(start)
            .bind(end)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.availability_changed();
        Ok(DateOverride {
            date,
            hours: hours.clone(),
        })
    }

    /// Removes the override of one date; `NotFound` when there was none.
    pub async fn delete_date_override(
        &self,
        actor: &Member,
        member_id: i64,
        date: NaiveDate,
    ) -> Result<(), ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let mut tx = self.db().begin_write().await?;
        let removed = delete_override_rows(&mut tx, member.id, &date.format("%Y-%m-%d").to_string()).await?;
        tx.commit().await?;
        self.availability_changed();
        if removed == 0 {
            Err(ServiceError::NotFound)
        } else {
            Ok(())
        }
    }

    fn member_today(&self, member: &Member) -> Result<NaiveDate, ServiceError> {
        let zone: chrono_tz::Tz = member
            .timezone
            .parse()
            .map_err(|_| anyhow::anyhow!("member {} has unknown zone", member.id))?;
        let now = chrono::DateTime::from_timestamp(self.clock().now(), 0).unwrap_or_default();
        Ok(now.with_timezone(&zone).date_naive())
    }

    async fn stored_schedule(&self, member_id: i64) -> Result<WeeklySchedule, ServiceError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT weekday, start_minute, end_minute FROM weekly_hours WHERE member_id = $1 ORDER BY weekday, start_minute",
        )
        .bind(member_id)
        .fetch_all(self.db().pool())
        .await?;
        schedule_from_rows(rows)
    }

    async fn stored_overrides(
        &self,
        member_id: i64,
        from: Option<NaiveDate>,
    ) -> Result<Vec<DateOverride>, ServiceError> {
        let from = from.map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
        let rows: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT day, start_minute, end_minute FROM date_overrides WHERE member_id = $1 AND day >= $2 \
             ORDER BY day, start_minute",
        )
        .bind(member_id)
        .bind(from)
        .fetch_all(self.db().pool())
        .await?;
        overrides_from_rows(rows.iter().map(|(day, start, end)| (day.as_str(), *start, *end)))
    }
}

/// A member's weekly schedule from its stored rows (weekday from Monday, start and end minute),
/// in order.
fn schedule_from_rows(rows: impl IntoIterator<Item = (i64, i64, i64)>) -> Result<WeeklySchedule, ServiceError> {
    let mut days: [Vec<TimeRange>; 7] = Default::default();
    for (weekday, start, end) in rows {
        let day = usize::try_from(weekday)
            .ok()
            .filter(|d| *d < 7)
            .ok_or_else(|| anyhow::anyhow!("weekday {weekday}"))?;
        days[day].push(stored_range(start, end)?);
    }
    let mut schedule = WeeklySchedule::default();
    for (slot, ranges) in schedule.0.iter_mut().zip(days) {
        *slot = stored_day(ranges)?;
    }
    Ok(schedule)
}

/// A member's date overrides from their stored rows (date, and a range unless the day is off),
/// in order.
fn overrides_from_rows<'a>(
    rows: impl IntoIterator<Item = (&'a str, Option<i64>, Option<i64>)>,
) -> Result<Vec<DateOverride>, ServiceError> {
    let mut by_date: BTreeMap<NaiveDate, Vec<TimeRange>> = BTreeMap::new();
    for (day, start, end) in rows {
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| anyhow::anyhow!("stored day {day}: {e}"))?;
        let ranges = by_date.entry(date).or_default();
        if let (Some(start), Some(end)) = (start, end) {
            ranges.push(stored_range(start, end)?);
        }
    }
    by_date
        .into_iter()
        .map(|(date, ranges)| {
            Ok(DateOverride {
                date,
                hours: stored_day(ranges)?,
            })
        })
        .collect()
}

/// The engine's view of a member's schedule and overrides, in the member's zone.
fn engine_availability(
    member: &Member,
    schedule: &WeeklySchedule,
    overrides: Vec<DateOverride>,
) -> Result<Availability, ServiceError> {
    let zone = member
        .timezone
        .parse()
        .map_err(|_| anyhow::anyhow!("member {} has unknown zone {}", member.id, member.timezone))?;
    let mut weekly = WeeklyHours::default();
    for (index, day) in schedule.0.iter().enumerate() {
        weekly.set(weekday_from_monday(index), engine_ranges(day)?);
    }
    let mut availability = Availability::new(zone, weekly);
    for found in overrides {
        let rule = if found.hours.is_off() {
            DayOverride::Unavailable
        } else {
            DayOverride::Hours(engine_ranges(&found.hours)?)
        };
        availability.overrides.insert(found.date, rule);
    }
    Ok(availability)
}

async fn delete_override_rows(
    tx: &mut Transaction<'static, Any>,
    member_id: i64,
    day: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM date_overrides WHERE member_id = $1 AND day = $2")
            .bind(member_id)
            .bind(day)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

fn weekday_from_monday(index: usize) -> Weekday {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ][index % 7]
}
