"""API users and the hash-chained access log in the embedded store.

:class:`SQLiteAccounts` is mixed into :class:`~familynet.stores.sqlite.store.SQLiteStore`;
it runs the named queries of ``queries/sqlite/accounts.sql`` over the store's
connection. An append is its own ``BEGIN IMMEDIATE`` transaction, so concurrent
writers (several service workers) serialise on the database lock and the chain
never forks, and it is committed with ``synchronous=FULL`` before it returns.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from familynet.access.auth import Role
from familynet.access.log import GENESIS, AccessEntry, AccessRequest, chain, timestamp
from familynet.errors import StoreError, UserExistsError
from familynet.stores.protocol import User


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _user(row: tuple[Any, ...]) -> User:
    created = _time(row[3])
    assert created is not None
    return User(row[0], Role(row[1]), row[2], created, _time(row[4]))


def _entry(row: tuple[Any, ...]) -> AccessEntry:
    at = _time(row[1])
    assert at is not None
    request = AccessRequest(at, row[2], row[3], row[4], row[5], row[6], tuple(json.loads(row[7])), bool(row[8]), row[9])
    return AccessEntry(row[0], request, row[10], row[11])


class SQLiteAccounts:
    """Users and access log operations over ``_db`` with the named queries ``_sql``."""

    _db: sqlite3.Connection
    _sql: Mapping[str, str]

    def add_user(self, name: str, role: Role, agency_id: str | None, token_hash: str, at: dt.datetime) -> User:
        """Add an API user holding the token with hash ``token_hash``."""
        created = timestamp(at)
        try:
            self._db.execute(self._sql["insert_user"], (name, role.value, agency_id, token_hash, created))
        except sqlite3.IntegrityError as error:
            # Either the name or (astronomically unlikely) the token hash is taken.
            raise UserExistsError("a user with that name already exists") from error
        return User(name, role, agency_id, dt.datetime.fromisoformat(created))

    def revoke_user(self, name: str, at: dt.datetime) -> bool:
        """Revoke a user's token; False when there is no such active user."""
        return self._db.execute(self._sql["revoke_user"], (name, timestamp(at))).rowcount == 1

    def users(self) -> list[User]:
        """Every user, revoked ones included, by name."""
        return [_user(row) for row in self._db.execute(self._sql["users"])]

    def user_by_token_hash(self, token_hash: str) -> User | None:
        """The active user whose token has this hash."""
        row = self._db.execute(self._sql["user_by_token_hash"], (token_hash,)).fetchone()
        return None if row is None else _user(row)

    def append_access(self, requests: Sequence[AccessRequest]) -> list[AccessEntry]:
        """Append ``requests`` to the chain and commit them before returning."""
        if not requests:
            return []
        db = self._db
        if db.in_transaction:
            # Entries written inside a load would vanish if the load rolled back.
            raise StoreError("the access log cannot be written inside a load")
        entries = []
        try:
            db.execute("BEGIN IMMEDIATE")
            last = db.execute(self._sql["last_access"]).fetchone()
            sequence, previous = last if last is not None else (0, GENESIS)
            for request in requests:
                sequence += 1
                entry = chain(sequence, request, previous)
                db.execute(self._sql["insert_access"], _row(entry))
                db.executemany(
                    self._sql["insert_access_person"], [(p, sequence) for p in dict.fromkeys(request.person_ids)]
                )
                entries.append(entry)
                previous = entry.entry_hash
            db.execute("COMMIT")
        except BaseException as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise StoreError("the access log could not be written") from error
            raise
        return entries

    def access_entries(
        self,
        *,
        after: int = 0,
        limit: int | None = None,
        user: str | None = None,
        person_id: str | None = None,
    ) -> list[AccessEntry]:
        """Entries with a sequence above ``after``, in order, optionally filtered."""
        params = (after, user, person_id, -1 if limit is None else limit)
        return [_entry(row) for row in self._db.execute(self._sql["access_entries"], params)]


def _row(entry: AccessEntry) -> tuple[Any, ...]:
    r = entry.request
    return (
        entry.sequence,
        timestamp(r.at),
        r.user,
        r.role,
        r.agency_id,
        r.purpose,
        r.operation,
        json.dumps(list(r.person_ids)),
        int(r.allowed),
        r.correlation_id,
        entry.previous_hash,
        entry.entry_hash,
    )
