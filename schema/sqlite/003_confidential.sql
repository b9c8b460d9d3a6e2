-- A person's identity or whereabouts must not be disclosed (a parent in a refuge, an
-- adopted child's birth relative): persons.confidential, 1 or 0. Persons already stored
-- were loaded before the marker existed, so none of them is marked: 0.
-- ADD COLUMN with a constant default rewrites no row, however many persons are stored.

ALTER TABLE persons ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1));
