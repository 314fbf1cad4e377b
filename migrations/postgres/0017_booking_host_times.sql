-- Each host's row of a booking carries the span the booking blocks, so that reading one host's
-- bookings around a time is a range of an index: the hosts' bookings ending after it. Joined by
-- member alone, that read walked the host's whole history (0.9 ms a booking once a host had
-- 2,000 bookings; issue 21). A lower bound on the start instead would need a cap on how long a
-- booking may be, and calendar sync may lengthen one. Triggers keep the copy in step: a host row
-- takes the booking's span when inserted, and every change of the span reaches its hosts.
ALTER TABLE booking_hosts
    ADD COLUMN blocked_from BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN blocked_until BIGINT NOT NULL DEFAULT 0;

UPDATE booking_hosts h SET blocked_from = b.blocked_from, blocked_until = b.blocked_until
FROM bookings b WHERE b.id = h.booking_id;

CREATE INDEX booking_hosts_member_until ON booking_hosts (member_id, blocked_until);

CREATE FUNCTION booking_hosts_take_span() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT b.blocked_from, b.blocked_until INTO NEW.blocked_from, NEW.blocked_until
    FROM bookings b WHERE b.id = NEW.booking_id;
    RETURN NEW;
END
$$;

CREATE TRIGGER booking_hosts_take_span BEFORE INSERT OR UPDATE OF booking_id ON booking_hosts
FOR EACH ROW EXECUTE FUNCTION booking_hosts_take_span();

CREATE FUNCTION bookings_span_to_hosts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE booking_hosts SET blocked_from = NEW.blocked_from, blocked_until = NEW.blocked_until
    WHERE booking_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER bookings_span_to_hosts AFTER UPDATE OF blocked_from, blocked_until ON bookings
FOR EACH ROW WHEN (OLD.blocked_from <> NEW.blocked_from OR OLD.blocked_until <> NEW.blocked_until)
EXECUTE FUNCTION bookings_span_to_hosts();
