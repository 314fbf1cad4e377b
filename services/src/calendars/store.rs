//! Connections in the database. Tokens go in and out sealed; nothing here ever sees them in the
//! clear except [`TokenPair`], which never leaves the services layer.

use super::{CalendarChoice, Connection, ConnectionStatus, Provider, RemoteCalendar};
use crate::conferencing::MeetingKind;
use crate::crypto::Sealer;
use engine::Interval;
use sqlx::{Any, Executor, Row};

/// The sealer purpose of provider tokens; separate from every other sealed value.
pub(super) const TOKEN_PURPOSE: &str = "calendar-provider-tokens";

pub(super) struct TokenPair {
    pub access: String,
    pub refresh: String,
    pub access_expires_at: i64,
}

/// A freshly authorized account, to insert or to replace the member's earlier connection with.
pub(super) struct NewConnection<'a> {
    pub member_id: i64,
    pub provider: Provider,
    pub account: &'a str,
    /// A CalDAV account's calendar home.
    pub server: Option<&'a str>,
    pub tokens: &'a TokenPair,
    pub scopes: &'a str,
    pub now: i64,
}

pub(super) async fn upsert_connection<'e>(
    db: impl Executor<'e, Database = Any>,
    sealer: &Sealer,
    new: &NewConnection<'_>,
) -> anyhow::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO calendar_connections (member_id, provider, account, access_token_sealed, refresh_token_sealed, \
         access_expires_at, scopes, status, created_at, updated_at, server_url) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $8, $9) \
         ON CONFLICT (member_id, provider) DO UPDATE SET account = excluded.account, server_url = excluded.server_url, \
         access_token_sealed = excluded.access_token_sealed, refresh_token_sealed = excluded.refresh_token_sealed, \
         access_expires_at = excluded.access_expires_at, scopes = excluded.scopes, status = 'active', \
         problem = NULL, problem_since = NULL, updated_at = excluded.updated_at \
         RETURNING id",
    )
    .bind(new.member_id)
    .bind(new.provider.as_str())
    .bind(new.account)
    .bind(sealer.seal(new.tokens.access.as_bytes())?)
    .bind(sealer.seal(new.tokens.refresh.as_bytes())?)
    .bind(new.tokens.access_expires_at)
    .bind(new.scopes)
    .bind(new.now)
    .bind(new.server)
    .fetch_one(db)
    .await?;
    Ok(row.try_get(0)?)
}

/// Replaces the account's calendar list, keeping the member's earlier choices for calendars that
/// still exist; a first connection checks the primary calendar for conflicts and writes to it.
pub(super) async fn replace_calendars(
    tx: &mut sqlx::Transaction<'_, Any>,
    connection_id: i64,
    calendars: &[RemoteCalendar],
) -> anyhow::Result<()> {
    let earlier: Vec<(String, i64)> =
        sqlx::query_as("SELECT calendar_id, check_conflicts FROM connection_calendars WHERE connection_id = $1")
            .bind(connection_id)
            .fetch_all(&mut **tx)
            .await?;
    sqlx::query("DELETE FROM connection_calendars WHERE connection_id = $1")
        .bind(connection_id)
        .execute(&mut **tx)
        .await?;
    for calendar in calendars {
        let checked = if earlier.is_empty() {
            calendar.primary
        } else {
            earlier.iter().any(|(id, on)| *id == calendar.id && *on == 1)
        };
        sqlx::query(
            "INSERT INTO connection_calendars (connection_id, calendar_id, name, is_primary, writable, check_conflicts, \
             conferencing, color) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(connection_id)
        .bind(&calendar.id)
        .bind(&calendar.name)
        .bind(i64::from(calendar.primary))
        .bind(i64::from(calendar.writable))
        .bind(i64::from(checked))
        .bind(calendar.meetings.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" "))
        .bind(calendar.color.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    let destination: Option<(Option<String>,)> =
        sqlx::query_as("SELECT destination_calendar FROM calendar_connections WHERE id = $1")
            .bind(connection_id)
            .fetch_optional(&mut **tx)
            .await?;
    let kept = destination
        .and_then(|(d,)| d)
        .filter(|d| calendars.iter().any(|c| c.writable && &c.id == d));
    let (elsewhere,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM calendar_connections WHERE destination_calendar IS NOT NULL AND id <> $1 \
         AND member_id = (SELECT member_id FROM calendar_connections WHERE id = $1)",
    )
    .bind(connection_id)
    .fetch_one(&mut **tx)
    .await?;
    let primary = || calendars.iter().find(|c| c.primary && c.writable).map(|c| c.id.clone());
    let destination = kept.or_else(|| if elsewhere == 0 { primary() } else { None });
    set_destination(tx, connection_id, destination.as_deref()).await
}

/// `SELECT`s what [`connection_from`] reads, plus the rest of the query (static SQL for sqlx).
macro_rules! select_connection {
    ($($rest:literal),*) => {
        concat!(
            "SELECT id, member_id, provider, account, server_url, status, problem, destination_calendar, ",
            "busy_synced_at, busy_error FROM calendar_connections ",
            $($rest),*
        )
    };
}

fn connection_from(row: &sqlx::any::AnyRow) -> anyhow::Result<Connection> {
    let provider: String = row.try_get("provider")?;
    let status: String = row.try_get("status")?;
    let server: Option<String> = row.try_get("server_url")?;
    Ok(Connection {
        id: row.try_get("id")?,
        member_id: row.try_get("member_id")?,
        provider: Provider::parse(&provider).ok_or_else(|| anyhow::anyhow!("unknown provider {provider}"))?,
        account: row.try_get("account")?,
        server: server.as_deref().map(url::Url::parse).transpose()?,
        status: ConnectionStatus::from_column(&status),
        problem: row.try_get("problem")?,
        calendars: Vec::new(),
        destination: row.try_get("destination_calendar")?,
        busy_synced_at: row.try_get("busy_synced_at")?,
        busy_error: row.try_get("busy_error")?,
    })
}

/// The member's connections with their calendars.
pub(super) async fn connections_of(pool: &sqlx::AnyPool, member_id: i64) -> anyhow::Result<Vec<Connection>> {
    let rows = sqlx::query(select_connection!("WHERE member_id = $1 ORDER BY provider"))
        .bind(member_id)
        .fetch_all(pool)
        .await?;
    let mut connections = Vec::with_capacity(rows.len());
    for row in &rows {
        connections.push(with_calendars(pool, row).await?);
    }
    Ok(connections)
}

/// The member's connection to `provider`, if any.
pub(super) async fn connection_of(
    pool: &sqlx::AnyPool,
    member_id: i64,
    provider: Provider,
) -> anyhow::Result<Option<Connection>> {
    let row = sqlx::query(select_connection!("WHERE member_id = $1 AND provider = $2"))
        .bind(member_id)
        .bind(provider.as_str())
        .fetch_optional(pool)
        .await?;
    Ok(match row {
        Some(row) => Some(with_calendars(pool, &row).await?),
        None => None,
    })
}

pub(super) async fn connection(pool: &sqlx::AnyPool, id: i64) -> anyhow::Result<Option<Connection>> {
    let row = sqlx::query(select_connection!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(match row {
        Some(row) => Some(with_calendars(pool, &row).await?),
        None => None,
    })
}

async fn with_calendars(pool: &sqlx::AnyPool, row: &sqlx::any::AnyRow) -> anyhow::Result<Connection> {
    let mut connection = connection_from(row)?;
    connection.calendars = calendars_of(pool, connection.id).await?;
    Ok(connection)
}

/// A `connection_calendars` row: id, name, primary, writable, checked, meetings, colour.
type CalendarRow = (String, String, i64, i64, i64, String, Option<String>);

async fn calendars_of(pool: &sqlx::AnyPool, connection_id: i64) -> anyhow::Result<Vec<CalendarChoice>> {
    let rows: Vec<CalendarRow> = sqlx::query_as(
        "SELECT calendar_id, name, is_primary, writable, check_conflicts, conferencing, color FROM connection_calendars \
         WHERE connection_id = $1 ORDER BY is_primary DESC, name",
    )
    .bind(connection_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, primary, writable, check, meetings, color)| CalendarChoice {
            color,
            meetings: meetings.split_whitespace().filter_map(MeetingKind::parse).collect(),
            id,
            name,
            primary: primary == 1,
            writable: writable == 1,
            check_conflicts: check == 1,
        })
        .collect())
}

/// The connection's provider and tokens, opened.
pub(super) async fn tokens(
    pool: &sqlx::AnyPool,
    sealer: &Sealer,
    connection_id: i64,
) -> anyhow::Result<(Provider, TokenPair)> {
    let (provider, access, refresh, access_expires_at): (String, String, String, i64) = sqlx::query_as(
        "SELECT provider, access_token_sealed, refresh_token_sealed, access_expires_at FROM calendar_connections \
         WHERE id = $1",
    )
    .bind(connection_id)
    .fetch_one(pool)
    .await?;
    let provider = Provider::parse(&provider).ok_or_else(|| anyhow::anyhow!("unknown provider {provider}"))?;
    let pair = TokenPair {
        access: String::from_utf8(sealer.open(&access)?)?,
        refresh: String::from_utf8(sealer.open(&refresh)?)?,
        access_expires_at,
    };
    Ok((provider, pair))
}

/// Stores a refresh's outcome in one statement: the new access token and, when the provider
/// rotated it (Microsoft does every time), the new refresh token, so the spent one is never
/// kept after the new access token could be used.
pub(super) async fn store_refreshed(
    pool: &sqlx::AnyPool,
    sealer: &Sealer,
    connection_id: i64,
    (access, refresh): (&str, Option<&str>),
    expires_at: i64,
    now: i64,
) -> anyhow::Result<()> {
    let refresh = refresh.map(|r| sealer.seal(r.as_bytes())).transpose()?;
    sqlx::query(
        "UPDATE calendar_connections SET access_token_sealed = $1, access_expires_at = $2, updated_at = $3, \
         refresh_token_sealed = COALESCE($4, refresh_token_sealed) WHERE id = $5",
    )
    .bind(sealer.seal(access.as_bytes())?)
    .bind(expires_at)
    .bind(now)
    .bind(refresh)
    .bind(connection_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Takes the connection's refresh lease until `until`; false while another caller holds it.
pub(super) async fn claim_refresh(
    pool: &sqlx::AnyPool,
    connection_id: i64,
    now: i64,
    until: i64,
) -> anyhow::Result<bool> {
    let claimed = sqlx::query(
        "UPDATE calendar_connections SET refresh_lease_until = $1 WHERE id = $2 \
         AND (refresh_lease_until IS NULL OR refresh_lease_until < $3)",
    )
    .bind(until)
    .bind(connection_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

pub(super) async fn release_refresh(pool: &sqlx::AnyPool, connection_id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE calendar_connections SET refresh_lease_until = NULL WHERE id = $1")
        .bind(connection_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks the connection as needing a reconnect; true only for the call that made the change, so
/// the member is told once.
pub(super) async fn mark_reconnect_needed(
    pool: &sqlx::AnyPool,
    connection_id: i64,
    problem: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let changed = sqlx::query(
        "UPDATE calendar_connections SET status = 'reconnect_needed', problem = $1, problem_since = $2, \
         updated_at = $2 WHERE id = $3 AND status = 'active'",
    )
    .bind(problem)
    .bind(now)
    .bind(connection_id)
    .execute(pool)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Saves which calendars count as busy and which receives bookings.
pub(super) async fn choose(
    tx: &mut sqlx::Transaction<'_, Any>,
    connection_id: i64,
    conflicts: &[String],
    destination: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE connection_calendars SET check_conflicts = 0 WHERE connection_id = $1")
        .bind(connection_id)
        .execute(&mut **tx)
        .await?;
    for id in conflicts {
        sqlx::query(
            "UPDATE connection_calendars SET check_conflicts = 1 WHERE connection_id = $1 AND calendar_id = $2",
        )
        .bind(connection_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    set_destination(tx, connection_id, destination).await
}

/// One calendar receives a member's bookings: choosing one in this connection clears the
/// choice in the member's other connections.
async fn set_destination(
    tx: &mut sqlx::Transaction<'_, Any>,
    connection_id: i64,
    destination: Option<&str>,
) -> anyhow::Result<()> {
    if destination.is_some() {
        sqlx::query(
            "UPDATE calendar_connections SET destination_calendar = NULL WHERE id <> $1 \
             AND member_id = (SELECT member_id FROM calendar_connections WHERE id = $1)",
        )
        .bind(connection_id)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE calendar_connections SET destination_calendar = $1 WHERE id = $2")
        .bind(destination)
        .bind(connection_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Busy intervals written by one `INSERT` (two parameters each, well under SQLite's limit).
const BUSY_ROWS_PER_INSERT: usize = 200;

/// Replaces the connection's busy time for the window it was read for.
pub(super) async fn store_busy(
    pool: &sqlx::AnyPool,
    connection_id: i64,
    (from, until): (i64, i64),
    busy: &[Interval],
    now: i64,
) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM connection_busy WHERE connection_id = $1")
        .bind(connection_id)
        .execute(&mut *tx)
        .await?;
    // Many rows a statement: a statement per interval made storing a busy calendar's three
    // months the largest part of a refresh.
    for chunk in busy.chunks(BUSY_ROWS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO connection_busy (connection_id, starts_at, ends_at) VALUES {}",
            rows.join(", ")
        );
        // Only placeholders are generated; every value is bound.
        let mut insert = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(connection_id);
        for interval in chunk {
            insert = insert.bind(interval.start).bind(interval.end);
        }
        insert.execute(&mut *tx).await?;
    }
    sqlx::query(
        "UPDATE calendar_connections SET busy_from = $1, busy_until = $2, busy_synced_at = $3, busy_error = NULL \
         WHERE id = $4",
    )
    .bind(from)
    .bind(until)
    .bind(now)
    .bind(connection_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn store_busy_error(pool: &sqlx::AnyPool, connection_id: i64, error: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE calendar_connections SET busy_error = $1 WHERE id = $2")
        .bind(error)
        .bind(connection_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// What slots need of one connection: the window read, when, and the busy time in it.
pub(super) struct StoredBusy {
    pub connection_id: i64,
    pub active: bool,
    pub window: Option<(i64, i64)>,
    pub synced_at: Option<i64>,
    pub busy: Vec<Interval>,
}

/// Busy time of every connection of the member.
pub(super) async fn busy_of(db: &mut sqlx::AnyConnection, member_id: i64) -> anyhow::Result<Vec<StoredBusy>> {
    /// id, status, busy_from, busy_until, busy_synced_at
    type Row = (i64, String, Option<i64>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, status, busy_from, busy_until, busy_synced_at FROM calendar_connections \
         WHERE member_id = $1",
    )
    .bind(member_id)
    .fetch_all(&mut *db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (connection_id, status, from, until, synced_at) in rows {
        let busy: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT starts_at, ends_at FROM connection_busy WHERE connection_id = $1 ORDER BY starts_at",
        )
        .bind(connection_id)
        .fetch_all(&mut *db)
        .await?;
        out.push(StoredBusy {
            connection_id,
            active: status == "active",
            window: from.zip(until),
            synced_at,
            busy: busy.into_iter().map(|(start, end)| Interval::new(start, end)).collect(),
        });
    }
    Ok(out)
}
