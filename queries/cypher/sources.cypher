// The sources of imported facts (schema/neo4j/010_fact_sources.cypher).

// name: fact_sources_of
// Of the facts of the bundle file $file.
MATCH (s:FactSource {file: $file})
RETURN s.file, s.fact_id, s.format, s.source_key, s.recorded_in;

// name: all_fact_sources
MATCH (s:FactSource)
RETURN s.file, s.fact_id, s.format, s.source_key, s.recorded_in;

// name: insert_fact_sources
// Only for a fact the store holds (a row refused by --skip-invalid records no source); a source
// already recorded keeps the load that first recorded it.
UNWIND $rows AS r
WITH r WHERE (r.file = 'referrals' AND EXISTS { MATCH (:Referral {referral_id: r.fact_id}) })
          OR (r.file = 'assessments' AND EXISTS { MATCH (:Assessment {assessment_id: r.fact_id}) })
          OR (r.file = 'plans' AND EXISTS { MATCH (:Plan {plan_id: r.fact_id}) })
MERGE (s:FactSource {file: r.file, fact_id: r.fact_id, format: r.format, source_key: r.source_key})
ON CREATE SET s.recorded_in = r.recorded_in;
