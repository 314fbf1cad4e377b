//! Calendar scopes and which of them each operation accepts (from the API reference's
//! "Authorization" sections), so a client that asks for too little learns it here, not in production.

pub const PREFIX: &str = "https://www.googleapis.com/auth/";
pub const CALENDAR: &str = "https://www.googleapis.com/auth/calendar";
pub const CALENDAR_READONLY: &str = "https://www.googleapis.com/auth/calendar.readonly";
pub const EVENTS: &str = "https://www.googleapis.com/auth/calendar.events";
pub const EVENTS_READONLY: &str = "https://www.googleapis.com/auth/calendar.events.readonly";
pub const EVENTS_OWNED: &str = "https://www.googleapis.com/auth/calendar.events.owned";
pub const EVENTS_OWNED_READONLY: &str = "https://www.googleapis.com/auth/calendar.events.owned.readonly";
pub const FREEBUSY: &str = "https://www.googleapis.com/auth/calendar.freebusy";
pub const EVENTS_FREEBUSY: &str = "https://www.googleapis.com/auth/calendar.events.freebusy";
pub const CALENDARLIST: &str = "https://www.googleapis.com/auth/calendar.calendarlist";
pub const CALENDARLIST_READONLY: &str = "https://www.googleapis.com/auth/calendar.calendarlist.readonly";

/// Scopes the simulator can grant, with the sentence the consent page shows for each.
const KNOWN: &[(&str, &str)] = &[
    (
        CALENDAR,
        "See, edit, share, and permanently delete all the calendars you can access using Google Calendar",
    ),
    (
        CALENDAR_READONLY,
        "See and download any calendar you can access using your Google Calendar",
    ),
    (EVENTS, "View and edit events on all your calendars"),
    (EVENTS_READONLY, "View events on all your calendars"),
    (
        EVENTS_OWNED,
        "See, create, change, and delete events on Google calendars you own",
    ),
    (EVENTS_OWNED_READONLY, "See the events on Google calendars you own"),
    (FREEBUSY, "See the availability on Google calendars you have access to"),
    (
        EVENTS_FREEBUSY,
        "See the availability on Google calendars you have access to",
    ),
    (
        CALENDARLIST,
        "See, add, and remove Google calendars you're subscribed to",
    ),
    (
        CALENDARLIST_READONLY,
        "See the list of Google calendars you're subscribed to",
    ),
];

pub fn is_known(scope: &str) -> bool {
    KNOWN.iter().any(|(s, _)| *s == scope)
}

pub fn describe(scope: &str) -> &'static str {
    KNOWN
        .iter()
        .find(|(s, _)| *s == scope)
        .map_or("Unknown access", |(_, d)| d)
}

/// What a Calendar call needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    CalendarListRead,
    FreeBusy,
    EventsRead,
    EventsWrite,
    /// `channels.stop`: any scope that could have created the channel.
    Channels,
}

impl Access {
    /// Scopes any one of which allows the call.
    pub fn accepted(self) -> &'static [&'static str] {
        match self {
            Access::CalendarListRead => &[CALENDAR, CALENDAR_READONLY, CALENDARLIST, CALENDARLIST_READONLY],
            Access::FreeBusy => &[CALENDAR, CALENDAR_READONLY, FREEBUSY, EVENTS_FREEBUSY],
            // `channels.stop` accepts any scope that could have created the channel (a watch).
            Access::EventsRead | Access::Channels => &[
                CALENDAR,
                CALENDAR_READONLY,
                EVENTS,
                EVENTS_READONLY,
                EVENTS_OWNED,
                EVENTS_OWNED_READONLY,
            ],
            Access::EventsWrite => &[CALENDAR, EVENTS, EVENTS_OWNED],
        }
    }

    /// Whether the granted scopes allow the call on a calendar the caller does *not* own
    /// (the `.owned` scopes only reach calendars the user owns).
    pub fn reaches_unowned<'a>(self, granted: impl IntoIterator<Item = &'a String>) -> bool {
        granted
            .into_iter()
            .any(|s| self.accepted().contains(&s.as_str()) && s != EVENTS_OWNED && s != EVENTS_OWNED_READONLY)
    }
}
