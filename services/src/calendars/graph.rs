//! The Microsoft Graph v1.0 calls Rendezvous makes for Outlook calendars. Busy time of the
//! mailbox's default calendar comes from `getSchedule` (Exchange's own free/busy, at most 62
//! days a call); other checked calendars are read through their calendar view. `free` and
//! `workingElsewhere` leave a member available; `tentative`, `busy`, `oof` and anything unknown
//! block the time. Events are written as wall-clock time plus the host's zone, as Graph expects,
//! with a `transactionId` so that a create retried after a lost answer finds the first event.
//! They carry no attendees: Graph would send its own invitation beside ours.

use super::api::{EventBody, EventTarget, Written};
use super::wire::{Failure, encode, json_of};
use super::{CalendarChoice, ProviderError, RemoteCalendar};
use crate::conferencing::{Meeting, MeetingKind};
use chrono::{NaiveDateTime, TimeZone};
use engine::Interval;
use reqwest::{Method, RequestBuilder, Response};
use serde::Deserialize;
use serde_json::{Value, json};

/// Our booking uid on the event, as a named property in the public strings property set.
const BOOKING_UID_PROPERTY: &str = "String {00020329-0000-0000-C000-000000000046} Name rendezvousBookingUid";
/// getSchedule refuses longer windows (`ErrorTimeIntervalTooBig`).
const SCHEDULE_MAX_SECS: i64 = 62 * 86_400;
/// Times in answers in UTC, whatever the mailbox's zone.
pub(super) const IN_UTC: (&str, &str) = ("Prefer", "outlook.timezone=\"UTC\"");

/// Calls on behalf of one account.
pub(crate) struct GraphApi<'a> {
    pub http: &'a reqwest::Client,
    /// The Graph root, e.g. `https://graph.microsoft.com/v1.0`.
    pub root: &'a url::Url,
    pub access_token: &'a str,
}

#[derive(Deserialize)]
pub(super) struct Page<T> {
    #[serde(default = "Vec::new")]
    pub(super) value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    pub(super) next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink")]
    pub(super) delta_link: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphCalendar {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    is_default_calendar: bool,
    #[serde(default)]
    can_edit: bool,
    #[serde(default)]
    allowed_online_meeting_providers: Vec<String>,
    hex_color: Option<String>,
}

/// Graph's name for Teams among online meeting providers.
const TEAMS: &str = "teamsForBusiness";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Me {
    mail: Option<String>,
    user_principal_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Schedule {
    #[serde(default)]
    schedule_items: Vec<Busy>,
    error: Option<Value>,
}

/// A schedule item or a calendar view event: a status and UTC wall-clock times.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Busy {
    #[serde(alias = "showAs")]
    status: Option<String>,
    #[serde(default)]
    is_cancelled: bool,
    start: WallTime,
    end: WallTime,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WallTime {
    pub(super) date_time: String,
}

impl Busy {
    /// Only what stops a meeting from being booked: see the module documentation.
    fn blocks(&self) -> bool {
        !self.is_cancelled && !matches!(self.status.as_deref(), Some("free" | "workingElsewhere"))
    }

    fn interval(&self) -> Result<Interval, ProviderError> {
        Ok(Interval::new(utc(&self.start)?, utc(&self.end)?))
    }
}

pub(super) fn utc(time: &WallTime) -> Result<i64, ProviderError> {
    NaiveDateTime::parse_from_str(&time.date_time, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|t| t.and_utc().timestamp())
        .map_err(|e| ProviderError::Other(format!("unexpected time {:?} from Graph: {e}", time.date_time)))
}

/// `2026-03-15T12:00:00` in the host's zone, as Graph wants event times.
fn wall_clock(instant: chrono::DateTime<chrono::Utc>, zone: &str) -> String {
    let format = "%Y-%m-%dT%H:%M:%S";
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => tz.from_utc_datetime(&instant.naive_utc()).format(format).to_string(),
        Err(_) => instant.format(format).to_string(),
    }
}

fn utc_wall(instant: i64) -> Value {
    let at = chrono::DateTime::from_timestamp(instant, 0).unwrap_or_default();
    json!({"dateTime": at.format("%Y-%m-%dT%H:%M:%S").to_string(), "timeZone": "UTC"})
}

fn event_json(body: &EventBody) -> Value {
    let attendee = format!("Attendee: {} <{}>", body.attendee_name, body.attendee_email);
    let mut json = json!({
        "subject": body.summary,
        "body": {"contentType": "text", "content": format!("{attendee}\n\n{}", body.description)},
        "start": {"dateTime": wall_clock(body.start, &body.time_zone), "timeZone": body.time_zone},
        "end": {"dateTime": wall_clock(body.end, &body.time_zone), "timeZone": body.time_zone},
        "showAs": "busy",
        "singleValueExtendedProperties": [{"id": BOOKING_UID_PROPERTY, "value": body.booking_uid}],
        "location": {"displayName": body.location},
    });
    if body.meeting.is_some() {
        json["isOnlineMeeting"] = json!(true);
        json["onlineMeetingProvider"] = json!(TEAMS);
    }
    json
}

/// The Teams meeting of an event Graph answered with. An account without Teams may answer with
/// another provider's link (Skype) or none at all: neither is a Teams link.
fn meeting_in(event: &Value) -> Meeting {
    let url = event["onlineMeeting"]["joinUrl"]
        .as_str()
        .filter(|u| u.starts_with("https://"));
    match (event["onlineMeetingProvider"].as_str(), url) {
        (Some(TEAMS), Some(url)) => Meeting::Ready {
            join_url: url.to_owned(),
            conference_id: event["onlineMeeting"]["conferenceId"].as_str().map(str::to_owned),
        },
        _ => Meeting::Failed("the Microsoft account cannot make Teams meetings".into()),
    }
}

/// A created event's id, etag and, when asked for, its meeting.
fn written(event: &Value, body: &EventBody) -> Result<Written, ProviderError> {
    let id = event["id"]
        .as_str()
        .ok_or_else(|| ProviderError::Other("Graph answered a write without the event's id".into()))?;
    Ok(written_as(id, event, body))
}

fn written_as(id: &str, event: &Value, body: &EventBody) -> Written {
    Written {
        id: id.to_owned(),
        etag: event["@odata.etag"].as_str().map(str::to_owned),
        meeting: body.meeting.as_ref().map(|_| meeting_in(event)),
    }
}

impl GraphApi<'_> {
    pub(super) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.at(method, &format!("{}{path}", self.root.as_str().trim_end_matches('/')))
    }

    pub(super) fn at(&self, method: Method, url: &str) -> RequestBuilder {
        self.http.request(method, url).bearer_auth(self.access_token)
    }

    /// Every item of a listing, following `@odata.nextLink`.
    async fn all<T: serde::de::DeserializeOwned>(&self, first: RequestBuilder) -> Result<Vec<T>, ProviderError> {
        let mut items = Vec::new();
        let mut request = first;
        loop {
            let page: Page<T> = json_of(send(request).await?).await?;
            items.extend(page.value);
            match page.next_link {
                Some(next) => request = self.at(Method::GET, &next).header(IN_UTC.0, IN_UTC.1),
                None => return Ok(items),
            }
        }
    }

    /// The mailbox's address, which names the account.
    pub async fn mailbox(&self) -> Result<String, ProviderError> {
        let me: Me = json_of(send(self.request(Method::GET, "/me")).await?).await?;
        Ok(me.mail.unwrap_or(me.user_principal_name))
    }

    pub async fn calendars(&self) -> Result<Vec<RemoteCalendar>, ProviderError> {
        let calendars: Vec<GraphCalendar> = self.all(self.request(Method::GET, "/me/calendars")).await?;
        Ok(calendars
            .into_iter()
            .map(|c| RemoteCalendar {
                name: if c.name.is_empty() { c.id.clone() } else { c.name },
                primary: c.is_default_calendar,
                writable: c.can_edit,
                color: c.hex_color.as_deref().and_then(super::plain_color),
                meetings: if c.allowed_online_meeting_providers.iter().any(|p| p == TEAMS) {
                    vec![MeetingKind::MicrosoftTeams]
                } else {
                    Vec::new()
                },
                id: c.id,
            })
            .collect())
    }

    /// Busy time of the checked calendars; any calendar that cannot be read fails the whole
    /// answer, because partial busy time could offer a time that conflicts.
    pub async fn busy(
        &self,
        mailbox: &str,
        checked: &[&CalendarChoice],
        (from, until): (i64, i64),
    ) -> Result<Vec<Interval>, ProviderError> {
        let mut busy = Vec::new();
        for calendar in checked {
            let items = if calendar.primary {
                self.schedule(mailbox, (from, until)).await?
            } else {
                self.calendar_view(&calendar.id, (from, until)).await?
            };
            for item in items.iter().filter(|i| i.blocks()) {
                busy.push(item.interval()?);
            }
        }
        Ok(busy)
    }

    async fn schedule(&self, mailbox: &str, (from, until): (i64, i64)) -> Result<Vec<Busy>, ProviderError> {
        let mut items = Vec::new();
        let mut start = from;
        while start < until {
            let end = (start + SCHEDULE_MAX_SECS).min(until);
            let body = json!({
                "schedules": [mailbox],
                "startTime": utc_wall(start),
                "endTime": utc_wall(end),
                "availabilityViewInterval": 15,
            });
            let request = self
                .request(Method::POST, "/me/calendar/getSchedule")
                .header(IN_UTC.0, IN_UTC.1)
                .json(&body);
            let answer: Page<Schedule> = json_of(send(request).await?).await?;
            let schedule = answer
                .value
                .into_iter()
                .next()
                .ok_or_else(|| ProviderError::Other("getSchedule answered without a schedule".into()))?;
            if let Some(error) = schedule.error {
                return Err(ProviderError::Other(format!("getSchedule: {error}")));
            }
            items.extend(schedule.schedule_items);
            start = end;
        }
        Ok(items)
    }

    async fn calendar_view(&self, calendar: &str, (from, until): (i64, i64)) -> Result<Vec<Busy>, ProviderError> {
        let window = [
            ("startDateTime", super::wire::rfc3339(from)),
            ("endDateTime", super::wire::rfc3339(until)),
        ];
        let request = self
            .request(Method::GET, &format!("/me/calendars/{}/calendarView", encode(calendar)))
            .header(IN_UTC.0, IN_UTC.1)
            .query(&window);
        self.all(request).await
    }

    /// Updates the event when it exists; creates it otherwise (again, under a new transaction,
    /// when the member deleted it in Outlook). Returns its id, etag and meeting.
    pub async fn write_event(&self, target: &EventTarget<'_>, body: &EventBody) -> Result<Written, ProviderError> {
        let mut transaction = target.key.to_owned();
        if let Some(id) = target.existing {
            let patch = self
                .request(Method::PATCH, &format!("/me/events/{}", encode(id)))
                .json(&event_json(body));
            match send(patch).await {
                Ok(response) => {
                    let event: Value = response.json().await.unwrap_or_default();
                    return Ok(written_as(id, &event, body));
                }
                Err(ProviderError::Rejected { status: 404, .. }) => transaction = format!("{}-{id}", target.key),
                Err(other) => return Err(other),
            }
        }
        let mut json = event_json(body);
        json["transactionId"] = json!(transaction);
        let path = format!("/me/calendars/{}/events", encode(target.calendar));
        let event: Value = json_of(send(self.request(Method::POST, &path).json(&json)).await?).await?;
        written(&event, body)
    }

    pub async fn delete_event(&self, event_id: &str) -> Result<(), ProviderError> {
        match send(self.request(Method::DELETE, &format!("/me/events/{}", encode(event_id)))).await {
            Ok(_) | Err(ProviderError::Rejected { status: 404, .. }) => Ok(()),
            Err(other) => Err(other),
        }
    }
}

pub(super) async fn send(request: RequestBuilder) -> Result<Response, ProviderError> {
    super::wire::send(request, classify).await
}

/// Graph's envelope: `{"error": {"code": …, "message": …}}`.
fn classify(failure: Failure) -> ProviderError {
    if let Some(common) = failure.common() {
        return common;
    }
    let code = failure.body["error"]["code"].as_str().unwrap_or_default();
    let message = failure.body["error"]["message"].as_str().unwrap_or_default();
    failure.rejected(format!("{code}: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(status: &str) -> Busy {
        let at = |t: &str| WallTime {
            date_time: t.to_owned(),
        };
        Busy {
            status: Some(status.to_owned()),
            is_cancelled: false,
            start: at("2026-03-15T12:00:00.0000000"),
            end: at("2026-03-15T12:30:00.0000000"),
        }
    }

    #[test]
    fn tentative_busy_and_away_block_while_free_and_working_elsewhere_do_not() {
        let blocking: Vec<&str> = ["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"]
            .into_iter()
            .filter(|s| item(s).blocks())
            .collect();
        assert_eq!(blocking, ["tentative", "busy", "oof", "unknown"]);
    }

    #[test]
    fn graph_times_are_read_as_utc_with_seven_digit_fractions() {
        let interval = item("busy").interval().unwrap();
        assert_eq!(interval.start, 1_773_576_000);
        assert_eq!(interval.end - interval.start, 1800);
    }

    #[test]
    fn event_times_are_wall_clock_in_the_host_zone_without_an_offset() {
        let at = chrono::DateTime::from_timestamp(1_773_576_000, 0).unwrap();
        assert_eq!(wall_clock(at, "Asia/Kathmandu"), "2026-03-15T17:45:00");
        assert_eq!(wall_clock(at, "Pacific/Chatham"), "2026-03-16T01:45:00");
    }
}
