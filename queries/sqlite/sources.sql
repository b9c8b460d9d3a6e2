-- The sources of imported facts (schema/sqlite/011_fact_sources.sql).

-- name: fact_sources_of
-- Of the facts of the bundle file ?1.
SELECT file, fact_id, format, source_key, recorded_in FROM fact_sources WHERE file = ?1
ORDER BY file, fact_id, format, source_key;

-- name: all_fact_sources
SELECT file, fact_id, format, source_key, recorded_in FROM fact_sources
ORDER BY file, fact_id, format, source_key;

-- name: insert_fact_source
-- Only for a fact the store holds (a row refused by --skip-invalid records no source); a source
-- already recorded keeps the load that first recorded it.
INSERT OR IGNORE INTO fact_sources (file, fact_id, format, source_key, recorded_in)
SELECT ?1, ?2, ?3, ?4, ?5
WHERE (?1 = 'referrals' AND EXISTS (SELECT 1 FROM referrals WHERE referral_id = ?2))
   OR (?1 = 'assessments' AND EXISTS (SELECT 1 FROM assessments WHERE assessment_id = ?2))
   OR (?1 = 'plans' AND EXISTS (SELECT 1 FROM plans WHERE plan_id = ?2));
