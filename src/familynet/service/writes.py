"""Mutations off the event loop: the store work of each runs in a thread with a store of its own.

A write waits for the store's write lock: SQLite's, held by another worker's mutation, a
bundle load or any process with the file open in a write transaction; on Neo4j, the load
lock and the locks of the nodes it changes. Run from the event loop, that wait (up to the
store's lock timeout) held up every other request of the worker, down to ``{ __typename }``
and ``/health``. :class:`Writes` runs the store calls of a mutation (the checks that read
the store, then the load) in one thread of the worker, over a store connection opened in
that thread (SQLite connections belong to the thread that opened them), while the loop
goes on serving. One thread is enough: writes take the one write lock in turn anyway,
and a second mutation of the worker waits for the first here as it would for the lock.

How long a write may wait is the store's own bound: SQLite's busy timeout
(:data:`familynet.stores.sqlite.store.BUSY_TIMEOUT_MS`), after which the write fails and
changes nothing; on Neo4j the server's lock acquisition timeout. The loop does not give up
on a write earlier than the store does: a write abandoned by its request could still
commit, and its caller would have been told it did not.

The access log is written as before, through the group commit's own thread, before the
mutation runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from familynet.stores.protocol import Store

R = TypeVar("R")


class Writes:
    """The writes of one worker, one at a time, in a thread with a store that ``open_store`` opens there."""

    def __init__(self, open_store: Callable[[], Store]) -> None:
        self._open_store = open_store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="familynet-write")
        self._store: Store | None = None

    async def run(self, write: Callable[[Store], R]) -> R:
        """``write(store)`` in the writing thread, with its store; the loop serves meanwhile."""
        return await asyncio.wrap_future(self._pool.submit(self._in_thread, write))

    def close(self) -> None:
        """Close the thread's store in that thread, after the write under way, and stop the thread."""
        try:
            self._pool.submit(self._close_store).result()
        finally:
            self._pool.shutdown(wait=True)

    def _in_thread(self, write: Callable[[Store], R]) -> R:
        if self._store is None:
            self._store = self._open_store()
        return write(self._store)

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
