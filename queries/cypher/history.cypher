// Previous versions of persons, memberships and relationships (schema/neo4j/007_history.cypher).
// Versions copied from another store (no first_load_id) come before those kept since, each in
// the order kept.

// name: previous_versions_of
// Of the facts about the persons $ids (either end of a relationship).
MATCH (v:PreviousVersion) WHERE v.person_id IN $ids OR v.related_person_id IN $ids
RETURN v.file, v.person_id, v.related_person_id, v.fact, v.recorded_in, v.recorded_at, v.replaced_in, v.replaced_at
ORDER BY coalesce(v.first_load_id, 0), v.order;

// name: all_previous_versions
MATCH (v:PreviousVersion)
RETURN v.file, v.person_id, v.related_person_id, v.fact, v.recorded_in, v.recorded_at, v.replaced_in, v.replaced_at
ORDER BY coalesce(v.first_load_id, 0), v.order;

// name: insert_previous_versions
UNWIND $rows AS row
CREATE (v:PreviousVersion)
SET v = row;
