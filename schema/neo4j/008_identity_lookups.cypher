// The identity facts about a few records (Store.identity_state_of, docs/identity.md): the
// candidates and decisions naming them on either side, for the identity view of every family
// network and cohort batch.

CREATE INDEX identity_candidate_left IF NOT EXISTS FOR (n:IdentityCandidate) ON (n.left_id);
CREATE INDEX identity_candidate_right IF NOT EXISTS FOR (n:IdentityCandidate) ON (n.right_id);
CREATE INDEX identity_decision_left IF NOT EXISTS FOR (n:IdentityDecision) ON (n.left_id);
CREATE INDEX identity_decision_right IF NOT EXISTS FOR (n:IdentityDecision) ON (n.right_id);
