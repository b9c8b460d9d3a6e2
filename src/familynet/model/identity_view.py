"""The identity view of a family graph: each identity one Person node.

A record's identity (:mod:`familynet.model.identity`) is a real person, however many agencies
recorded them. :func:`collapse` merges the Person nodes of each identity's records into the
node of its identity (``Person:<identity id>``), which keeps the attributes of the identity's own
record (or, when that record is not in the graph, of the identity's first record in it, under
the identity's id) and gains ``records``: every record of the identity with its agency, the
node's own first (``also recorded as`` is the rest). Every fact of any of its records attaches
to the node and keeps the record it was recorded about as provenance (on the node's end of the
edge: ``source_record`` / ``target_record``; on a contact, referral, assessment or plan about
it: ``child_record`` beside ``child_id``, now the identity's). A record never resolved, or
linked to no other, is its own identity and its node is unchanged, so a graph without links is
returned as it is: the record-level graph exactly.

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
from dataclasses import dataclass

import networkx as nx

from familynet.model.identity import IdentityState, is_queued
from familynet.model.keys import person_node

_PERSON = "Person:"


def person_ids(graph: nx.MultiDiGraph) -> list[str]:
    """The ids of the graph's Person nodes.

    >>> g = nx.MultiDiGraph([("Person:P1", "Household:H1")])
    >>> person_ids(g)
    ['P1']
    """
    return [node[len(_PERSON) :] for node in graph.nodes if node.startswith(_PERSON)]


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
    # Each identity's node takes the attributes of its own record when the graph has it, else of its first.
    source: dict[str, str] = {}
    for node, merged in sorted(target.items(), key=lambda item: (item[0] != item[1], item[0])):
        source.setdefault(merged, node)
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph)
    for node, attrs in graph.nodes(data=True):
        if node not in target:
            about = attrs.get("child_id")
            if about is not None and person_node(about) in target:
                # A contact, referral, assessment or plan about a record is about its identity.
                attrs = {**attrs, "child_id": members[about], "child_record": about}
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


@dataclass(frozen=True, slots=True)
class PendingReview:
    """A candidate pair in the review queue: a possible duplicate of a person, not yet decided."""

    left: str
    right: str
    probability: float


def pending_reviews(state: IdentityState) -> dict[str, tuple[PendingReview, ...]]:
    """The review queue of a store's identities, by each record of each queued pair, most likely first.

    >>> from familynet.model.identity import Band, Candidate
    >>> queued = Candidate("P1", "P2", 0.7, (), Band.REVIEW, (), "m", "1")
    >>> pending_reviews(IdentityState(candidates=(queued,)))["P2"]
    (PendingReview(left='P1', right='P2', probability=0.7),)
    """
    decided = {decision.pair for decision in state.decisions}
    found: dict[str, list[PendingReview]] = {}
    for candidate in sorted(state.candidates, key=lambda c: (-c.probability, c.pair)):
        if is_queued(candidate, state.members, decided):
            review = PendingReview(*candidate.pair, candidate.probability)
            for record in candidate.pair:
                found.setdefault(record, []).append(review)
    return {record: tuple(reviews) for record, reviews in found.items()}


def flag_reviews(graph: nx.MultiDiGraph, pending: Mapping[str, tuple[PendingReview, ...]]) -> None:
    """Mark each Person node of ``graph`` one of whose records is in a queued pair with
    ``pending_reviews``: the pairs (each once, most likely first)."""
    if not pending:
        return
    for node, attrs in graph.nodes(data=True):
        if not node.startswith(_PERSON):
            continue
        records = [record for record, _ in attrs.get("records", ())] or [node[len(_PERSON) :]]
        found = dict.fromkeys(review for record in records for review in pending.get(record, ()))
        if found:
            attrs["pending_reviews"] = tuple(sorted(found, key=lambda r: (-r.probability, r.left, r.right)))
