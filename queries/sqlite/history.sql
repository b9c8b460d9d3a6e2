-- Previous versions of persons, memberships and relationships (schema/sqlite/006_history.sql).

-- name: previous_versions_of
-- Of the facts about the persons in the JSON array ?1 (either end of a relationship), in the order kept.
SELECT file, person_id, related_person_id, fact, recorded_in, recorded_at, replaced_in, replaced_at
FROM previous_versions
WHERE person_id IN (SELECT value FROM json_each(?1)) OR related_person_id IN (SELECT value FROM json_each(?1))
ORDER BY version_id;

-- name: all_previous_versions
SELECT file, person_id, related_person_id, fact, recorded_in, recorded_at, replaced_in, replaced_at
FROM previous_versions ORDER BY version_id;

-- name: insert_previous_version
INSERT INTO previous_versions (file, person_id, related_person_id, fact, recorded_in, recorded_at,
                               replaced_in, replaced_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);
