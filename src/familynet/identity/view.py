"""The identity view of a person's family network: each identity one Person node.

The network of an identity is the union of its records' networks, whose Person nodes are then
merged per identity (:func:`familynet.model.identity_view.collapse`, through
:func:`familynet.stores.identity_view.identity_graph`, as the stores' cohorts are): the node keeps
the attributes of the identity's own record and lists every record with its agency, and every
fact of any of its records attaches to it with the record as provenance. Without links the
network is the record-level one exactly.
"""

from __future__ import annotations

import networkx as nx

from familynet.errors import NotFoundError
from familynet.stores.identity_view import identity_graph
from familynet.stores.protocol import DEFAULT_HOPS, Store


def identity_network(store: Store, person_id: str, hops: int = DEFAULT_HOPS) -> tuple[str, nx.MultiDiGraph]:
    """The identity of record ``person_id`` and the identity view of its family network."""
    members = store.identities_of([person_id])
    identity = members.get(person_id, person_id)
    seeds = sorted(r for r, i in members.items() if i == identity) or [person_id]
    if store.person(person_id) is None:
        raise NotFoundError(f"no person with id {person_id!r}")
    graph = nx.compose_all([store.family_network(seed, hops) for seed in seeds])
    return identity, identity_graph(store, graph, lambda records: _own_facts(store, records))


def _own_facts(store: Store, records: set[str]) -> nx.MultiDiGraph:
    """The facts of ``records`` themselves: their family networks of zero hops."""
    return nx.compose_all([store.family_network(record, 0) for record in sorted(records)])
