-- Deleting an event type that has bookings keeps it (bookings reference it and their history must
-- stay readable) but hides it everywhere and frees its URL name.
ALTER TABLE event_types ADD COLUMN deleted_at BIGINT;
