-- API users and the access log.
-- A user's token is never stored, only its SHA-256 (familynet.access.auth.token_hash).
-- The access log is append-only: triggers refuse any UPDATE or DELETE, and each
-- entry's hash covers the one before it (familynet.access.log), so an edit made
-- around the triggers (with another SQLite client) still shows in
-- `familynet access-log verify`.

CREATE TABLE users (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('practitioner', 'auditor', 'admin')),
    agency_id   TEXT,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE access_log (
    sequence       INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    user           TEXT NOT NULL,
    role           TEXT NOT NULL,
    agency_id      TEXT,
    purpose        TEXT,
    operation      TEXT NOT NULL,
    -- A JSON array of person ids.
    person_ids     TEXT NOT NULL,
    allowed        INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    correlation_id TEXT NOT NULL,
    previous_hash  TEXT NOT NULL,
    entry_hash     TEXT NOT NULL
);

-- Which entries name a person, for "who looked at this child".
CREATE TABLE access_log_persons (
    person_id TEXT NOT NULL,
    sequence  INTEGER NOT NULL REFERENCES access_log,
    PRIMARY KEY (person_id, sequence)
) WITHOUT ROWID;

CREATE INDEX access_log_by_user ON access_log (user, sequence);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

CREATE TRIGGER access_log_persons_no_update BEFORE UPDATE ON access_log_persons
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

CREATE TRIGGER access_log_persons_no_delete BEFORE DELETE ON access_log_persons
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
