"""Group commit: the entries of concurrent requests go into one append, each request waits for its own."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from familynet.access.log import AccessEntry, AccessRequest, verify_chain
from familynet.errors import StoreError
from familynet.service.group_commit import GroupCommit
from familynet.stores.neo4j.store import open_neo4j
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import SQLiteStore, open_sqlite
from neo4j_server import empty_store, needs_neo4j

AT = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)


def _request(n: int) -> AccessRequest:
    return AccessRequest(AT, "pat", "practitioner", "A1", "s47", "householdContext", (f"P{n}",), True, f"c{n}")


class SlowStore:
    """A real store whose appends are recorded and, while ``hold`` is clear, wait (a slow disk);
    ``fail`` makes them raise, as a full disk would."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.appends: list[list[str]] = []
        self.entered = threading.Event()
        self.hold = threading.Event()
        self.hold.set()
        self.fail = False

    def append_access(self, requests: Sequence[AccessRequest]) -> list[AccessEntry]:
        self.appends.append([r.correlation_id for r in requests])
        self.entered.set()
        self.hold.wait(timeout=30)
        if self.fail:
            raise StoreError("the access log could not be written")
        return self.store.append_access(requests)

    def close(self) -> None:
        self.store.close()


def _run(db: Path, scenario: Any) -> SlowStore:
    """Run ``scenario(group_commit, store)`` in a fresh event loop over a slow store on ``db``."""
    opened: list[SlowStore] = []

    def open_store() -> SlowStore:
        opened.append(SlowStore(open_sqlite(db)))
        return opened[0]

    async def main() -> None:
        group_commit = await GroupCommit.start(open_store)  # type: ignore[arg-type]
        try:
            await scenario(group_commit, opened[0])
        finally:
            group_commit.close()

    asyncio.run(main())
    return opened[0]


def _entries(db: Path) -> list[AccessEntry]:
    store = open_sqlite(db)
    try:
        return store.access_entries()
    finally:
        store.close()


def test_requests_waiting_together_share_one_append(tmp_path: Path) -> None:
    db = tmp_path / "familynet.db"

    async def scenario(group_commit: GroupCommit, _: SlowStore) -> None:
        await asyncio.gather(*(group_commit.append([_request(n)]) for n in range(10)))

    store = _run(db, scenario)
    assert store.appends == [[f"c{n}" for n in range(10)]]
    entries = _entries(db)
    assert [e.request.correlation_id for e in entries] == [f"c{n}" for n in range(10)]
    assert verify_chain(entries).ok


def test_requests_arriving_during_a_commit_go_into_the_next(tmp_path: Path) -> None:
    db = tmp_path / "familynet.db"
    finished: list[str] = []

    async def append(n: int) -> None:
        await group_commit_of[0].append([_request(n)])
        finished.append(f"c{n}")

    group_commit_of: list[GroupCommit] = []

    async def scenario(group_commit: GroupCommit, store: SlowStore) -> None:
        group_commit_of.append(group_commit)
        store.hold.clear()
        first = asyncio.create_task(append(0))
        await asyncio.to_thread(store.entered.wait, 30)  # the first commit is under way, and held
        later = [asyncio.create_task(append(n)) for n in (1, 2, 3)]
        await asyncio.sleep(0.05)
        assert finished == [], "nobody returns before their commit"
        store.hold.set()
        await asyncio.gather(first, *later)

    store = _run(db, scenario)
    assert store.appends == [["c0"], ["c1", "c2", "c3"]]
    assert finished == ["c0", "c1", "c2", "c3"]
    assert verify_chain(_entries(db)).ok


def test_a_failed_commit_fails_every_request_in_it_and_the_next_one_is_written(tmp_path: Path) -> None:
    db = tmp_path / "familynet.db"

    async def scenario(group_commit: GroupCommit, store: SlowStore) -> None:
        store.fail = True
        results = await asyncio.gather(*(group_commit.append([_request(n)]) for n in range(3)), return_exceptions=True)
        assert [type(r) for r in results] == [StoreError] * 3
        store.fail = False
        await group_commit.append([_request(9)])

    _run(db, scenario)
    assert [e.request.correlation_id for e in _entries(db)] == ["c9"]


def test_the_store_is_opened_and_closed_in_the_writing_thread(tmp_path: Path) -> None:
    db = tmp_path / "familynet.db"
    threads: list[str] = []

    def open_store() -> SQLiteStore:
        threads.append(threading.current_thread().name)
        return open_sqlite(db)

    async def main() -> None:
        group_commit = await GroupCommit.start(open_store)
        # SQLite refuses a connection from another thread: this append and close would raise.
        await group_commit.append([_request(1)])
        group_commit.close()

    asyncio.run(main())
    assert threads[0].startswith("familynet-access-log")
    assert threading.current_thread().name not in threads
    assert len(_entries(db)) == 1


def test_a_store_that_cannot_be_opened_fails_the_start(tmp_path: Path) -> None:
    def broken() -> SQLiteStore:
        raise StoreError("there is no database here")

    with pytest.raises(StoreError):
        asyncio.run(GroupCommit.start(broken))


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("neo4j", marks=needs_neo4j)])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    """Opens a new connection to one fresh store, SQLite or Neo4j, each time it is called."""
    if request.param == "sqlite":
        path = tmp_path / "familynet.db"
        open_sqlite(path).close()
        return lambda: open_sqlite(path)
    target = request.getfixturevalue("neo4j_target")
    empty_store(target).close()
    return lambda: open_neo4j(target.uri, target.user, target.password)


def test_group_commit_keeps_one_chain_on_either_store(opener: Callable[[], Store]) -> None:
    async def main() -> None:
        group_commit = await GroupCommit.start(opener)
        try:
            await asyncio.gather(*(group_commit.append([_request(n), _request(n + 100)]) for n in range(5)))
            await group_commit.append([_request(9)])
        finally:
            group_commit.close()

    asyncio.run(main())
    store = opener()
    try:
        entries = store.access_entries()
    finally:
        store.close()
    expected = [f"c{i}" for n in range(5) for i in (n, n + 100)] + ["c9"]
    assert [e.request.correlation_id for e in entries] == expected
    assert verify_chain(entries).ok
