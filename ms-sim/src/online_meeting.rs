//! Online meetings created with an event: `isOnlineMeeting: true` (with `onlineMeetingProvider:
//! "teamsForBusiness"`) on a create or an update makes Outlook attach a meeting, whose
//! `onlineMeeting.joinUrl` attendees follow. Which providers a calendar offers
//! (`allowedOnlineMeetingProviders`, `defaultOnlineMeetingProvider`) and what Outlook really makes
//! depend on the organizer's account — Teams licensed, not available (a personal account or a
//! tenant without Teams) or failing — which a test chooses per account ([`TeamsMode`]).
//!
//! Graph documents that once `isOnlineMeeting` or `onlineMeetingProvider` have initialized
//! `onlineMeeting`, Outlook ignores later changes to them and the meeting stays online: later
//! updates (a new start, `isOnlineMeeting: false`) keep the same `joinUrl`. The meeting is kept
//! apart from the event's body so no write can lose it by accident.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::error::GraphError;
use crate::ids;

pub(crate) const TEAMS: &str = "teamsForBusiness";
pub(crate) const SKYPE_FOR_CONSUMER: &str = "skypeForConsumer";

/// `microsoft.graph.onlineMeetingProviderType`.
const PROVIDERS: &[&str] = &["unknown", "skypeForBusiness", "skypeForConsumer", "teamsForBusiness"];

/// How an account's Outlook answers a request for an online meeting. Set per account through
/// `ControlHandle::set_conferencing` or `PUT /_control/users/{email}/conferencing`; JSON
/// `{"mode": "available"}`, `{"mode": "unavailable"}` or `{"mode": "failing"}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum TeamsMode {
    /// Teams is licensed: calendars offer `teamsForBusiness` (also their default) and a Teams
    /// meeting is made with a `https://teams.microsoft.com/l/meetup-join/…` link.
    #[default]
    Available,
    /// A personal account or a tenant without Teams: calendars offer `skypeForConsumer` only
    /// (also their default). Asking for `teamsForBusiness` still creates the event, as a Skype
    /// meeting: `onlineMeetingProvider: "skypeForConsumer"`, `joinUrl`
    /// `https://join.skype.com/…` (the symptom practitioners report; not a Teams link).
    Unavailable,
    /// Teams is offered but the meeting is not made: the event is created with `isOnlineMeeting:
    /// true` and `onlineMeeting: null` (no `joinUrl`). A later update asking for
    /// `isOnlineMeeting: true` tries again.
    Failing,
}

impl TeamsMode {
    /// `allowedOnlineMeetingProviders` of the account's calendars.
    pub(crate) fn allowed_providers(self) -> &'static [&'static str] {
        match self {
            TeamsMode::Available | TeamsMode::Failing => &[TEAMS],
            TeamsMode::Unavailable => &[SKYPE_FOR_CONSUMER],
        }
    }

    /// `defaultOnlineMeetingProvider` of the account's calendars.
    pub(crate) fn default_provider(self) -> &'static str {
        self.allowed_providers()[0]
    }
}

/// `onlineMeeting` (`microsoft.graph.onlineMeetingInfo`) of a meeting that was made.
#[derive(Clone, Debug)]
struct MeetingInfo {
    join_url: String,
    /// Teams meetings have a numeric id for dialing in; Skype meetings none.
    conference_id: Option<String>,
}

/// An event's online meeting.
#[derive(Clone, Debug)]
pub(crate) struct OnlineMeeting {
    /// `onlineMeetingProvider`: the provider that made it (not necessarily the one asked for).
    provider: &'static str,
    /// `None` when the provider failed to make it ([`TeamsMode::Failing`]).
    info: Option<MeetingInfo>,
}

impl OnlineMeeting {
    pub fn join_url(&self) -> Option<&str> {
        self.info.as_ref().map(|info| info.join_url.as_str())
    }
}

/// Who organizes the event: where a Teams link points and how their Outlook behaves.
pub(crate) struct Organizer {
    pub tenant_id: String,
    /// The organizer's directory object id.
    pub user_id: String,
    pub mode: TeamsMode,
}

/// What a write's `isOnlineMeeting` and `onlineMeetingProvider` ask for.
pub(crate) struct Asked {
    online: Option<bool>,
    provider: Option<String>,
}

fn unreadable(property: &str, value: &Value, expected: &str) -> GraphError {
    GraphError::bad_request(
        "RequestBodyRead",
        format!("Cannot convert the literal '{value}' of property '{property}' to the expected type '{expected}'."),
    )
}

/// Takes `isOnlineMeeting` and `onlineMeetingProvider` out of client input (the meeting is kept
/// apart from the body), refusing values Graph cannot read.
pub(crate) fn take(input: &mut Map<String, Value>) -> Result<Asked, GraphError> {
    let online = match input.remove("isOnlineMeeting") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(online)) => Some(online),
        Some(other) => return Err(unreadable("isOnlineMeeting", &other, "Edm.Boolean")),
    };
    let provider = match input.remove("onlineMeetingProvider") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if PROVIDERS.contains(&p.as_str()) => Some(p),
        Some(other) => {
            return Err(unreadable(
                "onlineMeetingProvider",
                &other,
                "microsoft.graph.onlineMeetingProviderType",
            ));
        }
    };
    Ok(Asked { online, provider })
}

fn teams_join_url(organizer: &Organizer) -> String {
    let thread = URL_SAFE_NO_PAD.encode(ids::guid());
    format!(
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context=%7b%22Tid%22%3a%22{}%22%2c%22Oid%22%3a%22{}%22%7d",
        organizer.tenant_id, organizer.user_id
    )
}

fn dial_in_id() -> String {
    rand::rng().random_range(100_000_000..1_000_000_000u32).to_string()
}

impl Asked {
    /// The provider a new meeting gets: the one asked for if the organizer's calendars offer
    /// it, else their default (Graph also uses the default when none is named).
    fn provider(&self, mode: TeamsMode) -> &'static str {
        let allowed = mode.allowed_providers();
        let asked = self.provider.as_deref().unwrap_or_default();
        allowed
            .iter()
            .find(|p| **p == asked)
            .copied()
            .unwrap_or_else(|| mode.default_provider())
    }

    fn make(&self, organizer: &Organizer) -> OnlineMeeting {
        let provider = self.provider(organizer.mode);
        let info = match (organizer.mode, provider) {
            (TeamsMode::Failing, _) => None,
            (_, TEAMS) => Some(MeetingInfo {
                join_url: teams_join_url(organizer),
                conference_id: Some(dial_in_id()),
            }),
            _ => Some(MeetingInfo {
                join_url: format!(
                    "https://join.skype.com/{}",
                    URL_SAFE_NO_PAD.encode(ids::random_bytes(9))
                ),
                conference_id: None,
            }),
        };
        OnlineMeeting { provider, info }
    }

    /// The event's meeting after the write. A meeting that was made stays whatever the write
    /// says; one that failed is tried again when the write asks for `isOnlineMeeting: true`.
    pub fn settle(self, current: Option<OnlineMeeting>, organizer: &Organizer) -> Settled {
        let failed = current.as_ref().is_some_and(|m| m.info.is_none());
        let wanted = self.online == Some(true) && (current.is_none() || failed);
        if !wanted {
            return Settled {
                meeting: current,
                made: None,
            };
        }
        let meeting = self.make(organizer);
        Settled {
            made: meeting.join_url().map(str::to_owned),
            meeting: Some(meeting),
        }
    }
}

/// The meeting a write leaves on the event, and the join link of a meeting it made.
pub(crate) struct Settled {
    pub meeting: Option<OnlineMeeting>,
    /// Set when this write made a meeting with a link; `None` when it made none or failed.
    pub made: Option<String>,
}

/// `isOnlineMeeting`, `onlineMeetingProvider`, `onlineMeeting` and the older `onlineMeetingUrl`
/// (always `null`, as for Teams meetings) of an event with `meeting`, or without one.
pub(crate) fn render(meeting: Option<&OnlineMeeting>, out: &mut Map<String, Value>) {
    out.insert("isOnlineMeeting".into(), json!(meeting.is_some()));
    out.insert(
        "onlineMeetingProvider".into(),
        json!(meeting.map_or("unknown", |m| m.provider)),
    );
    let info = meeting.and_then(|m| m.info.as_ref()).map(|info| {
        json!({
            "joinUrl": info.join_url,
            "conferenceId": info.conference_id,
            "tollNumber": null,
            "tollFreeNumbers": [],
            "phones": [],
            "quickDial": null,
        })
    });
    out.insert("onlineMeeting".into(), info.unwrap_or(Value::Null));
    out.insert("onlineMeetingUrl".into(), Value::Null);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organizer(mode: TeamsMode) -> Organizer {
        Organizer {
            tenant_id: "tenant".into(),
            user_id: "user".into(),
            mode,
        }
    }

    fn asked(body: Value) -> Asked {
        take(&mut body.as_object().unwrap().clone()).unwrap()
    }

    #[test]
    fn a_made_meeting_survives_a_write_turning_it_off() {
        let on = asked(json!({"isOnlineMeeting": true, "onlineMeetingProvider": "teamsForBusiness"}));
        let made = on.settle(None, &organizer(TeamsMode::Available));
        let url = made.made.expect("a Teams meeting is made");
        let off = asked(json!({"isOnlineMeeting": false}));
        let kept = off.settle(made.meeting, &organizer(TeamsMode::Available));
        assert_eq!(kept.made, None, "nothing new is made");
        assert_eq!(
            kept.meeting.as_ref().and_then(OnlineMeeting::join_url),
            Some(url.as_str())
        );
    }

    #[test]
    fn a_failed_meeting_is_tried_again_only_when_asked_for() {
        let on = || asked(json!({"isOnlineMeeting": true}));
        let failed = on().settle(None, &organizer(TeamsMode::Failing));
        assert_eq!(failed.made, None);
        assert!(failed.meeting.as_ref().is_some_and(|m| m.join_url().is_none()));
        let untouched = asked(json!({})).settle(failed.meeting.clone(), &organizer(TeamsMode::Available));
        assert_eq!(untouched.made, None);
        let retried = on().settle(failed.meeting, &organizer(TeamsMode::Available));
        assert!(
            retried
                .made
                .is_some_and(|url| url.starts_with("https://teams.microsoft.com/"))
        );
    }

    #[test]
    fn an_unknown_provider_is_refused_as_graph_cannot_read_it() {
        let mut body = json!({"onlineMeetingProvider": "zoom"}).as_object().unwrap().clone();
        assert_eq!(
            take(&mut body).err().map(|e| e.code),
            Some("RequestBodyRead".to_owned())
        );
    }
}
