// A large load commits in several transactions, so that it need not hold millions of facts
// in one (familynet.stores.neo4j.load). The one (:LoadLock) serialises loads, as the one
// transaction's lock on the load counter did; (:LoadUndo) nodes are a running load's
// journal, the properties of the facts it changed, read back only to undo it.

CREATE CONSTRAINT load_lock IF NOT EXISTS FOR (n:LoadLock) REQUIRE n.name IS UNIQUE;
CREATE INDEX load_undo IF NOT EXISTS FOR (n:LoadUndo) ON (n.undo_load_id);
