-- Writes of one load. Parameter ?1 is the load's id; ?2 onwards are the fields of
-- the record in the order of its dataclass (familynet.model.records). Each record class
-- has an insert (new facts only) and an update that touches a row only when a value
-- differs, so an unchanged fact keeps the load_id of the load that last changed it.

-- name: begin_load
INSERT INTO loads (source, started_at) VALUES (?1, ?2);

-- name: finish_load
UPDATE loads SET finished_at = ?2 WHERE load_id = ?1;

-- name: insert_agencies
INSERT INTO agencies (agency_id, name, kind, first_load_id, load_id)
VALUES (?2, ?3, ?4, ?1, ?1)
ON CONFLICT (agency_id) DO NOTHING;

-- name: update_agencies
UPDATE agencies SET name = ?3, kind = ?4, load_id = ?1
WHERE agency_id = ?2 AND NOT (name IS ?3 AND kind IS ?4);

-- name: insert_persons
INSERT INTO persons (person_id, given_name, family_name, date_of_birth, expected_date_of_birth,
                     sex, date_of_death, nhs_number, recorded_by, confidential, given_key, family_key,
                     first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?1, ?1)
ON CONFLICT (person_id) DO NOTHING;

-- name: update_persons
UPDATE persons
SET given_name = ?3, family_name = ?4, date_of_birth = ?5, expected_date_of_birth = ?6,
    sex = ?7, date_of_death = ?8, nhs_number = ?9, recorded_by = ?10, confidential = ?11,
    given_key = ?12, family_key = ?13, load_id = ?1
WHERE person_id = ?2
  AND NOT (given_name IS ?3 AND family_name IS ?4 AND date_of_birth IS ?5
           AND expected_date_of_birth IS ?6 AND sex IS ?7 AND date_of_death IS ?8
           AND nhs_number IS ?9 AND recorded_by IS ?10 AND confidential IS ?11);

-- name: insert_person_tokens
-- ?1 is a token of a multi-token name of person ?2; tokens already there are kept.
INSERT OR IGNORE INTO person_tokens (token, person_id) VALUES (?1, ?2);

-- name: insert_households
INSERT INTO households (household_id, address, postcode, uprn, first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?1, ?1)
ON CONFLICT (household_id) DO NOTHING;

-- name: update_households
UPDATE households SET address = ?3, postcode = ?4, uprn = ?5, load_id = ?1
WHERE household_id = ?2 AND NOT (address IS ?3 AND postcode IS ?4 AND uprn IS ?5);

-- name: insert_household_members
INSERT INTO household_members (household_id, person_id, role, start_date, end_date, recorded_by,
                               first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?1, ?1)
ON CONFLICT (household_id, person_id, recorded_by, start_key) DO NOTHING;

-- name: update_household_members
UPDATE household_members SET role = ?4, end_date = ?6, load_id = ?1
WHERE household_id = ?2 AND person_id = ?3 AND recorded_by = ?7 AND start_key = coalesce(?5, '')
  AND NOT (role IS ?4 AND end_date IS ?6);

-- name: insert_relationships
INSERT INTO relationships (person_id, related_person_id, type, subtype, parental_responsibility,
                           start_date, end_date, recorded_by, twin, first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?1, ?1)
ON CONFLICT (person_id, related_person_id, type, recorded_by, start_key) DO NOTHING;

-- name: update_relationships
-- A later load that does not say whether twins are identical (no twin column) keeps what was stored.
UPDATE relationships SET subtype = ?5, parental_responsibility = ?6, end_date = ?8, twin = coalesce(?10, twin),
                         load_id = ?1
WHERE person_id = ?2 AND related_person_id = ?3 AND type = ?4 AND recorded_by = ?9
  AND start_key = coalesce(?7, '')
  AND NOT (subtype IS ?5 AND parental_responsibility IS ?6 AND end_date IS ?8 AND twin IS coalesce(?10, twin));

-- name: insert_referrals
INSERT INTO referrals (referral_id, kind, child_id, received_on, recorded_by, concerns, outcome,
                       consent, rag, group_id, received_at, decided_at, feedback_sent_on,
                       threshold_stated, supplied, first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?1, ?1)
ON CONFLICT (referral_id) DO NOTHING;

-- name: update_referrals
-- Ingest has already kept the stored values of the optional facts a load did not supply
-- (familynet.bundle.ingest), so every column is the fact's new value.
UPDATE referrals
SET kind = ?3, child_id = ?4, received_on = ?5, recorded_by = ?6, concerns = ?7, outcome = ?8,
    consent = ?9, rag = ?10, group_id = ?11, received_at = ?12, decided_at = ?13,
    feedback_sent_on = ?14, threshold_stated = ?15, supplied = ?16, load_id = ?1
WHERE referral_id = ?2
  AND NOT (kind IS ?3 AND child_id IS ?4 AND received_on IS ?5 AND recorded_by IS ?6
           AND concerns IS ?7 AND outcome IS ?8 AND consent IS ?9 AND rag IS ?10
           AND group_id IS ?11 AND received_at IS ?12 AND decided_at IS ?13
           AND feedback_sent_on IS ?14 AND threshold_stated IS ?15 AND supplied IS ?16);

-- name: insert_referral_concerns
INSERT OR IGNORE INTO referral_concerns (referral_id, code) VALUES (?1, ?2);

-- name: insert_referral_mentions
INSERT INTO referral_mentions (referral_id, person_id, role, recorded_by, first_load_id, load_id)
VALUES (?2, ?3, ?4, (SELECT recorded_by FROM referrals WHERE referral_id = ?2), ?1, ?1)
ON CONFLICT (referral_id, person_id, role) DO NOTHING;

-- name: update_referral_mentions
-- A mention's only value besides its key is its provenance, which follows its referral's referrer.
UPDATE referral_mentions
SET recorded_by = (SELECT recorded_by FROM referrals WHERE referral_id = ?2), load_id = ?1
WHERE referral_id = ?2 AND person_id = ?3 AND role = ?4
  AND recorded_by IS NOT (SELECT recorded_by FROM referrals WHERE referral_id = ?2);

-- name: insert_assessments
INSERT INTO assessments (assessment_id, child_id, referral_id, kind, started_on, completed_on,
                         factors, outcome, first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?1, ?1)
ON CONFLICT (assessment_id) DO NOTHING;

-- name: insert_assessment_factors
INSERT OR IGNORE INTO assessment_factors (assessment_id, code) VALUES (?1, ?2);

-- name: update_assessments
UPDATE assessments
SET child_id = ?3, referral_id = ?4, kind = ?5, started_on = ?6, completed_on = ?7,
    factors = ?8, outcome = ?9, load_id = ?1
WHERE assessment_id = ?2
  AND NOT (child_id IS ?3 AND referral_id IS ?4 AND kind IS ?5 AND started_on IS ?6
           AND completed_on IS ?7 AND factors IS ?8 AND outcome IS ?9);

-- name: insert_checks
INSERT INTO checks (check_id, referral_id, agency_id, requested_at, responded_at, response, recorded_by,
                    first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?1, ?1)
ON CONFLICT (check_id) DO NOTHING;

-- name: update_checks
UPDATE checks
SET referral_id = ?3, agency_id = ?4, requested_at = ?5, responded_at = ?6, response = ?7,
    recorded_by = ?8, load_id = ?1
WHERE check_id = ?2
  AND NOT (referral_id IS ?3 AND agency_id IS ?4 AND requested_at IS ?5 AND responded_at IS ?6
           AND response IS ?7 AND recorded_by IS ?8);

-- name: insert_plans
INSERT INTO plans (plan_id, child_id, kind, start_date, end_date, recorded_by, first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?1, ?1)
ON CONFLICT (plan_id) DO NOTHING;

-- name: update_plans
UPDATE plans
SET child_id = ?3, kind = ?4, start_date = ?5, end_date = ?6, recorded_by = ?7, load_id = ?1
WHERE plan_id = ?2
  AND NOT (child_id IS ?3 AND kind IS ?4 AND start_date IS ?5 AND end_date IS ?6 AND recorded_by IS ?7);

-- name: insert_considerations
INSERT INTO considerations (referral_id, person_id, considered_on, outcome, recorded_by, first_load_id, load_id)
VALUES (?2, ?3, ?4, ?5, ?6, ?1, ?1)
ON CONFLICT (referral_id, person_id) DO NOTHING;

-- name: update_considerations
UPDATE considerations
SET considered_on = ?4, outcome = ?5, recorded_by = ?6, load_id = ?1
WHERE referral_id = ?2 AND person_id = ?3
  AND NOT (considered_on IS ?4 AND outcome IS ?5 AND recorded_by IS ?6);
