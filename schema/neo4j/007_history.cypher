// The history of persons, memberships and relationships: every change a load or a mutation
// makes to one keeps the version it replaces as a (:PreviousVersion) node, written by the load
// in the transaction that changes the fact (queries/cypher/write.cypher, keep_previous_versions):
// file, person_id, related_person_id (a relationship's other end), fact (its fields as JSON,
// under their names in the bundle's files), recorded_in and recorded_at (the source and start
// of the load that recorded it), replaced_in and replaced_at (of the load that replaced it),
// first_load_id (the replacing load, so that undoing it forgets them) and order (within it).
// Looked up by either person.

CREATE INDEX previous_version_person IF NOT EXISTS FOR (n:PreviousVersion) ON (n.person_id);
CREATE INDEX previous_version_related IF NOT EXISTS FOR (n:PreviousVersion) ON (n.related_person_id);
CREATE INDEX previous_version_load IF NOT EXISTS FOR (n:PreviousVersion) ON (n.first_load_id);
