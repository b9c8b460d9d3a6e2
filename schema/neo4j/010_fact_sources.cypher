// The sources of imported referrals, assessments and plans (familynet.model.sources): one
// (:FactSource {file, fact_id, format, source_key, recorded_in}) per format and source key a
// fact was imported from, written in the last transaction of the load that records it.

CREATE INDEX fact_source_fact IF NOT EXISTS FOR (n:FactSource) ON (n.file, n.fact_id);
CREATE INDEX fact_source_key IF NOT EXISTS FOR (n:FactSource) ON (n.file, n.format, n.source_key);
