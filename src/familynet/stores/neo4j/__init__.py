"""The Neo4j store, for users who outgrow one machine.

:mod:`~familynet.stores.neo4j.store` (reads and cohorts), :mod:`~familynet.stores.neo4j.load`
(a load in batches, undone whole on failure), :mod:`~familynet.stores.neo4j.properties`
(each record class's key and properties), :mod:`~familynet.stores.neo4j.extraction`
(family networks in one round trip), :mod:`~familynet.stores.neo4j.accounts`,
:mod:`~familynet.stores.neo4j.schema` (Cypher migrations) and
:mod:`~familynet.stores.neo4j.launcher` (a local server for tests and users without Docker).
Imports the shared parts of :mod:`familynet.stores`, never the SQLite backend's.
"""
