-- API users and the hash-chained access log (schema/sqlite/002_accounts.sql).

-- name: insert_user
INSERT INTO users (name, role, agency_id, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5);

-- name: revoke_user
UPDATE users SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL;

-- name: users
SELECT name, role, agency_id, created_at, revoked_at FROM users ORDER BY name;

-- name: user_by_token_hash
SELECT name, role, agency_id, created_at, revoked_at FROM users
WHERE token_hash = ?1 AND revoked_at IS NULL;

-- name: last_access
SELECT sequence, entry_hash FROM access_log ORDER BY sequence DESC LIMIT 1;

-- name: insert_access
INSERT INTO access_log (sequence, at, user, role, agency_id, purpose, operation, person_ids,
                        allowed, correlation_id, previous_hash, entry_hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12);

-- name: insert_access_person
INSERT OR IGNORE INTO access_log_persons (person_id, sequence) VALUES (?1, ?2);

-- name: access_entries
-- Entries after sequence ?1, optionally only user ?2's, optionally only those naming
-- person ?3, at most ?4 of them (-1: no limit).
SELECT sequence, at, user, role, agency_id, purpose, operation, person_ids, allowed,
       correlation_id, previous_hash, entry_hash
FROM access_log AS a
WHERE a.sequence > ?1
  AND (?2 IS NULL OR a.user = ?2)
  AND (?3 IS NULL OR a.sequence IN (SELECT sequence FROM access_log_persons WHERE person_id = ?3))
ORDER BY a.sequence
LIMIT ?4;
