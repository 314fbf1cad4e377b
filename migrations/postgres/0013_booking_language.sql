-- The language the attendee booked in (a BCP 47 tag of a shipped catalogue, see i18n/locales):
-- their emails and reminders are written in it. Bookings made before languages existed were
-- English.
ALTER TABLE bookings ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
