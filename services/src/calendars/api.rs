//! One face for the providers' calendar APIs, so connecting, busy time and event jobs are written
//! once. Each provider module speaks its own wire format; this one only dispatches.

use super::caldav::CaldavApi;
use super::google::GoogleApi;
use super::graph::GraphApi;
use super::remote::{Changes, ChannelRequest, OpenedChannel};
use super::{CalendarChoice, Provider, ProviderError, RemoteCalendar};
use crate::conferencing::Meeting;
use chrono::{DateTime, Utc};
use engine::Interval;

/// Calls on behalf of one account.
pub(crate) struct CalendarApi<'a> {
    pub provider: Provider,
    pub http: &'a reqwest::Client,
    /// The API root: Calendar API v3, Graph v1.0, or the CalDAV calendar home.
    pub root: &'a url::Url,
    /// An OAuth access token, or CalDAV's `Authorization` value.
    pub access_token: String,
}

/// A booking as an event in a host's calendar.
pub(crate) struct EventBody {
    pub summary: String,
    pub description: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The host's zone, so the calendar shows the event in it.
    pub time_zone: String,
    pub attendee_email: String,
    pub attendee_name: String,
    /// The attendee's guests: attendees of a Google event (which sends them nothing, as every
    /// write says `sendUpdates=none`), and a line of the description everywhere.
    pub guests: Vec<String>,
    /// Where to meet, as attendees read it, with the meeting link once there is one.
    pub location: String,
    /// The meeting the organizer's event asks for (only theirs; co-hosts' events carry the link
    /// in `location` once it exists).
    pub meeting: Option<crate::conferencing::MeetingRequest>,
    pub booking_uid: String,
    /// The invitation's UID, so the emailed invite and this event are one in calendar clients
    /// (Google lets us set it; Graph assigns its own).
    pub ical_uid: String,
}

/// An event as written.
pub(crate) struct Written {
    pub id: String,
    pub etag: Option<String>,
    /// What the provider said about the meeting the body asked for.
    pub meeting: Option<Meeting>,
}

/// Which event to write: the provider's id once known, and our own key, which is Google's
/// event id and Graph's `transactionId`, so a retried create never makes a second event.
pub(crate) struct EventTarget<'a> {
    pub calendar: &'a str,
    pub existing: Option<&'a str>,
    pub key: &'a str,
    /// The etag of our last write: CalDAV replaces the event only if it is still that one.
    pub etag: Option<&'a str>,
}

impl CalendarApi<'_> {
    fn google(&self) -> GoogleApi<'_> {
        GoogleApi {
            http: self.http,
            root: self.root,
            access_token: &self.access_token,
        }
    }

    fn graph(&self) -> GraphApi<'_> {
        GraphApi {
            http: self.http,
            root: self.root,
            access_token: &self.access_token,
        }
    }

    pub(super) fn caldav(&self) -> CaldavApi<'_> {
        CaldavApi {
            http: self.http,
            home: self.root,
            credential: &self.access_token,
        }
    }

    /// The account's name (Google: the primary calendar's id, which is its address; Microsoft:
    /// the mailbox) and its calendars.
    pub async fn account_and_calendars(&self) -> Result<(String, Vec<RemoteCalendar>), ProviderError> {
        match self.provider {
            Provider::Google => {
                let calendars = self.google().calendars().await?;
                let account = calendars
                    .iter()
                    .find(|c| c.primary)
                    .map(|c| c.id.clone())
                    .ok_or_else(|| ProviderError::Other("the account has no primary calendar".into()))?;
                Ok((account, calendars))
            }
            Provider::Microsoft => {
                let graph = self.graph();
                Ok((graph.mailbox().await?, graph.calendars().await?))
            }
            Provider::Caldav => Err(ProviderError::Other(
                "a CalDAV account is named when it is connected".into(),
            )),
        }
    }

    /// Busy time of the checked calendars within `window`.
    pub async fn busy(
        &self,
        account: &str,
        checked: &[&CalendarChoice],
        window: (i64, i64),
    ) -> Result<Vec<Interval>, ProviderError> {
        match self.provider {
            Provider::Google => {
                let ids: Vec<String> = checked.iter().map(|c| c.id.clone()).collect();
                self.google().busy(&ids, window).await
            }
            Provider::Microsoft => self.graph().busy(account, checked, window).await,
            Provider::Caldav => {
                let hrefs: Vec<&str> = checked.iter().map(|c| c.id.as_str()).collect();
                self.caldav().busy(&hrefs, window).await
            }
        }
    }

    /// Creates or updates the event; returns its id at the provider, the etag of our write and,
    /// when the body asks for one, the meeting.
    pub async fn write_event(&self, target: &EventTarget<'_>, body: &EventBody) -> Result<Written, ProviderError> {
        match self.provider {
            Provider::Google => {
                let id = target.existing.unwrap_or(target.key);
                let answer = self.google().put_event(target.calendar, id, body).await?;
                Ok(Written {
                    id: id.to_owned(),
                    etag: answer.etag,
                    meeting: answer.meeting,
                })
            }
            Provider::Microsoft => self.graph().write_event(target, body).await,
            Provider::Caldav => self.caldav().write_event(target, body, Utc::now().timestamp()).await,
        }
    }

    /// The meeting of an event whose creation the provider reported as pending (only Google
    /// does).
    pub async fn meeting_of(&self, calendar: &str, event_id: &str) -> Result<Meeting, ProviderError> {
        match self.provider {
            Provider::Google => self.google().meeting_of(calendar, event_id).await,
            Provider::Microsoft | Provider::Caldav => {
                Err(ProviderError::Other("only Google reports meetings as pending".into()))
            }
        }
    }

    /// Deletes the event; one that is already gone counts as deleted.
    pub async fn delete_event(&self, calendar: &str, event_id: &str) -> Result<(), ProviderError> {
        match self.provider {
            Provider::Google => self.google().delete_event(calendar, event_id).await,
            Provider::Microsoft => self.graph().delete_event(event_id).await,
            Provider::Caldav => self.caldav().delete_event(event_id).await,
        }
    }

    /// The calendar's changes since `token` (a full listing of `window` without one, or when the
    /// provider no longer knows the token: Google's 410 `fullSyncRequired`, Graph's 410
    /// `syncStateNotFound`, CalDAV's `valid-sync-token` precondition, which `caldav` reports as
    /// the same 410).
    pub async fn changes(
        &self,
        calendar: &CalendarChoice,
        token: Option<&str>,
        window: (i64, i64),
    ) -> Result<Changes, ProviderError> {
        let listed = self.listing(calendar, token, window).await;
        match listed {
            Err(ProviderError::Rejected { status: 410, .. }) if token.is_some() => {
                tracing::info!(calendar = %calendar.id, "sync position expired: listing the calendar again");
                self.listing(calendar, None, window).await
            }
            other => other,
        }
    }

    async fn listing(
        &self,
        calendar: &CalendarChoice,
        token: Option<&str>,
        window: (i64, i64),
    ) -> Result<Changes, ProviderError> {
        match self.provider {
            Provider::Google => self.google().changes(&calendar.id, token, window).await,
            Provider::Microsoft => {
                self.graph()
                    .changes(&calendar.id, calendar.primary, token, window)
                    .await
            }
            Provider::Caldav => self.caldav().changes(&calendar.id, token, window).await,
        }
    }

    /// Opens a push channel (Google) or subscription (Graph) for the calendar.
    pub async fn open_channel(&self, request: &ChannelRequest<'_>, now: i64) -> Result<OpenedChannel, ProviderError> {
        match self.provider {
            Provider::Google => self.google().watch(request, now).await,
            Provider::Microsoft => self.graph().subscribe(request).await,
            Provider::Caldav => Err(ProviderError::Other("CalDAV has no push notifications".into())),
        }
    }

    /// Extends a Graph subscription in place; `None`: the provider cannot (Google channels are
    /// replaced instead) or the subscription is gone.
    pub async fn renew_channel(&self, id: &str, expires_at: i64) -> Result<Option<i64>, ProviderError> {
        match self.provider {
            Provider::Google | Provider::Caldav => Ok(None),
            Provider::Microsoft => match self.graph().renew(id, expires_at).await {
                Ok(at) => Ok(Some(at)),
                Err(ProviderError::Rejected { status: 404, .. }) => Ok(None),
                Err(other) => Err(other),
            },
        }
    }

    /// Stops a channel or deletes a subscription.
    pub async fn close_channel(&self, id: &str, resource: Option<&str>) -> Result<(), ProviderError> {
        match self.provider {
            Provider::Google => self.google().stop_channel(id, resource.unwrap_or_default()).await,
            Provider::Microsoft => self.graph().unsubscribe(id).await,
            Provider::Caldav => Ok(()),
        }
    }
}
