//! Booking: the one place where a time is taken. The decision that a time is free is made inside
//! a write transaction that holds the hosts' locks, against the bookings the transaction sees, so
//! two requests for the same time can never both succeed (see ARCHITECTURE.md, "Invariants").

use crate::accounts::Member;
use crate::booking_record::HostRecord;
use crate::crypto::Sealer;
use crate::event_types::{EventType, Mode};
use crate::notify::Facts;
use crate::{Backend, ServiceError, Services, tokens};
use domain::FieldErrors;
use engine::{Booking, Host, HostId, HostLoad, Request, Slot, TeamSlot};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

const DAY: i64 = 86_400;
/// How long an Idempotency-Key replays its first booking.
pub const IDEMPOTENCY_TTL_SECS: i64 = DAY;

/// A client's retry key and a digest of the request it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}

impl Idempotency {
    /// A key with the digest of `request`, so that reusing the key for a different request is
    /// refused instead of replayed.
    pub fn of(key: String, request: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        Self {
            key,
            fingerprint: hex::encode(Sha256::digest(request)),
        }
    }
}

/// Who is booking, validated at the boundary.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub name: domain::DisplayName,
    pub email: domain::Email,
    pub timezone: domain::TimeZoneName,
    /// Answers by question key, as given; checked against the event type's questions on booking.
    pub answers: std::collections::BTreeMap<String, domain::RawAnswer>,
    /// Extra people to invite (at most [`MAX_GUESTS`], when the event type allows guests).
    pub guests: Vec<domain::Email>,
    /// The language their emails and reminders are written in.
    pub language: i18n::Lang,
}

/// How many guests one booking may add.
pub const MAX_GUESTS: usize = 10;

/// A confirmed booking as returned to the booker (and sealed for idempotent replays).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Booked {
    pub uid: String,
    pub start: i64,
    pub end: i64,
    pub hosts: Vec<(i64, String)>,
    /// The secret for the reschedule / cancel links; shown once, stored hashed.
    pub manage_token: String,
}

/// The attendee's links of a booking: reschedule, cancel (both open the manage page in the
/// attendee's language), and its calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManageLinks {
    pub reschedule: String,
    pub cancel: String,
    pub ics: String,
    pub lang: i18n::Lang,
}

impl ManageLinks {
    /// How calendar entries describe the links, in the attendee's language.
    pub fn description(&self) -> String {
        let values = [
            ("reschedule", self.reschedule.as_str()),
            ("cancel", self.cancel.as_str()),
        ];
        i18n::fill(self.lang.text(i18n::Key::MailCalendarManage), &values)
    }
}

impl Services {
    pub fn manage_links(&self, uid: &str, token: &str, lang: i18n::Lang) -> ManageLinks {
        let link = |action: &str| {
            let path = format!("/booking/{uid}?token={token}&action={action}&lang={}", lang.code());
            self.config().link(&path)
        };
        ManageLinks {
            reschedule: link("reschedule"),
            cancel: link("cancel"),
            ics: self.config().link(&format!("/booking/{uid}/invite.ics?token={token}")),
            lang,
        }
    }

    /// Free slots of an event type starting in `[from, until)`, with the hosts free for each;
    /// `moving` is a booking being rescheduled, whose own time counts as free.
    /// Rules come from the slot cache; bookings are read fresh, all hosts in one query.
    pub async fn slots(
        &self,
        event_type: &EventType,
        (from, until): (i64, i64),
        moving: Option<i64>,
    ) -> Result<Vec<Slot>, ServiceError> {
        let rules = self.host_rules(event_type).await?;
        let blocks = self.host_blocks(event_type).await?;
        let (lo, hi) = (from.saturating_sub(2 * DAY), until.saturating_add(2 * DAY));
        let mut booked: HashMap<i64, Vec<Booking>> = HashMap::new();
        for row in blocks
            .iter()
            .filter(|r| r.block.blocked_until > lo && r.block.blocked_from < hi && Some(r.booking_id) != moving)
        {
            booked
                .entry(row.member_id)
                .or_default()
                .push(row.block.booking(event_type.id));
        }
        let mut hosts = Vec::with_capacity(rules.len());
        for r in rules.iter() {
            hosts.push(Host {
                id: r.id(),
                availability: r.availability.clone(),
                bookings: booked.remove(&r.member.id).unwrap_or_default(),
                busy: self.external_busy(r.member.id, (lo, hi), None).await?,
            });
        }
        let request = Request {
            now: self.clock().now(),
            from,
            until,
        };
        listing(event_type, &hosts, &request)
    }

    /// The member's confirmed bookings blocking time in `[from, until)`, as the engine sees them
    /// when computing `event_type` (for previews of unsaved availability edits).
    pub async fn member_bookings(
        &self,
        actor: &Member,
        member_id: i64,
        event_type_id: i64,
        (from, until): (i64, i64),
    ) -> Result<Vec<Booking>, ServiceError> {
        let member = self.manageable_member(actor, member_id).await?;
        let reading = Reading {
            blocking: (from, until),
            counted: None,
        };
        Ok(host_bookings(self.db().pool(), member.id, event_type_id, reading, None).await?)
    }

    /// The attendee's answers checked against the event type's questions, and their guests
    /// against its rules; every problem is named at once.
    async fn checked_answers(
        &self,
        event_type: &EventType,
        attendee: &Attendee,
    ) -> Result<Vec<domain::Answer>, ServiceError> {
        let questions = crate::questions::questions(self.db().pool(), event_type.id).await?;
        let mut errors = domain::FieldErrors::new();
        let answers = domain::answers(&questions, &attendee.answers).unwrap_or_else(|problems| {
            errors.extend(problems);
            Vec::new()
        });
        if !attendee.guests.is_empty() && !event_type.allow_guests {
            errors.add("guests", "This event does not take guests.");
        } else if attendee.guests.len() > MAX_GUESTS {
            errors.add("guests", format!("Add at most {MAX_GUESTS} guests."));
        }
        errors.into_result()?;
        Ok(answers)
    }

    /// Books `start` for the attendee, or fails with `SlotUnavailable` if it is not a free slot.
    /// With an idempotency key, a repeat of the same request returns the first booking instead.
    pub async fn book(
        &self,
        event_type: &EventType,
        start: i64,
        attendee: &Attendee,
        idempotency: Option<&Idempotency>,
    ) -> Result<Booked, ServiceError> {
        // The reads before the transaction go out together: each is a round trip to a
        // database thread, and one booking's latency is the sum of those it waits on in turn.
        let (answers, (members, availabilities)) = tokio::try_join!(
            self.checked_answers(event_type, attendee),
            self.hosts_and_availabilities(event_type)
        )?;
        let mut tx = self.db().begin_write().await?;
        lock_hosts(&mut tx, self.db().backend(), &members).await?;
        let now = self.clock().now();
        if let Some(idempotency) = idempotency
            && let Some(earlier) = self.replay(&mut tx, idempotency, now).await?
        {
            return Ok(earlier);
        }
        let around = Around::new(event_type.id, &event_type.rules()?, start);
        let hosts = hosts_around(self, &mut tx, &members, availabilities, around, None).await?;
        let request = Request {
            now,
            from: start,
            until: start + 1,
        };
        let slot = compute(event_type, &hosts, &request)?
            .into_iter()
            .find(|s| s.start == start)
            .ok_or(ServiceError::SlotUnavailable)?;
        let chosen = match event_type.mode()? {
            Mode::Single | Mode::Collective => slot.hosts.clone(),
            Mode::RoundRobin => {
                let loads = host_loads(&mut tx, event_type.id, &slot.hosts, request.now).await?;
                engine::pick_round_robin_host(&slot.hosts, &loads).into_iter().collect()
            }
        };
        let chosen: Vec<&Member> = chosen
            .iter()
            .filter_map(|id| members.iter().find(|m| m.id == id.0))
            .collect();
        let sealer = manage_token_sealer(self);
        let (uid, manage_token) = insert_booking(
            self,
            &mut tx,
            event_type,
            &slot,
            &chosen,
            (attendee, &answers),
            (&sealer, now),
        )
        .await?;
        let hosts = chosen.iter().map(|m| (m.id, m.name.clone())).collect();
        let booked = Booked {
            uid,
            start: slot.start,
            end: slot.end,
            hosts,
            manage_token,
        };
        if let Some(idempotency) = idempotency {
            self.remember(&mut tx, idempotency, &booked, now).await?;
        }
        self.commit_booking_change(tx).await?;
        tracing::info!(uid = %booked.uid, event_type = event_type.id, "booking confirmed");
        Ok(booked)
    }

    /// The booking an earlier request with this key made, if any (and not older than a day).
    async fn replay(
        &self,
        tx: &mut Transaction<'static, Any>,
        idempotency: &Idempotency,
        now: i64,
    ) -> Result<Option<Booked>, ServiceError> {
        let found: Option<(String, String)> = sqlx::query_as(
            "SELECT fingerprint, body FROM idempotency_keys WHERE scope = 'booking' AND idem_key = $1 AND created_at > $2",
        )
        .bind(&idempotency.key)
        .bind(now - IDEMPOTENCY_TTL_SECS)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((fingerprint, sealed)) = found else {
            return Ok(None);
        };
        if fingerprint != idempotency.fingerprint {
            return Err(
                FieldErrors::single("idempotency_key", "This key was already used for a different request.").into(),
            );
        }
        let plain = self.replay_sealer().open(&sealed)?;
        Ok(Some(serde_json::from_slice(&plain).map_err(anyhow::Error::from)?))
    }

    async fn remember(
        &self,
        tx: &mut Transaction<'static, Any>,
        idempotency: &Idempotency,
        booked: &Booked,
        now: i64,
    ) -> Result<(), ServiceError> {
        let sealed = self
            .replay_sealer()
            .seal(&serde_json::to_vec(booked).map_err(anyhow::Error::from)?)?;
        sqlx::query("DELETE FROM idempotency_keys WHERE scope = 'booking' AND (idem_key = $1 OR created_at <= $2)")
            .bind(&idempotency.key)
            .bind(now - IDEMPOTENCY_TTL_SECS)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, status, body, created_at) \
             VALUES ('booking', $1, $2, 201, $3, $4)",
        )
        .bind(&idempotency.key)
        .bind(&idempotency.fingerprint)
        .bind(sealed)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Replayable bookings contain the manage-link secret, so they are stored encrypted.
    fn replay_sealer(&self) -> Sealer {
        Sealer::new(&self.config().secret_key, "idempotent-booking-replay")
    }
}

/// Mail sent after the booking (reminders, changes by hosts) needs the attendee's manage links,
/// so the token is also kept encrypted; its hash alone still authorizes.
pub(crate) fn manage_token_sealer(services: &Services) -> Sealer {
    Sealer::new(&services.config().secret_key, "booking-manage-token")
}

/// What deciding one start reads of each host: the bookings and busy time that could block a
/// meeting there (overlapping its span widened by its buffers), and, under a daily limit, the
/// event type's own bookings of the days around (every local date containing the start lies
/// within two days of it). A host booked solid has hundreds of bookings in those days, and
/// reading them all cost a booking 1 ms (issue 21); the engine ignores every other one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Around {
    event_type_id: i64,
    /// Blocking `[start - buffer before, end + buffer after)`; counted: the days a daily limit
    /// needs.
    reading: Reading,
}

impl Around {
    pub(crate) fn new(event_type_id: i64, rules: &engine::Rules, start: i64) -> Self {
        let end = start + rules.duration.secs();
        Self {
            event_type_id,
            reading: Reading {
                blocking: (start - rules.buffer_before.secs(), end + rules.buffer_after.secs()),
                counted: rules.daily_limit.map(|_| (start - 2 * DAY, start + 3 * DAY)),
            },
        }
    }
}

/// Engine hosts with the bookings this transaction sees around one start (see [`Around`]), and
/// their calendars' busy time there as slots saw it (never waiting on a provider).
pub(crate) async fn hosts_around(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    members: &[Member],
    availabilities: Vec<engine::Availability>,
    around: Around,
    excluding: Option<i64>,
) -> Result<Vec<Host>, ServiceError> {
    let mut hosts = Vec::with_capacity(members.len());
    for (member, availability) in members.iter().zip(availabilities) {
        let bookings = host_bookings(&mut **tx, member.id, around.event_type_id, around.reading, excluding).await?;
        hosts.push(Host {
            id: HostId(member.id),
            availability,
            bookings,
            busy: services
                .external_busy(member.id, around.reading.blocking, Some(&mut **tx))
                .await?,
        });
    }
    Ok(hosts)
}

/// The slots of `request` with the hosts free for each: what booking and rescheduling choose
/// from (their requests span one start, so building host lists costs nothing there).
pub(crate) fn compute(
    event_type: &EventType,
    hosts: &[Host],
    request: &Request,
) -> Result<Vec<TeamSlot>, ServiceError> {
    let rules = event_type.rules()?;
    Ok(match event_type.mode()? {
        Mode::Single => single_host(hosts)
            .map(|host| {
                let slots = engine::host_slots(host, &rules, request);
                slots.into_iter().map(|s| with_host(s, host.id)).collect()
            })
            .unwrap_or_default(),
        Mode::Collective => engine::collective_slots(hosts, &rules, request),
        Mode::RoundRobin => engine::round_robin_slots(hosts, &rules, request),
    })
}

/// The times of `request` alone, for listings: a single-host type takes the single-host path,
/// and team types skip the per-slot host lists.
fn listing(event_type: &EventType, hosts: &[Host], request: &Request) -> Result<Vec<Slot>, ServiceError> {
    let rules = event_type.rules()?;
    Ok(match event_type.mode()? {
        Mode::Single => single_host(hosts)
            .map(|host| engine::host_slots(host, &rules, request))
            .unwrap_or_default(),
        Mode::Collective => engine::collective_times(hosts, &rules, request),
        Mode::RoundRobin => engine::round_robin_times(hosts, &rules, request),
    })
}

/// The host of a single-host type (saving it with any other number of hosts is refused).
fn single_host(hosts: &[Host]) -> Option<&Host> {
    match hosts {
        [host] => Some(host),
        _ => None,
    }
}

fn with_host(slot: Slot, host: HostId) -> TeamSlot {
    TeamSlot {
        start: slot.start,
        end: slot.end,
        hosts: vec![host],
    }
}

/// Serializes bookings that involve the same hosts. SQLite's `BEGIN IMMEDIATE` already holds the
/// only write lock; PostgreSQL locks the host rows, always in ascending id order so that two
/// bookings sharing hosts cannot deadlock.
pub(crate) async fn lock_hosts(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    hosts: &[Member],
) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        for host in hosts {
            sqlx::query("SELECT id FROM members WHERE id = $1 FOR UPDATE")
                .bind(host.id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct BlockRow {
    start_at: i64,
    end_at: i64,
    pub(crate) blocked_from: i64,
    pub(crate) blocked_until: i64,
    event_type_id: i64,
}

impl BlockRow {
    /// Engine input; the buffers are the ones stored with the booking.
    fn booking(&self, event_type_id: i64) -> Booking {
        let minutes = |secs: i64| engine::Minutes(u32::try_from(secs / 60).unwrap_or(0));
        Booking {
            start: self.start_at,
            end: self.end_at,
            buffer_before: minutes(self.start_at - self.blocked_from),
            buffer_after: minutes(self.blocked_until - self.end_at),
            counts_toward_limit: self.event_type_id == event_type_id,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct HostBlockRow {
    pub(crate) member_id: i64,
    pub(crate) booking_id: i64,
    #[sqlx(flatten)]
    pub(crate) block: BlockRow,
}

/// Which of a host's bookings to read: those blocking time in `blocking`, and with `counted`,
/// also the event type's own ones blocking time in that (wider) window.
#[derive(Debug, Clone, Copy)]
struct Reading {
    blocking: (i64, i64),
    counted: Option<(i64, i64)>,
}

/// A host's confirmed bookings that `reading` asks for, as engine input. The host's rows carry
/// their bookings' spans (migration 0017), so this walks the host's bookings ending inside or
/// after the window, never the host's whole history.
async fn host_bookings<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    member_id: i64,
    event_type_id: i64,
    reading: Reading,
    excluding: Option<i64>,
) -> Result<Vec<Booking>, sqlx::Error> {
    let (near_from, near_until) = reading.blocking;
    let (from, until) = reading.counted.map_or(reading.blocking, |(from, until)| {
        (from.min(near_from), until.max(near_until))
    });
    let rows: Vec<BlockRow> = sqlx::query_as(
        "SELECT b.start_at, b.end_at, b.blocked_from, b.blocked_until, b.event_type_id FROM booking_hosts h \
         JOIN bookings b ON b.id = h.booking_id \
         WHERE h.member_id = $1 AND h.blocked_until > $2 AND h.blocked_from < $3 AND b.status = 'confirmed' \
         AND b.id <> $4 AND ((h.blocked_until > $5 AND h.blocked_from < $6) OR b.event_type_id = $7)",
    )
    .bind(member_id)
    .bind(from)
    .bind(until)
    .bind(excluding.unwrap_or(-1))
    .bind(near_from)
    .bind(near_until)
    .bind(if reading.counted.is_some() { event_type_id } else { -1 })
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(|r| r.booking(event_type_id)).collect())
}

/// Confirmed bookings of every host of the event type that still block time after `since`, in
/// the order they block (the engine then merges them without sorting).
pub(crate) async fn bookings_of_hosts<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    event_type_id: i64,
    since: i64,
) -> Result<Vec<HostBlockRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT h.member_id, b.id AS booking_id, b.start_at, b.end_at, b.blocked_from, b.blocked_until, b.event_type_id \
         FROM booking_hosts h \
         JOIN bookings b ON b.id = h.booking_id \
         WHERE h.member_id IN (SELECT member_id FROM event_type_hosts WHERE event_type_id = $1) \
         AND h.blocked_until > $2 AND b.status = 'confirmed' ORDER BY b.blocked_from, b.id",
    )
    .bind(event_type_id)
    .bind(since)
    .fetch_all(executor)
    .await
}

/// Round-robin fairness input: each free host's bookings of this event type in the last 30 days.
pub(crate) async fn host_loads(
    tx: &mut Transaction<'static, Any>,
    event_type_id: i64,
    free: &[HostId],
    now: i64,
) -> Result<Vec<HostLoad>, sqlx::Error> {
    let mut loads = Vec::with_capacity(free.len());
    for host in free {
        let (count, last): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(b.created_at) FROM bookings b JOIN booking_hosts h ON h.booking_id = b.id \
             WHERE h.member_id = $1 AND b.event_type_id = $2 AND b.status = 'confirmed' AND b.created_at > $3",
        )
        .bind(host.0)
        .bind(event_type_id)
        .bind(now - 30 * DAY)
        .fetch_one(&mut **tx)
        .await?;
        loads.push(HostLoad {
            host: *host,
            bookings_last_30_days: u32::try_from(count).unwrap_or(u32::MAX),
            last_booked_at: last,
        });
    }
    Ok(loads)
}

/// Inserts the booking, its hosts, its history and its emails; returns (uid, manage token secret).
async fn insert_booking(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    event_type: &EventType,
    slot: &TeamSlot,
    hosts: &[&Member],
    (attendee, answers): (&Attendee, &[domain::Answer]),
    (sealer, now): (&Sealer, i64),
) -> Result<(String, String), ServiceError> {
    let uid = tokens::uid();
    let token = tokens::issue();
    let sealed_token = sealer.seal(token.secret.as_bytes())?;
    // The database writes the booking's history (migration 0018). The insert returns how many
    // webhook endpoints the team has, as its host rows return who has a connected calendar: what
    // follows the booking is then known without reads of its own.
    let (id, webhook_endpoints): (i64, i64) = sqlx::query_as(
        "INSERT INTO bookings (uid, event_type_id, start_at, end_at, blocked_from, blocked_until, attendee_name, \
         attendee_email, attendee_timezone, notes, status, manage_token_hash, manage_token_sealed, sequence, \
         created_at, updated_at, language) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'confirmed', $11, $12, 0, $13, $13, $14) \
         RETURNING id, (SELECT COUNT(*) FROM webhook_endpoints w WHERE w.team_id = $15 AND w.enabled = 1)",
    )
    .bind(&uid)
    .bind(event_type.id)
    .bind(slot.start)
    .bind(slot.end)
    .bind(slot.start - event_type.buffer_before_minutes * 60)
    .bind(slot.end + event_type.buffer_after_minutes * 60)
    .bind(attendee.name.as_str())
    .bind(attendee.email.as_str())
    .bind(attendee.timezone.as_str())
    // The notes column only holds bookings made before notes became a question (migration 0010).
    .bind("")
    .bind(&token.digest)
    .bind(sealed_token)
    .bind(now)
    .bind(attendee.language.code())
    .bind(event_type.team_id)
    .fetch_one(&mut **tx)
    .await?;
    let mut calendar_hosts = Vec::new();
    for host in hosts {
        let calendars: i64 = sqlx::query_scalar(
            "INSERT INTO booking_hosts (booking_id, member_id) VALUES ($1, $2) \
             RETURNING (SELECT COUNT(*) FROM calendar_connections c WHERE c.member_id = $2 AND c.status = 'active')",
        )
        .bind(id)
        .bind(host.id)
        .fetch_one(&mut **tx)
        .await?;
        if calendars > 0 {
            calendar_hosts.push(host.id);
        }
    }
    // Answers first: the webhook payload queued with the messages carries them.
    crate::questions::record_answers(tx, id, answers, &attendee.guests).await?;
    let records = hosts.iter().map(|m| HostRecord::of(m)).collect();
    let facts = Facts::of_new(
        (id, &uid),
        event_type,
        (slot.start, attendee.email.as_str()),
        (records, &attendee.guests),
        (webhook_endpoints, calendar_hosts),
    );
    crate::notify::booking_created(services, tx, &facts, now).await?;
    Ok((uid, token.secret))
}
