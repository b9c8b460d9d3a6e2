-- Identity resolution's blocking keys (docs/identity.md, "Incremental linking"): for each
-- record, a hash per blocking rule and side of the values the rule compares, and one per
-- term-frequency-adjusted name, so that linking a few new records finds their candidates and
-- the frequency of their names by key, without reading every record. Written by each
-- resolution for the records it read (familynet.identity.blocking).
CREATE TABLE identity_keys (
    key INTEGER NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
CREATE INDEX identity_keys_person ON identity_keys (person_id);
-- A record's mentions, by person and role: for its family context (the child of a contact that
-- names it as parent or carer), and for a family network's allegations against its persons
-- about any child (issue 14; the primary key serves mentions by referral).
CREATE INDEX referral_mentions_person ON referral_mentions (person_id, role);
-- The links naming a record on the right (the primary key finds it on the left): linking new
-- records re-clusters only the identities around them.
CREATE INDEX identity_links_right ON identity_links (right_id);
