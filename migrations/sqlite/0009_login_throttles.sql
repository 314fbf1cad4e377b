-- Sign-in attempts counted per scope (an email, a client address, or the two together), shared
-- by every server process. An attempt is counted before its password is checked; past a free
-- allowance each failure doubles the wait before the next attempt (see services::limits).
CREATE TABLE login_throttles (
    scope           TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL
);
CREATE INDEX login_throttles_by_age ON login_throttles (last_failure_at);
