"""Audit results and household contexts as :class:`~familynet.reports.report.Report` s people read.

An audit report carries its definition word for word from ``docs/rules.md`` (the
audit's section and the shared definitions it relies on), the period and
parameters used, the summary with its breakdowns and a chart, and the detail
tables; its JSON is the result's documented :func:`~familynet.analyses.serialise`
shape. Person identifiers appear as given: names appear only when
:func:`with_names` adds them, next to each identifier.

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
>>> with_names(report, {"C": ("Zoë", "Nguyễn")}).tables[0].header
('kind', 'child_id', 'child_given_name', 'child_family_name', 'person_id', 'person_given_name', 'person_family_name', 'evidence')
"""  # noqa: E501

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from familynet.analyses import (
    AUDITS,
    AllAudits,
    Audit,
    Escalation,
    Escalations,
    Finding,
    HouseholdContext,
    HouseholdView,
    MissingMembers,
    ReferralHistory,
    RepeatReferrals,
    SiblingCoverage,
    serialise,
)
from familynet.analyses.declaration import share_text
from familynet.errors import ConfigurationError
from familynet.reports.history import previously_table
from familynet.reports.report import Chart, Report, Table
from familynet.resources import resource_dir

#: A person's given and family name, by person id.
Names = Mapping[str, tuple[str | None, str | None]]

#: The audits by command name, and the heading of each one's definition in docs/rules.md
#: (escalations alone are defined in audit 2's section).
HEADINGS = {
    **{audit.name: audit.heading for audit in AUDITS},
    "escalations": "Audit 2 — repeat referrals",
    "household": "Household context of a child on a date",
}
SHARED = "Shared definitions (at a date d)"

#: Columns holding a person id, and the prefix of the name columns added after each.
PERSON_COLUMNS = {"child_id": "child", "person_id": "person", "sibling_id": "sibling"}

_SUMMARY_COUNTS = (
    "referrals",
    "referrals_with_uncovered_sibling",
    "siblings",
    "siblings_covered",
    "coverage_percent",
    "siblings_neither_covered_nor_considered",
)


@cache
def definition(heading: str) -> str:
    """The text of section ``heading`` of ``docs/rules.md``, up to its JSON fields.

    >>> definition("Audit 1 — sibling coverage").splitlines()[0][:60]
    '`sibling_coverage(batches, start, end, *, assessment_days=60'
    """
    lines = resource_dir("docs").joinpath("rules.md").read_text(encoding="utf-8").splitlines()
    try:
        start = lines.index(f"## {heading}") + 1
    except ValueError:
        raise ConfigurationError(f"docs/rules.md has no section {heading!r}") from None
    body = []
    for line in lines[start:]:
        if line.startswith(("## ", "JSON")):
            break
        body.append(line)
    return "\n".join(body).strip()


def definitions(audit: str) -> str:
    """The definition of an audit (a key of HEADINGS) and the shared definitions, as the rules state them."""
    heading = HEADINGS[audit]
    return f"## {heading}\n\n{definition(heading)}\n\n## {SHARED}\n\n{definition(SHARED)}"


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
    """Each (group path, value) of nested groups, ``by_rag / red``, down to a share or a number."""
    for name, value in groups.items():
        shown = _shown(value)
        if isinstance(shown, Mapping):
            yield from _flattened(shown, f"{prefix}{name} / ")
        else:
            yield f"{prefix}{name}", shown


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


def _household_table(view: HouseholdView) -> Table:
    """One row per member: the record's roles beside every other agency's view."""
    people: dict[str, tuple[list[str], list[str]]] = {}
    for m in view.members:
        record, others = people.setdefault(m.person_id, ([], []))
        if m.recorded:
            record.append(m.role or "member")
        else:
            others.append(f"{m.agency_id} ({m.agency_kind or 'unknown'}): {m.role or 'member'}")
    where = "the record" if view.recorded else "another agency's record only"
    rows = tuple((person, tuple(record), tuple(others)) for person, (record, others) in sorted(people.items()))
    return Table(f"Household {view.household_id} ({where})", ("person_id", "record", "other_agencies"), rows)


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def context_report(context: HouseholdContext) -> Report:
    """A child's household context: households, parents, siblings, significant adults,
    agencies, timeline and flags, one table each."""
    c = context
    tables = [_household_table(view) for view in c.households] or [
        Table("Households", ("household_id",), ())  # no household: say so rather than omit the section
    ]
    tables += [
        Table(
            "Parents",
            ("person_id", "subtypes", "parental_responsibility", "lives_with_child"),
            tuple(
                (p.person_id, p.subtypes, _yes_no(p.parental_responsibility), _yes_no(p.lives_with_child))
                for p in c.parents
            ),
        ),
        Table(
            "Siblings",
            ("person_id", "basis", "relation", "co_resident", "shared_parents"),
            tuple((s.person_id, s.basis, s.relation, _yes_no(s.co_resident), s.shared_parents) for s in c.siblings),
        ),
        Table("Significant adults", ("person_id", "links"), _adults(c)),
        Table("Agencies", ("agency_id", "kind"), tuple((a.agency_id, a.kind) for a in c.agencies)),
        Table(
            "Timeline",
            ("on", "event", "record_id", "person_id", "kind", "outcome", "categories", "agency_id"),
            tuple(
                (e.on, e.event, e.record_id, e.person_id, e.kind, e.outcome, e.categories, e.agency_id)
                for e in c.timeline
            ),
        ),
        Table("Flags", Finding.HEADER, tuple(f.cells() for f in c.flags)),
        Table("Marked confidential: do not disclose", ("person_id",), tuple((p,) for p in c.confidential)),
        previously_table(c.previously),
    ]
    if c.also_recorded_as:  # the identity view: each person's other records
        rows = tuple((r.person_id, r.record_id, r.agency_id) for r in c.also_recorded_as)
        tables.append(Table("Also recorded as", ("person_id", "record_id", "agency_id"), rows))
    summary = {
        "households": sum(v.recorded for v in c.households),
        "other_agency_households": sum(not v.recorded for v in c.households),
        "parents": len(c.parents),
        "siblings": len(c.siblings),
        "significant_adults": len({a.person_id for a in c.significant_adults}),
        "flags": len(c.flags),
    }
    return Report(
        f"Household context of {c.child_id} on {c.on}",
        definition(HEADINGS["household"]),
        {"child_id": c.child_id, "on": c.on},
        summary,
        tuple(tables),
        data=serialise(c),
        cited=frozenset(c.person_ids()),
    )


def _adults(context: HouseholdContext) -> tuple[tuple[Any, ...], ...]:
    """A row per adult, as the viewer shows them: every link that makes them significant,
    in words ("mentioned R1 (A2, alleged perpetrator)")."""
    grouped: dict[str, list[str]] = {}
    for a in context.significant_adults:
        how = ", ".join(w.replace("_", " ") for w in (a.agency_id, a.role) if w)
        link = f"{a.reason.replace('_', ' ')} {a.via_id}" + (f" ({how})" if how else "")
        grouped.setdefault(a.person_id, []).append(link)
    return tuple((person_id, "; ".join(dict.fromkeys(links))) for person_id, links in grouped.items())


def person_ids(report: Report) -> set[str]:
    """The person ids the report shows: those of its tables' person id columns, whose names
    :func:`with_names` adds, and those it cites elsewhere."""
    found: set[str] = set(report.cited)
    for table in report.tables:
        for column, name in enumerate(table.header):
            if name in PERSON_COLUMNS:
                found |= {row[column] for row in table.rows if row[column] is not None}
    return found


def _named(table: Table, names: Names) -> Table:
    columns = [i for i, name in enumerate(table.header) if name in PERSON_COLUMNS]
    if not columns:
        return table
    header: list[str] = []
    for i, name in enumerate(table.header):
        header.append(name)
        if i in columns:
            header += [f"{PERSON_COLUMNS[name]}_given_name", f"{PERSON_COLUMNS[name]}_family_name"]
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for i, value in enumerate(row):
            cells.append(value)
            if i in columns:
                cells += names.get(value, (None, None)) if value is not None else (None, None)
        rows.append(tuple(cells))
    return Table(table.title, tuple(header), tuple(rows))


def with_names(report: Report, names: Names) -> Report:
    """The report with given and family name columns after each person id column, and
    in its JSON a ``names`` object: person id -> ``given_name``, ``family_name``."""
    listed = {
        person: {"given_name": given, "family_name": family}
        for person, (given, family) in sorted(names.items())
        if person in person_ids(report)
    }
    return dataclasses.replace(
        report,
        tables=tuple(_named(t, names) for t in report.tables),
        data={**report.data, "names": listed},
        sections=tuple(dataclasses.replace(with_names(s, names), data=s.data) for s in report.sections),
    )
