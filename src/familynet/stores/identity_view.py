"""Family networks and cohort batches in the identity view, both stores alike.

:func:`identity_graph` merges the Person nodes of each identity in a stored network
(:func:`familynet.model.identity_view.collapse`), reading the record-to-identity map and the
agencies of the records the network lacks from the store. :class:`IdentityCohort` turns the
subjects of a cohort batch into identities: each identity is a subject once, in the batch of
its first record in subject order, and its network is the union of its records' networks, so
linked records of different record-level families join one family. Only the ids of the linked
identities already given, and the review queue (read once a cohort), are kept between batches.
Each Person node with a record in a queued candidate pair carries ``pending_reviews``: a possible
duplicate may hide something.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Protocol

import networkx as nx

from familynet.model.cohort import CohortBatch
from familynet.model.identity import IdentityState
from familynet.model.identity_view import PendingReview, collapse, flag_reviews, pending_reviews, person_ids
from familynet.model.records import Person


class IdentityReader(Protocol):
    """What the identity view reads of a store (every :class:`~familynet.stores.protocol.Store` is one)."""

    def identities_of(self, person_ids: Collection[str]) -> dict[str, str]:
        """Every record of the identities of ``person_ids``, to its identity id."""
        ...

    def persons(self, person_ids: Collection[str]) -> dict[str, Person]:
        """The stored persons among ``person_ids``, by id."""
        ...

    def identity_state(self) -> IdentityState:
        """Every identity link, candidate, decision, membership and alias."""
        ...


def identity_graph(
    store: IdentityReader, graph: nx.MultiDiGraph, pending: Mapping[str, tuple[PendingReview, ...]] | None = None
) -> nx.MultiDiGraph:
    """``graph``, a stored family network, with each identity one Person node, flagged with its
    pending reviews (``pending``, or the store's review queue read now)."""
    everyone = store.identities_of(person_ids(graph))
    nodes = graph.nodes
    agencies = {r: nodes[f"Person:{r}"].get("recorded_by") for r in everyone if f"Person:{r}" in nodes}
    absent = set(everyone) - agencies.keys()
    agencies.update((r, p.recorded_by) for r, p in store.persons(absent).items())
    view = collapse(graph, everyone, agencies)
    flag_reviews(view, pending_reviews(store.identity_state()) if pending is None else pending)
    return view


@dataclass(frozen=True)
class Chosen:
    """The identities a cohort batch gives (its subjects) and every record of them (its seeds)."""

    subjects: tuple[str, ...]
    seeds: frozenset[str]


class IdentityCohort:
    """The identity view of one cohort's batches, in the order the store reads them."""

    def __init__(self, store: IdentityReader) -> None:
        self._store = store
        self._given: set[str] = set()
        self._pending: dict[str, tuple[PendingReview, ...]] | None = None

    def choose(self, subjects: tuple[str, ...]) -> Chosen | None:
        """The identities of the record-level ``subjects`` not given before, with the records of
        each (the seeds of their networks); None when every one was given before."""
        members = self._store.identities_of(subjects)
        linked = Counter(members.values())
        chosen: dict[str, None] = {}
        for subject in subjects:
            identity = members.get(subject, subject)
            if identity not in self._given:
                chosen[identity] = None
                if linked[identity] > 1:  # it may have a later subject record
                    self._given.add(identity)
        if not chosen:
            return None
        seeds = {r for r, identity in members.items() if identity in chosen} | set(chosen)
        return Chosen(tuple(sorted(chosen)), frozenset(seeds))

    def batch(self, chosen: Chosen, extract: Callable[[set[str]], nx.MultiDiGraph]) -> CohortBatch:
        """The batch of the ``chosen`` identities, each with the union of the networks of all its
        records (``extract(seeds)``) in the identity view."""
        if self._pending is None:  # the review queue, read once a cohort
            self._pending = pending_reviews(self._store.identity_state())
        return CohortBatch(chosen.subjects, identity_graph(self._store, extract(set(chosen.seeds)), self._pending))
