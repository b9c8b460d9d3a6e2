"""Family networks and cohort batches in the identity view, both stores alike.

:func:`identity_graph` merges the Person nodes of each identity in a network extracted in the
identity view (:func:`familynet.stores.extraction.extract_rows` with ``identities``: every person
reached brings every record of their identity, at the same hop) with
:func:`familynet.model.identity_view.collapse`, reading the record-to-identity map from the store.
:class:`IdentityCohort` turns the subjects of a cohort batch into identities: each identity is a
subject once, in the batch of its first record in subject order, and its network is the union
of its records' networks, so linked records of different record-level families join one family,
and a subject's answers do not depend on what else shares its batch. Only the ids of the linked
identities already given are kept between batches: memory stays flat, batch after batch.
Each Person node with a record in a queued candidate pair carries ``pending_reviews``: a possible
duplicate may hide something.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

import networkx as nx

from familynet.model.cohort import CohortBatch
from familynet.model.identity import IdentityState
from familynet.model.identity_view import collapse, flag_reviews, pending_reviews, person_ids
from familynet.model.records import Person


class IdentityReader(Protocol):
    """What the identity view reads of a store (every :class:`~familynet.stores.protocol.Store` is one)."""

    def identities_of(self, person_ids: Collection[str]) -> dict[str, str]:
        """Every record of the identities of ``person_ids``, to its identity id."""
        ...

    def persons(self, person_ids: Collection[str]) -> dict[str, Person]:
        """The stored persons among ``person_ids``, by id."""
        ...

    def identity_state_of(self, person_ids: Collection[str]) -> IdentityState:
        """The candidates and decisions naming ``person_ids``, and the identities of their records."""
        ...


def identity_graph(store: IdentityReader, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph``, a family network extracted in the identity view (every record of each identity
    in it reached at its identity's hop), with each identity one Person node, each flagged with
    the candidate pairs of its records pending review."""
    ids = set(person_ids(graph))
    everyone = store.identities_of(ids)
    nodes = graph.nodes
    agencies = {r: nodes[f"Person:{r}"].get("recorded_by") for r in everyone if f"Person:{r}" in nodes}
    # Records the extraction did not see: linked by a resolve that ran since.
    absent = set(everyone) - agencies.keys()
    agencies.update((r, p.recorded_by) for r, p in store.persons(absent).items())
    view = collapse(graph, everyone, agencies)
    flag_reviews(view, pending_reviews(store.identity_state_of(everyone.keys() | ids)))
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
        records (``extract(seeds)``, extracted in the identity view) merged (:func:`identity_graph`)."""
        graph = identity_graph(self._store, extract(set(chosen.seeds)))
        return CohortBatch(chosen.subjects, graph)
