"""The identity view of a person's family network: each identity one Person node.

The network of an identity is the record-level network with each identity one person: a hop from
any record of a person is a hop from the person (``Store.family_network(..., identities=True)``),
and the Person nodes are then merged per identity (:func:`familynet.model.identity_view.collapse`,
through :func:`familynet.stores.identity_view.identity_graph`, as the stores' cohorts are): the
node keeps the attributes of the identity's own record and lists every record with its agency,
and every fact of any of its records attaches to it with the record as provenance. Without links
the network is the record-level one exactly.
"""

from __future__ import annotations

import networkx as nx

from familynet.stores.identity_view import identity_graph
from familynet.stores.protocol import DEFAULT_HOPS, Store


def identity_network(store: Store, person_id: str, hops: int = DEFAULT_HOPS) -> tuple[str, nx.MultiDiGraph]:
    """The identity of record ``person_id`` and the identity view of its family network."""
    identity = store.identities_of([person_id]).get(person_id, person_id)
    return identity, identity_graph(store, store.family_network(person_id, hops, identities=True))
