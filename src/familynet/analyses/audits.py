"""Every audit, and all of them at once over one reading of the cohort.

:data:`AUDITS` lists the declarations (:class:`~familynet.analyses.declaration.Audit`)
the CLI, the GraphQL API, the reports and the bench are built from. :func:`all_audits`
runs every audit of ``familynet audit all`` over one pass of the cohort: each audit
consumes the same batches, in its own thread, as the single reader hands them on, so
the store is read once (with the union of the mentions the audits read) and at most
two batches per audit are held at a time.

>>> [audit.name for audit in AUDITS]
['siblings', 'repeat-referrals', 'escalations', 'missing-members', 'timeliness', 'checks', 'consent']
>>> union_of_mentions([False, "cohort", False])
'cohort'
"""

from __future__ import annotations

import datetime as dt
import queue
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from familynet.analyses import checks, consent, coverage, escalation, missing, rereferrals, timeliness
from familynet.analyses.cohort import CohortSource, check_period
from familynet.analyses.declaration import Audit, Parameter, Value
from familynet.analyses.parameters import ParameterError
from familynet.collector import collector_paused
from familynet.model.cohort import CohortBatch, Mentions

#: The audits, in report order.
AUDITS: tuple[Audit, ...] = (
    coverage.AUDIT,
    rereferrals.AUDIT,
    escalation.AUDIT,
    missing.AUDIT,
    timeliness.AUDIT,
    checks.AUDIT,
    consent.AUDIT,
)


def audit_named(name: str) -> Audit:
    """The audit whose command is ``name``."""
    for audit in AUDITS:
        if audit.name == name:
            return audit
    raise ParameterError(f"no audit named {name}")


def union_of_mentions(reads: Iterable[Mentions]) -> Mentions:
    """The mentions a cohort must hold for all of ``reads``: all > the cohort's own > none."""
    found = set(reads)
    return True if True in found else "cohort" if "cohort" in found else False


def shared_parameters(audits: Sequence[Audit]) -> tuple[Parameter, ...]:
    """The parameters of ``audits``, each once (a name means the same in every audit that takes it)."""
    found: dict[str, Parameter] = {}
    for audit in audits:
        for parameter in audit.parameters:
            found.setdefault(parameter.name, parameter)
    return tuple(found.values())


def audit_cohort(
    store: CohortSource, audit: Audit | Callable[..., object], start: dt.date, end: dt.date, *, batch_size: int = 500
) -> Iterator[CohortBatch]:
    """The cohort batches of ``[start, end]`` that ``audit`` (a declaration, or its function) runs
    over, with only the mentions its rules read: what the CLI and the service ask for."""
    declared = audit if isinstance(audit, Audit) else next(a for a in AUDITS if a.run is audit)
    return store.cohort(start, end, batch_size=batch_size, mentions=declared.mentions)


@dataclass(frozen=True)
class AllAudits:
    """Every audit of ``familynet audit all`` over one period, by command name."""

    period_from: dt.date
    period_to: dt.date
    parameters: dict[str, Any]
    results: dict[str, Any]

    @property
    def summary(self) -> dict[str, Any]:
        """Each audit's summary, by command name."""
        return {name: result.summary for name, result in self.results.items()}

    def key_messages(self) -> tuple[str, ...]:
        """Every audit's key messages, in report order."""
        return tuple(
            m for audit in ALL if audit.name in self.results for m in audit.key_messages(self.results[audit.name])
        )


#: The audits ``familynet audit all`` runs, and the cohort it reads for them.
ALL = tuple(audit for audit in AUDITS if audit.in_all)
ALL_MENTIONS = union_of_mentions(audit.mentions for audit in ALL)
ALL_PARAMETERS = shared_parameters(ALL)

_END = object()
B = TypeVar("B")


def _feed(inbox: queue.Queue[Any]) -> Iterator[Any]:
    while (item := inbox.get()) is not _END:
        yield item


def _hand_on(inbox: queue.Queue[Any], item: object, consumer: Future[Any]) -> None:
    """Put ``item`` in the consumer's inbox, unless the consumer has stopped (it failed)."""
    while not consumer.done():
        try:
            inbox.put(item, timeout=0.05)
            return
        except queue.Full:
            continue


def fan_out(batches: Iterable[B], consumers: Sequence[Callable[[Iterable[B]], Any]]) -> list[Any]:
    """Each consumer's answer over the same batches, read once: each batch is handed to every
    consumer (a thread each, with an inbox of one) before the next is read.

    >>> fan_out(iter([1, 2, 3]), [sum, list])
    [6, [1, 2, 3]]
    """
    inboxes: list[queue.Queue[Any]] = [queue.Queue(maxsize=1) for _ in consumers]
    with collector_paused(), ThreadPoolExecutor(max_workers=len(consumers), thread_name_prefix="audit") as pool:
        futures = [pool.submit(consumer, _feed(inbox)) for consumer, inbox in zip(consumers, inboxes, strict=True)]
        try:
            for batch in batches:
                for inbox, future in zip(inboxes, futures, strict=True):
                    _hand_on(inbox, batch, future)
        finally:
            for inbox, future in zip(inboxes, futures, strict=True):
                _hand_on(inbox, _END, future)
        return [future.result() for future in futures]


def all_audits(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: Value) -> AllAudits:
    """Every audit of :data:`ALL` over one reading of the cohort batches of ``[start, end]``
    (holding the mentions :data:`ALL_MENTIONS`); ``parameters`` by name, as each audit takes them."""
    check_period(start, end)
    unknown = set(parameters) - {p.name for p in ALL_PARAMETERS}
    if unknown:
        raise ParameterError(f"not parameters of any audit: {', '.join(sorted(unknown))}")
    chosen = {p.name: parameters.get(p.name, p.default) for p in ALL_PARAMETERS}

    def consumer(audit: Audit) -> Callable[[Iterable[CohortBatch]], Any]:
        own = {p.name: chosen[p.name] for p in audit.parameters}
        return lambda fed: audit.run(fed, start, end, **own)

    results = fan_out(batches, [consumer(audit) for audit in ALL])
    return AllAudits(start, end, chosen, {audit.name: result for audit, result in zip(ALL, results, strict=True)})


def reads_mentions() -> Mapping[Callable[..., object], Mentions]:
    """Which mentions each audit function reads (see :attr:`Audit.mentions`)."""
    return {audit.run: audit.mentions for audit in AUDITS}
