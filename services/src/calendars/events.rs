//! Bookings as events in hosts' calendars, written by jobs so that a slow or failing provider
//! never holds up a booking. Each change of a booking queues one job per host (current or
//! former) keyed by booking, member and sequence; the job reconciles: it makes the host's
//! calendar show the booking as it is now (created, moved, or gone), so retries and reordering
//! are harmless. A create carries our own key (Google's event id, Graph's `transactionId`), so a
//! retried create cannot duplicate.

use super::api::{EventBody, EventTarget, Written};
use super::{Connection, ConnectionStatus, Provider, ProviderError, store};
use crate::Services;
use crate::booking_record::HostRecord;
use crate::booking_record::{self, BookingRecord};
use crate::conferencing::{self, Meeting, MeetingRequest, request_for};
use crate::jobs::{self, JobFailure, NewJob};
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

pub const CALENDAR_JOB: &str = "calendar_event";

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct EventJob {
    booking_id: i64,
    pub(super) member_id: i64,
    sequence: i64,
    label: String,
}

/// Queues the calendar work for a change of the booking, inside the transaction making it.
pub(crate) async fn booking_changed(
    tx: &mut Transaction<'static, Any>,
    (booking_id, uid, sequence): (i64, &str, i64),
    now: i64,
) -> Result<(), sqlx::Error> {
    // Current hosts and former ones whose calendars still hold a copy, if connected.
    let members: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT c.member_id FROM calendar_connections c WHERE c.status = 'active' AND c.member_id IN \
         (SELECT member_id FROM booking_hosts WHERE booking_id = $1 \
         UNION SELECT member_id FROM booking_calendar_events WHERE booking_id = $1) ORDER BY c.member_id",
    )
    .bind(booking_id)
    .fetch_all(&mut **tx)
    .await?;
    write_to(tx, (booking_id, uid, sequence), &members, now).await
}

/// Queues the writes of the booking to the connected calendars of `members`, when the caller
/// knows whose they are (a booking created in this transaction: its hosts with a connection).
pub(crate) async fn write_to(
    tx: &mut Transaction<'static, Any>,
    booking: (i64, &str, i64),
    members: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    for &member_id in members {
        enqueue_write(tx, booking, member_id, "", now).await?;
    }
    Ok(())
}

/// Queues a job that writes the booking to the host's calendar again as it is now ("Keep
/// booking" after the host deleted or moved its event).
pub(super) async fn rewrite(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    member_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (uid, sequence) = booking_record::uid_and_sequence(&mut **tx, booking_id).await?;
    enqueue_write(tx, (booking_id, &uid, sequence), member_id, &format!(":kept{now}"), now).await
}

async fn enqueue_write(
    tx: &mut Transaction<'static, Any>,
    (booking_id, uid, sequence): (i64, &str, i64),
    member_id: i64,
    key_suffix: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let payload = EventJob {
        booking_id,
        member_id,
        sequence,
        label: format!("Calendar event of booking {uid}"),
    };
    let job = NewJob {
        kind: CALENDAR_JOB,
        payload: serde_json::to_value(&payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?,
        dedupe_key: format!("calendar:{uid}:{member_id}:{sequence}{key_suffix}"),
        booking_id: Some(booking_id),
        run_at: now,
    };
    jobs::enqueue(tx, &job, now).await
}

/// Our key for a booking's event in one host's calendar: Google's event id (it wants base32hex,
/// `[a-v0-9]`, which hex is) and Graph's `transactionId`.
fn event_key(uid: &str, member_id: i64) -> String {
    format!("rdv{}m{member_id}", hex::encode(uid))
}

/// A host's copy of the booking as the last job left it.
#[derive(sqlx::FromRow)]
struct Copy {
    provider: String,
    calendar_id: String,
    event_id: Option<String>,
    state: String,
    etag: Option<String>,
}

/// Where the job writes: the provider and calendar holding the event, and its id once known.
struct Target {
    provider: Provider,
    calendar: String,
    event_id: Option<String>,
    /// Of our last write (CalDAV replaces only that version).
    etag: Option<String>,
}

impl Target {
    /// An existing copy stays where it is (a retried create reuses its transaction); a new one
    /// goes to the calendar the host chose for bookings, if any. Nothing to do for a booking the
    /// host no longer has and whose event never existed or is already gone.
    fn choose(copy: Option<Copy>, wanted: bool, destination: Option<(Provider, String)>) -> Option<Self> {
        match (copy, wanted) {
            (Some(copy), _) if wanted || (copy.event_id.is_some() && copy.state != "removed") => Some(Target {
                provider: Provider::parse(&copy.provider)?,
                calendar: copy.calendar_id,
                event_id: copy.event_id,
                etag: copy.etag,
            }),
            (None, true) => destination.map(|(provider, calendar)| Target {
                provider,
                calendar,
                event_id: None,
                etag: None,
            }),
            _ => None,
        }
    }
}

impl Services {
    pub(crate) async fn sync_calendar_event(&self, payload: &str) -> Result<(), JobFailure> {
        let job: EventJob = serde_json::from_str(payload).map_err(JobFailure::permanent)?;
        let pool = self.db().pool();
        let Some((record, hosts)) = booking_record::for_job(pool, job.booking_id, job.sequence)
            .await
            .map_err(JobFailure::transient)?
        else {
            return Ok(());
        };
        let host = hosts.iter().find(|h| h.id == job.member_id);
        let wanted = !record.cancelled() && host.is_some();
        let connections = store::connections_of(pool, job.member_id)
            .await
            .map_err(JobFailure::transient)?;
        let copy: Option<Copy> = sqlx::query_as(
            "SELECT provider, calendar_id, event_id, state, etag FROM booking_calendar_events \
             WHERE booking_id = $1 AND member_id = $2",
        )
        .bind(record.id)
        .bind(job.member_id)
        .fetch_optional(pool)
        .await
        .map_err(JobFailure::transient)?;
        let destination = connections
            .iter()
            .find_map(|c| c.destination.clone().map(|calendar| (c.provider, calendar)));
        let meeting = wanted
            .then(|| request_for(record.meeting.as_ref(), &record.uid, job.member_id))
            .flatten();
        let Some(target) = Target::choose(copy, wanted, destination) else {
            return self
                .no_meeting(&record, job.member_id, meeting, "has no calendar chosen for bookings")
                .await;
        };
        let connection = connections
            .iter()
            .find(|c| c.provider == target.provider && c.status == ConnectionStatus::Active);
        let Some(connection) = connection else {
            // Disconnected or waiting for a reconnect: nothing can be written.
            return self
                .no_meeting(&record, job.member_id, meeting, "needs to reconnect their calendar")
                .await;
        };
        let meeting = match meeting {
            Some(request) if request.kind.provider() != target.provider => {
                let why = format!(
                    "books into a calendar that cannot make {} meetings",
                    request.kind.label()
                );
                self.no_meeting(&record, job.member_id, Some(request), &why).await?;
                return self.write_copy(&record, &job, host, target, connection, None).await;
            }
            other => other,
        };
        self.write_copy(&record, &job, host, target, connection, meeting).await
    }

    /// Writes (or deletes) one host's copy and records how it went, with its meeting.
    async fn write_copy(
        &self,
        record: &BookingRecord,
        job: &EventJob,
        host: Option<&HostRecord>,
        target: Target,
        connection: &Connection,
        meeting: Option<MeetingRequest>,
    ) -> Result<(), JobFailure> {
        let wanted = host.is_some() && !record.cancelled();
        let pending = Outcome {
            state: "pending",
            error: None,
            etag: None,
        };
        self.record_sync(record.id, job.member_id, &target, &pending)
            .await
            .map_err(JobFailure::transient)?;
        let zone = host.map_or("UTC", |h| h.timezone.as_str());
        let key = event_key(&record.uid, job.member_id);
        let mut body = wanted.then(|| self.event_body(record, zone, meeting));
        let mut outcome = self.write_event(connection, &target, &key, body.as_ref()).await;
        if let (Err(ProviderError::Rejected { status: 400, reason }), Some(asked)) =
            (&outcome, body.as_mut().and_then(|b| b.meeting.take()))
        {
            // The provider refused the meeting (e.g. Meet turned off for the calendar): the
            // event still goes in, without it.
            let why = format!("{} refused the meeting: {reason}", target.provider.label());
            conferencing::record(self, record.id, job.member_id, &Meeting::Failed(why))
                .await
                .map_err(|e| JobFailure::transient(anyhow::anyhow!("{e}")))?;
            tracing::warn!(uid = %record.uid, kind = ?asked.kind, "meeting refused; writing the event without it");
            outcome = self.write_event(connection, &target, &key, body.as_ref()).await;
        }
        if let Ok(Some(written)) = &outcome {
            self.meeting_answered(record, job, written).await?;
        }
        let (state, error, written, etag) = match &outcome {
            Ok(Some(written)) if wanted => (
                "synced",
                None,
                Target {
                    event_id: Some(written.id.clone()),
                    ..target
                },
                written.etag.clone(),
            ),
            Ok(_) => ("removed", None, target, None),
            Err(e) => ("failed", Some(e.to_string()), target, None),
        };
        let outcome_record = Outcome {
            state,
            error: error.as_deref(),
            etag: etag.as_deref(),
        };
        self.record_sync(record.id, job.member_id, &written, &outcome_record)
            .await
            .map_err(JobFailure::transient)?;
        outcome.map(drop).map_err(provider_failure)
    }

    /// Keeps what the provider said about the meeting the write asked for; a pending one is
    /// asked about again by a job of its own.
    async fn meeting_answered(
        &self,
        record: &BookingRecord,
        job: &EventJob,
        written: &Written,
    ) -> Result<(), JobFailure> {
        let Some(meeting) = &written.meeting else {
            return Ok(());
        };
        let done = match meeting {
            Meeting::Pending => conferencing::poll::enqueue(self, record.id, job.member_id, &written.id).await,
            answer => conferencing::record(self, record.id, job.member_id, answer).await,
        };
        done.map_err(|e| JobFailure::transient(anyhow::anyhow!("{e}")))
    }

    /// A meeting asked of a host who cannot make it fails now, so the messages waiting for it
    /// go and say the host will send a link (the overview shows the calendar problem).
    async fn no_meeting(
        &self,
        record: &BookingRecord,
        member_id: i64,
        meeting: Option<MeetingRequest>,
        why: &str,
    ) -> Result<(), JobFailure> {
        let Some(request) = meeting else {
            return Ok(());
        };
        let why = format!("the host {why}");
        tracing::warn!(uid = %record.uid, kind = ?request.kind, %why, "no meeting can be made");
        conferencing::record(self, record.id, member_id, &Meeting::Failed(why))
            .await
            .map_err(|e| JobFailure::transient(anyhow::anyhow!("{e}")))
    }

    /// Writes the booking (`body`) or deletes its event (`None`); returns the event as written.
    async fn write_event(
        &self,
        connection: &Connection,
        target: &Target,
        key: &str,
        body: Option<&EventBody>,
    ) -> Result<Option<Written>, ProviderError> {
        self.with_api(connection, |api| async move {
            let spot = EventTarget {
                calendar: &target.calendar,
                existing: target.event_id.as_deref(),
                key,
                etag: target.etag.as_deref(),
            };
            match (body, &target.event_id) {
                (Some(body), _) => api.write_event(&spot, body).await.map(Some),
                (None, Some(id)) => api.delete_event(&target.calendar, id).await.map(|()| None),
                (None, None) => Ok(None),
            }
        })
        .await
    }

    fn event_body(&self, record: &BookingRecord, zone: &str, meeting: Option<MeetingRequest>) -> EventBody {
        let links = self
            .manage_token(record)
            .map(|token| self.manage_links(&record.uid, &token, record.language()).description());
        let mut lines: Vec<String> = record
            .answers
            .iter()
            .map(|answer| format!("{}: {}", answer.label, answer.value.display()))
            .collect();
        if !record.guests.is_empty() {
            lines.push(format!("Guests: {}", record.guests.join(", ")));
        }
        let mut description = lines.join("\n");
        if let Some(links) = links {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&links);
        }
        EventBody {
            summary: format!("{} with {}", record.title, record.attendee_name),
            description,
            start: DateTime::from_timestamp(record.start_at, 0).unwrap_or_default(),
            end: DateTime::from_timestamp(record.end_at, 0).unwrap_or_default(),
            time_zone: zone.to_owned(),
            attendee_email: record.attendee_email.clone(),
            attendee_name: record.attendee_name.clone(),
            guests: record.guests.clone(),
            location: record.place(),
            meeting,
            booking_uid: record.uid.clone(),
            ical_uid: format!("{}@{}", record.uid, self.calendar_domain()),
        }
    }

    /// Records where the host's copy stands. A write that reached the calendar settles whatever
    /// the host had done to the event (their deletion is undone by writing it again).
    async fn record_sync(
        &self,
        booking_id: i64,
        member_id: i64,
        target: &Target,
        outcome: &Outcome<'_>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO booking_calendar_events (booking_id, member_id, provider, calendar_id, event_id, state, \
             last_error, updated_at, etag) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (booking_id, member_id) DO UPDATE SET provider = excluded.provider, \
             calendar_id = excluded.calendar_id, event_id = COALESCE(excluded.event_id, booking_calendar_events.event_id), \
             state = excluded.state, last_error = excluded.last_error, updated_at = excluded.updated_at, \
             etag = COALESCE(excluded.etag, booking_calendar_events.etag), \
             host_change = CASE WHEN excluded.state IN ('synced', 'removed') THEN NULL \
               ELSE booking_calendar_events.host_change END, \
             acts_at = CASE WHEN excluded.state IN ('synced', 'removed') THEN NULL ELSE booking_calendar_events.acts_at END",
        )
        .bind(booking_id)
        .bind(member_id)
        .bind(target.provider.as_str())
        .bind(&target.calendar)
        .bind(target.event_id.as_deref())
        .bind(outcome.state)
        .bind(outcome.error)
        .bind(self.clock().now())
        .bind(outcome.etag)
        .execute(self.db().pool())
        .await?;
        Ok(())
    }
}

/// How a job's attempt left the host's copy.
struct Outcome<'a> {
    state: &'a str,
    error: Option<&'a str>,
    etag: Option<&'a str>,
}

/// How the job queue should treat a provider failure: throttling and outages are retried (after
/// `Retry-After` when sent), a lost grant or a refused request is final.
pub(super) fn provider_failure(error: ProviderError) -> JobFailure {
    let retry_after = match &error {
        ProviderError::Throttled { retry_after } => retry_after.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        _ => None,
    };
    let permanent = !error.is_transient();
    JobFailure {
        error: anyhow::Error::new(error),
        permanent,
        retry_after,
    }
}
