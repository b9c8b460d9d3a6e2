-- The history of persons, memberships and relationships: every change a load or a mutation
-- makes to one keeps the version it replaces, with its provenance (the agency that recorded
-- it is among its values; the load that recorded it, by source and start, and the load that
-- replaced it). A trigger on each table keeps it, so no write can change a fact without its
-- previous version being kept: bundle loads, imports and mutations alike. A load rolled back
-- takes the versions it kept with it. Kept once per load (OLD.load_id differs from
-- NEW.load_id): a fact changed twice in one load keeps the version before that load.
-- fact is the version's fields as JSON, under their names in the bundle's files.
-- Versions are never changed or deleted.

CREATE TABLE previous_versions (
    version_id        INTEGER PRIMARY KEY,
    file              TEXT NOT NULL CHECK (file IN ('persons', 'household_members', 'relationships')),
    person_id         TEXT NOT NULL,
    related_person_id TEXT,
    fact              TEXT NOT NULL,
    recorded_in       TEXT,
    recorded_at       TEXT,
    replaced_in       TEXT,
    replaced_at       TEXT
);
CREATE INDEX previous_versions_person ON previous_versions (person_id);
CREATE INDEX previous_versions_related ON previous_versions (related_person_id);

CREATE TRIGGER previous_versions_no_update BEFORE UPDATE ON previous_versions
BEGIN SELECT RAISE(ABORT, 'previous versions are kept as they were'); END;

CREATE TRIGGER previous_versions_no_delete BEFORE DELETE ON previous_versions
BEGIN SELECT RAISE(ABORT, 'previous versions are kept as they were'); END;

CREATE TRIGGER persons_keep_previous AFTER UPDATE ON persons WHEN OLD.load_id IS NOT NEW.load_id
BEGIN
    INSERT INTO previous_versions (file, person_id, related_person_id, fact, recorded_in, recorded_at,
                                   replaced_in, replaced_at)
    VALUES ('persons', OLD.person_id, NULL,
            json_object('person_id', OLD.person_id, 'given_name', OLD.given_name, 'family_name', OLD.family_name, 'date_of_birth', OLD.date_of_birth, 'expected_date_of_birth', OLD.expected_date_of_birth, 'sex', OLD.sex, 'date_of_death', OLD.date_of_death, 'nhs_number', OLD.nhs_number, 'recorded_by', OLD.recorded_by, 'confidential', OLD.confidential),
            (SELECT source FROM loads WHERE load_id = OLD.load_id),
            (SELECT started_at FROM loads WHERE load_id = OLD.load_id),
            (SELECT source FROM loads WHERE load_id = NEW.load_id),
            (SELECT started_at FROM loads WHERE load_id = NEW.load_id));
END;

CREATE TRIGGER household_members_keep_previous AFTER UPDATE ON household_members WHEN OLD.load_id IS NOT NEW.load_id
BEGIN
    INSERT INTO previous_versions (file, person_id, related_person_id, fact, recorded_in, recorded_at,
                                   replaced_in, replaced_at)
    VALUES ('household_members', OLD.person_id, NULL,
            json_object('household_id', OLD.household_id, 'person_id', OLD.person_id, 'role', OLD.role, 'start_date', OLD.start_date, 'end_date', OLD.end_date, 'recorded_by', OLD.recorded_by),
            (SELECT source FROM loads WHERE load_id = OLD.load_id),
            (SELECT started_at FROM loads WHERE load_id = OLD.load_id),
            (SELECT source FROM loads WHERE load_id = NEW.load_id),
            (SELECT started_at FROM loads WHERE load_id = NEW.load_id));
END;

CREATE TRIGGER relationships_keep_previous AFTER UPDATE ON relationships WHEN OLD.load_id IS NOT NEW.load_id
BEGIN
    INSERT INTO previous_versions (file, person_id, related_person_id, fact, recorded_in, recorded_at,
                                   replaced_in, replaced_at)
    VALUES ('relationships', OLD.person_id, OLD.related_person_id,
            json_object('person_id', OLD.person_id, 'related_person_id', OLD.related_person_id, 'type', OLD.type, 'subtype', OLD.subtype, 'parental_responsibility', OLD.parental_responsibility, 'start_date', OLD.start_date, 'end_date', OLD.end_date, 'recorded_by', OLD.recorded_by),
            (SELECT source FROM loads WHERE load_id = OLD.load_id),
            (SELECT started_at FROM loads WHERE load_id = OLD.load_id),
            (SELECT source FROM loads WHERE load_id = NEW.load_id),
            (SELECT started_at FROM loads WHERE load_id = NEW.load_id));
END;
