-- The front door's facts (issue 14): when a contact or referral was received and decided,
-- when the referrer was told the outcome and the threshold they gave; the MASH's checks
-- with other agencies; children's plans; and the persons the MASH considered.
--
-- Instants are ISO 8601 text with their UTC offset (familynet.model.instants). A
-- referral's `supplied` lists, ';'-joined and sorted, which of its optional facts a load
-- supplied: a fact not listed is "not supplied", one listed and NULL is "recorded as unknown
-- or not done". Referrals already stored were loaded before these columns existed: none
-- supplied (''). ADD COLUMN with a constant default rewrites no row.

ALTER TABLE referrals ADD COLUMN received_at TEXT;
ALTER TABLE referrals ADD COLUMN decided_at TEXT;
ALTER TABLE referrals ADD COLUMN feedback_sent_on TEXT;
ALTER TABLE referrals ADD COLUMN threshold_stated TEXT;
ALTER TABLE referrals ADD COLUMN supplied TEXT NOT NULL DEFAULT '';

CREATE TABLE checks (
    check_id      TEXT PRIMARY KEY,
    referral_id   TEXT NOT NULL REFERENCES referrals,
    agency_id     TEXT NOT NULL REFERENCES agencies,
    requested_at  TEXT NOT NULL,
    responded_at  TEXT,
    response      TEXT,
    recorded_by   TEXT REFERENCES agencies,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL
);
CREATE INDEX checks_referral ON checks (referral_id);

CREATE TABLE plans (
    plan_id       TEXT PRIMARY KEY,
    child_id      TEXT NOT NULL REFERENCES persons,
    kind          TEXT NOT NULL,
    start_date    TEXT,
    end_date      TEXT,
    recorded_by   TEXT NOT NULL REFERENCES agencies,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL
);
CREATE INDEX plans_child ON plans (child_id);

CREATE TABLE considerations (
    referral_id   TEXT NOT NULL REFERENCES referrals,
    person_id     TEXT NOT NULL REFERENCES persons,
    considered_on TEXT NOT NULL,
    outcome       TEXT,
    recorded_by   TEXT REFERENCES agencies,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL,
    PRIMARY KEY (referral_id, person_id)
) WITHOUT ROWID;
CREATE INDEX considerations_person ON considerations (person_id);
