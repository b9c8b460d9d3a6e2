-- Whether two siblings of one birth are identical (monozygotic) twins: relationships.twin,
-- 'identical', 'non_identical' or 'unknown' on a sibling_of, NULL when not recorded (every
-- fact stored before the column existed). ADD COLUMN with no default rewrites no row.

ALTER TABLE relationships ADD COLUMN twin TEXT
    CHECK (twin IS NULL OR (type = 'sibling_of' AND twin IN ('identical', 'non_identical', 'unknown')));
