-- Members' external calendar accounts (Google now, Microsoft next), one per provider.
-- Tokens are sealed (XChaCha20-Poly1305 under a key derived from the secret key), never stored in
-- the clear. A connection that needs reconnecting keeps its row, so the member and admins see it.
CREATE TABLE calendar_connections (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id             BIGINT  NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    provider              TEXT    NOT NULL CHECK (provider IN ('google', 'microsoft')),
    account               TEXT    NOT NULL, -- the account's address, shown to the member
    access_token_sealed   TEXT    NOT NULL,
    refresh_token_sealed  TEXT    NOT NULL,
    access_expires_at     BIGINT  NOT NULL,
    scopes                TEXT    NOT NULL, -- as granted, space-separated
    status                TEXT    NOT NULL CHECK (status IN ('active', 'reconnect_needed')),
    problem               TEXT,   -- why the member must reconnect ...
    problem_since         BIGINT, -- ... since when (the member is emailed once per problem)
    destination_calendar  TEXT,   -- receives new bookings; NULL: none
    busy_from             BIGINT, -- busy time below was read for [busy_from, busy_until) ...
    busy_until            BIGINT,
    busy_synced_at        BIGINT, -- ... at this instant
    busy_error            TEXT,   -- the last failed refresh, cleared by a successful one
    created_at            BIGINT  NOT NULL,
    updated_at            BIGINT  NOT NULL,
    UNIQUE (member_id, provider)
);

-- The account's calendars, and which of them count as busy time.
CREATE TABLE connection_calendars (
    connection_id    BIGINT NOT NULL REFERENCES calendar_connections (id) ON DELETE CASCADE,
    calendar_id      TEXT   NOT NULL,
    name             TEXT   NOT NULL,
    is_primary       BIGINT NOT NULL CHECK (is_primary IN (0, 1)),
    writable         BIGINT NOT NULL CHECK (writable IN (0, 1)),
    check_conflicts  BIGINT NOT NULL CHECK (check_conflicts IN (0, 1)),
    PRIMARY KEY (connection_id, calendar_id)
);

-- Busy time of the checked calendars, merged, as last read from the provider.
CREATE TABLE connection_busy (
    connection_id  BIGINT NOT NULL REFERENCES calendar_connections (id) ON DELETE CASCADE,
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL
);
CREATE INDEX connection_busy_connection ON connection_busy (connection_id);

-- Authorizations in flight: the state (hashed) is bound to the session that asked, the PKCE
-- verifier is sealed. Used once, within ten minutes.
CREATE TABLE oauth_attempts (
    state_hash       TEXT   PRIMARY KEY,
    session_hash     TEXT   NOT NULL,
    member_id        BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    provider         TEXT   NOT NULL,
    verifier_sealed  TEXT   NOT NULL,
    expires_at       BIGINT NOT NULL
);

-- Each booking in each host's calendar: where it went and how the last attempt fared.
CREATE TABLE booking_calendar_events (
    booking_id   BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    member_id    BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    provider     TEXT   NOT NULL,
    calendar_id  TEXT   NOT NULL,
    event_id     TEXT,   -- the provider's id (Google: chosen by us, so a retried create cannot duplicate)
    state        TEXT   NOT NULL CHECK (state IN ('pending', 'synced', 'failed', 'removed')),
    last_error   TEXT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (booking_id, member_id)
);
