"""A load's writes on a thread of their own, while the next batch is read and checked.

SQLite runs a statement without Python's global interpreter lock, and the SQLite store
writes a batch's new facts in one statement per table (so does the Neo4j driver wait for
the server without it), so while one batch's rows go into the store the caller reads,
parses and checks the next one, on the machine's second core.
One batch is in flight at a time, so memory stays flat. Every read of the store waits for
it first: reads see every earlier write of the load, one thread at a time uses the load,
and the batch's error is raised to the caller there, or when the load ends. The load
stays one transaction: all or nothing, as before.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from familynet.bundle.report import FileReport
from familynet.model.records import Record, Referral
from familynet.stores.protocol import LoadWriter, PersonFacts, WriteCounts


class BackgroundWriter:
    """The reads of a :class:`~familynet.stores.protocol.LoadWriter`, and its writes run on
    a thread of their own, one batch at a time, each counted into its file's report."""

    def __init__(self, writer: LoadWriter, executor: ThreadPoolExecutor) -> None:
        self._writer = writer
        self._executor = executor
        self._in_flight: tuple[Future[WriteCounts], FileReport] | None = None

    def known_ids(self, file: str, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` the store holds for ``file``, once the batch in flight is written."""
        self.wait()
        return self._writer.known_ids(file, ids)

    def person_facts(self, ids: Collection[str]) -> dict[str, PersonFacts]:
        """The stored facts of the persons among ``ids``, once the batch in flight is written."""
        self.wait()
        return self._writer.person_facts(ids)

    def stored_referrals(self, ids: Collection[str]) -> dict[str, Referral]:
        """The stored referrals among ``ids``, once the batch in flight is written."""
        self.wait()
        return self._writer.stored_referrals(ids)

    def submit(self, records: Sequence[Record], report: FileReport) -> None:
        """Write ``records`` (of one class) on the writer's thread, once the batch in flight is written."""
        self.wait()
        self._in_flight = (self._executor.submit(self._writer.write, records), report)

    def wait(self) -> None:
        """Wait for the batch in flight and count it, or raise its error."""
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            future, report = in_flight
            report.written = report.written + future.result()


@contextmanager
def background_writes(writer: LoadWriter) -> Iterator[BackgroundWriter]:
    """Write a load's batches on a thread of their own; every write is done (or its error
    raised) when this ends, and on an error the batch in flight finishes before the load
    rolls back, so that the store is never used by two threads at once."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="familynet-writes") as executor:
        background = BackgroundWriter(writer, executor)
        yield background
        background.wait()
