//! What an endpoint can subscribe to.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    BookingCreated,
    /// Moved by the attendee, from the dashboard, or by the host in their own calendar (two-way
    /// sync; the payload's `change_reason` says so).
    BookingRescheduled,
    /// Cancelled by the attendee, an admin, or the host deleting it in their calendar.
    BookingCancelled,
    /// Same time, another host (a removed member's booking went to a colleague).
    BookingHostChanged,
    /// A co-host of a collective booking moved or deleted their own copy in their calendar; the
    /// booking itself stays as it is (two-way sync).
    BookingHostCalendarChanged,
    /// The booking's video meeting link arrived after the message that should have carried it
    /// (a slow provider, or a new host's meeting).
    BookingVideoLinkReady,
    /// Sent from the dashboard's "Send test event"; every endpoint gets it when asked.
    Test,
}

impl WebhookEvent {
    /// The events an endpoint may subscribe to.
    pub const SUBSCRIBABLE: [Self; 6] = [
        Self::BookingCreated,
        Self::BookingRescheduled,
        Self::BookingCancelled,
        Self::BookingHostChanged,
        Self::BookingHostCalendarChanged,
        Self::BookingVideoLinkReady,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BookingCreated => "booking.created",
            Self::BookingRescheduled => "booking.rescheduled",
            Self::BookingCancelled => "booking.cancelled",
            Self::BookingHostChanged => "booking.host_changed",
            Self::BookingHostCalendarChanged => "booking.host_calendar_changed",
            Self::BookingVideoLinkReady => "booking.video_link_ready",
            Self::Test => "webhook.test",
        }
    }

    /// A subscribable event by name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::SUBSCRIBABLE
            .into_iter()
            .find(|event| event.as_str() == raw.trim())
    }

    /// What the dashboard calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::BookingCreated => "Booking created",
            Self::BookingRescheduled => "Booking rescheduled",
            Self::BookingCancelled => "Booking cancelled",
            Self::BookingHostChanged => "Host changed",
            Self::BookingHostCalendarChanged => "Co-host changed their calendar copy",
            Self::BookingVideoLinkReady => "Video link ready later",
            Self::Test => "Test event",
        }
    }
}

impl fmt::Display for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
