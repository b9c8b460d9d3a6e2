"""The shortest family path between two people.

A path runs over Person and Household nodes through family facts
(``PARENT_OF``, ``PARTNER_OF``, ``SIBLING_OF``, ``MEMBER_OF``) in either direction;
given a day, only facts active on it.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> for ident in ("M", "C1", "S", "C2"):
...     b.person(ident)
>>> b.relationship("M", "C1", "parent_of", subtype="birth")
>>> b.relationship("M", "S", "partner_of", subtype="cohabiting")
>>> b.relationship("S", "C2", "parent_of", subtype="birth")
>>> for step in family_path(b.graph, "C1", "C2") or ():
...     print(step.source, step.type, step.subtype, step.target, step.forward)
Person:C1 PARENT_OF birth Person:M False
Person:M PARTNER_OF cohabiting Person:S True
Person:S PARENT_OF birth Person:C2 True
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import networkx as nx

from familynet.analyses.components import family_view, is_family_fact
from familynet.analyses.facts import person
from familynet.model.network import person_node


@dataclass(frozen=True)
class PathStep:
    """One fact on a path, walked from ``source`` to ``target`` (node keys of persons or households)."""

    source: str
    target: str
    type: str
    subtype: str | None
    """The relationship subtype, or the membership role."""
    forward: bool
    """Whether the fact is recorded from source to target (False: walked against its direction)."""


def family_path(
    graph: nx.MultiDiGraph, from_person_id: str, to_person_id: str, *, on: dt.date | None = None
) -> tuple[PathStep, ...] | None:
    """The shortest family path from one person to another (fewest facts), or None."""
    person(graph, from_person_id)
    person(graph, to_person_id)
    try:
        keys = nx.shortest_path(
            family_view(graph, on).to_undirected(as_view=True), person_node(from_person_id), person_node(to_person_id)
        )
    except nx.NetworkXNoPath:
        return None
    steps = []
    for a, b in itertools.pairwise(keys):
        # Prefer a fact recorded in the walking direction, then the first by edge key, so paths are stable.
        facts = sorted(
            [(False, k, d) for k, d in graph.get_edge_data(a, b, default={}).items() if is_family_fact(d, on)]
            + [(True, k, d) for k, d in graph.get_edge_data(b, a, default={}).items() if is_family_fact(d, on)],
            key=lambda f: (f[0], f[1]),
        )
        backward, _, attrs = facts[0]
        steps.append(PathStep(a, b, attrs["type"], attrs.get("subtype") or attrs.get("role"), not backward))
    return tuple(steps)
