"""Identity resolution's links, review queue, decisions, record-to-identity map and aliases in
the embedded store.

:class:`SQLiteIdentities` is mixed into :class:`~familynet.stores.sqlite.store.SQLiteStore`; it
runs the named queries of ``queries/sqlite/identity.sql``. A set of changes is one
``BEGIN IMMEDIATE`` transaction: a resolution or a decision lands whole or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

from familynet.errors import StoreError
from familynet.model.identity import IdentityChanges, IdentityState
from familynet.model.records import Record
from familynet.stores.identity_records import contact_children, identity_records
from familynet.stores.identity_rows import (
    alias_from_row,
    alias_row,
    candidate_from_row,
    candidate_row,
    decision_from_row,
    decision_row,
    link_from_row,
    link_row,
)
from familynet.stores.rows import Row, json_ids


class SQLiteIdentities:
    """Identity operations over ``_db`` with the named queries ``_sql``."""

    _db: sqlite3.Connection
    _sql: Mapping[str, str]

    def identity_state(self) -> IdentityState:
        """Every link, candidate, decision, membership and alias the store holds."""
        db, sql = self._db, self._sql
        return IdentityState(
            links=tuple(link_from_row(row) for row in db.execute(sql["identity_links"])),
            candidates=tuple(candidate_from_row(row) for row in db.execute(sql["identity_candidates"])),
            decisions=tuple(decision_from_row(row) for row in db.execute(sql["identity_decisions"])),
            members=dict(db.execute(sql["identity_members"]).fetchall()),
            aliases=tuple(alias_from_row(row) for row in db.execute(sql["identity_aliases"])),
        )

    def identity_state_of(self, person_ids: Collection[str]) -> IdentityState:
        """The candidates and decisions naming ``person_ids``, and the identities of their records."""
        db, sql, ids = self._db, self._sql, json_ids(person_ids)
        candidates = tuple(candidate_from_row(row) for row in db.execute(sql["identity_candidates_of"], ids * 2))
        named = json_ids({r for c in candidates for r in c.pair})
        return IdentityState(
            candidates=candidates,
            decisions=tuple(decision_from_row(row) for row in db.execute(sql["identity_decisions_of"], ids * 2)),
            members=dict(db.execute(sql["identity_members_of"], named).fetchall()),
        )

    def identity_state_around(self, person_ids: Collection[str]) -> IdentityState:
        """The links, candidates and decisions naming ``person_ids``, and every record of their identities."""
        db, sql, ids = self._db, self._sql, json_ids(person_ids)
        return IdentityState(
            links=tuple(link_from_row(row) for row in db.execute(sql["identity_links_of"], ids * 2)),
            candidates=tuple(candidate_from_row(row) for row in db.execute(sql["identity_candidates_of"], ids * 2)),
            decisions=tuple(decision_from_row(row) for row in db.execute(sql["identity_decisions_of"], ids * 2)),
            members=self.identities_of(person_ids),
        )

    def identity_totals(self) -> tuple[int, int, int, int]:
        """Records, records named after another, the model's links, and the review queue."""
        records, merged, auto, queued = self._db.execute(self._sql["identity_totals"]).fetchone()
        return records, merged, auto, queued

    def identities_of(self, person_ids: Collection[str]) -> dict[str, str]:
        """Every record of the identities of ``person_ids``, to its identity id."""
        return dict(self._db.execute(self._sql["identities_of"], json_ids(person_ids)).fetchall())

    def identity_records(self, person_ids: Collection[str]) -> list[Record]:
        """What identity resolution compares of the records ``person_ids``."""
        return identity_records(self._fetch, person_ids)

    def contact_children(self, referral_ids: Collection[str]) -> dict[str, str]:
        """The child of each stored contact or referral of ``referral_ids``."""
        return contact_children(self._fetch, referral_ids)

    def _fetch(self, name: str, ids: Iterable[str]) -> list[Row]:
        return self._db.execute(self._sql[name], json_ids(ids)).fetchall()

    def replace_identity_keys(self, records: Collection[str] | None, keys: Iterable[tuple[int, str]]) -> None:
        """Replace the blocking keys of ``records`` (None: every record's) by ``keys``."""
        db, sql = self._db, self._sql

        def write() -> None:
            if records is None:
                db.execute(sql["delete_identity_keys"])
            else:
                db.execute(sql["delete_identity_keys_of"], json_ids(records))
            db.executemany(sql["insert_identity_key"], keys)

        self._transaction(write, "the blocking keys could not be written")

    def identity_keys(self, *, batch_size: int = 100_000) -> Iterator[list[tuple[int, str]]]:
        """Every stored blocking key, ``(key, record)`` rows, ``batch_size`` at a time."""
        cursor = self._db.execute(self._sql["identity_keys"])
        while rows := cursor.fetchmany(batch_size):
            yield [(key, record) for key, record in rows]

    def persons_with_identity_keys(self, keys: Collection[int]) -> set[str]:
        """The records holding any of ``keys``."""
        return {row[0] for row in self._db.execute(self._sql["persons_with_identity_keys"], (json.dumps(list(keys)),))}

    def lacks_identity_keys(self, besides: Collection[str]) -> bool:
        """Whether a record other than ``besides`` holds no blocking key."""
        sql = self._sql["a_record_without_identity_keys"]
        return self._db.execute(sql, (json.dumps(list(besides)),)).fetchone() is not None

    def identity_key_counts(self, keys: Collection[int]) -> dict[int, int]:
        """How many records hold each of ``keys``."""
        return dict(self._db.execute(self._sql["identity_key_counts"], (json.dumps(list(keys)),)).fetchall())

    def person_first_loads(self, person_ids: Collection[str] | None = None) -> dict[str, int]:
        """The load that first recorded each stored person of ``person_ids`` (None: every person), by person id."""
        if person_ids is None:
            return dict(self._db.execute(self._sql["person_first_loads"]).fetchall())
        return dict(self._fetch("person_first_loads_of", person_ids))

    def apply_identity_changes(self, changes: IdentityChanges) -> None:
        """Write ``changes`` in one transaction."""
        db, sql = self._db, self._sql

        def write() -> None:
            db.executemany(sql["insert_identity_decision"], map(decision_row, changes.decisions))
            db.executemany(sql["delete_identity_link"], changes.links_removed)
            db.executemany(sql["insert_identity_link"], map(link_row, changes.links_added))
            db.executemany(sql["delete_identity_candidate"], changes.candidates_removed)
            db.executemany(sql["insert_identity_candidate"], map(candidate_row, changes.candidates_added))
            db.executemany(sql["upsert_identity_member"], changes.members.items())
            db.executemany(sql["insert_identity_alias"], map(alias_row, changes.aliases))

        self._transaction(write, "the identities could not be written")

    def _transaction(self, write: Callable[[], object], failure: str) -> None:
        """Run ``write`` in one ``BEGIN IMMEDIATE`` transaction; :class:`StoreError` (``failure``)
        inside a load or when SQLite refuses it."""
        db = self._db
        if db.in_transaction:
            raise StoreError("identities cannot be written inside a load")
        try:
            db.execute("BEGIN IMMEDIATE")
            write()
            db.execute("COMMIT")
        except BaseException as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise StoreError(failure) from error
            raise
