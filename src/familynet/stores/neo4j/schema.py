"""The Neo4j store's schema: numbered Cypher migrations in ``schema/neo4j/``, applied idempotently.

Each migration is a file of statements ending in ``;``. Schema statements cannot share a
transaction, so each runs on its own (in an auto-commit transaction); every one is
idempotent (``IF NOT EXISTS``, or a data change only to nodes it has not made yet), so a
migration cut short simply runs again. The ``(:FamilynetSchema)`` node records the last migration applied.

>>> statements("CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\\n// why\\nCREATE INDEX b\\nFOR (n:B) ON (n.y);\\n")
['CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)', 'CREATE INDEX b\\nFOR (n:B) ON (n.y)']
"""

from __future__ import annotations

from collections.abc import Mapping

import neo4j

from familynet.errors import SchemaVersionError
from familynet.resources import resource_dir

_SCHEMA = "neo4j"


def statements(text: str) -> list[str]:
    """The statements of a migration: comment lines dropped, split at lines ending in ``;``."""
    found: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("//") or not line.strip():
            continue
        current.append(line.rstrip())
        if line.rstrip().endswith(";"):
            found.append("\n".join(current).rstrip(";"))
            current = []
    if current:
        found.append("\n".join(current))
    return found


def migrations() -> list[tuple[int, list[str]]]:
    """Every migration, in order: its number and its statements."""
    found = []
    for path in (resource_dir("schema") / _SCHEMA).glob("*.cypher"):
        found.append((int(path.name.split("_", 1)[0]), statements(path.read_text(encoding="utf-8"))))
    return sorted(found)


def schema_version() -> int:
    """The schema version this familynet writes: the number of its last migration.

    >>> schema_version() >= 1
    True
    """
    return migrations()[-1][0]


def migrate(driver: neo4j.Driver, database: str | None, cypher: Mapping[str, str]) -> int:
    """Apply the migrations the database lacks; return how many ran."""
    records, _, _ = driver.execute_query(cypher["schema_version"], database_=database)
    current = records[0][0]
    if current > schema_version():
        raise SchemaVersionError(
            f"the database has schema version {current}; this familynet knows up to "
            f"{schema_version()}: upgrade familynet"
        )
    applied = 0
    for number, script in migrations():
        if number <= current:
            continue
        # Auto-commit transactions: a data migration batches itself with CALL ... IN TRANSACTIONS,
        # which a managed transaction refuses.
        with driver.session(database=database) as session:
            for statement in script:
                session.run(statement).consume()
        driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
        driver.execute_query(cypher["set_schema_version"], version=number, database_=database)
        applied += 1
    return applied
