"""Audit results as :class:`~familynet.reports.report.Report` s people read.

An audit report carries its definition word for word from ``docs/rules.md`` (the
audit's section and the shared definitions it relies on:
:mod:`~familynet.reports.definitions`), the period and parameters used, the summary
with its breakdowns and a chart, and the detail tables; its JSON is the result's
documented :func:`~familynet.analyses.serialise` shape. Person identifiers appear as
given: names appear only when :func:`~familynet.reports.names.with_names` adds them.

>>> import datetime as dt
>>> from familynet.analyses import missing_members
>>> from familynet.model.network import FamilyGraphBuilder
>>> from familynet.model.cohort import CohortBatch
>>> b = FamilyGraphBuilder()
>>> b.person("C", date_of_birth="2016-03-01")
>>> b.referral("R1", "C", received_on="2024-05-01")
>>> day = dt.date(2024, 5, 1)
>>> report = missing_report(missing_members([CohortBatch(("C",), b.graph)], day, day))
>>> report.tables[0].rows
(('father_not_recorded', 'C', None, ()),)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from familynet.analyses import (
    AUDITS,
    AllAudits,
    Audit,
    Escalation,
    Escalations,
    Finding,
    MissingMembers,
    ReferralHistory,
    RepeatReferrals,
    SiblingCoverage,
    serialise,
)
from familynet.analyses.declaration import share_text
from familynet.reports.definitions import definitions
from familynet.reports.names import person_ids
from familynet.reports.page import heading
from familynet.reports.report import Chart, Report, Table

_SUMMARY_COUNTS = (
    "referrals",
    "referrals_with_uncovered_sibling",
    "siblings",
    "siblings_covered",
    "coverage_percent",
    "siblings_neither_covered_nor_considered",
    "considerations_not_supplied",
)


def _title(name: str, result: Any) -> str:
    return f"{name}, {result.period_from} to {result.period_to}"


def _parameters(result: Any) -> dict[str, Any]:
    return {"period_from": result.period_from, "period_to": result.period_to, **result.parameters}


def _scalars(summary: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if not isinstance(v, Mapping)}


def _split(title: str, key: str, groups: Mapping[str, Mapping[str, Any]]) -> Table:
    rows = tuple((name, *(counts[c] for c in _SUMMARY_COUNTS)) for name, counts in groups.items())
    return Table(title, (key, *_SUMMARY_COUNTS), rows)


def _counted(title: str, key: str, counts: Mapping[str, int]) -> tuple[Table, Chart]:
    table = Table(title, (key, "count"), tuple(counts.items()))
    return table, Chart(title, tuple(counts), tuple(float(v) for v in counts.values()))


def coverage_report(result: SiblingCoverage) -> Report:
    """Audit 1: one detail row per (referral, sibling); a referral with no siblings has one row without."""
    header = (
        "referral_id", "child_id", "received_on", "referring_agency_kind",
        "sibling_id", "basis", "relation", "co_resident", "covered", "considered",
    )  # fmt: skip
    rows: list[tuple[Any, ...]] = []
    for row in result.rows:
        referral = (row.referral_id, row.child_id, row.received_on, row.referring_agency_kind)
        rows += [
            (*referral, s.person_id, s.basis, s.relation, s.co_resident, s.covered, s.considered) for s in row.siblings
        ]
        if not row.siblings:
            rows.append((*referral, None, None, None, None, None, None))
    by_month = result.summary["by_month"]
    measured = {month: counts["coverage_percent"] for month, counts in by_month.items()}
    chart = Chart(
        "Sibling coverage by month (months with siblings)",
        tuple(month for month, value in measured.items() if value is not None),
        tuple(float(value) for value in measured.values() if value is not None),
        "%",
    )
    return Report(
        _title("Audit 1 — sibling coverage", result),
        definitions("siblings"),
        _parameters(result),
        _scalars(result.summary),
        (Table("Referrals and their siblings", header, tuple(rows)),),
        (chart,),
        breakdowns=(
            _split("By referring agency kind", "referring_agency_kind", result.summary["by_referring_agency_kind"]),
            _split("By month", "month", by_month),
        ),
    )


def _escalation_table(rows: Iterable[Escalation]) -> Table:
    return Table("Escalations", Escalation.HEADER, tuple(e.cells() for e in rows))


def repeat_report(result: RepeatReferrals) -> Report:
    """Audit 2: the re-referrals (and referrals with a household prior), then the escalations."""
    intervals, interval_chart = _counted("Re-referral intervals", "interval", result.summary["intervals"])
    outcomes, outcome_chart = _counted(
        "Outcomes of the previous referral", "previous_outcome", result.summary["previous_outcomes"]
    )
    return Report(
        _title("Audit 2 — repeat referrals", result),
        definitions("repeat-referrals"),
        _parameters(result),
        _scalars(result.summary),
        (
            Table("Re-referrals and household priors", ReferralHistory.HEADER, tuple(h.cells() for h in result.rows)),
            _escalation_table(result.escalations),
        ),
        (interval_chart, outcome_chart),
        breakdowns=(intervals, outcomes),
    )


def escalations_report(result: Escalations) -> Report:
    """Escalation on its own: one row per child, for the busiest unescalated window."""
    return Report(
        _title("Audit 2 — escalations", result),
        definitions("escalations"),
        _parameters(result),
        _scalars(result.summary),
        (_escalation_table(result.escalations),),
    )


def missing_report(result: MissingMembers) -> Report:
    """Audit 3: the findings, and their counts by kind."""
    by_kind, chart = _counted("Findings by kind", "kind", result.summary["by_kind"])
    return Report(
        _title("Audit 3 — household members missing from records", result),
        definitions("missing-members"),
        _parameters(result),
        _scalars(result.summary),
        (Table("Findings", Finding.HEADER, tuple(f.cells() for f in result.findings)),),
        (chart,),
        breakdowns=(by_kind,),
        cited=frozenset(i for f in result.findings for i in f.person_ids()),
    )


def declared_report(audit: Audit, result: Any) -> Report:
    """An audit's report from its declaration alone: its rows (``HEADER`` and ``cells()``), its
    summary's counts and shares, and each breakdown of the summary (a mapping of groups) as a table."""
    summary = {k: _shown(v) for k, v in result.summary.items() if not isinstance(_shown(v), Mapping)}
    breakdowns = tuple(
        Table(key, ("group", "value"), tuple(_flattened(value)))
        for key, value in result.summary.items()
        if isinstance(_shown(value), Mapping)
    )
    return Report(
        _title(audit.heading, result),
        definitions(audit.name),
        _parameters(result),
        summary,
        (Table(audit.heading, audit.header, tuple(r.cells() for r in audit.rows(result))),),
        breakdowns=breakdowns,
    )


def _shown(value: Any) -> Any:
    """A share as ``n of of (percent%)``; anything else as it is."""
    if isinstance(value, Mapping) and set(value) == {"n", "of", "percent"}:
        return share_text(value["n"], value["of"], value["percent"])
    return value


def _flattened(groups: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Each (group path, value) of nested groups, down to a share or a number, the path as a
    board reads it: the breakdown as a heading, then its groups' codes in words.

    >>> list(_flattened({"overall": 3, "by_rag": {"red": 1}, "by_referrer_agency_kind": {"early_help": 2}}))
    [('Overall', 3), ('By RAG / red', 1), ('By referrer agency kind / early help', 2)]
    """
    for name, value in groups.items():
        shown = _shown(value)
        part = f"{prefix} / {name.replace('_', ' ')}" if prefix else heading(name)
        if isinstance(shown, Mapping):
            yield from _flattened(shown, part)
        else:
            yield part, shown


#: The reports shaped by hand for the first audits; any other audit's follows from its declaration.
_BUILDERS: dict[str, Callable[[Any], Report]] = {
    "siblings": coverage_report,
    "repeat-referrals": repeat_report,
    "escalations": escalations_report,
    "missing-members": missing_report,
}


def audit_report(audit: Audit, result: Any, *, data: bool = True) -> Report:
    """The report of one audit's result, its key messages first; its data (its JSON) the result
    serialised, unless not ``data``: only JSON shows it, and for ``familynet audit all`` over a
    year of 200,000 households serialising took a sixth of the run."""
    build = _BUILDERS.get(audit.name)
    report = build(result) if build is not None else declared_report(audit, result)
    return dataclasses.replace(report, key_messages=audit.key_messages(result), data=serialise(result) if data else {})


def all_report(result: AllAudits, *, data: bool = True) -> Report:
    """``familynet audit all``: every audit's key messages first, then each audit's section (its
    data, only JSON shows, made only if ``data``)."""
    sections = tuple(
        audit_report(audit, result.results[audit.name], data=data) for audit in AUDITS if audit.name in result.results
    )
    combined = {
        "period_from": result.period_from.isoformat(),
        "period_to": result.period_to.isoformat(),
        "key_messages": list(result.key_messages()),
        "audits": {name: section.data for name, section in zip(result.results, sections, strict=True)},
    }
    return Report(
        f"All audits, {result.period_from} to {result.period_to}",
        "",
        _parameters(result),
        {},
        (),
        data=combined if data else {},
        cited=frozenset(i for section in sections for i in person_ids(section)),
        key_messages=result.key_messages(),
        sections=sections,
    )
