// Siblings not assessed, for analysts in Neo4j Browser or Bloom: audit 1 of docs/rules.md
// (familynet.analyses.sibling_coverage) reduced to its uncovered siblings. The cohort is the
// in-scope referrals (kind 'referral') received in [$from, $to] whose child has an assessment
// starting within [received, received + $assessment_days days]; a sibling of the child on the
// received date is not assessed when no assessment of theirs starts within
// [received - $lookback_days days, received + $assessment_days days]. Siblings are as the rules
// define them, first match wins: an active SIBLING_OF (basis 'recorded', relation its subtype,
// 'unknown' without one, the alphabetically first of several); two or more shared birth or
// adoptive parents ('full'); exactly one ('half' when each has another, else 'unknown'); a
// parent's married, civil_partner or cohabiting partner, or a step parent, who is a birth or
// adoptive parent of the other ('step'); or another child of one of the child's recorded
// households ('household'). One row per (referral, sibling), by received_on, referral_id,
// sibling_id. tests/test_analyst_queries.py checks it against the rules.
//
// Parameters (defaults of the rules):
//   $from, $to            the period, dates                  (audit 1 has no default period)
//   $assessment_days      60
//   $lookback_days        30
//   $adult_age            18: age at which a person stops being a child
//   $infant_age           1:  under it, a child without a household of their own lives with their mother
//   $record_agency_kind   'social_care': the agency kind whose memberships are the record
//
// :param from => date('2024-07-01')
// :param to => date('2025-06-30')
// :param assessment_days => 60
// :param lookback_days => 30
// :param adult_age => 18
// :param infant_age => 1
// :param record_agency_kind => 'social_care'

MATCH (r:Referral {kind: 'referral'})-[:ABOUT]->(c:Person)
WHERE $from <= r.received_on <= $to
  AND EXISTS {
    MATCH (c)<-[:OF]-(a:Assessment)
    WHERE r.received_on <= a.started_on <= r.received_on + duration({days: $assessment_days})
  }
WITH r, c, r.received_on AS d
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
WITH r, c, d, collect(DISTINCT s) AS candidates
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
WITH r, c, d, [x IN people WHERE x.id = c.person_id][0] AS me, [x IN people WHERE x.id <> c.person_id] AS others
// In scope: the child is alive and a child or unborn on the received date.
WHERE (c.date_of_death IS NULL OR c.date_of_death > d)
  AND (me.child OR CASE WHEN c.date_of_birth IS NOT NULL THEN c.dob_latest > d
                        ELSE coalesce(c.expected_date_of_birth > d, false) END)
UNWIND others AS s
WITH r, d, me, s,
     [x IN me.parents WHERE x IN s.parents] AS shared,
     any(x IN s.homes WHERE x IN me.homes) AS together
WHERE s.child
WITH r, d, me, s, together,
     CASE WHEN size(s.recorded) > 0 THEN ['recorded', s.recorded[0]]
          WHEN size(shared) >= 2 THEN ['derived', 'full']
          WHEN size(shared) = 1 AND size(me.parents) > 1 AND size(s.parents) > 1 THEN ['derived', 'half']
          WHEN size(shared) = 1 THEN ['derived', 'unknown']
          WHEN any(x IN me.parents_partners WHERE x IN s.parents)
            OR any(x IN me.parents WHERE x IN s.step_parents)
            OR any(x IN s.parents WHERE x IN me.step_parents) THEN ['derived', 'step']
          WHEN together THEN ['derived', 'household'] END AS relation
WHERE relation IS NOT NULL
  AND NOT EXISTS {
    MATCH (:Person {person_id: s.id})<-[:OF]-(a:Assessment)
    WHERE d - duration({days: $lookback_days}) <= a.started_on <= d + duration({days: $assessment_days})
  }
OPTIONAL MATCH (r)-[:FROM]->(referrer:Agency)
RETURN r.referral_id AS referral_id, r.child_id AS child_id, d AS received_on,
       referrer.kind AS referring_agency_kind, s.id AS sibling_id, relation[0] AS basis,
       relation[1] AS relation, together AS co_resident
ORDER BY received_on, referral_id, sibling_id;
