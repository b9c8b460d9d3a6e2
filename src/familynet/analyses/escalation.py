"""Escalation (part of audit 2): many contacts in a short window, none escalated.

A child with 3 or more contacts or referrals (any kind, in scope) inside any 42-day
window (its end date and the 41 days before it) ending on the date of one of them
received within [from, to], and none of those in the window with outcome
``strategy_discussion`` or ``section_47``. One row per child, for the qualifying
window with the highest count (ties: the earliest window).

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("C", date_of_birth="2015-01-01")
>>> for ident, day in (("R1", "2024-01-01"), ("R2", "2024-01-20"), ("R3", "2024-02-11")):
...     b.referral(ident, "C", kind="contact", received_on=day)
>>> found = escalation(b.graph, "C", dt.date(2024, 1, 1), dt.date(2024, 12, 31), **AUDIT.defaults())
>>> found.window_start, found.window_end, found.count, found.referral_ids
(datetime.date(2024, 1, 1), datetime.date(2024, 2, 11), 3, ('R1', 'R2', 'R3'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from familynet.analyses.cohort import subjects
from familynet.analyses.declaration import ADULT_AGE, Audit, Chosen, Parameter
from familynet.analyses.parameters import check_outcomes
from familynet.analyses.referrals import referrals_in_scope
from familynet.model.cohort import CohortBatch

#: Outcomes that show a case was escalated, so that its window is not reported.
ESCALATED_OUTCOMES = frozenset({"strategy_discussion", "section_47"})


@dataclass(frozen=True)
class Escalation:
    """The busiest unescalated window of a child's contacts and referrals."""

    HEADER: ClassVar[tuple[str, ...]] = ("child_id", "window_start", "window_end", "count", "referral_ids")

    child_id: str
    window_start: dt.date
    window_end: dt.date
    count: int
    referral_ids: tuple[str, ...]
    """In date then id order."""

    def person_ids(self) -> tuple[str, ...]:
        """The persons the row names: the child."""
        return (self.child_id,)

    def cells(self) -> tuple[Any, ...]:
        """Simple values for a table row, in HEADER order."""
        return (self.child_id, self.window_start, self.window_end, self.count, self.referral_ids)


def escalation(
    graph: nx.MultiDiGraph,
    child_id: str,
    start: dt.date,
    end: dt.date,
    *,
    window_days: int,
    min_contacts: int,
    escalated_outcomes: Collection[str],
    adult_age: int,
) -> Escalation | None:
    """The child's escalation row for ``[start, end]``, or None when no window qualifies."""
    # Only windows ending in the period count, so nothing received before the first one opens is read.
    back = min(max(window_days - 1, 0), (start - dt.date.min).days)
    history = referrals_in_scope(graph, child_id, adult_age=adult_age, received=(start - dt.timedelta(days=back), end))
    best: Escalation | None = None
    for window_end in sorted({r.received_on for r in history if start <= r.received_on <= end}):
        window_start = window_end - dt.timedelta(days=window_days - 1)
        inside = [r for r in history if window_start <= r.received_on <= window_end]
        if len(inside) < min_contacts or any(r.outcome in escalated_outcomes for r in inside):
            continue
        # Ends are visited earliest first, so only a strictly higher count replaces the best.
        if best is None or len(inside) > best.count:
            best = Escalation(child_id, window_start, window_end, len(inside), tuple(r.referral_id for r in inside))
    return best


@dataclass(frozen=True)
class Escalations:
    """The escalations of a period on their own (audit 2 reports them with its re-referrals)."""

    period_from: dt.date
    period_to: dt.date
    parameters: dict[str, Any]
    escalations: tuple[Escalation, ...]
    """One per child, by window_end then child_id."""
    summary: dict[str, Any]


def escalations_found(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen) -> list[Escalation]:
    """The escalations of the subjects of some cohort batches, in any order."""
    return [row for graph, child_id in subjects(batches) if (row := escalation(graph, child_id, start, end, **chosen))]


def escalations_result(found: Iterable[Escalation], start: dt.date, end: dt.date, chosen: Chosen) -> Escalations:
    """The escalations of the cohort, from what :func:`escalations_found` found over every batch."""
    ordered = tuple(sorted(found, key=lambda e: (e.window_end, e.child_id)))
    return Escalations(start, end, dict(chosen), ordered, {"escalations": len(ordered)})


def escalations(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: Any) -> Escalations:
    """Escalation over the cohort batches of ``[start, end]`` (from :meth:`Store.cohort`),
    without the re-referral rows of :func:`~familynet.analyses.repeat_referrals`; parameters as
    :data:`AUDIT` declares them."""
    result: Escalations = AUDIT(batches, start, end, **parameters)
    return result


WINDOW_DAYS = Parameter("window_days", 42, "Escalation window length in days: its end date and the days before it.")
MIN_CONTACTS = Parameter("min_contacts", 3, "Contacts or referrals in a window that make an escalation.")
ESCALATED = Parameter(
    "escalated_outcomes",
    tuple(sorted(ESCALATED_OUTCOMES)),
    "Referral outcomes that mean a window was acted on (so it is not reported).",
    check_outcomes,
)


def escalation_messages(result: Escalations) -> tuple[str, ...]:
    """The key message of escalations alone."""
    return (
        f"{result.summary['escalations']:,} children had {result.parameters['min_contacts']} or more contacts "
        f"in {result.parameters['window_days']} days with none escalated.",
    )


AUDIT = Audit(
    name="escalations",
    field="escalations",
    heading="Escalations alone",
    description="Escalations alone: children with many unescalated contacts in a short window.",
    help="One row per child whose busiest qualifying window ends on a contact or referral received in the "
    "period: the window, the count and the referral ids.",
    run=escalations,
    collect=escalations_found,
    finish=escalations_result,
    parameters=(WINDOW_DAYS, MIN_CONTACTS, ESCALATED, ADULT_AGE),
    mentions=False,
    result=Escalations,
    row=Escalation,
    rows=lambda result: result.escalations,
    key_messages=escalation_messages,
    in_all=False,
)
