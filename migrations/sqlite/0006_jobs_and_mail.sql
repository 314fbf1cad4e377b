-- Durable background work (mail now, calendar writes later), claimed by one worker at a time.
-- dedupe_key makes enqueuing idempotent: one job per booking, message kind, sequence and recipient.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL, -- JSON, read by the job's handler
    dedupe_key   TEXT    NOT NULL UNIQUE,
    booking_id   BIGINT  REFERENCES bookings (id) ON DELETE CASCADE,
    state        TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead', 'dropped')),
    run_at       BIGINT  NOT NULL,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    lease_until  BIGINT, -- while running: after this instant another worker may take the job over
    last_error   TEXT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_booking ON jobs (booking_id);

-- Emails sent after the booking (reminders, changes made by hosts) carry the attendee's manage
-- links, so the token is kept encrypted beside its hash (the hash still authorizes).
ALTER TABLE bookings ADD COLUMN manage_token_sealed TEXT;

ALTER TABLE event_types ADD COLUMN reminder_24h BIGINT NOT NULL DEFAULT 1 CHECK (reminder_24h IN (0, 1));
ALTER TABLE event_types ADD COLUMN reminder_1h BIGINT NOT NULL DEFAULT 1 CHECK (reminder_1h IN (0, 1));
-- How long before the start attendees may still reschedule or cancel from their links.
ALTER TABLE event_types ADD COLUMN change_notice_minutes BIGINT NOT NULL DEFAULT 0 CHECK (change_notice_minutes >= 0);
