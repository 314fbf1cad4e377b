//! Members' weekly hours and date overrides, stored as local wall-clock minutes in the member's
//! zone and handed to the engine as `engine::Availability`.

use crate::accounts::Member;
use crate::{ServiceError, Services};
use chrono::{NaiveDate, Weekday};
use engine::{Availability, DayOverride, LocalRange, WeeklyHours};
use sqlx::{Any, Transaction};

/// Every new member starts with Monday to Friday, 09:00–17:00 in their own time zone.
pub(crate) async fn insert_default_hours(
    tx: &mut Transaction<'static, Any>,
    member_id: i64,
) -> Result<(), sqlx::Error> {
    for weekday in 0..5i64 {
        sqlx::query(
            "INSERT INTO weekly_hours (member_id, weekday, start_minute, end_minute) VALUES ($1, $2, 540, 1020)",
        )
        .bind(member_id)
        .bind(weekday)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn range(start: i64, end: i64) -> Result<LocalRange, ServiceError> {
    let minute = |m: i64| u16::try_from(m).map_err(|_| anyhow::anyhow!("stored minute {m} out of range"));
    LocalRange::new(minute(start)?, minute(end)?)
        .map_err(|e| ServiceError::internal(anyhow::anyhow!("stored range: {e}")))
}

impl Services {
    /// A member's rules, ready for the engine.
    pub async fn availability(&self, member: &Member) -> Result<Availability, ServiceError> {
        let zone = member
            .timezone
            .parse()
            .map_err(|_| anyhow::anyhow!("member {} has unknown zone {}", member.id, member.timezone))?;
        let mut weekly = WeeklyHours::default();
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT weekday, start_minute, end_minute FROM weekly_hours WHERE member_id = $1 ORDER BY weekday, start_minute",
        )
        .bind(member.id)
        .fetch_all(self.db().pool())
        .await?;
        let mut days: [Vec<LocalRange>; 7] = Default::default();
        for (weekday, start, end) in rows {
            let day = usize::try_from(weekday)
                .ok()
                .filter(|d| *d < 7)
                .ok_or_else(|| anyhow::anyhow!("weekday {weekday}"))?;
            days[day].push(range(start, end)?);
        }
        for (index, ranges) in days.into_iter().enumerate() {
            weekly.set(weekday_from_monday(index), ranges);
        }
        let mut availability = Availability::new(zone, weekly);
        availability.overrides = self.overrides(member.id).await?;
        Ok(availability)
    }

    async fn overrides(
        &self,
        member_id: i64,
    ) -> Result<std::collections::BTreeMap<NaiveDate, DayOverride>, ServiceError> {
        let rows: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT day, start_minute, end_minute FROM date_overrides WHERE member_id = $1 ORDER BY day, start_minute",
        )
        .bind(member_id)
        .fetch_all(self.db().pool())
        .await?;
        let mut overrides = std::collections::BTreeMap::new();
        for (day, start, end) in rows {
            let date =
                NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| anyhow::anyhow!("stored day {day}: {e}"))?;
            let entry = overrides.entry(date).or_insert(DayOverride::Hours(Vec::new()));
            match (start, end, entry) {
                (Some(start), Some(end), DayOverride::Hours(ranges)) => ranges.push(range(start, end)?),
                (None, None, entry) => *entry = DayOverride::Unavailable,
                _ => {}
            }
        }
        Ok(overrides)
    }
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
