-- Identity resolution's tables (schema/sqlite/004_identity.sql).

-- name: identity_links
SELECT left_id, right_id, probability, comparisons, model, model_version, user_name, reason, linked_at
FROM identity_links ORDER BY left_id, right_id;

-- name: identity_candidates
SELECT left_id, right_id, probability, comparisons, band, reasons, model, model_version
FROM identity_candidates ORDER BY probability DESC, left_id, right_id;

-- name: identity_decisions
SELECT kind, left_id, right_id, user_name, reason, decided_at FROM identity_decisions ORDER BY decision_id;

-- name: identity_members
SELECT person_id, identity_id FROM identity_members;

-- name: identity_aliases
SELECT alias, identity_id, aliased_at FROM identity_aliases ORDER BY aliased_at, alias;

-- name: insert_identity_link
INSERT OR REPLACE INTO identity_links
    (left_id, right_id, probability, comparisons, model, model_version, user_name, reason, linked_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: delete_identity_link
DELETE FROM identity_links WHERE left_id = ? AND right_id = ?;

-- name: insert_identity_candidate
INSERT OR REPLACE INTO identity_candidates
    (left_id, right_id, probability, comparisons, band, reasons, model, model_version)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: delete_identity_candidate
DELETE FROM identity_candidates WHERE left_id = ? AND right_id = ?;

-- name: insert_identity_decision
INSERT INTO identity_decisions (kind, left_id, right_id, user_name, reason, decided_at) VALUES (?, ?, ?, ?, ?, ?);

-- name: upsert_identity_member
INSERT INTO identity_members (person_id, identity_id) VALUES (?, ?)
ON CONFLICT (person_id) DO UPDATE SET identity_id = excluded.identity_id;

-- name: insert_identity_alias
INSERT OR IGNORE INTO identity_aliases (alias, identity_id, aliased_at) VALUES (?, ?, ?);

-- name: person_first_loads
-- The load that first recorded each person: "earliest loaded" in the identity id rule.
SELECT person_id, first_load_id FROM persons;

-- name: person_first_loads_of
-- The load that first recorded each stored person of the JSON array ?.
SELECT person_id, first_load_id FROM persons WHERE person_id IN (SELECT value FROM json_each(?));

-- name: identities_of
-- Every record of the identities of the records in the JSON array ?, with its identity.
SELECT m.person_id, m.identity_id FROM identity_members AS m
WHERE m.identity_id IN (
    SELECT identity_id FROM identity_members WHERE person_id IN (SELECT value FROM json_each(?)));

-- name: identity_candidates_of
-- The candidates naming a record in the JSON array ?, on either side (the array twice).
SELECT left_id, right_id, probability, comparisons, band, reasons, model, model_version
FROM identity_candidates WHERE left_id IN (SELECT value FROM json_each(?))
UNION
SELECT left_id, right_id, probability, comparisons, band, reasons, model, model_version
FROM identity_candidates WHERE right_id IN (SELECT value FROM json_each(?))
ORDER BY probability DESC, left_id, right_id;

-- name: identity_decisions_of
-- The decisions about a pair naming a record in the JSON array ?, on either side, in order.
SELECT kind, left_id, right_id, user_name, reason, decided_at FROM identity_decisions
WHERE decision_id IN (
    SELECT decision_id FROM identity_decisions WHERE left_id IN (SELECT value FROM json_each(?))
    UNION
    SELECT decision_id FROM identity_decisions WHERE right_id IN (SELECT value FROM json_each(?)))
ORDER BY decision_id;

-- name: identity_members_of
-- The identity of each resolved record in the JSON array ?.
SELECT person_id, identity_id FROM identity_members WHERE person_id IN (SELECT value FROM json_each(?));

-- name: delete_identity_keys
DELETE FROM identity_keys;

-- name: delete_identity_keys_of
-- The blocking keys of the records in the JSON array ?.
DELETE FROM identity_keys WHERE person_id IN (SELECT value FROM json_each(?));

-- name: insert_identity_key
INSERT OR IGNORE INTO identity_keys (key, person_id) VALUES (?, ?);

-- name: identity_keys
-- Every stored blocking key, by key (familynet copy).
SELECT key, person_id FROM identity_keys ORDER BY key, person_id;

-- name: persons_with_identity_keys
-- The records holding a key of the JSON array ?.
SELECT DISTINCT person_id FROM identity_keys WHERE key IN (SELECT value FROM json_each(?));

-- name: a_record_without_identity_keys
-- A record, other than those of the JSON array ?, that holds no blocking key (loaded unlinked,
-- copied, or stored before migration 010), if any.
SELECT person_id FROM persons AS p
WHERE NOT EXISTS (SELECT 1 FROM identity_keys AS k WHERE k.person_id = p.person_id)
  AND person_id NOT IN (SELECT value FROM json_each(?))
LIMIT 1;

-- name: identity_key_counts
-- How many records hold each key of the JSON array ?.
SELECT key, count(*) FROM identity_keys WHERE key IN (SELECT value FROM json_each(?)) GROUP BY key;

-- name: parent_mentions_of
-- The mentions of the records in the JSON array ? (their roles), for their family context.
SELECT referral_id, person_id, role FROM referral_mentions WHERE person_id IN (SELECT value FROM json_each(?1));

-- name: identity_links_of
-- The links naming a record in the JSON array ?, on either side (the array twice).
SELECT left_id, right_id, probability, comparisons, model, model_version, user_name, reason, linked_at
FROM identity_links WHERE left_id IN (SELECT value FROM json_each(?))
UNION
SELECT left_id, right_id, probability, comparisons, model, model_version, user_name, reason, linked_at
FROM identity_links WHERE right_id IN (SELECT value FROM json_each(?))
ORDER BY left_id, right_id;

-- name: identity_totals
-- Records, records in an identity named after another record, links the model made, and the review
-- queue (familynet.model.identity.is_queued: a review-band candidate whose records are in
-- different identities and about which the latest decision, if any, is an undistinct).
SELECT
    (SELECT count(*) FROM persons),
    (SELECT count(*) FROM identity_members WHERE person_id != identity_id),
    (SELECT count(*) FROM identity_links WHERE user_name IS NULL),
    (SELECT count(*) FROM identity_candidates AS c
     LEFT JOIN identity_members AS l ON l.person_id = c.left_id
     LEFT JOIN identity_members AS r ON r.person_id = c.right_id
     WHERE c.band = 'review'
       AND coalesce(l.identity_id, c.left_id) != coalesce(r.identity_id, c.right_id)
       AND coalesce((SELECT d.kind FROM identity_decisions AS d
                     WHERE d.left_id = c.left_id AND d.right_id = c.right_id
                     ORDER BY d.decision_id DESC LIMIT 1), 'undistinct') = 'undistinct');

-- name: referral_children
-- The child of each contact or referral in the JSON array ?.
SELECT referral_id, child_id FROM referrals WHERE referral_id IN (SELECT value FROM json_each(?1));
