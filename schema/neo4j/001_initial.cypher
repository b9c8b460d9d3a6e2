// The family graph in Neo4j (Community Edition): a uniqueness constraint for every id and
// an index for each look-up the store makes. familynet.stores.neo4j.schema runs the statements
// of each migration above the version held by the (:FamilynetSchema) node, one at a time
// (schema changes cannot share a transaction), and waits for the indexes to come online.
// Every statement is idempotent, so a migration cut short runs again safely.
//
// Nodes carry the fields of their record (familynet.model.records) under the same names, and
// provenance: first_load_id (the load that created it) and load_id (the load that last
// changed it). Full dates are DATE values; a date of birth may be partial, so it is text
// (YYYY, YYYY-MM or YYYY-MM-DD) with dob_earliest and dob_latest, the first and last day
// it can mean. name_key is the given and family names folded for search
// (familynet.stores.name_search.name_key). Facts without ids (MEMBER_OF, PARENT_OF, PARTNER_OF,
// SIBLING_OF, MENTIONS) are relationships keyed by their ends, recorded_by and start_key
// (the start date as text, '' when unknown).

CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.agency_id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE CONSTRAINT household_id IF NOT EXISTS FOR (n:Household) REQUIRE n.household_id IS UNIQUE;
CREATE CONSTRAINT referral_id IF NOT EXISTS FOR (n:Referral) REQUIRE n.referral_id IS UNIQUE;
CREATE CONSTRAINT assessment_id IF NOT EXISTS FOR (n:Assessment) REQUIRE n.assessment_id IS UNIQUE;
CREATE CONSTRAINT concern_code IF NOT EXISTS FOR (n:Concern) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT load_id IF NOT EXISTS FOR (n:Load) REQUIRE n.load_id IS UNIQUE;
CREATE CONSTRAINT load_counter IF NOT EXISTS FOR (n:LoadCounter) REQUIRE n.name IS UNIQUE;

// Search by date of birth: every recorded date that can be the same day.
CREATE INDEX person_dob_earliest IF NOT EXISTS FOR (n:Person) ON (n.dob_earliest);
CREATE INDEX person_dob_latest IF NOT EXISTS FOR (n:Person) ON (n.dob_latest);

// Search by name: any token of the folded names, by prefix. The keys are already folded,
// so the analyzer only splits on spaces.
CREATE FULLTEXT INDEX person_names IF NOT EXISTS FOR (n:Person) ON EACH [n.name_key]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}};

// A cohort: referrals received in a period, and their subjects in id order.
CREATE INDEX referral_received_on IF NOT EXISTS FOR (n:Referral) ON (n.received_on);
CREATE INDEX referral_child IF NOT EXISTS FOR (n:Referral) ON (n.child_id, n.received_on);
