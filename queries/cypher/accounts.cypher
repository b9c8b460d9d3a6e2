// API users and the hash-chained access log (schema/neo4j/002_accounts.cypher).

// name: insert_user
CREATE (:User {name: $name, role: $role, agency_id: $agency_id, token_hash: $token_hash, created_at: $created_at});

// name: revoke_user
MATCH (u:User {name: $name}) WHERE u.revoked_at IS NULL SET u.revoked_at = $at RETURN count(u);

// name: users
MATCH (u:User) RETURN u.name, u.role, u.agency_id, u.created_at, u.revoked_at ORDER BY u.name;

// name: user_by_token_hash
MATCH (u:User {token_hash: $token_hash}) WHERE u.revoked_at IS NULL
RETURN u.name, u.role, u.agency_id, u.created_at, u.revoked_at;

// name: lock_access_log
// Writing the head takes its lock until commit, so appends serialise and the chain never forks.
MERGE (h:AccessLogHead {name: 'access_log'})
ON CREATE SET h.sequence = 0, h.entry_hash = $genesis
SET h.appended_at = $at
RETURN h.sequence, h.entry_hash;

// name: insert_access
UNWIND $entries AS e
CREATE (n:AccessEntry)
SET n = e.fields
WITH n, e
UNWIND e.person_ids AS person_id
MERGE (s:AccessSubject {person_id: person_id})
MERGE (n)-[:NAMES]->(s);

// name: move_access_head
MATCH (h:AccessLogHead {name: 'access_log'}) SET h.sequence = $sequence, h.entry_hash = $entry_hash;

// name: access_entries
// Entries after sequence $after, optionally only user $user's, optionally only those naming
// person $person_id, at most $limit of them.
MATCH (a:AccessEntry)
WHERE a.sequence > $after
  AND ($user IS NULL OR a.user = $user)
  AND ($person_id IS NULL OR EXISTS { (a)-[:NAMES]->(:AccessSubject {person_id: $person_id}) })
RETURN a.sequence, a.at, a.user, a.role, a.agency_id, a.purpose, a.operation, a.person_ids, a.allowed,
       a.correlation_id, a.previous_hash, a.entry_hash
ORDER BY a.sequence
LIMIT $limit;
