// Look-ups. A parameter holding many ids is one list, $ids.

// name: known_agencies
UNWIND $ids AS id MATCH (n:Agency {agency_id: id}) RETURN id;

// name: known_persons
UNWIND $ids AS id MATCH (n:Person {person_id: id}) RETURN id;

// name: known_households
UNWIND $ids AS id MATCH (n:Household {household_id: id}) RETURN id;

// name: known_referrals
UNWIND $ids AS id MATCH (n:Referral {referral_id: id}) RETURN id;

// name: referrers
// The referring agency of each referral among $ids, which its mentions are recorded by.
UNWIND $ids AS id MATCH (n:Referral {referral_id: id}) RETURN id, n.referrer_agency_id;

// name: person_facts
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
RETURN p.person_id, p.date_of_birth, toString(p.date_of_death), p.sex;

// name: search_persons
// Persons with a name token that begins with a token of the query ($query: the tokens, each
// followed by *, in Lucene syntax), and, when $earliest and $latest (the first and last day of
// a date of birth) are given, a recorded date of birth that can be the same day. The store
// ranks them (familynet.name_search.name_score), not Lucene.
CALL db.index.fulltext.queryNodes('person_names', $query) YIELD node AS p
WITH p
WHERE $earliest IS NULL OR (p.dob_earliest <= $latest AND p.dob_latest >= $earliest)
RETURN p.person_id, p.given_name, p.family_name, p.date_of_birth, toString(p.expected_date_of_birth),
       p.sex, toString(p.date_of_death), p.nhs_number, p.recorded_by, p.name_key;

// name: cohort_subjects
// The next $limit subjects after $after (in id order) of contacts and referrals received in
// [$start, $end].
MATCH (r:Referral)
WHERE r.child_id > $after AND $start <= r.received_on <= $end
WITH DISTINCT r.child_id AS child
ORDER BY child
LIMIT $limit
RETURN child;

// name: stats
// Counts by label and by relationship type; a concern counts once a referral or assessment raises it.
RETURN {Person: COUNT { (:Person) }, Household: COUNT { (:Household) }, Agency: COUNT { (:Agency) },
        Referral: COUNT { (:Referral) }, Assessment: COUNT { (:Assessment) },
        Concern: COUNT { (c:Concern) WHERE EXISTS { (c)<-[:RAISES]-() } }} AS labels,
       {PARENT_OF: COUNT { ()-[:PARENT_OF]->() }, PARTNER_OF: COUNT { ()-[:PARTNER_OF]->() },
        SIBLING_OF: COUNT { ()-[:SIBLING_OF]->() }, MEMBER_OF: COUNT { ()-[:MEMBER_OF]->() },
        ABOUT: COUNT { ()-[:ABOUT]->() }, MENTIONS: COUNT { ()-[:MENTIONS]->() }, FROM: COUNT { ()-[:FROM]->() },
        RAISES: COUNT { ()-[:RAISES]->() }, OF: COUNT { ()-[:OF]->() },
        FOLLOWS: COUNT { ()-[:FOLLOWS]->() }} AS relationships;

// name: schema_version
OPTIONAL MATCH (s:FamilynetSchema {name: 'familynet'}) RETURN coalesce(s.version, 0);

// name: set_schema_version
MERGE (s:FamilynetSchema {name: 'familynet'}) SET s.version = $version;
