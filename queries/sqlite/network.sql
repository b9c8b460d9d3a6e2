-- Family subgraph extraction: a fixed number of statements per hop, each taking
-- the frontier's ids as one JSON array (?1).

-- name: persons_by_id
SELECT person_id, given_name, family_name, date_of_birth, expected_date_of_birth,
       sex, date_of_death, nhs_number, recorded_by, confidential
FROM persons WHERE person_id IN (SELECT value FROM json_each(?1));

-- name: households_by_id
SELECT household_id, address, postcode, uprn
FROM households WHERE household_id IN (SELECT value FROM json_each(?1));

-- name: agencies_by_id
SELECT agency_id, name, kind
FROM agencies WHERE agency_id IN (SELECT value FROM json_each(?1));

-- name: relationships_touching
-- Facts with either end in the frontier; the rowid identifies a fact met from both ends.
SELECT rowid, person_id, related_person_id, type, subtype, parental_responsibility,
       start_date, end_date, recorded_by, load_id, twin
FROM relationships WHERE person_id IN (SELECT value FROM json_each(?1))
UNION
SELECT rowid, person_id, related_person_id, type, subtype, parental_responsibility,
       start_date, end_date, recorded_by, load_id, twin
FROM relationships WHERE related_person_id IN (SELECT value FROM json_each(?1));

-- name: memberships_of_persons
SELECT rowid, household_id, person_id, role, start_date, end_date, recorded_by, load_id
FROM household_members WHERE person_id IN (SELECT value FROM json_each(?1));

-- name: memberships_of_households
SELECT rowid, household_id, person_id, role, start_date, end_date, recorded_by, load_id
FROM household_members WHERE household_id IN (SELECT value FROM json_each(?1));

-- name: referrals_about
SELECT referral_id, kind, child_id, received_on, recorded_by, concerns, outcome, consent, rag,
       group_id, received_at, decided_at, feedback_sent_on, threshold_stated, supplied, load_id
FROM referrals WHERE child_id IN (SELECT value FROM json_each(?1));

-- name: referrals_by_id
SELECT referral_id, kind, child_id, received_on, recorded_by, concerns, outcome, consent, rag,
       group_id, received_at, decided_at, feedback_sent_on, threshold_stated, supplied, load_id
FROM referrals WHERE referral_id IN (SELECT value FROM json_each(?1));

-- name: mentions_in
SELECT referral_id, person_id, role, load_id
FROM referral_mentions WHERE referral_id IN (SELECT value FROM json_each(?1));

-- name: allegations_against
-- The mentions naming a person alleged perpetrator, in any contact or referral (index 013).
SELECT referral_id, person_id, role, load_id
FROM referral_mentions
WHERE person_id IN (SELECT value FROM json_each(?1)) AND role = 'alleged_perpetrator';

-- name: persons_mentioned_in
SELECT DISTINCT person_id
FROM referral_mentions WHERE referral_id IN (SELECT value FROM json_each(?1));

-- name: assessments_of
SELECT assessment_id, child_id, referral_id, kind, started_on, completed_on, factors, outcome,
       load_id
FROM assessments WHERE child_id IN (SELECT value FROM json_each(?1));

-- name: considerations_of
SELECT referral_id, person_id, considered_on, outcome, recorded_by, load_id
FROM considerations WHERE person_id IN (SELECT value FROM json_each(?1));

-- name: considerations_in
SELECT referral_id, person_id, considered_on, outcome, recorded_by, load_id
FROM considerations WHERE referral_id IN (SELECT value FROM json_each(?1));

-- name: checks_for
SELECT check_id, referral_id, agency_id, requested_at, responded_at, response, recorded_by, load_id
FROM checks WHERE referral_id IN (SELECT value FROM json_each(?1));

-- name: plans_of
SELECT plan_id, child_id, kind, start_date, end_date, recorded_by, load_id
FROM plans WHERE child_id IN (SELECT value FROM json_each(?1));
