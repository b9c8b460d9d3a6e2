-- A family network reads every allegation against its persons, about any child (issue 14):
-- referral_mentions by person and role, as its primary key serves them by referral.

CREATE INDEX referral_mentions_person ON referral_mentions (person_id, role);
