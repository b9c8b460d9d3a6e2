// API users and the access log. A user's token is never stored, only its SHA-256
// (familynet.access.auth.token_hash). Entries are (:AccessEntry) nodes chained by hash
// (familynet.access.log); (:AccessLogHead) holds the last sequence and hash, and every
// append locks it first, so concurrent writers serialise and the chain never forks.
// Community Edition has no triggers to refuse edits: an edit shows in
// `familynet access-log verify`, which recomputes the chain.

CREATE CONSTRAINT user_name IF NOT EXISTS FOR (n:User) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT user_token_hash IF NOT EXISTS FOR (n:User) REQUIRE n.token_hash IS UNIQUE;
CREATE CONSTRAINT access_entry_sequence IF NOT EXISTS FOR (n:AccessEntry) REQUIRE n.sequence IS UNIQUE;
CREATE CONSTRAINT access_log_head IF NOT EXISTS FOR (n:AccessLogHead) REQUIRE n.name IS UNIQUE;
// Which entries name a person, for "who looked at this child".
CREATE CONSTRAINT access_subject IF NOT EXISTS FOR (n:AccessSubject) REQUIRE n.person_id IS UNIQUE;
CREATE INDEX access_entry_user IF NOT EXISTS FOR (n:AccessEntry) ON (n.user, n.sequence);
