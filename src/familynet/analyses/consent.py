"""Audit 6 — consent, feedback and thresholds.

Cohort: contacts and referrals of any kind received in [from, to] whose subject is in
scope. Per item its consent, outcome, feedback to the referrer and the threshold the
referrer stated against the one the outcome implies; four flags, each over its own
denominator, and a flag whose field was not supplied is null (counted out, and said).

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("C", date_of_birth="2015-01-01")
>>> b.referral("R1", "C", received_on="2025-03-03", outcome="early_help", consent="not_recorded",
...            feedback_sent_on="2025-03-10", threshold_stated="child_in_need")
>>> row = consent_rows(b.graph, "C", dt.date(2025, 3, 1), dt.date(2025, 3, 31), **AUDIT.defaults())[0]
>>> row.days_to_feedback, row.no_feedback, row.threshold_decided, row.threshold_agrees
(7, True, 'early_help', False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from familynet.analyses.cohort import subjects
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
from familynet.analyses.measures import group, not_supplied, shares, shares_by
from familynet.analyses.referrals import Referral, referrals_in_scope
from familynet.model.cohort import CohortBatch

#: The threshold an outcome decides (other, or none, decides none).
THRESHOLD_DECIDED = {
    "nfa": "universal",
    "universal": "universal",
    "early_help": "early_help",
    "assessment": "child_in_need",
    "strategy_discussion": "child_protection",
    "section_47": "child_protection",
}
#: The flags, each with the field whose supply it needs (None: always judged).
FLAGS = {
    "consent_not_recorded": None,
    "early_help_without_consent": None,
    "no_feedback": "feedback_sent_on",
    "no_threshold_stated": "threshold_stated",
}


@dataclass(frozen=True)
class ConsentRow(ChildRow):
    """One contact or referral of the cohort: consent, feedback and thresholds."""

    HEADER: ClassVar[tuple[str, ...]] = (
        "referral_id", "child_id", "kind", "received_on", "consent", "outcome", "referrer_agency_kind",
        "feedback_sent_on", "days_to_feedback", "threshold_stated", "threshold_decided", "threshold_agrees",
        "consent_not_recorded", "early_help_without_consent", "no_feedback", "no_threshold_stated",
    )  # fmt: skip

    referral_id: str
    child_id: str
    kind: str
    received_on: dt.date
    consent: str | None
    outcome: str | None
    referrer_agency_kind: str | None
    feedback_sent_on: dt.date | None
    days_to_feedback: int | None
    threshold_stated: str | None
    threshold_decided: str | None
    threshold_agrees: bool | None
    consent_not_recorded: bool
    early_help_without_consent: bool | None
    """None unless the outcome is early_help (its denominator)."""
    no_feedback: bool | None
    """None when the feedback column was not supplied."""
    no_threshold_stated: bool | None
    """None when the threshold column was not supplied."""
    supplied: tuple[str, ...]
    """Which of feedback_sent_on and threshold_stated were supplied."""


class ConsentFeedbackThresholds(RowsResult[ConsentRow]):
    """The result of audit 6 over a period."""


def consent_row(referral: Referral, feedback_days: int) -> ConsentRow:
    """Audit 6 for one contact or referral."""
    consent, outcome = referral.consent, referral.outcome
    feedback = referral.feedback_sent_on if referral.has("feedback_sent_on") else None
    stated = referral.threshold_stated if referral.has("threshold_stated") else None
    decided = THRESHOLD_DECIDED.get(outcome or "")
    agrees = None if stated in (None, "none") or decided is None else stated == decided
    late = referral.received_on + dt.timedelta(days=feedback_days)
    return ConsentRow(
        referral.referral_id,
        referral.child_id,
        referral.kind,
        referral.received_on,
        consent,
        outcome,
        referral.referrer_kind,
        feedback,
        None if feedback is None else (feedback - referral.received_on).days,
        stated,
        decided,
        agrees,
        consent in (None, "not_recorded"),
        consent in (None, "not_given", "not_recorded") if outcome == "early_help" else None,
        (feedback is None or feedback > late) if referral.has("feedback_sent_on") else None,
        stated in (None, "none") if referral.has("threshold_stated") else None,
        tuple(sorted(referral.supplied & {"feedback_sent_on", "threshold_stated"})),
    )


def consent_rows(
    graph: nx.MultiDiGraph, child_id: str, start: dt.date, end: dt.date, *, feedback_days: int, adult_age: int
) -> tuple[ConsentRow, ...]:
    """Audit 6 for one child: a row per in-scope contact or referral about them received in the period."""
    return tuple(
        consent_row(r, feedback_days)
        for r in referrals_in_scope(graph, child_id, adult_age=adult_age, received=(start, end))
    )


def _overall_and_by_kind(rows: tuple[ConsentRow, ...], flag: Any) -> dict[str, Any]:
    return {
        "overall": shares(rows, flag),
        "by_referrer_agency_kind": shares_by(rows, lambda r: group(r.referrer_agency_kind), flag),
    }


def consent_summary(rows: tuple[ConsentRow, ...]) -> dict[str, Any]:
    """The totals of audit 6: each flag's share, consent overridden and threshold agreement,
    overall and by referrer agency kind, and the fields not supplied."""
    summary: dict[str, Any] = {
        "items": len(rows),
        "not_supplied": not_supplied((r.supplied for r in rows), ("feedback_sent_on", "threshold_stated")),
    }
    for name in FLAGS:
        summary[name] = _overall_and_by_kind(rows, lambda r, name=name: getattr(r, name))
    summary["consent_overridden"] = _overall_and_by_kind(
        rows, lambda r: r.consent == "overridden" if r.consent in ("given", "not_given", "overridden") else None
    )
    summary["threshold_agreement"] = _overall_and_by_kind(rows, lambda r: r.threshold_agrees)
    return summary


def consent_found(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen) -> list[ConsentRow]:
    """Audit 6's rows for the subjects of some cohort batches, in any order."""
    return [row for graph, child_id in subjects(batches) for row in consent_rows(graph, child_id, start, end, **chosen)]


def consent_result(
    found: Iterable[ConsentRow], start: dt.date, end: dt.date, chosen: Chosen
) -> ConsentFeedbackThresholds:
    """Audit 6 from the rows :func:`consent_found` found over every batch of the cohort."""
    ordered = tuple(sorted(found, key=lambda r: (r.received_on, r.referral_id)))
    return ConsentFeedbackThresholds(start, end, dict(chosen), ordered, consent_summary(ordered))


def consent_feedback_thresholds(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: int
) -> ConsentFeedbackThresholds:
    """Audit 6 over the cohort batches of ``[start, end]`` (from :meth:`Store.cohort`); parameters as
    :data:`AUDIT` declares them."""
    result: ConsentFeedbackThresholds = AUDIT(batches, start, end, **parameters)
    return result


def consent_messages(result: ConsentFeedbackThresholds) -> tuple[str, ...]:
    """Audit 6's key messages: consent, feedback and thresholds, and what was not supplied."""
    s = result.summary

    def said(name: str) -> str:
        found = s[name]["overall"]
        return share_text(found["n"], found["of"], found["percent"])

    messages = [
        f"Consent not recorded for {said('consent_not_recorded')} contacts and referrals.",
        f"{said('early_help_without_consent')} contacts and referrals sent to early help had no consent given "
        "(refused or not recorded).",
        f"The referrer was not told the outcome within {result.parameters['feedback_days']} days for "
        f"{said('no_feedback')} contacts and referrals.",
        f"No threshold was stated by the referrer for {said('no_threshold_stated')} contacts and referrals; where "
        f"one was stated, it agreed with the MASH's decision for {said('threshold_agreement')}.",
    ]
    for name, label in (("feedback_sent_on", "Feedback dates"), ("threshold_stated", "Stated thresholds")):
        if s["not_supplied"][name]:
            messages.append(f"{label} not supplied for {number(s['not_supplied'][name])} of {number(s['items'])} "
                            "items: they are not counted above.")  # fmt: skip
    return tuple(messages)


AUDIT = Audit(
    name="consent",
    field="consentFeedbackThresholds",
    heading="Audit 6 — consent, feedback and thresholds",
    description="Audit 6: consent, feedback to referrers and stated thresholds of contacts and referrals.",
    help="Per in-scope contact or referral received in the period: consent, outcome, feedback to the referrer "
    "and days to it, the threshold stated and the one decided; flags consent_not_recorded, "
    "early_help_without_consent, no_feedback and no_threshold_stated, each over its own denominator, overall "
    "and by referrer agency kind.",
    run=consent_feedback_thresholds,
    collect=consent_found,
    finish=consent_result,
    parameters=(
        Parameter("feedback_days", 5, "Days after receipt by which the referrer must be told the outcome."),
        ADULT_AGE,
    ),
    mentions=False,
    result=ConsentFeedbackThresholds,
    row=ConsentRow,
    rows=lambda result: result.rows,
    key_messages=consent_messages,
)
