-- Teams, members, sessions and invites. Instants are UTC unix seconds (BIGINT) on both backends so
-- that one set of queries serves SQLite and PostgreSQL (see ARCHITECTURE.md, "Storage").

CREATE TABLE teams (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL,
    slug        TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);

-- One row at most: the database, not the application, decides that setup happens exactly once.
CREATE TABLE instance (
    id          BIGINT  PRIMARY KEY CHECK (id = 1),
    team_id     BIGINT  NOT NULL REFERENCES teams (id),
    set_up_at   BIGINT  NOT NULL
);

CREATE TABLE members (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id          BIGINT  NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email            TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    password_hash    TEXT    NOT NULL,
    timezone         TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
    accepts_bookings BIGINT  NOT NULL DEFAULT 1 CHECK (accepts_bookings IN (0, 1)),
    created_at       BIGINT  NOT NULL
);
CREATE INDEX members_team ON members (team_id);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);

CREATE TABLE invites (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id      BIGINT  NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email        TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
    token_hash   TEXT    NOT NULL UNIQUE,
    invited_by   BIGINT  NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    accepted_at  BIGINT
);
CREATE INDEX invites_team ON invites (team_id);
