-- Websites allowed to show the team's booking pages in a frame (CSP frame-ancestors), separated
-- by spaces. Empty: any website may embed them.
ALTER TABLE teams ADD COLUMN embed_origins TEXT NOT NULL DEFAULT '';
