"""Audit 4 — decision timeliness.

Cohort: contacts and referrals of any kind received in [from, to] whose subject is in
scope. Per item, the hours from ``received_at`` to ``decided_at`` (between absolute
instants: a night across a clock change has 23 or 25 hours), whether the decision came
within the timescale of its RAG (red 4, amber 24, green 72 hours) and within 24 hours.
An undecided item whose timescale had run out by the end of the period is late, not
invisible.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("C", date_of_birth="2015-01-01")
>>> b.referral("R1", "C", kind="contact", received_on="2025-03-29", rag="amber",
...            received_at="2025-03-29T12:00", decided_at="2025-03-30T12:00")
>>> row = timeliness_rows(b.graph, "C", dt.date(2025, 3, 1), dt.date(2025, 3, 31), **AUDIT.defaults())[0]
>>> row.hours_to_decision, row.within_timescale, row.within_24_hours
(23.0, True, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from familynet.analyses.cohort import nearest_rank, subjects
from familynet.analyses.declaration import (
    ADULT_AGE,
    Audit,
    ChildRow,
    Chosen,
    Parameter,
    RowsResult,
    number,
    share_text,
)
from familynet.analyses.measures import end_of_period, group, hours, month, not_supplied, shares, shares_by
from familynet.analyses.referrals import Referral, referrals_in_scope
from familynet.model.cohort import CohortBatch


@dataclass(frozen=True)
class Timeliness(ChildRow):
    """One contact or referral of the cohort and how soon it was decided."""

    HEADER: ClassVar[tuple[str, ...]] = (
        "referral_id", "child_id", "kind", "rag", "received_on", "received_at", "decided_at",
        "referrer_agency_kind", "hours_to_decision", "timescale_hours", "within_timescale", "within_24_hours",
    )  # fmt: skip

    referral_id: str
    child_id: str
    kind: str
    rag: str | None
    received_on: dt.date
    received_at: dt.datetime | None
    decided_at: dt.datetime | None
    referrer_agency_kind: str | None
    hours_to_decision: float | None
    """decided_at − received_at in hours, rounded half up to one decimal (comparisons use the exact duration)."""
    timescale_hours: int | None
    within_timescale: bool | None
    within_24_hours: bool | None
    supplied: tuple[str, ...]
    """Which of received_at and decided_at were supplied."""


class DecisionTimeliness(RowsResult[Timeliness]):
    """The result of audit 4 over a period."""


def _within(referral: Referral, limit: dt.timedelta, closes: dt.datetime) -> bool | None:
    """Whether the decision came within ``limit`` of receipt; an undecided item is late once
    its limit ran out before the period closed, and otherwise still in time (None)."""
    assert referral.received_at is not None
    if referral.decided_at is not None:
        return referral.decided_at - referral.received_at <= limit
    return False if referral.received_at + limit < closes else None


def timeliness_row(referral: Referral, timescales: dict[str, int], closes: dt.datetime) -> Timeliness:
    """Audit 4 for one contact or referral."""
    received, decided = referral.received_at, referral.decided_at
    timed = referral.has("received_at") and received is not None
    judged = timed and referral.has("decided_at")
    timescale = timescales.get(referral.rag or "")
    duration = decided - received if judged and decided is not None and received is not None else None
    within_timescale = (
        _within(referral, dt.timedelta(hours=timescale), closes) if judged and timescale is not None else None
    )
    within_day = _within(referral, dt.timedelta(hours=24), closes) if judged else None
    return Timeliness(
        referral.referral_id,
        referral.child_id,
        referral.kind,
        referral.rag,
        referral.received_on,
        received,
        decided,
        referral.referrer_kind,
        None if duration is None else hours(duration),
        timescale,
        within_timescale,
        within_day,
        tuple(sorted(referral.supplied & {"received_at", "decided_at"})),
    )


def timeliness_rows(
    graph: nx.MultiDiGraph,
    child_id: str,
    start: dt.date,
    end: dt.date,
    *,
    red_hours: int,
    amber_hours: int,
    green_hours: int,
    adult_age: int,
) -> tuple[Timeliness, ...]:
    """Audit 4 for one child: a row per in-scope contact or referral about them received in the period."""
    timescales = {"red": red_hours, "amber": amber_hours, "green": green_hours}
    closes = end_of_period(end)
    return tuple(
        timeliness_row(r, timescales, closes)
        for r in referrals_in_scope(graph, child_id, adult_age=adult_age, received=(start, end))
    )


def _percentiles(rows: Iterable[Timeliness]) -> dict[str, dict[str, Any]]:
    durations: dict[str, list[dt.timedelta]] = {}
    for row in rows:
        if row.decided_at is not None and row.received_at is not None and "decided_at" in row.supplied:
            durations.setdefault(group(row.rag), []).append(row.decided_at - row.received_at)
    found = {}
    for rag, values in sorted(durations.items()):
        median, p90 = nearest_rank(values, 50), nearest_rank(values, 90)
        found[rag] = {
            "items": len(values),
            "median_hours": None if median is None else hours(median),
            "p90_hours": None if p90 is None else hours(p90),
        }
    return found


def timeliness_summary(rows: tuple[Timeliness, ...]) -> dict[str, Any]:
    """The totals of audit 4."""
    decidable = [r for r in rows if "decided_at" in r.supplied]
    undecided = [r for r in decidable if r.decided_at is None]
    summary: dict[str, Any] = {
        "items": len(rows),
        "not_supplied": not_supplied((r.supplied for r in rows), ("received_at", "decided_at")),
        "without_decision": len(undecided),
        "overdue_at_end": sum(r.within_timescale is False for r in undecided),
    }
    for name in ("within_timescale", "within_24_hours"):

        def flag(row: Timeliness, name: str = name) -> bool | None:
            value: bool | None = getattr(row, name)
            return value

        summary[name] = {
            "overall": shares(rows, flag),
            "by_rag": shares_by(rows, lambda r: group(r.rag), flag),
            "by_referrer_agency_kind": shares_by(rows, lambda r: group(r.referrer_agency_kind), flag),
            "by_month": shares_by(rows, lambda r: month(r.received_on), flag),
        }
    summary["hours_to_decision_by_rag"] = _percentiles(rows)
    return summary


def timeliness_found(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen) -> list[Timeliness]:
    """Audit 4's rows for the subjects of some cohort batches, in any order."""
    return [
        row for graph, child_id in subjects(batches) for row in timeliness_rows(graph, child_id, start, end, **chosen)
    ]


def timeliness_result(found: Iterable[Timeliness], start: dt.date, end: dt.date, chosen: Chosen) -> DecisionTimeliness:
    """Audit 4 from the rows :func:`timeliness_found` found over every batch of the cohort."""
    ordered = tuple(sorted(found, key=lambda r: (r.received_on, r.referral_id)))
    return DecisionTimeliness(start, end, dict(chosen), ordered, timeliness_summary(ordered))


def decision_timeliness(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: int
) -> DecisionTimeliness:
    """Audit 4 over the cohort batches of ``[start, end]`` (from :meth:`Store.cohort`); parameters as
    :data:`AUDIT` declares them."""
    result: DecisionTimeliness = AUDIT(batches, start, end, **parameters)
    return result


def timeliness_messages(result: DecisionTimeliness) -> tuple[str, ...]:
    """Audit 4's key messages: decisions within timescale and within 24 hours, items overdue,
    and the decision times not supplied."""
    s = result.summary
    within, day = s["within_timescale"]["overall"], s["within_24_hours"]["overall"]
    messages = [
        f"{share_text(within['n'], within['of'], within['percent'])} contacts and referrals with a RAG rating "
        "were decided within its timescale.",
        f"{share_text(day['n'], day['of'], day['percent'])} contacts and referrals were decided within 24 hours.",
        f"No decision was recorded for {number(s['without_decision'])} of {number(s['items'])} contacts and "
        f"referrals; {number(s['overdue_at_end'])} of those {'was' if s['overdue_at_end'] == 1 else 'were'} already "
        "past the timescale of their RAG rating at the end of the period.",
    ]
    for name, label in (("received_at", "receipt times"), ("decided_at", "decision times")):
        if s["not_supplied"][name]:
            messages.append(f"{label.capitalize()} not supplied for {number(s['not_supplied'][name])} of "
                            f"{number(s['items'])} items: they are not counted above.")  # fmt: skip
    return tuple(messages)


AUDIT = Audit(
    name="timeliness",
    field="decisionTimeliness",
    heading="Audit 4 — decision timeliness",
    description="Audit 4: how soon the front door decided each contact and referral received in the period.",
    help="Per in-scope contact or referral received in the period: its RAG, receipt and decision times, hours to "
    "decision, and whether it was decided within its RAG timescale and within 24 hours. Summary overall, by RAG, "
    "by referrer agency kind and by month, with the median and 90th percentile hours by RAG.",
    run=decision_timeliness,
    collect=timeliness_found,
    finish=timeliness_result,
    parameters=(
        Parameter("red_hours", 4, "Hours within which a red-rated contact must be decided."),
        Parameter("amber_hours", 24, "Hours within which an amber-rated contact must be decided."),
        Parameter("green_hours", 72, "Hours within which a green-rated contact must be decided."),
        ADULT_AGE,
    ),
    mentions=False,
    result=DecisionTimeliness,
    row=Timeliness,
    rows=lambda result: result.rows,
    key_messages=timeliness_messages,
)
