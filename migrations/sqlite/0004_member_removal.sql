-- Removing a member keeps their row, because past bookings name their hosts, but ends their access
-- and frees their email for a later invite (the address is replaced by a tombstone).
ALTER TABLE members ADD COLUMN removed_at BIGINT;

-- A booking can now move to another host when its host is removed. SQLite cannot change a CHECK
-- constraint in place, so the history table is rebuilt with the new kind.
CREATE TABLE booking_changes_next (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id  BIGINT  NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('created', 'rescheduled', 'cancelled', 'reassigned')),
    old_start   BIGINT,
    old_end     BIGINT,
    new_start   BIGINT,
    new_end     BIGINT,
    reason      TEXT,
    changed_at  BIGINT  NOT NULL
);
INSERT INTO booking_changes_next (id, booking_id, kind, old_start, old_end, new_start, new_end, reason, changed_at)
    SELECT id, booking_id, kind, old_start, old_end, new_start, new_end, reason, changed_at FROM booking_changes;
DROP TABLE booking_changes;
ALTER TABLE booking_changes_next RENAME TO booking_changes;
CREATE INDEX booking_changes_booking ON booking_changes (booking_id);
