-- A distinct decision can be withdrawn (docs/identity.md): a new decision kind, 'undistinct',
-- appended like the others; the old decision stays. SQLite cannot change a CHECK constraint, so
-- the table is rebuilt with every row and its decision_id kept.
CREATE TABLE identity_decisions_008 (
    decision_id INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('link', 'distinct', 'unlink', 'undistinct')),
    left_id     TEXT NOT NULL,
    right_id    TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    CHECK (left_id < right_id)
);
INSERT INTO identity_decisions_008 (decision_id, kind, left_id, right_id, user_name, reason, decided_at)
    SELECT decision_id, kind, left_id, right_id, user_name, reason, decided_at FROM identity_decisions;
DROP TABLE identity_decisions;
ALTER TABLE identity_decisions_008 RENAME TO identity_decisions;

-- The records role (docs/graphql.md): it decides which records are one person. The users table
-- is rebuilt the same way to admit it.
CREATE TABLE users_008 (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('practitioner', 'auditor', 'records', 'admin')),
    agency_id   TEXT,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
INSERT INTO users_008 (name, role, agency_id, token_hash, created_at, revoked_at)
    SELECT name, role, agency_id, token_hash, created_at, revoked_at FROM users;
DROP TABLE users;
ALTER TABLE users_008 RENAME TO users;
