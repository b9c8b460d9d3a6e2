-- The identity facts about a few records (Store.identity_state_of, docs/identity.md): the
-- candidates and decisions naming them on either side, for the identity view of every family
-- network and cohort batch. The primary keys find them by left_id; these by right_id and, for
-- decisions, by either.
CREATE INDEX identity_candidates_right ON identity_candidates (right_id);
CREATE INDEX identity_decisions_left ON identity_decisions (left_id);
CREATE INDEX identity_decisions_right ON identity_decisions (right_id);
