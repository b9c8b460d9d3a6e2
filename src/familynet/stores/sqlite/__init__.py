"""The embedded store: one SQLite file in WAL mode, the default.

:mod:`~familynet.stores.sqlite.store` (the store, its schema migrations and loads) and
:mod:`~familynet.stores.sqlite.accounts` (API users and the access log). Imports the shared
parts of :mod:`familynet.stores`, never the Neo4j backend.
"""
