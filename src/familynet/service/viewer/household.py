"""What the household page shows, built from a child's family network: no I/O, no HTML.

Every rule is :mod:`familynet.analyses`' (the household context, audit 1's sibling
coverage) and the drawing is :mod:`familynet.genogram`'s; this module only puts
names beside ids and arranges the rows the page's tables show.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("SC", kind="social_care", name="Children's services")
>>> b.person("M", sex="female", given_name="Ann", family_name="Bell", date_of_birth="1990")
>>> b.person("C", given_name="Cy", family_name="Bell", date_of_birth="2016-03-01")
>>> b.relationship("M", "C", "parent_of", subtype="birth", parental_responsibility=True, recorded_by="SC")
>>> for ident, role in (("M", "parent"), ("C", "child")):
...     b.membership(ident, "H1", role=role, recorded_by="SC")
>>> page = household_page(b.graph, "C", dt.date(2024, 1, 1))
>>> page.child.name, [p.person.name for p in page.parents], page.households[0].agencies
('Cy Bell', ['Ann Bell'], ("Children's services",))
>>> [r.roles for r in page.households[0].rows], [f.kind for f in page.flags]
([('child',), ('parent',)], ['father not recorded'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import networkx as nx

from familynet import analyses
from familynet.analyses.allegations import FLAG_MONTHS
from familynet.analyses.coverage import AUDIT as COVERAGE
from familynet.analyses.coverage import coverage_rows
from familynet.analyses.people import children
from familynet.analyses.referrals import assessments_of
from familynet.genogram import genogram
from familynet.genogram.svg import screen_svg, svg
from familynet.model.dates import months_before
from familynet.model.history import PreviousVersion
from familynet.model.network import agency_node, person_node
from familynet.model.vocabulary import concern_names
from familynet.reports.history import fact


@dataclass(frozen=True)
class Named:
    """A person as the page names them."""

    person_id: str
    name: str
    born: str | None
    also_recorded_as: tuple[str, ...] = ()
    """The person's other records, each ``id (agency)`` (docs/identity.md)."""


@dataclass(frozen=True)
class MemberRow:
    """A member of a household: the role each agency records, in the order of the table's columns."""

    person: Named
    roles: tuple[str | None, ...]
    in_record: bool


@dataclass(frozen=True)
class HouseholdTable:
    """A household and every agency's view of its members, the record's agencies first."""

    household_id: str
    recorded: bool
    agencies: tuple[str, ...]
    record_columns: tuple[bool, ...]
    rows: tuple[MemberRow, ...]


@dataclass(frozen=True)
class ParentRow:
    person: Named
    subtypes: str
    parental_responsibility: bool | None
    lives_with_child: bool


@dataclass(frozen=True)
class SiblingRow:
    person: Named
    relation: str
    basis: str
    co_resident: bool
    shared_parents: tuple[str, ...]
    latest_assessment: str | None
    """The latest assessment of the sibling started by the day: its date and kind."""
    covered: bool | None
    """Audit 1 on the child's latest cohort referral of the flag period; None when there is none."""


@dataclass(frozen=True)
class AdultRow:
    """One reason an adult is significant, with every parent, household or referral that gives it."""

    person: Named
    reason: str
    role: str | None
    via: tuple[str, ...]
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class EventRow:
    on: dt.date
    person: Named
    event: str
    record_id: str
    kind: str
    outcome: str | None
    concerns: tuple[str, ...]
    agency: str | None


@dataclass(frozen=True)
class FlagRow:
    kind: str
    person: Named | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class PreviousRow:
    """One "previously recorded as": whose fact, which, what it was, who recorded it, what changed it."""

    person: Named
    fact: str
    was: str
    recorded_by: str | None
    recorded_in: str | None
    recorded_at: str | None
    replaced_in: str | None
    replaced_at: str | None


@dataclass(frozen=True)
class HouseholdPage:
    """Everything the household page shows about a child on a day."""

    child: Named
    on: dt.date
    households: tuple[HouseholdTable, ...]
    parents: tuple[ParentRow, ...]
    siblings: tuple[SiblingRow, ...]
    adults: tuple[AdultRow, ...]
    agencies: tuple[tuple[str, str], ...]
    timeline: tuple[EventRow, ...]
    flags: tuple[FlagRow, ...]
    svg: str
    person_ids: tuple[str, ...]
    """Everyone the page names or draws, the child first: showing the page is a read of each."""
    previously: tuple[PreviousRow, ...] = ()
    """What facts about the persons it names were previously recorded as, oldest change first."""


class _Names:
    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph

    def person(self, person_id: str) -> Named:
        attrs = self.graph.nodes.get(person_node(person_id), {})
        name = " ".join(p for p in (attrs.get("given_name"), attrs.get("family_name")) if p)
        born = attrs.get("date_of_birth")
        also = tuple(f"{r} ({self.agency(a) or 'unknown agency'})" for r, a in attrs.get("records", ())[1:])
        return Named(person_id, name or "(no name recorded)", None if born is None else str(born), also)

    def agency(self, agency_id: str | None) -> str | None:
        if agency_id is None:
            return None
        return str(self.graph.nodes.get(agency_node(agency_id), {}).get("name") or agency_id)


def _household(view: analyses.HouseholdView, names: _Names) -> HouseholdTable:
    columns = sorted(
        {(not m.recorded, m.agency_id or "") for m in view.members}, key=lambda c: (c[0], names.agency(c[1]) or "")
    )
    people = list(dict.fromkeys(m.person_id for m in view.members))
    rows = []
    for person_id in people:
        mine = {m.agency_id or "": _words(m.role or "member") for m in view.members if m.person_id == person_id}
        in_record = any(m.recorded for m in view.members if m.person_id == person_id)
        rows.append(MemberRow(names.person(person_id), tuple(mine.get(a) for _, a in columns), in_record))
    return HouseholdTable(
        view.household_id,
        view.recorded,
        tuple(names.agency(a) or "unknown agency" for _, a in columns),
        tuple(not outside for outside, _ in columns),
        tuple(rows),
    )


def _adults(adults: tuple[analyses.SignificantAdult, ...], names: _Names) -> tuple[AdultRow, ...]:
    """A row per adult, reason and role: a man mentioned in six referrals is one row naming the six."""
    grouped: dict[tuple[str, str, str | None], list[analyses.SignificantAdult]] = {}
    for adult in adults:
        grouped.setdefault((adult.person_id, adult.reason, adult.role), []).append(adult)
    rows = []
    for (person_id, reason, role), found in grouped.items():
        via = [names.person(a.via_id).name if reason == "partner_of_parent" else a.via_id for a in found]
        agencies = [names.agency(a.agency_id) for a in found]
        rows.append(
            AdultRow(
                names.person(person_id),
                _words(reason),
                None if role is None else _words(role),
                tuple(dict.fromkeys(via)),
                tuple(dict.fromkeys(a for a in agencies if a is not None)),
            )
        )
    return tuple(rows)


def _words(code: str) -> str:
    """A vocabulary code as words: ``alleged_perpetrator`` as ``alleged perpetrator``."""
    return code.replace("_", " ")


def _latest_assessment(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> str | None:
    started = [a for a in assessments_of(graph, person_id) if a.started_on is not None and a.started_on <= day]
    if not started:
        return None
    latest = max(started, key=lambda a: (a.started_on or day, a.assessment_id))
    return f"{latest.started_on} ({_words(latest.kind)})"


@dataclass(frozen=True)
class AdultPage:
    """What the viewer shows for an adult: the household page is a child's, so their children."""

    adult: Named
    on: dt.date
    children: tuple[Named, ...]
    person_ids: tuple[str, ...]
    """The adult and their children: showing the page is a read of each."""


def adult_page(graph: nx.MultiDiGraph, person_id: str, on: dt.date | None = None) -> AdultPage | None:
    """The page for ``person_id`` when they are an adult on ``on`` (default today): their
    children who are children that day, never shown as anyone's siblings; None for a child."""
    day = on or dt.date.today()
    if not analyses.is_adult(graph, person_id, day):
        return None
    names = _Names(graph)
    kids = sorted(c for c in children(graph, person_id, day) if analyses.is_child(graph, c, day))
    return AdultPage(names.person(person_id), day, tuple(names.person(c) for c in kids), (person_id, *kids))


def household_page(
    graph: nx.MultiDiGraph,
    child_id: str,
    on: dt.date | None = None,
    *,
    flag_months: int = FLAG_MONTHS,
    versions: Sequence[PreviousVersion] = (),
    readable: Callable[[Sequence[analyses.Finding]], tuple[analyses.Finding, ...]] = tuple,
) -> HouseholdPage:
    """The household page of ``child_id`` on ``on`` (default today), from the child's family network,
    with what the ``versions`` the store kept show was previously recorded, and the flags as
    ``readable`` lets the reader see them (:func:`~familynet.service.identities.withheld_flags`)."""
    context = analyses.household_context(graph, child_id, on, flag_months=flag_months)
    context = analyses.with_history(context, graph, versions)
    context = replace(context, flags=readable(context.flags))
    day = context.on
    names = _Names(graph)
    coverage = coverage_rows(graph, child_id, months_before(day, flag_months), day, **COVERAGE.defaults())
    covered = {s.person_id: s.covered for s in coverage[-1].siblings} if coverage else {}
    concerns = concern_names()
    # On screen, names at a readable size and a large family scrolled (the download is the A4 page).
    drawn = genogram(graph, child_id, day, flag_months=flag_months)
    drawing = screen_svg(drawn)
    named = tuple(sorted(drawn.person_ids()))
    return HouseholdPage(
        child=names.person(child_id),
        on=day,
        households=tuple(_household(h, names) for h in context.households),
        parents=tuple(
            ParentRow(names.person(p.person_id), ", ".join(p.subtypes), p.parental_responsibility, p.lives_with_child)
            for p in context.parents
        ),
        siblings=tuple(
            SiblingRow(
                names.person(s.person_id),
                s.relation,
                s.basis,
                s.co_resident,
                tuple(names.person(p).name for p in s.shared_parents),
                _latest_assessment(graph, s.person_id, day),
                covered.get(s.person_id),
            )
            for s in context.siblings
        ),
        adults=_adults(context.significant_adults, names),
        agencies=tuple((names.agency(a.agency_id) or a.agency_id, a.kind or "unknown") for a in context.agencies),
        timeline=tuple(
            EventRow(
                e.on,
                names.person(e.person_id),
                e.event,
                e.record_id,
                _words(e.kind),
                None if e.outcome is None else _words(e.outcome),
                tuple(f"{c} {concerns.get(c, '')}".strip() for c in e.categories),
                names.agency(e.agency_id),
            )
            for e in reversed(context.timeline)
        ),
        flags=tuple(
            FlagRow(
                _words(f.kind),
                None if f.person_id is None else names.person(f.person_id),
                tuple(str(e) for e in f.evidence),
            )
            for f in context.flags
        ),
        svg=drawing,
        person_ids=tuple(dict.fromkeys([*context.person_ids(), *named])),
        previously=tuple(
            PreviousRow(
                names.person(p.person_id),
                fact(p),
                p.describe(),
                names.agency(p.recorded_by),
                p.recorded_in,
                p.recorded_at,
                p.replaced_in,
                p.replaced_at,
            )
            for p in context.previously
        ),
    )


def genogram_svg(
    graph: nx.MultiDiGraph, child_id: str, on: dt.date | None = None, *, flag_months: int = FLAG_MONTHS
) -> tuple[str, tuple[str, ...]]:
    """The page's genogram as an SVG document (as ``familynet genogram`` draws it), and everyone it
    draws or names in a finding, whom showing it reads."""
    drawn = genogram(graph, child_id, on, flag_months=flag_months)
    return svg(drawn), tuple(sorted(drawn.person_ids()))
