//! The Google Calendar API v3 calls Rendezvous makes, with Google's errors sorted into what the
//! caller can do about them (see `ProviderError`).

use super::{ProviderError, RemoteCalendar};
use chrono::{DateTime, Utc};
use engine::Interval;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// Calls on behalf of one account.
pub(crate) struct GoogleApi<'a> {
    pub http: &'a reqwest::Client,
    /// The API root, e.g. `https://www.googleapis.com/calendar/v3`.
    pub root: &'a url::Url,
    pub access_token: &'a str,
}

/// A booking as a Google event.
pub(crate) struct EventBody {
    pub summary: String,
    pub description: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The host's zone, so Google shows the event in it.
    pub time_zone: String,
    pub attendee_email: String,
    pub attendee_name: String,
    pub booking_uid: String,
    /// The invitation's UID, so the emailed invite and this event are one in calendar clients.
    pub ical_uid: String,
}

impl EventBody {
    fn to_json(&self) -> Value {
        json!({
            "summary": self.summary,
            "description": self.description,
            "start": {"dateTime": self.start.to_rfc3339(), "timeZone": self.time_zone},
            "end": {"dateTime": self.end.to_rfc3339(), "timeZone": self.time_zone},
            "attendees": [{"email": self.attendee_email, "displayName": self.attendee_name}],
            "extendedProperties": {"private": {"rendezvousBookingUid": self.booking_uid}},
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CalendarListPage {
    #[serde(default)]
    items: Vec<CalendarListEntry>,
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CalendarListEntry {
    id: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    primary: bool,
    access_role: String,
}

#[derive(Deserialize)]
struct FreeBusyAnswer {
    #[serde(default)]
    calendars: std::collections::HashMap<String, FreeBusyCalendar>,
}

#[derive(Deserialize)]
struct FreeBusyCalendar {
    #[serde(default)]
    busy: Vec<FreeBusySpan>,
    #[serde(default)]
    errors: Vec<Value>,
}

#[derive(Deserialize)]
struct FreeBusySpan {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl GoogleApi<'_> {
    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.root.as_str().trim_end_matches('/')))
            .bearer_auth(self.access_token)
    }

    /// Every calendar of the account, following pages.
    pub async fn calendars(&self) -> Result<Vec<RemoteCalendar>, ProviderError> {
        let mut calendars = Vec::new();
        let mut page_token: Option<String> = None;
        loop {
            let mut request = self
                .request(Method::GET, "/users/me/calendarList")
                .query(&[("maxResults", "250")]);
            if let Some(token) = &page_token {
                request = request.query(&[("pageToken", token)]);
            }
            let page: CalendarListPage = json_of(send(request).await?).await?;
            calendars.extend(page.items.into_iter().map(|entry| RemoteCalendar {
                writable: matches!(entry.access_role.as_str(), "writer" | "owner"),
                name: if entry.summary.is_empty() {
                    entry.id.clone()
                } else {
                    entry.summary
                },
                primary: entry.primary,
                id: entry.id,
            }));
            match page.next_page_token {
                Some(token) => page_token = Some(token),
                None => return Ok(calendars),
            }
        }
    }

    /// Busy time of `calendars` within `[from, until)`. A calendar Google could not read fails
    /// the whole answer: partial busy time could offer a time that conflicts.
    pub async fn busy(&self, calendars: &[String], (from, until): (i64, i64)) -> Result<Vec<Interval>, ProviderError> {
        let body = json!({
            "timeMin": rfc3339(from),
            "timeMax": rfc3339(until),
            "items": calendars.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
        });
        let answer: FreeBusyAnswer = json_of(send(self.request(Method::POST, "/freeBusy").json(&body)).await?).await?;
        let mut busy = Vec::new();
        for id in calendars {
            let calendar = answer
                .calendars
                .get(id)
                .ok_or_else(|| ProviderError::Other(format!("freeBusy left out calendar {id}")))?;
            if let Some(error) = calendar.errors.first() {
                return Err(ProviderError::Other(format!("calendar {id}: {error}")));
            }
            busy.extend(
                calendar
                    .busy
                    .iter()
                    .map(|span| Interval::new(span.start.timestamp(), span.end.timestamp())),
            );
        }
        Ok(busy)
    }

    /// Creates the event under our own id; if an earlier attempt already created it (409), the
    /// event is brought up to date instead, so a retry never duplicates.
    pub async fn put_event(&self, calendar: &str, event_id: &str, body: &EventBody) -> Result<(), ProviderError> {
        let mut json = body.to_json();
        json["id"] = json!(event_id);
        json["iCalUID"] = json!(body.ical_uid);
        let path = format!("/calendars/{}/events", encode(calendar));
        match send(
            self.request(Method::POST, &path)
                .query(&[("sendUpdates", "none")])
                .json(&json),
        )
        .await
        {
            Err(ProviderError::Rejected { status: 409, .. }) => self.patch_event(calendar, event_id, body).await,
            other => other.map(drop),
        }
    }

    pub async fn patch_event(&self, calendar: &str, event_id: &str, body: &EventBody) -> Result<(), ProviderError> {
        let path = format!("/calendars/{}/events/{}", encode(calendar), encode(event_id));
        send(
            self.request(Method::PATCH, &path)
                .query(&[("sendUpdates", "none")])
                .json(&body.to_json()),
        )
        .await
        .map(drop)
    }

    /// Deletes the event; one that is already gone counts as deleted.
    pub async fn delete_event(&self, calendar: &str, event_id: &str) -> Result<(), ProviderError> {
        let path = format!("/calendars/{}/events/{}", encode(calendar), encode(event_id));
        match send(self.request(Method::DELETE, &path).query(&[("sendUpdates", "none")])).await {
            Ok(_) | Err(ProviderError::Rejected { status: 404 | 410, .. }) => Ok(()),
            Err(other) => Err(other),
        }
    }
}

fn rfc3339(instant: i64) -> String {
    DateTime::<Utc>::from_timestamp(instant, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}

async fn send(request: RequestBuilder) -> Result<Response, ProviderError> {
    let response = request
        .send()
        .await
        .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
    if response.status().is_success() {
        return Ok(response);
    }
    Err(classify(response).await)
}

async fn json_of<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ProviderError> {
    response
        .json()
        .await
        .map_err(|e| ProviderError::Other(format!("unexpected answer from Google: {e}")))
}

/// Sorts a failed call: throttling and server trouble are retried later (after `Retry-After`
/// when Google sends one), a refused token asks for a refresh, the rest is final.
async fn classify(response: Response) -> ProviderError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let reason = body["error"]["errors"][0]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let message = body["error"]["message"].as_str().unwrap_or_default().to_owned();
    let throttled = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && matches!(
                reason.as_str(),
                "rateLimitExceeded" | "userRateLimitExceeded" | "quotaExceeded"
            ))
        || status.is_server_error();
    if throttled {
        ProviderError::Throttled { retry_after }
    } else if status == StatusCode::UNAUTHORIZED {
        ProviderError::Unauthorized
    } else {
        ProviderError::Rejected {
            status: status.as_u16(),
            reason: if reason.is_empty() {
                message
            } else {
                format!("{reason}: {message}")
            },
        }
    }
}
