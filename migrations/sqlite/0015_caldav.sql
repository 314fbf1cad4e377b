-- no-transaction
-- CalDAV accounts (iCloud, Fastmail, Nextcloud, any CalDAV server), connected with a username
-- and password: the credential is sealed in access_token_sealed like an OAuth token (it never
-- expires, so access_expires_at is the largest instant and refresh_token_sealed seals an empty
-- text), and server_url is the account's calendar home. Calendars gain the colour the member
-- knows them by, from every provider.
--
-- SQLite cannot change a CHECK constraint, so calendar_connections is rebuilt as its manual
-- says (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes"):
-- with foreign keys off, so that dropping the old table leaves the rows that reference it, in
-- one transaction, checking the references before it commits.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE calendar_connections_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id             BIGINT  NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    provider              TEXT    NOT NULL CHECK (provider IN ('google', 'microsoft', 'caldav')),
    account               TEXT    NOT NULL,
    access_token_sealed   TEXT    NOT NULL,
    refresh_token_sealed  TEXT    NOT NULL,
    access_expires_at     BIGINT  NOT NULL,
    scopes                TEXT    NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('active', 'reconnect_needed')),
    problem               TEXT,
    problem_since         BIGINT,
    destination_calendar  TEXT,
    busy_from             BIGINT,
    busy_until            BIGINT,
    busy_synced_at        BIGINT,
    busy_error            TEXT,
    created_at            BIGINT  NOT NULL,
    updated_at            BIGINT  NOT NULL,
    refresh_lease_until   BIGINT,
    sync_requested_at     BIGINT,
    server_url            TEXT,   -- CalDAV: the calendar home; NULL for OAuth providers
    UNIQUE (member_id, provider)
);
INSERT INTO calendar_connections_new (id, member_id, provider, account, access_token_sealed, refresh_token_sealed,
    access_expires_at, scopes, status, problem, problem_since, destination_calendar, busy_from, busy_until,
    busy_synced_at, busy_error, created_at, updated_at, refresh_lease_until, sync_requested_at)
SELECT id, member_id, provider, account, access_token_sealed, refresh_token_sealed, access_expires_at, scopes,
    status, problem, problem_since, destination_calendar, busy_from, busy_until, busy_synced_at, busy_error,
    created_at, updated_at, refresh_lease_until, sync_requested_at
FROM calendar_connections;
DROP TABLE calendar_connections;
ALTER TABLE calendar_connections_new RENAME TO calendar_connections;
ALTER TABLE connection_calendars ADD COLUMN color TEXT; -- #rrggbb
COMMIT;
PRAGMA foreign_keys = ON;
