-- Removing a member keeps their row, because past bookings name their hosts, but ends their access
-- and frees their email for a later invite (the address is replaced by a tombstone).
ALTER TABLE members ADD COLUMN removed_at BIGINT;

-- A booking can now move to another host when its host is removed.
ALTER TABLE booking_changes DROP CONSTRAINT booking_changes_kind_check;
ALTER TABLE booking_changes ADD CONSTRAINT booking_changes_kind_check
    CHECK (kind IN ('created', 'rescheduled', 'cancelled', 'reassigned'));
