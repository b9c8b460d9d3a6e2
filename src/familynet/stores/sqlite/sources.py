"""The sources of imported facts in the embedded store (``schema/sqlite/011_fact_sources.sql``).

:class:`SQLiteSources` is mixed into :class:`~familynet.stores.sqlite.store.SQLiteStore`; a
load records its sources itself (:meth:`~familynet.stores.sqlite.store.SQLiteLoad.record_sources`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from operator import attrgetter

from familynet.model.sources import FactSource

#: A source as the row ``insert_fact_source`` takes (``dataclasses.astuple`` deep-copies every field: ten times slower).
_ROW = attrgetter("file", "fact_id", "format", "source_key", "recorded_in")


def insert_sources(db: sqlite3.Connection, sql: Mapping[str, str], sources: Sequence[FactSource]) -> None:
    """Insert ``sources`` in the transaction open on ``db``, in the order of the table's key: each row
    then lands next to the one before instead of at a random page (1.15 million at 200,000 households:
    less than half the time of the source's order)."""
    db.executemany(sql["insert_fact_source"], sorted(map(_ROW, sources)))


class SQLiteSources:
    """Fact sources over ``_db`` with the named queries ``_sql``."""

    _db: sqlite3.Connection
    _sql: Mapping[str, str]

    def fact_sources(self, file: str | None = None) -> list[FactSource]:
        """The sources of the facts of ``file`` (every file: None), in order."""
        if file is None:
            return [FactSource(*row) for row in self._db.execute(self._sql["all_fact_sources"])]
        return [FactSource(*row) for row in self._db.execute(self._sql["fact_sources_of"], (file,))]

    def keep_fact_sources(self, sources: Sequence[FactSource]) -> None:
        """Add ``sources`` (copied from another store) as they are, in one transaction."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            insert_sources(db, self._sql, sources)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
