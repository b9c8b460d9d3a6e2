"""The family as it was known on a day: a genogram on a date shows nothing that came after it.

A person is known on the day when born by then, or, unborn, when the pregnancy was known
by then: the expected date of birth is at most :data:`PREGNANCY_DAYS` days after the
day, or a contact or referral about the unborn child was received by then. Everyone
else (a sibling born later, a baby not yet expected) is left out of the graph the
genogram reads, so no rule, line, overlay or finding can reach them.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female", date_of_birth="1990")
>>> b.person("A", date_of_birth="2013-05-01")
>>> b.person("U", expected_date_of_birth="2012-08-01")
>>> sorted(node_id(n) for n in known_graph(b.graph, dt.date(2012, 1, 1)))
['M', 'U']
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from familynet.analyses import is_unborn, referrals_about
from familynet.analyses.facts import node_id, person

#: How far ahead an expected date of birth may be for the pregnancy to be known (40 weeks).
PREGNANCY_DAYS = 280


def is_known(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> bool:
    """Born by ``day``, or unborn with a pregnancy known by then (see the module docstring)."""
    if not is_unborn(graph, person_id, day):
        return True
    expected: dt.date | None = person(graph, person_id).get("expected_date_of_birth")
    if expected is not None and expected <= day + dt.timedelta(days=PREGNANCY_DAYS):
        return True
    return any(r.received_on <= day for r in referrals_about(graph, person_id))


def known_graph(graph: nx.MultiDiGraph, day: dt.date) -> nx.MultiDiGraph:
    """The graph without the people not known on ``day`` (the graph itself when it has none)."""
    unknown = {
        key
        for key, attrs in graph.nodes(data=True)
        if attrs.get("label") == "Person" and not is_known(graph, node_id(key), day)
    }
    if not unknown:
        return graph
    view: nx.MultiDiGraph = nx.subgraph_view(graph, filter_node=lambda key: key not in unknown)
    return view
