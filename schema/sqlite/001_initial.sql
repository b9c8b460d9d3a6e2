-- The family graph as relational facts. Every fact row carries provenance:
-- recorded_by (the agency whose fact it is), first_load_id (the load that
-- created it) and load_id (the load that last changed it).
-- Dates are ISO 8601 text; a date of birth may be YYYY, YYYY-MM or YYYY-MM-DD.
-- Tables of id-less facts key unknown start dates as '' (start_key) because a
-- UNIQUE index treats NULLs as distinct and would let them duplicate.
-- load_id and first_load_id name rows of loads but declare no foreign key: the
-- store stamps them itself, never from input, and the check would cost two
-- look-ups for every row of every load.

CREATE TABLE loads (
    load_id     INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT
);

CREATE TABLE agencies (
    agency_id     TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL
);

CREATE TABLE persons (
    person_id             TEXT PRIMARY KEY,
    given_name            TEXT,
    family_name           TEXT,
    date_of_birth         TEXT,
    expected_date_of_birth TEXT,
    sex                   TEXT NOT NULL,
    date_of_death         TEXT,
    nhs_number            TEXT,
    recorded_by           TEXT REFERENCES agencies,
    -- Accent- and case-folded names (familynet.stores.name_search.name_key), for search.
    given_key             TEXT NOT NULL,
    family_key            TEXT NOT NULL,
    first_load_id         INTEGER NOT NULL,
    load_id               INTEGER NOT NULL,
    -- The first and last day a partial date of birth can mean, so that a search by
    -- date of birth matches every recorded date compatible with the one asked for.
    dob_earliest TEXT GENERATED ALWAYS AS (
        CASE length(date_of_birth)
            WHEN 4 THEN date_of_birth || '-01-01'
            WHEN 7 THEN date_of_birth || '-01'
            ELSE date_of_birth
        END) VIRTUAL,
    dob_latest TEXT GENERATED ALWAYS AS (
        CASE length(date_of_birth)
            WHEN 4 THEN date_of_birth || '-12-31'
            WHEN 7 THEN date(date_of_birth || '-01', '+1 month', '-1 day')
            ELSE date_of_birth
        END) VIRTUAL
);

CREATE INDEX persons_given_key ON persons (given_key);
CREATE INDEX persons_family_key ON persons (family_key);

-- Every name token of the persons whose given or family name has more than one
-- ("Mary Jane", "Smith-Jones"), so that a search finds them by any token. Names of
-- one token, most of them, are found through the two indexes above, which keeps a
-- load from paying for a token row per person. A load inserts the tokens of new
-- persons itself (a trigger on every insert costs more than the insert); the trigger
-- keeps them in step when a name changes. Keys hold only letters, digits and single
-- spaces, so they split safely into a JSON array.
CREATE TABLE person_tokens (
    token     TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons ON DELETE CASCADE,
    PRIMARY KEY (token, person_id)
) WITHOUT ROWID;

CREATE TRIGGER persons_tokens_update AFTER UPDATE OF given_key, family_key ON persons BEGIN
    DELETE FROM person_tokens WHERE person_id = OLD.person_id;
    INSERT OR IGNORE INTO person_tokens (token, person_id)
    SELECT value, NEW.person_id
    FROM json_each('["' || replace(NEW.given_key || ' ' || NEW.family_key, ' ', '","') || '"]')
    WHERE value <> '' AND (instr(NEW.given_key, ' ') OR instr(NEW.family_key, ' '));
END;

CREATE TABLE households (
    household_id  TEXT PRIMARY KEY,
    address       TEXT,
    postcode      TEXT,
    uprn          TEXT,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL
);

CREATE TABLE household_members (
    household_id  TEXT NOT NULL REFERENCES households,
    person_id     TEXT NOT NULL REFERENCES persons,
    role          TEXT NOT NULL,
    start_date    TEXT,
    end_date      TEXT,
    recorded_by   TEXT NOT NULL REFERENCES agencies,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL,
    start_key     TEXT GENERATED ALWAYS AS (coalesce(start_date, '')) VIRTUAL
);
CREATE UNIQUE INDEX household_members_key
    ON household_members (household_id, person_id, recorded_by, start_key);
CREATE INDEX household_members_person ON household_members (person_id);

CREATE TABLE relationships (
    person_id               TEXT NOT NULL REFERENCES persons,
    related_person_id       TEXT NOT NULL REFERENCES persons,
    type                    TEXT NOT NULL,
    subtype                 TEXT,
    parental_responsibility INTEGER,
    start_date              TEXT,
    end_date                TEXT,
    recorded_by             TEXT NOT NULL REFERENCES agencies,
    first_load_id           INTEGER NOT NULL,
    load_id                 INTEGER NOT NULL,
    start_key TEXT GENERATED ALWAYS AS (coalesce(start_date, '')) VIRTUAL
);
CREATE UNIQUE INDEX relationships_key
    ON relationships (person_id, related_person_id, type, recorded_by, start_key);
CREATE INDEX relationships_related ON relationships (related_person_id);

-- recorded_by of a referral is its referrer. concerns repeats referral_concerns
-- as ';'-joined codes so that an unchanged referral is recognised in one row.
CREATE TABLE referrals (
    referral_id   TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    child_id      TEXT NOT NULL REFERENCES persons,
    received_on   TEXT NOT NULL,
    recorded_by   TEXT REFERENCES agencies,
    concerns      TEXT NOT NULL,
    outcome       TEXT,
    consent       TEXT,
    rag           TEXT,
    group_id      TEXT,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL
);
-- Serves both a child's referrals and the cohort's subjects in child order.
CREATE INDEX referrals_child ON referrals (child_id, received_on);

-- The RAISES facts of referrals. A load inserts those of new referrals; the trigger
-- keeps them in step with referrals.concerns when a referral changes.
CREATE TABLE referral_concerns (
    referral_id TEXT NOT NULL REFERENCES referrals ON DELETE CASCADE,
    code        TEXT NOT NULL,
    PRIMARY KEY (referral_id, code)
) WITHOUT ROWID;

CREATE TRIGGER referrals_concerns_update AFTER UPDATE OF concerns ON referrals BEGIN
    DELETE FROM referral_concerns WHERE referral_id = OLD.referral_id;
    INSERT OR IGNORE INTO referral_concerns (referral_id, code)
    SELECT NEW.referral_id, value
    FROM json_each('["' || replace(NEW.concerns, ';', '","') || '"]')
    WHERE value <> '';
END;

-- recorded_by of a mention is the referring agency, copied from its referral.
CREATE TABLE referral_mentions (
    referral_id   TEXT NOT NULL REFERENCES referrals,
    person_id     TEXT NOT NULL REFERENCES persons,
    role          TEXT NOT NULL,
    recorded_by   TEXT REFERENCES agencies,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL,
    PRIMARY KEY (referral_id, person_id, role)
) WITHOUT ROWID;

CREATE TABLE assessments (
    assessment_id TEXT PRIMARY KEY,
    child_id      TEXT NOT NULL REFERENCES persons,
    referral_id   TEXT REFERENCES referrals,
    kind          TEXT NOT NULL,
    started_on    TEXT,
    completed_on  TEXT,
    factors       TEXT NOT NULL,
    outcome       TEXT,
    first_load_id INTEGER NOT NULL,
    load_id       INTEGER NOT NULL
);
CREATE INDEX assessments_child ON assessments (child_id);

-- The RAISES facts of assessments, kept like referral_concerns.
CREATE TABLE assessment_factors (
    assessment_id TEXT NOT NULL REFERENCES assessments ON DELETE CASCADE,
    code          TEXT NOT NULL,
    PRIMARY KEY (assessment_id, code)
) WITHOUT ROWID;

CREATE TRIGGER assessments_factors_update AFTER UPDATE OF factors ON assessments BEGIN
    DELETE FROM assessment_factors WHERE assessment_id = OLD.assessment_id;
    INSERT OR IGNORE INTO assessment_factors (assessment_id, code)
    SELECT NEW.assessment_id, value
    FROM json_each('["' || replace(NEW.factors, ';', '","') || '"]')
    WHERE value <> '';
END;
