-- What the overview's first-steps checklist ticks off by itself: when a member first saved their
-- weekly hours, and when a booking page of the team was first shown in a frame on another site.
ALTER TABLE members ADD COLUMN hours_set_at BIGINT;
ALTER TABLE teams ADD COLUMN embedded_at BIGINT;
