//! Following an Outlook calendar through Graph: `calendarView/delta` for the default calendar (the
//! only one v1.0 tracks), a full `calendarView` listing of the window for others, and change
//! notification subscriptions. Both views list occurrences of recurring meetings.

use super::ProviderError;
use super::graph::{GraphApi, IN_UTC, Page, WallTime, send, utc};
use super::remote::{Changes, ChannelRequest, OpenedChannel, RemoteEvent, Shown};
use super::wire::{encode, json_of, rfc3339};
use chrono::DateTime;
use reqwest::{Method, RequestBuilder};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    id: String,
    expiration_date_time: String,
}

impl GraphApi<'_> {
    /// Changes of the default calendar since `token` (a delta link), or its whole window without
    /// one; other calendars are listed whole every time.
    pub async fn changes(
        &self,
        calendar: &str,
        default: bool,
        token: Option<&str>,
        (from, until): (i64, i64),
    ) -> Result<Changes, ProviderError> {
        let window = [("startDateTime", rfc3339(from)), ("endDateTime", rfc3339(until))];
        let first = match (default, token) {
            (true, Some(link)) => self.at(Method::GET, self.own_link(link)?),
            (true, None) => self.request(Method::GET, "/me/calendarView/delta").query(&window),
            (false, _) => self
                .request(Method::GET, &format!("/me/calendars/{}/calendarView", encode(calendar)))
                .query(&window),
        };
        let mut changes = Changes {
            full: !default || token.is_none(),
            ..Changes::default()
        };
        let mut request = first.header(IN_UTC.0, IN_UTC.1);
        loop {
            let page: Page<Value> = json_of(send(request).await?).await?;
            changes.events.extend(page.value.iter().filter_map(event));
            match page.next_link {
                Some(next) => request = self.at(Method::GET, self.own_link(&next)?).header(IN_UTC.0, IN_UTC.1),
                None => {
                    changes.next_token = page.delta_link.filter(|_| default);
                    return Ok(changes);
                }
            }
        }
    }

    /// A paging or delta link, followed only when it points at the Graph we are configured for:
    /// the access token goes with it.
    fn own_link<'l>(&self, link: &'l str) -> Result<&'l str, ProviderError> {
        let ours = url::Url::parse(link).is_ok_and(|url| url.origin() == self.root.origin());
        if ours {
            Ok(link)
        } else {
            Err(ProviderError::Other(format!(
                "Graph sent a link to another host: {link}"
            )))
        }
    }

    /// Subscribes to changes of the calendar's events.
    pub async fn subscribe(&self, channel: &ChannelRequest<'_>) -> Result<OpenedChannel, ProviderError> {
        let body = json!({
            "changeType": "created,updated,deleted",
            "notificationUrl": channel.address,
            "lifecycleNotificationUrl": channel.lifecycle_address,
            "resource": format!("me/calendars/{}/events", channel.calendar),
            "expirationDateTime": rfc3339(channel.expires_at),
            "clientState": channel.secret,
        });
        let created: Subscription =
            json_of(send(self.request(Method::POST, "/subscriptions").json(&body)).await?).await?;
        Ok(OpenedChannel {
            expires_at: expiry(&created, channel.expires_at),
            id: created.id,
            resource: None,
        })
    }

    /// Extends a subscription; a 404 means it is gone and must be made again.
    pub async fn renew(&self, id: &str, expires_at: i64) -> Result<i64, ProviderError> {
        let body = json!({"expirationDateTime": rfc3339(expires_at)});
        let request = self
            .request(Method::PATCH, &format!("/subscriptions/{}", encode(id)))
            .json(&body);
        let renewed: Subscription = json_of(send(request).await?).await?;
        Ok(expiry(&renewed, expires_at))
    }

    /// Deletes a subscription; one already gone counts as deleted.
    pub async fn unsubscribe(&self, id: &str) -> Result<(), ProviderError> {
        let request: RequestBuilder = self.request(Method::DELETE, &format!("/subscriptions/{}", encode(id)));
        match send(request).await {
            Ok(_) | Err(ProviderError::Rejected { status: 404, .. }) => Ok(()),
            Err(other) => Err(other),
        }
    }
}

fn expiry(subscription: &Subscription, asked: i64) -> i64 {
    DateTime::parse_from_rfc3339(&subscription.expiration_date_time).map_or(asked, |t| t.timestamp())
}

/// One event of a view or delta page; `@removed` and cancelled ones are removals.
fn event(item: &Value) -> Option<RemoteEvent> {
    let id = item["id"].as_str()?.to_owned();
    let etag = item["@odata.etag"].as_str().map(str::to_owned);
    if item.get("@removed").is_some() || item["isCancelled"] == true {
        return Some(RemoteEvent { id, etag, shown: None });
    }
    let time = |which: &str| -> Option<i64> {
        let wall: WallTime = serde_json::from_value(item[which].clone()).ok()?;
        utc(&wall).ok()
    };
    let shown = Shown {
        title: item["subject"].as_str().unwrap_or_default().to_owned(),
        start: time("start")?,
        end: time("end")?,
        all_day: item["isAllDay"] == true,
        busy: !matches!(item["showAs"].as_str(), Some("free" | "workingElsewhere")),
    };
    Some(RemoteEvent {
        id,
        etag,
        shown: Some(shown),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_and_cancelled_items_are_removals_and_free_ones_do_not_make_busy() {
        let removed = event(&json!({"id": "a", "@removed": {"reason": "deleted"}})).unwrap();
        assert_eq!(removed.shown, None);
        let cancelled = event(&json!({"id": "b", "isCancelled": true})).unwrap();
        assert_eq!(cancelled.shown, None);
        let at = |t: &str| json!({"dateTime": t, "timeZone": "UTC"});
        let free = event(&json!({"id": "c", "subject": "Lunch", "showAs": "free",
            "start": at("2027-01-18T08:00:00.0000000"), "end": at("2027-01-18T09:00:00.0000000")}))
        .unwrap()
        .shown
        .unwrap();
        assert_eq!(
            (free.start, free.end - free.start, free.busy),
            (1_800_259_200, 3600, false)
        );
    }
}
