"""API users and the hash-chained access log in the Neo4j store.

:class:`Neo4jAccounts` is mixed into :class:`~familynet.stores.neo4j.store.Neo4jStore`; it runs
the named queries of ``queries/cypher/accounts.cypher``. An append is its own write
transaction that first writes the ``(:AccessLogHead)`` node, whose lock it then holds until
commit, so concurrent writers (several service workers, several hosts) serialise and the
chain never forks; Neo4j makes the commit durable before it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import neo4j
from neo4j.api import BookmarkManager

from familynet.access.auth import Role
from familynet.access.log import GENESIS, AccessEntry, AccessRequest, chain, timestamp
from familynet.errors import StoreError, UserExistsError
from familynet.stores.protocol import User

#: The limit of an unlimited read of the access log.
_NO_LIMIT = 2**62


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _user(row: Sequence[Any]) -> User:
    created = _time(row[3])
    assert created is not None
    return User(row[0], Role(row[1]), row[2], created, _time(row[4]))


def _entry(row: Sequence[Any]) -> AccessEntry:
    at = _time(row[1])
    assert at is not None
    request = AccessRequest(at, row[2], row[3], row[4], row[5], row[6], tuple(row[7]), bool(row[8]), row[9])
    return AccessEntry(row[0], request, row[10], row[11])


def _fields(entry: AccessEntry) -> dict[str, Any]:
    r = entry.request
    return {"sequence": entry.sequence, "at": timestamp(r.at), "user": r.user, "role": r.role,
            "agency_id": r.agency_id, "purpose": r.purpose, "operation": r.operation,
            "person_ids": list(r.person_ids), "allowed": r.allowed, "correlation_id": r.correlation_id,
            "previous_hash": entry.previous_hash, "entry_hash": entry.entry_hash}  # fmt: skip


class Neo4jAccounts:
    """Users and access log operations over ``_driver`` with the named queries ``_cypher``,
    and the sessions every operation of the store runs in."""

    _driver: neo4j.Driver
    _database: str | None
    _cypher: Mapping[str, str]
    _bookmarks: BookmarkManager
    _loading: bool

    def _session(self, access: str) -> neo4j.Session:
        # One bookmark manager for every session of the store: a read sees earlier writes.
        return self._driver.session(
            database=self._database, default_access_mode=access, bookmark_manager=self._bookmarks
        )

    def _run(self, access: str, query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        def work(tx: neo4j.ManagedTransaction) -> list[tuple[Any, ...]]:
            return [tuple(record.values()) for record in tx.run(self._cypher[query], params)]

        with self._session(access) as session:
            if access == neo4j.READ_ACCESS:
                return session.execute_read(work)
            return session.execute_write(work)

    def _read(self, query: str, /, **params: Any) -> list[tuple[Any, ...]]:
        """The rows of the named read query ``query``."""
        return self._run(neo4j.READ_ACCESS, query, params)

    def _write(self, query: str, /, **params: Any) -> list[tuple[Any, ...]]:
        """The rows of the named write query ``query``, committed."""
        return self._run(neo4j.WRITE_ACCESS, query, params)

    def add_user(self, name: str, role: Role, agency_id: str | None, token_hash: str, at: dt.datetime) -> User:
        """Add an API user holding the token with hash ``token_hash``."""
        created = timestamp(at)
        try:
            self._write("insert_user", name=name, role=role.value, agency_id=agency_id, token_hash=token_hash,
                        created_at=created)  # fmt: skip
        except neo4j.exceptions.ConstraintError as error:
            # Either the name or (astronomically unlikely) the token hash is taken.
            raise UserExistsError("a user with that name already exists") from error
        return User(name, role, agency_id, dt.datetime.fromisoformat(created))

    def revoke_user(self, name: str, at: dt.datetime) -> bool:
        """Revoke a user's token; False when there is no such active user."""
        return bool(self._write("revoke_user", name=name, at=timestamp(at))[0][0] == 1)

    def users(self) -> list[User]:
        """Every user, revoked ones included, by name."""
        return [_user(row) for row in self._read("users")]

    def user_by_token_hash(self, token_hash: str) -> User | None:
        """The active user whose token has this hash."""
        rows = self._read("user_by_token_hash", token_hash=token_hash)
        return _user(rows[0]) if rows else None

    def append_access(self, requests: Sequence[AccessRequest]) -> list[AccessEntry]:
        """Append ``requests`` to the chain and commit them before returning."""
        if not requests:
            return []
        if self._loading:
            # As in the embedded store: reads logged while a load runs belong after it, and a
            # caller that logs from inside a load has its steps in the wrong order.
            raise StoreError("the access log cannot be written inside a load")
        at = timestamp(dt.datetime.now(dt.UTC))

        def work(tx: neo4j.ManagedTransaction) -> list[AccessEntry]:
            # A retried transaction starts again from the head, so it chains afresh.
            sequence, previous = tx.run(self._cypher["lock_access_log"], genesis=GENESIS, at=at).single(strict=True)
            entries = []
            for request in requests:
                sequence += 1
                entries.append(chain(sequence, request, previous))
                previous = entries[-1].entry_hash
            rows = [{"fields": _fields(e), "person_ids": list(dict.fromkeys(e.request.person_ids))} for e in entries]
            tx.run(self._cypher["insert_access"], entries=rows).consume()
            tx.run(self._cypher["move_access_head"], sequence=sequence, entry_hash=previous).consume()
            return entries

        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                return session.execute_write(work)
        except neo4j.exceptions.Neo4jError as error:
            raise StoreError("the access log could not be written") from error

    def access_entries(
        self,
        *,
        after: int = 0,
        limit: int | None = None,
        user: str | None = None,
        person_id: str | None = None,
    ) -> list[AccessEntry]:
        """Entries with a sequence above ``after``, in order, optionally filtered."""
        rows = self._read("access_entries", after=after, user=user, person_id=person_id,
                          limit=_NO_LIMIT if limit is None else limit)  # fmt: skip
        return [_entry(row) for row in rows]
