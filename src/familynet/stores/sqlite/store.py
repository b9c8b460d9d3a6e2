"""The embedded store: one SQLite file in WAL mode, implementing :class:`~familynet.stores.protocol.Store`.

The schema lives in ``schema/sqlite/`` as numbered migrations applied on open;
every statement the store runs is a named query from ``queries/sqlite/``. A load
is one ``BEGIN IMMEDIATE`` transaction with ``synchronous=FULL``, so a process
killed mid-load leaves the database as it was before the load began.

>>> import tempfile
>>> from familynet.model.records import Agency
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_sqlite(Path(tmp) / "example.db")
...     with store.load("example") as writer:
...         counts = writer.write([Agency("A1", "Children's Services", "social_care")])
...     labels = store.stats().labels
...     store.close()
>>> counts, labels["Agency"]
(WriteCounts(inserted=1, updated=0, unchanged=0), 1)
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from pathlib import Path

import networkx as nx

from familynet.errors import NotFoundError, SchemaVersionError, StoreError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.model.dates import PartialDate
from familynet.model.records import FILES, Agency, Assessment, Person, Record, Referral, field_names
from familynet.model.sources import FactSource
from familynet.resources import resource_dir
from familynet.stores.cohort import cohort_batches, cohort_mentions
from familynet.stores.extraction import MentionsKept, extract
from familynet.stores.name_search import name_key, name_score
from familynet.stores.protocol import (
    DEFAULT_HOPS,
    LoadSummary,
    LoadWriter,
    PersonFacts,
    PersonMatch,
    Stats,
    WriteCounts,
)
from familynet.stores.queries import queries
from familynet.stores.rows import (
    Row,
    json_ids,
    person_from_row,
    record_from_row,
    referral_from_row,
    stored_date,
    stored_partial_date,
)
from familynet.stores.sqlite.accounts import SQLiteAccounts
from familynet.stores.sqlite.history import SQLiteHistory
from familynet.stores.sqlite.identities import SQLiteIdentities
from familynet.stores.sqlite.sources import SQLiteSources, insert_sources

# Dates are stored as ISO 8601 text; registering the adapters once lets sqlite3
# convert record values in C while it binds them, with no per-row Python.
sqlite3.register_adapter(dt.date, dt.date.isoformat)
# Instants keep their UTC offset (familynet.model.instants); sqlite3's own datetime adapter,
# deprecated, would write a space for the 'T'.
sqlite3.register_adapter(dt.datetime, dt.datetime.isoformat)
# Adapters in Python run once per cell: the few distinct values (a bundle's dates of birth
# repeat; every referral of a file shares one set of supplied facts) are converted once.
sqlite3.register_adapter(PartialDate, lru_cache(maxsize=1 << 16)(str))
# A referral's supplied optional facts, ';'-joined in a fixed order.
sqlite3.register_adapter(frozenset, lru_cache(maxsize=64)(lambda names: ";".join(sorted(names))))

#: How long a statement waits for another connection's write lock before it fails, changing nothing.
BUSY_TIMEOUT_MS = 10_000

RowBuilder = Callable[[int, Sequence[Record]], list[Row]]

_SCHEMA = "sqlite"
_KNOWN_FILES = frozenset({"agencies", "persons", "households", "referrals", "assessments"})
_LABELS = ("Person", "Household", "Agency", "Referral", "Assessment", "Check", "Plan", "Concern")
_RELATIONSHIPS = (
    "PARENT_OF",
    "PARTNER_OF",
    "SIBLING_OF",
    "MEMBER_OF",
    "ABOUT",
    "MENTIONS",
    "FROM",
    "RAISES",
    "OF",
    "FOLLOWS",
    "FOR",
    "TO",
    "CONSIDERED",
)


def _migrations() -> list[tuple[int, str]]:
    found = []
    for path in sorted((resource_dir("schema") / _SCHEMA).glob("*.sql")):
        found.append((int(path.name.split("_", 1)[0]), path.read_text(encoding="utf-8")))
    return sorted(found)


def schema_version() -> int:
    """The schema version this familynet writes: the number of its last migration.

    >>> schema_version() >= 1
    True
    """
    return _migrations()[-1][0]


def _migrate(db: sqlite3.Connection) -> None:
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > schema_version():
        raise SchemaVersionError(
            f"the database has schema version {current}; this familynet knows up to "
            f"{schema_version()}: upgrade familynet"
        )
    for number, script in _migrations():
        if number > current:
            # executescript runs outside any transaction; the explicit one makes each
            # migration and its version stamp land together or not at all.
            try:
                db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
            except sqlite3.Error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _columns(cls: type[Record], records: Sequence[Record]) -> list[Iterator[object]]:
    # Rows are zipped from columns, each read by a C-level map: a tuple per row built
    # in Python costs more than all of it.
    return [map(attrgetter(name), records) for name in field_names(cls)]


def _plain_rows(cls: type[Record]) -> RowBuilder:
    return lambda load_id, records: list(zip(repeat(load_id, len(records)), *_columns(cls, records), strict=True))


def _person_rows(load_id: int, records: Sequence[Record]) -> list[Row]:
    given = map(name_key, map(attrgetter("given_name"), records))
    family = map(name_key, map(attrgetter("family_name"), records))
    return list(zip(repeat(load_id, len(records)), *_columns(Person, records), given, family, strict=True))


def _coded_rows(cls: type[Record], codes: str) -> RowBuilder:
    """Rows of a record class with a tuple of codes, stored ';'-joined in its place."""
    at = field_names(cls).index(codes)

    def rows(load_id: int, records: Sequence[Record]) -> list[Row]:
        columns = _columns(cls, records)
        columns[at] = map(";".join, columns[at])  # type: ignore[arg-type]
        return list(zip(repeat(load_id, len(records)), *columns, strict=True))

    return rows


_ROWS: dict[type[Record], RowBuilder] = {cls: _plain_rows(cls) for cls in FILES}
_ROWS[Person] = _person_rows
_ROWS[Referral] = _coded_rows(Referral, "concerns")
_ROWS[Assessment] = _coded_rows(Assessment, "factors")


def _name_tokens(rows: list[Row]) -> list[Row]:
    # Only names of several tokens need token rows (see schema/sqlite/001_initial.sql).
    return [
        (token, row[1])
        for row in rows
        if " " in row[-2] or " " in row[-1]
        for token in dict.fromkeys(f"{row[-2]} {row[-1]}".split())
    ]


def _codes(position: int) -> Callable[[list[Row]], list[Row]]:
    return lambda rows: [(row[1], code) for row in rows for code in row[position].split(";") if code]


#: Rows of the tables that list a record's values (name tokens, concern and factor codes):
#: the named insert and the rows it takes, built from the record's rows.
_PARTS: dict[type[Record], tuple[str, Callable[[list[Row]], list[Row]]]] = {
    Person: ("insert_person_tokens", _name_tokens),
    Referral: ("insert_referral_concerns", _codes(6)),
    Assessment: ("insert_assessment_factors", _codes(7)),
}


class SQLiteLoad:
    """The write side of one load into a :class:`SQLiteStore`."""

    def __init__(self, db: sqlite3.Connection, sql: Mapping[str, str], load_id: int) -> None:
        self._db = db
        self._sql = sql
        self._load_id = load_id

    @property
    def load_id(self) -> int:
        """The id of this load in the ``loads`` table."""
        return self._load_id

    def known_ids(self, file: str, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` the store already holds for ``file``."""
        if file not in _KNOWN_FILES:
            raise StoreError(f"the store does not look up ids of {file!r}")
        return {row[0] for row in self._db.execute(self._sql[f"known_{file}"], json_ids(ids))}

    def person_facts(self, ids: Collection[str]) -> dict[str, PersonFacts]:
        """Dates of birth and death, sex and confidential marker of the stored persons among ``ids``."""
        return {
            row[0]: PersonFacts(stored_partial_date(row[1]), stored_date(row[2]), row[3], bool(row[4]))
            for row in self._db.execute(self._sql["person_facts"], json_ids(ids))
        }

    def stored_referrals(self, ids: Collection[str]) -> dict[str, Referral]:
        """The stored contacts and referrals among ``ids``, as of this load so far."""
        return {row[0]: referral_from_row(row) for row in self._db.execute(self._sql["referrals_by_id"], json_ids(ids))}

    def write(self, records: Sequence[Record]) -> WriteCounts:
        """Upsert records of one class; a fact whose values are unchanged is not touched."""
        if not records:
            return WriteCounts()
        cls = type(records[0])
        if len(set(map(type, records))) > 1:
            raise StoreError("a write takes records of one class")
        file = FILES[cls]
        rows = _ROWS[cls](self._load_id, records)
        inserted = self._db.executemany(self._sql[f"insert_{file}"], rows).rowcount
        # When every row was new (the usual case in a first load) none can need updating.
        updated = 0
        if inserted < len(rows):
            updated = self._db.executemany(self._sql[f"update_{file}"], rows).rowcount
        if cls in _PARTS:
            # After the update, whose triggers have replaced the parts of changed facts, so
            # inserting the parts of every row adds exactly those of the new ones.
            name, parts = _PARTS[cls]
            self._db.executemany(self._sql[name], parts(rows))
        return WriteCounts(inserted, updated, len(rows) - inserted - updated)

    def record_sources(self, sources: Sequence[FactSource]) -> None:
        """Record where facts of this load were imported from (for facts the store holds)."""
        insert_sources(self._db, self._sql, sources)


class SQLiteStore(SQLiteAccounts, SQLiteIdentities, SQLiteHistory, SQLiteSources):
    """A familynet store in one SQLite database file."""

    def __init__(self, path: Path) -> None:
        self._sql = queries(_SCHEMA)
        self._db = sqlite3.connect(path, isolation_level=None)
        try:
            self._configure()
            _migrate(self._db)
        except BaseException:
            self._db.close()
            raise

    def _configure(self) -> None:
        db = self._db
        if db.execute("PRAGMA journal_mode=WAL").fetchone()[0] != "wal":
            raise StoreError("the database cannot use write-ahead logging")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=FULL")
        # Service workers share the file: wait for another's write rather than fail at once.
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # A larger page cache keeps the indexes of a large load in memory.
        db.execute("PRAGMA cache_size=-131072")
        db.execute("PRAGMA temp_store=MEMORY")
        # A large load grows the write-ahead log; let checkpoints shrink it again.
        db.execute("PRAGMA journal_size_limit=67108864")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def pragmas(self) -> dict[str, object]:
        """The connection's journal mode, foreign key enforcement and synchronous level,
        for diagnostics (``synchronous`` 2 is FULL)."""
        names = ("journal_mode", "foreign_keys", "synchronous")
        return {name: self._db.execute(f"PRAGMA {name}").fetchone()[0] for name in names}

    @contextmanager
    def load(self, source: str) -> Iterator[LoadWriter]:
        """One load as one transaction: committed on a clean exit, rolled back on any exception."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            cursor = db.execute(self._sql["begin_load"], (source, _now()))
            assert cursor.lastrowid is not None
            load_id = cursor.lastrowid
            yield SQLiteLoad(db, self._sql, load_id)
            db.execute(self._sql["finish_load"], (load_id, _now()))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def person(self, person_id: str) -> Person | None:
        """One person by id, or None."""
        row = self._db.execute(self._sql["persons_by_id"], json_ids([person_id])).fetchone()
        return None if row is None else person_from_row(row)

    def persons(self, person_ids: Collection[str]) -> dict[str, Person]:
        """The stored persons among ``person_ids``, by id."""
        rows = self._db.execute(self._sql["persons_by_id"], json_ids(person_ids))
        return {row[0]: person_from_row(row) for row in rows}

    def agencies(self, agency_ids: Collection[str]) -> dict[str, Agency]:
        """The stored agencies among ``agency_ids``, by id."""
        rows = self._db.execute(self._sql["agencies_by_id"], json_ids(agency_ids))
        return {row[0]: Agency(*row) for row in rows}

    def referrals(self, referral_ids: Collection[str]) -> dict[str, Referral]:
        """The stored contacts and referrals among ``referral_ids``, by id."""
        rows = self._db.execute(self._sql["referrals_by_id"], json_ids(referral_ids))
        return {row[0]: referral_from_row(row) for row in rows}

    def search_persons(self, name: str, date_of_birth: PartialDate | None = None, limit: int = 20) -> list[PersonMatch]:
        """Persons with a name token beginning with a token of ``name``, ignoring accents and
        case, and a recorded date of birth compatible with ``date_of_birth`` if given; those
        with most exact token matches first, then by score."""
        tokens = list(dict.fromkeys(name_key(name).split()))
        if not tokens or limit < 1:
            return []
        bounds: tuple[str | None, str | None] = (None, None)
        if date_of_birth is not None:
            bounds = (date_of_birth.earliest().isoformat(), date_of_birth.latest().isoformat())
        scored = []
        for row in self._db.execute(self._sql["search_persons"], (json.dumps(tokens), *bounds)):
            exact, score = name_score(tokens, f"{row[-2]} {row[-1]}".split())
            scored.append((-exact, -score, row[0], row))
        scored.sort(key=lambda s: s[:3])
        return [PersonMatch(person_from_row(row), -score) for _, score, _, row in scored[:limit]]

    def family_network(self, person_id: str, hops: int = DEFAULT_HOPS, *, identities: bool = False) -> nx.MultiDiGraph:
        """The family network within ``hops`` of a person, over identities with ``identities``;
        NotFoundError if there is none."""
        if self.person(person_id) is None:
            raise NotFoundError(f"no person with id {person_id!r}")
        return self._extract({person_id}, hops, identities=identities)

    def cohort(
        self,
        start: dt.date,
        end: dt.date,
        *,
        batch_size: int = 500,
        hops: int = DEFAULT_HOPS,
        mentions: Mentions = True,
        identities: bool = True,
        part: tuple[int, int] = (0, 1),
    ) -> Iterator[CohortBatch]:
        """Stream the subjects of contacts and referrals received in ``[start, end]`` in id
        order, ``batch_size`` at a time, each batch with the union of their family networks
        (without ``MENTIONS`` edges unless ``mentions``, with only the cohort's own with ``"cohort"``),
        each identity one subject and one node unless not ``identities``; with ``part=(k, n)``,
        only the batches whose position is ``k`` modulo ``n``."""
        sql = self._sql["cohort_subjects"]
        kept = cohort_mentions(mentions, start, end)
        return cohort_batches(
            lambda after: self._db.execute(sql, (start, end, after, batch_size)).fetchall(),
            lambda seeds: self._extract(seeds, hops, mentions=kept, identities=identities),
            batch_size,
            self if identities else None,
            part,
        )

    def stats(self) -> Stats:
        """Counts by node label and relationship type (zero for those absent)."""
        labels = dict.fromkeys(_LABELS, 0)
        relationships = dict.fromkeys(_RELATIONSHIPS, 0)
        for kind, name, count in self._db.execute(self._sql["stats"]):
            (labels if kind == "label" else relationships)[name] = count
        return Stats(labels, relationships)

    def last_load(self) -> LoadSummary | None:
        """The most recent finished load, or None before any."""
        row = self._db.execute(self._sql["last_load"]).fetchone()
        return None if row is None else LoadSummary(row[0], row[1], row[2])

    def facts(self, file: str, *, batch_size: int = 10_000) -> Iterator[list[Record]]:
        """Every stored record of the bundle file ``file``, in key order, ``batch_size`` at a time."""
        cls = next((c for c, name in FILES.items() if name == file), None)
        if cls is None:
            raise StoreError(f"no bundle file {file!r}")
        cursor = self._db.execute(self._sql[f"all_{file}"])
        while rows := cursor.fetchmany(batch_size):
            yield [record_from_row(cls, row) for row in rows]

    def _extract(
        self, seeds: set[str], hops: int, *, mentions: MentionsKept = True, identities: bool = False
    ) -> nx.MultiDiGraph:
        return extract(self._db, self._sql, seeds, hops, mentions=mentions, identities=identities)


def open_sqlite(path: Path) -> SQLiteStore:
    """Open (creating and migrating as needed) the SQLite store at ``path``."""
    return SQLiteStore(path)
