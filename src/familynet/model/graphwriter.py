"""Writing nodes and edges into a NetworkX ``MultiDiGraph`` in a few dict operations.

The base of :class:`~familynet.model.network.FamilyGraphBuilder`: a store adds hundreds of
thousands of nodes and edges to one cohort batch, and networkx's general ``add_node`` and
``add_edge`` cost several times more.
"""

from __future__ import annotations

import networkx as nx


class GraphWriter:
    """A graph and the fast ways to add to it."""

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        self.graph: nx.MultiDiGraph = graph if graph is not None else nx.MultiDiGraph()

    def _node(self, key: str, attrs: dict[str, object]) -> None:
        """``graph.add_node(key, **attrs)`` in a few dict operations (see :meth:`_edge`)."""
        graph = self.graph
        data = graph._node.get(key)
        if data is None:
            graph._succ[key] = graph.adjlist_inner_dict_factory()
            graph._pred[key] = graph.adjlist_inner_dict_factory()
            graph._node[key] = attrs
        else:
            data.update(attrs)
        nx._clear_cache(graph)

    def _edge(self, u: str, v: str, key: str, attrs: dict[str, object]) -> None:
        """``graph.add_edge(u, v, key=key, **attrs)``, adding to or updating the edge with that
        key, in a few dict operations: a store adds hundreds of thousands of edges to one
        cohort batch, and networkx's general add_edge costs several times more."""
        self._fact(u, v, key, attrs)
        nx._clear_cache(self.graph)

    def _fact(self, u: str, v: str, key: str, attrs: dict[str, object]) -> None:
        """:meth:`_edge` without clearing networkx's cache, for loops that clear it once."""
        graph = self.graph
        succ = graph._succ
        if u not in succ:
            self._node(u, {})
        if v not in succ:
            self._node(v, {})
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = graph._pred[v][u] = {}
        data = keys.get(key)
        if data is None:
            keys[key] = attrs
        else:
            data.update(attrs)
