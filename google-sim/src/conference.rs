//! Meet conferences created with an event: a write with `conferenceDataVersion=1` and
//! `conferenceData.createRequest` asks for one, as Google documents it. The client's `requestId`
//! makes the request idempotent — repeating the id the event's conference was asked with is
//! ignored, a new id makes a new conference (new code, new link) — and the answer's
//! `createRequest.status.statusCode` is `pending`, `success` or `failure`; only a successful
//! conference has a `conferenceId`, `entryPoints` and the event's `hangoutLink`.
//!
//! How a request turns out is a test's choice per account ([`ConferenceMode`], the organizer's
//! account: the calendar's owner); which solution types a calendar offers too
//! (`conferenceProperties.allowedConferenceSolutionTypes`). The conference is kept apart from the
//! event's body so that writes without conference data (a patch that moves the event, an update
//! with `conferenceDataVersion=0`) cannot touch it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::ids;

/// Google Meet's `conferenceSolutionKey.type`, the only kind of conference the simulator makes.
pub(crate) const MEET: &str = "hangoutsMeet";

/// Every `conferenceSolutionKey.type` Google's API names; a calendar offers some of them.
pub(crate) const SOLUTION_TYPES: &[&str] = &["eventHangout", "eventNamedHangout", "hangoutsMeet", "addOn"];

/// What a new calendar offers: Meet, as on any account with Meet turned on.
pub(crate) fn default_solution_types() -> Vec<String> {
    vec![MEET.to_owned()]
}

/// How an account's Meet answers a request for a conference. Set per account through
/// `ControlHandle::set_conferencing` or `PUT /_control/users/{email}/conferencing`; JSON
/// `{"mode": "success"}`, `{"mode": "pending", "reads": 2}` or `{"mode": "failure"}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ConferenceMode {
    /// The conference and its link exist in the write's answer (what Google usually does).
    #[default]
    Success,
    /// The write answers `pending` without `conferenceId`, `entryPoints` or `hangoutLink`. The
    /// conference is created in the background: the first `reads` reads of the event through
    /// `events.get` still show it pending, the next one (and every read after it, lists and
    /// syncs included) shows it `success` with its link. `reads: 0` makes the first get see it
    /// ready. Becoming ready changes the event (new etag, reported by the next incremental sync,
    /// channels notified).
    Pending { reads: u32 },
    /// The request fails: `failure`, no link, ever, for that `requestId`. A write with a new
    /// `requestId` asks again (and gets whatever the mode is then).
    Failure,
}

/// Where a requested conference stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Still being created; `reads_left` more `events.get` calls see it so.
    Pending {
        reads_left: u32,
    },
    Success,
    Failure,
}

impl Status {
    fn code(self) -> &'static str {
        match self {
            Status::Pending { .. } => "pending",
            Status::Success => "success",
            Status::Failure => "failure",
        }
    }
}

/// A Meet conference made for a `createRequest`.
#[derive(Clone, Debug)]
pub(crate) struct Meet {
    request_id: String,
    /// The meeting code (`abc-defg-hij`), drawn when asked for and shown once the conference is
    /// ready.
    code: String,
    status: Status,
}

impl Meet {
    fn new(request_id: String, mode: ConferenceMode) -> Self {
        let status = match mode {
            ConferenceMode::Success => Status::Success,
            ConferenceMode::Pending { reads } => Status::Pending { reads_left: reads },
            ConferenceMode::Failure => Status::Failure,
        };
        Meet {
            request_id,
            code: ids::meet_code(),
            status,
        }
    }

    fn uri(&self) -> String {
        format!("https://meet.google.com/{}", self.code)
    }

    fn render(&self) -> Value {
        let mut data = json!({"createRequest": {
            "requestId": self.request_id,
            "conferenceSolutionKey": {"type": MEET},
            "status": {"statusCode": self.status.code()},
        }});
        if self.status == Status::Success {
            data["entryPoints"] = json!([{
                "entryPointType": "video",
                "uri": self.uri(),
                "label": format!("meet.google.com/{}", self.code),
            }]);
            data["conferenceSolution"] = json!({
                "key": {"type": MEET},
                "name": "Google Meet",
                "iconUri": "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png",
            });
            data["conferenceId"] = json!(self.code);
        }
        data
    }
}

/// An event's conference.
#[derive(Clone, Debug)]
pub(crate) enum Conference {
    /// Made by the simulator for a `createRequest`.
    Meet(Meet),
    /// `conferenceData` the client wrote without a `createRequest` (copied from another event):
    /// shown as sent.
    Copied(Map<String, Value>),
}

impl Conference {
    /// `conferenceData` as Google shows it.
    pub fn render(&self) -> Value {
        match self {
            Conference::Meet(meet) => meet.render(),
            Conference::Copied(data) => Value::Object(data.clone()),
        }
    }

    /// The event's `hangoutLink`: only a Meet conference that is ready has one (a copied Meet
    /// conference is ready: its video entry point is the link).
    pub fn hangout_link(&self) -> Option<String> {
        match self {
            Conference::Meet(meet) if meet.status == Status::Success => Some(meet.uri()),
            Conference::Meet(_) => None,
            Conference::Copied(data) => copied_meet_link(data),
        }
    }

    /// An `events.get` read the event: a pending conference moves one read closer to being
    /// ready. True when this read made it ready.
    pub fn read(&mut self) -> bool {
        let Conference::Meet(meet) = self else {
            return false;
        };
        match meet.status {
            Status::Pending { reads_left: 0 } => {
                meet.status = Status::Success;
                true
            }
            Status::Pending { reads_left } => {
                meet.status = Status::Pending {
                    reads_left: reads_left - 1,
                };
                false
            }
            Status::Success | Status::Failure => false,
        }
    }

    fn request_id(&self) -> Option<&str> {
        match self {
            Conference::Meet(meet) => Some(&meet.request_id),
            Conference::Copied(_) => None,
        }
    }
}

/// The video entry point of copied Meet conference data.
fn copied_meet_link(data: &Map<String, Value>) -> Option<String> {
    let solution = data.get("conferenceSolution")?.get("key")?.get("type")?.as_str()?;
    if solution != MEET {
        return None;
    }
    let entry_points = data.get("entryPoints")?.as_array()?;
    let video = entry_points
        .iter()
        .find(|e| e.get("entryPointType").and_then(Value::as_str) == Some("video"))?;
    video.get("uri")?.as_str().map(str::to_owned)
}

/// What the `conferenceData` of a write sent with `conferenceDataVersion=1` asks for.
pub(crate) enum Asked {
    /// Leave the conference as it is: a patch without `conferenceData`, or a `createRequest`
    /// repeating the `requestId` of the event's conference.
    Keep,
    /// `conferenceData: null`, or a full update without it.
    Remove,
    /// `conferenceData` without a `createRequest`.
    Copy(Map<String, Value>),
    /// A `createRequest` with a new `requestId`.
    Create { request_id: String, solution: String },
}

/// The conference a write leaves on the event, and the join link of a conference it made.
pub(crate) struct Settled {
    pub conference: Option<Conference>,
    /// Set when this write made a conference (also while it is still pending); `None` when it
    /// made none, or the request failed.
    pub made: Option<String>,
}

fn invalid_data() -> ApiError {
    ApiError::invalid("Invalid conference data.")
}

/// Google's answer to a `createRequest` for a solution the calendar does not offer (a Workspace
/// with Meet turned off lists no `hangoutsMeet`): 400 `global`/`invalid`, "Invalid conference
/// type value.", without a location. `provider-apis.md` is silent on this; it is the envelope
/// client-library users report for exactly this case (googleapis/google-api-nodejs-client #2387,
/// #3052, #3197; google-api-php-client #2077), and the same answer serves a type the calendar
/// lists but the simulator does not make (only Meet is simulated).
fn invalid_type() -> ApiError {
    ApiError::invalid("Invalid conference type value.")
}

/// Reads the `conferenceData` a write sent with `conferenceDataVersion=1` (`None`: it had none).
/// `replace` is a full update, which removes a conference it does not mention; `current` is the
/// event's conference, whose `requestId` a repeated request carries.
pub(crate) fn asked(sent: Option<Value>, replace: bool, current: Option<&Conference>) -> Result<Asked, ApiError> {
    let data = match sent {
        None if replace => return Ok(Asked::Remove),
        None => return Ok(Asked::Keep),
        Some(Value::Null) => return Ok(Asked::Remove),
        Some(Value::Object(data)) => data,
        Some(_) => return Err(invalid_data()),
    };
    let request = match data.get("createRequest") {
        None | Some(Value::Null) => return Ok(Asked::Copy(data)),
        Some(Value::Object(request)) => request,
        Some(_) => return Err(invalid_data()),
    };
    // A client must send its own id; the simulator refuses a request without one (Google does
    // not document the case) so that such a client cannot pass.
    let request_id = match request.get("requestId") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        _ => return Err(ApiError::required("Missing conference create request id.")),
    };
    if current.and_then(Conference::request_id) == Some(request_id.as_str()) {
        return Ok(Asked::Keep);
    }
    let solution = request
        .get("conferenceSolutionKey")
        .and_then(|key| key.get("type"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(Asked::Create { request_id, solution })
}

impl Asked {
    /// The event's conference after the write. A new conference comes out as the organizer's
    /// `mode` says, if the calendar offers the solution type (`allowed`); otherwise the write is
    /// refused (see [`invalid_type`]).
    pub fn settle(
        self,
        current: Option<Conference>,
        allowed: &[String],
        mode: ConferenceMode,
    ) -> Result<Settled, ApiError> {
        let conference = match self {
            Asked::Keep => current,
            Asked::Remove => None,
            Asked::Copy(data) => Some(Conference::Copied(data)),
            Asked::Create { request_id, solution } => {
                if solution != MEET || !allowed.contains(&solution) {
                    return Err(invalid_type());
                }
                let meet = Meet::new(request_id, mode);
                let made = (meet.status != Status::Failure).then(|| meet.uri());
                return Ok(Settled {
                    conference: Some(Conference::Meet(meet)),
                    made,
                });
            }
        };
        Ok(Settled { conference, made: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: &str) -> Option<Value> {
        Some(json!({"createRequest": {"requestId": id, "conferenceSolutionKey": {"type": "hangoutsMeet"}}}))
    }

    fn made(id: &str, mode: ConferenceMode) -> Conference {
        let settled = asked(request(id), false, None)
            .unwrap()
            .settle(None, &default_solution_types(), mode)
            .unwrap();
        settled.conference.unwrap()
    }

    #[test]
    fn a_repeated_request_id_is_kept_and_a_new_one_creates() {
        let current = made("booking-1", ConferenceMode::Success);
        assert!(matches!(
            asked(request("booking-1"), false, Some(&current)),
            Ok(Asked::Keep)
        ));
        assert!(matches!(
            asked(request("booking-2"), false, Some(&current)),
            Ok(Asked::Create { .. })
        ));
    }

    #[test]
    fn a_pending_conference_is_ready_on_the_read_after_its_pending_reads() {
        let mut conference = made("booking-1", ConferenceMode::Pending { reads: 1 });
        assert_eq!(conference.render()["createRequest"]["status"]["statusCode"], "pending");
        assert!(!conference.read(), "the first read still sees it pending");
        assert_eq!(conference.hangout_link(), None);
        assert!(conference.read(), "the second read makes it ready");
        assert!(conference.hangout_link().is_some());
        assert!(!conference.read(), "a ready conference stays ready");
    }

    #[test]
    fn a_failed_request_never_gets_a_link_however_often_it_is_read() {
        let mut conference = made("booking-1", ConferenceMode::Failure);
        for _ in 0..3 {
            assert!(!conference.read());
        }
        assert_eq!(conference.hangout_link(), None);
        assert_eq!(conference.render()["createRequest"]["status"]["statusCode"], "failure");
    }
}
