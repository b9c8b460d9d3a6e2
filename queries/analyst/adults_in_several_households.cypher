// Adults linked to children in two or more households, for analysts in Neo4j Browser or Bloom:
// familynet.analyses.linked_adults over the whole database, the significant adults who move
// between families (docs/rules.md, "Beyond the audits"). For every child on $on, the adults
// linked to them are their parents (any subtype) and their significant adults: partners (active,
// not separated or divorced) of a parent, active members by any agency of the child's recorded
// households, and persons mentioned in a contact or referral about the child or a sibling
// received on or before $on; each must be an adult on $on (alive, born, not a child). An adult
// is reported when the recorded households of the children linked to them number
// $min_households or more. Children, siblings and recorded households are as the rules define
// them (see siblings_not_assessed.cypher). Ranked by households, then children (most first),
// then person_id. tests/test_analyst_queries.py checks it against the rules.
//
// Parameters (defaults of the rules):
//   $on                   the day, a date                      (the rules default to today)
//   $min_households       2
//   $adult_age            18: age at which a person stops being a child
//   $infant_age           1:  under it, a child without a household of their own lives with their mother
//   $record_agency_kind   'social_care': the agency kind whose memberships are the record
//
// :param on => date('2025-06-30')
// :param min_households => 2
// :param adult_age => 18
// :param infant_age => 1
// :param record_agency_kind => 'social_care'

// A cheap first cut (no child is born before this); the rules decide below.
MATCH (c:Person)
WHERE c.dob_latest IS NULL OR c.dob_latest > $on - duration({years: $adult_age + 1})
WITH c, $on AS d
// Everyone who might be a sibling (dates and kinds are judged below): related by SIBLING_OF,
// through a parent, a parent's partner, or a household of either or of their mothers.
CALL (c) {
  RETURN c AS s
  UNION
  MATCH (c)-[:SIBLING_OF]-(s:Person) RETURN s
  UNION
  MATCH (c)<-[:PARENT_OF]-(:Person)-[:PARENT_OF]->(s:Person) RETURN s
  UNION
  MATCH (c)<-[:PARENT_OF]-(:Person)-[:PARTNER_OF]-(:Person)-[:PARENT_OF]->(s:Person) RETURN s
  UNION
  MATCH (c)<-[:PARENT_OF*0..1]-(:Person)-[:MEMBER_OF]->(:Household)<-[:MEMBER_OF]-(:Person)-[:PARENT_OF*0..1]->(s:Person)
  RETURN s
}
WITH c, d, collect(DISTINCT s) AS candidates
// What the rules read of each person on the day: child, recorded households, parents.
CALL (c, d, candidates) {
  UNWIND [c] + candidates AS p
  WITH DISTINCT p
  WITH p, p.date_of_death IS NULL OR p.date_of_death > d AS alive,
       CASE WHEN p.date_of_birth IS NOT NULL THEN p.dob_latest > d
            ELSE coalesce(p.expected_date_of_birth > d, false) END AS unborn,
       CASE WHEN p.date_of_birth IS NOT NULL THEN p.dob_latest
            WHEN p.expected_date_of_birth <= d THEN p.expected_date_of_birth END AS born
  // Birthdays: Neo4j moves 29 February to 28 February in other years; the rules, to 1 March.
  WITH p, alive, unborn, born,
       CASE WHEN born.month = 2 AND born.day = 29 AND (born + duration({years: $adult_age})).day = 28
            THEN born + duration({years: $adult_age, days: 1}) ELSE born + duration({years: $adult_age}) END AS adult_on,
       CASE WHEN born.month = 2 AND born.day = 29 AND (born + duration({years: $infant_age})).day = 28
            THEN born + duration({years: $infant_age, days: 1}) ELSE born + duration({years: $infant_age}) END AS toddler_on
  WITH p, unborn,
       alive AND NOT unborn AND CASE WHEN born IS NULL
         THEN EXISTS { MATCH (p)-[m:MEMBER_OF {role: 'child'}]->(:Household)
                       WHERE (m.start_date IS NULL OR m.start_date <= d) AND (m.end_date IS NULL OR m.end_date >= d) }
         ELSE born <= d AND d < adult_on END AS child,
       alive AND NOT unborn AND born IS NOT NULL AND born <= d AND d < toddler_on AS infant,
       COLLECT { MATCH (p)-[m:MEMBER_OF]->(h:Household)
                 WHERE (m.start_date IS NULL OR m.start_date <= d) AND (m.end_date IS NULL OR m.end_date >= d)
                   AND EXISTS { MATCH (:Agency {agency_id: m.recorded_by, kind: $record_agency_kind}) }
                 RETURN DISTINCT h.household_id } AS own
  WITH p, child, CASE WHEN size(own) > 0 OR NOT (unborn OR infant) THEN own ELSE COLLECT {
         MATCH (mother:Person {sex: 'female'})-[f:PARENT_OF {subtype: 'birth'}]->(p)
         WHERE (f.start_date IS NULL OR f.start_date <= d) AND (f.end_date IS NULL OR f.end_date >= d)
         MATCH (mother)-[m:MEMBER_OF]->(h:Household)
         WHERE (m.start_date IS NULL OR m.start_date <= d) AND (m.end_date IS NULL OR m.end_date >= d)
           AND EXISTS { MATCH (:Agency {agency_id: m.recorded_by, kind: $record_agency_kind}) }
         RETURN DISTINCT h.household_id } END AS homes,
       COLLECT { MATCH (q:Person)-[f:PARENT_OF]->(p)
                 WHERE f.subtype IN ['birth', 'adoptive']
                   AND (f.start_date IS NULL OR f.start_date <= d) AND (f.end_date IS NULL OR f.end_date >= d)
                 RETURN DISTINCT q.person_id } AS parents,
       COLLECT { MATCH (q:Person)-[f:PARENT_OF {subtype: 'step'}]->(p)
                 WHERE (f.start_date IS NULL OR f.start_date <= d) AND (f.end_date IS NULL OR f.end_date >= d)
                 RETURN DISTINCT q.person_id } AS step_parents,
       // Partners who make step-siblings, of this person's birth or adoptive parents.
       COLLECT { MATCH (q:Person)-[f:PARENT_OF]->(p)
                 WHERE f.subtype IN ['birth', 'adoptive']
                   AND (f.start_date IS NULL OR f.start_date <= d) AND (f.end_date IS NULL OR f.end_date >= d)
                 MATCH (q)-[t:PARTNER_OF]-(partner:Person)
                 WHERE t.subtype IN ['married', 'civil_partner', 'cohabiting']
                   AND (t.start_date IS NULL OR t.start_date <= d) AND (t.end_date IS NULL OR t.end_date >= d)
                 RETURN DISTINCT partner.person_id } AS parents_partners,
       COLLECT { MATCH (p)-[t:SIBLING_OF]-(c)
                 WHERE (t.start_date IS NULL OR t.start_date <= d) AND (t.end_date IS NULL OR t.end_date >= d)
                 RETURN coalesce(t.subtype, 'unknown') AS subtype ORDER BY subtype LIMIT 1 } AS recorded
  RETURN collect({id: p.person_id, child: child, homes: homes, parents: parents, step_parents: step_parents,
                  parents_partners: parents_partners, recorded: recorded}) AS people
}
WITH c, d, [x IN people WHERE x.id = c.person_id][0] AS me, [x IN people WHERE x.id <> c.person_id] AS others
WHERE me.child
WITH c, d, me, [s IN others WHERE s.child AND (
       size(s.recorded) > 0 OR any(x IN me.parents WHERE x IN s.parents)
       OR any(x IN me.parents_partners WHERE x IN s.parents) OR any(x IN me.parents WHERE x IN s.step_parents)
       OR any(x IN s.parents WHERE x IN me.step_parents) OR any(x IN s.homes WHERE x IN me.homes)) | s.id] AS siblings
CALL (c, d, me, siblings) {
  MATCH (c)<-[f:PARENT_OF]-(a:Person)
  WHERE (f.start_date IS NULL OR f.start_date <= d) AND (f.end_date IS NULL OR f.end_date >= d)
  RETURN a
  UNION
  MATCH (c)<-[f:PARENT_OF]-(:Person)-[t:PARTNER_OF]-(a:Person)
  WHERE (f.start_date IS NULL OR f.start_date <= d) AND (f.end_date IS NULL OR f.end_date >= d)
    AND (t.start_date IS NULL OR t.start_date <= d) AND (t.end_date IS NULL OR t.end_date >= d)
    AND NOT coalesce(t.subtype IN ['separated', 'divorced'], false)
  RETURN a
  UNION
  MATCH (h:Household) WHERE h.household_id IN me.homes
  MATCH (a:Person)-[m:MEMBER_OF]->(h)
  WHERE (m.start_date IS NULL OR m.start_date <= d) AND (m.end_date IS NULL OR m.end_date >= d)
  RETURN a
  UNION
  MATCH (s:Person) WHERE s.person_id IN [c.person_id] + siblings
  MATCH (s)<-[:ABOUT]-(r:Referral)-[:MENTIONS]->(a:Person)
  WHERE r.received_on <= d
  RETURN a
}
WITH c, d, me, a
WHERE a <> c
// An adult: alive, born, and not a child on the day.
WITH c, me, a, d,
     CASE WHEN a.date_of_birth IS NOT NULL THEN a.dob_latest > d
          ELSE coalesce(a.expected_date_of_birth > d, false) END AS unborn,
     CASE WHEN a.date_of_birth IS NOT NULL THEN a.dob_latest
          WHEN a.expected_date_of_birth <= d THEN a.expected_date_of_birth END AS born
WITH c, me, a, d, unborn, born,
     CASE WHEN born.month = 2 AND born.day = 29 AND (born + duration({years: $adult_age})).day = 28
          THEN born + duration({years: $adult_age, days: 1}) ELSE born + duration({years: $adult_age}) END AS adult_on
WHERE (a.date_of_death IS NULL OR a.date_of_death > d) AND NOT unborn
  AND NOT CASE WHEN born IS NULL
            THEN EXISTS { MATCH (a)-[m:MEMBER_OF {role: 'child'}]->(:Household)
                          WHERE (m.start_date IS NULL OR m.start_date <= d) AND (m.end_date IS NULL OR m.end_date >= d) }
            ELSE born <= d AND d < adult_on END
WITH a.person_id AS person_id, collect(DISTINCT c.person_id) AS linked, collect(me.homes) AS homes
WITH person_id, COLLECT { UNWIND homes AS h UNWIND h AS household RETURN DISTINCT household ORDER BY household } AS households,
     COLLECT { UNWIND linked AS child RETURN child ORDER BY child } AS children
WHERE size(households) >= $min_households
RETURN person_id, households, children
ORDER BY size(households) DESC, size(children) DESC, person_id;
