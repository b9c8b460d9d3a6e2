// Writes of one load. $load_id is the load's id; $rows are maps {i: position in the batch,
// k: the fact's key, p: its stored values}, built by familynet.stores.neo4j.load. The store reads
// the stored values of a batch (existing_*), compares them in Python, and then creates the
// new facts (create_*) and replaces the properties of the changed ones (update_*, whose p
// is the fact's whole new property map), so an unchanged fact keeps the load_id of the load
// that last changed it. Ends of relationships are checked to exist before a write, so a
// MATCH here never drops a row.
//
// A large load commits in several transactions (familynet.stores.neo4j.load): the properties a
// load replaces are kept in its journal ((:LoadUndo) nodes, written in the transaction that
// replaces them), so a load that fails, or whose loader dies, is undone: what it created is
// deleted (first_load_id) and what it changed is put back from its journal, through the
// same update_* statements.

// name: hold_load_lock
// Held by a transaction of its own for the whole of a load, and released when the load ends
// or its loader's connection closes: loads are serialised, and a load whose lock is free but
// whose (:Load) is unfinished was left by a loader that died.
MERGE (k:LoadLock {name: 'loads'}) SET k.held_since = $at;

// name: unfinished_loads
MATCH (l:Load) WHERE l.finished_at IS NULL RETURN l.load_id ORDER BY l.load_id;

// name: begin_load
MERGE (c:LoadCounter {name: 'loads'})
SET c.last = coalesce(c.last, 0) + 1
CREATE (l:Load {load_id: c.last, source: $source, started_at: $at})
RETURN l.load_id;

// name: fence_load
// In every transaction of a load but its first, before it commits: the load's write lock on
// its (:Load) orders the commit before or after an undo's mark (undoing), so a batch never
// commits behind the back of an undo that has begun. No row: the load is being undone.
MATCH (l:Load {load_id: $load_id}) WHERE l.undoing IS NULL AND l.finished_at IS NULL
SET l.batches = coalesce(l.batches, 0) + 1
RETURN l.load_id;

// name: finish_load
MATCH (l:Load {load_id: $load_id}) WHERE l.undoing IS NULL AND l.finished_at IS NULL
SET l.finished_at = $at
RETURN l.load_id;

// name: mark_undoing
// Committed before an undo begins; a finished load is never undone.
MATCH (l:Load {load_id: $load_id}) WHERE l.finished_at IS NULL
SET l.undoing = true
RETURN l.load_id;

// name: journal
// Before a changed fact's properties are replaced: the whole of them (properties can be no
// map, so the journal's own are named undo_*, which no fact's property is).
UNWIND $rows AS row
CREATE (u:LoadUndo)
SET u = row.before, u.undo_load_id = $load_id, u.undo_file = $file, u.undo_key = row.key;

// name: keep_previous_versions
// Before a person, membership or relationship is changed (in the transaction that changes it):
// the version it replaces (schema/neo4j/007_history.cypher), once per load, with the source and
// start of the load that recorded it and of this one. first_load_id is the replacing load's, so
// that undoing it forgets the versions it kept.
MATCH (n:Load {load_id: $load_id})
UNWIND $rows AS row
OPTIONAL MATCH (o:Load {load_id: row.recorded_load})
CREATE (v:PreviousVersion)
SET v.file = $file, v.person_id = row.person_id, v.related_person_id = row.related_person_id, v.fact = row.fact,
    v.recorded_in = o.source, v.recorded_at = o.started_at, v.replaced_in = n.source, v.replaced_at = n.started_at,
    v.first_load_id = $load_id, v.order = row.order;

// name: journal_entries
MATCH (u:LoadUndo {undo_load_id: $load_id})
WITH u LIMIT $limit
RETURN elementId(u), u.undo_file, u.undo_key, properties(u);

// name: forget_journal_entries
MATCH (u:LoadUndo) WHERE elementId(u) IN $ids DELETE u;

// name: forget_journal
// Of a load that finished or was undone, after it did, in transactions of their own (a load
// may have changed millions of facts).
MATCH (u:LoadUndo {undo_load_id: $load_id})
CALL (u) { DELETE u } IN TRANSACTIONS OF 10000 ROWS;

// name: forget_journals
// With the load lock held and no load unfinished, every journal entry left is of a load that
// finished while its loader died before it could forget them.
MATCH (u:LoadUndo)
CALL (u) { DELETE u } IN TRANSACTIONS OF 10000 ROWS;

// name: undo_created_relationships
// The facts a load created between nodes it did not create.
MATCH ()-[r:MEMBER_OF|PARENT_OF|PARTNER_OF|SIBLING_OF|MENTIONS|CONSIDERED]->() WHERE r.first_load_id = $load_id
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS;

// name: undo_created_nodes
// The facts a load created, with every edge they have, and the concern codes it was the first
// to raise.
MATCH (n:Agency|Person|Household|Referral|Assessment|Check|Plan|Concern|PreviousVersion)
WHERE n.first_load_id = $load_id
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;

// name: forget_load
MATCH (l:Load {load_id: $load_id}) DELETE l;

// name: existing_agencies
UNWIND $rows AS row MATCH (n:Agency {agency_id: row.k.id}) RETURN row.i, properties(n);

// name: create_agencies
UNWIND $rows AS row CREATE (n:Agency) SET n = row.p, n.first_load_id = $load_id, n.load_id = $load_id;

// name: update_agencies
UNWIND $rows AS row MATCH (n:Agency {agency_id: row.k.id}) SET n = row.p;

// name: existing_persons
UNWIND $rows AS row MATCH (n:Person {person_id: row.k.id}) RETURN row.i, properties(n);

// name: create_persons
UNWIND $rows AS row CREATE (n:Person) SET n = row.p, n.first_load_id = $load_id, n.load_id = $load_id;

// name: update_persons
UNWIND $rows AS row MATCH (n:Person {person_id: row.k.id}) SET n = row.p;

// name: existing_households
UNWIND $rows AS row MATCH (n:Household {household_id: row.k.id}) RETURN row.i, properties(n);

// name: create_households
UNWIND $rows AS row CREATE (n:Household) SET n = row.p, n.first_load_id = $load_id, n.load_id = $load_id;

// name: update_households
UNWIND $rows AS row MATCH (n:Household {household_id: row.k.id}) SET n = row.p;

// name: existing_household_members
UNWIND $rows AS row
MATCH (:Person {person_id: row.k.person_id})
      -[m:MEMBER_OF {recorded_by: row.k.recorded_by, start_key: row.k.start_key}]->
      (:Household {household_id: row.k.household_id})
RETURN row.i, properties(m);

// name: create_household_members
UNWIND $rows AS row
MATCH (p:Person {person_id: row.k.person_id})
MATCH (h:Household {household_id: row.k.household_id})
CREATE (p)-[m:MEMBER_OF]->(h)
SET m.role = row.p.role, m.start_date = row.p.start_date, m.end_date = row.p.end_date, m.recorded_by = row.p.recorded_by,
    m.start_key = row.k.start_key, m.first_load_id = $load_id, m.load_id = $load_id;

// name: update_household_members
UNWIND $rows AS row
MATCH (:Person {person_id: row.k.person_id})
      -[m:MEMBER_OF {recorded_by: row.k.recorded_by, start_key: row.k.start_key}]->
      (:Household {household_id: row.k.household_id})
SET m = row.p;

// name: existing_relationships
// The type is matched with WHERE, and created by one subquery per type: a dynamic type
// ($(row.k.type)) takes the first row's type for every row in Neo4j 5.26.0.
UNWIND $rows AS row
MATCH (:Person {person_id: row.k.person_id})
      -[r:PARENT_OF|PARTNER_OF|SIBLING_OF {recorded_by: row.k.recorded_by, start_key: row.k.start_key}]->
      (:Person {person_id: row.k.related_person_id})
WHERE type(r) = row.k.type
RETURN row.i, properties(r);

// name: create_relationships
// Properties are set one by one, not from a map: a map could hold any property, so the
// planner would hold every row back (an eager step) before the next row's index look-ups.
CALL () {
  UNWIND [x IN $rows WHERE x.k.type = 'PARENT_OF'] AS row
  MATCH (a:Person {person_id: row.k.person_id})
  MATCH (b:Person {person_id: row.k.related_person_id})
  CREATE (a)-[r:PARENT_OF]->(b)
  SET r.subtype = row.p.subtype, r.parental_responsibility = row.p.parental_responsibility,
      r.start_date = row.p.start_date, r.end_date = row.p.end_date, r.recorded_by = row.p.recorded_by,
      r.start_key = row.k.start_key, r.first_load_id = $load_id, r.load_id = $load_id
}
CALL () {
  UNWIND [x IN $rows WHERE x.k.type = 'PARTNER_OF'] AS row
  MATCH (a:Person {person_id: row.k.person_id})
  MATCH (b:Person {person_id: row.k.related_person_id})
  CREATE (a)-[r:PARTNER_OF]->(b)
  SET r.subtype = row.p.subtype, r.parental_responsibility = row.p.parental_responsibility,
      r.start_date = row.p.start_date, r.end_date = row.p.end_date, r.recorded_by = row.p.recorded_by,
      r.start_key = row.k.start_key, r.first_load_id = $load_id, r.load_id = $load_id
}
CALL () {
  UNWIND [x IN $rows WHERE x.k.type = 'SIBLING_OF'] AS row
  MATCH (a:Person {person_id: row.k.person_id})
  MATCH (b:Person {person_id: row.k.related_person_id})
  CREATE (a)-[r:SIBLING_OF]->(b)
  SET r.subtype = row.p.subtype, r.parental_responsibility = row.p.parental_responsibility,
      r.start_date = row.p.start_date, r.end_date = row.p.end_date, r.recorded_by = row.p.recorded_by,
      r.twin = row.p.twin, r.start_key = row.k.start_key, r.first_load_id = $load_id, r.load_id = $load_id
};

// name: update_relationships
UNWIND $rows AS row
MATCH (:Person {person_id: row.k.person_id})
      -[r:PARENT_OF|PARTNER_OF|SIBLING_OF {recorded_by: row.k.recorded_by, start_key: row.k.start_key}]->
      (:Person {person_id: row.k.related_person_id})
WHERE type(r) = row.k.type
SET r = row.p;

// name: existing_referrals
UNWIND $rows AS row MATCH (n:Referral {referral_id: row.k.id}) RETURN row.i, properties(n);

// name: create_referrals
// With their edges: ABOUT the child, FROM the referrer, RAISES each concern. Everything is read
// before anything is written, so the rows stream through without an eager step.
UNWIND $rows AS row
MATCH (c:Person {person_id: row.p.child_id})
OPTIONAL MATCH (a:Agency {agency_id: row.p.referrer_agency_id})
CREATE (n:Referral)-[:ABOUT]->(c)
SET n = row.p, n.first_load_id = $load_id, n.load_id = $load_id
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | CREATE (n)-[:FROM]->(a))
FOREACH (code IN row.p.concerns | MERGE (k:Concern {code: code}) ON CREATE SET k.first_load_id = $load_id MERGE (n)-[:RAISES]->(k));

// name: update_referrals
// A changed referral loses its edges and has them drawn again from its new values.
UNWIND $rows AS row
MATCH (n:Referral {referral_id: row.k.id})
MATCH (c:Person {person_id: row.p.child_id})
OPTIONAL MATCH (a:Agency {agency_id: row.p.referrer_agency_id})
CALL (n) { MATCH (n)-[e:ABOUT|FROM|RAISES]->() DELETE e }
SET n = row.p
CREATE (n)-[:ABOUT]->(c)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | CREATE (n)-[:FROM]->(a))
FOREACH (code IN row.p.concerns | MERGE (k:Concern {code: code}) ON CREATE SET k.first_load_id = $load_id MERGE (n)-[:RAISES]->(k));

// name: existing_referral_mentions
// Every row, with its referral's referrer: a mention's provenance (its recorded_by). The
// person is found from the referral's few mentions, not looked up (a new referral has none).
UNWIND $rows AS row
MATCH (r:Referral {referral_id: row.k.referral_id})
OPTIONAL MATCH (r)-[m:MENTIONS {role: row.k.role}]->(p)
WHERE p.person_id = row.k.person_id
RETURN row.i, properties(m), r.referrer_agency_id;

// name: create_referral_mentions
UNWIND $rows AS row
MATCH (r:Referral {referral_id: row.k.referral_id})
MATCH (p:Person {person_id: row.k.person_id})
CREATE (r)-[m:MENTIONS]->(p)
SET m.role = row.p.role, m.recorded_by = r.referrer_agency_id, m.first_load_id = $load_id, m.load_id = $load_id;

// name: update_referral_mentions
UNWIND $rows AS row
MATCH (:Referral {referral_id: row.k.referral_id})-[m:MENTIONS {role: row.k.role}]->
      (:Person {person_id: row.k.person_id})
SET m = row.p;

// name: existing_assessments
UNWIND $rows AS row MATCH (n:Assessment {assessment_id: row.k.id}) RETURN row.i, properties(n);

// name: create_assessments
// With their edges: OF the child, FOLLOWS its referral, RAISES each factor. Everything is read
// before anything is written, so the rows stream through without an eager step.
UNWIND $rows AS row
MATCH (c:Person {person_id: row.p.child_id})
OPTIONAL MATCH (r:Referral {referral_id: row.p.referral_id})
CREATE (n:Assessment)-[:OF]->(c)
SET n = row.p, n.first_load_id = $load_id, n.load_id = $load_id
FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END | CREATE (n)-[:FOLLOWS]->(r))
FOREACH (code IN row.p.factors | MERGE (k:Concern {code: code}) ON CREATE SET k.first_load_id = $load_id MERGE (n)-[:RAISES]->(k));

// name: update_assessments
// A changed assessment loses its edges and has them drawn again from its new values.
UNWIND $rows AS row
MATCH (n:Assessment {assessment_id: row.k.id})
MATCH (c:Person {person_id: row.p.child_id})
OPTIONAL MATCH (r:Referral {referral_id: row.p.referral_id})
CALL (n) { MATCH (n)-[e:OF|FOLLOWS|RAISES]->() DELETE e }
SET n = row.p
CREATE (n)-[:OF]->(c)
FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END | CREATE (n)-[:FOLLOWS]->(r))
FOREACH (code IN row.p.factors | MERGE (k:Concern {code: code}) ON CREATE SET k.first_load_id = $load_id MERGE (n)-[:RAISES]->(k));

// name: existing_checks
UNWIND $rows AS row MATCH (n:Check {check_id: row.k.id}) RETURN row.i, properties(n);

// name: create_checks
// With their edges: FOR the referral, TO the agency asked.
UNWIND $rows AS row
MATCH (r:Referral {referral_id: row.p.referral_id})
MATCH (a:Agency {agency_id: row.p.agency_id})
CREATE (r)<-[:FOR]-(n:Check)-[:TO]->(a)
SET n = row.p, n.first_load_id = $load_id, n.load_id = $load_id;

// name: update_checks
// A changed check loses its edges and has them drawn again from its new values.
UNWIND $rows AS row
MATCH (n:Check {check_id: row.k.id})
MATCH (r:Referral {referral_id: row.p.referral_id})
MATCH (a:Agency {agency_id: row.p.agency_id})
CALL (n) { MATCH (n)-[e:FOR|TO]->() DELETE e }
SET n = row.p
CREATE (r)<-[:FOR]-(n)-[:TO]->(a);

// name: existing_plans
UNWIND $rows AS row MATCH (n:Plan {plan_id: row.k.id}) RETURN row.i, properties(n);

// name: create_plans
UNWIND $rows AS row
MATCH (c:Person {person_id: row.p.child_id})
CREATE (n:Plan)-[:OF]->(c)
SET n = row.p, n.first_load_id = $load_id, n.load_id = $load_id;

// name: update_plans
UNWIND $rows AS row
MATCH (n:Plan {plan_id: row.k.id})
MATCH (c:Person {person_id: row.p.child_id})
CALL (n) { MATCH (n)-[e:OF]->() DELETE e }
SET n = row.p
CREATE (n)-[:OF]->(c);

// name: existing_considerations
UNWIND $rows AS row
MATCH (:Referral {referral_id: row.k.referral_id})-[c:CONSIDERED]->(:Person {person_id: row.k.person_id})
RETURN row.i, properties(c);

// name: create_considerations
UNWIND $rows AS row
MATCH (r:Referral {referral_id: row.k.referral_id})
MATCH (p:Person {person_id: row.k.person_id})
CREATE (r)-[c:CONSIDERED]->(p)
SET c.considered_on = row.p.considered_on, c.outcome = row.p.outcome, c.recorded_by = row.p.recorded_by,
    c.first_load_id = $load_id, c.load_id = $load_id;

// name: update_considerations
UNWIND $rows AS row
MATCH (:Referral {referral_id: row.k.referral_id})-[c:CONSIDERED]->(:Person {person_id: row.k.person_id})
SET c = row.p;
