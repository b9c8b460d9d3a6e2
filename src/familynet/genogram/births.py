"""Children of one birth in a genogram: twins and triplets, and which of them are identical.

Children drawn with the same full date of birth and the same birth parents are of one birth
(the model's ``multiple_birth``: they descend from one point). Two of them are identical
twins when a ``sibling_of`` between them records ``twin`` ``identical`` (by any agency); the
records say nothing else about it, so twins not so recorded are drawn without the bar. Both
are numbers, not dates or ids, so a redacted genogram keeps them.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female", date_of_birth="1990-01-01")
>>> for child in ("A", "B", "C"):
...     b.person(child, date_of_birth="2015-03-03")
...     b.relationship("M", child, "parent_of", subtype="birth")
>>> b.relationship("A", "C", "sibling_of", subtype="full", twin="identical")
>>> rank = {"M": 0, "A": 1, "B": 2, "C": 3}
>>> births = multiple_births(b.graph, set(rank), dt.date(2024, 1, 1), rank)
>>> births["A"] == births["B"] == births["C"], sorted(identical_twins(b.graph, births, rank).items())
(True, [('A', 1), ('C', 1)])
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from familynet.analyses import birth_parents
from familynet.analyses.facts import node_id, person
from familynet.model.network import person_node

#: The ``twin`` of a ``sibling_of`` that says the two are identical twins.
IDENTICAL = "identical"


def multiple_births(graph: nx.MultiDiGraph, drawn: set[str], day: dt.date, rank: dict[str, int]) -> dict[str, int]:
    """Twins and triplets: people drawn with the same full date of birth and the same birth parents, numbered."""
    groups: dict[tuple[object, frozenset[str]], list[str]] = {}
    for p in drawn:
        born = person(graph, p).get("date_of_birth")
        parents_of_p = birth_parents(graph, p, day)
        if born is not None and born.is_full and parents_of_p:
            groups.setdefault((born.earliest(), parents_of_p), []).append(p)
    births = sorted((sorted(g, key=rank.__getitem__) for g in groups.values() if len(g) > 1), key=lambda g: rank[g[0]])
    return {p: n for n, group in enumerate(births, start=1) for p in group}


def identical_twins(graph: nx.MultiDiGraph, births: dict[str, int], rank: dict[str, int]) -> dict[str, int]:
    """Children of one birth recorded as identical twins of each other, numbered: those joined, through such
    records, share a number (identical triplets one number for the three)."""
    joined: dict[str, set[str]] = {}
    for p in births:
        for _, other, attrs in graph.edges(person_node(p), data=True):
            q = node_id(other)
            if attrs.get("type") == "SIBLING_OF" and attrs.get("twin") == IDENTICAL and births.get(q) == births[p]:
                joined.setdefault(p, set()).add(q)
                joined.setdefault(q, set()).add(p)
    groups, seen = [], set()
    for p in sorted(joined, key=rank.__getitem__):
        if p in seen:
            continue
        group, stack = set(), [p]
        while stack:
            q = stack.pop()
            if q not in group:
                group.add(q)
                stack += joined[q]
        seen |= group
        groups.append(group)
    return {p: n for n, group in enumerate(groups, start=1) for p in group}
