"""The previous versions of persons, memberships and relationships in the embedded store.

:class:`SQLiteHistory` is mixed into :class:`~familynet.stores.sqlite.store.SQLiteStore`. The
versions themselves are kept by the triggers of ``schema/sqlite/006_history.sql``, in the
transaction of the write that replaces them; this reads them, and writes those copied from
another store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence

from familynet.model.history import PreviousVersion
from familynet.stores.rows import json_ids
from familynet.stores.versions import version_values

_Row = tuple[str, str, str | None, str, str | None, str | None, str | None, str | None]


def _version(row: _Row) -> PreviousVersion:
    file, person_id, related, fact, *provenance = row
    return PreviousVersion(file, person_id, related, version_values(file, json.loads(fact)), *provenance)


class SQLiteHistory:
    """Previous versions over ``_db`` with the named queries ``_sql``."""

    _db: sqlite3.Connection
    _sql: Mapping[str, str]

    def previous_versions(self, person_ids: Collection[str] | None = None) -> list[PreviousVersion]:
        """The previous versions of the facts about ``person_ids`` (every one: None), oldest first."""
        if person_ids is None:
            return [_version(row) for row in self._db.execute(self._sql["all_previous_versions"])]
        return [_version(row) for row in self._db.execute(self._sql["previous_versions_of"], json_ids(person_ids))]

    def keep_previous_versions(self, versions: Sequence[PreviousVersion]) -> None:
        """Add ``versions`` (copied from another store) as they are, in one transaction."""
        rows = [
            (v.file, v.person_id, v.related_person_id, json.dumps(dict(v.values), ensure_ascii=False),
             v.recorded_in, v.recorded_at, v.replaced_in, v.replaced_at)
            for v in versions
        ]  # fmt: skip
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(self._sql["insert_previous_version"], rows)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
