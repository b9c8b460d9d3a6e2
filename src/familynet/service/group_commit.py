"""Group commit of the access log: concurrent requests' entries in one transaction, one fsync.

Every read is appended to the access log and committed durably (SQLite
``synchronous=FULL``: an fsync) before its data is returned. Appended one request
at a time from the event loop, the fsync stopped the worker for every request,
and the log's write lock made the appends of all workers wait for each other,
so the disk, not the CPU, set the rate. :class:`GroupCommit` appends from a
thread of its own, over a store connection of its own, so the event loop keeps
serving while the disk syncs; the requests whose entries arrive during one
commit go together into the next, as one ``append_access`` call (one
transaction, one fsync, one unbroken stretch of the hash chain).

Each request still waits for its own entries: :meth:`GroupCommit.append` returns
once the transaction that holds them is committed, and raises if it failed (then
every request of that batch fails, as none of them was logged). Across worker
processes the store's own transaction (``BEGIN IMMEDIATE``, read the last entry,
append) keeps one chain, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from familynet.access.log import AccessRequest
from familynet.stores.protocol import Store


class GroupCommit:
    """Appends access log entries from one thread, each batch of waiting requests in one transaction.

    Make it with :meth:`start` in the event loop it serves; :meth:`close` it when done.
    """

    def __init__(self, executor: ThreadPoolExecutor, store: Store) -> None:
        self._executor = executor
        self._store = store
        self._waiting: list[tuple[Sequence[AccessRequest], asyncio.Future[None]]] = []
        self._committing: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, open_store: Callable[[], Store]) -> GroupCommit:
        """A group commit over a store that ``open_store`` opens in the writing thread (where it
        is used, and closed, alone: SQLite connections belong to the thread that made them)."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="familynet-access-log")
        try:
            store = await asyncio.get_running_loop().run_in_executor(executor, open_store)
        except BaseException:
            executor.shutdown()
            raise
        return cls(executor, store)

    async def append(self, requests: Sequence[AccessRequest]) -> None:
        """Append ``requests`` to the log; return once they are committed."""
        loop = asyncio.get_running_loop()
        committed: asyncio.Future[None] = loop.create_future()
        self._waiting.append((requests, committed))
        if self._committing is None:
            self._committing = loop.create_task(self._commit_all())
        await committed

    async def _commit_all(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                entries = [request for requests, _ in batch for request in requests]
                try:
                    await loop.run_in_executor(self._executor, self._store.append_access, entries)
                except Exception as error:
                    for _, committed in batch:
                        if not committed.done():  # a request may have been cancelled meanwhile
                            committed.set_exception(error)
                except BaseException:
                    for _, committed in batch:
                        committed.cancel()  # no waiter is left waiting for a commit that will not come
                    raise
                else:
                    for _, committed in batch:
                        if not committed.done():
                            committed.set_result(None)
        finally:
            self._committing = None

    def close(self) -> None:
        """Close the store in its thread, after any commit under way, and stop the thread."""
        try:
            self._executor.submit(self._store.close).result()
        finally:
            self._executor.shutdown()
