-- Admins' webhook endpoints (see services::webhooks). events: a JSON array of event names;
-- event_type_ids: a JSON array of ids, empty for every event type. The signing secret is sealed
-- with the server's key; after a rotation the previous one still signs until previous_secret_until.
-- failing_since: the first failure since the last success; three days of failures disable it.
CREATE TABLE webhook_endpoints (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id                BIGINT  NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    url                    TEXT    NOT NULL,
    description            TEXT    NOT NULL,
    events                 TEXT    NOT NULL,
    event_type_ids         TEXT    NOT NULL,
    secret_sealed          TEXT    NOT NULL,
    previous_secret_sealed TEXT,
    previous_secret_until  BIGINT,
    enabled                INTEGER NOT NULL,
    disabled_reason        TEXT,
    failing_since          BIGINT,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL
);
CREATE INDEX webhook_endpoints_team ON webhook_endpoints (team_id);

-- One message for one endpoint, with the body it is sent with (the same bytes on every attempt and
-- resend, so receivers can deduplicate by uid). state: pending (being tried), delivered, failed
-- (final: a 4xx, three days of failures, or its endpoint disabled).
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id      BIGINT  NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    uid              TEXT    NOT NULL UNIQUE,
    event            TEXT    NOT NULL,
    booking_id       BIGINT  REFERENCES bookings (id) ON DELETE SET NULL,
    body             TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT  NOT NULL,
    response_status  BIGINT,
    response_excerpt TEXT,
    last_error       TEXT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
