"""Every audit, and all of them at once over one reading of the cohort.

:data:`AUDITS` lists the declarations (:class:`~familynet.analyses.declaration.Audit`)
the CLI, the GraphQL API, the reports and the bench are built from. :func:`all_audits`
runs every audit of ``familynet audit all`` over one pass of the cohort: each batch is
read once (with the union of the mentions the audits read), goes through every audit's
rules (:attr:`Audit.collect <familynet.analyses.declaration.Audit.collect>`), and is let
go before the next is read; each audit's result is then made from all it collected
(:attr:`Audit.finish <familynet.analyses.declaration.Audit.finish>`). Because what is
collected may be joined in any order, :mod:`familynet.analyses.workers` shares the
batches out among processes.

>>> [audit.name for audit in AUDITS]
['siblings', 'repeat-referrals', 'escalations', 'missing-members', 'timeliness', 'checks', 'consent']
>>> union_of_mentions([False, "cohort", False])
'cohort'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from familynet.analyses import checks, consent, coverage, escalation, missing, rereferrals, timeliness
from familynet.analyses.cohort import CohortSource, check_period
from familynet.analyses.declaration import Audit, Parameter, Value
from familynet.analyses.memo import remembering
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


def chosen_parameters(start: dt.date, end: dt.date, parameters: Mapping[str, Value]) -> dict[str, Value]:
    """Every parameter of :data:`ALL` (``parameters`` by name, the defaults for the others), each
    audit's checked: ParameterError or PeriodError before any of the cohort is read."""
    check_period(start, end)
    unknown = set(parameters) - {p.name for p in ALL_PARAMETERS}
    if unknown:
        raise ParameterError(f"not parameters of any audit: {', '.join(sorted(unknown))}")
    chosen: dict[str, Value] = {}
    for audit in ALL:  # each audit's own checked once, before any batch is read
        chosen |= audit.chosen(
            start, end, {p.name: parameters[p.name] for p in audit.parameters if p.name in parameters}
        )
    return {p.name: chosen[p.name] for p in ALL_PARAMETERS}


def _own(audit: Audit, chosen: Mapping[str, Value]) -> dict[str, Value]:
    return {p.name: chosen[p.name] for p in audit.parameters}


def found_in(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Mapping[str, Value]
) -> dict[str, list[Any]]:
    """What each audit of :data:`ALL` collects over ``batches`` (by command name), the batches read
    once: each batch goes through every audit's rules, then is let go before the next is read."""
    found: dict[str, list[Any]] = {audit.name: [] for audit in ALL}
    own = {audit.name: _own(audit, chosen) for audit in ALL}
    with collector_paused():
        for batch in batches:
            with remembering(batch.graph):
                for audit in ALL:
                    found[audit.name] += audit.collect((batch,), start, end, own[audit.name])
    return found


def finished(found: dict[str, list[Any]], start: dt.date, end: dt.date, chosen: dict[str, Value]) -> AllAudits:
    """Every audit of :data:`ALL` from what :func:`found_in` collected over all the cohort's batches
    (each audit's list let go once its result is made)."""
    results = {audit.name: audit.finish(found.pop(audit.name), start, end, _own(audit, chosen)) for audit in ALL}
    return AllAudits(start, end, chosen, results)


def all_audits(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: Value) -> AllAudits:
    """Every audit of :data:`ALL` over one reading of the cohort batches of ``[start, end]``
    (holding the mentions :data:`ALL_MENTIONS`); ``parameters`` by name, as each audit takes them."""
    chosen = chosen_parameters(start, end, parameters)
    return finished(found_in(batches, start, end, chosen), start, end, chosen)


def reads_mentions() -> Mapping[Callable[..., object], Mentions]:
    """Which mentions each audit function reads (see :attr:`Audit.mentions`)."""
    return {audit.run: audit.mentions for audit in AUDITS}
