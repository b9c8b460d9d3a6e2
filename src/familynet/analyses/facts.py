"""Facts: the typed, dated edges of a family graph, walked from one node.

Every rule reads the graph through these few walks, so that it touches only the
edges of the node it starts from (never a scan of the whole graph) and so that
"active on a date" and "recorded by social care" mean the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from familynet.errors import NotFoundError
from familynet.model.network import agency_node, person_node
from familynet.model.vocabulary import vocabulary

Attrs = Mapping[str, Any]


def node_id(key: str) -> str:
    """The record id of a node key.

    >>> node_id("Person:P1")
    'P1'
    """
    return key.split(":", 1)[1]


def person(graph: nx.MultiDiGraph, person_id: str) -> Attrs:
    """The attributes of a person; NotFoundError when the graph does not hold them."""
    attrs: Attrs | None = graph._node.get(person_node(person_id))
    if attrs is None:
        raise NotFoundError(f"person {person_id} is not in the graph")
    return attrs


# The rules walk edges millions of times in an audit; the graph's own adjacency dicts
# (``_node``, ``_succ``, ``_pred``, also present, filtered, on subgraph views) avoid building a
# read-only view object per step, which halves the time of a household context. A person's
# adjacency mixes the few family facts the rules ask for with every referral that is about
# or mentions them, so each node's facts are grouped by type once, on first use, and kept in
# networkx's own per-graph cache, which every change to the graph through networkx (and
# FamilyGraphBuilder) empties. A view (frozen) keeps no cache: its graph may change under it.
_CACHE = "familynet.facts"

Grouped = dict[object, list[tuple[str, Attrs]]]


def _grouped(graph: nx.MultiDiGraph, node: str, entering: bool) -> Grouped:
    """The (other end, attributes) of the edges leaving (or entering) ``node``, by type, in
    the graph's order."""
    # Asked millions of times an audit: the instance dict answers both questions with no
    # AttributeError raised and caught inside getattr, and each direction keeps its own
    # index, so a hit hashes no tuple.
    own = graph.__dict__
    cache: dict[str, Any] | None = own.get("__networkx_cache__")
    if cache is None or own.get("frozen", False):
        return _group((graph._pred if entering else graph._succ)[node])
    indexes: tuple[dict[str, Grouped], dict[str, Grouped]] | None = cache.get(_CACHE)
    if indexes is None:
        indexes = cache[_CACHE] = ({}, {})
    index = indexes[entering]
    found = index.get(node)
    if found is None:
        found = index[node] = _group((graph._pred if entering else graph._succ)[node])
    return found


def _group(adjacency: Mapping[str, Mapping[object, Attrs]]) -> Grouped:
    grouped: Grouped = {}
    for other, keyed in adjacency.items():
        for attrs in keyed.values():
            grouped.setdefault(attrs.get("type"), []).append((other, attrs))
    return grouped


def out_facts(graph: nx.MultiDiGraph, node: str, edge_type: str) -> Iterator[tuple[str, Attrs]]:
    """The (target, attributes) of each ``edge_type`` edge leaving ``node``."""
    yield from _grouped(graph, node, False).get(edge_type, ())


def in_facts(graph: nx.MultiDiGraph, node: str, edge_type: str) -> Iterator[tuple[str, Attrs]]:
    """The (source, attributes) of each ``edge_type`` edge entering ``node``."""
    yield from _grouped(graph, node, True).get(edge_type, ())


def either_facts(graph: nx.MultiDiGraph, node: str, edge_type: str) -> Iterator[tuple[str, Attrs]]:
    """The (other end, attributes) of each ``edge_type`` edge at ``node``, in either direction."""
    yield from out_facts(graph, node, edge_type)
    yield from in_facts(graph, node, edge_type)


def is_active(attrs: Attrs, day: dt.date) -> bool:
    """Whether a membership or relationship is active on ``day``: start empty or on or
    before it, and end empty or on or after it.

    >>> is_active({"start_date": dt.date(2024, 1, 1), "end_date": None}, dt.date(2024, 1, 1))
    True
    >>> is_active({"start_date": None, "end_date": dt.date(2023, 12, 31)}, dt.date(2024, 1, 1))
    False
    """
    start = attrs.get("start_date")
    end = attrs.get("end_date")
    return (start is None or start <= day) and (end is None or end >= day)


def agency_kind(graph: nx.MultiDiGraph, agency_id: str | None) -> str | None:
    """The kind of an agency, or None when the agency is unknown to the graph."""
    if agency_id is None:
        return None
    attrs: Attrs | None = graph._node.get(agency_node(agency_id))
    return None if attrs is None else attrs.get("kind")


def is_record(graph: nx.MultiDiGraph, attrs: Attrs) -> bool:
    """Whether a fact was recorded by an agency of the record's kind (social care)."""
    return agency_kind(graph, attrs.get("recorded_by")) == vocabulary().record_agency_kind
