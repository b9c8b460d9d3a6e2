// Look-ups. A parameter holding many ids is one list, $ids.

// name: known_agencies
UNWIND $ids AS id MATCH (n:Agency {agency_id: id}) RETURN id;

// name: known_persons
UNWIND $ids AS id MATCH (n:Person {person_id: id}) RETURN id;

// name: known_households
UNWIND $ids AS id MATCH (n:Household {household_id: id}) RETURN id;

// name: known_referrals
UNWIND $ids AS id MATCH (n:Referral {referral_id: id}) RETURN id;

// name: known_assessments
UNWIND $ids AS id MATCH (n:Assessment {assessment_id: id}) RETURN id;

// name: person_facts
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
RETURN p.person_id, p.date_of_birth, toString(p.date_of_death), p.sex, coalesce(p.confidential, false);

// name: search_persons
// Persons with a name token that begins with a token of the query ($query: the tokens, each
// followed by *, in Lucene syntax), and, when $earliest and $latest (the first and last day of
// a date of birth) are given, a recorded date of birth that can be the same day. The store
// ranks them (familynet.stores.name_search.name_score), not Lucene.
CALL db.index.fulltext.queryNodes('person_names', $query) YIELD node AS p
WITH p
WHERE $earliest IS NULL OR (p.dob_earliest <= $latest AND p.dob_latest >= $earliest)
RETURN p.person_id, p.given_name, p.family_name, p.date_of_birth, toString(p.expected_date_of_birth),
       p.sex, toString(p.date_of_death), p.nhs_number, p.recorded_by, coalesce(p.confidential, false), p.name_key;

// name: cohort_subjects
// The next $limit subjects after $after (in id order) of contacts and referrals received in
// [$start, $end].
MATCH (r:Referral)
WHERE r.child_id > $after AND $start <= r.received_on <= $end
WITH DISTINCT r.child_id AS child
ORDER BY child
LIMIT $limit
RETURN child;

// name: last_load
// The most recent finished load: what a report says it ran on.
MATCH (l:Load) WHERE l.finished_at IS NOT NULL
RETURN l.load_id, l.source, toString(l.finished_at) ORDER BY l.load_id DESC LIMIT 1;

// name: stats
// Counts by label and by relationship type; a concern counts once a referral or assessment raises it.
RETURN {Person: COUNT { (:Person) }, Household: COUNT { (:Household) }, Agency: COUNT { (:Agency) },
        Referral: COUNT { (:Referral) }, Assessment: COUNT { (:Assessment) }, Check: COUNT { (:Check) },
        Plan: COUNT { (:Plan) },
        Concern: COUNT { (c:Concern) WHERE EXISTS { (c)<-[:RAISES]-() } }} AS labels,
       {PARENT_OF: COUNT { ()-[:PARENT_OF]->() }, PARTNER_OF: COUNT { ()-[:PARTNER_OF]->() },
        SIBLING_OF: COUNT { ()-[:SIBLING_OF]->() }, MEMBER_OF: COUNT { ()-[:MEMBER_OF]->() },
        ABOUT: COUNT { ()-[:ABOUT]->() }, MENTIONS: COUNT { ()-[:MENTIONS]->() }, FROM: COUNT { ()-[:FROM]->() },
        RAISES: COUNT { ()-[:RAISES]->() }, OF: COUNT { ()-[:OF]->() },
        FOLLOWS: COUNT { ()-[:FOLLOWS]->() }, FOR: COUNT { ()-[:FOR]->() }, TO: COUNT { ()-[:TO]->() },
        CONSIDERED: COUNT { ()-[:CONSIDERED]->() }} AS relationships;

// name: schema_version
OPTIONAL MATCH (s:FamilynetSchema {name: 'familynet'}) RETURN coalesce(s.version, 0);

// name: set_schema_version
MERGE (s:FamilynetSchema {name: 'familynet'}) SET s.version = $version;

// The facts of each bundle file, every field in the order of its record class
// (familynet.model.records) and dates as ISO 8601 text, for `familynet copy`.

// name: all_agencies
MATCH (n:Agency) RETURN n.agency_id, n.name, n.kind ORDER BY n.agency_id;

// name: all_persons
MATCH (n:Person)
RETURN n.person_id, n.given_name, n.family_name, n.date_of_birth, toString(n.expected_date_of_birth), n.sex,
       toString(n.date_of_death), n.nhs_number, n.recorded_by, coalesce(n.confidential, false)
ORDER BY n.person_id;

// name: all_households
MATCH (n:Household) RETURN n.household_id, n.address, n.postcode, n.uprn ORDER BY n.household_id;

// name: all_household_members
MATCH (p:Person)-[m:MEMBER_OF]->(h:Household)
RETURN h.household_id, p.person_id, m.role, toString(m.start_date), toString(m.end_date), m.recorded_by
ORDER BY h.household_id, p.person_id, m.recorded_by, m.start_key;

// name: all_relationships
MATCH (a:Person)-[r:PARENT_OF|PARTNER_OF|SIBLING_OF]->(b:Person)
RETURN a.person_id, b.person_id, toLower(type(r)), r.subtype, r.parental_responsibility, toString(r.start_date),
       toString(r.end_date), r.recorded_by, r.twin
ORDER BY a.person_id, b.person_id, toLower(type(r)), r.recorded_by, r.start_key;

// name: all_referrals
MATCH (n:Referral)
RETURN n.referral_id, n.kind, n.child_id, toString(n.received_on), n.referrer_agency_id, n.concerns, n.outcome,
       n.consent, n.rag, n.group_id, toString(n.received_at), toString(n.decided_at),
       toString(n.feedback_sent_on), n.threshold_stated, n.supplied
ORDER BY n.referral_id;

// name: all_referral_mentions
MATCH (r:Referral)-[m:MENTIONS]->(p:Person)
RETURN r.referral_id, p.person_id, m.role ORDER BY r.referral_id, p.person_id, m.role;

// name: all_assessments
MATCH (n:Assessment)
RETURN n.assessment_id, n.child_id, n.referral_id, n.kind, toString(n.started_on), toString(n.completed_on),
       n.factors, n.outcome
ORDER BY n.assessment_id;

// name: all_checks
MATCH (n:Check)
RETURN n.check_id, n.referral_id, n.agency_id, toString(n.requested_at), toString(n.responded_at), n.response,
       n.recorded_by
ORDER BY n.check_id;

// name: all_plans
MATCH (n:Plan)
RETURN n.plan_id, n.child_id, n.kind, toString(n.start_date), toString(n.end_date), n.recorded_by
ORDER BY n.plan_id;

// name: all_considerations
MATCH (r:Referral)-[c:CONSIDERED]->(p:Person)
RETURN r.referral_id, p.person_id, toString(c.considered_on), c.outcome, c.recorded_by
ORDER BY r.referral_id, p.person_id;

// name: fact_counts
// How many facts of each bundle file the store holds, from Neo4j's counts (no scan).
CALL () { MATCH (n:Agency) RETURN count(n) AS agencies }
CALL () { MATCH (n:Person) RETURN count(n) AS persons }
CALL () { MATCH (n:Household) RETURN count(n) AS households }
CALL () { MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS household_members }
CALL () { MATCH ()-[r:PARENT_OF]->() RETURN count(r) AS parents }
CALL () { MATCH ()-[r:PARTNER_OF]->() RETURN count(r) AS partners }
CALL () { MATCH ()-[r:SIBLING_OF]->() RETURN count(r) AS siblings }
CALL () { MATCH (n:Referral) RETURN count(n) AS referrals }
CALL () { MATCH ()-[r:MENTIONS]->() RETURN count(r) AS referral_mentions }
CALL () { MATCH (n:Assessment) RETURN count(n) AS assessments }
CALL () { MATCH (n:Check) RETURN count(n) AS checks }
CALL () { MATCH (n:Plan) RETURN count(n) AS plans }
CALL () { MATCH ()-[r:CONSIDERED]->() RETURN count(r) AS considerations }
RETURN {agencies: agencies, persons: persons, households: households, household_members: household_members,
        relationships: parents + partners + siblings, referrals: referrals, referral_mentions: referral_mentions,
        assessments: assessments, checks: checks, plans: plans, considerations: considerations};
