//! What incremental sync and push channels look like whichever provider answered: changed events
//! (or a full listing), the position to continue from, and a channel's identity and expiry.

/// One event as a listing or a change feed reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemoteEvent {
    pub id: String,
    /// Google's `etag` / Graph's `@odata.etag`: a write of ours is recognised by it.
    pub etag: Option<String>,
    /// `None`: deleted or cancelled.
    pub shown: Option<Shown>,
}

/// A live event's times and whether it makes its owner busy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    pub title: String,
    pub start: i64,
    pub end: i64,
    pub all_day: bool,
    /// Opaque, not declined by the owner, not "free".
    pub busy: bool,
}

/// What one sync call returned.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub events: Vec<RemoteEvent>,
    /// Every live event of the window, not only changes: anything not listed is gone.
    pub full: bool,
    /// Where the next incremental sync continues (`None`: the provider offers none, so the next
    /// sync lists everything again).
    pub next_token: Option<String>,
}

/// A push channel (Google) or subscription (Graph) as the provider confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenedChannel {
    /// Our id (Google) or the subscription id Graph assigned.
    pub id: String,
    /// Google's `resourceId`, needed to stop the channel.
    pub resource: Option<String>,
    pub expires_at: i64,
}

/// A new channel to ask for: where notifications go and the secret they must carry.
pub(crate) struct ChannelRequest<'a> {
    pub calendar: &'a str,
    /// Our id for a Google channel (Graph assigns its own).
    pub id: &'a str,
    pub address: &'a str,
    /// Graph's lifecycle notifications.
    pub lifecycle_address: &'a str,
    pub secret: &'a str,
    pub expires_at: i64,
}
