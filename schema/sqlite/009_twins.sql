-- Whether two siblings of one birth are identical (monozygotic) twins: relationships.twin,
-- 'identical', 'non_identical' or 'unknown' on a sibling_of, NULL when not recorded (every
-- fact stored before the column existed). ADD COLUMN with no default rewrites no row.

ALTER TABLE relationships ADD COLUMN twin TEXT
    CHECK (twin IS NULL OR (type = 'sibling_of' AND twin IN ('identical', 'non_identical', 'unknown')));

-- The history (006) keeps a relationship's twin too: the trigger is made again with it.
DROP TRIGGER relationships_keep_previous;
CREATE TRIGGER relationships_keep_previous AFTER UPDATE ON relationships WHEN OLD.load_id IS NOT NEW.load_id
BEGIN
    INSERT INTO previous_versions (file, person_id, related_person_id, fact, recorded_in, recorded_at,
                                   replaced_in, replaced_at)
    VALUES ('relationships', OLD.person_id, OLD.related_person_id,
            json_object('person_id', OLD.person_id, 'related_person_id', OLD.related_person_id, 'type', OLD.type, 'subtype', OLD.subtype, 'parental_responsibility', OLD.parental_responsibility, 'start_date', OLD.start_date, 'end_date', OLD.end_date, 'recorded_by', OLD.recorded_by, 'twin', OLD.twin),
            (SELECT source FROM loads WHERE load_id = OLD.load_id),
            (SELECT started_at FROM loads WHERE load_id = OLD.load_id),
            (SELECT source FROM loads WHERE load_id = NEW.load_id),
            (SELECT started_at FROM loads WHERE load_id = NEW.load_id));
END;
