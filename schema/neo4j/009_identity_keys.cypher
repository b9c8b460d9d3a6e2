// Identity resolution's blocking keys (docs/identity.md, "Incremental linking"): one
// (:IdentityKey {key, person_id}) per record and key, found by key (a new record's candidates,
// a name's frequency) and by record (replaced when a resolution reads the record again).

CREATE INDEX identity_key_key IF NOT EXISTS FOR (n:IdentityKey) ON (n.key);
CREATE INDEX identity_key_person IF NOT EXISTS FOR (n:IdentityKey) ON (n.person_id);
