//! Following a Google calendar: `events.list` with a sync token (a full listing when there is
//! none, or when Google answers 410 `fullSyncRequired`), and `events.watch` push channels.
//! Listings ask for `singleEvents=true`, so recurring meetings arrive as their occurrences.

use super::ProviderError;
use super::google::{GoogleApi, send};
use super::remote::{Changes, ChannelRequest, OpenedChannel, RemoteEvent, Shown};
use super::wire::{encode, json_of, rfc3339};
use chrono::{DateTime, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};

/// Google's largest page.
const PAGE_SIZE: &str = "2500";

impl GoogleApi<'_> {
    /// Changes since `token`, or every event of the window without one (bounded at both ends:
    /// with `singleEvents` an endless series would otherwise list occurrences for years).
    pub async fn changes(
        &self,
        calendar: &str,
        token: Option<&str>,
        (from, until): (i64, i64),
    ) -> Result<Changes, ProviderError> {
        let path = format!("/calendars/{}/events", encode(calendar));
        let mut changes = Changes {
            full: token.is_none(),
            ..Changes::default()
        };
        let mut page_token: Option<String> = None;
        loop {
            let mut request = self
                .request(Method::GET, &path)
                .query(&[("singleEvents", "true"), ("maxResults", PAGE_SIZE)]);
            request = match token {
                Some(token) => request.query(&[("syncToken", token)]),
                None => request.query(&[("timeMin", rfc3339(from)), ("timeMax", rfc3339(until))]),
            };
            if let Some(page) = &page_token {
                request = request.query(&[("pageToken", page)]);
            }
            let page: Value = json_of(send(request).await?).await?;
            let items = page["items"].as_array().map(Vec::as_slice).unwrap_or_default();
            changes.events.extend(items.iter().filter_map(event));
            if let Some(next) = page["nextPageToken"].as_str() {
                page_token = Some(next.to_owned());
                continue;
            }
            changes.next_token = page["nextSyncToken"].as_str().map(str::to_owned);
            return Ok(changes);
        }
    }

    /// Opens an `events.watch` channel with our id and secret token.
    pub async fn watch(&self, channel: &ChannelRequest<'_>, now: i64) -> Result<OpenedChannel, ProviderError> {
        let path = format!("/calendars/{}/events/watch", encode(channel.calendar));
        let body = json!({
            "id": channel.id,
            "type": "web_hook",
            "address": channel.address,
            "token": channel.secret,
            "params": {"ttl": (channel.expires_at - now).max(1).to_string()},
        });
        let answer: Value = json_of(send(self.request(Method::POST, &path).json(&body)).await?).await?;
        let millis = match &answer["expiration"] {
            Value::String(raw) => raw.parse::<i64>().ok(),
            other => other.as_i64(),
        };
        Ok(OpenedChannel {
            id: channel.id.to_owned(),
            resource: answer["resourceId"].as_str().map(str::to_owned),
            expires_at: millis.map_or(channel.expires_at, |ms| ms / 1000),
        })
    }

    /// Stops a channel; one Google no longer knows counts as stopped.
    pub async fn stop_channel(&self, id: &str, resource: &str) -> Result<(), ProviderError> {
        let body = json!({"id": id, "resourceId": resource});
        match send(self.request(Method::POST, "/channels/stop").json(&body)).await {
            Ok(_) | Err(ProviderError::Rejected { status: 404, .. }) => Ok(()),
            Err(other) => Err(other),
        }
    }
}

/// One listed event; deleted and cancelled ones carry only their id.
fn event(item: &Value) -> Option<RemoteEvent> {
    let id = item["id"].as_str()?.to_owned();
    let etag = item["etag"].as_str().map(str::to_owned);
    let shown = if item["status"] == "cancelled" {
        None
    } else {
        let (start, all_day) = instant(&item["start"])?;
        let (end, _) = instant(&item["end"])?;
        let declined = item["attendees"].as_array().is_some_and(|attendees| {
            attendees
                .iter()
                .any(|a| a["self"] == true && a["responseStatus"] == "declined")
        });
        Some(Shown {
            title: item["summary"].as_str().unwrap_or_default().to_owned(),
            start,
            end,
            all_day,
            busy: item["transparency"] != "transparent" && !declined,
        })
    };
    Some(RemoteEvent { id, etag, shown })
}

/// `{dateTime}` as an instant, or an all-day `{date}` as its midnight in UTC.
fn instant(time: &Value) -> Option<(i64, bool)> {
    if let Some(raw) = time["dateTime"].as_str() {
        return DateTime::parse_from_rfc3339(raw).ok().map(|t| (t.timestamp(), false));
    }
    let date = NaiveDate::parse_from_str(time["date"].as_str()?, "%Y-%m-%d").ok()?;
    Some((date.and_hms_opt(0, 0, 0)?.and_utc().timestamp(), true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancelled_events_are_removals_and_transparent_or_declined_ones_do_not_make_busy() {
        let removed = event(&json!({"id": "a", "status": "cancelled", "etag": "\"1\""})).unwrap();
        assert_eq!(removed.shown, None);
        let at = json!({"dateTime": "2027-01-18T09:00:00+01:00"});
        let until = json!({"dateTime": "2027-01-18T10:00:00+01:00"});
        let free = event(&json!({"id": "b", "start": at, "end": until, "transparency": "transparent"})).unwrap();
        assert!(!free.shown.unwrap().busy);
        let declined = event(&json!({"id": "c", "start": at, "end": until,
            "attendees": [{"email": "me@x", "self": true, "responseStatus": "declined"}]}))
        .unwrap();
        assert!(!declined.shown.unwrap().busy);
        let busy = event(&json!({"id": "d", "summary": "Dentist", "start": at, "end": until})).unwrap();
        let shown = busy.shown.unwrap();
        assert_eq!(
            (shown.start, shown.end - shown.start, shown.busy),
            (1_800_259_200, 3600, true)
        );
    }

    #[test]
    fn all_day_events_start_at_midnight_and_end_exclusive() {
        let all_day = event(&json!({"id": "e", "start": {"date": "2027-01-18"}, "end": {"date": "2027-01-19"}}))
            .unwrap()
            .shown
            .unwrap();
        assert!(all_day.all_day);
        assert_eq!(all_day.end - all_day.start, 86_400);
    }
}
