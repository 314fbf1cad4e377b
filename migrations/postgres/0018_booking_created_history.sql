-- A booking's history begins with its creation, written by the database with the booking: it
-- cannot be forgotten, and booking spares a statement of its own (each is a round trip to the
-- database's thread inside the one write transaction; issue 21).
CREATE FUNCTION bookings_created_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO booking_changes (booking_id, kind, old_start, old_end, new_start, new_end, reason, changed_at)
    VALUES (NEW.id, 'created', NULL, NULL, NEW.start_at, NEW.end_at, NULL, NEW.created_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER bookings_created_history AFTER INSERT ON bookings
FOR EACH ROW EXECUTE FUNCTION bookings_created_history();
