-- Availability, event types, bookings, API keys and idempotency records.
-- Local rules are wall-clock minutes after midnight plus the member's IANA zone (members.timezone);
-- instants are UTC unix seconds; flags are 0/1 (see ARCHITECTURE.md, "Storage").

CREATE TABLE weekly_hours (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id     BIGINT  NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    weekday       BIGINT  NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Monday
    start_minute  BIGINT  NOT NULL CHECK (start_minute >= 0 AND start_minute < 1440),
    end_minute    BIGINT  NOT NULL CHECK (end_minute > start_minute AND end_minute <= 1440)
);
CREATE INDEX weekly_hours_member ON weekly_hours (member_id);

-- One row per replacement range; a single row with no range marks the whole date unavailable.
CREATE TABLE date_overrides (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id     BIGINT  NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    day           TEXT    NOT NULL CHECK (length(day) = 10), -- YYYY-MM-DD, local to the member
    start_minute  BIGINT  CHECK (start_minute >= 0 AND start_minute < 1440),
    end_minute    BIGINT  CHECK (end_minute > start_minute AND end_minute <= 1440),
    CHECK ((start_minute IS NULL) = (end_minute IS NULL))
);
CREATE INDEX date_overrides_member_day ON date_overrides (member_id, day);

CREATE TABLE event_types (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id                 BIGINT  NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    slug                    TEXT    NOT NULL,
    title                   TEXT    NOT NULL,
    description             TEXT    NOT NULL DEFAULT '',
    duration_minutes        BIGINT  NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    interval_minutes        BIGINT  CHECK (interval_minutes BETWEEN 1 AND 1440), -- NULL: the duration
    buffer_before_minutes   BIGINT  NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 1440),
    buffer_after_minutes    BIGINT  NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 1440),
    minimum_notice_minutes  BIGINT  NOT NULL DEFAULT 0 CHECK (minimum_notice_minutes >= 0),
    window_days             BIGINT  CHECK (window_days >= 0), -- NULL: unlimited
    daily_limit             BIGINT  CHECK (daily_limit >= 1), -- NULL: none
    location_kind           TEXT    NOT NULL CHECK (location_kind IN ('video', 'phone', 'in_person', 'custom')),
    location_detail         TEXT    NOT NULL DEFAULT '',
    mode                    TEXT    NOT NULL CHECK (mode IN ('single', 'round_robin', 'collective')),
    active                  BIGINT  NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at              BIGINT  NOT NULL,
    UNIQUE (team_id, slug)
);

CREATE TABLE event_type_hosts (
    event_type_id  BIGINT NOT NULL REFERENCES event_types (id) ON DELETE CASCADE,
    member_id      BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (event_type_id, member_id)
);
CREATE INDEX event_type_hosts_member ON event_type_hosts (member_id);

CREATE TABLE bookings (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    uid                TEXT    NOT NULL UNIQUE,
    event_type_id      BIGINT  NOT NULL REFERENCES event_types (id),
    start_at           BIGINT  NOT NULL,
    end_at             BIGINT  NOT NULL CHECK (end_at > start_at),
    -- The span the booking keeps free for its hosts: its times widened by the event type's buffers
    -- as they were when booked, so later edits of the event type never move existing blocks.
    blocked_from       BIGINT  NOT NULL,
    blocked_until      BIGINT  NOT NULL,
    attendee_name      TEXT    NOT NULL,
    attendee_email     TEXT    NOT NULL,
    attendee_timezone  TEXT    NOT NULL,
    notes              TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    cancel_reason      TEXT,
    manage_token_hash  TEXT    NOT NULL UNIQUE,
    sequence           BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
CREATE INDEX bookings_event_type_start ON bookings (event_type_id, start_at);

CREATE TABLE booking_hosts (
    booking_id  BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    member_id   BIGINT NOT NULL REFERENCES members (id),
    PRIMARY KEY (booking_id, member_id)
);
CREATE INDEX booking_hosts_member ON booking_hosts (member_id, booking_id);

-- What happened to a booking, oldest first: created, rescheduled (with the old times), cancelled.
CREATE TABLE booking_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id  BIGINT  NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('created', 'rescheduled', 'cancelled')),
    old_start   BIGINT,
    old_end     BIGINT,
    new_start   BIGINT,
    new_end     BIGINT,
    reason      TEXT,
    changed_at  BIGINT  NOT NULL
);
CREATE INDEX booking_changes_booking ON booking_changes (booking_id);

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id     BIGINT  NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    prefix        TEXT    NOT NULL, -- first characters, shown in lists to tell keys apart
    key_hash      TEXT    NOT NULL UNIQUE,
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_keys_member ON api_keys (member_id);

-- Replays of POST responses by Idempotency-Key; the fingerprint detects a key reused for a
-- different request.
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,
    idem_key     TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL,
    status       BIGINT  NOT NULL,
    body         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
