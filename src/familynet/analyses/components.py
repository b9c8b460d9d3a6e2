"""Family network components: who is connected to whom through family facts.

Only Person and Household nodes count, joined by ``PARENT_OF``, ``PARTNER_OF``,
``SIBLING_OF`` and ``MEMBER_OF`` in either direction, whatever their dates; agencies,
referrals and assessments are left out, so that a shared police force or one
referral mentioning two families does not make them one family.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("SC", kind="social_care")
>>> for ident in ("M", "C1", "X"):
...     b.person(ident)
>>> for ident in ("H1", "H2"):
...     b.household(ident)
>>> b.relationship("M", "C1", "parent_of", subtype="birth", recorded_by="SC")
>>> b.membership("C1", "H1", recorded_by="SC")
>>> b.membership("X", "H2", recorded_by="SC")
>>> family_components(b.graph)
(('Household:H1', 'Person:C1', 'Person:M'), ('Household:H2', 'Person:X'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import networkx as nx

from familynet.analyses.facts import is_active

#: Node labels that make up a family network.
FAMILY_LABELS = frozenset({"Person", "Household"})
#: Edge types that join a family network.
FAMILY_EDGES = frozenset({"PARENT_OF", "PARTNER_OF", "SIBLING_OF", "MEMBER_OF"})


def is_family_fact(attrs: Mapping[str, Any], on: dt.date | None = None) -> bool:
    """Whether an edge is a family fact (active on ``on``, when given)."""
    return attrs.get("type") in FAMILY_EDGES and (on is None or is_active(attrs, on))


def family_view(graph: nx.MultiDiGraph, on: dt.date | None = None) -> nx.MultiDiGraph:
    """A read-only view of the graph's Person and Household nodes and family facts
    (those active on ``on``, when given)."""
    return nx.subgraph_view(
        graph,
        filter_node=lambda n: graph.nodes[n].get("label") in FAMILY_LABELS,
        filter_edge=lambda u, v, k: is_family_fact(graph.edges[u, v, k], on),
    )


def family_components(graph: nx.MultiDiGraph) -> tuple[tuple[str, ...], ...]:
    """The family networks of the graph as tuples of node keys, largest first, then by first key."""
    found = [tuple(sorted(c)) for c in nx.weakly_connected_components(family_view(graph))]
    return tuple(sorted(found, key=lambda c: (-len(c), c)))
