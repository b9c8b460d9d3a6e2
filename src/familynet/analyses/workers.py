"""Every audit of ``familynet audit all`` with the cohort shared out among worker processes.

Python runs one thread at a time, so the audits' rules over NetworkX use one core however
many threads run them. Here each of ``workers`` processes (this one and ``workers - 1``
started for the purpose) opens the store itself, reads
its own share of the cohort's batches (batch ``i`` goes to process ``i mod workers``:
:meth:`~familynet.analyses.cohort.CohortSource.cohort`'s ``part``), extracts their family
networks and puts every subject through every audit's rules, one batch at a time
(:func:`~familynet.analyses.audits.found_in`). Only what the rules found comes back; this
process joins it and makes each audit's result
(:func:`~familynet.analyses.audits.finished`), which does not depend on the order it was
found in. The answers are those of one process reading every batch, whatever ``workers``.

This process audits share 0 itself while ``workers - 1`` started processes audit the others:
``workers`` processes in all, none idle, and one share's rows never sent between processes.
One worker starts no other process.

What a worker found comes back pickled by the worker itself, and is unpickled and finished
here, with Python's cyclic collector paused throughout (:mod:`familynet.collector`): the rows
are hundreds of thousands of small objects, and the collections their creation triggers
scanned them over and over, freeing nothing, on the one process that cannot share that work
(at 20,000 households, unpickling a year's rows took 1.48 s of CPU with the collector and
0.27 s without; pickling them 0.85 s and 0.45 s).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager
from typing import Any

from familynet.analyses.audits import ALL_MENTIONS, AllAudits, chosen_parameters, finished, found_in
from familynet.analyses.cohort import CohortSource
from familynet.analyses.declaration import Value
from familynet.analyses.parameters import ParameterError
from familynet.collector import collector_paused
from familynet.model.cohort import CohortBatch

#: Opens the store a worker reads (in the worker's own process, so it must pickle: a
#: module-level function, or a ``functools.partial`` of one) and closes it after.
Opener = Callable[[], AbstractContextManager[CohortSource]]

#: Seconds between two looks at the workers' progress.
_POLL_SECONDS = 0.25

# The subjects this worker process has put through the rules (shared with the parent).
_done: Any = None


def _counting(done: Any) -> None:
    """The initialiser of a worker process: where it counts the subjects it has done."""
    global _done
    _done = done


def _counted(batches: Iterable[CohortBatch], advance: Callable[[int], None]) -> Iterator[CohortBatch]:
    for batch in batches:
        yield batch
        advance(len(batch.child_ids))


def _advance_shared(subjects: int) -> None:
    with _done.get_lock():
        _done.value += subjects


def _share(
    open_source: Opener,
    part: tuple[int, int],
    start: dt.date,
    end: dt.date,
    batch_size: int,
    chosen: dict[str, Value],
    identities: bool,
    advance: Callable[[int], None] | None = None,
) -> dict[str, list[Any]]:
    """What the audits collect over one share of the cohort (see :func:`found_in`)."""
    with open_source() as source:
        batches = source.cohort(
            start, end, batch_size=batch_size, mentions=ALL_MENTIONS, identities=identities, part=part
        )
        return found_in(_counted(batches, advance or _advance_shared), start, end, chosen)


def _shared(
    open_source: Opener,
    part: tuple[int, int],
    start: dt.date,
    end: dt.date,
    batch_size: int,
    chosen: dict[str, Value],
    identities: bool,
) -> bytes:
    """What a started worker process found over its share, pickled here with the collector paused
    (the executor would pickle it with the collector running)."""
    found = _share(open_source, part, start, end, batch_size, chosen, identities)
    with collector_paused():
        return pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)


def all_audits_in_workers(
    open_source: Opener,
    start: dt.date,
    end: dt.date,
    *,
    workers: int = 1,
    batch_size: int = 500,
    identities: bool = True,
    progress: Callable[[int], None] = lambda subjects: None,
    **parameters: Value,
) -> AllAudits:
    """Every audit of ``familynet audit all`` over the cohort of ``[start, end]`` in the store
    ``open_source`` opens (each identity one subject, unless not ``identities``), shared out
    among ``workers`` processes; ``progress`` is told of the subjects done as they are done.
    The same result as :func:`~familynet.analyses.all_audits` over the whole cohort; its
    parameters and period are checked before any process starts."""
    chosen = chosen_parameters(start, end, parameters)
    if workers < 1:
        raise ParameterError("audits need at least one worker process")
    if workers == 1:
        found = _share(open_source, (0, 1), start, end, batch_size, chosen, identities, progress)
        with collector_paused():
            return finished(found, start, end, chosen)
    # Spawned, not forked: the parent may hold threads (a progress display, a server's) and open connections.
    context = multiprocessing.get_context("spawn")
    done = context.Value("q", 0)
    with ProcessPoolExecutor(workers - 1, mp_context=context, initializer=_counting, initargs=(done,)) as pool:
        futures = [
            pool.submit(_shared, open_source, (k, workers), start, end, batch_size, chosen, identities)
            for k in range(1, workers)
        ]
        told = 0

        def advance(subjects: int) -> None:
            # This process audits share 0 itself (one process fewer to start and to send rows
            # back from), so it reports the others' progress, and stops at their first error,
            # between its own batches.
            nonlocal told
            for future in futures:
                if future.done():
                    future.result()  # raises the worker's error
            now = done.value
            progress(subjects + now - told)
            told = now

        try:
            found = _share(open_source, (0, workers), start, end, batch_size, chosen, identities, advance)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        while not all(future.done() for future in futures):
            wait(futures, timeout=_POLL_SECONDS, return_when=FIRST_EXCEPTION)
            advance(0)
        advance(0)
        shares = [future.result() for future in futures]
        futures.clear()  # which would otherwise keep every pickle until the audits are finished
    with collector_paused():
        while shares:  # each share's pickle let go as soon as it is read
            # Pickled by a worker this process started, as the executor's own results are.
            for name, items in pickle.loads(shares.pop(0)).items():  # noqa: S301
                found[name] += items
        return finished(found, start, end, chosen)
