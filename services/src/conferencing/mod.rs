//! Video meetings made for each booking (Google Meet, Microsoft Teams) through the calendar
//! connection of the host who organizes it. See ARCHITECTURE.md, "Video meetings per booking":
//! the calendar job that writes the organizer's event asks for the meeting, [`record`] keeps what
//! the provider answered, and the confirmation waits for the link through [`announce`].

pub(crate) mod announce;
pub mod capability;
pub(crate) mod poll;
mod problems;
mod record;
mod store;

pub use problems::MissingMeetings;
pub(crate) use record::record;
pub(crate) use store::load;
pub use store::{BookingMeeting, MeetingState};

use crate::calendars::Provider;

/// A provider that makes a fresh meeting for each booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    GoogleMeet,
    MicrosoftTeams,
}

impl MeetingKind {
    pub const ALL: [Self; 2] = [Self::GoogleMeet, Self::MicrosoftTeams];

    /// The event type's location kind, and the stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GoogleMeet => "google_meet",
            Self::MicrosoftTeams => "microsoft_teams",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::GoogleMeet => "Google Meet",
            Self::MicrosoftTeams => "Microsoft Teams",
        }
    }

    /// The calendar provider whose events carry this kind of meeting.
    pub fn provider(self) -> Provider {
        match self {
            Self::GoogleMeet => Provider::Google,
            Self::MicrosoftTeams => Provider::Microsoft,
        }
    }
}

/// What a provider said about the meeting of an event it wrote or was asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Meeting {
    Ready {
        join_url: String,
        conference_id: Option<String>,
    },
    /// Google is still making it: ask again.
    Pending,
    /// The provider will not make one (why, in the host's words).
    Failed(String),
}

/// What the organizer's event asks the provider for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MeetingRequest {
    pub kind: MeetingKind,
    /// Google's `createRequest.requestId`: the same for every write of one host's copy of one
    /// booking, so a retried write cannot make a second meeting; a new host gets a new one.
    pub request_id: String,
}

impl MeetingRequest {
    pub fn new(kind: MeetingKind, booking_uid: &str, member_id: i64) -> Self {
        Self {
            kind,
            request_id: format!("rdv-{booking_uid}-m{member_id}"),
        }
    }
}

/// The request the organizer's event carries, when `member_id` holds the booking's meeting.
pub(crate) fn request_for(
    meeting: Option<&BookingMeeting>,
    booking_uid: &str,
    member_id: i64,
) -> Option<MeetingRequest> {
    meeting
        .filter(|m| m.member_id == member_id)
        .map(|m| MeetingRequest::new(m.kind, booking_uid, member_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MeetingKind::parse("video"), None);
    }

    #[test]
    fn a_request_id_belongs_to_one_host_s_copy_of_one_booking() {
        let first = MeetingRequest::new(MeetingKind::GoogleMeet, "b1", 7);
        assert_eq!(first, MeetingRequest::new(MeetingKind::GoogleMeet, "b1", 7));
        assert_ne!(
            first.request_id,
            MeetingRequest::new(MeetingKind::GoogleMeet, "b1", 8).request_id
        );
        assert_ne!(
            first.request_id,
            MeetingRequest::new(MeetingKind::GoogleMeet, "b2", 7).request_id
        );
    }
}
