"""Long reads off the event loop: audits run in threads of their own, bounded in time and number.

A worker serves every request from one event loop, so a read that takes seconds (an
audit over years of referrals) would hold up every other request of that worker,
down to ``{ __typename }`` and ``/health``. :class:`LongReads` runs such a read in a
thread with its own store connection (SQLite connections belong to the thread that
opened them; each thread opens one when it first runs a read), while the loop goes on
serving. It bounds them:

- **in number**: at most ``concurrency`` run at once in a worker; one more is refused at
  once ("too many audits are running"), rather than queued behind the others while its
  client waits;
- **in time**: a read that has run ``timeout`` seconds is answered with an error, and
  stops at its next cohort batch (a thread cannot be killed, so the store it reads tells
  it to stop); its slot is free once it has stopped.

The access log is still written first, from the loop, before the read starts and before
any row is returned.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar, cast

from familynet.errors import FamilynetError
from familynet.model.cohort import CohortBatch
from familynet.settings import DEFAULT_AUDIT_CONCURRENCY, DEFAULT_AUDIT_TIMEOUT_SECONDS
from familynet.stores.protocol import Store

R = TypeVar("R")


class LongReadRefused(FamilynetError):
    """A long read was refused: too many running, or it ran out of time."""


class _Stopped(Exception):
    """Raised inside a read's thread at a batch boundary once its time is up."""


class _Stoppable:
    """A store whose cohort stops between batches once ``stop`` is set; everything else is the store's."""

    def __init__(self, store: Store, stop: threading.Event) -> None:
        self._store = store
        self._stop = stop

    def cohort(self, *args: Any, **kwargs: Any) -> Iterator[CohortBatch]:
        for batch in self._store.cohort(*args, **kwargs):
            if self._stop.is_set():
                raise _Stopped
            yield batch

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class LongReads:
    """The long reads of one worker: a pool of ``concurrency`` threads, each with its own store."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        *,
        timeout: float = DEFAULT_AUDIT_TIMEOUT_SECONDS,
        concurrency: int = DEFAULT_AUDIT_CONCURRENCY,
    ) -> None:
        self.timeout = timeout
        self.concurrency = concurrency
        self._open_store = open_store
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="familynet-long-read")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._running = 0

    async def run(self, read: Callable[[Store], R]) -> R:
        """``read(store)`` in a thread of the pool, with that thread's store; refused when
        ``concurrency`` reads are running, an error after ``timeout`` seconds."""
        with self._lock:
            if self._running >= self.concurrency:
                raise LongReadRefused(
                    f"too many audits are running on this worker (at most {self.concurrency}); try again shortly"
                )
            self._running += 1
        stop = threading.Event()
        try:
            future: Future[R] = self._pool.submit(self._in_thread, read, stop)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(lambda _: self._release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except asyncio.CancelledError:
            stop.set()  # the client went away: the read stops at its next batch too
            raise
        except TimeoutError:
            stop.set()
            raise LongReadRefused(
                f"the audit took longer than {self.timeout:g} seconds and was stopped; "
                "ask for a shorter period, or ask an administrator to raise FAMILYNET_AUDIT_TIMEOUT_SECONDS"
            ) from None

    def close(self) -> None:
        """Wait for the reads running, then close each thread's store in that thread (SQLite
        refuses a connection closed from another) and stop the threads."""
        # Each closing task waits for all the others, so each runs in a thread of its own.
        barrier = threading.Barrier(self.concurrency)

        def close_own() -> None:
            barrier.wait()
            store: Store | None = getattr(self._local, "store", None)
            if store is not None:
                store.close()

        for closing in [self._pool.submit(close_own) for _ in range(self.concurrency)]:
            closing.result()
        self._pool.shutdown(wait=True)

    def _in_thread(self, read: Callable[[Store], R], stop: threading.Event) -> R:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._open_store()
            self._local.store = store
        try:
            return read(cast(Store, _Stoppable(store, stop)))
        except _Stopped:
            raise LongReadRefused("stopped: out of time") from None

    def _release(self) -> None:
        with self._lock:
            self._running -= 1
