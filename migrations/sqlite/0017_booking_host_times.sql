-- Each host's row of a booking carries the span the booking blocks, so that reading one host's
-- bookings around a time is a range of an index: the hosts' bookings ending after it. Joined by
-- member alone, that read walked the host's whole history (0.9 ms a booking once a host had
-- 2,000 bookings; issue 21). A lower bound on the start instead would need a cap on how long a
-- booking may be, and calendar sync may lengthen one. Triggers keep the copy in step: a host row
-- takes the booking's span when inserted, and every change of the span reaches its hosts.
ALTER TABLE booking_hosts ADD COLUMN blocked_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE booking_hosts ADD COLUMN blocked_until BIGINT NOT NULL DEFAULT 0;

UPDATE booking_hosts
SET blocked_from = (SELECT b.blocked_from FROM bookings b WHERE b.id = booking_hosts.booking_id),
    blocked_until = (SELECT b.blocked_until FROM bookings b WHERE b.id = booking_hosts.booking_id);

CREATE INDEX booking_hosts_member_until ON booking_hosts (member_id, blocked_until);

CREATE TRIGGER booking_hosts_take_span AFTER INSERT ON booking_hosts
BEGIN
    UPDATE booking_hosts
    SET blocked_from = (SELECT b.blocked_from FROM bookings b WHERE b.id = NEW.booking_id),
        blocked_until = (SELECT b.blocked_until FROM bookings b WHERE b.id = NEW.booking_id)
    WHERE booking_id = NEW.booking_id AND member_id = NEW.member_id;
END;

CREATE TRIGGER bookings_span_to_hosts AFTER UPDATE OF blocked_from, blocked_until ON bookings
WHEN OLD.blocked_from <> NEW.blocked_from OR OLD.blocked_until <> NEW.blocked_until
BEGIN
    UPDATE booking_hosts SET blocked_from = NEW.blocked_from, blocked_until = NEW.blocked_until
    WHERE booking_id = NEW.id;
END;
