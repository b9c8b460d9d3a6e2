// Identity resolution (docs/identity.md). (:Person) nodes are records and are never changed
// by it. (:IdentityLink) two records of one person, from the model or a user's decision;
// (:IdentityCandidate) the review queue; (:IdentityDecision) users' decisions, appended;
// (:IdentityMember) each record's identity; (:IdentityAlias) identity ids that stopped naming
// one. Pairs are keyed by `pair`, "left|right" with left < right.

CREATE CONSTRAINT identity_link_pair IF NOT EXISTS FOR (n:IdentityLink) REQUIRE n.pair IS UNIQUE;
CREATE CONSTRAINT identity_candidate_pair IF NOT EXISTS FOR (n:IdentityCandidate) REQUIRE n.pair IS UNIQUE;
CREATE CONSTRAINT identity_decision_sequence IF NOT EXISTS FOR (n:IdentityDecision) REQUIRE n.sequence IS UNIQUE;
CREATE CONSTRAINT identity_member_person IF NOT EXISTS FOR (n:IdentityMember) REQUIRE n.person_id IS UNIQUE;
CREATE INDEX identity_member_identity IF NOT EXISTS FOR (n:IdentityMember) ON (n.identity_id);
