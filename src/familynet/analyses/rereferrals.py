"""Audit 2 — repeat referrals (the DfE CIN census re-referral definition).

Cohort: in-scope referrals of kind ``referral`` received in [from, to]. R is a
re-referral when the same child has an earlier referral (kind ``referral``,
strictly earlier date) received on or after the same date 12 calendar months
before R; earlier referrals before ``from`` count. ``previous`` is the most recent
such referral (ties: the greatest referral_id). ``household_prior`` holds the
referrals about siblings of the child on R's date, received on or after R − 12
months and strictly before R's date, sharing a concern category with R.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("C", date_of_birth="2015-01-01")
>>> b.referral("R1", "C", received_on="2023-02-28", concerns="3A", outcome="nfa")
>>> b.referral("R2", "C", received_on="2024-02-29", concerns="3B")
>>> chosen = history_parameters(AUDIT.defaults())
>>> [(h.referral_id, h.previous_referral_id, h.interval, h.shared_categories)
...  for h in referral_histories(b.graph, "C", dt.date(2024, 1, 1), dt.date(2024, 12, 31), **chosen)]
[('R2', 'R1', '6-12m', (3,))]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from familynet.analyses.cohort import percent, share, subjects
from familynet.analyses.declaration import ADULT_AGE, INFANT_AGE, Audit, Chosen, Parameter, number, share_text
from familynet.analyses.escalation import ESCALATED, MIN_CONTACTS, WINDOW_DAYS, Escalation, escalation
from familynet.analyses.parameters import check_kinds
from familynet.analyses.referrals import Referral, assessments_of, plans_of, referrals_in_scope
from familynet.analyses.siblings import Sibling, siblings
from familynet.model.cohort import CohortBatch
from familynet.model.dates import months_before

#: The kinds that form audit 2's cohort by default: the CIN census counts referrals only.
KINDS = ("referral",)
#: The plans whose existence before a re-referral the summary reports.
PREVIOUS_PLAN_KINDS = frozenset({"child_in_need", "child_protection"})


def interval_labels(months: int, short_months: int, medium_months: int) -> tuple[str, str, str]:
    """The interval bands, shortest first.

    >>> interval_labels(12, 3, 6)
    ('0-3m', '3-6m', '6-12m')
    """
    return f"0-{short_months}m", f"{short_months}-{medium_months}m", f"{medium_months}-{months}m"


@dataclass(frozen=True)
class ReferralHistory:
    """A referral of the cohort: whether it is a re-referral and what came before it."""

    HEADER: ClassVar[tuple[str, ...]] = (
        "referral_id", "child_id", "received_on", "rereferral", "previous_referral_id", "days_since_previous",
        "interval", "same_concern", "shared_categories", "previous_outcome", "household_prior",
        "previous_assessment", "previous_plans", "plans_supplied",
    )  # fmt: skip

    referral_id: str
    child_id: str
    received_on: dt.date
    rereferral: bool = False
    previous_referral_id: str | None = None
    days_since_previous: int | None = None
    interval: str | None = None
    same_concern: bool = False
    shared_categories: tuple[int, ...] = ()
    previous_outcome: str | None = None
    household_prior: tuple[str, ...] = ()
    previous_assessment: str | None = None
    """The child's assessment with the latest completed_on in [R − months, R's date) (ties: the greatest id)."""
    previous_plans: tuple[str, ...] = ()
    """The kinds among the child's child_in_need and child_protection plans started before R's date."""
    plans_supplied: bool = True
    """Whether R was loaded with plans.csv: when not, a plan found is shown, but no plan found does not
    mean none, so R is left out of the share with a previous plan and counted as not supplied."""
    categories: tuple[int, ...] = ()
    """R's concern categories (for the summary)."""

    def person_ids(self) -> tuple[str, ...]:
        """The persons the row names: the child."""
        return (self.child_id,)

    def cells(self) -> tuple[Any, ...]:
        """Simple values for a table row, in HEADER order."""
        return (
            self.referral_id, self.child_id, self.received_on, self.rereferral, self.previous_referral_id,
            self.days_since_previous, self.interval, self.same_concern, self.shared_categories,
            self.previous_outcome, self.household_prior, self.previous_assessment, self.previous_plans,
            self.plans_supplied,
        )  # fmt: skip


@dataclass(frozen=True)
class RepeatReferrals:
    """The result of audit 2 over a period: re-referral rows and escalations."""

    period_from: dt.date
    period_to: dt.date
    parameters: dict[str, Any]
    rows: tuple[ReferralHistory, ...]
    """Cohort referrals that are re-referrals or have a non-empty household_prior."""
    escalations: tuple[Escalation, ...]
    summary: dict[str, Any]


def _previous(history: tuple[Referral, ...], referral: Referral, opens: dt.date) -> Referral | None:
    earlier = [r for r in history if opens <= r.received_on < referral.received_on]
    return max(earlier, key=lambda r: (r.received_on, r.referral_id), default=None)


def _band(
    previous: dt.date, received: dt.date, bands: tuple[str, str, str], short_months: int, medium_months: int
) -> str:
    if previous >= months_before(received, short_months):
        return bands[0]
    if previous >= months_before(received, medium_months):
        return bands[1]
    return bands[2]


def _household_prior(
    graph: nx.MultiDiGraph,
    referral: Referral,
    opens: dt.date,
    found_siblings: tuple[Sibling, ...],
    histories: dict[str, tuple[Referral, ...]],
    *,
    kinds: Collection[str],
    adult_age: int,
) -> tuple[str, ...]:
    """The household prior of ``referral`` among the child's siblings on its date; ``histories``
    keeps each sibling's in-scope referrals across the child's referrals, which share most
    of their siblings."""
    found = []
    for sibling in found_siblings:
        history = histories.get(sibling.person_id)
        if history is None:
            history = histories[sibling.person_id] = referrals_in_scope(
                graph, sibling.person_id, kinds, adult_age=adult_age
            )
        found += [
            prior.referral_id
            for prior in history
            if opens <= prior.received_on < referral.received_on and prior.categories & referral.categories
        ]
    return tuple(sorted(found))


def referral_histories(
    graph: nx.MultiDiGraph,
    child_id: str,
    start: dt.date,
    end: dt.date,
    *,
    months: int,
    short_months: int,
    medium_months: int,
    kinds: Collection[str],
    adult_age: int,
    infant_age: int,
) -> tuple[ReferralHistory, ...]:
    """Audit 2 for one child: every cohort referral (of ``kinds``) about them, by date then id
    (the audit keeps those that are re-referrals or have a household prior)."""
    bands = interval_labels(months, short_months, medium_months)
    history = referrals_in_scope(graph, child_id, kinds, adult_age=adult_age)
    done = [a for a in assessments_of(graph, child_id) if a.completed_on is not None]
    plans = [
        (p.kind, p.start_date) for p in plans_of(graph, child_id) if p.kind in PREVIOUS_PLAN_KINDS and p.start_date
    ]
    found = []
    histories: dict[str, tuple[Referral, ...]] = {}
    # The child's siblings on each day, found once however many of its referrals share it.
    on_day: dict[dt.date, tuple[Sibling, ...]] = {}
    for referral in history:
        received = referral.received_on
        if not start <= received <= end:
            continue
        opens = months_before(received, months)
        previous = _previous(history, referral, opens)
        if received not in on_day:
            on_day[received] = siblings(graph, child_id, received, adult_age=adult_age, infant_age=infant_age)
        prior = _household_prior(graph, referral, opens, on_day[received], histories, kinds=kinds, adult_age=adult_age)
        assessed = max(
            (a for a in done if a.completed_on is not None and opens <= a.completed_on < received),
            key=lambda a: (a.completed_on, a.assessment_id),
            default=None,
        )
        row = ReferralHistory(
            referral.referral_id,
            child_id,
            received,
            household_prior=prior,
            previous_assessment=None if assessed is None else assessed.assessment_id,
            previous_plans=tuple(sorted({kind for kind, started in plans if started < received})),
            plans_supplied=referral.has("plans"),
            categories=tuple(sorted(referral.categories)),
        )
        if previous is not None:
            shared = tuple(sorted(referral.categories & previous.categories))
            row = dataclasses.replace(
                row,
                rereferral=True,
                previous_referral_id=previous.referral_id,
                days_since_previous=(received - previous.received_on).days,
                interval=_band(previous.received_on, received, bands, short_months, medium_months),
                same_concern=bool(shared),
                shared_categories=shared,
                previous_outcome=previous.outcome,
            )
        found.append(row)
    return tuple(found)


def repeat_summary(
    histories: Iterable[ReferralHistory], escalations: tuple[Escalation, ...], bands: tuple[str, ...]
) -> dict[str, Any]:
    """The totals of audit 2 over every cohort referral."""
    total = rereferred = same = with_prior = 0
    assessed = planned = plans_known = 0
    intervals: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    by_category: Counter[int] = Counter()
    for h in histories:
        total += 1
        with_prior += bool(h.household_prior)
        if h.rereferral:
            rereferred += 1
            same += h.same_concern
            intervals[h.interval or ""] += 1
            outcomes[h.previous_outcome or "unknown"] += 1
            assessed += h.previous_assessment is not None
            plans_known += h.plans_supplied
            planned += h.plans_supplied and bool(h.previous_plans)
            by_category.update(h.categories)
    return {
        "referrals": total,
        "rereferrals": rereferred,
        "rereferral_rate_percent": percent(rereferred, total),
        "same_concern": same,
        "same_concern_share_percent": percent(same, rereferred),
        "with_household_prior": with_prior,
        "intervals": {band: intervals[band] for band in bands},
        "previous_outcomes": dict(sorted(outcomes.items())),
        "escalations": len(escalations),
        "with_previous_assessment": share(assessed, rereferred),
        "with_previous_plan": share(planned, plans_known),
        "not_supplied": {"plans": rereferred - plans_known},
        "rereferrals_by_category": {str(c): n for c, n in sorted(by_category.items())},
    }


def history_parameters(chosen: Chosen) -> dict[str, Any]:
    """The parameters :func:`referral_histories` takes, of audit 2's (the others are escalation's)."""
    return {
        name: chosen[name] for name in ("months", "short_months", "medium_months", "kinds", "adult_age", "infant_age")
    }


def repeat_found(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen
) -> list[ReferralHistory | Escalation]:
    """Audit 2 for the subjects of some cohort batches, in any order: every cohort referral's
    history, and each escalation."""
    history = history_parameters(chosen)
    escalating = {name: chosen[name] for name in ("window_days", "min_contacts", "escalated_outcomes", "adult_age")}
    found: list[ReferralHistory | Escalation] = []
    for graph, child_id in subjects(batches):
        found += referral_histories(graph, child_id, start, end, **history)
        escalated = escalation(graph, child_id, start, end, **escalating)
        if escalated is not None:
            found.append(escalated)
    return found


def repeat_result(
    found: Iterable[ReferralHistory | Escalation], start: dt.date, end: dt.date, chosen: Chosen
) -> RepeatReferrals:
    """Audit 2 from what :func:`repeat_found` found over every batch of the cohort."""
    histories: list[ReferralHistory] = []
    escalations: list[Escalation] = []
    for item in found:
        if isinstance(item, ReferralHistory):
            histories.append(item)
        else:
            escalations.append(item)
    histories.sort(key=lambda h: (h.received_on, h.referral_id))
    escalations.sort(key=lambda e: (e.window_end, e.child_id))
    rows = tuple(h for h in histories if h.rereferral or h.household_prior)
    bands = interval_labels(chosen["months"], chosen["short_months"], chosen["medium_months"])
    summary = repeat_summary(histories, tuple(escalations), bands)
    return RepeatReferrals(start, end, dict(chosen), rows, tuple(escalations), summary)


def repeat_referrals(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: Any
) -> RepeatReferrals:
    """Audit 2 over the cohort batches of ``[start, end]`` (from :meth:`Store.cohort`); parameters as
    :data:`AUDIT` declares them."""
    result: RepeatReferrals = AUDIT(batches, start, end, **parameters)
    return result


def repeat_messages(result: RepeatReferrals) -> tuple[str, ...]:
    """Audit 2's key messages: re-referrals, their concerns, and escalations."""
    s = result.summary
    return (
        f"{share_text(s['rereferrals'], s['referrals'], s['rereferral_rate_percent'])} referrals were "
        f"re-referrals within {result.parameters['months']} months.",
        f"{share_text(s['same_concern'], s['rereferrals'], s['same_concern_share_percent'])} re-referrals "
        "were for a concern of the previous referral.",
        f"{share_text(**s['with_previous_assessment'])} re-referrals followed an assessment completed in the "
        f"{result.parameters['months']} months before; {share_text(**s['with_previous_plan'])} followed a child in "
        "need or child protection plan.",
        f"{s['escalations']:,} children had repeated contacts with none escalated.",
        *(
            [f"Plans not supplied for {number(s['not_supplied']['plans'])} of {number(s['rereferrals'])} "
             "re-referrals: they are not counted in the share with a previous plan."]
            if s["not_supplied"]["plans"]
            else []
        ),
    )  # fmt: skip


AUDIT = Audit(
    name="repeat-referrals",
    field="repeatReferrals",
    heading="Audit 2 — repeat referrals",
    description="Audit 2: re-referrals with the same concern, and escalations.",
    help="One row per in-scope referral received in the period that is a re-referral or follows a sibling's "
    "referral for the same concern; then each child with many unescalated contacts in a short window. Summary: "
    "re-referral rate, same-concern share, intervals, outcomes that preceded re-referrals.",
    run=repeat_referrals,
    collect=repeat_found,
    finish=repeat_result,
    parameters=(
        Parameter("months", 12, "Calendar months back that make a re-referral (and bound household_prior)."),
        Parameter("short_months", 3, "First interval mark in calendar months (0-3m)."),
        Parameter("medium_months", 6, "Second interval mark in calendar months (3-6m; beyond it 6-12m)."),
        WINDOW_DAYS,
        MIN_CONTACTS,
        ESCALATED,
        Parameter(
            "kinds",
            KINDS,
            "Kinds of contact and referral that form the cohort, the earlier items and household_prior.",
            check_kinds,
        ),
        ADULT_AGE,
        INFANT_AGE,
    ),
    mentions=False,
    result=RepeatReferrals,
    row=ReferralHistory,
    rows=lambda result: result.rows,
    key_messages=repeat_messages,
)
