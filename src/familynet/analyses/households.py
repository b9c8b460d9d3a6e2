"""Households on a date: the record (social care's memberships) and other agencies' views.

A person's *recorded households* on a day are the households of their active
memberships recorded by an agency of kind ``social_care``. An unborn child, or a
child under one year old, with none of their own is taken to be in the recorded
households of their female birth parent(s).

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("SC", kind="social_care")
>>> b.agency("POL", kind="police")
>>> b.person("M", sex="female", date_of_birth="1995")
>>> b.person("B", date_of_birth="2025-12-01")
>>> b.relationship("M", "B", "parent_of", subtype="birth", recorded_by="SC")
>>> b.membership("M", "H1", role="parent", recorded_by="SC")
>>> b.membership("M", "H2", role="parent", recorded_by="POL")
>>> day = dt.date(2026, 3, 1)
>>> sorted(recorded_households(b.graph, "B", day))
['H1']
>>> other_agency_households(b.graph, "M", day)
{'H2': ('POL',)}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import networkx as nx

from familynet.analyses.facts import Attrs, agency_kind, in_facts, is_active, node_id, out_facts, person
from familynet.analyses.memo import remembered
from familynet.analyses.people import INFANT, is_infant, is_unborn, parents
from familynet.model.network import household_node, person_node
from familynet.model.vocabulary import vocabulary


@dataclass(frozen=True)
class Membership:
    """One agency's record that a person is a member of a household."""

    person_id: str
    household_id: str
    role: str | None
    agency_id: str | None
    agency_kind: str | None
    recorded: bool
    """Whether the agency is social care, so that the membership is part of the record."""
    record_id: str | None = None
    """In the identity view, the record the membership was recorded about when that is not the
    identity's own (docs/identity.md); None otherwise."""


def _membership(graph: nx.MultiDiGraph, person_key: str, household_key: str, attrs: dict[str, object]) -> Membership:
    agency = attrs.get("recorded_by")
    agency_id = agency if isinstance(agency, str) else None
    kind = agency_kind(graph, agency_id)
    role = attrs.get("role")
    return Membership(
        node_id(person_key),
        node_id(household_key),
        role if isinstance(role, str) else None,
        agency_id,
        kind,
        kind == vocabulary().record_agency_kind,
        record if isinstance(record := attrs.get("source_record"), str) else None,
    )


def memberships(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> tuple[Membership, ...]:
    """The person's active memberships on ``day``, by every agency, in household then agency order."""
    person(graph, person_id)
    key = person_node(person_id)
    found = {
        _membership(graph, key, household, dict(attrs))
        for household, attrs in out_facts(graph, key, "MEMBER_OF")
        if is_active(attrs, day)
    }
    return tuple(sorted(found, key=lambda m: (m.household_id, m.agency_id or "", m.role or "")))


def members(graph: nx.MultiDiGraph, household_id: str, day: dt.date) -> tuple[Membership, ...]:
    """The active memberships of a household on ``day``, by every agency, in person then agency order."""
    key = household_node(household_id)
    if key not in graph:
        return ()
    found = {
        _membership(graph, member, key, dict(attrs))
        for member, attrs in in_facts(graph, key, "MEMBER_OF")
        if is_active(attrs, day)
    }
    return tuple(sorted(found, key=lambda m: (m.person_id, m.agency_id or "", m.role or "")))


def _in_record(graph: nx.MultiDiGraph, attrs: Attrs, day: dt.date) -> bool:
    """Whether a membership is active on ``day`` and recorded by social care (as :class:`Membership`
    judges it): the two questions most rules ask, without building a Membership."""
    if not is_active(attrs, day):
        return False
    agency = attrs.get("recorded_by")
    return agency_kind(graph, agency if isinstance(agency, str) else None) == vocabulary().record_agency_kind


def own_recorded_households(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> frozenset[str]:
    """Households of the person's own active memberships recorded by social care on ``day``."""
    person(graph, person_id)
    facts = out_facts(graph, person_node(person_id), "MEMBER_OF")
    return frozenset(node_id(household) for household, attrs in facts if _in_record(graph, attrs, day))


def recorded_members(graph: nx.MultiDiGraph, household_id: str, day: dt.date) -> frozenset[str]:
    """The persons with an active membership of the household recorded by social care on ``day``."""
    key = household_node(household_id)
    if key not in graph:
        return frozenset()
    return frozenset(
        node_id(member) for member, attrs in in_facts(graph, key, "MEMBER_OF") if _in_record(graph, attrs, day)
    )


@remembered
def recorded_households(
    graph: nx.MultiDiGraph, person_id: str, day: dt.date, *, infant_age: int = INFANT
) -> frozenset[str]:
    """The person's recorded households on ``day``; an unborn child or a child under
    ``infant_age`` years with none of their own is in those of their female birth parent(s)."""
    own = own_recorded_households(graph, person_id, day)
    if own or not (is_unborn(graph, person_id, day) or is_infant(graph, person_id, day, infant_age=infant_age)):
        return own
    mothers = (p for p in parents(graph, person_id, day, {"birth"}) if person(graph, p).get("sex") == "female")
    return frozenset().union(*(own_recorded_households(graph, m, day) for m in mothers))


def other_agency_households(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> dict[str, tuple[str, ...]]:
    """Households in which agencies other than social care record the person on ``day``,
    each with those agencies' ids (an agency unknown to the graph is not social care)."""
    views: dict[str, set[str]] = {}
    for m in memberships(graph, person_id, day):
        if not m.recorded:
            views.setdefault(m.household_id, set()).add(m.agency_id or "")
    return {household: tuple(sorted(agencies)) for household, agencies in sorted(views.items())}
