"""A child's household context as a :class:`~familynet.reports.report.Report`: one table
each for households, parents, siblings, significant adults, agencies, timeline and flags."""

from __future__ import annotations

from typing import Any

from familynet.analyses import Finding, HouseholdContext, HouseholdView, serialise
from familynet.reports.definitions import HEADINGS, definition
from familynet.reports.history import previously_table
from familynet.reports.report import Report, Table


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
