"""Audit 1 — sibling coverage.

Cohort: in-scope referrals of kind ``referral`` received in [from, to] whose child
has an assessment starting within [received, received + 60 days]. For each sibling
S of the child on the received date, S is ``covered`` if S has any assessment
starting within [received − 30 days, received + 60 days].
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from familynet.analyses.cohort import percent, subjects
from familynet.analyses.declaration import ADULT_AGE, INFANT_AGE, Audit, Chosen, Parameter, number, share_text
from familynet.analyses.referrals import considerations_of, has_assessment_between, referrals_in_scope
from familynet.analyses.siblings import Sibling, siblings
from familynet.model.cohort import CohortBatch


@dataclass(frozen=True)
class CoveredSibling:
    """A sibling of a cohort child and whether an assessment covered them."""

    person_id: str
    basis: str
    relation: str
    co_resident: bool
    covered: bool
    considered: bool | None = False
    """A consideration of the sibling, on any referral, falls in the consideration window; None when
    none does and the referral's considerations were not supplied (not known, not "not considered")."""


@dataclass(frozen=True)
class CoverageRow:
    """One referral in the cohort and its siblings."""

    HEADER: ClassVar[tuple[str, ...]] = ("referral_id", "child_id", "received_on", "referring_agency_kind", "siblings")

    referral_id: str
    child_id: str
    received_on: dt.date
    referring_agency_kind: str | None
    siblings: tuple[CoveredSibling, ...]

    def person_ids(self) -> tuple[str, ...]:
        """The persons the row names: the child and each sibling."""
        return (self.child_id, *(s.person_id for s in self.siblings))

    def cells(self) -> tuple[Any, ...]:
        """Simple values for a table row; each sibling as
        ``id:basis/relation[:co_resident]:covered|uncovered[:considered|:considerations_not_supplied]``."""
        described = tuple(
            ":".join(
                [s.person_id, f"{s.basis}/{s.relation}"]
                + (["co_resident"] if s.co_resident else [])
                + (["covered"] if s.covered else ["uncovered"])
                + (["considered"] if s.considered else ["considerations_not_supplied"] if s.considered is None else [])
            )
            for s in self.siblings
        )
        return (self.referral_id, self.child_id, self.received_on, self.referring_agency_kind, described)


@dataclass(frozen=True)
class SiblingCoverage:
    """The result of audit 1 over a period."""

    period_from: dt.date
    period_to: dt.date
    parameters: dict[str, int]
    rows: tuple[CoverageRow, ...]
    summary: dict[str, Any]


def coverage_rows(
    graph: nx.MultiDiGraph,
    child_id: str,
    start: dt.date,
    end: dt.date,
    *,
    assessment_days: int,
    lookback_days: int,
    considered_before_days: int,
    considered_after_days: int,
    adult_age: int,
    infant_age: int,
) -> tuple[CoverageRow, ...]:
    """Audit 1 for one child: a row per cohort referral about them, by date then id."""
    rows = []
    # The child's siblings on each day, found once however many of its referrals share it.
    on_day: dict[dt.date, tuple[Sibling, ...]] = {}
    for referral in referrals_in_scope(graph, child_id, "referral", adult_age=adult_age):
        received = referral.received_on
        after = received + dt.timedelta(days=assessment_days)
        if not start <= received <= end or not has_assessment_between(graph, child_id, received, after):
            continue
        before = received - dt.timedelta(days=lookback_days)
        window = (
            received - dt.timedelta(days=considered_before_days),
            received + dt.timedelta(days=considered_after_days),
        )
        if received not in on_day:
            on_day[received] = siblings(graph, child_id, received, adult_age=adult_age, infant_age=infant_age)
        # A consideration found is recorded, whichever load gave it; none found means "not considered"
        # only when this referral's considerations were supplied.
        unknown = None if not referral.has("considerations") else False
        found = tuple(
            CoveredSibling(
                s.person_id,
                s.basis,
                s.relation,
                s.co_resident,
                has_assessment_between(graph, s.person_id, before, after),
                any(on is not None and window[0] <= on <= window[1] for _, on in considerations_of(graph, s.person_id))
                or unknown,
            )
            for s in on_day[received]
        )
        rows.append(CoverageRow(referral.referral_id, child_id, received, referral.referrer_kind, found))
    return tuple(rows)


def _counts(rows: Iterable[CoverageRow]) -> dict[str, Any]:
    tally: Counter[str] = Counter()
    for row in rows:
        tally["referrals"] += 1
        tally["referrals_with_uncovered_sibling"] += any(not s.covered for s in row.siblings)
        tally["siblings"] += len(row.siblings)
        tally["siblings_covered"] += sum(s.covered for s in row.siblings)
        tally["siblings_neither_covered_nor_considered"] += sum(
            not s.covered and s.considered is False for s in row.siblings
        )
        tally["considerations_not_supplied"] += sum(s.considered is None for s in row.siblings)
    names = ("referrals", "referrals_with_uncovered_sibling", "siblings", "siblings_covered")
    counts: dict[str, Any] = {name: tally[name] for name in names}
    counts["coverage_percent"] = percent(tally["siblings_covered"], tally["siblings"])
    for name in ("siblings_neither_covered_nor_considered", "considerations_not_supplied"):
        counts[name] = tally[name]
    return counts


def coverage_summary(rows: tuple[CoverageRow, ...]) -> dict[str, Any]:
    """The totals of audit 1, and the same split by referring agency kind and by month."""
    by_kind: dict[str, list[CoverageRow]] = {}
    by_month: dict[str, list[CoverageRow]] = {}
    for row in rows:
        by_kind.setdefault(row.referring_agency_kind or "unknown", []).append(row)
        by_month.setdefault(row.received_on.strftime("%Y-%m"), []).append(row)
    summary = _counts(rows)
    summary["by_referring_agency_kind"] = {kind: _counts(group) for kind, group in sorted(by_kind.items())}
    summary["by_month"] = {month: _counts(group) for month, group in sorted(by_month.items())}
    return summary


def coverage_found(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen) -> list[CoverageRow]:
    """Audit 1's rows for the subjects of some cohort batches, in any order."""
    return [
        row for graph, child_id in subjects(batches) for row in coverage_rows(graph, child_id, start, end, **chosen)
    ]


def coverage_result(found: Iterable[CoverageRow], start: dt.date, end: dt.date, chosen: Chosen) -> SiblingCoverage:
    """Audit 1 from the rows :func:`coverage_found` found over every batch of the cohort."""
    ordered = tuple(sorted(found, key=lambda r: (r.received_on, r.referral_id)))
    return SiblingCoverage(start, end, dict(chosen), ordered, coverage_summary(ordered))


def sibling_coverage(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: int
) -> SiblingCoverage:
    """Audit 1 over the cohort batches of ``[start, end]`` (from :meth:`Store.cohort`); parameters as
    :data:`AUDIT` declares them."""
    result: SiblingCoverage = AUDIT(batches, start, end, **parameters)
    return result


def coverage_messages(result: SiblingCoverage) -> tuple[str, ...]:
    """Audit 1's key messages: how many siblings of assessed children were covered."""
    s = result.summary
    messages = [
        f"{share_text(s['siblings_covered'], s['siblings'], s['coverage_percent'])} siblings of "
        f"{s['referrals']:,} referred and assessed children were assessed too.",
        f"{s['referrals_with_uncovered_sibling']:,} referrals had a sibling not assessed; "
        f"{s['siblings_neither_covered_nor_considered']:,} siblings were neither assessed nor considered.",
    ]
    if s["considerations_not_supplied"]:
        messages.append(
            f"Considerations not supplied for {number(s['considerations_not_supplied'])} of {number(s['siblings'])} "
            "siblings: they are not counted as neither assessed nor considered."
        )
    return tuple(messages)


AUDIT = Audit(
    name="siblings",
    field="siblingCoverage",
    heading="Audit 1 — sibling coverage",
    description="Audit 1: how many siblings of children referred and assessed in the period were assessed too.",
    help="Per in-scope referral received in the period whose child was assessed, each sibling with basis, "
    "relation, co-residence and whether an assessment covered them; summary by referring agency kind and by month.",
    run=sibling_coverage,
    collect=coverage_found,
    finish=coverage_result,
    parameters=(
        Parameter(
            "assessment_days",
            60,
            "Days after the referral within which the child's assessment must start; also the end of the "
            "siblings' coverage window.",
        ),
        Parameter("lookback_days", 30, "Days before the referral from which a sibling's assessment covers them."),
        Parameter(
            "considered_before_days", 30, "Days before the referral from which a consideration of a sibling counts."
        ),
        Parameter(
            "considered_after_days", 60, "Days after the referral until which a consideration of a sibling counts."
        ),
        ADULT_AGE,
        INFANT_AGE,
    ),
    mentions=False,
    result=SiblingCoverage,
    row=CoverageRow,
    rows=lambda result: result.rows,
    key_messages=coverage_messages,
)
