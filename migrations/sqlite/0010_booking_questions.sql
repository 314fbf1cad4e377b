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
