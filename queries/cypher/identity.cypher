// Identity resolution's nodes (schema/neo4j/005_identity.cypher). Rows have the columns of
// the embedded store's (queries/sqlite/identity.sql), so both convert them alike.

// name: identity_links
MATCH (n:IdentityLink)
RETURN n.left_id, n.right_id, n.probability, n.comparisons, n.model, n.model_version, n.user_name, n.reason,
       n.linked_at
ORDER BY n.left_id, n.right_id;

// name: identity_candidates
MATCH (n:IdentityCandidate)
RETURN n.left_id, n.right_id, n.probability, n.comparisons, n.band, n.reasons, n.model, n.model_version
ORDER BY n.probability DESC, n.left_id, n.right_id;

// name: identity_decisions
MATCH (n:IdentityDecision)
RETURN n.kind, n.left_id, n.right_id, n.user_name, n.reason, n.decided_at ORDER BY n.sequence;

// name: identity_members
MATCH (n:IdentityMember) RETURN n.person_id, n.identity_id;

// name: identity_aliases
MATCH (n:IdentityAlias) RETURN n.alias, n.identity_id, n.aliased_at ORDER BY n.aliased_at, n.alias;

// name: person_first_loads
MATCH (p:Person) RETURN p.person_id, p.first_load_id;

// name: person_first_loads_of
// The load that first recorded each stored person of $ids.
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
RETURN p.person_id, p.first_load_id;

// name: apply_identity_decisions
// Decisions are numbered after the last, inside the write's transaction.
OPTIONAL MATCH (last:IdentityDecision)
WITH coalesce(max(last.sequence), 0) AS after
UNWIND range(0, size($rows) - 1) AS i
WITH after, i, $rows[i] AS row
CREATE (:IdentityDecision {sequence: after + i + 1, kind: row[0], left_id: row[1], right_id: row[2],
                           user_name: row[3], reason: row[4], decided_at: row[5]});

// name: delete_identity_links
UNWIND $pairs AS p MATCH (n:IdentityLink {pair: p[0] + '|' + p[1]}) DELETE n;

// name: insert_identity_links
UNWIND $rows AS row
MERGE (n:IdentityLink {pair: row[0] + '|' + row[1]})
SET n.left_id = row[0], n.right_id = row[1], n.probability = row[2], n.comparisons = row[3], n.model = row[4],
    n.model_version = row[5], n.user_name = row[6], n.reason = row[7], n.linked_at = row[8];

// name: delete_identity_candidates
UNWIND $pairs AS p MATCH (n:IdentityCandidate {pair: p[0] + '|' + p[1]}) DELETE n;

// name: insert_identity_candidates
UNWIND $rows AS row
MERGE (n:IdentityCandidate {pair: row[0] + '|' + row[1]})
SET n.left_id = row[0], n.right_id = row[1], n.probability = row[2], n.comparisons = row[3], n.band = row[4],
    n.reasons = row[5], n.model = row[6], n.model_version = row[7];

// name: upsert_identity_members
UNWIND $rows AS row
MERGE (n:IdentityMember {person_id: row[0]}) SET n.identity_id = row[1];

// name: insert_identity_aliases
UNWIND $rows AS row
MERGE (:IdentityAlias {alias: row[0], identity_id: row[1], aliased_at: row[2]});

// name: identities_of
// Every record of the identities of the records $ids, with its identity.
MATCH (s:IdentityMember) WHERE s.person_id IN $ids
WITH DISTINCT s.identity_id AS identity
MATCH (m:IdentityMember {identity_id: identity})
RETURN m.person_id, m.identity_id;

// name: identity_candidates_of
// The candidates naming a record of $ids, on either side.
CALL {
  MATCH (n:IdentityCandidate) WHERE n.left_id IN $ids RETURN n
  UNION
  MATCH (n:IdentityCandidate) WHERE n.right_id IN $ids RETURN n
}
RETURN n.left_id, n.right_id, n.probability, n.comparisons, n.band, n.reasons, n.model, n.model_version
ORDER BY n.probability DESC, n.left_id, n.right_id;

// name: identity_decisions_of
// The decisions about a pair naming a record of $ids, on either side, in order.
CALL {
  MATCH (n:IdentityDecision) WHERE n.left_id IN $ids RETURN n
  UNION
  MATCH (n:IdentityDecision) WHERE n.right_id IN $ids RETURN n
}
RETURN n.kind, n.left_id, n.right_id, n.user_name, n.reason, n.decided_at ORDER BY n.sequence;

// name: identity_members_of
// The identity of each resolved record of $ids.
MATCH (n:IdentityMember) WHERE n.person_id IN $ids RETURN n.person_id, n.identity_id;

// name: delete_identity_keys
MATCH (n:IdentityKey) DELETE n;

// name: delete_identity_keys_of
// The blocking keys of the records $ids.
UNWIND $ids AS id
MATCH (n:IdentityKey {person_id: id}) DELETE n;

// name: insert_identity_keys
UNWIND $rows AS row
CREATE (:IdentityKey {key: row[0], person_id: row[1]});

// name: identity_keys
// Every stored blocking key (familynet copy).
MATCH (n:IdentityKey) RETURN n.key, n.person_id;

// name: persons_with_identity_keys
// The records holding a key of $keys.
UNWIND $keys AS k
MATCH (n:IdentityKey {key: k})
RETURN DISTINCT n.person_id;

// name: a_record_without_identity_keys
// A record, other than those of $besides, that holds no blocking key (loaded unlinked, copied,
// or stored before migration 009), if any.
MATCH (p:Person)
WHERE NOT p.person_id IN $besides AND NOT EXISTS { MATCH (:IdentityKey {person_id: p.person_id}) }
RETURN p.person_id LIMIT 1;

// name: identity_key_counts
// How many records hold each key of $keys.
UNWIND $keys AS k
MATCH (n:IdentityKey {key: k})
RETURN k, count(n);

// name: parent_mentions_of
// The mentions of the records $ids (their roles), for their family context.
UNWIND $ids AS id
MATCH (:Referral)-[m:MENTIONS]->(p:Person {person_id: id})
RETURN startNode(m).referral_id, p.person_id, m.role;

// name: identity_links_of
// The links naming a record of $ids, on either side.
CALL {
  MATCH (n:IdentityLink) WHERE n.left_id IN $ids RETURN n
  UNION
  MATCH (n:IdentityLink) WHERE n.right_id IN $ids RETURN n
}
RETURN n.left_id, n.right_id, n.probability, n.comparisons, n.model, n.model_version, n.user_name, n.reason,
       n.linked_at
ORDER BY n.left_id, n.right_id;

// name: identity_totals
// Records, records in an identity named after another record, links the model made, and the review
// queue (familynet.model.identity.is_queued: a review-band candidate whose records are in
// different identities and about which the latest decision, if any, is an undistinct).
CALL { MATCH (p:Person) RETURN count(p) AS records }
CALL { MATCH (m:IdentityMember) WHERE m.person_id <> m.identity_id RETURN count(m) AS merged }
CALL { MATCH (n:IdentityLink) WHERE n.user_name IS NULL RETURN count(n) AS auto }
CALL {
  MATCH (c:IdentityCandidate {band: 'review'})
  OPTIONAL MATCH (l:IdentityMember {person_id: c.left_id})
  OPTIONAL MATCH (r:IdentityMember {person_id: c.right_id})
  WITH c WHERE coalesce(l.identity_id, c.left_id) <> coalesce(r.identity_id, c.right_id)
  OPTIONAL MATCH (d:IdentityDecision {left_id: c.left_id, right_id: c.right_id})
  WITH c, d ORDER BY d.sequence DESC
  WITH c, collect(d.kind)[0] AS latest
  WHERE coalesce(latest, 'undistinct') = 'undistinct'
  RETURN count(c) AS queued
}
RETURN records, merged, auto, queued;

// name: referral_children
// The child of each contact or referral of $ids.
UNWIND $ids AS id
MATCH (r:Referral {referral_id: id})
RETURN r.referral_id, r.child_id;
