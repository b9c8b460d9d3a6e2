"""The identity view of a family network: each identity one Person node.

The network of an identity is the union of its records' networks. Every Person node of a
record is then merged into the node of its identity (``Person:<identity id>``), which keeps
the attributes of the identity's own record (or, when that record is not in the network, of the
identity's first record in it, under the identity's id) and gains ``records``: every record of
the identity with its agency, the node's own first (``also recorded as`` is the rest). Every
fact of any of its records attaches to the node and keeps the record it was recorded about as
provenance (``record_id`` on the node's end of the edge: ``source_record`` / ``target_record``).
A record never resolved, or linked to no other, is its own identity and its node is unchanged,
so a store without links gives the record-level network exactly.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("Person:P1", label="Person", id="P1", recorded_by="SC")
>>> g.add_node("Person:P5", label="Person", id="P5", recorded_by="POL")
>>> g.add_node("Household:H1", label="Household", id="H1")
>>> _ = g.add_edge("Person:P5", "Household:H1", key="MEMBER_OF|POL", type="MEMBER_OF")
>>> view = collapse(g, {"P1": "P1", "P5": "P1"}, {"P1": "SC", "P5": "POL"})
>>> sorted(view.nodes), view.nodes["Person:P1"]["records"]
(['Household:H1', 'Person:P1'], (('P1', 'SC'), ('P5', 'POL')))
>>> list(view.edges(keys=True, data="source_record"))
[('Person:P1', 'Household:H1', 'MEMBER_OF|POL', 'P5')]
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from familynet.errors import NotFoundError
from familynet.model.network import person_node
from familynet.stores.protocol import DEFAULT_HOPS, Store

_PERSON = "Person:"


def collapse(graph: nx.MultiDiGraph, members: Mapping[str, str], agencies: Mapping[str, str | None]) -> nx.MultiDiGraph:
    """``graph`` with the Person nodes of each identity's records merged (see the module);
    ``members`` maps records to identities, ``agencies`` records to the agency that recorded them."""
    records: dict[str, list[str]] = {}
    for record, identity in members.items():
        records.setdefault(identity, []).append(record)
    target = {}
    for node in graph.nodes:
        if node.startswith(_PERSON) and len(records.get(members.get(node[len(_PERSON) :], ""), ())) > 1:
            target[node] = person_node(members[node[len(_PERSON) :]])
    if not target:
        return graph
    # Each identity's node takes the attributes of its own record when the network has it, else of its first.
    source: dict[str, str] = {}
    for node, merged in sorted(target.items(), key=lambda item: (item[0] != item[1], item[0])):
        source.setdefault(merged, node)
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph)
    for node, attrs in graph.nodes(data=True):
        if node not in target:
            view.add_node(node, **attrs)
        elif source[target[node]] == node:
            identity = target[node][len(_PERSON) :]
            ids = sorted(records[identity], key=lambda r: (r != identity, r))
            view.add_node(
                target[node], **{**attrs, "id": identity, "records": tuple((r, agencies.get(r)) for r in ids)}
            )
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        nu, nv = target.get(u, u), target.get(v, v)
        if nu == nv and u != v:
            continue  # a fact between two records of one person: none once linked
        data = dict(attrs)
        if nu != u:
            data["source_record"] = u[len(_PERSON) :]
        if nv != v:
            data["target_record"] = v[len(_PERSON) :]
        view.add_edge(nu, nv, key=key if not view.has_edge(nu, nv, key) else f"{key}|{u}|{v}", **data)
    return view


def identity_network(store: Store, person_id: str, hops: int = DEFAULT_HOPS) -> tuple[str, nx.MultiDiGraph]:
    """The identity of record ``person_id`` and the identity view of its family network."""
    members = store.identities_of([person_id])
    identity = members.get(person_id, person_id)
    seeds = sorted(r for r, i in members.items() if i == identity) or [person_id]
    if store.person(person_id) is None:
        raise NotFoundError(f"no person with id {person_id!r}")
    graph = nx.compose_all([store.family_network(seed, hops) for seed in seeds])
    ids = [node[len(_PERSON) :] for node in graph.nodes if node.startswith(_PERSON)]
    everyone = store.identities_of(ids)
    agencies = {pid: p.recorded_by for pid, p in store.persons(set(everyone) | set(ids)).items()}
    return identity, collapse(graph, everyone, agencies)
