//! CalDAV (RFC 4791): Apple iCloud, Fastmail, Nextcloud and any standard server, reached with
//! the member's username and password (an app-specific password at iCloud and Fastmail).
//!
//! Calendars and events are named by their `href` on the server; every request stays on the
//! origin of the member's calendar home, so a server cannot send the credentials elsewhere.
//! Busy time comes from `free-busy-query` where the server offers it, else from a
//! `calendar-query` over the window; bookings are `PUT` as `.ics` resources named by our own
//! key with `If-None-Match: *` (a retried create cannot make a second event) and replaced with
//! `If-Match` on the stored etag; two-way sync follows `sync-collection` (RFC 6578). The XML is in
//! `xml`, the iCalendar in `ical`, connecting in `discovery`.

pub(crate) mod discovery;
pub(crate) mod ical;
mod sync;
pub(crate) mod xml;

use super::api::{EventBody, EventTarget, Written};
use super::{ProviderError, RemoteCalendar, wire};
use engine::Interval;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, ETAG, HeaderValue};
use reqwest::{Method, RequestBuilder, Response, StatusCode};

/// Calls on behalf of one account.
pub(crate) struct CaldavApi<'a> {
    /// The guarded client: no redirects, and no private addresses unless configured.
    pub http: &'a reqwest::Client,
    /// The member's calendar home; calendars and events are hrefs on its origin.
    pub home: &'a url::Url,
    /// The `Authorization` header value (HTTP Basic).
    pub credential: &'a str,
}

/// `PROPFIND`, `REPORT`: WebDAV methods reqwest has no constant for.
pub(crate) fn method(name: &'static str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)
}

/// The `Authorization` value for a username and password.
pub(crate) fn basic_credential(username: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
    )
}

/// A failed CalDAV answer, sorted: a refused login only a new password fixes; throttling and
/// server trouble are retried; anything else is the request's fault.
pub(crate) fn classify(status: StatusCode, retry_after: Option<std::time::Duration>, body: &str) -> ProviderError {
    match status.as_u16() {
        401 => ProviderError::Revoked("the server refused the username or password".into()),
        429 | 500..=599 => ProviderError::Throttled { retry_after },
        // Radicale answers a sync token it no longer knows with 403, Xandikos with 412: both
        // name the precondition, and both mean what Google's and Graph's 410 do.
        403 | 412 if xml::invalid_sync_token(body) => ProviderError::Rejected {
            status: 410,
            reason: "the sync token is no longer valid".into(),
        },
        code => ProviderError::Rejected {
            status: code,
            reason: body.chars().take(200).collect::<String>().trim().to_owned(),
        },
    }
}

/// Sends a request; a non-2xx answer becomes the error [`classify`] makes of it.
pub(crate) async fn send(request: RequestBuilder) -> Result<Response, ProviderError> {
    wire::send(request, |failure| {
        classify(failure.status, failure.retry_after, &failure.text)
    })
    .await
}

/// A `207 Multi-Status` answer, read.
pub(crate) async fn multistatus_of(response: Response) -> Result<xml::MultiStatus, ProviderError> {
    let body = response
        .text()
        .await
        .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
    xml::multistatus(&body).map_err(ProviderError::Other)
}

fn etag_of(response: &Response) -> Option<String> {
    response
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Requests at most this many resources per `calendar-multiget`.
const MULTIGET_BATCH: usize = 100;

impl CaldavApi<'_> {
    /// A request to `href` on the home's origin; an href elsewhere is refused.
    fn request(&self, method: Method, href: &str) -> Result<RequestBuilder, ProviderError> {
        let url = self
            .home
            .join(href)
            .map_err(|_| ProviderError::Other(format!("the server named an unusable address: {href}")))?;
        if url.origin() != self.home.origin() {
            return Err(ProviderError::Other(format!(
                "the server named an address on another host: {url}"
            )));
        }
        let credential = HeaderValue::from_str(self.credential)
            .map_err(|_| ProviderError::Other("the stored credential is unusable".into()))?;
        Ok(self.http.request(method, url).header(AUTHORIZATION, credential))
    }

    fn xml_request(
        &self,
        method: Method,
        href: &str,
        depth: &str,
        body: String,
    ) -> Result<RequestBuilder, ProviderError> {
        Ok(self
            .request(method, href)?
            .header("Depth", depth)
            .header(CONTENT_TYPE, "application/xml; charset=utf-8")
            .body(body))
    }

    /// The home's calendars that hold events, with their names and colours; the first one the
    /// member can write to counts as primary (CalDAV has no such notion).
    pub async fn calendars(&self) -> Result<Vec<RemoteCalendar>, ProviderError> {
        let request = self.xml_request(method("PROPFIND"), self.home.path(), "1", xml::CALENDARS.into())?;
        let listed = multistatus_of(send(request).await?).await?;
        let mut calendars: Vec<RemoteCalendar> = listed
            .responses
            .into_iter()
            .filter_map(|r| {
                let calendar = r.calendar.filter(|c| c.events)?;
                let name = calendar.name.unwrap_or_else(|| last_segment(&r.href));
                Some(RemoteCalendar {
                    id: r.href,
                    name,
                    primary: false,
                    writable: calendar.writable,
                    color: calendar.color,
                    meetings: Vec::new(),
                })
            })
            .collect();
        if let Some(first) = calendars.iter_mut().find(|c| c.writable) {
            first.primary = true;
        }
        Ok(calendars)
    }

    /// Busy time of the calendars within `window`.
    pub async fn busy(&self, calendars: &[&str], window: (i64, i64)) -> Result<Vec<Interval>, ProviderError> {
        let mut busy = Vec::new();
        for calendar in calendars {
            let periods = match self.free_busy(calendar, window).await {
                Err(ProviderError::Rejected { .. }) => self.busy_from_events(calendar, window).await?,
                other => other?,
            };
            busy.extend(periods.into_iter().map(|(start, end)| Interval::new(start, end)));
        }
        Ok(busy)
    }

    /// `free-busy-query` (RFC 4791 §7.10): the server merges busy time itself. The answer is
    /// judged by its content, not its type (Xandikos sends `application/octet-stream`).
    async fn free_busy(&self, calendar: &str, window: (i64, i64)) -> Result<Vec<(i64, i64)>, ProviderError> {
        let request = self.xml_request(method("REPORT"), calendar, "1", xml::free_busy_query(window))?;
        let body = send(request)
            .await?
            .text()
            .await
            .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        if !body.contains("BEGIN:VFREEBUSY") {
            return Err(ProviderError::Rejected {
                status: 415,
                reason: "the free-busy answer holds no VFREEBUSY".into(),
            });
        }
        Ok(ical::free_busy_periods(&body))
    }

    /// Busy time from the events themselves, for servers without `free-busy-query`.
    async fn busy_from_events(&self, calendar: &str, window: (i64, i64)) -> Result<Vec<(i64, i64)>, ProviderError> {
        Ok(self
            .events_in(calendar, window)
            .await?
            .into_iter()
            .flat_map(|(_, _, occurrences)| occurrences)
            .filter(|o| o.busy)
            .map(|o| (o.start, o.end))
            .collect())
    }

    /// Every event resource overlapping the window: href, etag and occurrences.
    async fn events_in(&self, calendar: &str, window: (i64, i64)) -> Result<Vec<Listed>, ProviderError> {
        let request = self.xml_request(method("REPORT"), calendar, "1", xml::calendar_query(window))?;
        let answer = multistatus_of(send(request).await?).await?;
        Ok(listed(answer.responses, window))
    }

    /// The named resources' occurrences in the window; hrefs the server no longer has come back
    /// with none.
    async fn events_named(
        &self,
        calendar: &str,
        hrefs: &[String],
        window: (i64, i64),
    ) -> Result<Vec<Listed>, ProviderError> {
        let mut found = Vec::new();
        for batch in hrefs.chunks(MULTIGET_BATCH) {
            let request = self.xml_request(method("REPORT"), calendar, "1", xml::multiget(batch))?;
            let answer = multistatus_of(send(request).await?).await?;
            found.extend(listed(answer.responses, window));
        }
        Ok(found)
    }

    /// Creates or replaces the booking's event, never blindly: a create asks `If-None-Match: *`
    /// and a replace `If-Match` on the etag of our last write. A 412 means the resource is not
    /// what we last wrote: our own earlier create that timed out, or the host's edit. The event
    /// is then read again and written under its current etag (or created again if the host
    /// deleted it): the two-way sync rule for an event whose booking changed meanwhile is that
    /// the write in flight settles it, as it does for Google and Outlook. A second 412 (the host
    /// is editing right now) fails this attempt; the job tries again later.
    pub async fn write_event(
        &self,
        target: &EventTarget<'_>,
        body: &EventBody,
        stamp: i64,
    ) -> Result<Written, ProviderError> {
        let ics = ical::booking_event(body, stamp);
        let href = match target.existing {
            Some(href) => href.to_owned(),
            None => format!("{}{}.ics", with_slash(target.calendar), target.key),
        };
        let condition = |etag: Option<&str>| match etag {
            Some(etag) => ("If-Match", etag.to_owned()),
            None => ("If-None-Match", "*".to_owned()),
        };
        let first = match (target.existing, target.etag) {
            (Some(_), Some(etag)) => condition(Some(etag)),
            (Some(_), None) => {
                let current = self.etag(&href).await?;
                condition(current.as_deref())
            }
            (None, _) => condition(None),
        };
        let response = match self.put(&href, &ics, first).await {
            Err(ProviderError::Rejected { status: 412, .. }) => {
                let current = self.etag(&href).await?;
                tracing::info!(
                    href,
                    "the event changed since our last write: writing over its current version"
                );
                self.put(&href, &ics, condition(current.as_deref())).await?
            }
            other => other?,
        };
        Ok(Written {
            etag: etag_of(&response),
            id: href,
            meeting: None,
        })
    }

    async fn put(&self, href: &str, ics: &str, (header, value): (&str, String)) -> Result<Response, ProviderError> {
        let request = self
            .request(Method::PUT, href)?
            .header(CONTENT_TYPE, "text/calendar; charset=utf-8")
            .header(header, value)
            .body(ics.to_owned());
        send(request).await
    }

    /// The resource's current etag; `None` when it is gone.
    async fn etag(&self, href: &str) -> Result<Option<String>, ProviderError> {
        let request = self.xml_request(method("PROPFIND"), href, "0", xml::ETAG.into())?;
        match send(request).await {
            Ok(response) => Ok(multistatus_of(response)
                .await?
                .responses
                .into_iter()
                .find_map(|r| r.etag)),
            Err(ProviderError::Rejected { status: 404 | 410, .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Deletes the event; one already gone counts as deleted.
    pub async fn delete_event(&self, href: &str) -> Result<(), ProviderError> {
        match send(self.request(Method::DELETE, href)?).await {
            Ok(_) | Err(ProviderError::Rejected { status: 404 | 410, .. }) => Ok(()),
            Err(other) => Err(other),
        }
    }
}

/// One event resource: href, etag, and its occurrences in the window (none: gone or cancelled).
pub(crate) type Listed = (String, Option<String>, Vec<ical::Occurrence>);

fn listed(responses: Vec<xml::Response>, window: (i64, i64)) -> Vec<Listed> {
    responses
        .into_iter()
        .filter(|r| r.calendar.is_none())
        .map(|r| {
            let occurrences = match r.calendar_data.as_deref().map(|data| ical::occurrences(data, window)) {
                Some(Ok(found)) => found,
                Some(Err(e)) => {
                    tracing::warn!(href = %r.href, error = %e, "an event could not be read; it is left out");
                    Vec::new()
                }
                None => Vec::new(),
            };
            let etag = r.etag.filter(|_| r.status.is_none_or(|s| s < 300));
            (r.href, etag, occurrences)
        })
        .collect()
}

fn with_slash(href: &str) -> String {
    if href.ends_with('/') {
        href.to_owned()
    } else {
        format!("{href}/")
    }
}

/// A calendar's name when it has none: the last segment of its href.
fn last_segment(href: &str) -> String {
    href.trim_end_matches('/')
        .rsplit('/')
        .next()
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .unwrap_or_default()
}
