//! One face for the providers' calendar APIs, so connecting, busy time and event jobs are written
//! once. Each provider module speaks its own wire format; this one only dispatches.

use super::google::GoogleApi;
use super::graph::GraphApi;
use super::{CalendarChoice, Provider, ProviderError, RemoteCalendar};
use chrono::{DateTime, Utc};
use engine::Interval;

/// Calls on behalf of one account.
pub(crate) struct CalendarApi<'a> {
    pub provider: Provider,
    pub http: &'a reqwest::Client,
    /// The API root: Calendar API v3, or Graph v1.0.
    pub root: &'a url::Url,
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
    pub booking_uid: String,
    /// The invitation's UID, so the emailed invite and this event are one in calendar clients
    /// (Google lets us set it; Graph assigns its own).
    pub ical_uid: String,
}

/// Which event to write: the provider's id once known, and our own key, which is Google's
/// event id and Graph's `transactionId`, so a retried create never makes a second event.
pub(crate) struct EventTarget<'a> {
    pub calendar: &'a str,
    pub existing: Option<&'a str>,
    pub key: &'a str,
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
        }
    }

    /// Creates or updates the event; returns its id at the provider.
    pub async fn write_event(&self, target: &EventTarget<'_>, body: &EventBody) -> Result<String, ProviderError> {
        match self.provider {
            Provider::Google => {
                let id = target.existing.unwrap_or(target.key);
                self.google().put_event(target.calendar, id, body).await?;
                Ok(id.to_owned())
            }
            Provider::Microsoft => self.graph().write_event(target, body).await,
        }
    }

    /// Deletes the event; one that is already gone counts as deleted.
    pub async fn delete_event(&self, calendar: &str, event_id: &str) -> Result<(), ProviderError> {
        match self.provider {
            Provider::Google => self.google().delete_event(calendar, event_id).await,
            Provider::Microsoft => self.graph().delete_event(event_id).await,
        }
    }
}
