"""API users and the access log, on every store."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from familynet.access.auth import Role, new_token, token_hash
from familynet.access.log import AccessRequest, verify_chain
from familynet.errors import StoreError, UserExistsError
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite

AT = dt.datetime(2025, 6, 30, 9, 30, tzinfo=dt.UTC)


def _request(user: str = "alice", persons: tuple[str, ...] = ("P1",), allowed: bool = True) -> AccessRequest:
    return AccessRequest(
        AT, user, "practitioner", "A1", "strategy meeting", "householdContext", persons, allowed, "c-1"
    )


def test_a_user_is_found_by_the_hash_of_their_token_until_revoked(store: Store) -> None:
    token = new_token()
    added = store.add_user("alice", Role.PRACTITIONER, "A1", token_hash(token), AT)
    assert (added.name, added.role, added.agency_id, added.created_at) == ("alice", Role.PRACTITIONER, "A1", AT)
    found = store.user_by_token_hash(token_hash(token))
    assert found == added
    assert store.user_by_token_hash(token_hash(new_token())) is None
    assert store.revoke_user("alice", AT + dt.timedelta(days=1))
    assert not store.revoke_user("alice", AT + dt.timedelta(days=2))
    assert store.user_by_token_hash(token_hash(token)) is None
    (listed,) = store.users()
    assert listed.revoked_at == AT + dt.timedelta(days=1)


def test_a_user_name_is_taken_once(store: Store) -> None:
    store.add_user("alice", Role.AUDITOR, None, token_hash(new_token()), AT)
    with pytest.raises(UserExistsError, match="already exists"):
        store.add_user("alice", Role.ADMIN, None, token_hash(new_token()), AT)
    assert [u.role for u in store.users()] == [Role.AUDITOR]


def test_appended_entries_chain_and_read_back_exactly(store: Store) -> None:
    first = store.append_access([_request(), _request("bob", ("P2", "P3"), allowed=False)])
    second = store.append_access([_request(persons=("P3",))])
    entries = store.access_entries()
    assert entries == first + second
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[1].previous_hash == entries[0].entry_hash
    assert verify_chain(entries).ok
    assert entries[1].request == _request("bob", ("P2", "P3"), allowed=False)


def test_entries_are_filtered_by_user_person_and_position(store: Store) -> None:
    store.append_access([_request("alice", ("P1",)), _request("bob", ("P2", "P1")), _request("alice", ("P2",))])
    assert [e.sequence for e in store.access_entries(user="alice")] == [1, 3]
    assert [e.sequence for e in store.access_entries(person_id="P1")] == [1, 2]
    assert [e.sequence for e in store.access_entries(after=1, limit=1)] == [2]
    assert store.access_entries(person_id="P9") == []


def test_the_access_log_refuses_updates_and_deletes(tmp_path: Path) -> None:
    store = open_sqlite(tmp_path / "f.db")
    store.append_access([_request()])
    store.close()
    db = sqlite3.connect(tmp_path / "f.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE access_log SET purpose = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM access_log")
    db.close()


def test_an_edit_made_around_the_triggers_breaks_the_chain(tmp_path: Path) -> None:
    store = open_sqlite(tmp_path / "f.db")
    store.append_access([_request(), _request("bob"), _request("carol")])
    store.close()
    db = sqlite3.connect(tmp_path / "f.db")
    db.execute("DROP TRIGGER access_log_no_update")
    db.execute("UPDATE access_log SET user = 'mallory' WHERE sequence = 2")
    db.commit()
    db.close()
    store = open_sqlite(tmp_path / "f.db")
    check = verify_chain(store.access_entries())
    store.close()
    assert (check.entries, check.first_broken) == (2, 2)


def test_the_access_log_is_not_written_inside_a_load(store: Store) -> None:
    with store.load("test"), pytest.raises(StoreError, match="inside a load"):
        store.append_access([_request()])
    assert store.access_entries() == []


def test_times_without_a_zone_are_refused(store: Store) -> None:
    naive = AccessRequest(dt.datetime(2025, 1, 1), "u", "auditor", None, None, "op", (), True, "c")
    with pytest.raises(ValueError, match="time zone"):
        store.append_access([_request(), naive])
    assert store.access_entries() == []
    assert [e.sequence for e in store.append_access([_request()])] == [1]
