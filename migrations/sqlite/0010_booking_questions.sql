-- Questions an event type asks beyond name and email, in order (see domain::questions).
-- options: a JSON array of strings, for the kinds with options.
CREATE TABLE event_type_questions (
    event_type_id BIGINT NOT NULL REFERENCES event_types (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    question_key  TEXT NOT NULL,
    kind          TEXT NOT NULL,
    label         TEXT NOT NULL,
    help          TEXT NOT NULL,
    required      INTEGER NOT NULL,
    hidden        INTEGER NOT NULL,
    options       TEXT NOT NULL,
    PRIMARY KEY (event_type_id, position),
    UNIQUE (event_type_id, question_key)
);

-- Answers with the question as it was asked (label and kind), so that changing or deleting the
-- question later keeps them. value: JSON, a string, an array of strings or a boolean.
CREATE TABLE booking_answers (
    booking_id   BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    question_key TEXT NOT NULL,
    kind         TEXT NOT NULL,
    label        TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (booking_id, position)
);

-- People the attendee added; they get the invitation and the cancellation, not the manage links.
CREATE TABLE booking_guests (
    booking_id BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    PRIMARY KEY (booking_id, email)
);

ALTER TABLE event_types ADD COLUMN allow_guests INTEGER NOT NULL DEFAULT 1;

-- The fixed notes field becomes an ordinary optional long-text question of every event type (key
-- `notes`, so links and API clients that send notes keep working), and what attendees wrote in it
-- an answer to that question.
INSERT INTO event_type_questions (event_type_id, position, question_key, kind, label, help, required, hidden, options)
SELECT id, 0, 'notes', 'long_text', 'Anything that helps prepare?', '', 0, 0, '[]' FROM event_types;
INSERT INTO booking_answers (booking_id, position, question_key, kind, label, value)
SELECT id, 0, 'notes', 'long_text', 'Anything that helps prepare?', json_quote(notes) FROM bookings WHERE notes <> '';
