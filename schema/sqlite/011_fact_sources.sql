-- The sources of imported referrals, assessments and plans (familynet.model.sources): one row
-- per format and source key a fact was imported from, written in the load's transaction, so
-- that the same referral from an SSD and a CIN census is one fact with two sources. recorded_in
-- is the source of the load that first recorded it (by name, as previous_versions do, so that
-- a copy carries it). A fact is never deleted by a load, so no foreign key is needed.

CREATE TABLE fact_sources (
    file        TEXT NOT NULL CHECK (file IN ('referrals', 'assessments', 'plans')),
    fact_id     TEXT NOT NULL,
    format      TEXT NOT NULL,
    source_key  TEXT NOT NULL,
    recorded_in TEXT NOT NULL,
    PRIMARY KEY (file, fact_id, format, source_key)
) WITHOUT ROWID;
CREATE INDEX fact_sources_key ON fact_sources (file, format, source_key);
