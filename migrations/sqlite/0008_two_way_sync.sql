-- Two-way calendar sync. Every calendar Rendezvous follows (checked for conflicts, or receiving
-- bookings) has a row here: its incremental sync position, when it is next due (now, after a
-- push notification; otherwise the next poll), a lease so that one process syncs it at a time,
-- the outcome of the last sync, and its push channel (a Google watch channel or a Graph
-- subscription), whose token / clientState is stored as a SHA-256 digest only.
CREATE TABLE calendar_syncs (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id       BIGINT  NOT NULL REFERENCES calendar_connections (id) ON DELETE CASCADE,
    calendar_id         TEXT    NOT NULL,
    sync_token          TEXT,   -- Google nextSyncToken / Graph deltaLink; NULL: the next sync is a full one
    window_from         BIGINT, -- the span a full sync listed
    window_until        BIGINT,
    due_at              BIGINT  NOT NULL,
    lease_until         BIGINT,
    lease_owner         TEXT,
    last_synced_at      BIGINT,
    last_error          TEXT,
    last_error_at       BIGINT,
    channel_id          TEXT    UNIQUE, -- our channel id (Google) or the subscription id (Graph)
    channel_resource    TEXT,   -- Google's resourceId, needed to stop the channel
    channel_token_hash  TEXT,
    channel_expires_at  BIGINT,
    push_error          TEXT,   -- why no channel could be made (the calendar is polled meanwhile)
    created_at          BIGINT  NOT NULL,
    UNIQUE (connection_id, calendar_id)
);
CREATE INDEX calendar_syncs_due ON calendar_syncs (due_at);

-- The followed calendars' events as the last sync saw them (the Calendar page, and telling our
-- own booking events from other meetings).
CREATE TABLE calendar_sync_events (
    sync_id    BIGINT  NOT NULL REFERENCES calendar_syncs (id) ON DELETE CASCADE,
    event_id   TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    starts_at  BIGINT  NOT NULL,
    ends_at    BIGINT  NOT NULL,
    all_day    BIGINT  NOT NULL CHECK (all_day IN (0, 1)),
    busy       BIGINT  NOT NULL CHECK (busy IN (0, 1)),
    PRIMARY KEY (sync_id, event_id)
);
CREATE INDEX calendar_sync_events_time ON calendar_sync_events (sync_id, starts_at);

-- What the host did to a booking's event in their own calendar, until it is applied or undone.
ALTER TABLE booking_calendar_events ADD COLUMN etag TEXT; -- of our last write: its echo is not the host's change
ALTER TABLE booking_calendar_events ADD COLUMN host_change TEXT CHECK (host_change IN ('moved', 'deleted'));
ALTER TABLE booking_calendar_events ADD COLUMN host_start BIGINT; -- where the host moved it
ALTER TABLE booking_calendar_events ADD COLUMN host_end BIGINT;
ALTER TABLE booking_calendar_events ADD COLUMN host_change_at BIGINT;
ALTER TABLE booking_calendar_events ADD COLUMN acts_at BIGINT; -- a deletion cancels the booking then, unless kept
ALTER TABLE booking_calendar_events ADD COLUMN last_moved_at BIGINT; -- the last move applied ("Moved in Google to …")

-- "When I move or delete a booked meeting in my calendar": update the booking and tell the
-- attendee, or only flag it for me.
ALTER TABLE members ADD COLUMN calendar_changes TEXT NOT NULL DEFAULT 'apply' CHECK (calendar_changes IN ('apply', 'flag'));

-- Token refreshes take a lease in the database, so two processes never spend one (rotating)
-- refresh token twice.
ALTER TABLE calendar_connections ADD COLUMN refresh_lease_until BIGINT;
-- Sync now is rate limited per connection.
ALTER TABLE calendar_connections ADD COLUMN sync_requested_at BIGINT;
