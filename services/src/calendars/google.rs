//! The Google Calendar API v3 calls Rendezvous makes, with Google's errors sorted into what the
//! caller can do about them (see `ProviderError`).

use super::api::EventBody;
use super::wire::{Failure, encode, json_of, rfc3339};
use super::{ProviderError, RemoteCalendar};
use crate::conferencing::{Meeting, MeetingKind};
use chrono::{DateTime, Utc};
use engine::Interval;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

/// Calls on behalf of one account.
pub(crate) struct GoogleApi<'a> {
    pub http: &'a reqwest::Client,
    /// The API root, e.g. `https://www.googleapis.com/calendar/v3`.
    pub root: &'a url::Url,
    pub access_token: &'a str,
}

/// A booking as a Google event: times with the host's zone, our booking uid as a private
/// extended property.
fn event_json(body: &EventBody) -> Value {
    let mut json = event_fields(body);
    if let Some(meeting) = &body.meeting {
        json["conferenceData"] = json!({"createRequest": {
            "requestId": meeting.request_id,
            "conferenceSolutionKey": {"type": MEET},
        }});
    }
    json
}

/// Google's name for Meet among conference solutions.
const MEET: &str = "hangoutsMeet";

/// The query of an event write: never mail anyone (our own invitation does), and let the body
/// ask for a Meet conference when it carries one.
fn write_query(body: &EventBody) -> [(&'static str, &'static str); 2] {
    let conference_version = if body.meeting.is_some() { "1" } else { "0" };
    [("sendUpdates", "none"), ("conferenceDataVersion", conference_version)]
}

/// The Meet conference of an event Google answered with, when one was asked for. A `success`
/// without a video entry point counts as no link, not as success.
pub(super) fn meeting_in(event: &Value) -> Meeting {
    let data = &event["conferenceData"];
    match data["createRequest"]["status"]["statusCode"].as_str() {
        Some("pending") => return Meeting::Pending,
        Some("failure") => return Meeting::Failed("Google could not create the Meet conference".into()),
        _ => {}
    }
    let video = data["entryPoints"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|entry| entry["entryPointType"] == "video")
        .and_then(|entry| entry["uri"].as_str());
    match video.or(event["hangoutLink"].as_str()) {
        Some(url) if url.starts_with("https://") => Meeting::Ready {
            join_url: url.to_owned(),
            conference_id: data["conferenceId"].as_str().map(str::to_owned),
        },
        _ => Meeting::Failed("Google answered without a Meet link".into()),
    }
}

/// The fields of a booking's event, without its conference.
fn event_fields(body: &EventBody) -> Value {
    let guests = body.guests.iter().map(|email| json!({"email": email}));
    let attendees: Vec<Value> =
        std::iter::once(json!({"email": body.attendee_email, "displayName": body.attendee_name}))
            .chain(guests)
            .collect();
    json!({
        "summary": body.summary,
        "description": body.description,
        // A patch of an event the host deleted brings it back rather than editing a cancelled one.
        "status": "confirmed",
        "start": {"dateTime": body.start.to_rfc3339(), "timeZone": body.time_zone},
        "end": {"dateTime": body.end.to_rfc3339(), "timeZone": body.time_zone},
        "attendees": attendees,
        "location": body.location,
        "extendedProperties": {"private": {"rendezvousBookingUid": body.booking_uid}},
    })
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
    #[serde(default)]
    conference_properties: ConferenceProperties,
    background_color: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ConferenceProperties {
    #[serde(default)]
    allowed_conference_solution_types: Vec<String>,
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
    pub(super) fn request(&self, method: Method, path: &str) -> RequestBuilder {
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
            calendars.extend(page.items.into_iter().map(|entry| {
                RemoteCalendar {
                    writable: matches!(entry.access_role.as_str(), "writer" | "owner"),
                    name: if entry.summary.is_empty() {
                        entry.id.clone()
                    } else {
                        entry.summary
                    },
                    primary: entry.primary,
                    color: entry.background_color.as_deref().and_then(super::plain_color),
                    meetings: if entry
                        .conference_properties
                        .allowed_conference_solution_types
                        .iter()
                        .any(|t| t == MEET)
                    {
                        vec![MeetingKind::GoogleMeet]
                    } else {
                        Vec::new()
                    },
                    id: entry.id,
                }
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
    /// event is brought up to date instead, so a retry never duplicates. Returns what Google
    /// answered: the new etag and, when asked for, the conference.
    pub async fn put_event(&self, calendar: &str, event_id: &str, body: &EventBody) -> Result<Answer, ProviderError> {
        let mut json = event_json(body);
        json["id"] = json!(event_id);
        json["iCalUID"] = json!(body.ical_uid);
        let path = format!("/calendars/{}/events", encode(calendar));
        match send(self.request(Method::POST, &path).query(&write_query(body)).json(&json)).await {
            Err(ProviderError::Rejected { status: 409, .. }) => self.patch_event(calendar, event_id, body).await,
            Ok(response) => Ok(Answer::read(response, body).await),
            Err(other) => Err(other),
        }
    }

    pub async fn patch_event(&self, calendar: &str, event_id: &str, body: &EventBody) -> Result<Answer, ProviderError> {
        let path = format!("/calendars/{}/events/{}", encode(calendar), encode(event_id));
        let request = self
            .request(Method::PATCH, &path)
            .query(&write_query(body))
            .json(&event_json(body));
        Ok(Answer::read(send(request).await?, body).await)
    }

    /// The conference of an event whose creation was pending.
    pub async fn meeting_of(&self, calendar: &str, event_id: &str) -> Result<Meeting, ProviderError> {
        let path = format!("/calendars/{}/events/{}", encode(calendar), encode(event_id));
        let event: Value = json_of(send(self.request(Method::GET, &path)).await?).await?;
        Ok(meeting_in(&event))
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

/// What Google answered to a write; a write whose answer cannot be read still happened (and a
/// conference asked for in it is then read back later, as a pending one is).
pub(crate) struct Answer {
    pub etag: Option<String>,
    pub meeting: Option<Meeting>,
}

impl Answer {
    async fn read(response: Response, body: &EventBody) -> Self {
        let event: Option<Value> = response.json().await.ok();
        Self {
            etag: event.as_ref().and_then(|e| e["etag"].as_str().map(str::to_owned)),
            meeting: body
                .meeting
                .as_ref()
                .map(|_| event.as_ref().map_or(Meeting::Pending, meeting_in)),
        }
    }
}

pub(super) async fn send(request: RequestBuilder) -> Result<Response, ProviderError> {
    super::wire::send(request, classify).await
}

/// Google also throttles with 403 and a rate-limit reason.
fn classify(failure: Failure) -> ProviderError {
    let reason = failure.body["error"]["errors"][0]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let message = failure.body["error"]["message"].as_str().unwrap_or_default().to_owned();
    let rate_limited = failure.status == StatusCode::FORBIDDEN
        && matches!(
            reason.as_str(),
            "rateLimitExceeded" | "userRateLimitExceeded" | "quotaExceeded"
        );
    if rate_limited {
        return ProviderError::Throttled {
            retry_after: failure.retry_after,
        };
    }
    if let Some(common) = failure.common() {
        return common;
    }
    failure.rejected(if reason.is_empty() {
        message
    } else {
        format!("{reason}: {message}")
    })
}
