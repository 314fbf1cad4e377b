//! Who hears about a booking change, decided inside the transaction that makes the change: one
//! mail job per recipient and message, keyed by booking, kind, sequence and recipient so that
//! each person gets each message exactly once however often the work is retried. Reminders are
//! jobs that run later; moving or cancelling a booking drops the queued ones.

mod deliver;
pub(crate) mod render;

use crate::booking_record::{self, HostRecord};
use crate::event_types::EventType;
use crate::jobs::{self, NewJob};
use crate::{ServiceError, Services};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

pub const MAIL_JOB: &str = "booking_mail";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    Confirmed,
    Rescheduled,
    /// Same time, another host (a removed member's booking moved to a colleague).
    HostChanged,
    Cancelled,
    /// The booking moved to another host: cancelled for this one.
    Released,
    Reminder24h,
    Reminder1h,
    /// A co-host moved or deleted their copy of a collective booking, which stays as it is.
    CalendarChanged,
    /// The video link, which the confirmation said would follow.
    VideoLinkReady,
}

impl MailKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Rescheduled => "rescheduled",
            Self::HostChanged => "host_changed",
            Self::Cancelled => "cancelled",
            Self::Released => "released",
            Self::Reminder24h => "reminder_24h",
            Self::Reminder1h => "reminder_1h",
            Self::CalendarChanged => "calendar_changed",
            Self::VideoLinkReady => "video_link_ready",
        }
    }

    /// Whether this recipient's calendar copy is cancelled by this message.
    fn cancels(self) -> bool {
        matches!(self, Self::Cancelled | Self::Released)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Attendee,
    Host(i64),
    /// Someone the attendee added: they get the invitation, its changes and the cancellation,
    /// never the manage links or reminders.
    Guest(String),
}

impl Recipient {
    fn key(&self) -> String {
        match self {
            Self::Attendee => "attendee".to_owned(),
            Self::Host(id) => format!("host{id}"),
            Self::Guest(email) => format!("guest:{email}"),
        }
    }
}

/// A mail job's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailJob {
    pub booking_id: i64,
    pub sequence: i64,
    pub kind: MailKind,
    pub to: Recipient,
    /// The start before a reschedule, to say what changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_start: Option<i64>,
    /// "Confirmation to pat@example.com", for admins looking at failed jobs.
    pub label: String,
    /// What a co-host did in their calendar, for [`MailKind::CalendarChanged`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_change: Option<CalendarChange>,
}

/// A host's move or deletion of their copy of a booking, as their co-hosts hear of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarChange {
    pub by: String,
    /// "Google Calendar".
    pub calendar: String,
    /// Where they moved it; `None`: deleted.
    pub moved_to: Option<(i64, i64)>,
    pub at: i64,
}

impl MailJob {
    fn key(&self, uid: &str) -> String {
        let base = format!("mail:{uid}:{}:{}:{}", self.kind.as_str(), self.sequence, self.to.key());
        match &self.calendar_change {
            Some(change) => format!("{base}:{}", change.at),
            None => base,
        }
    }
}

/// What just happened to a booking, as the transaction that did it knows it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Change {
    Created,
    Rescheduled {
        previous_start: i64,
        previous_hosts: Vec<i64>,
    },
    HostChanged {
        previous_hosts: Vec<i64>,
    },
    Cancelled,
    /// The video link arrived after messages said it would follow.
    VideoLinkReady,
}

/// What the followers of a booking change (messages, webhooks, calendar writes, the video link)
/// read about the booking and its hosts: loaded once, inside the transaction making the change.
#[derive(sqlx::FromRow)]
pub(crate) struct Facts {
    pub(crate) booking_id: i64,
    pub(crate) uid: String,
    pub(crate) sequence: i64,
    start_at: i64,
    attendee_email: String,
    #[sqlx(try_from = "crate::db::IntBool")]
    reminder_24h: bool,
    #[sqlx(try_from = "crate::db::IntBool")]
    reminder_1h: bool,
    /// The event type's meeting kind, when it makes video meetings.
    pub(crate) conferencing: Option<String>,
    pub(crate) team_id: i64,
    pub(crate) event_type_id: i64,
    /// How many enabled webhook endpoints its team has: with none, nothing more is read for them.
    webhook_endpoints: i64,
    /// Its hosts with a connected calendar, when known without reading them (a booking created in
    /// this transaction); otherwise they are read with the hosts holding a copy of it.
    #[sqlx(skip)]
    calendar_hosts: Option<Vec<i64>>,
    /// Its current hosts, the organizer first.
    #[sqlx(skip)]
    pub(crate) hosts: Vec<HostRecord>,
    /// The guests the attendee added, in order of address, when known without reading them (a
    /// booking created in this transaction); otherwise read when messages are queued.
    #[sqlx(skip)]
    guests: Option<Vec<String>>,
}

impl Facts {
    async fn load(tx: &mut Transaction<'static, Any>, booking_id: i64) -> Result<Self, sqlx::Error> {
        let mut facts: Self = sqlx::query_as(
            "SELECT b.id AS booking_id, b.uid, b.sequence, b.start_at, b.attendee_email, e.reminder_24h, \
             e.reminder_1h, e.conferencing, e.team_id, e.id AS event_type_id, \
             (SELECT COUNT(*) FROM webhook_endpoints w WHERE w.team_id = e.team_id AND w.enabled = 1) \
             AS webhook_endpoints \
             FROM bookings b JOIN event_types e ON e.id = b.event_type_id WHERE b.id = $1",
        )
        .bind(booking_id)
        .fetch_one(&mut **tx)
        .await?;
        facts.hosts = booking_record::hosts(&mut **tx, booking_id).await?;
        Ok(facts)
    }

    /// The facts of a booking this transaction has just inserted, from what it inserted and what
    /// its inserts returned (the team's webhook endpoints, the hosts with a connected calendar):
    /// reading them back would be five round trips more in every booking's transaction.
    pub(crate) fn of_new(
        (booking_id, uid): (i64, &str),
        event_type: &EventType,
        (start_at, attendee_email): (i64, &str),
        (hosts, guests): (Vec<HostRecord>, &[domain::Email]),
        (webhook_endpoints, calendar_hosts): (i64, Vec<i64>),
    ) -> Self {
        let mut guests: Vec<String> = guests.iter().map(|g| g.as_str().to_owned()).collect();
        guests.sort_unstable();
        guests.dedup();
        let (mut hosts, mut calendar_hosts) = (hosts, calendar_hosts);
        hosts.sort_unstable_by_key(|h| h.id);
        calendar_hosts.sort_unstable();
        Self {
            booking_id,
            uid: uid.to_owned(),
            sequence: 0,
            start_at,
            attendee_email: attendee_email.to_owned(),
            reminder_24h: event_type.reminder_24h,
            reminder_1h: event_type.reminder_1h,
            conferencing: crate::conferencing::MeetingKind::parse(&event_type.location_kind)
                .map(|kind| kind.as_str().to_owned()),
            team_id: event_type.team_id,
            event_type_id: event_type.id,
            webhook_endpoints,
            calendar_hosts: Some(calendar_hosts),
            hosts,
            guests: Some(guests),
        }
    }

    /// Who the booking's deliveries are for: its team and event type.
    fn owner(&self) -> crate::webhooks::Owner {
        (self.team_id, self.event_type_id)
    }
}

/// Enqueues the messages, webhook deliveries and calendar writes `change` calls for; the caller
/// commits and then wakes the worker. Messages that should carry a video link still being made
/// wait for it (see `conferencing::announce`); the calendar writes, which make it, go at once.
pub(crate) async fn booking_changed(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    change: Change,
    now: i64,
) -> Result<(), ServiceError> {
    let facts = Facts::load(tx, booking_id).await?;
    follow(services, tx, &facts, change, now).await
}

/// [`booking_changed`] for a booking this transaction created, with its facts as inserted.
pub(crate) async fn booking_created(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    facts: &Facts,
    now: i64,
) -> Result<(), ServiceError> {
    follow(services, tx, facts, Change::Created, now).await
}

/// Enqueues what follows `change` of the booking `facts` describe.
async fn follow(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    facts: &Facts,
    change: Change,
    now: i64,
) -> Result<(), ServiceError> {
    if crate::conferencing::announce::needs_wait(tx, facts, &change, now).await? {
        crate::conferencing::announce::enqueue(services, tx, facts, change, now).await?;
    } else {
        announce_known(services, tx, facts, change, now).await?;
    }
    // Hosts' connected calendars follow every change too, through their own jobs.
    let booking = (facts.booking_id, facts.uid.as_str(), facts.sequence);
    match &facts.calendar_hosts {
        Some(members) => crate::calendars::write_to(tx, booking, members, now).await?,
        None => crate::calendars::booking_changed(tx, booking, now).await?,
    }
    Ok(())
}

/// Enqueues the messages and webhook deliveries `change` calls for.
pub(crate) async fn announce(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    change: Change,
    now: i64,
) -> Result<(), ServiceError> {
    let facts = Facts::load(tx, booking_id).await?;
    announce_known(services, tx, &facts, change, now).await
}

/// [`announce`] with the booking's facts already read; its messages are enqueued in one
/// statement.
async fn announce_known(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    facts: &Facts,
    change: Change,
    now: i64,
) -> Result<(), ServiceError> {
    let (booking_id, hosts) = (facts.booking_id, facts.hosts.as_slice());
    let guests = match &facts.guests {
        Some(known) => std::borrow::Cow::Borrowed(known),
        None => std::borrow::Cow::Owned(crate::questions::booking_guests(&mut **tx, booking_id).await?),
    };
    let (messages, previous_start) = messages(&change, hosts, &guests);
    if !matches!(change, Change::Created) {
        jobs::drop_queued(tx, booking_id, &format!("mail:{}:reminder", facts.uid), now).await?;
    }
    let mut wanted: Vec<(MailKind, Recipient, i64)> = messages.into_iter().map(|(k, r)| (k, r, now)).collect();
    if !matches!(change, Change::Cancelled) {
        wanted.extend(reminders(facts, hosts, now));
    }
    let mut queued = Vec::with_capacity(wanted.len());
    for (kind, to, run_at) in wanted {
        let email = match &to {
            Recipient::Attendee => Some(facts.attendee_email.clone()),
            Recipient::Guest(email) => Some(email.clone()),
            Recipient::Host(id) => match hosts.iter().find(|h| h.id == *id) {
                Some(host) => Some(host.email.clone()),
                None => booking_record::member(&mut **tx, *id).await?.map(|m| m.email),
            },
        };
        // A removed member's address is a tombstone: nobody to tell.
        let Some(email) = email else { continue };
        let job = MailJob {
            booking_id,
            sequence: facts.sequence,
            kind,
            to,
            previous_start,
            label: format!("{} to {email}", render::kind_label(kind)),
            calendar_change: None,
        };
        queued.push(NewJob {
            kind: MAIL_JOB,
            dedupe_key: job.key(&facts.uid),
            payload: serde_json::to_value(&job).unwrap_or_default(),
            booking_id: Some(booking_id),
            run_at,
        });
    }
    jobs::enqueue_all(tx, &queued, now).await?;
    if facts.webhook_endpoints == 0 {
        return Ok(());
    }
    crate::webhooks::booking_changed(services, tx, (booking_id, facts.owner()), &change, now).await
}

/// Who gets which message now; hosts that were on the booking before and are not any more get
/// theirs cancelled, hosts new to it get a confirmation; guests hear what the attendee hears.
fn messages(change: &Change, hosts: &[HostRecord], guests: &[String]) -> (Vec<(MailKind, Recipient)>, Option<i64>) {
    let current: Vec<i64> = hosts.iter().map(|h| h.id).collect();
    // The attendee, and hosts who stay on the booking, hear what happened; nothing happened for
    // a host who stays when only the host changed.
    let (kind, previous, previous_start) = match change {
        Change::Created => (MailKind::Confirmed, &current, None),
        Change::Cancelled => (MailKind::Cancelled, &current, None),
        Change::Rescheduled {
            previous_start,
            previous_hosts,
        } => (MailKind::Rescheduled, previous_hosts, Some(*previous_start)),
        Change::HostChanged { previous_hosts } => (MailKind::HostChanged, previous_hosts, None),
        Change::VideoLinkReady => (MailKind::VideoLinkReady, &current, None),
    };
    let mut out = vec![(kind, Recipient::Attendee)];
    out.extend(guests.iter().map(|email| (kind, Recipient::Guest(email.clone()))));
    for id in &current {
        if !previous.contains(id) {
            out.push((MailKind::Confirmed, Recipient::Host(*id)));
        } else if kind != MailKind::HostChanged {
            out.push((kind, Recipient::Host(*id)));
        }
    }
    out.extend(
        previous
            .iter()
            .filter(|id| !current.contains(id))
            .map(|id| (MailKind::Released, Recipient::Host(*id))),
    );
    (out, previous_start)
}

/// Reminders still in the future, to the attendee and every host.
fn reminders(facts: &Facts, hosts: &[HostRecord], now: i64) -> Vec<(MailKind, Recipient, i64)> {
    let mut out = Vec::new();
    for (on, kind, before) in [
        (facts.reminder_24h, MailKind::Reminder24h, 86_400),
        (facts.reminder_1h, MailKind::Reminder1h, 3_600),
    ] {
        let run_at = facts.start_at - before;
        if on && run_at > now {
            out.push((kind, Recipient::Attendee, run_at));
            out.extend(hosts.iter().map(|h| (kind, Recipient::Host(h.id), run_at)));
        }
    }
    out
}

/// Tells a collective booking's other hosts that `changer` moved or deleted their copy in their
/// own calendar (the booking itself is unchanged), inside the transaction recording it.
pub(crate) async fn tell_co_hosts(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    changer: i64,
    change: CalendarChange,
    now: i64,
) -> Result<(), ServiceError> {
    let facts = Facts::load(tx, booking_id).await?;
    let mut queued = Vec::with_capacity(facts.hosts.len());
    for host in facts.hosts.iter().filter(|h| h.id != changer) {
        let job = MailJob {
            booking_id,
            sequence: facts.sequence,
            kind: MailKind::CalendarChanged,
            to: Recipient::Host(host.id),
            previous_start: None,
            label: format!("{} to {}", render::kind_label(MailKind::CalendarChanged), host.email),
            calendar_change: Some(change.clone()),
        };
        queued.push(NewJob {
            kind: MAIL_JOB,
            dedupe_key: job.key(&facts.uid),
            payload: serde_json::to_value(&job).unwrap_or_default(),
            booking_id: Some(booking_id),
            run_at: now,
        });
    }
    jobs::enqueue_all(tx, &queued, now).await?;
    if facts.webhook_endpoints == 0 {
        return Ok(());
    }
    crate::webhooks::host_calendar_changed(services, tx, (booking_id, facts.owner()), &change, now).await
}
