// Identity resolution's blocking keys (docs/identity.md, "Incremental linking"): one
// (:IdentityKey {key, person_id}) per record and key, found by key (a new record's candidates,
// a name's frequency) and by record (replaced when a resolution reads the record again).

CREATE INDEX identity_key_key IF NOT EXISTS FOR (n:IdentityKey) ON (n.key);
CREATE INDEX identity_key_person IF NOT EXISTS FOR (n:IdentityKey) ON (n.person_id);
// The links naming a record, on either side: linking new records re-clusters only the
// identities around them.
CREATE INDEX identity_link_left IF NOT EXISTS FOR (n:IdentityLink) ON (n.left_id);
CREATE INDEX identity_link_right IF NOT EXISTS FOR (n:IdentityLink) ON (n.right_id);
