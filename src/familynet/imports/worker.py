"""Reading and mapping a source in a second process while this one checks and writes.

An import spends its time in two halves that need nothing from each other but the rows: reading
and mapping the source's tables, and checking and writing the bundle rows. :class:`Worker` runs
the first half of any :class:`~familynet.imports.staging.Staged` in a child process and hands
its parts on as they come, a few at a time (the queue is short, so neither half runs far ahead
and memory stays bounded), so that on two cores the import takes about as long as its slower
half.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Iterator
from typing import Any

from familynet.errors import Problem
from familynet.imports.staging import ListCounts, Part, Source, Staged

#: Parts waiting between the processes: enough to keep both busy, few enough to bound memory.
QUEUE_PARTS = 4
#: How often (seconds) the load checks that the worker is still there while it waits for a part.
_POLL = 1.0


class WorkerFailed(RuntimeError):
    """The worker process ended without handing on all its parts (it was killed, or ran out of memory)."""


class Worker:
    """``staged`` read in a child process: the same files, sources, problems, parts and counts.

    ``staged`` is pickled to the child before any part is read, so it must not have started.
    """

    def __init__(self, staged: Staged) -> None:
        self.staged = staged
        self.counts: dict[str, ListCounts] = staged.counts
        self.problems: list[Problem] = staged.problems
        self.sources: dict[str, Source] = staged.sources

    def files(self) -> list[str]:
        """The bundle files the parts will hold (in bundle order)."""
        return self.staged.files()

    def parts(self) -> Iterator[Part]:
        """The child's parts, in its order; its counts replace :attr:`counts` once all are read.
        An exception in the child is raised here."""
        context = multiprocessing.get_context("spawn")
        channel: Any = context.Queue(maxsize=QUEUE_PARTS)
        process = context.Process(target=_produce, args=(self.staged, channel), daemon=True)
        process.start()
        try:
            while True:
                try:
                    kind, value = channel.get(timeout=_POLL)
                except queue.Empty:
                    if not process.is_alive():
                        raise WorkerFailed("the import's reading process ended unexpectedly") from None
                    continue
                if kind == "part":
                    yield value
                elif kind == "counts":
                    # The report holds this very dict: fill it in place.
                    self.counts.clear()
                    self.counts.update(value)
                    return
                else:
                    raise value
        finally:
            if process.is_alive():
                process.kill()
            process.join()
            channel.close()


def _produce(staged: Staged, channel: Any) -> None:
    """The child: every part, then the counts (or the exception that stopped it)."""
    try:
        for part in staged.parts():
            channel.put(("part", part))
        channel.put(("counts", staged.counts))
    except Exception as error:
        channel.put(("error", error))
