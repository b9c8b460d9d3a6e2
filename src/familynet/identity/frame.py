"""Every record's feature row, built in DuckDB for a full resolve: no Python object per record.

A full resolve compares every record, so its features are built column by column: the store's
persons, memberships, households, relationships, contacts' children and mentions are streamed
in batches into DuckDB tables (a person's own columns from
:func:`~familynet.identity.features.person_features`, everything else as it is stored), and the
family context of :func:`~familynet.identity.features.contexts` is then SQL over them. The
``features`` table holds what :func:`~familynet.identity.features.feature_row` gives each
record (``tests/test_identity_frame.py`` checks it row by row on a synthetic bundle); Splink
scores it and the blocking keys are read from it in the same database, which spills to a
temporary directory beyond its ``memory_limit`` (:class:`Engine`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from familynet.identity.features import PARENT_ROLES, Context, person_features, person_key
from familynet.model.identity import IdentityError
from familynet.model.records import Household, Membership, Mention, Person, Referral, Relationship
from familynet.stores.protocol import Store

#: DuckDB's memory limit for identity resolution, unless ``FAMILYNET_IDENTITY_MEMORY_LIMIT`` says
#: otherwise: with the resolution's own Python data, a full resolve of 912,182 records stays
#: under 4 GiB.
MEMORY_LIMIT = "2GB"
#: Splits a double-barrelled family name's parts on their way into DuckDB (never in a folded name).
_PARTS = "\x1f"
_BATCH = 50_000
#: The table of every record's feature row.
FEATURES = "features"

_PERSONS = (
    "unique_id VARCHAR, given VARCHAR, given_canon VARCHAR, given_phonetic VARCHAR, family VARCHAR, "
    "family_phonetic VARCHAR, family_parts VARCHAR, dob VARCHAR, dob_year INTEGER, dob_month INTEGER, "
    "dob_day INTEGER, dob_days INTEGER, expected_days INTEGER, sex VARCHAR, nhs VARCHAR, person_key VARCHAR"
)
_TABLES = {
    "person": _PERSONS,
    "membership": "person_id VARCHAR, household_id VARCHAR",
    "household": "household_id VARCHAR, uprn VARCHAR, postcode VARCHAR",
    "relationship": "person_id VARCHAR, related_person_id VARCHAR, type VARCHAR",
    "referral": "referral_id VARCHAR, child_id VARCHAR",
    "mention": "referral_id VARCHAR, person_id VARCHAR, role VARCHAR",
}

_PARENT_ROLES = ", ".join(f"'{role}'" for role in sorted(PARENT_ROLES))


def _listed(expression: str) -> str:
    """A sorted list of the distinct non-null values of ``expression`` in a group; null when empty."""
    return f"CASE WHEN count({expression}) > 0 THEN list_sort(list_distinct(list({expression}))) END"


#: The family context, as :func:`~familynet.identity.features.contexts` builds it: each record's
#: relatives by kind (``relative``: P parent, C child, R partner, S sibling, from relationships and
#: from the contacts naming it a parent or carer of their child), the children of its family
#: (``circle``) and its addresses; then one row per record (``features``).
_SQL = f"""
CREATE TEMP TABLE relative AS
  SELECT person_id AS pid, CASE type WHEN 'parent_of' THEN 'C' WHEN 'partner_of' THEN 'R' ELSE 'S' END AS kind,
         related_person_id AS other FROM relationship
  UNION ALL
  SELECT related_person_id, CASE type WHEN 'parent_of' THEN 'P' WHEN 'partner_of' THEN 'R' ELSE 'S' END, person_id
  FROM relationship
  UNION ALL
  SELECT m.person_id, 'C', r.child_id FROM mention m JOIN referral r USING (referral_id)
  WHERE r.child_id <> m.person_id AND m.role IN ({_PARENT_ROLES});
CREATE TEMP TABLE circle AS
  SELECT m.person_id AS pid, r.child_id AS child FROM mention m JOIN referral r USING (referral_id)
  WHERE r.child_id <> m.person_id
  UNION ALL SELECT pid, other FROM relative WHERE kind IN ('C', 'S')
  UNION ALL SELECT a.pid, b.other FROM relative a JOIN relative b ON b.pid = a.other AND b.kind = 'C'
  WHERE a.kind IN ('P', 'R');
CREATE TEMP TABLE home AS
  SELECT m.person_id AS pid, 'H:' || m.household_id AS home, NULL AS postcode FROM membership m
  UNION ALL
  SELECT m.person_id, CASE WHEN h.uprn <> '' THEN 'U:' || h.uprn END,
         CASE WHEN h.postcode <> '' THEN upper(replace(h.postcode, ' ', '')) END
  FROM membership m JOIN household h USING (household_id);
CREATE TABLE {FEATURES} AS
WITH relatives AS (
  SELECT r.pid,
    {_listed("CASE WHEN r.kind IN ('P', 'C', 'R') THEN r.kind || ':' || r.other END")} AS kin,
    {_listed("CASE WHEN r.kind = 'P' THEN 'P:' || r.other END")} AS parents,
    {_listed("CASE WHEN r.kind = 'C' THEN 'C:' || r.other END")} AS children,
    {_listed("CASE WHEN r.kind = 'R' THEN 'R:' || r.other END")} AS partners,
    {_listed("lower(r.kind) || ':' || o.person_key")} AS kin_keys
  FROM relative r LEFT JOIN person o ON o.unique_id = r.other GROUP BY r.pid
), circles AS (
  SELECT pid, {_listed("CASE WHEN child <> pid THEN child END")} AS circle FROM circle GROUP BY pid
), homes AS (
  SELECT pid, {_listed("home")} AS homes, {_listed("postcode")} AS postcodes FROM home GROUP BY pid
)
SELECT p.* EXCLUDE (family_parts, person_key),
  CASE WHEN p.family_parts IS NOT NULL THEN string_split(p.family_parts, '{_PARTS}') END AS family_parts,
  h.homes, h.homes[1] AS home, h.postcodes,
  r.kin, r.parents, r.children, r.partners, r.kin_keys, c.circle
FROM person p LEFT JOIN relatives r ON r.pid = p.unique_id LEFT JOIN homes h ON h.pid = p.unique_id
LEFT JOIN circles c ON c.pid = p.unique_id;
DROP TABLE relative; DROP TABLE circle; DROP TABLE home; DROP TABLE person; DROP TABLE membership;
DROP TABLE household; DROP TABLE referral; DROP TABLE mention;
"""


def memory_limit() -> str:
    """DuckDB's memory limit for identity resolution: ``FAMILYNET_IDENTITY_MEMORY_LIMIT`` (a size
    DuckDB reads, such as ``2GB`` or ``500MB``), else :data:`MEMORY_LIMIT`.

    >>> memory_limit() == os.environ.get("FAMILYNET_IDENTITY_MEMORY_LIMIT", MEMORY_LIMIT)
    True
    """
    return os.environ.get("FAMILYNET_IDENTITY_MEMORY_LIMIT") or MEMORY_LIMIT


@contextlib.contextmanager
def engine(limit: str | None = None) -> Iterator[Any]:
    """An in-process DuckDB database held to ``limit`` (default :func:`memory_limit`) that spills
    to a temporary directory of its own (under ``TMPDIR``), removed afterwards."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="familynet-identity-") as spill:
        try:
            db = duckdb.connect(
                config={
                    "memory_limit": limit or memory_limit(),
                    "temp_directory": spill,
                    "preserve_insertion_order": False,
                }
            )
        except duckdb.Error as error:
            # DuckDB's message names only the setting's value, never a record.
            raise ValueError(f"FAMILYNET_IDENTITY_MEMORY_LIMIT: {error}") from None
        try:
            yield db
        except Exception as error:
            # Splink wraps DuckDB's error (with its SQL) in one of its own.
            if isinstance(error, duckdb.OutOfMemoryException) or isinstance(
                error.__cause__, duckdb.OutOfMemoryException
            ):
                raise IdentityError(
                    f"identity resolution needs more memory than FAMILYNET_IDENTITY_MEMORY_LIMIT allows "
                    f"({limit or memory_limit()}): raise it"
                ) from None
            raise
        finally:
            db.close()


@dataclass(frozen=True)
class FeatureFrame:
    """The ``features`` table of every record in ``db`` (a DuckDB connection of :func:`engine`)."""

    db: Any

    @classmethod
    def read(cls, store: Store, db: Any) -> FeatureFrame:
        """Stream every record of ``store`` and the facts its features come from into ``db``, and
        build the ``features`` table."""
        for table, columns in _TABLES.items():
            db.execute(f"CREATE TEMP TABLE {table} ({columns})")
        _load(db, "person", (_person(p) for p in _every(store, "persons", Person)))
        _load(db, "membership", ((m.person_id, m.household_id) for m in _every(store, "household_members", Membership)))
        _load(db, "household", ((h.household_id, h.uprn, h.postcode) for h in _every(store, "households", Household)))
        relationships = _every(store, "relationships", Relationship)
        _load(db, "relationship", ((r.person_id, r.related_person_id, r.type) for r in relationships))
        _load(db, "referral", ((r.referral_id, r.child_id) for r in _every(store, "referrals", Referral)))
        mentions = _every(store, "referral_mentions", Mention)
        _load(db, "mention", ((m.referral_id, m.person_id, m.role) for m in mentions))
        db.execute(_SQL)
        return cls(db)

    def related(self, records: set[str]) -> set[tuple[str, str]]:
        """The pairs of ``records`` a relationship joins (each pair in :func:`~familynet.model.identity.pair` order)."""
        cursor = self.db.execute(
            "SELECT DISTINCT least(person_id, related_person_id), greatest(person_id, related_person_id) "
            "FROM relationship"
        )
        return {(a, b) for a, b in _fetched(cursor) if a in records and b in records}

    def contexts(self, records: set[str]) -> dict[str, Context]:
        """The contexts of ``records`` that the guardrails read: addresses, relatives (parents,
        children, partners: not siblings, which no guardrail reads) and circle."""
        cursor = self.db.execute(f"SELECT unique_id, homes, postcodes, kin, kin_keys, circle FROM {FEATURES}")
        return {
            row[0]: Context(*(set(values or ()) for values in row[1:])) for row in _fetched(cursor) if row[0] in records
        }


def _fetched(cursor: Any) -> Iterator[tuple[Any, ...]]:
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def _every(store: Store, file: str, cls: type[Any]) -> Iterator[Any]:
    return (record for batch in store.facts(file, batch_size=_BATCH) for record in batch if isinstance(record, cls))


def _person(person: Person) -> tuple[Any, ...]:
    row = person_features(person)
    parts = row["family_parts"]
    return (*list(row.values())[:6], None if parts is None else _PARTS.join(parts), *list(row.values())[7:],
            person_key(person))  # fmt: skip


def _load(db: Any, table: str, rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` into ``table``, a batch at a time (as a pandas frame DuckDB scans)."""
    import pandas as pd

    columns = [column.split()[0] for column in _TABLES[table].split(", ")]
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            _insert(db, table, pd.DataFrame(batch, columns=columns, dtype=object))
            batch = []
    if batch:
        _insert(db, table, pd.DataFrame(batch, columns=columns, dtype=object))


def _insert(db: Any, table: str, frame: Any) -> None:
    db.register("batch", frame)
    db.execute(f"INSERT INTO {table} SELECT * FROM batch")
    db.unregister("batch")
