-- Identity resolution (docs/identity.md). Person rows are records and are never changed by
-- it; these tables say which records are one person, why, and who decided.
-- Links: two records of one person, from the model (model, model_version, probability and the
-- comparisons' weights as JSON) or from a user's link decision (user_name, reason).
CREATE TABLE identity_links (
    left_id       TEXT NOT NULL,
    right_id      TEXT NOT NULL,
    probability   REAL,
    comparisons   TEXT NOT NULL,
    model         TEXT,
    model_version TEXT,
    user_name     TEXT,
    reason        TEXT,
    linked_at     TEXT NOT NULL,
    PRIMARY KEY (left_id, right_id),
    CHECK (left_id < right_id)
) WITHOUT ROWID;

-- The review queue: pairs a person must decide, with the guardrails (reasons, JSON) that
-- stopped an automatic link.
CREATE TABLE identity_candidates (
    left_id       TEXT NOT NULL,
    right_id      TEXT NOT NULL,
    probability   REAL NOT NULL,
    comparisons   TEXT NOT NULL,
    band          TEXT NOT NULL,
    reasons       TEXT NOT NULL,
    model         TEXT NOT NULL,
    model_version TEXT NOT NULL,
    PRIMARY KEY (left_id, right_id),
    CHECK (left_id < right_id)
) WITHOUT ROWID;

-- Users' decisions, appended and never changed: the latest about a pair is in force.
CREATE TABLE identity_decisions (
    decision_id INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('link', 'distinct', 'unlink')),
    left_id     TEXT NOT NULL,
    right_id    TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    CHECK (left_id < right_id)
);

-- Which identity each record belongs to; an identity's id is one of its records' ids.
CREATE TABLE identity_members (
    person_id   TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX identity_members_identity ON identity_members (identity_id);

-- Identity ids that stopped naming an identity (a merge or a split), appended.
CREATE TABLE identity_aliases (
    alias       TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    aliased_at  TEXT NOT NULL,
    PRIMARY KEY (alias, aliased_at, identity_id)
) WITHOUT ROWID;
