// The front door's facts (issue 14). Referral nodes gain received_at and decided_at
// (DATETIME values with their UTC offset), feedback_sent_on (DATE), threshold_stated and
// supplied (the list of the optional facts a load supplied; none on referrals stored before
// this migration, which reads as "not supplied"). (:Check)-[:FOR]->(:Referral) and
// (:Check)-[:TO]->(:Agency) are a MASH's requests for information; (:Plan)-[:OF]->(:Person)
// a child's plans; (:Referral)-[:CONSIDERED]->(:Person) the persons the MASH considered,
// keyed by their ends.

CREATE CONSTRAINT check_id IF NOT EXISTS FOR (n:Check) REQUIRE n.check_id IS UNIQUE;
CREATE CONSTRAINT plan_id IF NOT EXISTS FOR (n:Plan) REQUIRE n.plan_id IS UNIQUE;
