"""Identity resolution's links, review queue, decisions, record-to-identity map and aliases in
the embedded store.

:class:`SQLiteIdentities` is mixed into :class:`~familynet.stores.sqlite.store.SQLiteStore`; it
runs the named queries of ``queries/sqlite/identity.sql``. A set of changes is one
``BEGIN IMMEDIATE`` transaction: a resolution or a decision lands whole or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping

from familynet.errors import StoreError
from familynet.model.identity import IdentityChanges, IdentityState
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
from familynet.stores.rows import json_ids


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

    def identities_of(self, person_ids: Collection[str]) -> dict[str, str]:
        """Every record of the identities of ``person_ids``, to its identity id."""
        return dict(self._db.execute(self._sql["identities_of"], json_ids(person_ids)).fetchall())

    def person_first_loads(self) -> dict[str, int]:
        """The load that first recorded each person, by person id."""
        return dict(self._db.execute(self._sql["person_first_loads"]).fetchall())

    def apply_identity_changes(self, changes: IdentityChanges) -> None:
        """Write ``changes`` in one transaction."""
        db, sql = self._db, self._sql
        if db.in_transaction:
            raise StoreError("identities cannot be written inside a load")
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(sql["insert_identity_decision"], map(decision_row, changes.decisions))
            db.executemany(sql["delete_identity_link"], changes.links_removed)
            db.executemany(sql["insert_identity_link"], map(link_row, changes.links_added))
            db.executemany(sql["delete_identity_candidate"], changes.candidates_removed)
            db.executemany(sql["insert_identity_candidate"], map(candidate_row, changes.candidates_added))
            db.executemany(sql["upsert_identity_member"], changes.members.items())
            db.executemany(sql["insert_identity_alias"], map(alias_row, changes.aliases))
            db.execute("COMMIT")
        except BaseException as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise StoreError("the identities could not be written") from error
            raise
