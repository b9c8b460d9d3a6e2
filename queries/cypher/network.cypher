// Family subgraph extraction: the rows of queries/sqlite/network.sql, column for column
// (dates as ISO 8601 text), so that familynet.sqlite_extraction builds the same graphs from
// either store. Each statement takes the frontier's ids as one list, $ids.

// name: persons_by_id
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
RETURN p.person_id, p.given_name, p.family_name, p.date_of_birth, toString(p.expected_date_of_birth),
       p.sex, toString(p.date_of_death), p.nhs_number, p.recorded_by, coalesce(p.confidential, false);

// name: households_by_id
UNWIND $ids AS id
MATCH (h:Household {household_id: id})
RETURN h.household_id, h.address, h.postcode, h.uprn;

// name: agencies_by_id
UNWIND $ids AS id
MATCH (a:Agency {agency_id: id})
RETURN a.agency_id, a.name, a.kind;

// name: relationships_touching
// Facts with either end in the frontier; the element id identifies a fact met from both ends.
UNWIND $ids AS id
MATCH (:Person {person_id: id})-[r:PARENT_OF|PARTNER_OF|SIBLING_OF]-(:Person)
WITH DISTINCT r
RETURN elementId(r), startNode(r).person_id, endNode(r).person_id, toLower(type(r)), r.subtype,
       r.parental_responsibility, toString(r.start_date), toString(r.end_date), r.recorded_by, r.load_id;

// name: memberships_of_persons
UNWIND $ids AS id
MATCH (p:Person {person_id: id})-[m:MEMBER_OF]->(h:Household)
RETURN elementId(m), h.household_id, p.person_id, m.role, toString(m.start_date), toString(m.end_date),
       m.recorded_by, m.load_id;

// name: memberships_of_households
UNWIND $ids AS id
MATCH (p:Person)-[m:MEMBER_OF]->(h:Household {household_id: id})
RETURN elementId(m), h.household_id, p.person_id, m.role, toString(m.start_date), toString(m.end_date),
       m.recorded_by, m.load_id;

// name: referrals_about
UNWIND $ids AS id
MATCH (:Person {person_id: id})<-[:ABOUT]-(r:Referral)
RETURN r.referral_id, r.kind, r.child_id, toString(r.received_on), r.referrer_agency_id, r.concerns,
       r.outcome, r.consent, r.rag, r.group_id, r.load_id;

// name: referrals_by_id
UNWIND $ids AS id
MATCH (r:Referral {referral_id: id})
RETURN r.referral_id, r.kind, r.child_id, toString(r.received_on), r.referrer_agency_id, r.concerns,
       r.outcome, r.consent, r.rag, r.group_id, r.load_id;

// name: mentions_in
UNWIND $ids AS id
MATCH (:Referral {referral_id: id})-[m:MENTIONS]->(p:Person)
RETURN id, p.person_id, m.role, m.load_id;

// name: assessments_of
UNWIND $ids AS id
MATCH (:Person {person_id: id})<-[:OF]-(a:Assessment)
RETURN a.assessment_id, a.child_id, a.referral_id, a.kind, toString(a.started_on), toString(a.completed_on),
       a.factors, a.outcome, a.load_id;
