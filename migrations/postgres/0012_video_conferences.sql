-- Video meetings made for each booking (see services::conferencing).
-- An event type's `conferencing` names the provider that makes a fresh meeting per booking; its
-- location_kind is then 'video' with no fixed link, so older code and the CHECK on location_kind
-- stay as they are.
ALTER TABLE event_types ADD COLUMN conferencing TEXT CHECK (conferencing IN ('google_meet', 'microsoft_teams'));

-- Which meeting providers a connected calendar can make meetings in, as the provider lists them
-- (a space-separated subset of 'google_meet microsoft_teams'; empty: none).
ALTER TABLE connection_calendars ADD COLUMN conferencing TEXT NOT NULL DEFAULT '';

-- The meeting of one booking, made in the calendar of the host who holds it (the organizer).
-- state: pending (asked for, or waiting for the provider), ready (join_url known), failed (the
-- provider refused; `failure` says why). announced_without_link: a message already told people
-- the link follows, so its arrival is announced by an update.
CREATE TABLE booking_conferences (
    booking_id              BIGINT NOT NULL PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
    provider                TEXT   NOT NULL CHECK (provider IN ('google_meet', 'microsoft_teams')),
    member_id               BIGINT NOT NULL REFERENCES members (id),
    state                   TEXT   NOT NULL CHECK (state IN ('pending', 'ready', 'failed')),
    join_url                TEXT,
    conference_id           TEXT,
    failure                 TEXT,
    announced_without_link  BIGINT NOT NULL CHECK (announced_without_link IN (0, 1)),
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL
);

-- Calendars listed before this migration are taken to allow their provider's meetings, as nearly
-- all do; the next listing of the account (on every reconnect and calendar refresh) corrects it.
UPDATE connection_calendars SET conferencing = (
    SELECT CASE c.provider WHEN 'google' THEN 'google_meet' ELSE 'microsoft_teams' END
    FROM calendar_connections c WHERE c.id = connection_calendars.connection_id
);
