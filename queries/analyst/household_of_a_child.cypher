// The household of a child on a date, for analysts in Neo4j Browser or Bloom: every active
// membership, by any agency, of the child's recorded households, as familynet's rules define
// them (docs/rules.md; familynet.analyses.recorded_households and members). A recorded
// household is one where a social care agency records the child as a member on the day; an
// unborn child, or a child under $infant_age years, with none of their own is in those of
// their female birth parent(s). tests/test_analyst_queries.py checks it against the rules.
// Parameters: $child_id, $on (a date), $infant_age (1), $record_agency_kind ('social_care').
//
// :param child_id => 'P0000003'
// :param on => date('2025-06-30')
// :param infant_age => 1
// :param record_agency_kind => 'social_care'

MATCH (c:Person {person_id: $child_id})
OPTIONAL MATCH (c)-[m:MEMBER_OF]->(h:Household)
WHERE (m.start_date IS NULL OR m.start_date <= $on) AND (m.end_date IS NULL OR m.end_date >= $on)
  AND EXISTS { MATCH (:Agency {agency_id: m.recorded_by, kind: $record_agency_kind}) }
WITH c, collect(DISTINCT h) AS own,
     CASE WHEN c.date_of_birth IS NOT NULL THEN c.dob_latest
          WHEN c.expected_date_of_birth <= $on THEN c.expected_date_of_birth END AS born,
     CASE WHEN c.date_of_birth IS NOT NULL THEN c.dob_latest > $on
          ELSE coalesce(c.expected_date_of_birth > $on, false) END AS unborn
// The day the child turns $infant_age: a 29 February birthday falls on 1 March in other years.
WITH c, own, born, unborn, date({year: born.year + $infant_age, month: 3, day: 1}) AS march
WITH c, own, unborn,
     born IS NOT NULL AND NOT unborn AND born <= $on
     AND (c.date_of_death IS NULL OR c.date_of_death > $on)
     AND $on < CASE WHEN born.month = 2 AND born.day = 29 AND (march - duration({days: 1})).day = 28 THEN march
                    ELSE born + duration({years: $infant_age}) END AS infant
CALL (c, own, unborn, infant) {
  WITH own WHERE size(own) > 0
  UNWIND own AS household
  RETURN household
  UNION
  WITH c, own, unborn, infant WHERE size(own) = 0 AND (unborn OR infant)
  MATCH (mother:Person {sex: 'female'})-[p:PARENT_OF {subtype: 'birth'}]->(c)
  WHERE (p.start_date IS NULL OR p.start_date <= $on) AND (p.end_date IS NULL OR p.end_date >= $on)
  MATCH (mother)-[m:MEMBER_OF]->(household:Household)
  WHERE (m.start_date IS NULL OR m.start_date <= $on) AND (m.end_date IS NULL OR m.end_date >= $on)
    AND EXISTS { MATCH (:Agency {agency_id: m.recorded_by, kind: $record_agency_kind}) }
  RETURN household
}
WITH DISTINCT household
MATCH (member:Person)-[m:MEMBER_OF]->(household)
WHERE (m.start_date IS NULL OR m.start_date <= $on) AND (m.end_date IS NULL OR m.end_date >= $on)
OPTIONAL MATCH (agency:Agency {agency_id: m.recorded_by})
RETURN household.household_id AS household_id, member.person_id AS person_id, m.role AS role,
       m.recorded_by AS agency_id, agency.kind AS agency_kind,
       coalesce(agency.kind = $record_agency_kind, false) AS recorded
ORDER BY household_id, person_id, agency_id, role;
