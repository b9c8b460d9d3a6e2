// Family subgraph extraction: the rows of queries/sqlite/network.sql, column for column
// (dates as ISO 8601 text), so that familynet.stores.extraction builds the same graphs from
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
       r.parental_responsibility, toString(r.start_date), toString(r.end_date), r.recorded_by, r.load_id, r.twin;

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
       r.outcome, r.consent, r.rag, r.group_id, toString(r.received_at), toString(r.decided_at),
       toString(r.feedback_sent_on), r.threshold_stated, r.supplied, r.load_id;

// name: referrals_by_id
UNWIND $ids AS id
MATCH (r:Referral {referral_id: id})
RETURN r.referral_id, r.kind, r.child_id, toString(r.received_on), r.referrer_agency_id, r.concerns,
       r.outcome, r.consent, r.rag, r.group_id, toString(r.received_at), toString(r.decided_at),
       toString(r.feedback_sent_on), r.threshold_stated, r.supplied, r.load_id;

// name: mentions_in
UNWIND $ids AS id
MATCH (:Referral {referral_id: id})-[m:MENTIONS]->(p:Person)
RETURN id, p.person_id, m.role, m.load_id;

// name: allegations_against
// The mentions naming a person alleged perpetrator, in any contact or referral.
UNWIND $ids AS id
MATCH (r:Referral)-[m:MENTIONS {role: 'alleged_perpetrator'}]->(:Person {person_id: id})
RETURN r.referral_id, id, m.role, m.load_id;

// name: persons_mentioned_in
UNWIND $ids AS id
MATCH (:Referral {referral_id: id})-[:MENTIONS]->(p:Person)
RETURN DISTINCT p.person_id;

// name: assessments_of
UNWIND $ids AS id
MATCH (:Person {person_id: id})<-[:OF]-(a:Assessment)
RETURN a.assessment_id, a.child_id, a.referral_id, a.kind, toString(a.started_on), toString(a.completed_on),
       a.factors, a.outcome, a.load_id;

// name: considerations_of
UNWIND $ids AS id
MATCH (r:Referral)-[c:CONSIDERED]->(:Person {person_id: id})
RETURN r.referral_id, id, toString(c.considered_on), c.outcome, c.recorded_by, c.load_id;

// name: considerations_in
UNWIND $ids AS id
MATCH (:Referral {referral_id: id})-[c:CONSIDERED]->(p:Person)
RETURN id, p.person_id, toString(c.considered_on), c.outcome, c.recorded_by, c.load_id;

// name: checks_for
UNWIND $ids AS id
MATCH (k:Check)-[:FOR]->(:Referral {referral_id: id})
RETURN k.check_id, k.referral_id, k.agency_id, toString(k.requested_at), toString(k.responded_at), k.response,
       k.recorded_by, k.load_id;

// name: plans_of
UNWIND $ids AS id
MATCH (n:Plan)-[:OF]->(:Person {person_id: id})
RETURN n.plan_id, n.child_id, n.kind, toString(n.start_date), toString(n.end_date), n.recorded_by, n.load_id;

// name: family_networks
// The family networks within three hops of the persons $ids, in one statement: the rows the
// statements above return for every id the extraction (familynet.stores.extraction) asks
// about, so that it runs against them locally (familynet.stores.neo4j.extraction) and builds the
// same graph without a round trip per hop. Persons within three hops, through households
// too, are found by one pruning variable-length expansion; then the referrals about them,
// the mentions in those, their assessments and the referrals those follow, their
// considerations and the referrals those are on; the considerations on all those referrals;
// the persons mentioned, considered or referred from outside; and for all of these their
// relationships (every one touching them, as relationships_touching), memberships,
// households, plans and agencies, and the checks of the referrals. Apart from all those, the
// allegations against the persons within the hops (allegations_against) and the referrals they
// are in, whose subjects join the persons with their record alone.
// `found` lists the ids that are persons.
UNWIND $ids AS id
MATCH (seed:Person {person_id: id})
CALL (seed) {
  MATCH (seed)-[:PARENT_OF|PARTNER_OF|SIBLING_OF|MEMBER_OF*0..3]-(near:Person)
  RETURN DISTINCT near
}
WITH collect(DISTINCT seed.person_id) AS found, collect(DISTINCT near) AS near
WITH found, near,
     COLLECT { UNWIND near AS p MATCH (p)<-[:ABOUT]-(r:Referral) RETURN DISTINCT r } AS referrals,
     COLLECT { UNWIND near AS p MATCH (p)<-[:OF]-(a:Assessment) RETURN DISTINCT a } AS assessments,
     COLLECT { UNWIND near AS p MATCH (:Referral)-[c:CONSIDERED]->(p) RETURN c } AS considered
WITH found, near, referrals, assessments, considered,
     COLLECT { UNWIND near AS p MATCH (r:Referral)-[m:MENTIONS {role: 'alleged_perpetrator'}]->(p)
               RETURN [r.referral_id, p.person_id, m.role, m.load_id] } AS allegations,
     COLLECT { UNWIND near AS p MATCH (r:Referral)-[:MENTIONS {role: 'alleged_perpetrator'}]->(p)
               RETURN DISTINCT r } AS alleging
WITH found, near, referrals, assessments, considered, allegations, alleging,
     COLLECT { UNWIND alleging AS r MATCH (r)-[:ABOUT]->(p:Person) RETURN DISTINCT p } AS alleged_about,
     COLLECT { UNWIND assessments AS a MATCH (r:Referral {referral_id: a.referral_id}) RETURN DISTINCT r }
     + COLLECT { UNWIND considered AS c RETURN DISTINCT startNode(c) AS r } AS followed,
     COLLECT { UNWIND referrals AS r MATCH (r)-[m:MENTIONS]->(p:Person)
               RETURN [r.referral_id, p.person_id, m.role, m.load_id] } AS mentions,
     COLLECT { UNWIND referrals AS r MATCH (r)-[:MENTIONS]->(p:Person) RETURN DISTINCT p } AS mentioned
WITH found, near, referrals + followed AS referrals, assessments, mentions, mentioned, considered, allegations, alleging, alleged_about,
     COLLECT { UNWIND followed AS r MATCH (r)-[:ABOUT]->(p:Person) RETURN DISTINCT p } AS referred
WITH found, near, referrals, assessments, mentions, mentioned, referred, allegations, alleging, alleged_about,
     considered + COLLECT { UNWIND referrals AS r MATCH (r)-[c:CONSIDERED]->(:Person) RETURN c } AS considerations,
     COLLECT { UNWIND referrals AS r MATCH (k:Check)-[:FOR]->(r) RETURN DISTINCT k } AS checks
WITH found, referrals, assessments, mentions, considerations, checks, allegations, alleging, alleged_about,
     COLLECT { UNWIND near + mentioned + referred + [c IN considerations | endNode(c)] AS p RETURN DISTINCT p } AS persons
WITH found, referrals, assessments, mentions, considerations, checks, persons, allegations, alleging, alleged_about,
     COLLECT { UNWIND persons AS p MATCH (p)-[r:PARENT_OF|PARTNER_OF|SIBLING_OF]-(:Person) RETURN DISTINCT r } AS relationships,
     COLLECT { UNWIND persons AS p MATCH (p)-[m:MEMBER_OF]->(:Household) RETURN m } AS memberships,
     COLLECT { UNWIND persons AS p MATCH (n:Plan)-[:OF]->(p) RETURN n } AS plans
WITH found, assessments, mentions, considerations, checks, relationships, memberships, plans, allegations,
     COLLECT { UNWIND persons + alleged_about AS p RETURN DISTINCT p } AS persons,
     COLLECT { UNWIND referrals + alleging AS r RETURN DISTINCT r } AS referrals
WITH found, referrals, assessments, mentions, considerations, checks, persons, relationships, memberships, plans,
     allegations,
     COLLECT { UNWIND memberships AS m RETURN DISTINCT endNode(m) AS h } AS households,
     COLLECT { UNWIND [p IN persons | p.recorded_by] + [r IN referrals | r.referrer_agency_id]
                      + [r IN relationships | r.recorded_by] + [m IN memberships | m.recorded_by]
                      + [k IN checks | k.agency_id] + [k IN checks | k.recorded_by] + [n IN plans | n.recorded_by]
                      + [c IN considerations | c.recorded_by] AS agency
               WITH DISTINCT agency MATCH (a:Agency {agency_id: agency}) RETURN [a.agency_id, a.name, a.kind] } AS agencies
RETURN found,
       [p IN persons | [p.person_id, p.given_name, p.family_name, p.date_of_birth, toString(p.expected_date_of_birth),
                        p.sex, toString(p.date_of_death), p.nhs_number, p.recorded_by,
                        coalesce(p.confidential, false)]] AS persons,
       [h IN households | [h.household_id, h.address, h.postcode, h.uprn]] AS households,
       agencies,
       [r IN relationships | [elementId(r), startNode(r).person_id, endNode(r).person_id, toLower(type(r)), r.subtype,
                              r.parental_responsibility, toString(r.start_date), toString(r.end_date), r.recorded_by,
                              r.load_id, r.twin]] AS relationships,
       [m IN memberships | [elementId(m), endNode(m).household_id, startNode(m).person_id, m.role,
                            toString(m.start_date), toString(m.end_date), m.recorded_by, m.load_id]] AS memberships,
       [r IN referrals | [r.referral_id, r.kind, r.child_id, toString(r.received_on), r.referrer_agency_id, r.concerns,
                          r.outcome, r.consent, r.rag, r.group_id, toString(r.received_at), toString(r.decided_at),
                          toString(r.feedback_sent_on), r.threshold_stated, r.supplied, r.load_id]] AS referrals,
       mentions,
       allegations,
       [a IN assessments | [a.assessment_id, a.child_id, a.referral_id, a.kind, toString(a.started_on),
                            toString(a.completed_on), a.factors, a.outcome, a.load_id]] AS assessments,
       [c IN considerations | [startNode(c).referral_id, endNode(c).person_id, toString(c.considered_on), c.outcome,
                               c.recorded_by, c.load_id]] AS considerations,
       [k IN checks | [k.check_id, k.referral_id, k.agency_id, toString(k.requested_at), toString(k.responded_at),
                       k.response, k.recorded_by, k.load_id]] AS checks,
       [n IN plans | [n.plan_id, n.child_id, n.kind, toString(n.start_date), toString(n.end_date), n.recorded_by,
                      n.load_id]] AS plans;
