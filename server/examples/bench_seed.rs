//! Seeds a fresh database for `scripts/bench.sh` through the `Services` API (benchmark tooling, not
//! product). Reads the usual `RENDEZVOUS_*` variables (the database from
//! `RENDEZVOUS_DATABASE_URL`) and creates team `acme` with an admin and 21 members:
//! - `acme/solo`: single host (the admin), 30 min, 08:00–20:00 every day, exactly 300 confirmed
//!   bookings spread evenly over the 31-day window that starts two days from today (Berlin);
//! - `acme/rr20`: round robin over 20 members with the same hours, 30 min, a handful of bookings;
//! - `acme/book`: single host (its own member) available 24/7, 10 min, no bookings;
//! - `acme/hooked`: the same with another host, for bookings with webhook endpoints subscribed.
//!
//! Prints `KEY=VALUE` lines on stdout: `WINDOW_START`, `WINDOW_END` (local dates, inclusive),
//! `BOOK_FIRST_START` and `HOOKED_FIRST_START` (unix seconds of the first free slot of each) and
//! `ADMIN_KEY` (an API key of the admin, to register webhook endpoints).

use chrono::{Duration, NaiveDate, Utc};
use domain::{DayHours, TimeRange, WeeklySchedule};
use engine::{Boundary, resolve_local};
use services::accounts::Member;
use services::event_types::{EventType, Mode};
use services::{Clock, Config, Db, Services, fixtures};

const ZONE: chrono_tz::Tz = chrono_tz::Europe::Berlin;
const WINDOW_DAYS: i64 = 31;
const SOLO_BOOKINGS: usize = 300;
const RR20_BOOKINGS: usize = 10;
const RR20_HOSTS: usize = 20;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let db = Db::connect(&config.database_url).await?;
    let s = Services::new(db, config, Clock::System);

    let admin = s.set_up(fixtures::new_team("ada@example.com")).await?;
    let mut hosts = Vec::with_capacity(RR20_HOSTS);
    for n in 1..=RR20_HOSTS {
        hosts.push(fixtures::invited_member(&s, &admin, &format!("Host{n:02}")).await);
    }
    let booker = fixtures::invited_member(&s, &admin, "Booker").await;
    let hooked_host = fixtures::invited_member(&s, &admin, "Hooked").await;
    for member in std::iter::once(&admin).chain(&hosts) {
        set_hours(&s, member, "08:00", "20:00").await?;
    }
    set_hours(&s, &booker, "00:00", "24:00").await?;
    set_hours(&s, &hooked_host, "00:00", "24:00").await?;

    let solo = event_type(&s, &admin, "solo", 30, Mode::Single, vec![admin.id]).await?;
    let rr20_hosts = hosts.iter().map(|m| m.id).collect();
    let rr20 = event_type(&s, &admin, "rr20", 30, Mode::RoundRobin, rr20_hosts).await?;
    let book = event_type(&s, &admin, "book", 10, Mode::Single, vec![booker.id]).await?;
    let hooked = event_type(&s, &admin, "hooked", 10, Mode::Single, vec![hooked_host.id]).await?;

    let first = Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(2);
    let last = first + Duration::days(WINDOW_DAYS - 1);
    let (from, until) = (midnight(first), midnight(last + Duration::days(1)));
    spread_bookings(&s, &solo, from, until, SOLO_BOOKINGS).await?;
    spread_bookings(&s, &rr20, from, until, RR20_BOOKINGS).await?;

    let key = s.issue_api_key(&admin, admin.id, "bench").await?.secret;

    println!("WINDOW_START={first}");
    println!("WINDOW_END={last}");
    println!("BOOK_FIRST_START={}", first_free(&s, &book).await?);
    println!("HOOKED_FIRST_START={}", first_free(&s, &hooked).await?);
    println!("ADMIN_KEY={key}");
    s.db().close().await;
    Ok(())
}

/// The first free start of `event_type` in the next day.
async fn first_free(s: &Services, event_type: &EventType) -> anyhow::Result<i64> {
    let now = s.clock().now();
    s.slots(event_type, (now, now + 86_400), None)
        .await?
        .first()
        .map(|slot| slot.start)
        .ok_or_else(|| anyhow::anyhow!("acme/{} has no free slot in the next day", event_type.slug))
}

fn midnight(date: NaiveDate) -> i64 {
    resolve_local(ZONE, date, 0, Boundary::Start)
}

/// Replaces the member's weekly hours with `[start, end)` on all seven days.
async fn set_hours(s: &Services, member: &Member, start: &str, end: &str) -> anyhow::Result<()> {
    let day = DayHours::new(vec![TimeRange::parse(start, end)?])?;
    let week = WeeklySchedule(std::array::from_fn(|_| day.clone()));
    s.set_weekly_schedule(member, member.id, &week, None).await?;
    Ok(())
}

async fn event_type(
    s: &Services,
    admin: &Member,
    slug: &str,
    minutes: u32,
    mode: Mode,
    hosts: Vec<i64>,
) -> anyhow::Result<EventType> {
    Ok(
        s.create_event_type(admin, fixtures::new_event_type(slug, minutes, mode, hosts))
            .await?,
    )
}

/// Books `count` of the free slots in `[from, until)`, evenly spaced.
async fn spread_bookings(
    s: &Services,
    event_type: &EventType,
    from: i64,
    until: i64,
    count: usize,
) -> anyhow::Result<()> {
    let free = s.slots(event_type, (from, until), None).await?;
    anyhow::ensure!(
        free.len() >= count,
        "{} has only {} free slots for {count} bookings",
        event_type.slug,
        free.len()
    );
    for n in 0..count {
        let slot = &free[n * free.len() / count];
        s.book(event_type, slot.start, &fixtures::attendee(n), None).await?;
    }
    eprintln!("acme/{}: booked {count} of {} free slots", event_type.slug, free.len());
    Ok(())
}
