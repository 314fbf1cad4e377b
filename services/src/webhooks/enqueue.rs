//! Deliveries made inside the transaction that changes a booking: one row with the exact body and
//! one job per subscribed endpoint, so a committed change is always delivered and a rolled-back
//! one never is.

use super::endpoints::{Endpoint, EndpointRow, endpoint_columns};
use super::payload::{self, BookingPayload, CalendarChangePayload, Envelope};
use super::{WEBHOOK_JOB, WebhookEvent};
use crate::jobs::{self, NewJob};
use crate::notify::{CalendarChange, Change};
use crate::{ServiceError, Services, tokens};
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Transaction};

/// A webhook job's payload.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct DeliveryJob {
    pub delivery_id: i64,
    /// "booking.created to https://crm.example.com/…", for admins looking at failed jobs.
    pub label: String,
}

/// Deliveries for a booking change, to every enabled endpoint that wants it.
pub(crate) async fn booking_changed(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    (booking_id, owner): (i64, Owner),
    change: &Change,
    now: i64,
) -> Result<(), ServiceError> {
    let (event, previous_start) = match change {
        Change::Created => (WebhookEvent::BookingCreated, None),
        Change::Rescheduled { previous_start, .. } => (WebhookEvent::BookingRescheduled, Some(*previous_start)),
        Change::HostChanged { .. } => (WebhookEvent::BookingHostChanged, None),
        Change::Cancelled => (WebhookEvent::BookingCancelled, None),
        Change::VideoLinkReady => (WebhookEvent::BookingVideoLinkReady, None),
    };
    send(services, tx, (booking_id, owner), event, (previous_start, None), now).await
}

/// Deliveries for a co-host's move or deletion of their copy of a collective booking.
pub(crate) async fn host_calendar_changed(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    (booking_id, owner): (i64, Owner),
    change: &CalendarChange,
    now: i64,
) -> Result<(), ServiceError> {
    let calendar_change = CalendarChangePayload {
        by: change.by.clone(),
        calendar: change.calendar.clone(),
        moved_to_start: change.moved_to.map(|(start, _)| payload::utc(start)),
        moved_to_end: change.moved_to.map(|(_, end)| payload::utc(end)),
    };
    let event = WebhookEvent::BookingHostCalendarChanged;
    send(
        services,
        tx,
        (booking_id, owner),
        event,
        (None, Some(calendar_change)),
        now,
    )
    .await
}

async fn send(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    (booking_id, owner): (i64, Owner),
    event: WebhookEvent,
    (previous_start, calendar_change): (Option<i64>, Option<CalendarChangePayload>),
    now: i64,
) -> Result<(), ServiceError> {
    let endpoints = subscribed(tx, owner, event).await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    services.webhooks_queued();
    let base = services.config().public_origin();
    let booking = payload::booking(tx, booking_id, previous_start, &base).await?;
    for endpoint in &endpoints {
        let delivery = Delivery {
            endpoint,
            event,
            booking_id: Some(booking_id),
            booking: booking.clone(),
            calendar_change: calendar_change.clone(),
        };
        delivery.insert(tx, now).await?;
    }
    Ok(())
}

/// A booking's team and event type: who its deliveries are for.
pub(crate) type Owner = (i64, i64);

/// The enabled endpoints of the booking's team that want `event` for its event type.
async fn subscribed(
    tx: &mut AnyConnection,
    (team_id, event_type_id): Owner,
    event: WebhookEvent,
) -> Result<Vec<Endpoint>, ServiceError> {
    let rows: Vec<EndpointRow> = sqlx::query_as(concat!(
        "SELECT ",
        endpoint_columns!(),
        " FROM webhook_endpoints e WHERE e.team_id = $1 AND e.enabled = 1 ORDER BY e.id"
    ))
    .bind(team_id)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(Endpoint::from)
        .filter(|e| e.wants(event, event_type_id))
        .collect())
}

/// One delivery about to be stored.
pub(super) struct Delivery<'a> {
    pub endpoint: &'a Endpoint,
    pub event: WebhookEvent,
    pub booking_id: Option<i64>,
    pub booking: BookingPayload,
    pub calendar_change: Option<CalendarChangePayload>,
}

impl Delivery<'_> {
    /// Stores the delivery with its body and queues its job; returns the delivery's row id.
    pub async fn insert(self, tx: &mut Transaction<'static, Any>, now: i64) -> Result<i64, ServiceError> {
        let uid = format!("dlv_{}", tokens::uid());
        let body = serde_json::to_string(&Envelope {
            id: uid.clone(),
            event: self.event.as_str().to_owned(),
            version: payload::VERSION,
            created_at: payload::utc(now),
            booking: self.booking,
            calendar_change: self.calendar_change,
        })
        .map_err(ServiceError::internal)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_deliveries (endpoint_id, uid, event, booking_id, body, state, attempts, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) RETURNING id",
        )
        .bind(self.endpoint.id)
        .bind(&uid)
        .bind(self.event.as_str())
        .bind(self.booking_id)
        .bind(&body)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        let label = super::log::label(self.event.as_str(), &uid, self.endpoint);
        queue_attempt(tx, id, &label, &uid, now).await?;
        Ok(id)
    }
}

/// Queues a job that sends delivery `id`; `key` makes queuing the same attempt twice a no-op.
pub(super) async fn queue_attempt(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    label: &str,
    key: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let job = DeliveryJob {
        delivery_id: id,
        label: label.to_owned(),
    };
    let new = NewJob {
        kind: WEBHOOK_JOB,
        payload: serde_json::to_value(&job).map_err(ServiceError::internal)?,
        dedupe_key: format!("webhook:{key}"),
        booking_id: None,
        run_at: now,
    };
    jobs::enqueue(tx, &new, now).await?;
    Ok(())
}
