-- Look-ups. A parameter holding many ids is one JSON array, read with json_each,
-- so that no statement runs into SQLite's limit on the number of variables.

-- name: known_agencies
SELECT agency_id FROM agencies WHERE agency_id IN (SELECT value FROM json_each(?1));

-- name: known_persons
SELECT person_id FROM persons WHERE person_id IN (SELECT value FROM json_each(?1));

-- name: known_households
SELECT household_id FROM households WHERE household_id IN (SELECT value FROM json_each(?1));

-- name: known_referrals
SELECT referral_id FROM referrals WHERE referral_id IN (SELECT value FROM json_each(?1));

-- name: known_assessments
SELECT assessment_id FROM assessments WHERE assessment_id IN (SELECT value FROM json_each(?1));

-- name: person_facts
SELECT person_id, date_of_birth, date_of_death, sex, confidential
FROM persons WHERE person_id IN (SELECT value FROM json_each(?1));

-- name: search_persons
-- Persons with a name token that starts with a token of the query (?1, a JSON array),
-- and, when ?2 and ?3 (the first and last day of a date of birth) are given, a recorded
-- date of birth that can be the same day. char(1114111) is the last code point, so
-- [t, t || char(1114111)) is the range of keys that begin with t.
SELECT p.person_id, p.given_name, p.family_name, p.date_of_birth, p.expected_date_of_birth,
       p.sex, p.date_of_death, p.nhs_number, p.recorded_by, p.confidential, p.given_key, p.family_key
FROM persons AS p
WHERE p.person_id IN (
        SELECT g.person_id FROM json_each(?1) AS q
        JOIN persons AS g ON g.given_key >= q.value AND g.given_key < q.value || char(1114111)
        UNION
        SELECT f.person_id FROM json_each(?1) AS q
        JOIN persons AS f ON f.family_key >= q.value AND f.family_key < q.value || char(1114111)
        UNION
        SELECT t.person_id FROM json_each(?1) AS q
        JOIN person_tokens AS t ON t.token >= q.value AND t.token < q.value || char(1114111))
  AND (?2 IS NULL OR (p.dob_earliest <= ?3 AND p.dob_latest >= ?2));

-- name: cohort_subjects
-- The next ?4 subjects after ?3 (in id order) of contacts and referrals received in [?1, ?2].
SELECT DISTINCT child_id FROM referrals
WHERE child_id > ?3 AND received_on BETWEEN ?1 AND ?2
ORDER BY child_id
LIMIT ?4;

-- name: last_load
-- The most recent finished load: what a report says it ran on.
SELECT load_id, source, finished_at FROM loads WHERE finished_at IS NOT NULL ORDER BY load_id DESC LIMIT 1;

-- name: stats
SELECT 'label', 'Person', count(*) FROM persons
UNION ALL SELECT 'label', 'Household', count(*) FROM households
UNION ALL SELECT 'label', 'Agency', count(*) FROM agencies
UNION ALL SELECT 'label', 'Referral', count(*) FROM referrals
UNION ALL SELECT 'label', 'Assessment', count(*) FROM assessments
UNION ALL SELECT 'label', 'Check', count(*) FROM checks
UNION ALL SELECT 'label', 'Plan', count(*) FROM plans
UNION ALL SELECT 'label', 'Concern', count(*) FROM (
    SELECT code FROM referral_concerns UNION SELECT code FROM assessment_factors)
UNION ALL SELECT 'relationship', upper(type), count(*) FROM relationships GROUP BY type
UNION ALL SELECT 'relationship', 'MEMBER_OF', count(*) FROM household_members
UNION ALL SELECT 'relationship', 'ABOUT', count(*) FROM referrals
UNION ALL SELECT 'relationship', 'MENTIONS', count(*) FROM referral_mentions
UNION ALL SELECT 'relationship', 'FROM', count(*) FROM referrals WHERE recorded_by IS NOT NULL
UNION ALL SELECT 'relationship', 'RAISES',
    (SELECT count(*) FROM referral_concerns) + (SELECT count(*) FROM assessment_factors)
UNION ALL SELECT 'relationship', 'OF', (SELECT count(*) FROM assessments) + (SELECT count(*) FROM plans)
UNION ALL SELECT 'relationship', 'FOLLOWS', count(*) FROM assessments WHERE referral_id IS NOT NULL
UNION ALL SELECT 'relationship', 'FOR', count(*) FROM checks
UNION ALL SELECT 'relationship', 'TO', count(*) FROM checks
UNION ALL SELECT 'relationship', 'CONSIDERED', count(*) FROM considerations;

-- The facts of each bundle file, every field in the order of its record class
-- (familynet.model.records), for `familynet copy`.

-- name: all_agencies
SELECT agency_id, name, kind FROM agencies ORDER BY agency_id;

-- name: all_persons
SELECT person_id, given_name, family_name, date_of_birth, expected_date_of_birth, sex, date_of_death,
       nhs_number, recorded_by, confidential
FROM persons ORDER BY person_id;

-- name: all_households
SELECT household_id, address, postcode, uprn FROM households ORDER BY household_id;

-- name: all_household_members
SELECT household_id, person_id, role, start_date, end_date, recorded_by
FROM household_members ORDER BY household_id, person_id, recorded_by, start_key;

-- name: all_relationships
SELECT person_id, related_person_id, type, subtype, parental_responsibility, start_date, end_date, recorded_by,
       twin
FROM relationships ORDER BY person_id, related_person_id, type, recorded_by, start_key;

-- name: all_referrals
SELECT referral_id, kind, child_id, received_on, recorded_by, concerns, outcome, consent, rag, group_id,
       received_at, decided_at, feedback_sent_on, threshold_stated, supplied
FROM referrals ORDER BY referral_id;

-- name: all_referral_mentions
SELECT referral_id, person_id, role FROM referral_mentions ORDER BY referral_id, person_id, role;

-- name: all_assessments
SELECT assessment_id, child_id, referral_id, kind, started_on, completed_on, factors, outcome
FROM assessments ORDER BY assessment_id;

-- name: all_checks
SELECT check_id, referral_id, agency_id, requested_at, responded_at, response, recorded_by
FROM checks ORDER BY check_id;

-- name: all_plans
SELECT plan_id, child_id, kind, start_date, end_date, recorded_by FROM plans ORDER BY plan_id;

-- name: all_considerations
SELECT referral_id, person_id, considered_on, outcome, recorded_by
FROM considerations ORDER BY referral_id, person_id;
