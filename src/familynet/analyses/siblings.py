"""Siblings of a child on a date, each with its basis, relation and co-residence.

Every other person who is a child on the day and related to the child by the first
of these that matches:

1. basis ``recorded``: a ``sibling_of`` active on the day, either direction
   (relation: its subtype, ``unknown`` when it has none);
2. basis ``derived``, relation ``full``: they share two or more birth or adoptive parents;
3. ``half``: they share exactly one, and each has another birth or adoptive parent;
4. ``unknown``: they share exactly one, and at least one has no other;
5. ``step``: a birth/adoptive parent of one is in an active married, civil_partner or
   cohabiting ``partner_of`` with a birth/adoptive parent of the other, or is a
   ``step`` parent of the other;
6. ``household``: another child in one of the child's recorded households.

``co_resident`` says whether the sibling shares one of the child's recorded households.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> for ident in ("M", "F1", "F2"):
...     b.person(ident, date_of_birth="1985")
>>> for child, father in (("C1", "F1"), ("C2", "F2")):
...     b.person(child, date_of_birth="2015-01-01")
...     b.relationship("M", child, "parent_of", subtype="birth")
...     b.relationship(father, child, "parent_of", subtype="birth")
>>> [(s.person_id, s.basis, s.relation) for s in siblings(b.graph, "C1", dt.date(2024, 1, 1))]
[('C2', 'derived', 'half')]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import networkx as nx

from familynet.analyses.facts import either_facts, is_active, node_id, person
from familynet.analyses.households import recorded_households, recorded_members
from familynet.analyses.memo import remembered
from familynet.analyses.people import (
    ADULT,
    BIRTH_OR_ADOPTIVE,
    INFANT,
    STEP_PARTNER_SUBTYPES,
    birth_parents,
    children,
    is_child,
    parents,
    partners,
)
from familynet.model.network import person_node


@dataclass(frozen=True)
class Sibling:
    """A sibling of a child on a date."""

    person_id: str
    basis: str
    """``recorded`` (a ``sibling_of`` exists) or ``derived``."""
    relation: str
    """The ``sibling_of`` subtype, or full, half, unknown, step or household."""
    co_resident: bool
    """Whether the sibling shares one of the child's recorded households."""
    shared_parents: tuple[str, ...]
    """The birth or adoptive parents the two share, in id order."""


def _recorded_relations(graph: nx.MultiDiGraph, child_id: str, day: dt.date) -> dict[str, str]:
    relations: dict[str, str] = {}
    for other, attrs in either_facts(graph, person_node(child_id), "SIBLING_OF"):
        if is_active(attrs, day):
            subtype = attrs.get("subtype") or "unknown"
            sibling = node_id(other)
            # Two agencies may record the pair with different subtypes: keep one, deterministically.
            relations[sibling] = min(relations.get(sibling, subtype), subtype)
    return relations


def _step_linked(graph: nx.MultiDiGraph, child_id: str, day: dt.date) -> set[str]:
    """Candidates that may be step-siblings: children of partners and step-parents."""
    found: set[str] = set()
    for parent in birth_parents(graph, child_id, day):
        found |= children(graph, parent, day, {"step"})
        for partner in partners(graph, parent, day, STEP_PARTNER_SUBTYPES):
            found |= children(graph, partner, day, BIRTH_OR_ADOPTIVE)
    for step_parent in parents(graph, child_id, day, {"step"}):
        found |= children(graph, step_parent, day, BIRTH_OR_ADOPTIVE)
    return found


def _household_linked(households: frozenset[str], graph: nx.MultiDiGraph, day: dt.date) -> set[str]:
    """Candidates that may be household siblings: recorded members of the households and
    the birth children of their female members (an infant may live there through its mother)."""
    found: set[str] = set()
    for household in households:
        for member in recorded_members(graph, household, day):
            found.add(member)
            if person(graph, member).get("sex") == "female":
                found |= children(graph, member, day, {"birth"})
    return found


def _is_step(
    graph: nx.MultiDiGraph, a: str, b: str, parents_a: frozenset[str], parents_b: frozenset[str], day: dt.date
) -> bool:
    if any(partners(graph, p, day, STEP_PARTNER_SUBTYPES) & parents_b for p in parents_a):
        return True
    return bool(parents_a & parents(graph, b, day, {"step"}) or parents_b & parents(graph, a, day, {"step"}))


@remembered
def siblings(
    graph: nx.MultiDiGraph, child_id: str, day: dt.date, *, adult_age: int = ADULT, infant_age: int = INFANT
) -> tuple[Sibling, ...]:
    """The siblings of ``child_id`` on ``day``, in person id order (see the module docstring)."""
    person(graph, child_id)
    households = recorded_households(graph, child_id, day, infant_age=infant_age)
    own_parents = birth_parents(graph, child_id, day)
    recorded = _recorded_relations(graph, child_id, day)
    candidates = set(recorded)
    for parent in own_parents:
        candidates |= children(graph, parent, day, BIRTH_OR_ADOPTIVE)
    candidates |= _step_linked(graph, child_id, day)
    candidates |= _household_linked(households, graph, day)
    candidates.discard(child_id)
    found = []
    for other in sorted(candidates):
        if not is_child(graph, other, day, adult_age=adult_age):
            continue
        other_parents = birth_parents(graph, other, day)
        shared = own_parents & other_parents
        together = bool(recorded_households(graph, other, day, infant_age=infant_age) & households)
        if other in recorded:
            basis, relation = "recorded", recorded[other]
        elif len(shared) >= 2:
            basis, relation = "derived", "full"
        elif len(shared) == 1:
            both_known = len(own_parents) > 1 and len(other_parents) > 1
            basis, relation = "derived", "half" if both_known else "unknown"
        elif _is_step(graph, child_id, other, own_parents, other_parents, day):
            basis, relation = "derived", "step"
        elif together:
            basis, relation = "derived", "household"
        else:
            continue
        found.append(Sibling(other, basis, relation, together, tuple(sorted(shared))))
    return tuple(found)
